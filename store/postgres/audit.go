package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/audit"
)

const sqlAudit = `insert into audit_log (team_id, actor, action, target, before, after, at)
values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)`

// writeAudit writes one audit entry on db (the change's transaction).
func writeAudit(ctx context.Context, db DBTX, team int64, actor, action, target string, before, after any, at time.Time) error {
	_, err := db.Exec(ctx, sqlAudit, team, actor, action, target, jsonArg(before), jsonArg(after), instant(at))
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// jsonArg renders an audit snapshot for a jsonb column; nil stays NULL.
func jsonArg(v any) any {
	if v == nil {
		return nil
	}
	return audit.Text(v)
}

const sqlAuditLog = `select id, team_id, actor, action, target, coalesce(before::text, ''), coalesce(after::text, ''), at
from audit_log where team_id = $1 order by id`

// AuditLog implements bot.Store.
func (s *Store) AuditLog(ctx context.Context, teamID int64) (_ []bot.AuditEntry, err error) {
	defer reading(&err)
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
