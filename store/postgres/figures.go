package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/audit"
)

const (
	sqlFigureInsert = `insert into figures (team_id, programme, stage, term, year, month, persons, person_times,
amount_fen, recorded_by, recorded_at, note) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`
	sqlFigureForUpdate = `select voided_by from figures where team_id = $1 and id = $2 for update`
	sqlFigureVoid      = `update figures set voided_by = $2, voided_at = $3 where id = $1`
	sqlFigures         = `select id, team_id, programme, stage, term, year, month, persons, person_times, amount_fen,
recorded_by, recorded_at, note, coalesce(voided_by, ''), voided_at
from figures
where team_id = $1 and ($2 = '' or programme = $2) and ($3 = '' or term = $3) and ($4 = 0 or year = $4)
  and ($5 = 0 or month = $5) and ($6 or voided_at is null)
order by recorded_at, id`
)

// AddFigure implements bot.Store.
func (s *Store) AddFigure(ctx context.Context, f bot.Figure, eff bot.Effect) (bot.Figure, error) {
	if err := bot.ValidFigure(f); err != nil {
		return bot.Figure{}, err
	}
	f.At = instant(f.At)
	f.VoidedBy, f.VoidedAt = "", time.Time{}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := claim(ctx, tx, eff.Key, f.At); err != nil {
			return err
		}
		if err := lockTeam(ctx, tx, f.TeamID, false); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, sqlFigureInsert, f.TeamID, f.Programme, f.Stage, f.Term, f.Year, f.Month,
			f.Persons, f.PersonTimes, f.AmountFen, f.By, f.At, f.Note).Scan(&f.ID); err != nil {
			return err
		}
		if err := claimRef(ctx, tx, eff.Key, strconv.FormatInt(f.ID, 10)); err != nil {
			return err
		}
		return writeAudit(ctx, tx, f.TeamID, f.By, "figure.add", fmt.Sprint(f.ID), nil, f, f.At)
	})
	if a, ok := appliedBefore(err); ok {
		// A retry of the message that recorded it: record nothing and answer with that figure,
		// its id from the effect's record and its fields this delivery's (the same text). No
		// read comes after the claim: PostgreSQL may be gone by then, and the retry of a
		// recorded figure would answer that it could not be read.
		id, perr := strconv.ParseInt(a.ref, 10, 64)
		if perr != nil {
			return bot.Figure{}, fmt.Errorf("postgres: figure ref %q: %w", a.ref, perr)
		}
		f.ID = id
		return f, nil
	}
	if err != nil {
		return bot.Figure{}, err
	}
	return f, nil
}

// VoidFigure implements bot.Store.
func (s *Store) VoidFigure(ctx context.Context, teamID, id int64, actor string, at time.Time, eff bot.Effect) error {
	if err := bot.NeedActor(actor); err != nil {
		return err
	}
	at = instant(at)
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := claim(ctx, tx, eff.Key, at); err != nil {
			return err
		}
		var voidedBy pgtype.Text
		if err := tx.QueryRow(ctx, sqlFigureForUpdate, teamID, id).Scan(&voidedBy); err != nil {
			return fmt.Errorf("figure %d: %w", id, classify(err))
		}
		if voidedBy.Valid {
			return fmt.Errorf("figure %d voided by %s: %w", id, voidedBy.String, bot.ErrAlreadyDone)
		}
		if _, err := tx.Exec(ctx, sqlFigureVoid, id, actor, at); err != nil {
			return err
		}
		before, after := audit.FigureVoid(actor, at)
		return writeAudit(ctx, tx, teamID, actor, "figure.void", fmt.Sprint(id), before, after, at)
	})
	if _, ok := appliedBefore(err); ok {
		return nil // a retry of the message that voided it
	}
	return err
}

// Figures implements bot.Store.
func (s *Store) Figures(ctx context.Context, teamID int64, ff bot.FigureFilter) (_ []bot.Figure, err error) {
	defer reading(&err)
	rows, err := s.pool.Query(ctx, sqlFigures, teamID, ff.Programme, ff.Term, ff.Year, ff.Month, ff.IncludeVoid)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []bot.Figure
	for rows.Next() {
		var f bot.Figure
		var voidedAt pgtype.Timestamptz
		if err := rows.Scan(&f.ID, &f.TeamID, &f.Programme, &f.Stage, &f.Term, &f.Year, &f.Month, &f.Persons,
			&f.PersonTimes, &f.AmountFen, &f.By, &f.At, &f.Note, &f.VoidedBy, &voidedAt); err != nil {
			return nil, classify(err)
		}
		f.At = f.At.UTC()
		if voidedAt.Valid {
			f.VoidedAt = voidedAt.Time.UTC()
		}
		out = append(out, f)
	}
	return out, classify(rows.Err())
}
