package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/audit"
)

const (
	sqlPlanForUpdate = `select id, title, source, content_hash from plans where team_id = $1 and year = $2 and origin = $3 for update`
	sqlPlanInsert    = `insert into plans (team_id, title, year, source, content_hash, imported_by, imported_at, origin)
values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`
	sqlPlanUpdate = `update plans set title = $2, source = $3, content_hash = $4, imported_by = $5, imported_at = $6
where id = $1`

	obligationCols = `o.id, coalesce(o.plan_id, 0), o.key, o.title, o.period, o.rule, o.start_date, o.due, o.line,
coalesce(o.assignee, ''), o.retired_at is not null, o.before_tracking`
	sqlTeamObligations = `select ` + obligationCols + ` from obligations o where o.team_id = $1`
	sqlObligationByKey = `select ` + obligationCols + ` from obligations o where o.team_id = $1 and o.key = $2`
	sqlObligationLock  = `select o.id from obligations o where o.team_id = $1 and o.key = $2 for update`
	// sqlObligationID takes no row lock: Complete relies on the partial unique index instead.
	sqlObligationID = `select id from obligations where team_id = $1 and key = $2`
	sqlObligations  = `select ` + obligationCols + `, c.done_by, c.done_at, c.note
from obligations o left join completions c on c.obligation_id = o.id and c.undone_at is null
where o.team_id = $1 and ($2 or o.retired_at is null)
order by o.due, o.line, o.key collate "C"`
	sqlObligationInsert = `insert into obligations (team_id, plan_id, key, title, period, rule, start_date, due, line, before_tracking)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`
	sqlObligationUpdate = `update obligations set plan_id = $2, title = $3, period = $4, rule = $5, start_date = $6,
due = $7, line = $8, before_tracking = $9, retired_at = null where id = $1`
	sqlObligationRetire  = `update obligations set retired_at = $2 where id = $1`
	sqlObligationSetLine = `update obligations set line = $2 where id = $1`
	sqlAssign            = `update obligations set assignee = $2 where id = $1`

	sqlComplete = `insert into completions (obligation_id, done_by, done_at, note) values ($1, $2, $3, $4)
on conflict (obligation_id) where undone_at is null do nothing`
	sqlUndo = `update completions set undone_at = $2, undone_by = $3
where obligation_id = $1 and undone_at is null and (not $4 or done_by = $3) returning done_by, done_at, note`
	sqlLiveBy      = `select done_by from completions where obligation_id = $1 and undone_at is null`
	sqlCompletions = `select c.id, o.key, c.done_by, c.done_at, c.note, c.undone_at, coalesce(c.undone_by, '')
from completions c join obligations o on o.id = c.obligation_id
where o.team_id = $1 order by c.done_at, c.id`
)

// row is an obligation as stored, with its plan.
type row struct {
	bot.Tracked
	planID int64
}

func scanObligation(r pgx.Row, extra ...any) (row, error) {
	var o row
	var rule string
	var start pgtype.Date
	var due time.Time
	dest := append([]any{&o.ID, &o.planID, &o.Key, &o.Title, &o.Period, &rule, &start, &due, &o.Line,
		&o.Assignee, &o.Retired, &o.BeforeTracking}, extra...)
	if err := r.Scan(dest...); err != nil {
		return row{}, err
	}
	o.Rule = bot.Rule(rule)
	o.Due = bot.DateOf(due)
	if start.Valid {
		o.Start = bot.DateOf(start.Time)
	}
	return o, nil
}

// dateArg is a bot.Date as a query argument; the zero Date is NULL.
func dateArg(d bot.Date) any {
	if d.IsZero() {
		return nil
	}
	return pgtype.Date{Time: d.Time(nil), Valid: true}
}

