package wecom_test

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"testing"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/planbot/planbot/store/memory"
)

// membersByID returns the team's members keyed by userid.
func membersByID(t *testing.T, st *memory.Store, team int64) map[string]bot.Member {
	t.Helper()
	ms, err := st.Members(context.Background(), team)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bot.Member{}
	for _, m := range ms {
		out[m.UserID] = m
	}
	return out
}

func TestSyncMembers(t *testing.T) {
	ctx := context.Background()
	c, srv, _, _ := newClient(t)
	st := memory.New()
	team, err := st.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	// By hand before any sync: an admin who is also in the department as staff, an admin who is
	// not in the department, a supervisor who is no leader in WeCom, someone who will leave.
	for _, m := range []bot.Member{
		{UserID: "chen", Name: "陈", Role: bot.RoleAdmin, Active: true},
		{UserID: "it", Name: "信息科", Role: bot.RoleAdmin, Active: true},
		{UserID: "li", Name: "li", Role: bot.RoleSupervisor, Active: true},
		{UserID: "gone", Name: "离职者", Role: bot.RoleStaff, Active: true},
	} {
		m.TeamID = team.ID
		if err := st.PutMember(ctx, "cli", m); err != nil {
			t.Fatal(err)
		}
	}
	srv.SetDepartments(wecomtest.Department{ID: 3, Name: "资助中心", DepartmentLeader: []string{"zhang"}})
	srv.SetUsers(
		wecomtest.User{UserID: "zhang", Name: "张主任", Department: []int{3}, Status: 1},
		wecomtest.User{UserID: "li", Name: "李科员", Department: []int{3}, Status: 1},
		wecomtest.User{UserID: "chen", Name: "陈老师", Department: []int{3}, Status: 1},
		wecomtest.User{UserID: "sun", Name: "孙副主任", Department: []int{3, 8}, IsLeaderInDept: []int{1, 0}, Status: 1},
		wecomtest.User{UserID: "wu", Name: "吴未激活", Department: []int{3}, Status: 4},
		wecomtest.User{UserID: "zhao", Name: "赵老师", Department: []int{9}, Status: 1},
	)
	audit0, _ := st.AuditLog(ctx, team.ID)

	res, err := wecom.SyncMembers(ctx, c, st, team, 3, "wecom-sync")
	if err != nil {
		t.Fatal(err)
	}
	want := wecom.SyncResult{Added: 2, Updated: 2, Deactivated: 1, Unchanged: 1, Kept: []string{"it"}}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("first sync %+v, want %+v", res, want)
	}
	got := membersByID(t, st, team.ID)
	wantMembers := map[string]bot.Member{
		"zhang": {UserID: "zhang", Name: "张主任", Role: bot.RoleSupervisor, Active: true},
		"sun":   {UserID: "sun", Name: "孙副主任", Role: bot.RoleSupervisor, Active: true},
		"li":    {UserID: "li", Name: "李科员", Role: bot.RoleStaff, Active: true},
		"chen":  {UserID: "chen", Name: "陈老师", Role: bot.RoleAdmin, Active: true},
		"it":    {UserID: "it", Name: "信息科", Role: bot.RoleAdmin, Active: true},
		"gone":  {UserID: "gone", Name: "离职者", Role: bot.RoleStaff, Active: false},
	}
	if len(got) != len(wantMembers) {
		t.Fatalf("members %+v", got)
	}
	for id, w := range wantMembers {
		w.TeamID = team.ID
		if got[id] != w {
			t.Errorf("%s: got %+v want %+v", id, got[id], w)
		}
	}
	audit1, _ := st.AuditLog(ctx, team.ID)
	if n := len(audit1) - len(audit0); n != 5 {
		t.Fatalf("first sync wrote %d audit entries, want 5", n)
	}

	// A second sync changes nothing and writes nothing.
	res, err = wecom.SyncMembers(ctx, c, st, team, 3, "wecom-sync")
	if err != nil {
		t.Fatal(err)
	}
	if res.Added+res.Updated+res.Deactivated != 0 || res.Unchanged != 6 {
		t.Fatalf("second sync %+v, want no changes", res)
	}
	if audit2, _ := st.AuditLog(ctx, team.ID); len(audit2) != len(audit1) {
		t.Fatalf("second sync wrote %d audit entries", len(audit2)-len(audit1))
	}

	// zhang leaves, sun is disabled, gone comes back, wu joins.
	srv.SetUsers(
		wecomtest.User{UserID: "li", Name: "李科员", Department: []int{3}, Status: 1},
		wecomtest.User{UserID: "chen", Name: "陈老师", Department: []int{3}, Status: 2},
		wecomtest.User{UserID: "sun", Name: "孙副主任", Department: []int{3}, IsLeaderInDept: []int{1}, Status: 2},
		wecomtest.User{UserID: "gone", Name: "离职者", Department: []int{3}, Status: 1},
		wecomtest.User{UserID: "wu", Name: "吴科员", Department: []int{3}, Status: 1},
	)
	res, err = wecom.SyncMembers(ctx, c, st, team, 3, "wecom-sync")
	if err != nil {
		t.Fatal(err)
	}
	want = wecom.SyncResult{Added: 1, Updated: 1, Deactivated: 2, Unchanged: 3, Kept: []string{"chen", "it"}}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("third sync %+v, want %+v", res, want)
	}
	got = membersByID(t, st, team.ID)
	if got["zhang"].Active || got["sun"].Active || !got["gone"].Active || !got["wu"].Active || !got["chen"].Active {
		t.Fatalf("after third sync %+v", got)
	}
	if got["chen"].Role != bot.RoleAdmin {
		t.Fatalf("admin demoted: %+v", got["chen"])
	}
}

