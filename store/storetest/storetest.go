// Package storetest is the conformance suite every bot.Store must pass, so the embedded memory
// store and the PostgreSQL store cannot drift. A store's test calls Run with a constructor that
// returns a fresh, empty store for each subtest.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/workday"
)

// NewStore returns a fresh, empty store for one subtest; cleanup goes through t.Cleanup.
type NewStore func(t *testing.T) bot.Store

// Run runs the whole conformance suite. Subtests run in parallel, each on its own store.
func Run(t *testing.T, newStore NewStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s bot.Store)
	}{
		{"Teams", testTeams},
		{"Members", testMembers},
		{"Units", testUnits},
		{"Memberships", testMemberships},
		{"PlanOrigins", testPlanOrigins},
		{"BulkAllOrNothing", testBulkAllOrNothing},
		{"ImportNew", testImportNew},
		{"ReimportIdentical", testReimportIdentical},
		{"ReimportEdited", testReimportEdited},
		{"RetiredKeyReappears", testRetiredReappears},
		{"ImportOtherYear", testImportOtherYear},
		{"ImportInvalidChangesNothing", testImportInvalid},
		{"BeforeTracking", testBeforeTracking},
		{"CompleteUndo", testCompleteUndo},
		{"TeamView", testTeamView},
		{"CompleteConcurrent", testCompleteConcurrent},
		{"Assign", testAssign},
		{"AddObligation", testAddObligation},
		{"Ordering", testOrdering},
		{"Figures", testFigures},
		{"SeenMessage", testSeenMessage},
		{"EffectsOncePerMessage", testEffectsOnce},
		{"UndoOnlyOwn", testUndoOnlyOwn},
		{"AddAssignOncePerMessage", testAddAssignOnce},
		{"RecordedReply", testRecordedReply},
		{"PruneMessages", testPruneMessages},
		{"Audit", testAudit},
		{"TeamIsolation", testTeamIsolation},
		{"SamplePlan", testSamplePlan},
		{"SampleItemInserted", testSampleItemInserted},
		{"ActorRequired", testActorRequired},
		{"Ping", func(t *testing.T, s bot.Store) { must(t, s.Ping(context.Background())) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}

// T0 is the instant the suite's clock starts at: 2026-03-02 09:00 in Shanghai.
var T0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func at(minutes int) time.Time { return T0.Add(time.Duration(minutes) * time.Minute) }

func d(m time.Month, day int) bot.Date { return bot.NewDate(2026, m, day) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want errors.Is(%v)", err, target)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil || bot.ErrorCode(err) != code {
		t.Fatalf("error = %v (code %q), want code %q", err, bot.ErrorCode(err), code)
	}
}

func team(t *testing.T, s bot.Store, name string) bot.Team {
	t.Helper()
	tm, err := s.EnsureTeam(context.Background(), name)
	must(t, err)
	return tm
}

// samplePlan is a small plan built by hand: four obligations of every rule.
func samplePlan() bot.Plan {
	return bot.Plan{
		Title: "测试2026年度学生资助工作月计划",
		Year:  2026,
		Obligations: []bot.Obligation{
			{Key: "2026-03/1a", Title: "更新维护学生资助管理信息系统数据", Due: d(3, 20), Period: "2026-03", Rule: bot.RuleMonthly, Line: 10},
			{Key: "2026-03/1b", Title: "上报当月月点评季通报表", Due: d(3, 28), Period: "2026-03", Rule: bot.RuleMonthly, Line: 10},
			{Key: "2026-03/2", Title: "审核汇总春季国家助学金名单", Due: d(3, 31), Period: "2026-03", Rule: bot.RuleOngoing, Line: 11},
			{Key: "2026-04/1", Title: "开展建档立卡资助对象比对认定", Due: d(4, 30), Start: d(4, 10), Period: "2026-04", Rule: bot.RuleOnce, Line: 20},
		},
	}
}

func importOpts(today bot.Date) bot.ImportOptions {
	return bot.ImportOptions{Source: "plan.txt", Hash: "h1", Actor: "cli", Today: today, At: at(0)}
}

func obligations(t *testing.T, s bot.Store, teamID int64, retired bool) map[string]bot.Tracked {
	t.Helper()
	list, err := s.Obligations(context.Background(), teamID, retired)
	must(t, err)
	out := map[string]bot.Tracked{}
	for _, o := range list {
		if _, dup := out[o.Key]; dup {
			t.Fatalf("key %s listed twice", o.Key)
		}
		out[o.Key] = o
	}
	return out
}

func auditLen(t *testing.T, s bot.Store, teamID int64) int {
	t.Helper()
	log, err := s.AuditLog(context.Background(), teamID)
	must(t, err)
	return len(log)
}

func testTeams(t *testing.T, s bot.Store) {
	ctx := context.Background()
	def := team(t, s, bot.DefaultTeam)
	if def.ID == 0 || def.Name != "default" || def.TimeZone != "Asia/Shanghai" || def.DigestCron != "30 8 * * *" || def.GroupTarget != "" {
		t.Fatalf("default team = %+v", def)
	}
	again := team(t, s, bot.DefaultTeam)
	if again != def {
		t.Fatalf("EnsureTeam again = %+v, want %+v", again, def)
	}
	other := team(t, s, "淮北")
	if other.ID == def.ID {
		t.Fatal("second team got the same id")
	}
	other.DigestCron = "0 9 * * 1-5"
	other.GroupTarget = "webhook:KEY"
	must(t, s.UpdateTeam(ctx, other))
	teams, err := s.Teams(ctx)
	must(t, err)
	if len(teams) != 2 || teams[0] != def || teams[1] != other {
		t.Fatalf("Teams = %+v, want [%+v %+v]", teams, def, other)
	}
	if got := team(t, s, "淮北"); got != other {
		t.Fatalf("after update EnsureTeam = %+v, want %+v", got, other)
	}
	wantIs(t, s.UpdateTeam(ctx, bot.Team{ID: other.ID + 1000, Name: "x"}), bot.ErrNotFound)
}

// testUnits: units form a tree; a cycle, an unknown or removed parent, a taken name and removing
// a unit with live units below are refused and change nothing; removed units are kept.
func testUnits(t *testing.T, s bot.Store) {
	ctx := context.Background()
	u := addCityUnits(t, s)
	city, sx, xs, school := u.city, u.county, u.district, u.school
	refuseUnitChanges(t, s, u)
	rm := sx
	rm.Removed = true
	// move the school to the other county, then remove it: kept, marked removed
	school.ParentID = xs.ID
	must(t, s.UpdateTeam(ctx, school))
	school.Removed = true
	must(t, s.UpdateTeam(ctx, school))
	_, err := s.AddTeam(ctx, "cli", bot.Team{Name: "新校", ParentID: school.ID})
	wantCode(t, err, bot.EINVALID)
	must(t, s.UpdateTeam(ctx, rm)) // nothing live below 濉溪县 now
	teams, err := s.Teams(ctx)
	must(t, err)
	want := []bot.Team{city, {ID: sx.ID, Name: "濉溪县", TimeZone: sx.TimeZone, DigestCron: "0 8 * * 1-5", ParentID: city.ID, Removed: true}, xs, school}
	if len(teams) != len(want) {
		t.Fatalf("Teams = %+v", teams)
	}
	for i := range want {
		if teams[i] != want[i] {
			t.Fatalf("Teams[%d] = %+v, want %+v", i, teams[i], want[i])
		}
	}
	tree := bot.NewTree(teams)
	if got := tree.Subtree(city.ID); len(got) != 2 || got[0].ID != city.ID || got[1].ID != xs.ID {
		t.Fatalf("live subtree of the city = %+v", got)
	}
	log, err := s.AuditLog(ctx, school.ID)
	must(t, err)
	if len(log) != 3 || log[0].Action != "team.create" || log[0].Actor != "cli" || log[1].Action != "team.update" || log[2].Action != "team.remove" {
		t.Fatalf("school audit = %+v", log)
	}
	if p := jsonField(t, log[1].After, "parent_id"); p != float64(xs.ID) {
		t.Fatalf("move audit parent_id = %v, want %d", p, xs.ID)
	}
	// one unit by name, removed ones too (the scheduler reads a delivery's unit this way)
	if byName, ok := s.(interface {
		TeamByName(ctx context.Context, name string) (bot.Team, error)
	}); ok {
		got, err := byName.TeamByName(ctx, "濉溪中学")
		must(t, err)
		if got != school {
			t.Fatalf("TeamByName = %+v, want %+v", got, school)
		}
		_, err = byName.TeamByName(ctx, "无此校")
		wantIs(t, err, bot.ErrNotFound)
	}
	// a removed unit comes back
	school.Removed = false
	must(t, s.UpdateTeam(ctx, school))
	if got, _ := s.EnsureTeam(ctx, "濉溪中学"); got.Removed || got.ParentID != xs.ID {
		t.Fatalf("restored school = %+v", got)
	}
}

// cityUnits is the tree testUnits builds: a city with a county (and its school) and a district.
type cityUnits struct{ city, county, district, school bot.Team }

// addCityUnits adds the city's units and checks what AddTeam returned: the parents, the
// defaults and the settings given.
func addCityUnits(t *testing.T, s bot.Store) cityUnits {
	t.Helper()
	ctx := context.Background()
	city, err := s.AddTeam(ctx, "cli", bot.Team{Name: "淮北市", GroupTarget: "webhook:CITY"})
	must(t, err)
	if city.ID == 0 || city.ParentID != 0 || city.TimeZone != bot.DefaultTimeZone || city.DigestCron != bot.DefaultDigestCron || city.GroupTarget != "webhook:CITY" {
		t.Fatalf("city = %+v", city)
	}
	sx, err := s.AddTeam(ctx, "cli", bot.Team{Name: "濉溪县", ParentID: city.ID, DigestCron: "0 8 * * 1-5"})
	must(t, err)
	xs, err := s.AddTeam(ctx, "cli", bot.Team{Name: "相山区", ParentID: city.ID})
	must(t, err)
	school, err := s.AddTeam(ctx, "cli", bot.Team{Name: "濉溪中学", ParentID: sx.ID})
	must(t, err)
	if sx.ParentID != city.ID || sx.DigestCron != "0 8 * * 1-5" || school.ParentID != sx.ID {
		t.Fatalf("county %+v school %+v", sx, school)
	}
	return cityUnits{city: city, county: sx, district: xs, school: school}
}

// refuseUnitChanges: a taken name, an unknown parent, a bad name, no actor, a cycle and removing
// a unit with live units below are refused, and write no audit entry.
func refuseUnitChanges(t *testing.T, s bot.Store, u cityUnits) {
	t.Helper()
	ctx := context.Background()
	n := auditLen(t, s, u.city.ID)
	_, err := s.AddTeam(ctx, "cli", bot.Team{Name: "濉溪县", ParentID: u.city.ID})
	wantCode(t, err, bot.ECONFLICT)
	_, err = s.AddTeam(ctx, "cli", bot.Team{Name: "无名", ParentID: u.school.ID + 1000})
	wantCode(t, err, bot.EINVALID)
	_, err = s.AddTeam(ctx, "cli", bot.Team{Name: "两个 字"})
	wantCode(t, err, bot.EINVALID)
	_, err = s.AddTeam(ctx, "", bot.Team{Name: "无人"})
	wantCode(t, err, bot.EINVALID)
	// a cycle: the city under its own school
	c2 := u.city
	c2.ParentID = u.school.ID
	wantCode(t, s.UpdateTeam(ctx, c2), bot.EINVALID)
	c2.ParentID = u.city.ID
	wantCode(t, s.UpdateTeam(ctx, c2), bot.EINVALID)
	// a county with a school below cannot be removed
	rm := u.county
	rm.Removed = true
	wantCode(t, s.UpdateTeam(ctx, rm), bot.EINVALID)
	if auditLen(t, s, u.city.ID) != n {
		t.Fatal("refused unit changes wrote audit entries")
	}
}

// testMemberships: a person's active memberships across units, and the unit they chose.
func testMemberships(t *testing.T, s bot.Store) {
	ctx := context.Background()
	city, err := s.AddTeam(ctx, "cli", bot.Team{Name: "淮北市"})
	must(t, err)
	county, err := s.AddTeam(ctx, "cli", bot.Team{Name: "濉溪县", ParentID: city.ID})
	must(t, err)
	other, err := s.AddTeam(ctx, "cli", bot.Team{Name: "相山区", ParentID: city.ID})
	must(t, err)
	zc := bot.Member{TeamID: county.ID, UserID: "zhao", Name: "赵", Role: bot.RoleSupervisor, Active: true}
	zs := bot.Member{TeamID: city.ID, UserID: "zhao", Name: "赵", Role: bot.RoleStaff, Active: true}
	must(t, s.PutMember(ctx, "cli", zc))
	must(t, s.PutMember(ctx, "cli", zs))
	must(t, s.PutMember(ctx, "cli", bot.Member{TeamID: other.ID, UserID: "zhao", Name: "赵", Role: bot.RoleStaff, Active: true}))
	must(t, s.PutMember(ctx, "cli", bot.Member{TeamID: other.ID, UserID: "qian", Name: "钱", Role: bot.RoleStaff, Active: true}))
	must(t, s.RemoveMember(ctx, "cli", other.ID, "zhao"))
	ms, cur, err := s.Memberships(ctx, "zhao")
	must(t, err)
	if cur != 0 || len(ms) != 2 || ms[0] != zs || ms[1] != zc {
		t.Fatalf("Memberships(zhao) = %+v, %d; want [%+v %+v], 0", ms, cur, zs, zc)
	}
	ms, cur, err = s.Memberships(ctx, "nobody")
	must(t, err)
	if len(ms) != 0 || cur != 0 {
		t.Fatalf("Memberships(nobody) = %+v, %d", ms, cur)
	}
	must(t, s.SetCurrentUnit(ctx, "zhao", city.ID, at(5)))
	must(t, s.SetCurrentUnit(ctx, "zhao", city.ID, at(6))) // the same again: no change, no entry
	if _, cur, _ = s.Memberships(ctx, "zhao"); cur != city.ID {
		t.Fatalf("current after 切换 = %d, want %d", cur, city.ID)
	}
	wantIs(t, s.SetCurrentUnit(ctx, "zhao", other.ID+1000, at(7)), bot.ErrNotFound)
	must(t, s.SetCurrentUnit(ctx, "zhao", county.ID, at(8)))
	must(t, s.SetCurrentUnit(ctx, "zhao", 0, at(9)))
	if _, cur, _ = s.Memberships(ctx, "zhao"); cur != 0 {
		t.Fatalf("current after forgetting = %d", cur)
	}
	cl, err := s.AuditLog(ctx, city.ID)
	must(t, err)
	var switches []bot.AuditEntry
	for _, e := range cl {
		if e.Action == "member.switch" {
			switches = append(switches, e)
		}
	}
	if len(switches) != 1 || switches[0].Actor != "zhao" || !switches[0].At.Equal(at(5)) || jsonField(t, switches[0].After, "team_id") != float64(city.ID) {
		t.Fatalf("city switch audit = %+v", switches)
	}
	col, err := s.AuditLog(ctx, county.ID)
	must(t, err)
	n := 0
	for _, e := range col {
		if e.Action == "member.switch" {
			n++
		}
	}
	if n != 2 { // to the county, and forgetting it
		t.Fatalf("county switch audit entries = %d, want 2", n)
	}
}

// testPlanOrigins: a unit's own plan and a plan cascaded to it from above are diffed apart.
func testPlanOrigins(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, "濉溪县")
	_, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	up := bot.CascadePlan(samplePlan(), 3, workday.Weekdays{})
	opt := importOpts(d(3, 1))
	opt.Origin = bot.CascadeOrigin(1)
	res, err := s.ImportPlan(ctx, tm.ID, up, opt)
	must(t, err)
	if res.New != 4 || res.Retired != 0 || res.PlanID == 0 {
		t.Fatalf("cascaded import = %+v", res)
	}
	// the own plan again, identical: nothing of the cascaded plan is retired
	res, err = s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	if res.Retired != 0 || res.Unchanged != 4 {
		t.Fatalf("own re-import = %+v", res)
	}
	obs := obligations(t, s, tm.ID, false)
	if len(obs) != 8 {
		t.Fatalf("obligations = %d, want 8", len(obs))
	}
	if o := obs["up:2026-03/1a"]; o.Due != d(3, 17) { // 20 Mar is a Friday: three workdays before
		t.Fatalf("cascaded 2026-03/1a due %s", o.Due)
	}
	// a cascaded plan without one item retires it, and only it
	up.Obligations = up.Obligations[1:]
	res, err = s.ImportPlan(ctx, tm.ID, up, opt)
	must(t, err)
	if res.Retired != 1 || len(obligations(t, s, tm.ID, false)) != 7 {
		t.Fatalf("cascaded re-import = %+v", res)
	}
}

