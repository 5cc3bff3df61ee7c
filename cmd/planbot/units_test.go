package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/storetest"
)

// cityTree builds 淮北市 with three counties and a school in the app's store, each unit with a
// one-item plan titled after it, and its people:
//
//	shi   supervisor of 淮北市
//	zhao  supervisor of 濉溪县 and staff of 淮北市 (a county head who is also a city member)
//	qian  staff of 相山区
//	sun   staff of 濉溪中学
func cityTree(t *testing.T, a *app) map[string]bot.Team {
	t.Helper()
	ctx := context.Background()
	units := map[string]bot.Team{}
	for _, u := range []struct{ name, parent string }{
		{"淮北市", ""}, {"濉溪县", "淮北市"}, {"相山区", "淮北市"}, {"杜集区", "淮北市"}, {"濉溪中学", "濉溪县"},
	} {
		nt, err := a.store.AddTeam(ctx, "test", bot.Team{Name: u.name, ParentID: units[u.parent].ID})
		if err != nil {
			t.Fatal(err)
		}
		units[u.name] = nt
		p := bot.Plan{Title: u.name + "计划", Year: 2026, Obligations: []bot.Obligation{
			{Key: "2026-03/1", Title: u.name + "三月报表", Due: bot.NewDate(2026, 3, 20), Period: "2026-03", Rule: bot.RuleOnce, Line: 1},
		}}
		if _, err := a.store.ImportPlan(ctx, nt.ID, p, bot.ImportOptions{Source: "p.txt", Actor: "test", Today: bot.NewDate(2026, 1, 1), At: serveNow}); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []struct {
		unit, id, name string
		role           bot.Role
	}{
		{"淮北市", "shi", "市主任", bot.RoleSupervisor},
		{"濉溪县", "zhao", "赵局长", bot.RoleSupervisor},
		{"淮北市", "zhao", "赵局长", bot.RoleStaff},
		{"相山区", "qian", "钱老师", bot.RoleStaff},
		{"濉溪中学", "sun", "孙老师", bot.RoleStaff},
	} {
		if err := a.store.PutMember(ctx, "test", bot.Member{TeamID: units[m.unit].ID, UserID: m.id, Name: m.name, Role: m.role, Active: true}); err != nil {
			t.Fatal(err)
		}
	}
	return units
}

// TestServeRoutesBySender: one serve for all units. Each message goes to the sender's unit; a
// person in several units works in their primary unit, switches with 切换, prefixes one command
// with a unit, and sees the unit named on every answer; nobody reaches a unit beside or above.
func TestServeRoutesBySender(t *testing.T) {
	a, fake, cfg := newTestApp(t)
	units := cityTree(t, a)
	h := a.Handler()
	msg := 2000
	say := func(user, text string) string {
		t.Helper()
		msg++
		before := len(fake.Requests("message/send"))
		w := post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, user, text, fmt.Sprint(msg), serveNow), serveNow))
		return replyText(t, a, fake, cfg, w, before)
	}
	for _, c := range []struct {
		user, text string
		want       []string
		not        []string
	}{
		// one unit: answered there, the unit not named
		{"qian", "本月", []string{"相山区三月报表"}, []string{"〔", "淮北市三月报表", "更新维护学生资助管理"}},
		{"sun", "本月", []string{"濉溪中学三月报表"}, []string{"〔", "濉溪县三月报表"}},
		// the default team's people stay in the default team
		{"lisi", "本月", []string{"更新维护学生资助管理"}, []string{"三月报表"}},
		// a county head who is also a city member works in the county, named on the answer
		{"zhao", "本月", []string{"〔濉溪县〕", "濉溪县三月报表"}, []string{"淮北市三月报表"}},
		// a prefix sends one command to another of their units
		{"zhao", "淮北市 本月", []string{"〔淮北市〕", "淮北市三月报表"}, []string{"濉溪县三月报表"}},
		{"zhao", "淮北市本月", []string{"〔淮北市〕", "淮北市三月报表"}, nil},
		{"zhao", "本月", []string{"〔濉溪县〕"}, nil},
		// a supervisor reaches the units below their own
		{"zhao", "濉溪中学　本月", []string{"〔濉溪中学〕", "濉溪中学三月报表"}, nil},
		{"shi", "濉溪县 本月", []string{"〔濉溪县〕", "濉溪县三月报表"}, nil},
		// never beside or above
		{"zhao", "相山区 本月", []string{"你不能查看“相山区”"}, []string{"相山区三月报表"}},
		{"qian", "淮北市 本月", []string{"你不能查看“淮北市”"}, []string{"淮北市三月报表"}},
		{"sun", "濉溪县 进度", []string{"你不能查看“濉溪县”"}, nil},
		{"zhao", "切换 相山区", []string{"你不能进入“相山区”"}, nil},
		{"zhao", "切换 无此县", []string{"没有单位“无此县”"}, nil},
		// a unit named alone changes nothing and says how
		{"zhao", "淮北市", []string{"淮北市 进度", "切换 淮北市"}, nil},
		// 切换 moves the person until they switch back
		{"zhao", "切换 淮北市", []string{"已切换到淮北市"}, []string{"〔"}},
		{"zhao", "本月", []string{"〔淮北市〕", "淮北市三月报表"}, []string{"濉溪县三月报表"}},
		{"zhao", "切换", []string{"当前单位：淮北市", "濉溪县"}, nil},
		{"zhao", "切换 濉溪县", []string{"已切换到濉溪县"}, nil},
		{"zhao", "本月", []string{"〔濉溪县〕", "濉溪县三月报表"}, nil},
		{"qian", "切换", []string{"不需要切换"}, nil},
	} {
		got := say(c.user, c.text)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Fatalf("%s %q: reply lacks %q:\n%s", c.user, c.text, w, got)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got, n) {
				t.Fatalf("%s %q: reply shows %q:\n%s", c.user, c.text, n, got)
			}
		}
	}
	// 完成 through a prefix completes the item of that unit only.
	if got := say("zhao", "濉溪中学 完成 1"); !strings.Contains(got, "〔濉溪中学〕") {
		t.Fatalf("完成 in the school: %s", got)
	}
	for name, u := range units {
		items, err := a.store.Obligations(context.Background(), u.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if done := items[0].DoneBy != ""; done != (name == "濉溪中学") {
			t.Fatalf("%s: done = %v after 濉溪中学 完成 1", name, done)
		}
	}
	// A unit and its member added while serve runs are routed at once (the tree is re-read
	// when a membership names a unit it does not know).
	ctx := context.Background()
	nu, err := a.store.AddTeam(ctx, "cli", bot.Team{Name: "刘桥中学", ParentID: units["濉溪县"].ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.store.PutMember(ctx, "cli", bot.Member{TeamID: nu.ID, UserID: "liu", Name: "刘老师", Role: bot.RoleStaff, Active: true}); err != nil {
		t.Fatal(err)
	}
	if got := say("liu", "进度"); !strings.Contains(got, "进度") || strings.Contains(got, "不是本团队的成员") {
		t.Fatalf("new unit's member: %s", got)
	}
	if got := say("zhao", "刘桥中学 进度"); !strings.Contains(got, "〔刘桥中学〕") {
		t.Fatalf("county head in the new school: %s", got)
	}
	// The audit log records the switch in the unit chosen.
	log, err := a.store.AuditLog(ctx, units["淮北市"].ID)
	if err != nil {
		t.Fatal(err)
	}
	switched := false
	for _, e := range log {
		switched = switched || e.Action == "member.switch" && e.Actor == "zhao"
	}
	if !switched {
		t.Fatal("no member.switch audit entry in 淮北市")
	}
}

// A unit added while two replicas serve gets its digest without a restart: the next re-read of
// the units registers its schedule on both replicas, and the group gets the digest exactly once.
func TestServeReplicasScheduleNewUnit(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	redisURL, prefix := storetest.RedisURL(t)
	fake := wecomtest.NewServer(t)
	cfg := fake.Config()
	env := map[string]string{
		"DATABASE_URL": dbURL, "REDIS_URL": redisURL, "REDIS_PREFIX": prefix,
		"WECOM_CORP_ID": cfg.CorpID, "WECOM_AGENT_ID": fmt.Sprint(cfg.AgentID), "WECOM_SECRET": cfg.Secret,
		"WECOM_TOKEN": cfg.Token, "WECOM_AES_KEY": cfg.AESKey, "WECOM_API_BASE": cfg.APIBase,
		"PLANBOT_LISTEN": "127.0.0.1:0",
	}
	appCfg := envConfig(t, env)
	base := time.Date(2026, 3, 3, 9, 0, 50, 0, bot.Shanghai) // a workday, after 08:30
	start := time.Now()
	clock := func() time.Time { return base.Add(time.Since(start)) }
	ctx := context.Background()

	var reps []*app
	var ticks []chan time.Time
	for i := range 2 {
		tick := make(chan time.Time)
		a, err := newAppWith(ctx, appCfg, slog.New(slog.DiscardHandler), clock, appOptions{scheduleClock: clock, unitsTick: tick})
		if err != nil {
			t.Fatalf("replica %d: newApp: %v", i, err)
		}
		t.Cleanup(a.Close)
		reps = append(reps, a)
		ticks = append(ticks, tick)
	}
	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	var done []chan error
	for i, a := range reps {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ch := make(chan error, 1)
		go func() { ch <- a.serveOn(serveCtx, ln) }()
		done = append(done, ch)
		waitHealthy(t, i, ln.Addr().String(), ch)
	}

	// The unit is added as the CLI would, on the shared database.
	st := reps[0].store
	u, err := st.AddTeam(ctx, "cli", bot.Team{Name: "濉溪县", GroupTarget: "webhook:" + cfg.WebhookKey})
	if err != nil {
		t.Fatal(err)
	}
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportPlan(ctx, u.ID, p, bot.ImportOptions{Source: name, Actor: "test", Today: bot.NewDate(2026, 1, 1), At: base}); err != nil {
		t.Fatal(err)
	}
	for i, a := range reps {
		if a.sched.Scheduled()[u.ID] {
			t.Fatalf("replica %d scheduled the unit before re-reading the units", i)
		}
	}
	for _, tick := range ticks {
		tick <- clock() // unbuffered: the watcher has taken it
	}
	for i, a := range reps {
		waitUntil(t, 10*time.Second, fmt.Sprintf("replica %d to schedule the new unit", i), func() bool { return a.sched.Scheduled()[u.ID] })
	}
	waitUntil(t, 45*time.Second, "the new unit's digest", func() bool { return unitDigests(t, fake, "濉溪县") > 0 })
	// Another re-read changes nothing; with the queues drained there is still one digest.
	for _, tick := range ticks {
		tick <- clock()
	}
	pool := st.Pool()
	waitUntil(t, 30*time.Second, "the job queues to drain", func() bool {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job
			WHERE state IN ('available', 'running', 'retryable', 'scheduled', 'pending')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 0
	})
	if n := unitDigests(t, fake, "濉溪县"); n != 1 {
		t.Fatalf("濉溪县 digests = %d, want exactly 1", n)
	}
	// Removing the unit takes its schedule off both replicas at the next re-read.
	u.Removed = true
	if err := st.UpdateTeam(ctx, u); err != nil {
		t.Fatal(err)
	}
	for _, tick := range ticks {
		tick <- clock()
	}
	for i, a := range reps {
		waitUntil(t, 10*time.Second, fmt.Sprintf("replica %d to drop the removed unit", i), func() bool { return !a.sched.Scheduled()[u.ID] })
	}
	stop()
	for i, ch := range done {
		select {
		case err := <-ch:
			if err != nil {
				t.Errorf("replica %d: serve after shutdown: %v", i, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("replica %d did not shut down", i)
		}
	}
}

// unitDigests counts the group digests of the named unit at webhook/send.
func unitDigests(t *testing.T, fake *wecomtest.Server, unit string) int {
	t.Helper()
	n := 0
	for _, r := range fake.Requests("webhook/send") {
		var msg struct {
			Markdown struct {
				Content string `json:"content"`
			} `json:"markdown"`
		}
		if err := json.Unmarshal(r.Body, &msg); err != nil {
			t.Fatalf("webhook/send body: %v: %s", err, r.Body)
		}
		if strings.HasPrefix(msg.Markdown.Content, "### "+unit+" 工作清单") {
			n++
		}
	}
	return n
}

// TestRobotGroupRoutesToItsUnit: @ the smart robot in a unit's group (its group target is that
// app chat) answers for that unit; someone who does not work there is answered as in private.
func TestRobotGroupRoutesToItsUnit(t *testing.T) {
	st := memory.New()
	ctx := context.Background()
	city, _ := st.AddTeam(ctx, "cli", bot.Team{Name: "淮北市"})
	county, _ := st.AddTeam(ctx, "cli", bot.Team{Name: "濉溪县", ParentID: city.ID, GroupTarget: "appchat:G1"})
	side, _ := st.AddTeam(ctx, "cli", bot.Team{Name: "相山区", ParentID: city.ID})
	for _, m := range []bot.Member{
		{TeamID: county.ID, UserID: "zhao", Role: bot.RoleSupervisor, Active: true},
		{TeamID: city.ID, UserID: "zhao", Role: bot.RoleStaff, Active: true},
		{TeamID: side.ID, UserID: "qian", Role: bot.RoleStaff, Active: true},
	} {
		if err := st.PutMember(ctx, "cli", m); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetCurrentUnit(ctx, "zhao", city.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	u, err := newUnits(ctx, st, bot.Team{Name: bot.DefaultTeam}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	g := u.groupUnit("G1")
	if g != county.ID || u.groupUnit("G2") != 0 {
		t.Fatalf("groupUnit(G1) = %d, want %d", g, county.ID)
	}
	rt, err := u.resolve(ctx, "zhao", "进度", g, true)
	if err != nil || rt.Team.ID != county.ID || rt.Access == nil || rt.Label != "濉溪县" {
		t.Fatalf("zhao in the county group: %+v %v", rt, err)
	}
	rt, err = u.resolve(ctx, "zhao", "进度", 0, false)
	if err != nil || rt.Team.ID != city.ID {
		t.Fatalf("zhao in private after 切换 淮北市: %+v %v", rt, err)
	}
	rt, err = u.resolve(ctx, "qian", "进度", g, true)
	if err != nil || rt.Team.ID != side.ID || rt.Access == nil {
		t.Fatalf("qian in the county's group: %+v %v", rt, err)
	}
	rt, err = u.resolve(ctx, "qian", "done:x", county.ID, false) // a card of a unit not theirs
	if err != nil || rt.Team.ID != county.ID || rt.Access != nil {
		t.Fatalf("qian clicking a county card: %+v %v", rt, err)
	}
}

// TestUnitBelowWithoutGroup: the deployment's group (WECOM_WEBHOOK_KEY) takes the digest of a top
// unit without a group of its own, never that of a unit below another.
func TestUnitBelowWithoutGroup(t *testing.T) {
	fake := wecomtest.NewServer(t)
	wc, err := wecom.NewClient(fake.Config(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := wecom.ScheduleSender{C: wc, DefaultGroup: "webhook:" + fake.Config().WebhookKey}
	ctx := context.Background()
	if err := s.SendGroup(ctx, bot.Team{ID: 1, Name: "淮北市"}, "### 淮北市 工作清单"); err != nil {
		t.Fatal(err)
	}
	if err := s.SendGroup(ctx, bot.Team{ID: 2, Name: "濉溪县", ParentID: 1}, "### 濉溪县 工作清单"); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Requests("webhook/send")); n != 1 {
		t.Fatalf("webhook sends = %d, want 1 (the top unit's only)", n)
	}
}
