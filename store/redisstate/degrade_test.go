package redisstate

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/redis/go-redis/v9"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 6, 15, 8, 30, 0, 0, bot.Shanghai)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// seenTable is a fake of the store's processed-message table.
type seenTable struct {
	mu    sync.Mutex
	ids   map[string]bool
	calls int
	err   error
}

func (s *seenTable) Seen(_ context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.err != nil {
		return false, s.err
	}
	if s.ids == nil {
		s.ids = map[string]bool{}
	}
	first := !s.ids[id]
	s.ids[id] = true
	return first, nil
}

// logLines returns a logger writing text lines into buf.
func logLines(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, nil))
}

func countLevel(buf *bytes.Buffer, level string) int {
	return strings.Count(buf.String(), "level="+level)
}

// TestDegradedClosedPort points a real client at a closed port: every command still answers,
// fast, de-duplication goes through the fallback table, and one warning is logged per minute.
func TestDegradedClosedPort(t *testing.T) {
	s, c, err := Open("redis://127.0.0.1:1/0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	// Undegraded, the State reports errors (not absent, not a panic).
	if _, _, err := s.Dialog(ctx, "t", "u"); err == nil || errors.Is(err, redis.Nil) {
		t.Fatalf("raw Dialog on a closed port: err %v, want a connection error", err)
	}

	clk := newClock()
	var logs bytes.Buffer
	var seen seenTable
	d := DegradeWith(s, seen.Seen, logLines(&logs), DegradeOptions{Now: clk.Now})

	start := time.Now()
	for round := range 3 {
		if _, ok, err := d.Dialog(ctx, "t", "u"); ok || err != nil {
			t.Fatalf("Dialog = ok %v, err %v; want absent", ok, err)
		}
		if err := d.SetDialog(ctx, "t", "u", bot.Dialog{Command: "完成"}); !errors.Is(err, bot.ErrUnavailable) {
			t.Fatalf("SetDialog err = %v, want bot.ErrUnavailable", err)
		}
		if err := d.ClearDialog(ctx, "t", "u"); err != nil {
			t.Fatal(err)
		}
		if err := d.SaveList(ctx, "t", "u", []string{"a"}); err != nil {
			t.Fatal(err)
		}
		if keys, ok, err := d.List(ctx, "t", "u"); ok || !errors.Is(err, bot.ErrUnavailable) || keys != nil {
			t.Fatalf("List = %v %v %v; want bot.ErrUnavailable (numbers unknown)", keys, ok, err)
		}
		for range 30 {
			if ok, err := d.Allow(ctx, "t", "u"); !ok || err != nil {
				t.Fatalf("Allow = %v, %v; want open", ok, err)
			}
			if turn := d.Turn(ctx, "t", "u"); !turn.Allowed || turn.AllowErr != nil || turn.HasDialog || turn.DialogErr != nil {
				t.Fatalf("Turn = %+v; want open and no dialog", turn)
			}
		}
		// A message and WeCom's two retries: applied once.
		for i := range 3 {
			first, err := d.FirstSeen(ctx, "msg-"+string(rune('a'+round)), time.Hour)
			if err != nil || first != (i == 0) {
				t.Fatalf("round %d try %d: FirstSeen = %v, %v", round, i, first, err)
			}
		}
		clk.Add(6 * time.Second) // past the cooldown: Redis is tried (and fails) again
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("degraded calls took %v; a down Redis must fail fast", el)
	}
	if seen.calls != 9 {
		t.Errorf("fallback table asked %d times, want 9", seen.calls)
	}
	if n := countLevel(&logs, "WARN"); n != 1 {
		t.Errorf("%d warning lines within a minute, want 1:\n%s", n, logs.String())
	}
	clk.Add(time.Minute)
	_, _, _ = d.Dialog(ctx, "t", "u")
	if n := countLevel(&logs, "WARN"); n != 2 {
		t.Errorf("%d warning lines after another minute of outage, want 2", n)
	}
	if !d.Down() {
		t.Error("Down() = false during an outage")
	}
}

// TestDegradedFallbackError: with PostgreSQL down too, FirstSeen errors rather than guessing.
func TestDegradedFallbackError(t *testing.T) {
	s, c, _ := Open("redis://127.0.0.1:1/0", Options{})
	defer c.Close()
	seen := seenTable{err: bot.ErrUnavailable}
	d := Degrade(s, seen.Seen, nil)
	if _, err := d.FirstSeen(context.Background(), "m", time.Hour); !errors.Is(err, bot.ErrUnavailable) {
		t.Fatalf("FirstSeen err = %v, want bot.ErrUnavailable from the fallback", err)
	}
	d = Degrade(s, nil, nil)
	if first, err := d.FirstSeen(context.Background(), "m", time.Hour); !first || err != nil {
		t.Fatalf("no fallback: FirstSeen = %v, %v; want first", first, err)
	}
}

// fakeState is a bot.State whose every method returns err (or a canned answer) and counts calls.
type fakeState struct {
	mu    sync.Mutex
	calls int
	err   error
	first bool
}

func (f *fakeState) hit() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.err
}

func (f *fakeState) Dialog(context.Context, string, string) (bot.Dialog, bool, error) {
	err := f.hit()
	return bot.Dialog{Command: "x"}, err == nil, err
}
func (f *fakeState) SetDialog(context.Context, string, string, bot.Dialog) error { return f.hit() }
func (f *fakeState) ClearDialog(context.Context, string, string) error           { return f.hit() }
func (f *fakeState) SaveList(context.Context, string, string, []string) error    { return f.hit() }
func (f *fakeState) List(context.Context, string, string) ([]string, bool, error) {
	err := f.hit()
	return []string{"k"}, err == nil, err
}
func (f *fakeState) FirstSeen(context.Context, string, time.Duration) (bool, error) {
	return f.first, f.hit()
}
func (f *fakeState) Seen(context.Context, string) (bool, error)          { return !f.first, f.hit() }
func (f *fakeState) Allow(context.Context, string, string) (bool, error) { return false, f.hit() }
func (f *fakeState) Turn(ctx context.Context, team, user string) bot.Turn {
	return bot.TurnOf(ctx, f, team, user)
}