// testBulkAllOrNothing: PutUnits and PutMembers write every row or none.
func testBulkAllOrNothing(t *testing.T, s bot.Store) {
	ctx := context.Background()
	_, _, err := s.PutUnits(ctx, "cli", []bot.UnitSpec{{Row: 2, Name: "淮北市"}, {Row: 3, Name: "濉溪县", Parent: "淮北市"}, {Row: 4, Name: "x", Parent: "无此市"}})
	var re bot.RowErrors
	if !errors.As(err, &re) || len(re) != 1 {
		t.Fatalf("PutUnits with a bad row: %v", err)
	}
	if teams, _ := s.Teams(ctx); len(teams) != 0 {
		t.Fatalf("a refused PutUnits created %+v", teams)
	}
	added, changed, err := s.PutUnits(ctx, "cli", []bot.UnitSpec{{Row: 3, Name: "濉溪县", Parent: "淮北市", DigestCron: "0 8 * * *"}, {Row: 2, Name: "淮北市"}})
	must(t, err)
	if added != 2 || changed != 0 {
		t.Fatalf("PutUnits = %d added, %d changed", added, changed)
	}
	teams, err := s.Teams(ctx)
	must(t, err)
	tree := bot.NewTree(teams)
	city, _ := tree.ByName("淮北市")
	county, _ := tree.ByName("濉溪县")
	if county.ParentID != city.ID || county.DigestCron != "0 8 * * *" {
		t.Fatalf("county = %+v, city %+v", county, city)
	}
	n := auditLen(t, s, city.ID)
	good := bot.Member{TeamID: city.ID, UserID: "shi", Name: "市主任", Role: bot.RoleSupervisor, Active: true}
	_, _, err = s.PutMembers(ctx, "cli", []bot.Member{good, {TeamID: county.ID + 1000, UserID: "x", Name: "x", Role: bot.RoleStaff, Active: true}})
	wantIs(t, err, bot.ErrNotFound)
	_, _, err = s.PutMembers(ctx, "cli", []bot.Member{good, {TeamID: county.ID, UserID: "y", Name: "y", Role: "boss", Active: true}})
	wantCode(t, err, bot.EINVALID)
	if ms, _ := s.Members(ctx, city.ID); len(ms) != 0 || auditLen(t, s, city.ID) != n {
		t.Fatalf("a refused PutMembers wrote %+v", ms)
	}
	added, changed, err = s.PutMembers(ctx, "cli", []bot.Member{good, {TeamID: county.ID, UserID: "shi", Name: "市主任", Role: bot.RoleStaff, Active: true}})
	must(t, err)
	good.Name = "石主任"
	a2, c2, err := s.PutMembers(ctx, "cli", []bot.Member{good})
	must(t, err)
	if added != 2 || changed != 0 || a2 != 0 || c2 != 1 {
		t.Fatalf("PutMembers = %d/%d then %d/%d", added, changed, a2, c2)
	}
}

