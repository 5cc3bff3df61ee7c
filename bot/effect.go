package bot

import (
	"errors"
	"strconv"
	"sync"
)

// An inbound message may be delivered more than once: WeCom retries a callback it got no
// answer to (a crash mid-command, a slow answer), and Redis, which remembers answered ids, can
// lose them (a restart without persistence, a failover). So the durable record that a message
// took effect is written by the store in the same transaction as the effect itself: a retry
// finds it and applies nothing a second time, and a retry after a crash that rolled the effect
// back finds nothing and applies it once.
//
// Effect is what a Store's Complete, Undo, AddFigure, VoidFigure, Assign and AddObligation take
// to do that: the effect's durable key (Request.Effect hands it out) and, for Undo, whether only
// the actor's own completion may be undone. The zero Effect (the terminal, the schedule, an
// import) records nothing and restricts nothing.
type Effect struct {
	// Key is the durable key of the effect: "message id|op|target#n" (see Request.Effect);
	// "" records nothing.
	Key string
	// OnlyOwn makes Undo undo only a completion the actor made, checked by the store in the
	// same statement or lock as the undo: between the list a staff member read and the 撤销,
	// the completion may have been undone and made again by someone else. Other methods
	// ignore it.
	OnlyOwn bool
}

// Effects numbers the effects of one inbound message, so that a retry, which runs the same
// command and makes the same store calls in the same order, finds the same keys. The router
// gives each Request one (Request.Effect); a copy of the Request shares it.
type Effects struct {
	mu sync.Mutex
	n  map[string]int
}

// Effect returns the effect of the message req answers, for the store: its durable key when
// the edge set MsgID, else the zero Effect. op names the kind of effect ("complete",
// "figure"), target what it applies to (an obligation key, a figure id; "" for a new figure).
// The n-th call with the same op and target for one message gets "#n": a retry makes the same
// calls in the same order and so finds the same keys, while the calls of a retry that are
// skipped (an item already shown as done) shift nothing.
func (req *Request) Effect(op, target string) Effect {
	if req.MsgID == "" {
		return Effect{}
	}
	if req.Effects == nil {
		req.Effects = &Effects{}
	}
	e := req.Effects
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.n == nil {
		e.n = map[string]int{}
	}
	k := op + "|" + target
	e.n[k]++
	return Effect{Key: req.MsgID + "|" + k + "#" + strconv.Itoa(e.n[k])}
}

// Count reports how many effects were handed out (0 for a command that only read).
func (e *Effects) Count() int {
	if e == nil {
		return 0
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, c := range e.n {
		n += c
	}
	return n
}

// NotOwnCompletion is Store.Undo's error under Effect.OnlyOwn when the live completion is
// someone else's (by, a userid; errors.As finds a *NotOwnError).
func NotOwnCompletion(by string) error {
	return &Error{Code: EFORBIDDEN, Err: &NotOwnError{By: by},
		Message: "这项现在是" + by + "完成的，只有本人或主管可以撤销。"}
}

// NotOwnError names who made the live completion an Undo under Effect.OnlyOwn refused to
// undo. It is ErrForbiddenUndo (errors.Is).
type NotOwnError struct{ By string }

func (e *NotOwnError) Error() string { return "completion made by " + e.By }

// Is makes a NotOwnError match ErrForbiddenUndo.
func (e *NotOwnError) Is(target error) bool { return target == ErrForbiddenUndo }

// ErrForbiddenUndo is what NotOwnCompletion's error is.
var ErrForbiddenUndo = errors.New("completion made by someone else")
