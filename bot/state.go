package bot

import (
	"context"
	"time"
)

// Dialog is a pending multi-step conversation of one user (e.g. 完成 without a number).
type Dialog struct {
	Command string            `json:"command"` // the command name that owns the dialog
	Step    string            `json:"step"`
	Data    map[string]string `json:"data,omitempty"`
	// Other is set by the router, on the copy handed to a Command.Continue of a command with
	// AnswersCommands, to the other command the message names ("5月" names the month list); the
	// handler then takes the message only if it clearly answers, else returns ErrLeaveDialog so
	// that the other command runs. Never saved.
	Other string `json:"-"`
}

// State is short-lived conversation state (Redis in production, miniredis in the demo).
// Absent values are reported as ok=false, never as errors. Implemented by store/redisstate.
type State interface {
	// Dialog returns the user's pending dialog.
	Dialog(ctx context.Context, team, user string) (d Dialog, ok bool, err error)
	// SetDialog saves the user's pending dialog with the configured TTL (default 10 minutes).
	SetDialog(ctx context.Context, team, user string, d Dialog) error
	// ClearDialog drops the user's pending dialog.
	ClearDialog(ctx context.Context, team, user string) error
	// SaveList remembers the obligation keys of the last numbered list the user was shown.
	SaveList(ctx context.Context, team, user string, keys []string) error
	// List returns the keys of the last list the user was shown (index 0 is item 1).
	List(ctx context.Context, team, user string) (keys []string, ok bool, err error)
	// FirstSeen records an inbound message id for ttl; false when it was seen before (SET NX EX).
	// Callers record a message once it was answered (its effect committed), never before:
	// see Seen.
	FirstSeen(ctx context.Context, id string, ttl time.Duration) (bool, error)
	// Seen reports whether id was recorded with FirstSeen (and has not expired). It records
	// nothing: a message checked with Seen and then lost in a crash is applied by its retry.
	Seen(ctx context.Context, id string) (bool, error)
	// Allow counts one message of the user against the rate limit; false when over it.
	Allow(ctx context.Context, team, user string) (bool, error)
	// Turn is Allow and Dialog for one message of a member, in one round trip: the router
	// asks both of every message.
	Turn(ctx context.Context, team, user string) Turn
}

// Turn is what State.Turn reads for one message: Allow's answer and Dialog's, each with its
// own error.
type Turn struct {
	Allowed   bool
	AllowErr  error
	Dialog    Dialog
	HasDialog bool
	DialogErr error
}

// TurnOf is State.Turn as two calls, Allow then Dialog, for a State without a cheaper way.
func TurnOf(ctx context.Context, s State, team, user string) Turn {
	var t Turn
	t.Allowed, t.AllowErr = s.Allow(ctx, team, user)
	t.Dialog, t.HasDialog, t.DialogErr = s.Dialog(ctx, team, user)
	return t
}