func testMembers(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	must(t, s.PutMember(ctx, "cli", bot.Member{TeamID: tm.ID, UserID: "zhangsan", Name: "张三", Role: bot.RoleStaff, Active: true}))
	must(t, s.PutMember(ctx, "cli", bot.Member{TeamID: tm.ID, UserID: "lisi", Name: "李四", Role: bot.RoleSupervisor, Active: true}))
	m, err := s.Member(ctx, tm.ID, "zhangsan")
	must(t, err)
	if m != (bot.Member{TeamID: tm.ID, UserID: "zhangsan", Name: "张三", Role: bot.RoleStaff, Active: true}) {
		t.Fatalf("Member = %+v", m)
	}
	// Update name and role.
	must(t, s.PutMember(ctx, "lisi", bot.Member{TeamID: tm.ID, UserID: "zhangsan", Name: "张三丰", Role: bot.RoleAdmin, Active: true}))
	m, err = s.Member(ctx, tm.ID, "zhangsan")
	must(t, err)
	if m.Name != "张三丰" || m.Role != bot.RoleAdmin {
		t.Fatalf("after update Member = %+v", m)
	}
	wantCode(t, s.PutMember(ctx, "cli", bot.Member{TeamID: tm.ID, UserID: "x", Name: "X", Role: "boss", Active: true}), bot.EINVALID)
	wantCode(t, s.PutMember(ctx, "cli", bot.Member{TeamID: tm.ID, UserID: "", Name: "X", Role: bot.RoleStaff, Active: true}), bot.EINVALID)
	wantIs(t, s.PutMember(ctx, "cli", bot.Member{TeamID: tm.ID + 1000, UserID: "x", Name: "X", Role: bot.RoleStaff, Active: true}), bot.ErrNotFound)

	must(t, s.RemoveMember(ctx, "lisi", tm.ID, "zhangsan"))
	m, err = s.Member(ctx, tm.ID, "zhangsan")
	must(t, err)
	if m.Active {
		t.Fatal("removed member still active")
	}
	n := auditLen(t, s, tm.ID)
	must(t, s.RemoveMember(ctx, "lisi", tm.ID, "zhangsan")) // already inactive: no change
	if auditLen(t, s, tm.ID) != n {
		t.Fatal("removing an inactive member wrote audit")
	}
	wantIs(t, s.RemoveMember(ctx, "lisi", tm.ID, "nobody"), bot.ErrNotFound)
	_, err = s.Member(ctx, tm.ID, "nobody")
	wantIs(t, err, bot.ErrNotFound)

	list, err := s.Members(ctx, tm.ID)
	must(t, err)
	if len(list) != 2 || list[0].UserID != "lisi" || list[1].UserID != "zhangsan" || list[1].Active {
		t.Fatalf("Members = %+v", list)
	}
	// Re-adding reactivates.
	must(t, s.PutMember(ctx, "cli", bot.Member{TeamID: tm.ID, UserID: "zhangsan", Name: "张三丰", Role: bot.RoleAdmin, Active: true}))
	if m, _ := s.Member(ctx, tm.ID, "zhangsan"); !m.Active {
		t.Fatal("re-added member inactive")
	}
	// Putting the same member again writes nothing.
	n = auditLen(t, s, tm.ID)
	must(t, s.PutMember(ctx, "cli", bot.Member{TeamID: tm.ID, UserID: "zhangsan", Name: "张三丰", Role: bot.RoleAdmin, Active: true}))
	if auditLen(t, s, tm.ID) != n {
		t.Fatal("unchanged PutMember wrote audit")
	}
	var actions []string
	log, err := s.AuditLog(ctx, tm.ID)
	must(t, err)
	for _, e := range log {
		if e.Target == "zhangsan" {
			actions = append(actions, e.Action)
		}
	}
	want := []string{"member.add", "member.update", "member.remove", "member.update"}
	if fmt.Sprint(actions) != fmt.Sprint(want) {
		t.Fatalf("audit actions for zhangsan = %v, want %v", actions, want)
	}
}

