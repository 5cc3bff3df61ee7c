package bot

import (
	"context"
	"time"
)

// ImportOptions says how a parsed plan enters a team's store.
type ImportOptions struct {
	Source    string    // file name as given
	Hash      string    // hex sha256 of the document bytes
	Actor     string    // userid or "cli"
	Today     Date      // obligations due before Today are BeforeTracking unless TrackPast
	TrackPast bool      // track obligations already past at import
	At        time.Time // instant of the import
	// Origin tells a unit's plans of one year apart: "" is the unit's own plan; a plan cascaded
	// from the units above has CascadeOrigin of the unit the import started at. Re-importing a
	// plan diffs it against the plan of the same team, year and origin only.
	Origin string
}

// ImportResult summarises an import: printed as "+3 new, ~1 changed, -2 retired".
type ImportResult struct {
	PlanID    int64
	New       int
	Changed   int
	Retired   int
	Unchanged int
}

// AuditEntry is one line of the audit trail: who did what, when, before and after (JSON text).
type AuditEntry struct {
	ID     int64
	TeamID int64
	Actor  string
	Action string // e.g. "complete", "undo", "assign", "import", "member.add", "figure.add", "figure.void"
	Target string // obligation key, userid, figure id
	Before string
	After  string
	At     time.Time
}

// Store keeps everything that must not be lost. Implemented by store/postgres and store/memory,
// both checked by store/storetest. Errors wrap the sentinels ErrNotFound, ErrAlreadyDone,
// ErrNotDone and ErrUnavailable (a backing service is down). Every change writes an AuditEntry
// in the same transaction.
type Store interface {
	// EnsureTeam returns the team called name, creating it (with defaults) on first use.
	EnsureTeam(ctx context.Context, name string) (Team, error)
	// AddTeam creates a unit with t's settings and parent (ParentID 0: a root) and returns it.
	// ECONFLICT when the name is taken, EINVALID for a bad name or an unknown or removed parent.
	AddTeam(ctx context.Context, actor string, t Team) (Team, error)
	// PutUnits creates or updates the units of an import file in one transaction: all of them,
	// or none and RowErrors naming every bad row (see PlanUnits). It returns how many units were
	// added and how many changed.
	PutUnits(ctx context.Context, actor string, specs []UnitSpec) (added, changed int, err error)
	// PutMembers adds or updates members in one transaction: all of them, or none (RowErrors
	// naming every bad row, ErrNotFound for an unknown team). It returns how many were added
	// and how many changed.
	PutMembers(ctx context.Context, actor string, ms []Member) (added, changed int, err error)
	// Teams lists all teams, removed ones included, by id.
	Teams(ctx context.Context) ([]Team, error)
	// UpdateTeam saves a team's settings (time zone, digest schedule, group target, parent,
	// removed). EINVALID for a parent that would make a cycle, is unknown or removed, and for
	// removing a unit that still has live units below it.
	UpdateTeam(ctx context.Context, t Team) error

	// PutMember adds a member or updates name, role and active state.
	PutMember(ctx context.Context, actor string, m Member) error
	// RemoveMember deactivates a member (kept for history). ErrNotFound if unknown.
	RemoveMember(ctx context.Context, actor string, teamID int64, userID string) error
	// Member returns one member (active or not). ErrNotFound if unknown.
	Member(ctx context.Context, teamID int64, userID string) (Member, error)
	// Members lists a team's members, active and inactive, by userid.
	Members(ctx context.Context, teamID int64) ([]Member, error)
	// Memberships lists a person's active memberships in every unit, by team id, and the unit
	// they chose with 切换 (0: none), in one read: each inbound message is routed by it.
	Memberships(ctx context.Context, userID string) (ms []Member, current int64, err error)
	// SetCurrentUnit records the unit a person chose to work in (切换); teamID 0 forgets the
	// choice. ErrNotFound for an unknown team. The audit entry is the chosen unit's.
	SetCurrentUnit(ctx context.Context, userID string, teamID int64, at time.Time) error

	// ImportPlan stores a parsed plan for the team, in one transaction. A plan is identified by
	// (team, year, opt.Origin): re-importing the same year diffs by obligation key — same key and same
	// content is unchanged, same key with changed title/dates is updated, new keys are added,
	// keys no longer present are retired (completions kept). Identical content changes nothing.
	ImportPlan(ctx context.Context, teamID int64, p Plan, opt ImportOptions) (ImportResult, error)
	// Obligations lists the team's obligations with assignee and live completion, ordered by
	// due date then line then key; retired ones only when includeRetired.
	Obligations(ctx context.Context, teamID int64, includeRetired bool) ([]Tracked, error)
	// TeamView is Obligations and Members of one team, read together: the lists and the
	// confirmations that name who did what need both (store/postgres checks its cached copies
	// against the team's write counters once for the two).
	TeamView(ctx context.Context, teamID int64, includeRetired bool) ([]Tracked, []Member, error)
	// AddObligation adds a hand-made obligation (no plan). Its Key must be set by the caller.
	// The methods that take an Effect record eff.Key with the effect, in its transaction; for
	// a key recorded before they write nothing and answer as the first call did (see Effect).
	AddObligation(ctx context.Context, teamID int64, actor string, o Obligation, at time.Time, eff Effect) (Tracked, error)
	// Assign sets (or with "" clears) the assignee of an obligation. ErrNotFound if no such key.
	Assign(ctx context.Context, teamID int64, actor, key, assignee string, at time.Time, eff Effect) error
	// Complete records a completion. ErrAlreadyDone when a live completion exists; ErrNotFound.
	Complete(ctx context.Context, teamID int64, actor, key, note string, at time.Time, eff Effect) error
	// Undo marks the live completion undone (never deletes). ErrNotDone when open; ErrNotFound;
	// under eff.OnlyOwn, NotOwnCompletion when the live completion is someone else's.
	Undo(ctx context.Context, teamID int64, actor, key string, at time.Time, eff Effect) error
	// Completions lists the whole completion history, oldest first.
	Completions(ctx context.Context, teamID int64) ([]Completion, error)

	// AddFigure records a figure and returns it with ID set.
	AddFigure(ctx context.Context, f Figure, eff Effect) (Figure, error)
	// VoidFigure voids a figure (kept in history). ErrNotFound; ErrAlreadyDone if already void.
	VoidFigure(ctx context.Context, teamID, id int64, actor string, at time.Time, eff Effect) error
	// Figures lists figures matching the filter, oldest first.
	Figures(ctx context.Context, teamID int64, f FigureFilter) ([]Figure, error)

	// RecordReply keeps the reply to an inbound message that took effect (msgID is
	// Request.MsgID), so that WeCom's retry of it after a crash that cut the answer off is
	// answered as the first delivery was (RecordedReply), not from a state the first delivery
	// changed. A second record of the same id keeps the first. Pruned with the message ids.
	RecordReply(ctx context.Context, msgID string, r Reply, at time.Time) error
	// RecordedReply returns the reply RecordReply kept for msgID; ok false when none.
	RecordedReply(ctx context.Context, msgID string) (r Reply, ok bool, err error)
	// SeenMessage records an inbound message id; first is false when it was recorded before.
	SeenMessage(ctx context.Context, id string, at time.Time) (first bool, err error)
	// PruneMessages forgets the message ids first recorded before the instant before (WeCom
	// retries within seconds, so a few days of ids are plenty) and returns how many it removed.
	PruneMessages(ctx context.Context, before time.Time) (removed int64, err error)
	// AuditLog lists the team's audit trail, oldest first.
	AuditLog(ctx context.Context, teamID int64) ([]AuditEntry, error)

	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
}
