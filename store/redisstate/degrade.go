package redisstate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/redis/go-redis/v9"
)

// DegradeOptions tunes Degrade. Zero fields take the defaults noted.
type DegradeOptions struct {
	// Now is the clock; time.Now by default (this wrapper sits at the edge, in wiring).
	Now func() time.Time
	// Cooldown is how long Redis is skipped after an error before it is tried again, so a down
	// Redis costs one timeout per Cooldown instead of one per call. Default 5s.
	Cooldown time.Duration
	// Grace is how long after the last Redis error FirstSeen also asks the fallback when Redis
	// says "first", catching WeCom retries of messages recorded only in PostgreSQL during the
	// outage. Default 2 minutes.
	Grace time.Duration
	// LogEvery is the minimum gap between two warning lines. Default 1 minute.
	LogEvery time.Duration
}

// Degrade wraps s for when Redis is down. On an error from s (other than redis.Nil, which is
// "absent", and other than the caller's own context ending):
//
//   - Dialog and List report absent (ok=false, nil error): no dialog is resumed, no list known;
//   - SetDialog returns an error wrapping bot.ErrUnavailable, because a follow-up question whose
//     answer cannot be remembered should not be asked: the router may ignore it or, better,
//     answer with the full command syntax instead of asking;
//   - SaveList and ClearDialog succeed silently: the list is still worth showing, and a dialog
//     that cannot be read is as good as cleared;
//   - FirstSeen falls back to seen (the store's processed-message table); seen == nil means
//     every message counts as first;
//   - Allow returns true (the rate limit is open).
//
// It logs one warning line per LogEvery (with how many failures it swallowed), never panics,
// and after an error skips Redis for a Cooldown. See DegradeWith for the knobs.
func Degrade(s bot.State, seen func(ctx context.Context, id string) (bool, error), log *slog.Logger) bot.State {
	return DegradeWith(s, seen, log, DegradeOptions{})
}

// DegradeWith is Degrade with explicit options (a clock for tests, cooldown, grace, log rate).
func DegradeWith(s bot.State, seen func(ctx context.Context, id string) (bool, error), log *slog.Logger, o DegradeOptions) *Degraded {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Cooldown <= 0 {
		o.Cooldown = 5 * time.Second
	}
	if o.Grace <= 0 {
		o.Grace = 2 * time.Minute
	}
	if o.LogEvery <= 0 {
		o.LogEvery = time.Minute
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Degraded{s: s, seen: seen, log: log, o: o}
}

// Degraded is the bot.State returned by DegradeWith.
type Degraded struct {
	s    bot.State
	seen func(ctx context.Context, id string) (bool, error)
	log  *slog.Logger
	o    DegradeOptions

	mu         sync.Mutex
	lastErr    time.Time // when s last failed; zero if never
	skipUntil  time.Time // s is not called before this
	lastLog    time.Time
	suppressed int  // failures since the last warning line
	down       bool // a warning was logged and no recovery since
}

var _ bot.State = (*Degraded)(nil)

// Down reports whether Redis is currently being skipped (for /readyz and metrics).
func (d *Degraded) Down() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.o.Now().Before(d.skipUntil)
}

// use reports whether to call s now.
func (d *Degraded) use() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.o.Now().Before(d.skipUntil) {
		d.suppressed++
		d.maybeLogLocked(nil)
		return false
	}
	return true
}

// failed classifies err from s: false when it is no Redis failure (nil, redis.Nil, or the
// caller's context ended), true when the fallback must answer.
func (d *Degraded) failed(ctx context.Context, op string, err error) bool {
	if err == nil || errors.Is(err, redis.Nil) {
		d.ok()
		return false
	}
	if ctx.Err() != nil {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.o.Now()
	d.lastErr = now
	d.skipUntil = now.Add(d.o.Cooldown)
	d.suppressed++
	d.maybeLogLocked(fmt.Errorf("%s: %w", op, err))
	return true
}

func (d *Degraded) ok() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.down {
		d.down = false
		d.log.Info("redis is back; conversation state restored", "swallowed", d.suppressed)
		d.suppressed = 0
	}
}

func (d *Degraded) maybeLogLocked(err error) {
	now := d.o.Now()
	if d.down && now.Sub(d.lastLog) < d.o.LogEvery {
		return
	}
	attrs := []any{"swallowed", d.suppressed, "retry_in", d.skipUntil.Sub(now).String()}
	if err != nil {
		attrs = append(attrs, "err", err.Error())
	}
	d.log.Warn("redis unavailable: no dialogs, de-duplication via the store, rate limit open", attrs...)
	d.lastLog = now
	d.suppressed = 0
	d.down = true
}

// inGrace reports whether the last Redis failure is recent enough to double-check FirstSeen.
func (d *Degraded) inGrace() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return !d.lastErr.IsZero() && d.o.Now().Sub(d.lastErr) < d.o.Grace
}

// Dialog returns the pending dialog, or absent while Redis is down.
func (d *Degraded) Dialog(ctx context.Context, team, user string) (bot.Dialog, bool, error) {
	if !d.use() {
		return bot.Dialog{}, false, nil
	}
	dl, ok, err := d.s.Dialog(ctx, team, user)
	if d.failed(ctx, "dialog", err) || errors.Is(err, redis.Nil) {
		return bot.Dialog{}, false, nil
	}
	return dl, ok, err
}