func testImportNew(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	p := samplePlan()
	res, err := s.ImportPlan(ctx, tm.ID, p, importOpts(d(3, 1)))
	must(t, err)
	if res.PlanID == 0 || res.New != 4 || res.Changed != 0 || res.Retired != 0 || res.Unchanged != 0 {
		t.Fatalf("ImportPlan = %+v", res)
	}
	list, err := s.Obligations(ctx, tm.ID, false)
	must(t, err)
	if len(list) != 4 {
		t.Fatalf("Obligations = %d, want 4", len(list))
	}
	for i, o := range list {
		want := p.Obligations[i]
		if o.Obligation != want {
			t.Errorf("obligation %d = %+v, want %+v", i, o.Obligation, want)
		}
		if o.ID == 0 || o.Retired || o.BeforeTracking || o.Assignee != "" || o.DoneBy != "" || o.Status() != bot.StatusOpen {
			t.Errorf("obligation %d tracked state = %+v", i, o)
		}
	}
	log, err := s.AuditLog(ctx, tm.ID)
	must(t, err)
	counts := map[string]int{}
	for _, e := range log {
		counts[e.Action]++
		if e.Action == "import" && (e.Actor != "cli" || !e.At.Equal(at(0))) {
			t.Errorf("import audit = %+v", e)
		}
	}
	if counts["import"] != 1 || counts["obligation.add"] != 4 {
		t.Fatalf("audit counts = %v", counts)
	}
}

func testReimportIdentical(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	first, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	must(t, s.Complete(ctx, tm.ID, "zhangsan", "2026-03/1a", "", at(5), bot.Effect{}))
	before := obligations(t, s, tm.ID, true)
	n := auditLen(t, s, tm.ID)
	opt := importOpts(d(3, 25)) // a later day: nothing may become before-tracking
	opt.At = at(60)
	res, err := s.ImportPlan(ctx, tm.ID, samplePlan(), opt)
	must(t, err)
	if res != (bot.ImportResult{PlanID: first.PlanID, Unchanged: 4}) {
		t.Fatalf("re-import = %+v, want only 4 unchanged of plan %d", res, first.PlanID)
	}
	after := obligations(t, s, tm.ID, true)
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Fatalf("re-import changed obligations:\n%v\n%v", before, after)
	}
	if got := auditLen(t, s, tm.ID); got != n {
		t.Fatalf("identical re-import wrote %d audit entries", got-n)
	}
}

func testReimportEdited(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	first, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	must(t, s.Complete(ctx, tm.ID, "zhangsan", "2026-03/2", "已审核", at(5), bot.Effect{}))
	must(t, s.Complete(ctx, tm.ID, "zhangsan", "2026-03/1b", "", at(6), bot.Effect{}))
	must(t, s.Assign(ctx, tm.ID, "lisi", "2026-03/1a", "wangwu", at(7), bot.Effect{}))

	p := samplePlan()
	p.Obligations[0].Title = "更新维护学生资助管理及建档立卡信息系统数据" // changed title, same key
	p.Obligations[3].Due = d(4, 29)                  // changed date
	removed := p.Obligations[1]                      // 2026-03/1b removed
	p.Obligations = append(p.Obligations[:1], p.Obligations[2:]...)
	p.Obligations = append(p.Obligations, bot.Obligation{Key: "2026-05/1", Title: "确保资金发放", Due: d(5, 25), Period: "2026-05", Rule: bot.RuleOnce, Line: 30})
	opt := importOpts(d(3, 10))
	opt.Hash, opt.At = "h2", at(60)
	res, err := s.ImportPlan(ctx, tm.ID, p, opt)
	must(t, err)
	if res != (bot.ImportResult{PlanID: first.PlanID, New: 1, Changed: 2, Retired: 1, Unchanged: 1}) {
		t.Fatalf("edited import = %+v", res)
	}
	live := obligations(t, s, tm.ID, false)
	if len(live) != 4 {
		t.Fatalf("live obligations = %d, want 4", len(live))
	}
	if _, ok := live[removed.Key]; ok {
		t.Fatal("removed key still live")
	}
	if o := live["2026-03/1a"]; o.Title != p.Obligations[0].Title || o.Assignee != "wangwu" {
		t.Fatalf("updated obligation = %+v (assignee must be kept)", o)
	}
	if o := live["2026-04/1"]; o.Due != d(4, 29) {
		t.Fatalf("updated due = %v", o.Due)
	}
	if o := live["2026-03/2"]; o.DoneBy != "zhangsan" || o.DoneNote != "已审核" || o.Status() != bot.StatusDone {
		t.Fatalf("completion of an unchanged key lost: %+v", o)
	}
	all := obligations(t, s, tm.ID, true)
	old, ok := all[removed.Key]
	if len(all) != 5 || !ok || !old.Retired || old.Status() != bot.StatusRetired || old.Title != removed.Title {
		t.Fatalf("retired obligation = %+v (all %d)", old, len(all))
	}
	comps, err := s.Completions(ctx, tm.ID)
	must(t, err)
	if len(comps) != 2 || comps[1].Key != removed.Key {
		t.Fatalf("completions = %+v: the retired key's completion must be kept", comps)
	}
	// Importing the edited plan again changes nothing.
	n := auditLen(t, s, tm.ID)
	res, err = s.ImportPlan(ctx, tm.ID, p, opt)
	must(t, err)
	if res.New+res.Changed+res.Retired != 0 || res.Unchanged != 4 || auditLen(t, s, tm.ID) != n {
		t.Fatalf("second edited import = %+v, audit %d -> %d", res, n, auditLen(t, s, tm.ID))
	}
	log, err := s.AuditLog(ctx, tm.ID)
	must(t, err)
	var found bool
	for _, e := range log {
		if e.Action == "obligation.update" && e.Target == "2026-03/1a" {
			found = true
			if jsonField(t, e.Before, "title") != "更新维护学生资助管理信息系统数据" || jsonField(t, e.After, "title") != p.Obligations[0].Title {
				t.Fatalf("update audit before/after = %s / %s", e.Before, e.After)
			}
		}
	}
	if !found {
		t.Fatal("no obligation.update audit entry")
	}
}

func testRetiredReappears(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	_, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	must(t, s.Complete(ctx, tm.ID, "zhangsan", "2026-03/1b", "", at(5), bot.Effect{}))
	short := samplePlan()
	short.Obligations = short.Obligations[:1]
	res, err := s.ImportPlan(ctx, tm.ID, short, importOpts(d(3, 1)))
	must(t, err)
	if res.Retired != 3 || res.Unchanged != 1 {
		t.Fatalf("short import = %+v", res)
	}
	res, err = s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	if res.New != 3 || res.Unchanged != 1 || res.Retired != 0 {
		t.Fatalf("full import again = %+v", res)
	}
	live := obligations(t, s, tm.ID, false)
	if len(live) != 4 {
		t.Fatalf("live = %d, want 4", len(live))
	}
	if o := live["2026-03/1b"]; o.Retired || o.DoneBy != "zhangsan" {
		t.Fatalf("restored obligation = %+v: must be live with its completion", o)
	}
}

func testImportOtherYear(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	r1, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	p := bot.Plan{Title: "2027计划", Year: 2027, Obligations: []bot.Obligation{
		{Key: "2027-01/1", Title: "撰写上年度资助工作总结", Due: bot.NewDate(2027, 1, 31), Period: "2027-01", Rule: bot.RuleOngoing, Line: 5},
	}}
	r2, err := s.ImportPlan(ctx, tm.ID, p, importOpts(d(3, 1)))
	must(t, err)
	if r2.PlanID == r1.PlanID || r2.New != 1 || r2.Retired != 0 {
		t.Fatalf("other year import = %+v (first plan %d)", r2, r1.PlanID)
	}
	if n := len(obligations(t, s, tm.ID, false)); n != 5 {
		t.Fatalf("live = %d, want 5: another year's plan must not retire this one", n)
	}
}

func testImportInvalid(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	p := samplePlan()
	p.Obligations = append(p.Obligations, p.Obligations[0]) // duplicate key
	_, err := s.ImportPlan(ctx, tm.ID, p, importOpts(d(3, 1)))
	wantCode(t, err, bot.EINVALID)
	p = samplePlan()
	p.Obligations[2].Due = bot.Date{}
	_, err = s.ImportPlan(ctx, tm.ID, p, importOpts(d(3, 1)))
	if err == nil {
		t.Fatal("import with a missing due date succeeded")
	}
	if n := len(obligations(t, s, tm.ID, true)); n != 0 {
		t.Fatalf("a failed import left %d obligations", n)
	}
	_, err = s.ImportPlan(ctx, tm.ID+1000, samplePlan(), importOpts(d(3, 1)))
	wantIs(t, err, bot.ErrNotFound)
}

