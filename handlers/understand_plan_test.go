package handlers

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/store/memory"
)

// TestUnderstoodSamplePlan: a third batch of phone messages, written before running them, against
// the sample plan (淮北市2020年度学生资助工作月计划 for 2026, tracked from January, nothing done yet)
// on Wednesday 2026-06-10: its real, long titles and its twelve months of the same recurring
// items. done names items by "YYYY-MM|words of the title"; nothing else may change.
func TestUnderstoodSamplePlan(t *testing.T) {
	for _, c := range []samplePlanRow{
		{text: "一封信已经寄出去了", done: []string{"2026-06|一封信"}},
		{text: "家庭大走访活动已经部署了", done: []string{"2026-06|家庭大走访"}},
		{text: "两节课宣传活动搞完了", done: []string{"2026-06|家庭大走访"}},
		{text: "诚信宣传月活动已经开展完了", done: []string{"2026-06|诚信宣传月"}},
		{text: "上半年的工作总结写好了", done: []string{"2026-06|总结上半年"}},
		{text: "系统数据更新好了", reply: "回复"},
		{steps: []string{"系统数据更新好了"}, text: "取消"},
		{text: "6月的系统数据已经更新了", done: []string{"2026-06|更新维护"}},
		{text: "这个月的月点评季通报表报了", done: []string{"2026-06|月点评"}},
		{text: "5月份的通报表也报了", done: []string{"2026-05|月点评"}},
		{text: "4月份的月巡视已经开展了", done: []string{"2026-04|开展月巡视"}},
		{text: "生源地贷款预申请统计做完了", done: []string{"2026-05|预申请"}},
		{text: "春季资助大检查已经部署开展了", done: []string{"2026-05|大检查"}},
		{text: "资助实施办法已经制定好了", done: []string{"2026-04|实施办法"}},
		// five items pay out 资助资金 (3月, 5月, 8月, 10月, 11月), two of them due by now: asked
		{text: "我今天把资助资金都发放完了，帮我标记一下。", reply: "回复"},
		{steps: []string{"我今天把资助资金都发放完了，帮我标记一下。"}, text: "2", done: []string{"2026-05|确保5月25日"}},
		{text: "学籍系统比对认定做完了", done: []string{"2026-04|学籍系统"}},
		{text: "职业技能教育资助资金发放好了", done: []string{"2026-03|职业技能"}},
		{text: "宣传工作计划制定好了", done: []string{"2026-05|宣传工作计划"}},
		{text: "春季免学费名单审核汇总完了", done: []string{"2026-03|审核汇总"}},
		{text: "暑期大走访开展了", done: []string{"2026-07|暑期"}},
		{text: "谋划本年度工作做完了", done: []string{"2026-02|谋划"}},
		{text: "上年度总结和今年计划都写好了", done: []string{"2026-02|撰写上年度"}},
		{text: "今天到期的那个弄好了"},
		{text: "逾期的都处理完了", reply: "回复"},
		{text: "一封信寄了吗"},
		{text: "大走访还没部署"},
		{text: "月巡视下周开展"},
		{text: "明天把一封信寄了"},
		{text: "一封信等盖章了再寄"},
		{text: "如果系统数据更新好了我跟你说"},
		{text: "第3项完成了吗"},
		{text: "好的收到，辛苦了"},
		{user: "wangzr", text: "李老师这周完成了几项", reply: "李老师"},
		{user: "wangzr", text: "上个月的情况", reply: "5月"},
		{user: "wangzr", text: "本月完成率多少", reply: "完成率"},
		{user: "wangzr", text: "还有谁没交月报", reply: "月"},
		{user: "wangzr", text: "大走访让李老师负责吧", assign: []string{"2026-06|家庭大走访>lisi"}, reply: "分配给李老师"},
		// a fourth batch, written at 10:02 and measured before any fix for it
		{text: "月点评季通报表这个月的已经报了", done: []string{"2026-06|月点评"}},
		{text: "诚信宣传月的活动开展完毕", done: []string{"2026-06|诚信宣传月"}},
		{text: "大走访活动已经结束了", done: []string{"2026-06|家庭大走访"}},
		{text: "一封信都寄完了", done: []string{"2026-06|一封信"}},
		{text: "1月份的系统数据更新了", done: []string{"2026-01|更新维护"}},
		{text: "年度工作谋划好了", done: []string{"2026-02|谋划"}},
		{text: "大检查还没开始"},
		{text: "一封信明天寄"},
		{text: "月巡视开展了吗？"},
	} {
		runSamplePlanRow(t, c)
	}
}