// ImportPlan implements bot.Store, in one transaction holding the team's row lock, so two
// imports of one team never interleave.
func (s *Store) ImportPlan(ctx context.Context, teamID int64, p bot.Plan, opt bot.ImportOptions) (bot.ImportResult, error) {
	obls, err := bot.ValidPlan(p)
	if err != nil {
		return bot.ImportResult{}, err
	}
	at := instant(opt.At)
	var res bot.ImportResult
	err = s.tx(ctx, func(tx pgx.Tx) error {
		if err := lockTeam(ctx, tx, teamID, true); err != nil {
			return err
		}
		var planID int64
		var title, source, hash string
		var oldPlan audit.Snapshot
		err := tx.QueryRow(ctx, sqlPlanForUpdate, teamID, p.Year, opt.Origin).Scan(&planID, &title, &source, &hash)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if err := tx.QueryRow(ctx, sqlPlanInsert, teamID, p.Title, p.Year, opt.Source, opt.Hash, opt.Actor, at, opt.Origin).Scan(&planID); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			oldPlan = audit.Plan(title, p.Year, source, hash)
		}
		stored, err := storedObligations(ctx, tx, teamID)
		if err != nil {
			return err
		}
		var changes []bot.ImportChange
		changes, res = bot.DiffImport(stored, obls, planID, opt)
		var writes pgx.Batch // one round trip for all writes of the import
		audited := 0
		for _, c := range changes {
			o := c.After
			switch c.Action {
			case bot.ActionAdd:
				writes.Queue(sqlObligationInsert, teamID, planID, o.Key, o.Title, o.Period, string(o.Rule),
					dateArg(o.Start), dateArg(o.Due), o.Line, o.BeforeTracking)
			case bot.ActionRestore, bot.ActionUpdate:
				writes.Queue(sqlObligationUpdate, o.ID, planID, o.Title, o.Period, string(o.Rule),
					dateArg(o.Start), dateArg(o.Due), o.Line, o.BeforeTracking)
			case bot.ActionRetire:
				writes.Queue(sqlObligationRetire, o.ID, at)
			default: // moved in the document only
				writes.Queue(sqlObligationSetLine, o.ID, o.Line)
				continue
			}
			audited++
		}

		samePlan := oldPlan != nil && title == p.Title && source == opt.Source && hash == opt.Hash
		if audited == 0 && samePlan {
			return nil // identical: nothing written, no audit noise
		}
		if oldPlan != nil {
			writes.Queue(sqlPlanUpdate, planID, p.Title, opt.Source, opt.Hash, opt.Actor, at)
		}
		after := audit.Plan(p.Title, p.Year, opt.Source, opt.Hash)
		after["new"], after["changed"], after["retired"] = res.New, res.Changed, res.Retired
		writes.Queue(sqlAudit, teamID, opt.Actor, "import", fmt.Sprint(p.Year), jsonArg(oldPlan), jsonArg(after), at)
		for _, c := range changes {
			if c.Action == "" {
				continue
			}
			var before any
			if c.Action != bot.ActionAdd {
				before = audit.Obligation(c.Before)
			}
			writes.Queue(sqlAudit, teamID, opt.Actor, c.Action, c.Key, jsonArg(before), jsonArg(audit.Obligation(c.After)), at)
		}
		return tx.SendBatch(ctx, &writes).Close()
	})
	if err != nil {
		return bot.ImportResult{}, err
	}
	return res, nil
}

