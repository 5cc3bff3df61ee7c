// Package redisstate keeps planbot's short-lived conversation state in Redis (go-redis v9):
// pending dialogs, the numbering of the last list each user saw, de-duplication of inbound
// message ids, a per-user rate limit, send pacing and the WeCom access-token cache.
//
// Every key lives under a configurable prefix and carries a TTL, so a Redis full of planbot
// keys empties itself. redis.Nil means "absent" and is never returned as an error.
// Degrade wraps a State so the bot keeps answering while Redis is down.
package redisstate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/redis/go-redis/v9"
)

// Defaults applied by New to zero Options fields.
const (
	DefaultPrefix        = "planbot:"
	DefaultDialogTTL     = 10 * time.Minute
	DefaultListTTL       = 24 * time.Hour
	DefaultRatePerMinute = 20
	// DefaultSeenTTL is used by FirstSeen when it is given a ttl <= 0: no key lives forever.
	DefaultSeenTTL = 24 * time.Hour
)

// Options configures a State. Zero fields take the defaults above.
type Options struct {
	Prefix        string        // key prefix, default "planbot:"
	DialogTTL     time.Duration // lifetime of a pending dialog, default 10 minutes
	ListTTL       time.Duration // lifetime of the last-list numbering, default 24 hours
	RatePerMinute int           // messages per user per minute, default 20; negative disables the limit
}

func (o Options) withDefaults() Options {
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.DialogTTL <= 0 {
		o.DialogTTL = DefaultDialogTTL
	}
	if o.ListTTL <= 0 {
		o.ListTTL = DefaultListTTL
	}
	if o.RatePerMinute == 0 {
		o.RatePerMinute = DefaultRatePerMinute
	}
	return o
}

// State is bot.State on Redis. It is safe for concurrent use by many goroutines and replicas.
type State struct {
	c redis.UniversalClient
	o Options
}

var _ bot.State = (*State)(nil)

// New returns a State over c. The caller owns c (and closes it).
func New(c redis.UniversalClient, o Options) *State {
	return &State{c: c, o: o.withDefaults()}
}

// Options returns the effective options (defaults filled in).
func (s *State) Options() Options { return s.o }

// Ping reports whether Redis answers; for readiness probes.
func (s *State) Ping(ctx context.Context) error {
	return s.c.Ping(ctx).Err()
}

// esc makes a key component unambiguous: the separator ':' and the cluster hash-tag braces
// cannot appear raw, so ("a:b","c") and ("a","b:c") never share a key.
var esc = strings.NewReplacer("%", "%25", ":", "%3A", "{", "%7B", "}", "%7D").Replace

func (s *State) key(kind string, parts ...string) string {
	var b strings.Builder
	b.WriteString(s.o.Prefix)
	b.WriteString(kind)
	for _, p := range parts {
		b.WriteByte(':')
		b.WriteString(esc(p))
	}
	return b.String()
}

// Dialog returns the user's pending dialog. A value that does not decode is treated as absent
// (state is disposable; a broken dialog must not block the user until it expires).
func (s *State) Dialog(ctx context.Context, team, user string) (bot.Dialog, bool, error) {
	return dialogOf(s.c.Get(ctx, s.key("dialog", team, user)))
}

// dialogOf decodes the answer to a GET of a dialog key (see Dialog).
func dialogOf(get *redis.StringCmd) (bot.Dialog, bool, error) {
	var d bot.Dialog
	b, err := get.Bytes()
	if errors.Is(err, redis.Nil) {
		return d, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("redisstate: get dialog: %w", err)
	}
	if json.Unmarshal(b, &d) != nil {
		return bot.Dialog{}, false, nil
	}
	return d, true, nil
}

// SetDialog saves the user's pending dialog for Options.DialogTTL.
func (s *State) SetDialog(ctx context.Context, team, user string, d bot.Dialog) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("redisstate: encode dialog: %w", err)
	}
	if err := s.c.Set(ctx, s.key("dialog", team, user), b, s.o.DialogTTL).Err(); err != nil {
		return fmt.Errorf("redisstate: set dialog: %w", err)
	}
	return nil
}

// ClearDialog drops the user's pending dialog; clearing an absent dialog is not an error.
func (s *State) ClearDialog(ctx context.Context, team, user string) error {
	if err := s.c.Del(ctx, s.key("dialog", team, user)).Err(); err != nil {
		return fmt.Errorf("redisstate: clear dialog: %w", err)
	}
	return nil
}

