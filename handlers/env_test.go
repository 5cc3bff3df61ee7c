package handlers

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/memory"
)

// fakeState is a hand-written bot.State: maps, no TTLs, no rate limit unless deny is set.
type fakeState struct {
	mu      sync.Mutex
	dialogs map[string]bot.Dialog
	lists   map[string][]string
	seen    map[string]bool
	deny    bool
	listErr error // List fails with it (Redis down)
}

func newFakeState() *fakeState {
	return &fakeState{dialogs: map[string]bot.Dialog{}, lists: map[string][]string{}, seen: map[string]bool{}}
}

func (f *fakeState) Dialog(_ context.Context, team, user string) (bot.Dialog, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.dialogs[team+"/"+user]
	return d, ok, nil
}
func (f *fakeState) SetDialog(_ context.Context, team, user string, d bot.Dialog) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dialogs[team+"/"+user] = d
	return nil
}
func (f *fakeState) ClearDialog(_ context.Context, team, user string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.dialogs, team+"/"+user)
	return nil
}
func (f *fakeState) SaveList(_ context.Context, team, user string, keys []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists[team+"/"+user] = slices.Clone(keys)
	return nil
}
func (f *fakeState) List(_ context.Context, team, user string) ([]string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.listErr != nil {
		return nil, false, f.listErr
	}
	k, ok := f.lists[team+"/"+user]
	return k, ok, nil
}
func (f *fakeState) FirstSeen(_ context.Context, id string, _ time.Duration) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen[id] {
		return false, nil
	}
	f.seen[id] = true
	return true, nil
}
func (f *fakeState) Seen(_ context.Context, id string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[id], nil
}
func (f *fakeState) Allow(context.Context, string, string) (bool, error) { return !f.deny, nil }
func (f *fakeState) Turn(ctx context.Context, team, user string) bot.Turn {
	return bot.TurnOf(ctx, f, team, user)
}

// env is one isolated team: a memory store seeded with eight obligations, three members and an
// inactive one, a fake state and a router with every command.
type env struct {
	t     *testing.T
	store bot.Store
	mem   *memory.Store
	state *fakeState
	r     *bot.Router
	team  bot.Team
	now   time.Time
}

// The seeded obligations. "Today" is Wednesday 2026-06-10; the week is 6-08..6-14.
var seed = []bot.Obligation{
	{Key: "k1", Title: "更新维护资助系统数据", Due: bot.NewDate(2026, 6, 20)}, // Saturday: effective 6-19
	{Key: "k2", Title: "上报月点评季通报表", Due: bot.NewDate(2026, 6, 28)},  // Sunday: effective 6-26
	{Key: "k3", Title: "寄送一封信", Due: bot.NewDate(2026, 6, 10)},
	{Key: "k4", Title: "总结上半年资助工作", Due: bot.NewDate(2026, 6, 30)},
	{Key: "k5", Title: "开展诚信宣传月活动", Due: bot.NewDate(2026, 6, 5)},
	{Key: "k6", Title: "部署家庭大走访", Due: bot.NewDate(2026, 6, 12)},
	{Key: "k7", Title: "办理生源地贷款", Due: bot.NewDate(2026, 7, 15)},
	{Key: "k8", Title: "准备资助政策宣传材料", Due: bot.NewDate(2026, 6, 11)},
}

// defaultList is the numbering saved for lisi before most phrasings: 1 is k1 … 8 is k8.
var defaultList = []string{"k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"}

var testNow = time.Date(2026, 6, 10, 9, 30, 0, 0, bot.Shanghai)

func newEnv(t *testing.T) *env {
	return newEnvWith(t, nil, nil)
}

// newEnvWith builds an env; wrap (optional) wraps the store the handlers see.
func newEnvWith(t *testing.T, wrap func(bot.Store) bot.Store, cal bot.Calendar) *env {
	t.Helper()
	ctx := context.Background()
	mem := memory.New()
	mem.Now = func() time.Time { return testNow }
	team, err := mem.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []bot.Member{
		{TeamID: team.ID, UserID: "wangzr", Name: "王主任", Role: bot.RoleSupervisor, Active: true},
		{TeamID: team.ID, UserID: "lisi", Name: "李老师", Role: bot.RoleStaff, Active: true},
		{TeamID: team.ID, UserID: "zhangsan", Name: "张老师", Role: bot.RoleStaff, Active: true},
		{TeamID: team.ID, UserID: "admin", Name: "管理员", Role: bot.RoleAdmin, Active: true},
		{TeamID: team.ID, UserID: "gone", Name: "赵老师", Role: bot.RoleStaff, Active: false},
	} {
		if err := mem.PutMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}
	p := bot.Plan{Title: "测试计划", Year: 2026}
	for i, o := range seed {
		o.Period = o.Due.String()[:7]
		o.Rule = bot.RuleOnce
		o.Line = i + 1
		p.Obligations = append(p.Obligations, o)
	}
	if _, err := mem.ImportPlan(ctx, team.ID, p, bot.ImportOptions{Source: "test", Actor: "cli",
		Today: bot.NewDate(2026, 1, 1), TrackPast: true, At: testNow}); err != nil {
		t.Fatal(err)
	}
	var st bot.Store = mem
	if wrap != nil {
		st = wrap(mem)
	}
	state := newFakeState()
	r := bot.NewRouter(state, st, nil)
	Register(r, Deps{Store: st, State: state, Calendar: cal})
	return &env{t: t, store: st, mem: mem, state: state, r: r, team: team, now: testNow}
}

// say sends text as user and returns the plain reply.
func (e *env) say(user, text string) string {
	e.t.Helper()
	rep, _ := e.r.Handle(context.Background(), &bot.Request{Team: e.team, UserID: user, Text: text, Now: e.now})
	return rep.Text()
}

// snapshot is the state of every obligation and the length of the completion history.
type snapshot struct {
	items       map[string]bot.Tracked
	completions int
	audit       int
}

func (e *env) snap() snapshot {
	e.t.Helper()
	ctx := context.Background()
	items, err := e.mem.Obligations(ctx, e.team.ID, true)
	if err != nil {
		e.t.Fatal(err)
	}
	s := snapshot{items: map[string]bot.Tracked{}}
	for _, it := range items {
		s.items[it.Key] = it
	}
	cs, err := e.mem.Completions(ctx, e.team.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	s.completions = len(cs)
	al, err := e.mem.AuditLog(ctx, e.team.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	s.audit = len(al)
	return s
}

func sortedKeys(m map[string]bot.Tracked) []string { return slices.Sorted(maps.Keys(m)) }

// textOf is the text of Handle's reply (its error is already rendered into it).
func textOf(rep bot.Reply, _ error) string { return rep.Text() }
