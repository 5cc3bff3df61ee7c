package handlers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/store/memory"
)

// december is the sample plan tracked from January with nothing done, on 2026-12-02 at 09:00:
// 56 items overdue. wangzr supervises, lisi and zhangsan are staff; notices are collected.
type december struct {
	st      *memory.Store
	team    bot.Team
	r       *bot.Router
	now     time.Time
	notices []Notice
}

func newDecember(t *testing.T) *december {
	t.Helper()
	ctx := context.Background()
	e := &december{st: memory.New(), now: time.Date(2026, 12, 2, 9, 0, 0, 0, bot.Shanghai)}
	e.team, _ = e.st.EnsureTeam(ctx, bot.DefaultTeam)
	for _, m := range []bot.Member{
		{UserID: "wangzr", Name: "王主任", Role: bot.RoleSupervisor},
		{UserID: "lisi", Name: "李老师", Role: bot.RoleStaff},
		{UserID: "zhangsan", Name: "张老师", Role: bot.RoleStaff},
	} {
		m.TeamID, m.Active = e.team.ID, true
		if err := e.st.PutMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.ImportPlan(ctx, e.team.ID, p, bot.ImportOptions{Actor: "cli", Today: bot.NewDate(2026, 1, 1), TrackPast: true, At: e.now}); err != nil {
		t.Fatal(err)
	}
	state := newFakeState()
	e.r = bot.NewRouter(state, e.st, nil)
	Register(e.r, Deps{Store: e.st, State: state, Calendar: workday.New(),
		Notify: func(_ context.Context, n Notice) error { e.notices = append(e.notices, n); return nil }})
	return e
}

func (e *december) say(user, text string) string {
	e.now = e.now.Add(time.Second)
	rep, _ := e.r.Handle(context.Background(), &bot.Request{Team: e.team, UserID: user, Text: text, Now: e.now})
	return rep.Text()
}

func (e *december) item(t *testing.T, key string) bot.Tracked {
	t.Helper()
	items, _ := e.st.Obligations(context.Background(), e.team.ID, false)
	for _, it := range items {
		if it.Key == key {
			return it
		}
	}
	t.Fatalf("no item %s", key)
	return bot.Tracked{}
}

// dayItem is the team's item number n of the day.
func (e *december) dayItem(t *testing.T, n int) bot.AgendaItem {
	t.Helper()
	items, _ := e.st.Obligations(context.Background(), e.team.ID, false)
	return bot.DayAgenda(bot.DateOf(e.now), items, workday.New(), bot.Shanghai).Numbered()[n-1]
}

func (e *december) doneCount() int {
	n := 0
	items, _ := e.st.Obligations(context.Background(), e.team.ID, false)
	for _, it := range items {
		if it.DoneBy != "" {
			n++
		}
	}
	return n
}

// 完成 N on an item someone else holds marks it, says whose it was and tells them.
func TestCompleteSomeoneElsesItemNamesThem(t *testing.T) {
	e := newDecember(t)
	it := e.dayItem(t, 3)
	if err := e.st.Assign(context.Background(), e.team.ID, "wangzr", it.Key, "zhangsan", e.now, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	rep := e.say("lisi", "完成 3")
	if e.item(t, it.Key).DoneBy != "lisi" || !strings.Contains(rep, "是张老师负责的") || !strings.Contains(rep, "已告诉张老师") {
		t.Fatalf("reply %q, done by %q", rep, e.item(t, it.Key).DoneBy)
	}
	if len(e.notices) != 1 || e.notices[0].To != "zhangsan" || !strings.Contains(e.notices[0].Text, "李老师") || !strings.Contains(e.notices[0].Text, it.Title) {
		t.Fatalf("notices %+v", e.notices)
	}
	// One's own item: no notice.
	own := e.dayItem(t, 4)
	_ = e.st.Assign(context.Background(), e.team.ID, "wangzr", own.Key, "lisi", e.now, bot.Effect{})
	if rep := e.say("lisi", "完成 4"); strings.Contains(rep, "负责的") || len(e.notices) != 1 {
		t.Fatalf("own item: %q, %d notices", rep, len(e.notices))
	}
}

// Bulk completions are counted, not listed; a range over the cap says so and changes nothing.
func TestBulkCompleteIsShort(t *testing.T) {
	e := newDecember(t)
	if rep := e.say("lisi", "完成 1-200"); !strings.Contains(rep, "一次最多完成50项") || e.doneCount() != 0 {
		t.Fatalf("1-200: %q, %d done", rep, e.doneCount())
	}
	rep := e.say("lisi", "完成 1-40")
	if e.doneCount() != 40 || !strings.Contains(rep, "已完成40项：第1–40项") || len(rep) > 200 {
		t.Fatalf("1-40 (%d bytes): %q, %d done", len(rep), rep, e.doneCount())
	}
	if rep := e.say("lisi", "完成 1-40"); !strings.Contains(rep, "第1–40项（40项）早已完成") || len(rep) > 200 {
		t.Fatalf("again: %q", rep)
	}
}

// 分配 with two names assigns nobody and says why; with one it tells the assignee, with the item.
func TestAssignTellsTheAssignee(t *testing.T) {
	e := newDecember(t)
	it := e.dayItem(t, 1)
	for _, text := range []string{"分配 1 李老师 张老师", "分配 1 李老师、张老师", "分配 1 李老师和张老师"} {
		if rep := e.say("wangzr", text); !strings.Contains(rep, "只能有一位负责人") || e.item(t, it.Key).Assignee != "" {
			t.Fatalf("%s: %q, assignee %q", text, rep, e.item(t, it.Key).Assignee)
		}
	}
	rep := e.say("wangzr", "分配 1 张老师")
	if e.item(t, it.Key).Assignee != "zhangsan" || !strings.Contains(rep, "已发消息通知张老师") {
		t.Fatalf("reply %q", rep)
	}
	if len(e.notices) != 1 || e.notices[0].To != "zhangsan" || e.notices[0].Item == nil || e.notices[0].Item.Key != it.Key || e.notices[0].Key == "" {
		t.Fatalf("notices %+v", e.notices)
	}
}

// 新增 refuses a date that does not exist instead of moving it to the month's end.
func TestAddRefusesImpossibleDates(t *testing.T) {
	e := newDecember(t)
	before, _ := e.st.Obligations(context.Background(), e.team.ID, false)
	for _, text := range []string{"新增 2月30日 测试", "新增 二月三十日 测试", "新增 4月31号 测试", "新增 2027-02-29 测试"} {
		rep := e.say("wangzr", text)
		after, _ := e.st.Obligations(context.Background(), e.team.ID, false)
		if !strings.Contains(rep, "没有") || !strings.Contains(rep, "请写一个存在的日期") || len(after) != len(before) {
			t.Errorf("%s: %q (%d items, was %d)", text, rep, len(after), len(before))
		}
	}
	if rep := e.say("wangzr", "新增 2月28日 测试"); !strings.Contains(rep, "已新增") {
		t.Errorf("a real date refused: %q", rep)
	}
}

// The number 今天 shows is what 完成 N marks, for anyone, all day: an item added in between
// does not renumber the others.
func TestOneNumberingAllDay(t *testing.T) {
	e := newDecember(t)
	today := e.say("lisi", "今天")
	it := e.dayItem(t, 2)
	if !strings.Contains(today, "2. "+it.Title[:9]) {
		t.Fatalf("今天 does not show item 2 as %q:\n%s", it.Title, today)
	}
	e.say("wangzr", "新增 12月3日 临时任务") // due tomorrow: upcoming, but numbered after the morning's
	e.say("lisi", "今天")
	if rep := e.say("zhangsan", "完成 2"); e.item(t, it.Key).DoneBy != "zhangsan" {
		t.Fatalf("完成 2 after an addition: %q", rep)
	}
	if rep := e.say("lisi", "完成 2"); !strings.Contains(rep, "早已由张老师完成") {
		t.Fatalf("lisi's 2 is not the same item: %q", rep)
	}
	// 今天 counts it as done today and gives its number to no other item
	if rep := e.say("wangzr", "今天"); strings.Contains(rep, "  2. ") || !strings.Contains(rep, "今天已完成1项") || !strings.Contains(rep, "  3. ") {
		t.Fatalf("item 2 renumbered after completion:\n%s", rep)
	}
}

// Staff 汇总 says their own state and the team's: nothing overdue of one's own is not nothing
// overdue.
func TestStaffSummaryIsHonest(t *testing.T) {
	e := newDecember(t)
	rep := e.say("lisi", "汇总")
	if !strings.Contains(rep, "你名下截至今天无逾期") || !strings.Contains(rep, "团队56项逾期，其中56项未分配") || strings.Contains(rep, "没有逾期事项") {
		t.Fatalf("staff 汇总:\n%s", rep)
	}
	if rep := e.say("lisi", "进度"); !strings.Contains(rep, "团队逾期未完成：56 项，其中未分配56项") {
		t.Fatalf("staff 进度:\n%s", rep)
	}
}

// 新增 with a date already past asks first: 是 adds it, 不 adds nothing.
func TestAddAsksBeforeAPastDate(t *testing.T) {
	e := newDecember(t)
	count := func() int {
		items, _ := e.st.Obligations(context.Background(), e.team.ID, false)
		return len(items)
	}
	n := count()
	if rep := e.say("wangzr", "新增 11月3日 补报材料"); !strings.Contains(rep, "已经过去") || !strings.Contains(rep, "确定要新增") || count() != n {
		t.Fatalf("past date: %q, %d items (was %d)", rep, count(), n)
	}
	if rep := e.say("wangzr", "是"); !strings.Contains(rep, "已新增“补报材料”") || count() != n+1 {
		t.Fatalf("after 是: %q, %d items", rep, count())
	}
	e.say("wangzr", "新增 11月4日 再补一次")
	if rep := e.say("wangzr", "不"); !strings.Contains(rep, "没有新增") || count() != n+1 {
		t.Fatalf("after 不: %q, %d items", rep, count())
	}
	if rep := e.say("wangzr", "新增 12月10日 将来的事"); !strings.Contains(rep, "已新增") || count() != n+2 {
		t.Fatalf("future date: %q", rep)
	}
}

// 帮助 is a few lines; 帮助 全部 the whole table, still one app message for a supervisor.
func TestHelpIsShort(t *testing.T) {
	e := newDecember(t)
	short := e.say("lisi", "帮助")
	if n := strings.Count(short, "\n") + 1; n > 10 || !strings.Contains(short, "帮助 全部") {
		t.Errorf("帮助 has %d lines:\n%s", n, short)
	}
	rep, _ := e.r.Handle(context.Background(), &bot.Request{Team: e.team, UserID: "wangzr", Text: "帮助 全部", Now: e.now})
	if len(rep.MD()) > bot.MaxMessageBytes || len(rep.Text()) > bot.MaxMessageBytes || !strings.Contains(rep.Text(), "分配") {
		t.Errorf("帮助 全部: %d/%d bytes:\n%s", len(rep.MD()), len(rep.Text()), rep.Text())
	}
}

// FuzzImpossibleDate: any 新增 argument is read without panicking; a refusal names a date that
// really does not exist, and every real month-day is accepted.
func FuzzImpossibleDate(f *testing.F) {
	for _, s := range []string{"2月30日 测试", "二月三十日 x", "2027-02-29 y", "2028-02-29 z", "13月1日", "6月15日 报送", "十二月三十二号", ""} {
		f.Add(s)
	}
	today := bot.NewDate(2026, 12, 2)
	for m := time.January; m <= time.December; m++ {
		for d := 1; d <= bot.DaysIn(2026, m); d++ {
			if msg := impossibleDate(fmt.Sprintf("%d月%d日 事", int(m), d), today); msg != "" {
				f.Fatalf("%d月%d日 refused: %s", int(m), d, msg)
			}
		}
	}
	f.Fuzz(func(t *testing.T, args string) {
		msg := impossibleDate(args, today)
		if msg != "" && !strings.Contains(msg, "没有") {
			t.Fatalf("%q: %q", args, msg)
		}
	})
}