func testBeforeTracking(t *testing.T, s bot.Store) {
	ctx := context.Background()
	a := team(t, s, "a")
	b := team(t, s, "b")
	_, err := s.ImportPlan(ctx, a.ID, samplePlan(), importOpts(d(3, 28)))
	must(t, err)
	got := obligations(t, s, a.ID, false)
	want := map[string]bool{"2026-03/1a": true, "2026-03/1b": false, "2026-03/2": false, "2026-04/1": false}
	for k, w := range want {
		if got[k].BeforeTracking != w {
			t.Errorf("%s BeforeTracking = %v, want %v (today 3-28, due %v)", k, got[k].BeforeTracking, w, got[k].Due)
		}
	}
	if got["2026-03/1a"].Status() != bot.StatusBeforeTracking {
		t.Errorf("status = %s", got["2026-03/1a"].Status())
	}
	opt := importOpts(d(3, 28))
	opt.TrackPast = true
	_, err = s.ImportPlan(ctx, b.ID, samplePlan(), opt)
	must(t, err)
	for k, o := range obligations(t, s, b.ID, false) {
		if o.BeforeTracking {
			t.Errorf("%s before tracking despite TrackPast", k)
		}
	}
	// Completing a before-tracking obligation makes it done.
	must(t, s.Complete(ctx, a.ID, "zhangsan", "2026-03/1a", "", at(1), bot.Effect{}))
	if o := obligations(t, s, a.ID, false)["2026-03/1a"]; o.Status() != bot.StatusDone {
		t.Errorf("status after completion = %s", o.Status())
	}
}

// TeamView answers what Obligations and Members answer, after every write at once, and its
// slices are the caller's own.
func testTeamView(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	_, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	must(t, s.PutMember(ctx, "cli", bot.Member{TeamID: tm.ID, UserID: "zhangsan", Name: "张三", Role: bot.RoleStaff, Active: true}))
	same := func(step string) ([]bot.Tracked, []bot.Member) {
		t.Helper()
		for _, retired := range []bool{false, true} {
			items, ms, err := s.TeamView(ctx, tm.ID, retired)
			must(t, err)
			wantItems, err := s.Obligations(ctx, tm.ID, retired)
			must(t, err)
			wantMembers, err := s.Members(ctx, tm.ID)
			must(t, err)
			if !reflect.DeepEqual(items, wantItems) || !reflect.DeepEqual(ms, wantMembers) {
				t.Fatalf("%s: TeamView(%v) = %+v, %+v; want %+v, %+v", step, retired, items, ms, wantItems, wantMembers)
			}
		}
		items, ms, err := s.TeamView(ctx, tm.ID, false)
		must(t, err)
		return items, ms
	}
	items, ms := same("imported")
	if len(items) == 0 || len(ms) != 1 || ms[0].Name != "张三" {
		t.Fatalf("TeamView = %d items, members %+v", len(items), ms)
	}
	items[0].Title, ms[0].Name = "changed by the caller", "changed by the caller"
	const key = "2026-03/1a"
	must(t, s.Complete(ctx, tm.ID, "zhangsan", key, "", at(10), bot.Effect{}))
	items, _ = same("completed")
	if i := slices.IndexFunc(items, func(o bot.Tracked) bool { return o.Key == key }); i < 0 || items[i].DoneBy != "zhangsan" {
		t.Fatalf("TeamView after Complete does not show it: %+v", items)
	}
	must(t, s.PutMember(ctx, "cli", bot.Member{TeamID: tm.ID, UserID: "zhangsan", Name: "张老师", Role: bot.RoleStaff, Active: true}))
	if _, ms = same("renamed"); len(ms) != 1 || ms[0].Name != "张老师" {
		t.Fatalf("TeamView after the rename: %+v", ms)
	}
}

func testCompleteUndo(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	_, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	const key = "2026-03/1a"
	must(t, s.Complete(ctx, tm.ID, "zhangsan", key, "已更新", at(10), bot.Effect{}))
	o := obligations(t, s, tm.ID, false)[key]
	if o.DoneBy != "zhangsan" || !o.DoneAt.Equal(at(10)) || o.DoneNote != "已更新" || o.Status() != bot.StatusDone {
		t.Fatalf("after complete: %+v", o)
	}
	wantIs(t, s.Complete(ctx, tm.ID, "lisi", key, "", at(11), bot.Effect{}), bot.ErrAlreadyDone)
	comps, err := s.Completions(ctx, tm.ID)
	must(t, err)
	if len(comps) != 1 || comps[0].By != "zhangsan" || comps[0].Key != key {
		t.Fatalf("completions after double complete = %+v", comps)
	}
	wantIs(t, s.Undo(ctx, tm.ID, "lisi", "2026-03/1b", at(12), bot.Effect{}), bot.ErrNotDone)
	must(t, s.Undo(ctx, tm.ID, "lisi", key, at(12), bot.Effect{}))
	wantIs(t, s.Undo(ctx, tm.ID, "lisi", key, at(13), bot.Effect{}), bot.ErrNotDone)
	o = obligations(t, s, tm.ID, false)[key]
	if o.DoneBy != "" || !o.DoneAt.IsZero() || o.Status() != bot.StatusOpen {
		t.Fatalf("after undo: %+v", o)
	}
	comps, err = s.Completions(ctx, tm.ID)
	must(t, err)
	if len(comps) != 1 || comps[0].UndoneBy != "lisi" || !comps[0].UndoneAt.Equal(at(12)) || comps[0].Note != "已更新" {
		t.Fatalf("undone completion = %+v: undo must be recorded, not deleted", comps)
	}
	must(t, s.Complete(ctx, tm.ID, "wangwu", key, "", at(20), bot.Effect{}))
	comps, err = s.Completions(ctx, tm.ID)
	must(t, err)
	if len(comps) != 2 || comps[1].By != "wangwu" || !comps[1].UndoneAt.IsZero() || !comps[1].At.Equal(at(20)) {
		t.Fatalf("completions after re-complete = %+v", comps)
	}
	if o := obligations(t, s, tm.ID, false)[key]; o.DoneBy != "wangwu" {
		t.Fatalf("live completion = %+v", o)
	}
	wantIs(t, s.Complete(ctx, tm.ID, "x", "no-such-key", "", at(21), bot.Effect{}), bot.ErrNotFound)
	wantIs(t, s.Undo(ctx, tm.ID, "x", "no-such-key", at(21), bot.Effect{}), bot.ErrNotFound)
}

func testCompleteConcurrent(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	_, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Complete(ctx, tm.ID, fmt.Sprintf("u%d", i), "2026-03/2", "", at(i), bot.Effect{})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, bot.ErrAlreadyDone):
			t.Fatalf("concurrent complete: %v", err)
		}
	}
	comps, err := s.Completions(ctx, tm.ID)
	must(t, err)
	if ok != 1 || len(comps) != 1 {
		t.Fatalf("%d successes, %d completions; want exactly one", ok, len(comps))
	}
}

func testAssign(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	_, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	must(t, s.Assign(ctx, tm.ID, "lisi", "2026-03/2", "zhangsan", at(1), bot.Effect{}))
	if o := obligations(t, s, tm.ID, false)["2026-03/2"]; o.Assignee != "zhangsan" {
		t.Fatalf("assignee = %q", o.Assignee)
	}
	must(t, s.Assign(ctx, tm.ID, "lisi", "2026-03/2", "wangwu", at(2), bot.Effect{}))
	must(t, s.Assign(ctx, tm.ID, "lisi", "2026-03/2", "", at(3), bot.Effect{}))
	if o := obligations(t, s, tm.ID, false)["2026-03/2"]; o.Assignee != "" {
		t.Fatalf("cleared assignee = %q", o.Assignee)
	}
	wantIs(t, s.Assign(ctx, tm.ID, "lisi", "nope", "x", at(4), bot.Effect{}), bot.ErrNotFound)
	log, err := s.AuditLog(ctx, tm.ID)
	must(t, err)
	var got []string
	for _, e := range log {
		if e.Action == "assign" {
			got = append(got, fmt.Sprintf("%v>%v", jsonField(t, e.Before, "assignee"), jsonField(t, e.After, "assignee")))
		}
	}
	if want := "[<nil>>zhangsan zhangsan>wangwu wangwu><nil>]"; fmt.Sprint(got) != want {
		t.Fatalf("assign audit = %v, want %s", got, want)
	}
}

