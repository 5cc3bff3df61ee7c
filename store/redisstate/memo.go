package redisstate

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// A chat command asks Redis, one round trip each: may this user send (Allow), is a dialog
// pending (Dialog), and for 完成/撤销 N which list did the user see (List). Within one command
// (WithCommandMemo) Allow sends all three in one pipeline and Dialog and List answer from it.

type memoKey struct{}

// commandMemo holds what Allow fetched for one user in one command.
type commandMemo struct {
	mu           sync.Mutex
	team, user   string
	dialog, list *redis.StringCmd // nil when not fetched, or dropped by a write
}

// WithCommandMemo returns a context in which Allow also fetches the user's dialog and list in
// the same round trip, and the next Dialog and List of that user answer from it. They see the
// values as of the Allow, as if they had run at that instant; SetDialog, ClearDialog and
// SaveList in the same context drop what they change, so the command sees its own writes. Use one
// per command, never for a long-lived context.
func WithCommandMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &commandMemo{})
}

func memoOf(ctx context.Context) *commandMemo {
	m, _ := ctx.Value(memoKey{}).(*commandMemo)
	return m
}

// allowAndPrefetch is Allow plus GET dialog and GET list in one pipeline. ok is false when the
// pipeline could not be used (the script is not loaded yet): the caller then runs the plain Allow.
func (s *State) allowAndPrefetch(ctx context.Context, m *commandMemo, team, user string) (n int64, ok bool, err error) {
	pipe := s.c.Pipeline()
	allow := allowScript.EvalSha(ctx, pipe, []string{s.key("rate", team, user)}, rateWindow.Milliseconds())
	dialog := pipe.Get(ctx, s.key("dialog", team, user))
	list := pipe.Get(ctx, s.key("list", team, user))
	_, _ = pipe.Exec(ctx) // errors are per command
	if err := allow.Err(); err != nil {
		if strings.HasPrefix(err.Error(), "NOSCRIPT") {
			return 0, false, nil
		}
		return 0, true, err
	}
	n, err = allow.Int64()
	if err != nil {
		return 0, true, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.team, m.user = team, user
	m.dialog, m.list = usable(dialog), usable(list)
	return n, true, nil
}

// usable keeps a prefetched GET unless it failed (a failure is retried live, so that errors are
// reported where they were before).
func usable(c *redis.StringCmd) *redis.StringCmd {
	if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
		return nil
	}
	return c
}

// prefetched returns the memo's GET for kind ("dialog" or "list") of team/user, if any.
func (m *commandMemo) prefetched(kind, team, user string) *redis.StringCmd {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.team != team || m.user != user {
		return nil
	}
	if kind == "dialog" {
		return m.dialog
	}
	return m.list
}

// forget drops the memo's kind for team/user after a write.
func (m *commandMemo) forget(kind, team, user string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.team != team || m.user != user {
		return
	}
	if kind == "dialog" {
		m.dialog = nil
	} else {
		m.list = nil
	}
}