func TestDegradeCooldownAndRecovery(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	var logs bytes.Buffer
	inner := &fakeState{err: errors.New("dial tcp: connection refused")}
	d := DegradeWith(inner, nil, logLines(&logs), DegradeOptions{Now: clk.Now, Cooldown: 5 * time.Second})

	for range 10 {
		_, _, _ = d.Dialog(ctx, "t", "u")
	}
	if inner.calls != 1 {
		t.Fatalf("Redis tried %d times within the cooldown, want 1", inner.calls)
	}
	clk.Add(5 * time.Second)
	_, _, _ = d.Dialog(ctx, "t", "u")
	if inner.calls != 2 {
		t.Fatalf("Redis not retried after the cooldown (calls %d)", inner.calls)
	}

	// Redis comes back.
	inner.err = nil
	clk.Add(5 * time.Second)
	if dl, ok, err := d.Dialog(ctx, "t", "u"); !ok || err != nil || dl.Command != "x" {
		t.Fatalf("after recovery Dialog = %+v %v %v", dl, ok, err)
	}
	if ok, _ := d.Allow(ctx, "t", "u"); ok {
		t.Fatal("after recovery the rate limit must be Redis's again (fake says no)")
	}
	if countLevel(&logs, "INFO") != 1 || d.Down() {
		t.Fatalf("want one recovery line and Down()=false:\n%s", logs.String())
	}
}

func TestDegradeNilAndCancel(t *testing.T) {
	clk := newClock()
	inner := &fakeState{err: redis.Nil}
	d := DegradeWith(inner, nil, nil, DegradeOptions{Now: clk.Now})
	if _, ok, err := d.Dialog(context.Background(), "t", "u"); ok || err != nil {
		t.Fatalf("redis.Nil from the inner state: ok %v err %v, want absent", ok, err)
	}
	if d.Down() {
		t.Fatal("redis.Nil counted as an outage")
	}

	inner.err = context.Canceled
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := d.List(ctx, "t", "u"); !errors.Is(err, context.Canceled) {
		t.Fatalf("caller's cancel: err %v, want it passed through", err)
	}
	if d.Down() {
		t.Fatal("the caller's own cancel counted as an outage")
	}
}

// TestDegradeOutageAndRecoveryMiniredis stops and restarts a miniredis: a message first seen
// during the outage (recorded only in the fallback table) is still a duplicate when WeCom retries
// it just after Redis is back.
func TestDegradeOutageAndRecoveryMiniredis(t *testing.T) {
	ctx := context.Background()
	b := newMini(t)
	clk := newClock()
	var seen seenTable
	d := DegradeWith(b.state(Options{}), seen.Seen, nil, DegradeOptions{Now: clk.Now})

	if err := d.SaveList(ctx, "t", "u", []string{"k1", "k2"}); err != nil {
		t.Fatal(err)
	}
	if first, _ := d.FirstSeen(ctx, "before", time.Hour); !first || seen.calls != 0 {
		t.Fatalf("healthy Redis: first %v, fallback calls %d (want true, 0)", first, seen.calls)
	}

	b.m.Close()
	if _, ok, err := d.List(ctx, "t", "u"); ok || !errors.Is(err, bot.ErrUnavailable) {
		t.Fatalf("List during outage: ok %v err %v; want bot.ErrUnavailable", ok, err)
	}
	if first, err := d.FirstSeen(ctx, "during", time.Hour); !first || err != nil {
		t.Fatalf("FirstSeen during outage = %v, %v", first, err)
	}

	if err := b.m.Restart(); err != nil {
		t.Fatal(err)
	}
	clk.Add(10 * time.Second) // past the cooldown, inside the grace period
	if keys, ok, _ := d.List(ctx, "t", "u"); !ok || len(keys) != 2 {
		t.Fatalf("list after restart = %v %v; miniredis keeps data across Restart", keys, ok)
	}
	if first, err := d.FirstSeen(ctx, "during", time.Hour); first || err != nil {
		t.Fatalf("retry of a message seen during the outage: first %v err %v; want duplicate", first, err)
	}
	if first, _ := d.FirstSeen(ctx, "after", time.Hour); !first {
		t.Fatal("new message after recovery not first")
	}
	clk.Add(3 * time.Minute) // grace over: Redis alone decides
	calls := seen.calls
	if first, _ := d.FirstSeen(ctx, "later", time.Hour); !first || seen.calls != calls {
		t.Fatalf("after grace: first %v, fallback asked %d more times", first, seen.calls-calls)
	}
	if first, _ := d.FirstSeen(ctx, "later", time.Hour); first {
		t.Fatal("duplicate after grace not detected by Redis")
	}
}

func TestDriverLog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	redis.SetLogger(DriverLog(log)) // a process global; the other tests don't read it
	defer redis.SetLogger(DriverLog(slog.New(slog.DiscardHandler)))
	_, c, _ := Open("redis://127.0.0.1:1/0", Options{})
	defer c.Close()
	_ = c.Ping(context.Background()).Err()
	if !strings.Contains(buf.String(), "level=DEBUG") || !strings.Contains(buf.String(), "go-redis: ") {
		t.Fatalf("go-redis dial failure not routed to slog at debug:\n%s", buf.String())
	}
}