// storedObligations reads every obligation of the team, retired ones too, with its plan.
func storedObligations(ctx context.Context, tx pgx.Tx, teamID int64) (map[string]bot.StoredObligation, error) {
	rows, err := tx.Query(ctx, sqlTeamObligations, teamID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bot.StoredObligation{}
	for rows.Next() {
		o, err := scanObligation(rows)
		if err != nil {
			return nil, err
		}
		out[o.Key] = bot.StoredObligation{Tracked: o.Tracked, PlanID: o.planID}
	}
	return out, rows.Err()
}

// Obligations implements bot.Store.
func (s *Store) Obligations(ctx context.Context, teamID int64, includeRetired bool) (_ []bot.Tracked, err error) {
	defer reading(&err)
	out, shared, err := s.obligationsShared(ctx, teamID, includeRetired)
	if shared {
		out = slices.Clone(out)
	}
	return out, err
}

// obligationsShared answers Obligations; shared reports that out is the cache's own slice, which
// Obligations copies.
func (s *Store) obligationsShared(ctx context.Context, teamID int64, includeRetired bool) (out []bot.Tracked, shared bool, err error) {
	version, _, verr := s.versions(ctx, teamID) // on error, the query below reports it
	if verr != nil {
		out, err := s.obligations(ctx, teamID, includeRetired)
		return out, false, err
	}
	return s.obligationsAt(ctx, teamID, includeRetired, version)
}

// obligationsAt is obligationsShared once the team's obligations counter was read (version):
// the cached rows of that version, else the rows read now and cached.
func (s *Store) obligationsAt(ctx context.Context, teamID int64, includeRetired bool, version int64) (out []bot.Tracked, shared bool, err error) {
	k := obligationsKey{teamID, includeRetired}
	if out, ok := s.cache.getObligations(k, version); ok {
		return out, true, nil
	}
	// One read of the rows per new counter: concurrent commands wait for it instead of each
	// running the same query (after every completion, all of them would).
	v, err, _ := s.cache.flight.Do(fmt.Sprintf("o:%d:%t:%d", teamID, includeRetired, version), func() (any, error) {
		out, err := s.obligations(ctx, teamID, includeRetired)
		if err == nil {
			s.cache.putObligations(k, version, out)
		}
		return out, err
	})
	if err != nil {
		return nil, false, err
	}
	return v.([]bot.Tracked), true, nil // shared by everyone who waited on the same read
}

// TeamView implements bot.Store: Obligations and Members under one read of the team's
// counters (cache.go), so a command that needs both pays one round trip when both are cached.
func (s *Store) TeamView(ctx context.Context, teamID int64, includeRetired bool) (_ []bot.Tracked, _ []bot.Member, err error) {
	defer reading(&err)
	ov, mv, verr := s.versions(ctx, teamID)
	if verr != nil { // the queries report it
		out, err := s.obligations(ctx, teamID, includeRetired)
		if err != nil {
			return nil, nil, err
		}
		ms, err := s.members(ctx, teamID)
		return out, ms, err
	}
	out, shared, err := s.obligationsAt(ctx, teamID, includeRetired, ov)
	if err != nil {
		return nil, nil, err
	}
	if shared {
		out = slices.Clone(out)
	}
	ms, shared, err := s.membersAt(ctx, teamID, mv)
	if err != nil {
		return nil, nil, err
	}
	if shared {
		ms = slices.Clone(ms)
	}
	return out, ms, nil
}

func (s *Store) obligations(ctx context.Context, teamID int64, includeRetired bool) ([]bot.Tracked, error) {
	rows, err := s.pool.Query(ctx, sqlObligations, teamID, includeRetired)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []bot.Tracked
	for rows.Next() {
		var by, note pgtype.Text
		var doneAt pgtype.Timestamptz
		o, err := scanObligation(rows, &by, &doneAt, &note)
		if err != nil {
			return nil, classify(err)
		}
		if by.Valid {
			o.DoneBy, o.DoneAt, o.DoneNote = by.String, doneAt.Time.UTC(), note.String
		}
		out = append(out, o.Tracked)
	}
	return out, classify(rows.Err())
}

// AddObligation implements bot.Store. A key already in use is reported as bot.ErrAlreadyDone.
func (s *Store) AddObligation(ctx context.Context, teamID int64, actor string, o bot.Obligation, at time.Time, eff bot.Effect) (bot.Tracked, error) {
	if err := bot.ValidObligation(&o); err != nil {
		return bot.Tracked{}, err
	}
	t := bot.Tracked{Obligation: o}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := claim(ctx, tx, eff.Key, at); err != nil {
			return err
		}
		if err := lockTeam(ctx, tx, teamID, false); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, sqlObligationInsert, teamID, nil, o.Key, o.Title, o.Period, string(o.Rule),
			dateArg(o.Start), dateArg(o.Due), o.Line, false).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("obligation key %q: %w", o.Key, classify(err))
		}
		if err := claimRef(ctx, tx, eff.Key, strconv.FormatInt(t.ID, 10)); err != nil {
			return err
		}
		return writeAudit(ctx, tx, teamID, actor, "obligation.add", o.Key, nil, audit.Obligation(t), at)
	})
	if a, ok := appliedBefore(err); ok {
		// A retry of the message that added it: add nothing and answer as the first delivery
		// did, with the id the effect recorded and no read after the claim (PostgreSQL may be
		// gone by then). A claim recorded without the id (before it was kept) is read.
		if id, perr := strconv.ParseInt(a.ref, 10, 64); perr == nil {
			t.ID = id
			return t, nil
		}
		return s.obligation(ctx, teamID, o.Key)
	}
	if err != nil {
		return bot.Tracked{}, err
	}
	return t, nil
}

// obligationID locks the obligation row and returns its id.
func obligationID(ctx context.Context, tx pgx.Tx, teamID int64, key string) (int64, error) {
	var id int64
	if err := tx.QueryRow(ctx, sqlObligationLock, teamID, key).Scan(&id); err != nil {
		return 0, fmt.Errorf("obligation %q: %w", key, classify(err))
	}
	return id, nil
}

