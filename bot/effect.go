package bot

import (
	"context"
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
// WithMessage marks ctx as handling the inbound message id; a Store's Complete, Undo, AddFigure
// and VoidFigure then key their effect by EffectKey. An empty id leaves ctx unchanged.
func WithMessage(ctx context.Context, id string) context.Context {
	if id == "" {
		return ctx
	}
	return context.WithValue(ctx, msgKey{}, &msgEffects{id: id, n: map[string]int{}})
}

// MessageOf returns the inbound message id WithMessage set ("" when none).
func MessageOf(ctx context.Context) string {
	if m, ok := ctx.Value(msgKey{}).(*msgEffects); ok {
		return m.id
	}
	return ""
}

type msgKey struct{}

type msgEffects struct {
	id string
	mu sync.Mutex
	n  map[string]int
}

// EffectKey returns the durable key of one effect of the message in ctx, "" when ctx carries
// none (a command typed at the terminal, the schedule). op names the kind of effect
// ("complete", "figure"), target what it applies to (an obligation key, a figure id; "" for a
// new figure). The n-th call with the same op and target in one ctx gets "#n": a retry that
// runs the same command makes the same calls in the same order and so finds the same keys,
// while the calls of a retry that are skipped (an item already shown as done) shift nothing.
func EffectKey(ctx context.Context, op, target string) string {
	m, ok := ctx.Value(msgKey{}).(*msgEffects)
	if !ok {
		return ""
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := op + "|" + target
	m.n[k]++
	return m.id + "|" + k + "#" + strconv.Itoa(m.n[k])
}

// OnlyOwn marks ctx so that Store.Undo undoes only a completion the actor made, checked by the
// store in the same statement or lock as the undo: between the list a staff member read and
// the 撤销, the completion may have been undone and made again by someone else.
func OnlyOwn(ctx context.Context) context.Context { return context.WithValue(ctx, ownKey{}, true) }

// IsOnlyOwn reports whether OnlyOwn marked ctx.
func IsOnlyOwn(ctx context.Context) bool { v, _ := ctx.Value(ownKey{}).(bool); return v }

type ownKey struct{}

// NotOwnCompletion is Store.Undo's error under OnlyOwn when the live completion is someone
// else's.
func NotOwnCompletion(by string) error {
	return &Error{Code: EFORBIDDEN, Err: ErrForbiddenUndo,
		Message: "这项现在是" + by + "完成的，只有本人或主管可以撤销。"}
}

// ErrForbiddenUndo is wrapped by NotOwnCompletion.
var ErrForbiddenUndo = errors.New("completion made by someone else")
