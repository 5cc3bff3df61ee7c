package handlers

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

// figureLine renders a recorded figure the way the table below states effects.
func figureLine(f bot.Figure) string {
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	parts := []string{dash(f.Programme), dash(f.Stage), dash(f.Term), strconv.Itoa(f.Year), strconv.Itoa(f.Month),
		strconv.FormatInt(f.Persons, 10), strconv.FormatInt(f.PersonTimes, 10), strconv.FormatInt(f.AmountFen, 10)}
	if f.Note != "" {
		parts = append(parts, f.Note)
	}
	return strings.Join(parts, " ")
}

func (e *env) figures() []bot.Figure {
	e.t.Helper()
	fs, err := e.mem.Figures(context.Background(), e.team.ID, bot.FigureFilter{IncludeVoid: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return fs
}

// TestRecordPhrasings: messages typed by lisi (staff) on Wednesday 2026-06-10 (spring term), and
// exactly the figures they leave recorded (amounts in 分). Refusals record nothing.
func TestRecordPhrasings(t *testing.T) {
	const sp = " 春季 2026 0 " // most cases are the spring term of 2026
	for _, c := range []struct {
		msgs  []string
		want  []string // figures recorded, in figureLine form
		reply string   // the last reply contains this
	}{
		// the forms of the issue
		{[]string{"记录 中职国家助学金 春季 1200人 240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "240万元"},
		{[]string{"记录 普高国家助学金 秋季 1500人次 300万"}, []string{"国家助学金 普通高中 秋季 2026 0 0 1500 300000000"}, "1500人次"},
		{[]string{"记录 生源地信用助学贷款 856人 6,848,000元"}, []string{"生源地信用助学贷款 -" + sp + "856 0 684800000"}, "6,848,000元（684.8万元）"},
		{[]string{"记录 中职免学费 春季 980人 196.5万元"}, []string{"免学费 中职" + sp + "980 0 196500000"}, "196.5万元"},
		// command words and ways of typing
		{[]string{"record 中职国家助学金 春季 1200人 240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"Record 中职国家助学金 1200人 240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录：中职国家助学金，春季，1200人，240万元。"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录中职国家助学金春季1200人240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"@资助助手 记录 中职国家助学金 1200人 240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"录入 中职国家助学金 1200人 240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"登记 中职国家助学金 1200人 240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录　中职国家助学金　１２００人　２４０万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 1200 人 240 万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		// amounts
		{[]string{"记录 中职国家助学金 1200人 240.5万元"}, []string{"国家助学金 中职" + sp + "1200 0 240500000"}, "240.5万元"},
		{[]string{"记录 中职国家助学金 1200人 2,400,000.50元"}, []string{"国家助学金 中职" + sp + "1200 0 240000050"}, "2,400,000.50元"},
		{[]string{"记录 中职国家助学金 1200人 2400000元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 1200人 ￥2,400,000元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 1200人 0.01元"}, []string{"国家助学金 中职" + sp + "1200 0 1"}, "0.000001万元"},
		{[]string{"记录 中职国家助学金 1200人 1.2亿元"}, []string{"国家助学金 中职" + sp + "1200 0 12000000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 1.2万人 2400万元"}, []string{"国家助学金 中职" + sp + "12000 0 2400000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 人数1200 人次1500 金额240万元"}, []string{"国家助学金 中职" + sp + "1200 1500 240000000"}, "人次：1500人次"},
		{[]string{"记录 中职国家助学金 人数：1200 金额：2400000"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 共1200人 合计240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 1200名学生 240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		// periods
		{[]string{"记录 中职国家助学金 5月 1200人 240万"}, []string{"国家助学金 中职 - 2026 5 1200 0 240000000"}, "2026年5月"},
		{[]string{"记录 中职国家助学金 五月 1200人 240万"}, []string{"国家助学金 中职 - 2026 5 1200 0 240000000"}, "2026年5月"},
		{[]string{"记录 中职国家助学金 12月 1200人 240万"}, []string{"国家助学金 中职 - 2025 12 1200 0 240000000"}, "2025年12月"},
		{[]string{"记录 中职国家助学金 2026年秋季 1200人 240万元"}, []string{"国家助学金 中职 秋季 2026 0 1200 0 240000000"}, "2026年秋季"},
		{[]string{"记录 中职国家助学金 2025年秋季 1200人 240万元"}, []string{"国家助学金 中职 秋季 2025 0 1200 0 240000000"}, "2025年秋季"},
		{[]string{"记录 中职国家助学金 秋季学期 1200人 240万元"}, []string{"国家助学金 中职 秋季 2026 0 1200 0 240000000"}, "已记录"},
		{[]string{"记录 生源地贷款 2026年 856人 684.8万元"}, []string{"生源地信用助学贷款 - - 2026 0 856 0 684800000"}, "期间：2026年"},
		{[]string{"记录 生源地贷款 全年 856人 684.8万元"}, []string{"生源地信用助学贷款 - - 2026 0 856 0 684800000"}, "期间：2026年"},
		// programmes, stages and aliases
		{[]string{"记录 国家助学金 中职 1200人 240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录 国家助学金（普高） 800人 160万元"}, []string{"国家助学金 普通高中" + sp + "800 0 160000000"}, "已记录"},
		{[]string{"记录 高中国家助学金 800人 160万元"}, []string{"国家助学金 普通高中" + sp + "800 0 160000000"}, "已记录"},
		{[]string{"记录 国家奖学金 中职 35人 21万元"}, []string{"国家奖学金 中职" + sp + "35 0 21000000"}, "已记录"},
		{[]string{"记录 国家奖学金 35人 21万元"}, []string{"国家奖学金 中职" + sp + "35 0 21000000"}, "已记录"},
		{[]string{"记录 免学杂费 2000人 150万元"}, []string{"免学杂费 普通高中" + sp + "2000 0 150000000"}, "已记录"},
		{[]string{"记录 学前资助 600人 60万元"}, []string{"学前资助 幼儿园" + sp + "600 0 60000000"}, "已记录"},
		{[]string{"记录 建档立卡 300人 45万元"}, []string{"建档立卡学生资助 -" + sp + "300 0 45000000"}, "已记录"},
		{[]string{"记录 助学贷款 856人 684.8万元"}, []string{"生源地信用助学贷款 -" + sp + "856 0 684800000"}, "已记录"},
		{[]string{"记录 新生入学资助 50人 25万元"}, []string{"新生入学资助 彩票公益金" + sp + "50 0 25000000"}, "已记录"},
		{[]string{"记录 职业技能教育资助 120人 36000元"}, []string{"职业技能教育资助 -" + sp + "120 0 3600000"}, "已记录"},
		{[]string{"记录 校内资助 45人 4.5万元"}, []string{"校内资助 -" + sp + "45 0 4500000"}, "已记录"},
		// notes
		{[]string{"记录 中职国家助学金 1200人 240万元 备注 第一批"}, []string{"国家助学金 中职" + sp + "1200 0 240000000 第一批"}, "备注：第一批"},
		{[]string{"记录 中职国家助学金 1200人 240万元 含补发"}, []string{"国家助学金 中职" + sp + "1200 0 240000000 含补发"}, "备注：含补发"},
		// dialogs
		{[]string{"记录 中职国家助学金 春季 1200人", "240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 240万元", "1200"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 240万元", "1500人次"}, []string{"国家助学金 中职" + sp + "0 1500 240000000"}, "已记录"},
		{[]string{"记录 国家助学金 800人 160万元", "普高"}, []string{"国家助学金 普通高中" + sp + "800 0 160000000"}, "已记录"},
		{[]string{"记录 国家助学金", "中职", "1200人", "240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录", "中职免学费 980人 196.5万元"}, []string{"免学费 中职" + sp + "980 0 196500000"}, "已记录"},
		{[]string{"记录 中职国家助学金 1200人", "240", "240万元"}, []string{"国家助学金 中职" + sp + "1200 0 240000000"}, "已记录"},
		{[]string{"记录 中职免学费 980人", "无"}, []string{"免学费 中职" + sp + "980 0 0"}, "已记录"},
		{[]string{"记录 中职国家助学金 1200人 备注 甲", "记录 免学费 980人 196.5万元"}, []string{"免学费 中职" + sp + "980 0 196500000"}, "已记录"},
		{[]string{"记录 中职国家助学金 1200人", "记录 中职国家助学金 1300人 260万元"}, []string{"国家助学金 中职" + sp + "1300 0 260000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 1200人", "240万元 备注 第二批"}, []string{"国家助学金 中职" + sp + "1200 0 240000000 第二批"}, "已记录"},
		// asking, leaving, and a dialog interrupted by another command
		{[]string{"记录 中职国家助学金 1200人"}, nil, "金额是多少"},
		{[]string{"记录 中职国家助学金 240万元"}, nil, "人数是多少"},
		{[]string{"记录 国家助学金 1200人 240万元"}, nil, "中职 或 普通高中"},
		{[]string{"记录"}, nil, "例如"},
		{[]string{"记录 中职国家助学金 1200人", "取消"}, nil, "已取消"},
		{[]string{"记录 中职国家助学金 1200人", "今天"}, nil, "今天"},
		{[]string{"记录 中职国家助学金 1200人", "240"}, nil, "240万元"},
		// answers that look like commands (held-out check, H12): a month answers, a command leaves
		{[]string{"记录 中职国家助学金 1200人", "5月", "240万元"}, []string{"国家助学金 中职 - 2026 5 1200 0 240000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 1200人", "五月", "24万元"}, []string{"国家助学金 中职 - 2026 5 1200 0 24000000"}, "2026年5月"},
		{[]string{"记录 国家助学金 1200人 240万元", "本月", "中职"}, []string{"国家助学金 中职 - 2026 6 1200 0 240000000"}, "2026年6月"},
		{[]string{"记录 中职国家助学金 1200人", "6月 240万元"}, []string{"国家助学金 中职 - 2026 6 1200 0 240000000"}, "已记录"},
		{[]string{"记录 中职国家助学金 1200人", "数据", "240万元"}, nil, ""},
		{[]string{"记录 中职国家助学金 1200人", "本周"}, nil, "本周"},
		{[]string{"记录 中职国家助学金 1200人", "数据 春季", "240万元"}, nil, ""},
		{[]string{"记录 中职国家助学金 1200人", "下月", "240万元"}, nil, ""},
		// refusals
		{[]string{"记录 国家励志奖学金 35人 21万元"}, nil, "国家奖学金"},
		{[]string{"记录 扶贫助学 35人 21万元"}, nil, "例如"},
		{[]string{"记录 中职国家助学金 -1200人 240万元"}, nil, "负数"},
		{[]string{"记录 中职国家助学金 1200人 -240万元"}, nil, "负数"},
		{[]string{"记录 中职国家助学金 20000000人 240万元"}, nil, "超过1000万"},
		{[]string{"记录 中职国家助学金 1200人 200亿元"}, nil, "超过100亿元"},
		{[]string{"记录 中职国家助学金 春季 1200人 240万亿元"}, nil, "超过100亿元"},
		{[]string{"记录 中职国家助学金 1200 240万元"}, nil, "1200人"},
		{[]string{"记录 中职国家助学金 1200人 240"}, nil, "240万元"},
		{[]string{"记录 中职国家助学金 1200人 240.001元"}, nil, "例如"},
		{[]string{"记录 中职国家助学金 1200人 24,00,000元"}, nil, "例如"},
		{[]string{"记录 中职国家助学金 1200人 240万元 250万元"}, nil, "金额写了两次"},
		{[]string{"记录 国家奖学金 普高 35人 21万元"}, nil, "只有中职"},
		{[]string{"记录 中职国家助学金 13月 1200人 240万元"}, nil, "月份"},
		{[]string{"记录 中职国家助学金 1200.5人 240万元"}, nil, "整数"},
	} {
		name := strings.Join(c.msgs, " / ")
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			var reply string
			for _, m := range c.msgs {
				reply = e.say("lisi", m)
			}
			if !strings.Contains(reply, c.reply) {
				t.Errorf("reply %q lacks %q", reply, c.reply)
			}
			var got []string
			for _, f := range e.figures() {
				got = append(got, figureLine(f))
				if f.By != "lisi" || !f.At.Equal(testNow) {
					t.Errorf("figure by %s at %v", f.By, f.At)
				}
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("recorded:\n%s\nwant:\n%s\n(last reply %q)", strings.Join(got, "\n"), strings.Join(c.want, "\n"), reply)
			}
			if len(c.want) > 0 {
				if _, open, _ := e.state.Dialog(context.Background(), bot.DefaultTeam, "lisi"); open {
					t.Error("dialog left open after recording")
				}
			}
		})
	}
}

// TestFiguresTotals records in both units, voids one, and checks 数据 against hand sums.
func TestFiguresTotals(t *testing.T) {
	e := newEnv(t)
	for _, m := range []string{
		"记录 中职国家助学金 春季 1200人 240万元",          // 1
		"记录 中职国家助学金 5月 300人 600,000.50元",     // 2: in the spring term
		"记录 中职国家助学金 春季 999人 999万元",           // 3: voided below
		"记录 普高国家助学金 春季 1500人次 3,002,500元",    // 4
		"记录 中职国家助学金 2025年秋季 1000人 200万元",     // 5: last year
		"记录 生源地信用助学贷款 2026年 856人 6,848,000元", // 6: the year
	} {
		if r := e.say("lisi", m); !strings.Contains(r, "已记录") {
			t.Fatalf("%s: %s", m, r)
		}
	}
	third := strconv.FormatInt(e.figures()[2].ID, 10) // the number the 记录 reply showed
	if r := e.say("zhangsan", "撤销记录 "+third); !strings.Contains(r, "只有录入人或主管") {
		t.Errorf("another staff member voided: %s", r)
	}
	if r := e.say("lisi", "撤销记录 "+third); !strings.Contains(r, "已撤销第"+third+"条") {
		t.Errorf("recorder could not void: %s", r)
	}
	if r := e.say("wangzr", "撤销记录 "+third); !strings.Contains(r, "已经撤销过了") {
		t.Errorf("second void: %s", r)
	}
	if r := e.say("wangzr", "undo record 99"); !strings.Contains(r, "没有第99条") {
		t.Errorf("void of a missing record: %s", r)
	}
	fs := e.figures()
	if len(fs) != 6 || !fs[2].Void() || fs[2].VoidedBy != "lisi" {
		t.Fatalf("void not kept in history: %+v", fs)
	}
	for _, c := range []struct{ ask, want string }{
		// 2026: 中职 240万 + 60.00005万 = 300.00005万, 1500人; 普高 300.25万; loan 684.8万; total 1285.05005万
		{"数据", "国家助学金·中职：1500人，0人次，300.00005万元（2条"},
		{"数据", "国家助学金·普通高中：0人，1500人次，300.25万元（1条"},
		{"数据", "生源地信用助学贷款：856人，0人次，684.8万元（1条"},
		{"数据", "合计：2356人，1500人次，1285.05005万元（4条）"},
		{"数据", "另有1条已撤销的记录未计入"},
		{"数据", "最近录入：李老师 6月10日"},
		{"数据 国家助学金 春季", "数据（2026年春季，国家助学金）"},
		{"数据 国家助学金 春季", "合计：1500人，1500人次，600.25005万元（3条）"},
		{"数据 中职国家助学金", "国家助学金·中职：1500人，0人次，300.00005万元（2条"},
		{"数据 5月", "国家助学金·中职：300人，0人次，60.00005万元（1条"},
		{"数据 2025年", "国家助学金·中职：1000人，0人次，200万元（1条"},
		{"figures 全部", "合计：3356人，1500人次，1485.05005万元（5条）"},
		{"数据 秋季", "数据（2026年秋季）：还没有记录"},
		{"数据 国家励志奖学金", "你是不是指"},
	} {
		if r := e.say("wangzr", c.ask); !strings.Contains(r, c.want) {
			t.Errorf("%s:\n%s\nlacks %q", c.ask, r, c.want)
		}
	}
}

// TestSummary checks 汇总 for a supervisor and for staff, and renders both as golden files.
func TestSummary(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.mem.Assign(ctx, e.team.ID, "wangzr", "k5", "lisi", testNow, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	if err := e.mem.Assign(ctx, e.team.ID, "wangzr", "k3", "zhangsan", testNow, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	if err := e.mem.Assign(ctx, e.team.ID, "wangzr", "k8", "lisi", testNow, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	if err := e.mem.Complete(ctx, e.team.ID, "lisi", "k8", "已准备", testNow.Add(-time.Hour), bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	if err := e.mem.Complete(ctx, e.team.ID, "zhangsan", "k6", "", testNow.Add(-2*time.Hour), bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	e.say("lisi", "记录 中职国家助学金 春季 1200人 240万元")
	sup := e.say("wangzr", "汇总")
	for _, want := range []string{"本月（6月）工作汇总", "完成率：2/7（28%）", "逾期1项", "开展诚信宣传月活动（6月5日截止，李老师）",
		"李老师 1项：准备资助政策宣传材料", "张老师 1项：部署家庭大走访", "本期录入数据1条", "国家助学金·中职：1200人"} {
		if !strings.Contains(sup, want) {
			t.Errorf("supervisor summary lacks %q:\n%s", want, sup)
		}
	}
	staff := e.say("lisi", "summary 本月")
	for _, want := range []string{"我的进度（李老师）", "完成率：1/2（50%）", "开展诚信宣传月活动"} {
		if !strings.Contains(staff, want) {
			t.Errorf("staff summary lacks %q:\n%s", want, staff)
		}
	}
	if strings.Contains(staff, "张老师") || strings.Contains(staff, "录入数据") {
		t.Errorf("staff summary shows others' work:\n%s", staff)
	}
	if r := e.say("wangzr", "汇总 7月"); !strings.Contains(r, "2026年7月") || !strings.Contains(r, "完成率：0/1") {
		t.Errorf("汇总 7月:\n%s", r)
	}
	if r := e.say("wangzr", "汇总 本周"); !strings.Contains(r, "本周（6月8日—6月14日）") {
		t.Errorf("汇总 本周:\n%s", r)
	}
	if r := e.say("wangzr", "汇总 明年"); !strings.Contains(r, "例如") {
		t.Errorf("汇总 明年:\n%s", r)
	}
	if r := e.say("lisi", "导出"); !strings.Contains(r, "需要主管权限") && !strings.Contains(r, "主管") {
		t.Errorf("staff 导出: %s", r)
	}
	if r := e.say("wangzr", "导出"); !strings.Contains(r, "planbot export --xlsx") {
		t.Errorf("导出: %s", r)
	}
	golden(t, "summary_supervisor", sup)
	golden(t, "summary_staff", staff)
	golden(t, "record_echo", newEnv(t).say("lisi", "记录 普高国家助学金 秋季 1500人 1500人次 2,400,000.50元 备注 第一批"))
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "figures", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./handlers -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}

// TestRecordWithoutState: with no conversation state nothing can be asked, so an incomplete
// line is refused with an example and nothing is recorded.
func TestRecordWithoutState(t *testing.T) {
	e := newEnv(t)
	r := bot.NewRouter(nil, e.store, nil)
	for _, c := range FigureCommands(Deps{Store: e.store}, nil) {
		r.Add(c)
	}
	say := func(text string) string {
		return textOf(r.Handle(context.Background(), &bot.Request{Team: e.team, UserID: "lisi", Text: text, Now: testNow}))
	}
	if got := say("记录 中职国家助学金 1200人"); !strings.Contains(got, "金额是多少") || !strings.Contains(got, "例如") {
		t.Errorf("reply %q", got)
	}
	if n := len(e.figures()); n != 0 {
		t.Errorf("%d figures recorded", n)
	}
	if got := say("记录 中职国家助学金 1200人 240万元"); !strings.Contains(got, "已记录") {
		t.Errorf("reply %q", got)
	}
	if n := len(e.figures()); n != 1 {
		t.Errorf("%d figures recorded", n)
	}
}

// TestUndoRecordForms: the ways staff type the number of 撤销记录 (held-out check, H12), and the
// ones that must not void anything.
func TestUndoRecordForms(t *testing.T) {
	for _, c := range []struct {
		msgs []string // after 记录 … as lisi; the last is the one checked
		void bool
	}{
		{[]string{"撤销记录 1"}, true},
		{[]string{"撤销记录 一"}, true},
		{[]string{"撤销记录 １ 人数填错了"}, true},
		{[]string{"撤销记录 第1条"}, true},
		{[]string{"撤销记录 #1"}, true},
		{[]string{"撤销记录1，金额写错了"}, true},
		{[]string{"记录 中职国家助学金 1300人", "撤销记录 1"}, true}, // a command leaves the 记录 dialog
		{[]string{"撤销记录 1.5"}, false},
		{[]string{"撤销记录 1、2"}, false},
		{[]string{"撤销记录 2"}, false},
		{[]string{"撤销记录"}, false},
	} {
		t.Run(strings.Join(c.msgs, " / "), func(t *testing.T) {
			e := newEnv(t)
			e.say("lisi", "记录 中职国家助学金 1200人 240万元")
			var reply string
			for _, m := range c.msgs {
				reply = e.say("lisi", m)
			}
			figs := e.figures()
			if len(figs) != 1 {
				t.Fatalf("figures %v (last reply %q)", figs, reply)
			}
			if figs[0].Void() != c.void {
				t.Errorf("void = %v, want %v (last reply %q)", figs[0].Void(), c.void, reply)
			}
		})
	}
}
