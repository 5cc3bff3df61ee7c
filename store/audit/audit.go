// Package audit holds the JSON shapes of the audit trail's before/after snapshots, one definition
// for every bot.Store: store/memory and store/postgres must write the same shapes (store/storetest
// reads them back), so neither keeps its own copy.
package audit

import (
	"encoding/json"
	"time"

	"github.com/planbot/planbot/bot"
)

// Snapshot is one before or after value of an audit entry, rendered by Text.
type Snapshot = map[string]any

// Text renders a snapshot as JSON text; nil (no before, or no after) is "".
func Text(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(err.Error())
	}
	return string(b)
}

// Nullable is s, or nil (JSON null) when s is empty.
func Nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Team is the snapshot of a team's settings.
func Team(t bot.Team) Snapshot {
	return Snapshot{"name": t.Name, "time_zone": t.TimeZone, "digest_cron": t.DigestCron, "group_target": t.GroupTarget,
		"parent_id": t.ParentID, "removed": t.Removed}
}

// Member is the snapshot of a member.
func Member(m bot.Member) Snapshot {
	return Snapshot{"userid": m.UserID, "name": m.Name, "role": string(m.Role), "active": m.Active}
}

// Plan is the snapshot of an imported plan (the import entry adds its counts).
func Plan(title string, year int, source, hash string) Snapshot {
	return Snapshot{"title": title, "year": year, "source": source, "hash": hash}
}

// Obligation is the snapshot of an obligation's content and state (not its completion).
func Obligation(t bot.Tracked) Snapshot {
	return Snapshot{
		"key": t.Key, "title": t.Title, "period": t.Period, "rule": string(t.Rule),
		"start": Nullable(t.Start.String()), "due": t.Due.String(), "line": t.Line,
		"retired": t.Retired, "before_tracking": t.BeforeTracking,
	}
}

// Assignee is the snapshot of an obligation's assignee ("" is null: unassigned).
func Assignee(userID string) Snapshot {
	return Snapshot{"assignee": Nullable(userID)}
}

// Completion is the snapshot of a completion; the undo fields only once it is undone.
func Completion(c bot.Completion) Snapshot {
	m := Snapshot{"by": c.By, "at": c.At, "note": c.Note}
	if !c.UndoneAt.IsZero() {
		m["undone_by"], m["undone_at"] = c.UndoneBy, c.UndoneAt
	}
	return m
}

// FigureVoid returns the before and after snapshots of voiding a figure.
func FigureVoid(actor string, at time.Time) (before, after Snapshot) {
	return Snapshot{"void": false}, Snapshot{"void": true, "voided_by": actor, "voided_at": at}
}

// Switch is the snapshot of the unit a person chose with 切换 (nil: none).
func Switch(teamID int64) any {
	if teamID == 0 {
		return nil
	}
	return Snapshot{"team_id": teamID}
}
