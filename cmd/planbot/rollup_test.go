package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/figure"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

// TestServeRollups: the city supervisor's 进度, 汇总 and 数据 cover the units below, counted by
// hand here; 汇总 濉溪县 drills in; a county supervisor sees the county and its school only.
func TestServeRollups(t *testing.T) {
	a, fake, cfg := newTestApp(t)
	units := cityTree(t, a)
	ctx := context.Background()
	h := a.Handler()
	msg := 5000
	say := func(user, text string) string {
		t.Helper()
		msg++
		before := len(fake.Requests("message/send"))
		w := post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, user, text, fmt.Sprint(msg), serveNow), serveNow))
		return replyText(t, a, fake, cfg, w, before)
	}
	// The school finished its March report; 相山区 has an item overdue since February.
	if err := a.store.Complete(ctx, units["濉溪中学"].ID, "sun", "2026-03/1", "", serveNow, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.AddObligation(ctx, units["相山区"].ID, "qian", bot.Obligation{Key: "2026-02/x", Title: "二月补报", Due: bot.NewDate(2026, 2, 27), Period: "2026-02", Rule: bot.RuleOnce}, serveNow, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	// Figures: one typed in a county through the callback, the others stored directly.
	if got := say("zhao", "记录 国家助学金 中职 春季 120人 24.5万元"); !strings.Contains(got, "已记录") {
		t.Fatalf("记录 in the county: %s", got)
	}
	for _, f := range []struct {
		unit    string
		persons int64
		fen     int64
	}{
		{"淮北市", 10, 100_001},    // 1,000.01 元
		{"濉溪中学", 35, 7_000_099}, // 70,000.99 元
		{"相山区", 48, 9_600_000},  // 96,000 元
		{"杜集区", 7, 140_003},     // 1,400.03 元
		{"濉溪县", 0, 1},           // one 分
	} {
		if _, err := a.store.AddFigure(ctx, bot.Figure{TeamID: units[f.unit].ID, Programme: "国家助学金", Stage: "中职", Term: "春季", Year: 2026,
			Persons: f.persons, AmountFen: f.fen, By: "test", At: serveNow}, bot.Effect{}); err != nil {
			t.Fatal(err)
		}
	}
	// by hand: persons 120+10+35+48+7+0 = 220; 分 24,500,000+100,001+7,000,099+9,600,000+140,003+1 = 41,340,104
	cityFen := int64(24_500_000 + 100_001 + 7_000_099 + 9_600_000 + 140_003 + 1)
	countyFen := int64(24_500_000 + 7_000_099 + 1)

	status := say("shi", "进度")
	for _, w := range []string{
		"下级单位3个", "全辖合计（5个单位）：1/5（20%），逾期1",
		"· 相山区：0/1（0%），逾期1", "· 杜集区：0/1（0%），逾期0", "· 濉溪县（含下级1个）：1/2（50%），逾期0",
	} {
		if !strings.Contains(status, w) {
			t.Fatalf("city 进度 lacks %q:\n%s", w, status)
		}
	}
	if i, j, k := strings.Index(status, "相山区"), strings.Index(status, "杜集区"), strings.Index(status, "濉溪县"); !(i < j && j < k) {
		t.Fatalf("units behind are not first:\n%s", status)
	}
	sum := say("shi", "汇总")
	if !strings.Contains(sum, "全辖合计（5个单位）：1/5（20%），逾期1") || !strings.Contains(sum, "· 相山区：0/1（0%），逾期1") {
		t.Fatalf("city 汇总:\n%s", sum)
	}
	drill := say("shi", "汇总 濉溪县")
	for _, w := range []string{"📊 濉溪县 本月（3月）工作汇总", "完成率：0/1", "下级单位1个", "· 濉溪中学：1/1（100%），逾期0", "全辖合计（2个单位）：1/2（50%）"} {
		if !strings.Contains(drill, w) {
			t.Fatalf("汇总 濉溪县 lacks %q:\n%s", w, drill)
		}
	}
	data := say("shi", "数据 国家助学金")
	for _, w := range []string{
		"淮北市全辖数据",
		fmt.Sprintf("国家助学金·中职：220人，0人次，%s万元（6条", figure.FormatWan(cityFen)),
		"按单位：",
		fmt.Sprintf("· 本级（淮北市）：10人，0人次，%s万元（1条）", figure.FormatWan(100_001)),
		fmt.Sprintf("· 濉溪县（含下级1个）：155人，0人次，%s万元（3条）", figure.FormatWan(countyFen)),
		fmt.Sprintf("· 相山区：48人，0人次，%s万元（1条）", figure.FormatWan(9_600_000)),
		fmt.Sprintf("· 杜集区：7人，0人次，%s万元（1条）", figure.FormatWan(140_003)),
	} {
		if !strings.Contains(data, w) {
			t.Fatalf("city 数据 lacks %q:\n%s", w, data)
		}
	}
	if figure.FormatWan(cityFen) != "41.340104" || figure.FormatWan(countyFen) != "31.5001" {
		t.Fatalf("hand sum renders %s", figure.FormatWan(cityFen))
	}
	// 数据 濉溪县 drills into the county (with its school); a sibling or the city is refused below.
	if got := say("shi", "数据 濉溪县 国家助学金"); !strings.Contains(got, "濉溪县全辖数据") || !strings.Contains(got, fmt.Sprintf("155人，0人次，%s万元（3条", figure.FormatWan(countyFen))) || strings.Contains(got, "相山区") {
		t.Fatalf("数据 濉溪县:\n%s", got)
	}
	if got := say("zhao", "数据 相山区"); !strings.Contains(got, "你不能查看“相山区”") {
		t.Fatalf("zhao 数据 相山区: %s", got)
	}
	// The county supervisor: the county and its school, never the city or a sibling.
	cdata := say("zhao", "数据 国家助学金")
	if !strings.Contains(cdata, fmt.Sprintf("155人，0人次，%s万元（3条", figure.FormatWan(countyFen))) || strings.Contains(cdata, "相山区") || strings.Contains(cdata, "本级（淮北市）") {
		t.Fatalf("county 数据:\n%s", cdata)
	}
	cstatus := say("zhao", "进度")
	if !strings.Contains(cstatus, "全辖合计（2个单位）") || strings.Contains(cstatus, "相山区") || strings.Contains(cstatus, "杜集区") {
		t.Fatalf("county 进度:\n%s", cstatus)
	}
	for _, text := range []string{"汇总 淮北市", "汇总 相山区"} {
		if got := say("zhao", text); !strings.Contains(got, "你不能查看") || strings.Contains(got, "工作汇总") {
			t.Fatalf("zhao %s: %s", text, got)
		}
	}
	// Staff get no roll-up and cannot drill.
	if got := say("sun", "进度"); strings.Contains(got, "下级单位") {
		t.Fatalf("staff 进度 shows a roll-up: %s", got)
	}
	if got := say("qian", "汇总 相山区"); strings.Contains(got, "全辖") {
		t.Fatalf("staff 汇总: %s", got)
	}
}

// TestServeRollup100Units: a supervisor of a unit with 100 units below gets 进度 and 汇总 in one
// WeCom message (≤ 2048 bytes), the units behind first; the time is logged for the note.
func TestServeRollup100Units(t *testing.T) {
	a, fake, cfg := newTestApp(t)
	ctx := context.Background()
	root, err := a.store.AddTeam(ctx, "test", bot.Team{Name: "安徽省"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.store.PutMember(ctx, "test", bot.Member{TeamID: root.ID, UserID: "sheng", Name: "省主任", Role: bot.RoleSupervisor, Active: true}); err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		u, err := a.store.AddTeam(ctx, "test", bot.Team{Name: fmt.Sprintf("第%03d县", i), ParentID: root.ID})
		if err != nil {
			t.Fatal(err)
		}
		var obs []bot.Obligation
		for j := range 20 {
			obs = append(obs, bot.Obligation{Key: fmt.Sprintf("2026-03/%d", j), Title: fmt.Sprintf("事项%d", j), Due: bot.NewDate(2026, 3, 2+j), Period: "2026-03", Rule: bot.RuleOnce, Line: j})
		}
		if _, err := a.store.ImportPlan(ctx, u.ID, bot.Plan{Title: "p", Year: 2026, Obligations: obs}, bot.ImportOptions{Source: "p", Actor: "test", Today: bot.NewDate(2026, 1, 1), At: serveNow}); err != nil {
			t.Fatal(err)
		}
		if i == 57 { // the one unit behind: everything else done
			continue
		}
		for j := range 20 {
			if err := a.store.Complete(ctx, u.ID, "test", fmt.Sprintf("2026-03/%d", j), "", serveNow, bot.Effect{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	h := a.Handler()
	for i, text := range []string{"进度", "汇总"} {
		before := len(fake.Requests("message/send"))
		start := time.Now()
		w := post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "sheng", text, fmt.Sprint(9000+i), serveNow), serveNow))
		got := replyText(t, a, fake, cfg, w, before)
		t.Logf("%s over 100 units: %v", text, time.Since(start))
		if n := len(fake.Requests("message/send")) - before; w.Body.Len() == 0 && n != 1 {
			t.Fatalf("%s went out as %d messages, want one", text, n)
		}
		rep, _ := a.router.Handle(ctx, &bot.Request{Team: root, UserID: "sheng", Text: text, Now: serveNow})
		if n := len(rep.MD()); n > bot.MaxMessageBytes {
			t.Fatalf("%s is %d bytes, more than one message", text, n)
		}
		if !strings.Contains(got, "下级单位100个") || !strings.Contains(got, "全辖合计（101个单位）：1980/2000（99%）") {
			t.Fatalf("%s:\n%s", text, got)
		}
		first := strings.Index(got, "\n· 第")
		if first < 0 || !strings.HasPrefix(got[first:], "\n· 第057县：0/20（0%），逾期0") || !strings.Contains(got, "…另有") {
			t.Fatalf("%s: the unit behind is not first, or nothing was cut:\n%s", text, got)
		}
	}
}

// TestEscalationUpward: a county's item linked to the city's, still open the workday after its
// deadline, appears in the city supervisors' escalation once, naming the county and who is
// responsible, then weekly; the county's own items and finished ones never do.
func TestEscalationUpward(t *testing.T) {
	a, _, _ := newTestApp(t)
	units := cityTree(t, a)
	ctx := context.Background()
	county := units["濉溪县"].ID
	for _, o := range []bot.Obligation{
		{Key: "up:2026-03/5", Title: "上报资助资金发放进度", Due: bot.NewDate(2026, 3, 5), Period: "2026-03", Rule: bot.RuleOnce},
		{Key: "own-3", Title: "县里自己的检查", Due: bot.NewDate(2026, 3, 5), Period: "2026-03", Rule: bot.RuleOnce},
	} {
		if _, err := a.store.AddObligation(ctx, county, "zhao", o, serveNow, bot.Effect{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.store.PutMember(ctx, "test", bot.Member{TeamID: county, UserID: "wu", Name: "吴老师", Role: bot.RoleStaff, Active: true}); err != nil {
		t.Fatal(err)
	}
	if err := a.store.Assign(ctx, county, "zhao", "up:2026-03/5", "wu", serveNow, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	city := units["淮北市"]
	escalation := func(day bot.Date) string {
		t.Helper()
		msgs, err := a.sched.Render(ctx, city, schedule.KindEscalate, day)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, m := range msgs {
			if m.To != "shi" {
				t.Fatalf("city escalation to %q, want the city supervisor only", m.To)
			}
			b.WriteString(m.Markdown)
		}
		return b.String()
	}
	first := escalation(bot.NewDate(2026, 3, 6))
	if !strings.Contains(first, "【濉溪县】上报资助资金发放进度（3月5日截止，逾期 1 天，负责人：吴老师）") {
		t.Fatalf("first escalation:\n%s", first)
	}
	if strings.Contains(first, "县里自己的检查") {
		t.Fatalf("the county's own item went up:\n%s", first)
	}
	if got := escalation(bot.NewDate(2026, 3, 9)); strings.Contains(got, "濉溪县") {
		t.Fatalf("escalated again the next workday:\n%s", got)
	}
	if got := escalation(bot.NewDate(2026, 3, 13)); !strings.Contains(got, "【濉溪县】上报资助资金发放进度") {
		t.Fatalf("no weekly reminder a week later:\n%s", got)
	}
	if msgs, err := a.sched.Render(ctx, units["相山区"], schedule.KindEscalate, bot.NewDate(2026, 3, 6)); err != nil || len(msgs) != 0 {
		t.Fatalf("a sibling county's escalation: %v %+v", err, msgs)
	}
	if err := a.store.Complete(ctx, county, "wu", "up:2026-03/5", "", serveNow, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	if got := escalation(bot.NewDate(2026, 3, 13)); strings.Contains(got, "濉溪县") {
		t.Fatalf("a finished item escalated:\n%s", got)
	}
}

// TestCityEndToEnd drives a city through the CLI and the callback while serve runs: team
// import, member import, the cascade, completions and figures in the counties, then the city
// supervisor's 汇总 and 数据.
func TestCityEndToEnd(t *testing.T) {
	a, fake, cfg := newTestApp(t)
	ctx := context.Background()
	cmd := func(fn storeCmd, args ...string) string {
		t.Helper()
		var out, errw strings.Builder
		c := &cli{stdout: &out, stderr: &errw, now: func() time.Time { return serveNow }, cfg: a.cfg}
		defer c.close()
		if err := fn(ctx, c, args); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errw.String())
		}
		return out.String()
	}
	cmd(runTeam, "import", writeFile(t, "单位.csv", "单位,上级单位,群,定时\n淮北市,,,\n濉溪县,淮北市,,\n相山区,淮北市,,\n杜集区,淮北市,,\n濉溪中学,濉溪县,,\n"))
	cmd(runMember, "import", writeFile(t, "成员.csv", "单位,账号,姓名,角色\n淮北市,shi,市主任,主管\n濉溪县,zhao,赵局长,主管\n濉溪县,wu,吴老师,科员\n相山区,qian,钱老师,科员\n濉溪中学,sun,孙老师,科员\n"))
	out := cmd(runImport, writeSample(t, "", ""), "--team", "淮北市", "--cascade", "--year", "2026")
	if !strings.Contains(out, "下级单位 4 个") {
		t.Fatalf("cascade: %s", out)
	}
	h := a.Handler()
	msg := 7000
	say := func(user, text string) string {
		t.Helper()
		msg++
		before := len(fake.Requests("message/send"))
		w := post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, user, text, fmt.Sprint(msg), serveNow), serveNow))
		return replyText(t, a, fake, cfg, w, before)
	}
	if got := say("wu", "本月"); !strings.Contains(got, "更新维护学生资助管理") {
		t.Fatalf("county staff 本月: %s", got)
	}
	for _, u := range []string{"wu", "qian"} {
		if got := say(u, "完成 1"); !strings.Contains(got, "已完成") && !strings.Contains(got, "✅") {
			t.Fatalf("%s 完成 1: %s", u, got)
		}
	}
	for _, c := range []struct{ user, text string }{
		{"zhao", "记录 国家助学金 中职 春季 120人 24.5万元"},
		{"qian", "记录 国家助学金 中职 春季 10人 1.5万元"},
		{"sun", "记录 国家助学金 中职 春季 5人 0.75万元"},
	} {
		if got := say(c.user, c.text); !strings.Contains(got, "已记录") {
			t.Fatalf("%s %s: %s", c.user, c.text, got)
		}
	}
	sum := say("shi", "汇总")
	for _, w := range []string{"下级单位本期录入数据3条：135人，0人次，26.75万元", "下级单位3个", "全辖合计（5个单位）", "· 濉溪县（含下级1个）：1/", "· 相山区：1/", "· 杜集区：0/"} {
		if !strings.Contains(sum, w) {
			t.Fatalf("city 汇总 lacks %q:\n%s", w, sum)
		}
	}
	if strings.Index(sum, "杜集区") > strings.Index(sum, "相山区") {
		t.Fatalf("the unit behind (杜集区, nothing done) is not first:\n%s", sum)
	}
	data := say("shi", "数据")
	for _, w := range []string{"淮北市全辖数据", "135人，0人次，26.75万元", "· 濉溪县（含下级1个）：125人，0人次，25.25万元（2条）", "· 相山区：10人，0人次，1.5万元（1条）"} {
		if !strings.Contains(data, w) {
			t.Fatalf("city 数据 lacks %q:\n%s", w, data)
		}
	}
}