func TestSyncMembersEmptyDepartmentChangesNothing(t *testing.T) {
	ctx := context.Background()
	c, srv, _, _ := newClient(t)
	st := memory.New()
	team, _ := st.EnsureTeam(ctx, bot.DefaultTeam)
	if err := st.PutMember(ctx, "cli", bot.Member{TeamID: team.ID, UserID: "a", Name: "甲", Role: bot.RoleStaff, Active: true}); err != nil {
		t.Fatal(err)
	}
	srv.SetUsers(wecomtest.User{UserID: "zhao", Name: "赵", Department: []int{9}, Status: 1})
	_, err := wecom.SyncMembers(ctx, c, st, team, 3, "wecom-sync")
	if !errors.Is(err, wecom.ErrEmptyDepartment) {
		t.Fatalf("err %v, want ErrEmptyDepartment", err)
	}
	if m := membersByID(t, st, team.ID)["a"]; !m.Active {
		t.Fatalf("member deactivated by an empty department: %+v", m)
	}
}

func TestSyncMembersAPIError(t *testing.T) {
	ctx := context.Background()
	c, srv, _, _ := newClient(t)
	st := memory.New()
	team, _ := st.EnsureTeam(ctx, bot.DefaultTeam)
	srv.FailNext("user/list", 60011, 1)
	_, err := wecom.SyncMembers(ctx, c, st, team, 3, "wecom-sync")
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != 60011 {
		t.Fatalf("err %v, want errcode 60011", err)
	}
	if ms, _ := st.Members(ctx, team.ID); len(ms) != 0 {
		t.Fatalf("members written on error: %+v", ms)
	}
}

func TestMemberSyncOnce(t *testing.T) {
	ctx := context.Background()
	c, srv, _, _ := newClient(t)
	st := memory.New()
	team, _ := st.EnsureTeam(ctx, bot.DefaultTeam)
	if err := st.PutMember(ctx, "cli", bot.Member{TeamID: team.ID, UserID: "old", Name: "旧", Role: bot.RoleStaff, Active: true}); err != nil {
		t.Fatal(err)
	}
	srv.SetUsers(wecomtest.User{UserID: "a", Name: "甲", Department: []int{3}, Status: 1})
	sync := wecom.MemberSync{Dir: c, Store: st, Team: team, DeptID: 3, Log: slog.New(slog.DiscardHandler)}
	for range 2 {
		if _, err := sync.Once(ctx); err != nil {
			t.Fatal(err)
		}
	}
	m := membersByID(t, st, team.ID)
	if !m["a"].Active || m["old"].Active {
		t.Fatalf("after the sync: %+v", m)
	}
	if n := len(srv.Requests("user/list")); n != 2 {
		t.Fatalf("%d syncs, want 2", n)
	}
	// The second sync changed nothing: after the team and the hand-made add, two sync changes.
	if a, _ := st.AuditLog(ctx, team.ID); len(a) != 4 || a[2].Actor != "wecom-sync" || a[3].Actor != "wecom-sync" {
		t.Fatalf("audit %+v", a)
	}
}
