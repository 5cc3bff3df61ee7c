package render

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/workday"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func date(s string) bot.Date {
	d, err := bot.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot/render -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./bot/render -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// joinMessages shows a list of messages in one golden file, with each message's size.
func joinMessages(msgs []string) string {
	var b strings.Builder
	for i, m := range msgs {
		fmt.Fprintf(&b, "===== message %d/%d, %d bytes =====\n%s\n", i+1, len(msgs), len(m), m)
	}
	return b.String()
}

var numRE = regexp.MustCompile(`(?m)^(?:<font color="warning">)?(\d+)\. (.*)$`)

// checkDigest asserts the one-message rules: within max bytes, valid UTF-8, balanced font tags,
// each numbered line the agenda's item of that number (a.Numbered), numbers increasing, and
// every item due today shown.
func checkDigest(t *testing.T, a bot.Agenda, m string, max int) {
	t.Helper()
	if len(m) > max {
		t.Errorf("digest has %d bytes > %d", len(m), max)
	}
	if !utf8.ValidString(m) {
		t.Errorf("digest is not valid UTF-8")
	}
	if strings.Count(m, "<font") != strings.Count(m, "</font>") {
		t.Errorf("digest has unbalanced font tags")
	}
	want := a.Numbered()
	last := 0
	for _, sub := range numRE.FindAllStringSubmatch(m, -1) {
		n, _ := strconv.Atoi(sub[1])
		if n <= last || n > len(want) {
			t.Fatalf("item number %d after %d (agenda has %d)", n, last, len(want))
		}
		last = n
		title := mdEscape(strings.Join(strings.Fields(want[n-1].Title), " "))
		shown, _, _ := strings.Cut(sub[2], " — ")
		if !strings.HasPrefix(title, strings.TrimSuffix(shown, "…")) {
			t.Errorf("item %d is %q, not %q", n, shown, title)
		}
	}
	for _, it := range a.DueToday {
		if max < AppMaxBytes {
			break // a test limit below every channel's: today's list may shorten too
		}
		if !strings.Contains(m, fmt.Sprintf("%d. ", a.Numbers()[it.Key])) {
			t.Errorf("item due today %s not shown", it.Key)
		}
	}
}

// sampleAgenda builds the agenda of the bundled sample plan (rebased to day's year) the way
// `planbot digest` does without a store: tracking starts on day.
func sampleAgenda(t *testing.T, day bot.Date) bot.Agenda {
	t.Helper()
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: day.Year})
	if err != nil {
		t.Fatal(err)
	}
	cal := workday.New()
	var items []bot.Tracked
	for _, o := range p.Obligations {
		items = append(items, bot.Tracked{Obligation: o, BeforeTracking: cal.EffectiveDue(o.Due).Before(day)})
	}
	return bot.BuildAgenda(day, items, cal)
}

func TestSampleGoldens(t *testing.T) {
	for _, day := range []string{"2026-02-14", "2026-02-16", "2026-02-28", "2026-05-29", "2026-05-06"} {
		t.Run(day, func(t *testing.T) {
			a := sampleAgenda(t, date(day))
			msgs := DigestMarkdown("资助中心", a)
			if len(msgs) != 1 {
				t.Fatalf("%d messages", len(msgs))
			}
			if a.Workday {
				checkDigest(t, a, msgs[0], GroupMaxBytes)
			}
			golden(t, "sample-"+day+".md", joinMessages(msgs))
			golden(t, "sample-"+day+".txt", DigestPlain("资助中心", a))
		})
	}
}

// The required outcomes, asserted directly (not only through the golden files).
func TestSampleOutcomes(t *testing.T) {
	a := sampleAgenda(t, date("2026-02-14"))
	if !a.Workday || len(a.DueToday) == 0 || !strings.Contains(a.DueToday[0].Title, "更新维护") ||
		a.DueToday[0].Due != date("2026-02-20") || a.DueToday[0].EffectiveDue != date("2026-02-14") {
		t.Errorf("2026-02-14: %+v", a.DueToday)
	}
	md := Digest("", a, Options{Max: GroupMaxBytes})
	if !strings.Contains(md, "2月20日(提前至2月14日)") {
		t.Errorf("2026-02-14 digest does not show the effective date:\n%s", md)
	}
	if got := DigestMarkdown("", sampleAgenda(t, date("2026-02-16"))); len(got) != 1 || !strings.Contains(got[0], "休息日（春节）") {
		t.Errorf("2026-02-16: %q", got)
	}
}

func item(key, title, due, eff string, line int) bot.AgendaItem {
	return bot.AgendaItem{
		Tracked:      bot.Tracked{Obligation: bot.Obligation{Key: key, Title: title, Due: date(due), Line: line}},
		EffectiveDue: date(eff),
	}
}