// SaveList remembers the keys of the last numbered list the user saw, for Options.ListTTL.
// An empty list is kept as such (ok=true, no keys), so "完成 3" after it is out of range.
func (s *State) SaveList(ctx context.Context, team, user string, keys []string) error {
	if keys == nil {
		keys = []string{}
	}
	b, err := json.Marshal(keys)
	if err != nil {
		return fmt.Errorf("redisstate: encode list: %w", err)
	}
	if err := s.c.Set(ctx, s.key("list", team, user), b, s.o.ListTTL).Err(); err != nil {
		return fmt.Errorf("redisstate: save list: %w", err)
	}
	return nil
}

// List returns the keys of the last list the user saw (index 0 is item 1). An undecodable
// value is treated as absent.
func (s *State) List(ctx context.Context, team, user string) ([]string, bool, error) {
	b, err := s.c.Get(ctx, s.key("list", team, user)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("redisstate: get list: %w", err)
	}
	var keys []string
	if json.Unmarshal(b, &keys) != nil || keys == nil {
		return nil, false, nil
	}
	return keys, true, nil
}

// FirstSeen records an inbound message id for ttl (SET NX EX) and reports whether it is new.
// A ttl <= 0 means DefaultSeenTTL.
func (s *State) FirstSeen(ctx context.Context, id string, ttl time.Duration) (bool, error) {
	if ttl <= 0 {
		ttl = DefaultSeenTTL
	}
	first, err := s.c.SetNX(ctx, s.key("seen", id), "1", ttl).Result()
	if err != nil {
		return false, fmt.Errorf("redisstate: first seen: %w", err)
	}
	return first, nil
}

// Seen reports whether FirstSeen recorded id (EXISTS); it records nothing.
func (s *State) Seen(ctx context.Context, id string) (bool, error) {
	n, err := s.c.Exists(ctx, s.key("seen", id)).Result()
	if err != nil {
		return false, fmt.Errorf("redisstate: seen: %w", err)
	}
	return n > 0, nil
}

// allowScript counts one hit in a fixed window that starts at the window's first hit and lasts
// ARGV[1] ms. The expiry is set in the same atomic step as the first INCR, and re-armed if the
// key somehow lost it, so a counter can never outlive its window and block a user for good.
var allowScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n
`)

// rateWindow is the length of the rate-limit window.
const rateWindow = time.Minute

// Allow counts one message of the user and reports whether it is within Options.RatePerMinute.
// The window is fixed: it opens at the user's first message and lasts one minute of Redis time,
// so no user gets more than RatePerMinute messages through in any window, however many replicas.
func (s *State) Allow(ctx context.Context, team, user string) (bool, error) {
	if s.o.RatePerMinute < 0 {
		return true, nil
	}
	n, err := allowScript.Run(ctx, s.c, []string{s.key("rate", team, user)}, rateWindow.Milliseconds()).Int64()
	if err != nil {
		return false, fmt.Errorf("redisstate: rate limit: %w", err)
	}
	return n <= int64(s.o.RatePerMinute), nil
}

// Turn is Allow and Dialog in one pipeline (one round trip; a cluster client splits it by
// node). A Redis that lost the script (NOSCRIPT) gets it loaded by Allow, one more trip.
func (s *State) Turn(ctx context.Context, team, user string) bot.Turn {
	if s.o.RatePerMinute < 0 {
		t := bot.Turn{Allowed: true}
		t.Dialog, t.HasDialog, t.DialogErr = s.Dialog(ctx, team, user)
		return t
	}
	var rate *redis.Cmd
	var get *redis.StringCmd
	_, _ = s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		rate = allowScript.EvalSha(ctx, p, []string{s.key("rate", team, user)}, rateWindow.Milliseconds())
		get = p.Get(ctx, s.key("dialog", team, user))
		return nil
	})
	var t bot.Turn
	n, err := rate.Int64()
	switch {
	case err != nil && redis.HasErrorPrefix(err, "NOSCRIPT"):
		t.Allowed, t.AllowErr = s.Allow(ctx, team, user)
	case err != nil:
		t.AllowErr = fmt.Errorf("redisstate: rate limit: %w", err)
	default:
		t.Allowed = n <= int64(s.o.RatePerMinute)
	}
	t.Dialog, t.HasDialog, t.DialogErr = dialogOf(get)
	return t
}