// samplePlanRow is one message (after steps) on the sample plan. done names the items it
// completes by "YYYY-MM|words of the title"; assign the items it assigns by
// "YYYY-MM|words>userid"; added the items it adds by "YYYY-MM-DD|words"; figures the figures the
// message records (after those its steps recorded) as "programme|stage|term|persons|fen". Nothing else in the store may change: every
// other item keeps its done state, note, assignee, due date and title, and no member, unit,
// figure or item appears or goes.
type samplePlanRow struct {
	user    string
	steps   []string
	text    string
	done    []string
	note    string // when set, the note every done item carries (then it is not checked for courtesy words)
	assign  []string
	added   []string
	figures []string
	reply   string
}

// sampleSnapshot is what runSamplePlanRow compares before and after a row.
type sampleSnapshot struct {
	items   []bot.Tracked
	figures []bot.Figure
	members []bot.Member
	teams   []bot.Team
	audit   []bot.AuditEntry
}

func takeSampleSnapshot(t *testing.T, st *memory.Store, teamID int64) sampleSnapshot {
	t.Helper()
	ctx := context.Background()
	var s sampleSnapshot
	var err error
	if s.items, err = st.Obligations(ctx, teamID, true); err != nil {
		t.Fatal(err)
	}
	if s.figures, err = st.Figures(ctx, teamID, bot.FigureFilter{IncludeVoid: true}); err != nil {
		t.Fatal(err)
	}
	if s.members, err = st.Members(ctx, teamID); err != nil {
		t.Fatal(err)
	}
	if s.teams, err = st.Teams(ctx); err != nil {
		t.Fatal(err)
	}
	if s.audit, err = st.AuditLog(ctx, teamID); err != nil {
		t.Fatal(err)
	}
	return s
}

func runSamplePlanRow(t *testing.T, c samplePlanRow) {
	t.Helper()
	t.Run(c.user+":"+strings.Join(append(append([]string{}, c.steps...), c.text), "→"), func(t *testing.T) {
		st, r := samplePlanEnv(t)
		ctx := context.Background()
		team, _ := st.EnsureTeam(ctx, bot.DefaultTeam)
		before := takeSampleSnapshot(t, st, team.ID)
		user := c.user
		if user == "" {
			user = "lisi"
		}
		say := func(s string) string {
			rep, _ := r.Handle(ctx, &bot.Request{Team: team, UserID: user, Text: s, Now: samplePlanNow})
			return rep.Text()
		}
		for _, s := range c.steps {
			say(s)
		}
		set := takeSampleSnapshot(t, st, team.ID)
		reply := say(c.text)
		after := takeSampleSnapshot(t, st, team.ID)
		checkSampleItems(t, c, user, reply, before.items, after.items)
		checkSampleFigures(t, c, reply, set.figures, after.figures)
		if !reflect.DeepEqual(before.members, after.members) || !reflect.DeepEqual(before.teams, after.teams) {
			t.Errorf("members or units changed (reply %q)", reply)
		}
		for _, e := range after.audit[len(before.audit):] {
			switch e.Action {
			case "complete", "undo", "assign", "obligation.add", "figure.add":
			default:
				t.Errorf("unexpected change %s %s (reply %q)", e.Action, e.Target, reply)
			}
		}
		if c.reply != "" && !strings.Contains(reply, c.reply) {
			t.Errorf("reply %q does not contain %q", reply, c.reply)
		}
	})
}

// sampleItemKey finds the one item of items a row names by "YYYY-MM|words" (the last that fits,
// as the rows were written against).
func sampleItemKey(t *testing.T, items []bot.Tracked, ref string) string {
	t.Helper()
	period, words, _ := strings.Cut(ref, "|")
	found := ""
	for _, it := range items {
		if strings.HasPrefix(it.Due.String(), period) && strings.Contains(it.Title, words) {
			found = it.Key
		}
	}
	if found == "" {
		t.Fatalf("no item %s", ref)
	}
	return found
}