// Assign implements bot.Store.
func (s *Store) Assign(ctx context.Context, teamID int64, actor, key, assignee string, at time.Time, eff bot.Effect) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := claim(ctx, tx, eff.Key, at); err != nil {
			return err
		}
		if _, err := obligationID(ctx, tx, teamID, key); err != nil {
			return err
		}
		o, err := scanObligation(tx.QueryRow(ctx, sqlObligationByKey, teamID, key))
		if err != nil {
			return err
		}
		if o.Assignee == assignee {
			return nil
		}
		if _, err := tx.Exec(ctx, sqlAssign, o.ID, pgtype.Text{String: assignee, Valid: assignee != ""}); err != nil {
			return err
		}
		return writeAudit(ctx, tx, teamID, actor, "assign", key,
			audit.Assignee(o.Assignee), audit.Assignee(assignee), at)
	})
	if _, ok := appliedBefore(err); ok {
		return nil // a retry of the message that assigned it: not again over a later change
	}
	return err
}

// Complete implements bot.Store. The partial unique index allows one live completion per
// obligation, so two concurrent completions record exactly one.
func (s *Store) Complete(ctx context.Context, teamID int64, actor, key, note string, at time.Time, eff bot.Effect) error {
	if err := bot.NeedActor(actor); err != nil {
		return err
	}
	at = instant(at)
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := claim(ctx, tx, eff.Key, at); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, sqlObligationID, teamID, key).Scan(&id); err != nil {
			return fmt.Errorf("obligation %q: %w", key, classify(err))
		}
		tag, err := tx.Exec(ctx, sqlComplete, id, actor, at, note)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("obligation %q: %w", key, bot.ErrAlreadyDone)
		}
		c := bot.Completion{Key: key, By: actor, At: at, Note: note}
		return writeAudit(ctx, tx, teamID, actor, "complete", key, nil, audit.Completion(c), at)
	})
	if _, ok := appliedBefore(err); ok {
		return nil // a retry of the message that completed it: done once, as asked
	}
	return err
}

// Undo implements bot.Store: the live completion is marked undone, never deleted.
func (s *Store) Undo(ctx context.Context, teamID int64, actor, key string, at time.Time, eff bot.Effect) error {
	if err := bot.NeedActor(actor); err != nil {
		return err
	}
	at = instant(at)
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := claim(ctx, tx, eff.Key, at); err != nil {
			return err
		}
		id, err := obligationID(ctx, tx, teamID, key)
		if err != nil {
			return err
		}
		c := bot.Completion{Key: key}
		own := eff.OnlyOwn
		err = tx.QueryRow(ctx, sqlUndo, id, at, actor, own).Scan(&c.By, &c.At, &c.Note)
		if errors.Is(err, pgx.ErrNoRows) {
			var by string
			if own && tx.QueryRow(ctx, sqlLiveBy, id).Scan(&by) == nil {
				return bot.NotOwnCompletion(by)
			}
			return fmt.Errorf("obligation %q: %w", key, bot.ErrNotDone)
		}
		if err != nil {
			return err
		}
		c.At = c.At.UTC()
		before := audit.Completion(c)
		c.UndoneAt, c.UndoneBy = at, actor
		return writeAudit(ctx, tx, teamID, actor, "undo", key, before, audit.Completion(c), at)
	})
	if _, ok := appliedBefore(err); ok {
		return nil // a retry of the message that undid it
	}
	return err
}

// Completions implements bot.Store.
func (s *Store) Completions(ctx context.Context, teamID int64) (_ []bot.Completion, err error) {
	defer reading(&err)
	rows, err := s.pool.Query(ctx, sqlCompletions, teamID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []bot.Completion
	for rows.Next() {
		var c bot.Completion
		var undone pgtype.Timestamptz
		if err := rows.Scan(&c.ID, &c.Key, &c.By, &c.At, &c.Note, &undone, &c.UndoneBy); err != nil {
			return nil, classify(err)
		}
		c.At = c.At.UTC()
		if undone.Valid {
			c.UndoneAt = undone.Time.UTC()
		}
		out = append(out, c)
	}
	return out, classify(rows.Err())
}

// obligation returns one obligation of the team by key, as AddObligation returned it (an
// effect's answer to a retry).
func (s *Store) obligation(ctx context.Context, teamID int64, key string) (bot.Tracked, error) {
	o, err := scanObligation(s.pool.QueryRow(ctx, sqlObligationByKey, teamID, key))
	if err != nil {
		return bot.Tracked{}, fmt.Errorf("obligation %q: %w", key, classify(err))
	}
	return o.Tracked, nil
}
