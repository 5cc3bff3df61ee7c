package main

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/store/postgres"
)

// The pages through the real binary: `planbot serve` as a child process configured only by its
// environment (PLANBOT_PUBLIC_URL, WECOM_OAUTH_BASE, WECOM_API_BASE at the fake WeCom): OAuth
// login, 我的, a completion, the calendar feed, and a supervisor's upload and confirmation.
func TestWebThroughTheBinary(t *testing.T) {
	env, fake := newTestEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	env["PLANBOT_LISTEN"] = addr
	env["PLANBOT_PUBLIC_URL"] = base
	env["WECOM_OAUTH_BASE"] = fake.URL

	ctx := context.Background()
	if err := postgres.Migrate(ctx, env["DATABASE_URL"]); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(ctx, env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	team, err := st.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	// Tracked from the start of the year: items are overdue today whatever today is in 2026+.
	if _, err := st.ImportPlan(ctx, team.ID, p, bot.ImportOptions{Source: name, Actor: "test", Today: bot.NewDate(2026, 1, 1), At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []bot.Member{{UserID: "lisi", Name: "李老师", Role: bot.RoleStaff, Active: true}, {UserID: "wangzr", Name: "王主任", Role: bot.RoleSupervisor, Active: true}} {
		m.TeamID = team.ID
		if err := st.PutMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}

	pctx, cancel := context.WithCancel(ctx)
	cmd, out := planbotProcess(pctx, env, "serve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	ready := false
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if ready = res.StatusCode == http.StatusOK; ready {
				break
			}
		}
	}
	if !ready {
		t.Fatalf("serve did not become ready: %s", out)
	}

	e := &webEnv{fake: fake, base: base}
	b := e.browser(t)
	me := b.login("lisi")
	m := keyRE.FindStringSubmatch(me.Body)
	if m == nil {
		t.Fatalf("我的 has no 完成 button: %s", me.Body)
	}
	if p := b.post("/app/me/done", url.Values{"csrf": {csrfOf(t, me)}, "key": {m[1]}}); p.Code != http.StatusSeeOther {
		t.Fatalf("完成: %d %s", p.Code, p.Body)
	}
	if p := b.get("/app/me"); !strings.Contains(p.Body, "已标记完成") {
		t.Fatalf("no confirmation: %s", p.Body)
	}
	cs, err := st.Completions(ctx, team.ID)
	if err != nil || len(cs) != 1 || cs[0].Key != m[1] || cs[0].By != "lisi" {
		t.Fatalf("completions %+v %v", cs, err)
	}
	feed, err := feedURL(b.get("/app/me"))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(e.browser(t).get(feed).Body))
	if err != nil || len(cal.Events()) == 0 {
		t.Fatalf("feed: %v", err)
	}

	boss := e.browser(t)
	csrf := csrfOf(t, boss.login("wangzr"))
	pv := boss.postFile("/app/import", url.Values{"csrf": {csrf}}, "淮北市2026年度学生资助工作月计划.txt", revisedSample(t))
	if pv.Code != http.StatusOK || !strings.Contains(pv.Body, "确认导入") {
		t.Fatalf("preview: %d %s", pv.Code, pv.Body)
	}
	form := url.Values{"csrf": {csrf}}
	for _, f := range []string{"name", "data", "seal"} {
		form.Set(f, hiddenField(t, pv, f))
	}
	if p := boss.post("/app/import/confirm", form); p.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", p.Code, p.Body)
	}
	if p := boss.get("/app/plan"); !strings.Contains(p.Body, "已导入") {
		t.Fatalf("after import: %s", p.Body)
	}
	log, err := st.AuditLog(ctx, team.ID)
	if err != nil {
		t.Fatal(err)
	}
	imported := false
	for _, e := range log {
		imported = imported || e.Action == "import" && e.Actor == "wangzr"
	}
	if !imported {
		t.Error("no import by wangzr in the audit trail")
	}
}
