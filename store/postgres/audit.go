package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/planbot/planbot/bot"
)

const sqlAudit = `insert into audit_log (team_id, actor, action, target, before, after, at)
values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)`

// audit writes one audit entry on db (the change's transaction).
func audit(ctx context.Context, db DBTX, team int64, actor, action, target string, before, after any, at time.Time) error {
	_, err := db.Exec(ctx, sqlAudit, team, actor, action, target, jsonArg(before), jsonArg(after), instant(at))
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// jsonArg renders an audit snapshot; nil stays NULL.
func jsonArg(v any) any {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(err.Error())
	}
	return string(b)
}

const sqlAuditLog = `select id, team_id, actor, action, target, coalesce(before::text, ''), coalesce(after::text, ''), at
from audit_log where team_id = $1 order by id`

// AuditLog implements bot.Store.
func (s *Store) AuditLog(ctx context.Context, teamID int64) ([]bot.AuditEntry, error) {
	rows, err := s.pool.Query(ctx, sqlAuditLog, teamID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []bot.AuditEntry
	for rows.Next() {
		var e bot.AuditEntry
		if err := rows.Scan(&e.ID, &e.TeamID, &e.Actor, &e.Action, &e.Target, &e.Before, &e.After, &e.At); err != nil {
			return nil, classify(err)
		}
		e.At = e.At.UTC()
		out = append(out, e)
	}
	return out, classify(rows.Err())
}

// instant normalises t to what timestamptz keeps: microseconds, UTC.
func instant(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Microsecond).UTC()
}

// Audit snapshots: the same JSON shapes as store/memory writes (checked by store/storetest).

func teamJSON(t bot.Team) map[string]any {
	return map[string]any{"name": t.Name, "time_zone": t.TimeZone, "digest_cron": t.DigestCron, "group_target": t.GroupTarget}
}

func memberJSON(m bot.Member) map[string]any {
	return map[string]any{"userid": m.UserID, "name": m.Name, "role": string(m.Role), "active": m.Active}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func obligationJSON(t bot.Tracked) map[string]any {
	return map[string]any{
		"key": t.Key, "title": t.Title, "period": t.Period, "rule": string(t.Rule),
		"start": nullable(t.Start.String()), "due": t.Due.String(), "line": t.Line,
		"retired": t.Retired, "before_tracking": t.BeforeTracking,
	}
}

func completionJSON(c bot.Completion) map[string]any {
	m := map[string]any{"by": c.By, "at": c.At, "note": c.Note}
	if !c.UndoneAt.IsZero() {
		m["undone_by"], m["undone_at"] = c.UndoneBy, c.UndoneAt
	}
	return m
}

func planJSON(title string, year int, source, hash string) map[string]any {
	return map[string]any{"title": title, "year": year, "source": source, "hash": hash}
}