func testAddObligation(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	_, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	o := bot.Obligation{Key: "h-1", Title: "报送资助政策宣传材料", Due: d(3, 25), Period: "2026-03", Rule: bot.RuleOnce}
	tr, err := s.AddObligation(ctx, tm.ID, "lisi", o, at(1), bot.Effect{})
	must(t, err)
	if tr.ID == 0 || tr.Obligation != o || tr.Retired || tr.BeforeTracking {
		t.Fatalf("AddObligation = %+v", tr)
	}
	_, err = s.AddObligation(ctx, tm.ID, "lisi", o, at(2), bot.Effect{})
	wantIs(t, err, bot.ErrAlreadyDone)
	_, err = s.AddObligation(ctx, tm.ID, "lisi", bot.Obligation{Title: "no key", Due: d(3, 25)}, at(2), bot.Effect{})
	wantCode(t, err, bot.EINVALID)
	list, err := s.Obligations(ctx, tm.ID, false)
	must(t, err)
	if len(list) != 5 || list[1].Key != "h-1" { // due 3-25 sorts between 3-20 and 3-28
		t.Fatalf("Obligations = %v", keys(list))
	}
	// A re-import of the plan leaves hand-added obligations alone.
	res, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	if res.Retired != 0 {
		t.Fatalf("re-import retired %d (hand-added must stay)", res.Retired)
	}
	must(t, s.Complete(ctx, tm.ID, "zhangsan", "h-1", "", at(3), bot.Effect{}))
}

func keys(list []bot.Tracked) []string {
	var out []string
	for _, o := range list {
		out = append(out, o.Key)
	}
	return out
}

func testOrdering(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	p := bot.Plan{Title: "order", Year: 2026, Obligations: []bot.Obligation{
		{Key: "c", Title: "c", Due: d(5, 1), Period: "2026-05", Rule: bot.RuleOnce, Line: 3},
		{Key: "b", Title: "b", Due: d(5, 1), Period: "2026-05", Rule: bot.RuleOnce, Line: 3},
		{Key: "a", Title: "a", Due: d(5, 1), Period: "2026-05", Rule: bot.RuleOnce, Line: 9},
		{Key: "z", Title: "z", Due: d(4, 30), Period: "2026-04", Rule: bot.RuleOnce, Line: 50},
		{Key: "y", Title: "y", Due: d(12, 31), Period: "2026-12", Rule: bot.RuleOnce, Line: 1},
	}}
	_, err := s.ImportPlan(ctx, tm.ID, p, importOpts(d(1, 1)))
	must(t, err)
	list, err := s.Obligations(ctx, tm.ID, false)
	must(t, err)
	if got := fmt.Sprint(keys(list)); got != "[z b c a y]" {
		t.Fatalf("order = %s, want [z b c a y] (due, line, key)", got)
	}
}

func testFigures(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	add := func(f bot.Figure) bot.Figure {
		t.Helper()
		f.TeamID = tm.ID
		got, err := s.AddFigure(ctx, f, bot.Effect{})
		must(t, err)
		if got.ID == 0 || got.Programme != f.Programme || got.AmountFen != f.AmountFen || !got.At.Equal(f.At) {
			t.Fatalf("AddFigure = %+v", got)
		}
		return got
	}
	f1 := add(bot.Figure{Programme: "国家助学金", Stage: "中职", Term: "春季", Year: 2026, Persons: 120, PersonTimes: 120, AmountFen: 12000000, By: "zhangsan", At: at(1), Note: "第一批"})
	f2 := add(bot.Figure{Programme: "国家助学金", Stage: "普通高中", Term: "秋季", Year: 2026, Persons: 80, PersonTimes: 80, AmountFen: 8000000, By: "zhangsan", At: at(2)})
	f3 := add(bot.Figure{Programme: "免学费", Stage: "中职", Year: 2026, Month: 3, Persons: 10, PersonTimes: 30, AmountFen: 9007199254740993, By: "lisi", At: at(3)})
	if f1.ID == f2.ID || f2.ID == f3.ID {
		t.Fatal("figure ids not distinct")
	}
	filter := func(ff bot.FigureFilter) []int64 {
		t.Helper()
		list, err := s.Figures(ctx, tm.ID, ff)
		must(t, err)
		var ids []int64
		for _, f := range list {
			ids = append(ids, f.ID)
		}
		return ids
	}
	ids := func(fs ...bot.Figure) []int64 {
		var out []int64
		for _, f := range fs {
			out = append(out, f.ID)
		}
		return out
	}
	cases := []struct {
		ff   bot.FigureFilter
		want []int64
	}{
		{bot.FigureFilter{}, ids(f1, f2, f3)},
		{bot.FigureFilter{Programme: "国家助学金"}, ids(f1, f2)},
		{bot.FigureFilter{Term: "秋季"}, ids(f2)},
		{bot.FigureFilter{Year: 2026, Month: 3}, ids(f3)},
		{bot.FigureFilter{Year: 2025}, nil},
	}
	for _, c := range cases {
		if got := filter(c.ff); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("Figures(%+v) = %v, want %v", c.ff, got, c.want)
		}
	}
	all, err := s.Figures(ctx, tm.ID, bot.FigureFilter{})
	must(t, err)
	if all[2].AmountFen != 9007199254740993 || all[2].PersonTimes != 30 || all[2].Month != 3 || all[0].Note != "第一批" || all[0].Stage != "中职" {
		t.Fatalf("figures round trip = %+v", all)
	}
	must(t, s.VoidFigure(ctx, tm.ID, f2.ID, "lisi", at(10), bot.Effect{}))
	wantIs(t, s.VoidFigure(ctx, tm.ID, f2.ID, "lisi", at(11), bot.Effect{}), bot.ErrAlreadyDone)
	wantIs(t, s.VoidFigure(ctx, tm.ID, f2.ID+1000, "lisi", at(11), bot.Effect{}), bot.ErrNotFound)
	if got := filter(bot.FigureFilter{Programme: "国家助学金"}); fmt.Sprint(got) != fmt.Sprint(ids(f1)) {
		t.Errorf("after void = %v", got)
	}
	list, err := s.Figures(ctx, tm.ID, bot.FigureFilter{Programme: "国家助学金", IncludeVoid: true})
	must(t, err)
	if len(list) != 2 || !list[1].Void() || list[1].VoidedBy != "lisi" || !list[1].VoidedAt.Equal(at(10)) {
		t.Fatalf("with void = %+v", list)
	}
	for _, bad := range []bot.Figure{
		{Programme: "x", Year: 2026, Month: 13},
		{Programme: "x", Year: 2026, AmountFen: -1},
		{Programme: "x", Year: 2026, Persons: -1},
		{Programme: "", Year: 2026},
	} {
		bad.TeamID, bad.By, bad.At = tm.ID, "x", at(20)
		_, err := s.AddFigure(ctx, bad, bot.Effect{})
		wantCode(t, err, bot.EINVALID)
	}
}

func testSeenMessage(t *testing.T, s bot.Store) {
	ctx := context.Background()
	for i, c := range []struct {
		id    string
		first bool
	}{{"m1", true}, {"m1", false}, {"m2", true}, {"m1", false}} {
		first, err := s.SeenMessage(ctx, c.id, at(i))
		must(t, err)
		if first != c.first {
			t.Fatalf("SeenMessage #%d %s = %v, want %v", i, c.id, first, c.first)
		}
	}
}

