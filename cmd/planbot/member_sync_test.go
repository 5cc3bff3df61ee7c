package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/planbot/planbot/store/memory"
)

func TestSyncMembersCommand(t *testing.T) {
	srv := wecomtest.NewServer(t)
	srv.SetDepartments(wecomtest.Department{ID: 7, Name: "资助中心", DepartmentLeader: []string{"zhang"}})
	srv.SetUsers(
		wecomtest.User{UserID: "zhang", Name: "张主任", Department: []int{7}, Status: 1},
		wecomtest.User{UserID: "li", Name: "李科员", Department: []int{7}, Status: 1},
	)
	env := map[string]string{
		"WECOM_CORP_ID": wecomtest.CorpID, "WECOM_AGENT_ID": "1000002",
		"WECOM_SECRET": wecomtest.Secret, "WECOM_API_BASE": srv.URL,
	}
	st := memory.New()
	run := func(args ...string) (string, error) {
		var out, errw bytes.Buffer
		cfg, err := loadConfig(func(k string) string { return env[k] }) // as main does, once
		if err != nil {
			return "", err
		}
		c := &cli{stdout: &out, stderr: &errw, now: importClock, cfg: cfg, st: st}
		err = runSyncMembers(context.Background(), c, args)
		return out.String() + errw.String(), err
	}
	out, err := run("--dept", "7", "--team", "资助")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "+2 新增") {
		t.Fatalf("output %q", out)
	}
	team, _ := st.EnsureTeam(context.Background(), "资助")
	m, err := st.Member(context.Background(), team.ID, "zhang")
	if err != nil || m.Role != bot.RoleSupervisor || m.Name != "张主任" {
		t.Fatalf("zhang %+v %v", m, err)
	}
	// Second run through WECOM_SYNC_DEPT: nothing changes.
	env["WECOM_SYNC_DEPT"] = "7"
	out, err = run("--team", "资助")
	if err != nil || !strings.Contains(out, "+0 新增, ~0 更新, -0 停用, =2 未变") {
		t.Fatalf("second run %q %v", out, err)
	}

	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no dept", map[string]string{}, nil, "--dept"},
		{"bad dept env", map[string]string{"WECOM_SYNC_DEPT": "x"}, nil, "WECOM_SYNC_DEPT"},
		{"no secret", map[string]string{"WECOM_CORP_ID": "c", "WECOM_AGENT_ID": "1"}, []string{"--dept", "7"}, "WECOM_SECRET"},
		{"bad agent", map[string]string{"WECOM_CORP_ID": "c", "WECOM_AGENT_ID": "x", "WECOM_SECRET": "s"}, []string{"--dept", "7"}, "WECOM_AGENT_ID"},
	} {
		env = tc.env
		if _, err := run(tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want it to name %s", tc.name, err, tc.want)
		}
	}
}

// The member sync is a chore: registered only with WECOM_SYNC_DEPT, and a run syncs the team.
func TestMemberSyncChore(t *testing.T) {
	srv := wecomtest.NewServer(t)
	srv.SetUsers(wecomtest.User{UserID: "li", Name: "李科员", Department: []int{7}, Status: 1})
	client, err := directoryClient(envConfig(t, map[string]string{"WECOM_CORP_ID": wecomtest.CorpID, "WECOM_AGENT_ID": "1000002",
		"WECOM_SECRET": wecomtest.Secret, "WECOM_API_BASE": srv.URL}))
	if err != nil {
		t.Fatal(err)
	}
	st := memory.New()
	team, _ := st.EnsureTeam(context.Background(), bot.DefaultTeam)
	log := slog.New(slog.DiscardHandler)

	names := func(cs []schedule.Chore) (out []string) {
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	if got := names((&app{cfg: Config{}, log: log}).chores()); len(got) != 1 || got[0] != "prune-message-ids" {
		t.Fatalf("chores without WECOM_SYNC_DEPT: %v", got)
	}
	if got := names((&app{cfg: Config{SyncDept: 7}, log: log}).chores()); len(got) != 2 || got[1] != "sync-members" {
		t.Fatalf("chores with WECOM_SYNC_DEPT: %v", got)
	}
	if err := memberSyncChore(client, st, team, 7, log).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m, err := st.Member(context.Background(), team.ID, "li"); err != nil || !m.Active || m.Name != "李科员" {
		t.Fatalf("after the sync chore: %+v %v", m, err)
	}
}

// TestSyncMembersMap: one WeCom department per unit from a map file; a bad row syncs nothing.
func TestSyncMembersMap(t *testing.T) {
	srv := wecomtest.NewServer(t)
	srv.SetDepartments(
		wecomtest.Department{ID: 2, Name: "淮北市资助中心", DepartmentLeader: []string{"shi"}},
		wecomtest.Department{ID: 3, Name: "濉溪县资助中心", ParentID: 2, DepartmentLeader: []string{"zhao"}},
	)
	srv.SetUsers(
		wecomtest.User{UserID: "shi", Name: "市主任", Department: []int{2}, Status: 1},
		wecomtest.User{UserID: "zhao", Name: "赵局长", Department: []int{3, 2}, Status: 1},
		wecomtest.User{UserID: "wu", Name: "吴老师", Department: []int{3}, Status: 1},
	)
	env := map[string]string{
		"WECOM_CORP_ID": wecomtest.CorpID, "WECOM_AGENT_ID": "1000002",
		"WECOM_SECRET": wecomtest.Secret, "WECOM_API_BASE": srv.URL,
	}
	st := memory.New()
	ctx := context.Background()
	city, _ := st.AddTeam(ctx, "cli", bot.Team{Name: "淮北市"})
	county, _ := st.AddTeam(ctx, "cli", bot.Team{Name: "濉溪县", ParentID: city.ID})
	run := func(args ...string) (string, error) {
		var out, errw bytes.Buffer
		cfg, err := loadConfig(func(k string) string { return env[k] })
		if err != nil {
			return "", err
		}
		c := &cli{stdout: &out, stderr: &errw, now: importClock, cfg: cfg, st: st}
		err = runSyncMembers(ctx, c, args)
		return out.String() + errw.String(), err
	}
	bad := writeFile(t, "map.csv", "dept,team\n2,淮北市\nx,濉溪县\n4,无此县\n")
	if _, err := run("--map", bad); err == nil || !strings.Contains(err.Error(), "第3行（濉溪县）") || !strings.Contains(err.Error(), "第4行（无此县）") {
		t.Fatalf("bad map: %v", err)
	}
	if ms, _ := st.Members(ctx, city.ID); len(ms) != 0 {
		t.Fatal("a bad map synced members")
	}
	out, err := run("--map", writeFile(t, "map.csv", "部门ID,单位\n2,淮北市\n3,濉溪县\n"))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	zc, err := st.Member(ctx, county.ID, "zhao")
	if err != nil || zc.Role != bot.RoleSupervisor {
		t.Fatalf("zhao in the county: %+v %v", zc, err)
	}
	zs, err := st.Member(ctx, city.ID, "zhao")
	if err != nil || zs.Role != bot.RoleStaff {
		t.Fatalf("zhao in the city: %+v %v", zs, err)
	}
	if _, err := st.Member(ctx, city.ID, "wu"); err == nil {
		t.Fatal("wu synced into the city")
	}
}