// checkSampleItems: the done and assigned items changed as the row says, the added ones
// appeared, and every other field of every item is as before.
func checkSampleItems(t *testing.T, c samplePlanRow, user, reply string, before, after []bot.Tracked) {
	t.Helper()
	wantDone := map[string]bool{}
	for _, d := range c.done {
		wantDone[sampleItemKey(t, before, d)] = true
	}
	wantAssignee := map[string]string{}
	for _, a := range c.assign {
		ref, who, _ := strings.Cut(a, ">")
		wantAssignee[sampleItemKey(t, before, ref)] = who
	}
	byKey := map[string]bot.Tracked{}
	for _, a := range after {
		byKey[a.Key] = a
	}
	for _, b := range before {
		a, ok := byKey[b.Key]
		if !ok {
			t.Errorf("%s %q is gone (reply %q)", b.Due, b.Title, reply)
			continue
		}
		delete(byKey, b.Key)
		want := b
		if wantDone[b.Key] {
			want.DoneBy, want.DoneNote = user, a.DoneNote
			if c.note != "" {
				want.DoneNote = c.note
			}
			for _, w := range []string{"谢谢", "辛苦", "帮我", "标记", "吗", "？", "?", "一下"} {
				if c.note == "" && strings.Contains(a.DoneNote, w) {
					t.Errorf("%s %q has the note %q: %s is not a note (reply %q)", b.Due, b.Title, a.DoneNote, w, reply)
				}
			}
		}
		if who, ok := wantAssignee[b.Key]; ok {
			want.Assignee = who
		}
		if a.DoneBy == want.DoneBy {
			want.DoneAt = a.DoneAt // a completion undone and redone by the steps keeps its state
		}
		if !reflect.DeepEqual(a, want) {
			t.Errorf("%s %q changed: done by %q note %q assignee %q due %s, want done by %q note %q assignee %q due %s (reply %q)",
				b.Due, b.Title, a.DoneBy, a.DoneNote, a.Assignee, a.Due, want.DoneBy, want.DoneNote, want.Assignee, want.Due, reply)
		}
	}
	var added []bot.Tracked
	for _, a := range after {
		if _, ok := byKey[a.Key]; ok {
			added = append(added, a)
		}
	}
	if len(added) != len(c.added) {
		t.Errorf("%d items added, want %d: %v (reply %q)", len(added), len(c.added), added, reply)
		return
	}
	for i, ref := range c.added {
		due, words, _ := strings.Cut(ref, "|")
		if added[i].Due.String() != due || !strings.Contains(added[i].Title, words) || added[i].DoneBy != "" {
			t.Errorf("added %s %q (done by %q), want %s", added[i].Due, added[i].Title, added[i].DoneBy, ref)
		}
	}
}

// checkSampleFigures: the figures the row records appeared, none else, and none changed.
func checkSampleFigures(t *testing.T, c samplePlanRow, reply string, before, after []bot.Figure) {
	t.Helper()
	if len(after) < len(before) || (len(before) > 0 && !reflect.DeepEqual(before, after[:len(before)])) {
		t.Errorf("figures changed: %v, want %v (reply %q)", after, before, reply)
		return
	}
	var got []string
	for _, f := range after[len(before):] {
		got = append(got, fmt.Sprintf("%s|%s|%s|%d|%d", f.Programme, f.Stage, f.Term, f.Persons, f.AmountFen))
	}
	if strings.Join(got, " ") != strings.Join(c.figures, " ") {
		t.Errorf("figures recorded %q, want %q (reply %q)", got, c.figures, reply)
	}
}

var samplePlanNow = time.Date(2026, 6, 10, 9, 30, 0, 0, bot.Shanghai)

func samplePlanEnv(t *testing.T) (*memory.Store, *bot.Router) {
	t.Helper()
	ctx := context.Background()
	st := memory.New()
	st.Now = func() time.Time { return samplePlanNow }
	team, err := st.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []bot.Member{
		{TeamID: team.ID, UserID: "wangzr", Name: "王主任", Role: bot.RoleSupervisor, Active: true},
		{TeamID: team.ID, UserID: "lisi", Name: "李老师", Role: bot.RoleStaff, Active: true},
		{TeamID: team.ID, UserID: "zhangsan", Name: "张老师", Role: bot.RoleStaff, Active: true},
	} {
		if err := st.PutMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportPlan(ctx, team.ID, p, bot.ImportOptions{Source: name, Actor: "test",
		Today: bot.NewDate(2026, 1, 1), TrackPast: true, At: samplePlanNow.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	state := newFakeState()
	r := bot.NewRouter(state, st, nil)
	Register(r, Deps{Store: st, State: state})
	return st, r
}
