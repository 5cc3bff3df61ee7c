// Package officetest is a scripted month of office life: the commands a supervisor and two staff
// type through June 2026, each step checked against the store. It takes any bot.Store and
// bot.State, so the same script runs on the memory store and on PostgreSQL with Redis.
package officetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/handlers"
)

// TeamName is the team the script creates (EnsureTeam), so it does not touch other teams.
const TeamName = "office-month"

// office is the running script.
type office struct {
	t     testing.TB
	ctx   context.Context
	st    bot.Store
	r     *bot.Router
	team  bot.Team
	msgID int
}

// Month runs the scripted month on st and state. state should not rate-limit (redisstate
// Options{RatePerMinute: -1}) and should use a key prefix of its own.
func Month(t testing.TB, st bot.Store, state bot.State) {
	t.Helper()
	ctx := context.Background()
	team, err := st.EnsureTeam(ctx, TeamName)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []bot.Member{
		{TeamID: team.ID, UserID: "wangzr", Name: "王主任", Role: bot.RoleSupervisor, Active: true},
		{TeamID: team.ID, UserID: "lisi", Name: "李老师", Role: bot.RoleStaff, Active: true},
		{TeamID: team.ID, UserID: "zhangsan", Name: "张老师", Role: bot.RoleStaff, Active: true},
	} {
		if err := st.PutMember(ctx, "cli", m); err != nil {
			t.Fatal(err)
		}
	}
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if _, err := st.ImportPlan(ctx, team.ID, p, bot.ImportOptions{Source: name, Hash: hex.EncodeToString(sum[:]),
		Actor: "cli", Today: bot.NewDate(2026, 6, 1), At: at("2026-06-01", 8)}); err != nil {
		t.Fatal(err)
	}
	r := bot.NewRouter(state, st, nil)
	handlers.Register(r, handlers.Deps{Store: st, State: state, Calendar: workday.New()})
	o := &office{t: t, ctx: ctx, st: st, r: r, team: team}
	o.run()
}

func at(day string, hour int) time.Time {
	d, err := bot.ParseDate(day)
	if err != nil {
		panic(err)
	}
	return d.Time(bot.Shanghai).Add(time.Duration(hour) * time.Hour)
}

// say sends one message on day at 10:00 (plus a minute per message) and returns the reply.
func (o *office) say(day, user, text string) string {
	o.t.Helper()
	o.msgID++
	req := &bot.Request{Team: o.team, UserID: user, Text: text, Now: at(day, 10).Add(time.Duration(o.msgID) * time.Minute)}
	rep, _ := o.r.Handle(o.ctx, req) // the reply carries the rendered error
	return rep.Text()
}

// expect fails unless reply contains every want.
func (o *office) expect(reply string, wants ...string) {
	o.t.Helper()
	for _, w := range wants {
		if !strings.Contains(reply, w) {
			o.t.Errorf("reply lacks %q:\n%s", w, reply)
		}
	}
}

// shownNumber is the number a list reply shows for the item titled title.
func (o *office) shownNumber(reply, title string) int {
	o.t.Helper()
	for _, line := range strings.Split(reply, "\n") {
		num, rest, ok := strings.Cut(strings.TrimSpace(line), ". ")
		if n, err := strconv.Atoi(num); ok && err == nil && strings.HasPrefix(rest, title) {
			return n
		}
	}
	o.t.Fatalf("no numbered line for %q in:\n%s", title, reply)
	return 0
}

// numberRange is the smallest and largest number of a list reply's numbered lines.
func (o *office) numberRange(reply string) (first, last int) {
	for _, line := range strings.Split(reply, "\n") {
		num, _, ok := strings.Cut(strings.TrimSpace(line), ". ")
		if n, err := strconv.Atoi(num); ok && err == nil {
			if first == 0 || n < first {
				first = n
			}
			last = max(last, n)
		}
	}
	return first, last
}

// chineseNumeral writes 1..99 in Chinese numerals (三, 十二), as people type 第三项.
func chineseNumeral(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return d[n]
	case n < 20:
		return "十" + d[n%10]
	}
	return d[n/10] + "十" + d[n%10]
}