// A message's effects are recorded with their keys (bot.Request.Effect) in the same write:
// delivering the same message again (a WeCom retry after Redis lost the id, or after a crash)
// applies nothing twice, and answers as the first delivery did (the same figure). Another
// message is applied as usual, and the effects a crash left undone are applied by the retry.
func testEffectsOnce(t *testing.T, s bot.Store) {
	tm := team(t, s, bot.DefaultTeam)
	bg := context.Background()
	_, err := s.ImportPlan(bg, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	first := figureEffectsOnce(t, s, tm)
	const k2 = "2026-03/1b"
	completionEffectsOnce(t, s, tm, "2026-03/1a", k2)

	// A void retried voids once and answers as the first delivery did.
	void := func(id string, n int) error {
		return s.VoidFigure(bg, tm.ID, first.ID, "zhangsan", at(n), msg(id).Effect("figure.void", strconv.FormatInt(first.ID, 10)))
	}
	must(t, void("m5", 7))
	must(t, void("m5", 8))
	wantIs(t, void("m6", 9), bot.ErrAlreadyDone)
	// Without a message (the terminal, the schedule) nothing is keyed: the plain rules apply.
	wantIs(t, s.Complete(bg, tm.ID, "zhangsan", k2, "", at(10), bot.Effect{}), bot.ErrAlreadyDone)
	var adds, completes, undos, voids int
	entries, err := s.AuditLog(bg, tm.ID)
	must(t, err)
	for _, e := range entries {
		switch e.Action {
		case "figure.add":
			adds++
		case "complete":
			completes++
		case "undo":
			undos++
		case "figure.void":
			voids++
		}
	}
	if adds != 3 || completes != 2 || undos != 1 || voids != 1 {
		t.Fatalf("audit: %d figure.add, %d complete, %d undo, %d figure.void; want 3, 2, 1, 1", adds, completes, undos, voids)
	}
}

// figureEffectsOnce (testEffectsOnce): message m1 records a figure (returned); its retry records
// none and answers with the same one; m2 records two, its own.
func figureEffectsOnce(t *testing.T, s bot.Store, tm bot.Team) bot.Figure {
	t.Helper()
	bg := context.Background()
	fig := bot.Figure{TeamID: tm.ID, Programme: "国家助学金", Stage: "中职", Term: "春季", Year: 2026,
		Persons: 120, PersonTimes: 120, AmountFen: 12000000, By: "zhangsan", At: at(1)}
	first, err := s.AddFigure(bg, fig, msg("m1").Effect("figure", ""))
	must(t, err)
	again, err := s.AddFigure(bg, fig, msg("m1").Effect("figure", ""))
	must(t, err)
	if again.ID != first.ID || again.AmountFen != first.AmountFen {
		t.Fatalf("retry of m1 answered figure %+v, want the first delivery's %+v", again, first)
	}
	// Two figures in one message are two effects; another message records its own.
	m2 := msg("m2")
	f2a, err := s.AddFigure(bg, fig, m2.Effect("figure", ""))
	must(t, err)
	f2b, err := s.AddFigure(bg, fig, m2.Effect("figure", ""))
	must(t, err)
	if f2a.ID == f2b.ID || f2a.ID == first.ID {
		t.Fatalf("figures of m2 = %d, %d (m1's %d): want two new ones", f2a.ID, f2b.ID, first.ID)
	}
	figs, err := s.Figures(bg, tm.ID, bot.FigureFilter{})
	must(t, err)
	if len(figs) != 3 {
		t.Fatalf("%d figures after m1, its retry and m2 (two figures), want 3", len(figs))
	}
	return first
}

// completionEffectsOnce (testEffectsOnce): m3 completes k1 and a crash comes before k2; its
// retry completes only k2, once; m4 undoes k1, and m3 retried again later changes nothing.
func completionEffectsOnce(t *testing.T, s bot.Store, tm bot.Team, k1, k2 string) {
	t.Helper()
	bg := context.Background()
	must(t, s.Complete(bg, tm.ID, "zhangsan", k1, "", at(2), msg("m3").Effect("complete", k1)))
	retry := msg("m3")
	must(t, s.Complete(bg, tm.ID, "zhangsan", k1, "", at(3), retry.Effect("complete", k1)))
	must(t, s.Complete(bg, tm.ID, "zhangsan", k2, "", at(3), retry.Effect("complete", k2)))
	// m4 undoes k1; m3 retried again later changes nothing (k1 stays undone, k2 done once).
	must(t, s.Undo(bg, tm.ID, "zhangsan", k1, at(4), msg("m4").Effect("undo", k1)))
	must(t, s.Undo(bg, tm.ID, "zhangsan", k1, at(5), msg("m4").Effect("undo", k1)))
	must(t, s.Complete(bg, tm.ID, "zhangsan", k1, "", at(6), msg("m3").Effect("complete", k1)))
	comps, err := s.Completions(bg, tm.ID)
	must(t, err)
	var live, undone int
	for _, c := range comps {
		if c.UndoneAt.IsZero() {
			live++
		} else {
			undone++
		}
	}
	if len(comps) != 2 || live != 1 || undone != 1 {
		t.Fatalf("completions after retries = %+v, want k1 once (undone once) and k2 once", comps)
	}
	o := obligations(t, s, tm.ID, false)
	if o[k1].DoneBy != "" || o[k2].DoneBy != "zhangsan" {
		t.Fatalf("after retries k1 done by %q, k2 by %q; want open and zhangsan", o[k1].DoneBy, o[k2].DoneBy)
	}
}

// 新增 and 分配 are keyed like the other effects: a retried 新增 adds nothing and answers with
// the obligation the first delivery added; a retried 分配 does not undo a later assignment.
func testAddAssignOnce(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	o := bot.Obligation{Key: "add-1", Title: "报送资助数据", Due: d(3, 25), Period: "2026-03", Rule: bot.RuleOnce}
	first, err := s.AddObligation(ctx, tm.ID, "lisi", o, at(1), msg("m1").Effect("add", ""))
	must(t, err)
	again, err := s.AddObligation(ctx, tm.ID, "lisi", o, at(2), msg("m1").Effect("add", ""))
	must(t, err)
	if again.ID != first.ID || again.Key != o.Key || again.Title != o.Title || again.Due != o.Due {
		t.Fatalf("retried AddObligation = %+v, want the first delivery's %+v", again, first)
	}
	_, err = s.AddObligation(ctx, tm.ID, "lisi", o, at(3), msg("m2").Effect("add", ""))
	wantIs(t, err, bot.ErrAlreadyDone) // another message adding the same key: refused as before

	assign := func(id, to string, n int) error {
		return s.Assign(ctx, tm.ID, "lisi", o.Key, to, at(n), msg(id).Effect("assign", o.Key))
	}
	must(t, assign("m3", "wangwu", 4))
	must(t, assign("m4", "zhangsan", 5))
	must(t, assign("m3", "wangwu", 6)) // m3 retried after m4: answered, not applied again
	if got := obligations(t, s, tm.ID, false)[o.Key].Assignee; got != "zhangsan" {
		t.Fatalf("assignee after a retried 分配 = %q, want zhangsan (the later one)", got)
	}
	entries, err := s.AuditLog(ctx, tm.ID)
	must(t, err)
	var adds, assigns int
	for _, e := range entries {
		switch e.Action {
		case "obligation.add":
			adds++
		case "assign":
			assigns++
		}
	}
	if adds != 1 || assigns != 2 {
		t.Fatalf("audit: %d obligation.add, %d assign; want 1, 2", adds, assigns)
	}
}

// The reply to a message that took effect is kept under the message id: the first record
// stays, another message's is its own, and pruning forgets it with the message ids.
func testRecordedReply(t *testing.T, s bot.Store) {
	ctx := context.Background()
	_, ok, err := s.RecordedReply(ctx, "m1")
	must(t, err)
	if ok {
		t.Fatal("a reply recorded before any was")
	}
	first := bot.Reply{Plain: "✅ 已标记完成：第3项", Markdown: "✅ **已标记完成**：第3项"}
	must(t, s.RecordReply(ctx, "m1", first, at(1)))
	must(t, s.RecordReply(ctx, "m1", bot.TextReply("第3项早已由你完成"), at(2)))
	must(t, s.RecordReply(ctx, "m2", bot.TextReply("m2"), at(3)))
	got, ok, err := s.RecordedReply(ctx, "m1")
	must(t, err)
	if !ok || got != first {
		t.Fatalf("RecordedReply(m1) = %+v, %v; want the first record %+v", got, ok, first)
	}
	if got, _, _ := s.RecordedReply(ctx, "m2"); got.Text() != "m2" {
		t.Fatalf("RecordedReply(m2) = %+v", got)
	}
	_, err = s.PruneMessages(ctx, at(10))
	must(t, err)
	if _, ok, _ := s.RecordedReply(ctx, "m1"); ok {
		t.Fatal("a pruned reply is still recorded")
	}
}

// msg is an inbound message with a durable id, whose effects are keyed (as the edge sets it).
func msg(id string) *bot.Request { return &bot.Request{MsgID: id} }

// Under Effect.OnlyOwn, Undo undoes only the actor's own completion, checked in the store's own
// statement (issue #16 finding 9: a staff member's 撤销 racing a re-completion by someone else).
func testUndoOnlyOwn(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	_, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	const key = "2026-03/1a"
	must(t, s.Complete(ctx, tm.ID, "lisi", key, "", at(1), bot.Effect{}))
	own := bot.Effect{OnlyOwn: true}
	err = s.Undo(ctx, tm.ID, "zhangsan", key, at(2), own)
	wantCode(t, err, bot.EFORBIDDEN)
	if o := obligations(t, s, tm.ID, false)[key]; o.DoneBy != "lisi" {
		t.Fatalf("someone else's undo changed the completion: done by %q", o.DoneBy)
	}
	must(t, s.Undo(ctx, tm.ID, "lisi", key, at(3), own))
	wantIs(t, s.Undo(ctx, tm.ID, "lisi", key, at(4), own), bot.ErrNotDone)
	must(t, s.Complete(ctx, tm.ID, "lisi", key, "", at(5), bot.Effect{}))
	must(t, s.Undo(ctx, tm.ID, "zhangsan", key, at(6), bot.Effect{})) // without OnlyOwn: a supervisor's
}

// Pruning forgets ids first seen strictly before the cut, so they count as new again; the rest
// stay de-duplicated.
func testPruneMessages(t *testing.T, s bot.Store) {
	ctx := context.Background()
	for i, id := range []string{"old", "edge", "new"} {
		_, err := s.SeenMessage(ctx, id, at(10*i))
		must(t, err)
	}
	_, err := s.SeenMessage(ctx, "old", at(25)) // a repeat does not make an id younger
	must(t, err)
	n, err := s.PruneMessages(ctx, at(10))
	must(t, err)
	if n != 1 {
		t.Errorf("PruneMessages removed %d, want 1", n)
	}
	for _, c := range []struct {
		id    string
		first bool
	}{{"old", true}, {"edge", false}, {"new", false}} {
		first, err := s.SeenMessage(ctx, c.id, at(30))
		must(t, err)
		if first != c.first {
			t.Errorf("after pruning, SeenMessage %s = %v, want %v", c.id, first, c.first)
		}
	}
	n, err = s.PruneMessages(ctx, at(10))
	must(t, err)
	if n != 0 {
		t.Errorf("second PruneMessages removed %d, want 0 (old was seen again at a later instant)", n)
	}
}

func jsonField(t *testing.T, s, field string) any {
	t.Helper()
	if s == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("audit JSON %q: %v", s, err)
	}
	return m[field]
}