// longAgenda has enough long items to need several messages.
func longAgenda() bot.Agenda {
	a := bot.Agenda{Date: date("2026-03-16"), Workday: true}
	title := "审核汇总春季中职及普通高中学校、幼儿园国家助学金、免学费名单及需拨付资金，并报送<市教育局>备案"
	for i := 0; i < 8; i++ {
		it := item(fmt.Sprintf("o%d", i), fmt.Sprintf("%s（逾期%d）", title, i+1), "2026-03-08", "2026-03-06", i+1)
		if i%3 == 0 {
			it.Assignee = "zhangsan"
		}
		a.Overdue = append(a.Overdue, it)
	}
	for i := 0; i < 6; i++ {
		a.DueToday = append(a.DueToday, item(fmt.Sprintf("t%d", i), fmt.Sprintf("%s（今日%d）", title, i+1), "2026-03-16", "2026-03-16", 20+i))
	}
	for i := 0; i < 10; i++ {
		it := item(fmt.Sprintf("u%d", i), fmt.Sprintf("%s（近期%d）", title, i+1), "2026-03-20", "2026-03-20", 30+i)
		it.Assignee = "lisi"
		a.Upcoming = append(a.Upcoming, it)
	}
	for i := 0; i < 12; i++ {
		a.MonthOpen = append(a.MonthOpen, item(fmt.Sprintf("m%d", i), fmt.Sprintf("%s（本月%d）", title, i+1), "2026-03-31", "2026-03-31", 40+i))
	}
	return a
}

// A long agenda is still one message on every channel: the lists shorten, the items due today
// come first, the backlog is counted with how to see it.
func TestLongAgendaIsOneMessage(t *testing.T) {
	a := longAgenda()
	names := map[string]string{"zhangsan": "张三"}
	for _, max := range []int{GroupMaxBytes, AppMaxBytes, 1024} {
		m := Digest("资助中心", a, Options{Max: max, Names: names})
		checkDigest(t, a, m, max)
		if !strings.Contains(m, "发送「逾期」查看") {
			t.Errorf("max %d: the backlog does not say how to see it:\n%s", max, m)
		}
		if strings.Index(m, "今日到期") > strings.Index(m, "逾期（") {
			t.Errorf("max %d: overdue before today", max)
		}
	}
	golden(t, "long.md", joinMessages(DigestMarkdownNames("资助中心", a, names)))
	golden(t, "long-app.md", Digest("资助中心", a, Options{Max: AppMaxBytes, Names: names, Foot: FootChat}))
	golden(t, "long.txt", DigestPlainNames("资助中心", a, names))
}

// Tiny limits still give one valid message, cut only as a last resort.
func TestDigestSmallLimit(t *testing.T) {
	a := longAgenda()
	a.DueToday[2].Title = strings.Repeat("超长事项", 200)
	for _, max := range []int{300, 512, 700, 1024} {
		m := Digest("", a, Options{Max: max})
		if len(m) > max || !utf8.ValidString(m) {
			t.Errorf("max %d: %d bytes, valid %v", max, len(m), utf8.ValidString(m))
		}
	}
}

func TestEmptyDay(t *testing.T) {
	a := bot.Agenda{Date: date("2026-03-02"), Workday: true}
	msgs := DigestMarkdown("", a)
	if len(msgs) != 1 || !strings.Contains(msgs[0], emptyText) {
		t.Errorf("empty day: %q", msgs)
	}
	golden(t, "empty.md", joinMessages(msgs))
	golden(t, "empty.txt", DigestPlain("", a))
}

func TestRestDay(t *testing.T) {
	tests := []struct {
		a    bot.Agenda
		want string
	}{
		{bot.Agenda{Date: date("2026-02-16"), Holiday: "春节"}, "2026年2月16日 星期一 是休息日（春节），不推送工作清单。"},
		{bot.Agenda{Date: date("2026-03-07")}, "2026年3月7日 星期六 是休息日（周末），不推送工作清单。"},
	}
	for _, tt := range tests {
		if got := DigestMarkdown("x", tt.a); len(got) != 1 || got[0] != tt.want {
			t.Errorf("DigestMarkdown = %q, want %q", got, tt.want)
		}
		if got := DigestPlain("x", tt.a); got != tt.want+"\n" {
			t.Errorf("DigestPlain = %q", got)
		}
	}
}

func TestItemLine(t *testing.T) {
	it := item("k", "更新维护  数据；", "2026-02-20", "2026-02-14", 3)
	tests := []struct {
		it    bot.AgendaItem
		names map[string]string
		md    bool
		want  string
	}{
		{it, nil, false, "3. 更新维护 数据； — 截止2月20日(提前至2月14日)"},
		{item("k", "a<b>", "2026-05-29", "2026-05-29", 1), nil, true, "3. a＜b＞ — 截止5月29日"},
		{func() bot.AgendaItem { x := it; x.Assignee = "zs"; return x }(), map[string]string{"zs": "张三"}, false,
			"3. 更新维护 数据； — 截止2月20日(提前至2月14日)，负责人 张三"},
		{func() bot.AgendaItem { x := it; x.Assignee = "zs"; return x }(), nil, false,
			"3. 更新维护 数据； — 截止2月20日(提前至2月14日)，负责人 zs"},
		{item("k", "跨年", "2027-01-01", "2026-12-31", 1), nil, false, "3. 跨年 — 截止2027年1月1日(提前至12月31日)"},
	}
	for _, tt := range tests {
		if got := ItemLine(3, tt.it, tt.names, tt.md); got != tt.want {
			t.Errorf("ItemLine = %q, want %q", got, tt.want)
		}
	}
}

func BenchmarkSampleDigest(b *testing.B) {
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		b.Fatal(err)
	}
	cal := workday.New()
	items := make([]bot.Tracked, 0, len(p.Obligations))
	for _, o := range p.Obligations {
		items = append(items, bot.Tracked{Obligation: o})
	}
	day := date("2026-02-02")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := bot.BuildAgenda(day, items, cal)
		DigestMarkdown("资助中心", a)
	}
}