// item finds the one June (or given month) obligation whose title starts with prefix.
func (o *office) item(month time.Month, prefix string) bot.Tracked {
	o.t.Helper()
	items, err := o.st.Obligations(o.ctx, o.team.ID, false)
	if err != nil {
		o.t.Fatal(err)
	}
	var found []bot.Tracked
	for _, it := range items {
		if it.Due.Month == month && strings.HasPrefix(it.Title, prefix) {
			found = append(found, it)
		}
	}
	if len(found) != 1 {
		o.t.Fatalf("%d items in month %d start with %q", len(found), month, prefix)
	}
	return found[0]
}

func (o *office) completions() []bot.Completion {
	o.t.Helper()
	cs, err := o.st.Completions(o.ctx, o.team.ID)
	if err != nil {
		o.t.Fatal(err)
	}
	return cs
}

func (o *office) auditLen() int {
	o.t.Helper()
	al, err := o.st.AuditLog(o.ctx, o.team.ID)
	if err != nil {
		o.t.Fatal(err)
	}
	return len(al)
}

const (
	dataTitle   = "更新维护学生资助管理及建档立卡信息系统数据" // due 6-20 (Saturday, 端午 holiday): effective 6-18
	reportTitle = "上报当月月点评季通报表及相关报表"      // due 6-28 (Sunday): effective 6-26
	addedTitle  = "报送春季资助资金发放进度"
)

// run plays the month, one scene after another; each scene checks the store after its steps.
func (o *office) run() {
	added := o.handOut()
	o.completeOnce()
	o.completeUndoClick(added)
	o.holidayAndStranger()
	o.catchUp()
	o.audited()
}

// handOut is Monday 6-01: the supervisor looks at the month, hands out work and adds an item
// (returned); staff may not add.
func (o *office) handOut() bot.Tracked {
	t := o.t
	o.expect(o.say("2026-06-01", "wangzr", "本月"), "本月（6月）共6项", "1. "+dataTitle, "6月18日")
	o.expect(o.say("2026-06-01", "wangzr", "分配 1 李老师"), "分配给李老师")
	o.expect(o.say("2026-06-01", "wangzr", "分配 2 @zhangsan"), "分配给张老师")
	if a := o.item(6, dataTitle).Assignee; a != "lisi" {
		t.Errorf("data item assigned to %q", a)
	}
	if a := o.item(6, reportTitle).Assignee; a != "zhangsan" {
		t.Errorf("report item assigned to %q", a)
	}
	o.expect(o.say("2026-06-01", "wangzr", "新增 6月15日 "+addedTitle), "已新增")
	o.expect(o.say("2026-06-01", "wangzr", "分配 1 张老师"), "分配给张老师")
	added := o.item(6, addedTitle)
	if added.Due != bot.NewDate(2026, 6, 15) || added.Assignee != "zhangsan" || added.Key != handlers.AddedKey(added.Due, addedTitle) {
		t.Errorf("added item %+v", added)
	}
	// Staff may not add.
	before := o.auditLen()
	o.expect(o.say("2026-06-01", "lisi", "新增 6月16日 随便"), "主管")
	if o.auditLen() != before {
		t.Error("a staff 新增 changed the store")
	}
	return added
}

// completeOnce is Monday 6-08: lisi sees her own item first and does it; a second 完成 records
// nothing.
func (o *office) completeOnce() {
	t := o.t
	o.expect(o.say("2026-06-08", "lisi", "我的"), "1. "+dataTitle)
	o.expect(o.say("2026-06-08", "lisi", "完成 1 已更新系统"), "已标记完成", "备注：已更新系统")
	if it := o.item(6, dataTitle); it.DoneBy != "lisi" || it.DoneNote != "已更新系统" || !it.DoneAt.Equal(at("2026-06-08", 10).Add(time.Duration(o.msgID)*time.Minute)) {
		t.Errorf("data item after 完成: %+v", it)
	}
	n := len(o.completions())
	o.expect(o.say("2026-06-08", "lisi", "完成１。"), "没有重复记录")
	if len(o.completions()) != n {
		t.Error("a second 完成 was recorded")
	}
}