func testAudit(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	_, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	start := auditLen(t, s, tm.ID)
	must(t, s.Complete(ctx, tm.ID, "zhangsan", "2026-03/2", "已完成", at(30), bot.Effect{}))
	must(t, s.Undo(ctx, tm.ID, "lisi", "2026-03/2", at(31), bot.Effect{}))
	f, err := s.AddFigure(ctx, bot.Figure{TeamID: tm.ID, Programme: "国家助学金", Year: 2026, Persons: 1, By: "zhangsan", At: at(32)}, bot.Effect{})
	must(t, err)
	must(t, s.VoidFigure(ctx, tm.ID, f.ID, "lisi", at(33), bot.Effect{}))
	log, err := s.AuditLog(ctx, tm.ID)
	must(t, err)
	for i := 1; i < len(log); i++ {
		if log[i].ID <= log[i-1].ID {
			t.Fatalf("audit not oldest first: %d then %d", log[i-1].ID, log[i].ID)
		}
	}
	got := log[start:]
	if len(got) != 4 {
		t.Fatalf("audit entries = %+v, want 4", got)
	}
	want := []struct{ actor, action, target string }{
		{"zhangsan", "complete", "2026-03/2"},
		{"lisi", "undo", "2026-03/2"},
		{"zhangsan", "figure.add", fmt.Sprint(f.ID)},
		{"lisi", "figure.void", fmt.Sprint(f.ID)},
	}
	for i, w := range want {
		e := got[i]
		if e.Actor != w.actor || e.Action != w.action || e.Target != w.target || e.TeamID != tm.ID || !e.At.Equal(at(30+i)) {
			t.Errorf("audit %d = %+v, want %+v at %v", i, e, w, at(30+i))
		}
	}
	if got[0].Before != "" || jsonField(t, got[0].After, "by") != "zhangsan" || jsonField(t, got[0].After, "note") != "已完成" {
		t.Errorf("complete audit before/after = %q / %q", got[0].Before, got[0].After)
	}
	if jsonField(t, got[1].Before, "by") != "zhangsan" || jsonField(t, got[1].After, "undone_by") != "lisi" {
		t.Errorf("undo audit before/after = %q / %q", got[1].Before, got[1].After)
	}
	if jsonField(t, got[2].After, "programme") != "国家助学金" {
		t.Errorf("figure.add after = %q", got[2].After)
	}
	if jsonField(t, got[3].Before, "void") != false || jsonField(t, got[3].After, "voided_by") != "lisi" {
		t.Errorf("figure.void before/after = %q / %q", got[3].Before, got[3].After)
	}
	// Failed changes write nothing.
	n := auditLen(t, s, tm.ID)
	_ = s.Undo(ctx, tm.ID, "lisi", "2026-03/2", at(40), bot.Effect{})
	_ = s.VoidFigure(ctx, tm.ID, f.ID, "lisi", at(40), bot.Effect{})
	_ = s.Assign(ctx, tm.ID, "lisi", "nope", "x", at(40), bot.Effect{})
	if auditLen(t, s, tm.ID) != n {
		t.Fatal("failed changes wrote audit entries")
	}
}

func testTeamIsolation(t *testing.T, s bot.Store) {
	ctx := context.Background()
	a := team(t, s, "a")
	b := team(t, s, "b")
	_, err := s.ImportPlan(ctx, a.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	must(t, s.Complete(ctx, a.ID, "zhangsan", "2026-03/2", "", at(1), bot.Effect{}))
	wantIs(t, s.Complete(ctx, b.ID, "zhangsan", "2026-03/2", "", at(1), bot.Effect{}), bot.ErrNotFound)
	must(t, s.PutMember(ctx, "cli", bot.Member{TeamID: a.ID, UserID: "zhangsan", Name: "张三", Role: bot.RoleStaff, Active: true}))
	_, err = s.Member(ctx, b.ID, "zhangsan")
	wantIs(t, err, bot.ErrNotFound)
	f, err := s.AddFigure(ctx, bot.Figure{TeamID: a.ID, Programme: "国家助学金", Year: 2026, By: "zhangsan", At: at(2)}, bot.Effect{})
	must(t, err)
	wantIs(t, s.VoidFigure(ctx, b.ID, f.ID, "x", at(3), bot.Effect{}), bot.ErrNotFound)
	// The same key may exist in both teams.
	_, err = s.ImportPlan(ctx, b.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	for _, id := range []int64{b.ID} {
		if n := len(obligations(t, s, id, false)); n != 4 {
			t.Fatalf("team b obligations = %d", n)
		}
		comps, err := s.Completions(ctx, id)
		must(t, err)
		figs, err := s.Figures(ctx, id, bot.FigureFilter{IncludeVoid: true})
		must(t, err)
		members, err := s.Members(ctx, id)
		must(t, err)
		if len(comps)+len(figs)+len(members) != 0 {
			t.Fatalf("team b sees team a's data: %v %v %v", comps, figs, members)
		}
	}
	if o := obligations(t, s, b.ID, false)["2026-03/2"]; o.DoneBy != "" {
		t.Fatal("team b sees team a's completion")
	}
	log, err := s.AuditLog(ctx, b.ID)
	must(t, err)
	for _, e := range log {
		if e.TeamID != b.ID {
			t.Fatalf("audit of b lists %+v", e)
		}
	}
}
