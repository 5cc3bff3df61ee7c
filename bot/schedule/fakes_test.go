package schedule

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/store/memory"
)

// testPool returns a pool on a fresh schema with River's tables, dropped at cleanup.
func testPool(t *testing.T) (*pgxpool.Pool, string) {
	t.Helper()
	pool, schema := emptyPool(t)
	if err := Migrate(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return pool, schema
}

// emptyPool returns a pool on a fresh, empty schema, dropped at cleanup.
func emptyPool(t *testing.T) (*pgxpool.Pool, string) {
	t.Helper()
	url := os.Getenv("PLANBOT_TEST_DATABASE_URL")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, url)
	if err == nil {
		err = admin.Ping(ctx)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL unreachable: %v", err)
		}
		t.Skipf("PostgreSQL unreachable: %v", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "sched_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = 20
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pool.Close()
		_, _ = admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	return pool, schema
}

// calendar2026 is a hand-written bot.Calendar with the 2026 Spring Festival: holidays 02-15..23,
// make-up workdays 02-14 and 02-28 (Saturdays).
type calendar2026 struct{}

var (
	holidays2026 = map[bot.Date]string{}
	makeup2026   = map[bot.Date]bool{bot.NewDate(2026, 2, 14): true, bot.NewDate(2026, 2, 28): true}
)

func init() {
	for d := 15; d <= 23; d++ {
		holidays2026[bot.NewDate(2026, 2, d)] = "春节"
	}
	for d := 1; d <= 3; d++ {
		holidays2026[bot.NewDate(2026, 1, d)] = "元旦"
	}
}

func (calendar2026) IsWorkday(d bot.Date) bool {
	if makeup2026[d] {
		return true
	}
	if holidays2026[d] != "" {
		return false
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}
func (calendar2026) Holiday(d bot.Date) string          { return holidays2026[d] }
func (c calendar2026) EffectiveDue(d bot.Date) bot.Date { return workday.EffectiveDue(c.IsWorkday, d) }
func (c calendar2026) AddWorkdays(d bot.Date, n int) bot.Date {
	return workday.AddWorkdays(c.IsWorkday, d, n)
}

// fakeStore holds one team's data, loaded into store/memory by sample.
type fakeStore struct {
	teams   []bot.Team
	members []bot.Member
	items   []bot.Tracked
}

func item(key, title string, due bot.Date, assignee string) bot.Tracked {
	return bot.Tracked{Obligation: bot.Obligation{Key: key, Title: title, Due: due, Rule: bot.RuleOnce}, Assignee: assignee}
}

// sampleStore: one team, a supervisor and two staff, items around February 2026.
func sampleStore() *fakeStore {
	return &fakeStore{
		teams: []bot.Team{{ID: 1, Name: bot.DefaultTeam, TimeZone: "Asia/Shanghai", GroupTarget: "webhook:k"}},
		members: []bot.Member{
			{TeamID: 1, UserID: "boss", Name: "王主任", Role: bot.RoleSupervisor, Active: true},
			{TeamID: 1, UserID: "li", Name: "李四", Role: bot.RoleStaff, Active: true},
			{TeamID: 1, UserID: "zhang", Name: "张三", Role: bot.RoleStaff, Active: true},
		},
		items: []bot.Tracked{
			item("k-over", "上报资助名单", bot.NewDate(2026, 2, 10), "li"),
			item("k-today", "更新系统数据", bot.NewDate(2026, 2, 13), ""),
			item("k-sat", "报送月报", bot.NewDate(2026, 2, 14), "zhang"),
			item("k-mar", "发放助学金", bot.NewDate(2026, 3, 20), "li"),
		},
	}
}

// sample loads sampleStore's team, members and obligations into store/memory (the real
// bot.Store used by the demo), for the tests that run jobs.
func sample(t *testing.T) (*memory.Store, bot.Team) {
	t.Helper()
	ctx := context.Background()
	src := sampleStore()
	m := memory.New()
	team, err := m.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	team.GroupTarget = src.teams[0].GroupTarget
	if err := m.UpdateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	at := shanghai(2026, 2, 1, 9, 0, 0)
	for _, mb := range src.members {
		mb.TeamID = team.ID
		if err := m.PutMember(ctx, "test", mb); err != nil {
			t.Fatal(err)
		}
	}
	for _, it := range src.items {
		if _, err := m.AddObligation(ctx, team.ID, "test", it.Obligation, at, bot.Effect{}); err != nil {
			t.Fatal(err)
		}
		if it.Assignee != "" {
			if err := m.Assign(ctx, team.ID, "test", it.Key, it.Assignee, at, bot.Effect{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return m, team
}

// sent is one message the fake sender accepted.
type sent struct {
	To       string // ToGroup or userid
	Markdown string
	Card     *bot.Card
}

// fakeSender records accepted messages; Fail, when set, decides an error per call (n counts
// calls of the same kind, from 1).
type fakeSender struct {
	mu    sync.Mutex
	calls map[string]int
	got   []sent
	ch    chan sent
	Fail  func(to string, n int) error
}

func newSender() *fakeSender {
	return &fakeSender{calls: map[string]int{}, ch: make(chan sent, 100)}
}

func (f *fakeSender) send(to string, s sent) error {
	f.mu.Lock()
	f.calls[to]++
	n := f.calls[to]
	fail := f.Fail
	f.mu.Unlock()
	if fail != nil {
		if err := fail(to, n); err != nil {
			return err
		}
	}
	f.mu.Lock()
	f.got = append(f.got, s)
	f.mu.Unlock()
	f.ch <- s
	return nil
}

func (f *fakeSender) SendGroup(_ context.Context, team bot.Team, md string) error {
	return f.send(ToGroup, sent{To: ToGroup, Markdown: md})
}
func (f *fakeSender) SendUserMarkdown(_ context.Context, user, md string) error {
	return f.send(user, sent{To: user, Markdown: md})
}
func (f *fakeSender) SendUserCard(_ context.Context, user string, c bot.Card) error {
	return f.send(user, sent{To: user, Card: &c})
}

func (f *fakeSender) all() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.got...)
}

func (f *fakeSender) groups() int {
	n := 0
	for _, s := range f.all() {
		if s.To == ToGroup {
			n++
		}
	}
	return n
}

// wait returns the next accepted message or fails after a timeout.
func (f *fakeSender) wait(t *testing.T) sent {
	t.Helper()
	select {
	case s := <-f.ch:
		return s
	case <-time.After(20 * time.Second):
		t.Fatal("timed out waiting for a message")
	}
	return sent{}
}

// apiError mimics *wecom.APIError for the Retryable classification.
type apiError struct {
	Code int
	Msg  string
}

func (e *apiError) Error() string   { return fmt.Sprintf("wecom %d: %s", e.Code, e.Msg) }
func (e *apiError) Retryable() bool { return RateLimited(e.Code) }

var errBoom = errors.New("boom")

// offsetClock runs from start at real speed, so River's timers and our dates agree.
func offsetClock(start time.Time) bot.Clock {
	t0 := time.Now()
	return func() time.Time { return start.Add(time.Since(t0)) }
}

func shanghai(y int, m time.Month, d, hh, mm, ss int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, 0, bot.Shanghai)
}

func testDeps(pool *pgxpool.Pool, schema string, st Store, snd Sender, clock bot.Clock) Deps {
	return Deps{
		Pool: pool, Store: st, Calendar: calendar2026{}, Sender: snd, Clock: clock,
		Schema: schema, Poll: 20 * time.Millisecond, Retention: -1,
		// River's cleaner and rescuer use the wall clock, months after these test dates.
		RescueAfter: 1000 * 24 * time.Hour, RateLimitSnooze: 30 * time.Millisecond,
	}
}

func startScheduler(t *testing.T, d Deps) *Scheduler {
	t.Helper()
	s, err := New(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Stop(ctx)
	})
	return s
}