// SetDialog saves the dialog; while Redis is down it returns an error wrapping bot.ErrUnavailable.
func (d *Degraded) SetDialog(ctx context.Context, team, user string, dl bot.Dialog) error {
	if !d.use() {
		return fmt.Errorf("redisstate: dialog not saved: %w", bot.ErrUnavailable)
	}
	err := d.s.SetDialog(ctx, team, user, dl)
	if d.failed(ctx, "set dialog", err) {
		return fmt.Errorf("redisstate: dialog not saved: %w: %w", bot.ErrUnavailable, err)
	}
	return err
}

// ClearDialog drops the dialog; while Redis is down it does nothing and succeeds.
func (d *Degraded) ClearDialog(ctx context.Context, team, user string) error {
	if !d.use() {
		return nil
	}
	err := d.s.ClearDialog(ctx, team, user)
	if d.failed(ctx, "clear dialog", err) {
		return nil
	}
	return err
}

// SaveList remembers the list; while Redis is down it does nothing and succeeds.
func (d *Degraded) SaveList(ctx context.Context, team, user string, keys []string) error {
	if !d.use() {
		return nil
	}
	err := d.s.SaveList(ctx, team, user, keys)
	if d.failed(ctx, "save list", err) {
		return nil
	}
	return err
}

// errListDown is List's answer while Redis is down: the numbers of the list a user last saw
// are unknown, and guessing them (e.g. from today's digest) would mark the wrong item done.
var errListDown = fmt.Errorf("redisstate: list numbering unknown while Redis is down: %w", bot.ErrUnavailable)

// List returns the last list; while Redis is down an error wrapping bot.ErrUnavailable, so
// the caller refuses "完成 3" instead of guessing what 3 was.
func (d *Degraded) List(ctx context.Context, team, user string) ([]string, bool, error) {
	if !d.use() {
		return nil, false, errListDown
	}
	keys, ok, err := d.s.List(ctx, team, user)
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if d.failed(ctx, "list", err) {
		return nil, false, errListDown
	}
	return keys, ok, err
}

// FirstSeen de-duplicates in Redis, falling back to seen while Redis is down. Shortly after an
// outage (Grace) a "first" from Redis is confirmed with seen as well, since the message may have
// been recorded only there.
func (d *Degraded) FirstSeen(ctx context.Context, id string, ttl time.Duration) (bool, error) {
	if d.use() {
		first, err := d.s.FirstSeen(ctx, id, ttl)
		switch {
		case d.failed(ctx, "first seen", err) || errors.Is(err, redis.Nil):
			// fall back below
		case err != nil:
			return false, err // the caller's context ended
		case first && d.inGrace():
			// confirm below
		default:
			return first, nil
		}
	}
	return d.fallbackSeen(ctx, id)
}

// Seen asks Redis whether id was answered; while Redis is down it answers false (nil error):
// the message is dispatched, and its effects are de-duplicated by the store, which records
// them with the message id in their own transaction (bot.Request.MsgID).
func (d *Degraded) Seen(ctx context.Context, id string) (bool, error) {
	if !d.use() {
		return false, nil
	}
	seen, err := d.s.Seen(ctx, id)
	if d.failed(ctx, "seen", err) {
		return false, nil
	}
	return seen, err
}

func (d *Degraded) fallbackSeen(ctx context.Context, id string) (bool, error) {
	if d.seen == nil {
		return true, nil
	}
	first, err := d.seen(ctx, id)
	if err != nil {
		return false, fmt.Errorf("redisstate: fallback de-duplication: %w", err)
	}
	return first, nil
}

// Allow applies the rate limit, or allows everything while Redis is down.
func (d *Degraded) Allow(ctx context.Context, team, user string) (bool, error) {
	if !d.use() {
		return true, nil
	}
	ok, err := d.s.Allow(ctx, team, user)
	if d.failed(ctx, "rate limit", err) {
		return true, nil
	}
	return ok, err
}

// Turn is Allow and Dialog in one round trip, each degraded as Allow and Dialog are: while
// Redis is down the rate limit is open and no dialog is pending.
func (d *Degraded) Turn(ctx context.Context, team, user string) bot.Turn {
	open := bot.Turn{Allowed: true}
	if !d.use() {
		return open
	}
	t := d.s.Turn(ctx, team, user)
	allowDown := d.failed(ctx, "rate limit", t.AllowErr)
	dialogDown := d.failed(ctx, "dialog", t.DialogErr) || errors.Is(t.DialogErr, redis.Nil)
	if allowDown {
		t.Allowed, t.AllowErr = true, nil
	}
	if dialogDown {
		t.Dialog, t.HasDialog, t.DialogErr = bot.Dialog{}, false, nil
	}
	return t
}

// DriverLog adapts log for go-redis's own logger, at debug level, so that a down Redis does
// not print a line per failed dial beside Degrade's one warning a minute. go-redis's logger is a
// process global: the wiring calls redis.SetLogger(redisstate.DriverLog(log)) once at start.
func DriverLog(log *slog.Logger) interface {
	Printf(ctx context.Context, format string, v ...any)
} {
	return driverLog{log}
}

type driverLog struct{ log *slog.Logger }

func (l driverLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
}