// completeUndoClick is Monday 6-15: zhangsan finishes the added item through the dialog, undoes
// it, and the next day clicks 完成 on its card.
func (o *office) completeUndoClick(added bot.Tracked) {
	t := o.t
	o.expect(o.say("2026-06-15", "zhangsan", "完成"), "你本周待办共1项", addedTitle)
	o.expect(o.say("2026-06-15", "zhangsan", "1"), "已标记完成")
	if it := o.item(6, addedTitle); it.DoneBy != "zhangsan" {
		t.Errorf("added item after the dialog: %+v", it)
	}
	o.expect(o.say("2026-06-15", "zhangsan", "撤销 1"), "已撤销") // numbers refer to today's last list
	if it := o.item(6, addedTitle); it.DoneBy != "" {
		t.Errorf("added item after 撤销: %+v", it)
	}
	o.expect(o.say("2026-06-16", "zhangsan", "完成 #"+added.Key+" 重新报送"), "已标记完成")
	if it := o.item(6, addedTitle); it.DoneBy != "zhangsan" || it.DoneNote != "重新报送" {
		t.Errorf("added item after the card click: %+v", it)
	}
	undone := 0
	for _, c := range o.completions() {
		if c.Key == added.Key && !c.UndoneAt.IsZero() {
			undone++
		}
	}
	if undone != 1 {
		t.Errorf("%d undone completions of the added item kept in history, want 1", undone)
	}
}

// holidayAndStranger: Friday 6-19 is the Dragon Boat Festival; on Monday 6-22 a stranger
// changes nothing.
func (o *office) holidayAndStranger() {
	o.expect(o.say("2026-06-19", "lisi", "今天"), "休息日")

	before := o.auditLen()
	o.expect(o.say("2026-06-22", "stranger", "完成 1"), "不是本团队的成员")
	o.expect(o.say("2026-06-22", "stranger", "分配 1 李老师"), "不是本团队的成员")
	if o.auditLen() != before {
		o.t.Error("a non-member changed the store")
	}
}

// catchUp is the month's end: on Monday 6-29 the report is late (effective 6-26) and zhangsan
// catches up; the supervisor checks progress; on 7-01 lisi does the four overdue items at once.
func (o *office) catchUp() {
	t := o.t
	// 逾期 shows the team's numbers of the day: zhangsan types the number he sees, in words.
	late := o.say("2026-06-29", "zhangsan", "逾期")
	o.expect(late, "逾期未完成共1项", reportTitle)
	o.expect(o.say("2026-06-29", "zhangsan", "第"+chineseNumeral(o.shownNumber(late, reportTitle))+"项已完成 迟交"), "已标记完成")
	if it := o.item(6, reportTitle); it.DoneBy != "zhangsan" || it.DoneNote != "迟交" {
		t.Errorf("report after 完成: %+v", it)
	}

	// Tuesday 6-30: the supervisor checks progress.
	o.expect(o.say("2026-06-30", "wangzr", "进度"), "6月进度：已完成 3/7 项", "逾期未完成：0 项", "李老师：1/1", "张老师：2/2")

	// Wednesday 7-01: four June items are overdue; lisi does them in one go.
	june := o.say("2026-07-01", "lisi", "逾期")
	o.expect(june, "逾期未完成共4项")
	first, last := o.numberRange(june)
	if last-first != 3 {
		t.Fatalf("the four overdue items are not numbered in a row:\n%s", june)
	}
	o.expect(o.say("2026-07-01", "lisi", fmt.Sprintf("完成 %d-%d 补办", first, last)), fmt.Sprintf("已完成4项：第%d–%d项", first, last), "备注：补办")
	done := 0
	items, _ := o.st.Obligations(o.ctx, o.team.ID, false)
	for _, it := range items {
		if it.Due.Year == 2026 && it.Due.Month == 6 && it.DoneBy != "" {
			done++
		}
	}
	if done != 7 {
		t.Errorf("%d of 7 June items done", done)
	}
	o.expect(o.say("2026-07-01", "lisi", "进度"), "7月进度", "逾期未完成：0 项")
}

// audited checks that every kind of change is in the audit trail.
func (o *office) audited() {
	t := o.t
	al, err := o.st.AuditLog(o.ctx, o.team.ID)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range al {
		actions[e.Action]++
	}
	for _, a := range []string{"complete", "undo", "assign"} {
		if actions[a] == 0 {
			t.Errorf("no %q in the audit trail: %v", a, actions)
		}
	}
}
