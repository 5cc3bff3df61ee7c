package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

func parseSample(t *testing.T, year int) bot.Plan {
	t.Helper()
	name, data := Sample()
	pl, err := Parse(name, data, Options{Year: year})
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

func TestSample(t *testing.T) {
	for _, tc := range []struct {
		year    int // Options.Year
		want    int // plan year
		febLast int
	}{
		{0, 2020, 29},
		{2026, 2026, 28},
		{2024, 2024, 29},
	} {
		pl := parseSample(t, tc.year)
		if pl.Year != tc.want || pl.Title != "淮北市2020年度学生资助工作月计划" {
			t.Fatalf("year %d: got Year %d Title %q", tc.year, pl.Year, pl.Title)
		}
		if len(pl.Obligations) != 60 {
			t.Fatalf("year %d: %d obligations, want 60", tc.year, len(pl.Obligations))
		}
		if len(pl.Problems) != 0 {
			t.Errorf("problems: %v", pl.Problems)
		}
		if len(pl.Notes) != 1 || !strings.HasPrefix(pl.Notes[0], "注：一并做好省教育厅") {
			t.Errorf("notes: %q", pl.Notes)
		}
		monthly, other := 0, 0
		perMonth := map[time.Month][]int{}
		for _, o := range pl.Obligations {
			if o.Due.Year != tc.want {
				t.Errorf("%s due %s outside %d", o.Key, o.Due, tc.want)
			}
			if o.Rule == bot.RuleMonthly {
				monthly++
				perMonth[o.Due.Month] = append(perMonth[o.Due.Month], o.Due.Day)
				continue
			}
			other++
			if o.Rule != bot.RuleOnce && o.Rule != bot.RuleOngoing {
				t.Errorf("%s: rule %s", o.Key, o.Rule)
			}
		}
		if monthly != 24 || other != 36 {
			t.Errorf("monthly %d other %d, want 24 and 36", monthly, other)
		}
		for m := time.January; m <= time.December; m++ {
			if d := perMonth[m]; len(d) != 2 || d[0] != 20 || d[1] != 28 {
				t.Errorf("monthly in %s: %v, want [20 28]", m, d)
			}
		}
		find := func(sub string) bot.Obligation {
			t.Helper()
			var found []bot.Obligation
			for _, o := range pl.Obligations {
				if strings.Contains(o.Title, sub) {
					found = append(found, o)
				}
			}
			if len(found) != 1 {
				t.Fatalf("%q: %d obligations", sub, len(found))
			}
			return found[0]
		}
		for _, c := range []struct {
			sub  string
			due  bot.Date
			rule bot.Rule
		}{
			{"确保5月25日前完成资金发放", bot.Date{Year: tc.want, Month: 5, Day: 25}, bot.RuleOnce},
			{"秋季建档立卡贫困家庭学生发放工作9月24日前完成", bot.Date{Year: tc.want, Month: 9, Day: 24}, bot.RuleOnce},
			{"撰写上年度资助工作总结", bot.Date{Year: tc.want, Month: 2, Day: tc.febLast}, bot.RuleOngoing},
			{"谋划本年度工作", bot.Date{Year: tc.want, Month: 2, Day: tc.febLast}, bot.RuleOngoing},
			{"完成高三生源地贷款预申请统计工作", bot.Date{Year: tc.want, Month: 5, Day: 31}, bot.RuleOngoing},
			{"做好教育扶贫、教育民生各项迎检工作", bot.Date{Year: tc.want, Month: 12, Day: 31}, bot.RuleOngoing},
		} {
			if o := find(c.sub); o.Due != c.due || o.Rule != c.rule {
				t.Errorf("%q: due %s %s, want %s %s", c.sub, o.Due, o.Rule, c.due, c.rule)
			}
		}
		// The Jan–Feb period: monthly obligations in both months, one period string.
		var janFeb []string
		for _, o := range pl.Obligations {
			if o.Period == "" || !strings.HasPrefix(o.Key, o.Period+".") {
				t.Errorf("key %q does not start with period %q", o.Key, o.Period)
			}
			if o.Rule == bot.RuleMonthly && o.Due.Month <= 2 {
				janFeb = append(janFeb, o.Due.String()+" "+o.Title)
				if want := pl.Obligations[0].Period; o.Period != want {
					t.Errorf("period %q, want %q", o.Period, want)
				}
			}
		}
		y := func(s string) string { return strings.ReplaceAll(s, "Y", strconv.Itoa(tc.want)) }
		want := []string{
			y("Y-01-20 更新维护学生资助管理及建档立卡信息系统数据"), y("Y-01-28 上报当月月点评季通报表及相关报表"),
			y("Y-02-20 更新维护学生资助管理及建档立卡信息系统数据"), y("Y-02-28 上报当月月点评季通报表及相关报表"),
		}
		if strings.Join(janFeb, "\n") != strings.Join(want, "\n") {
			t.Errorf("Jan–Feb monthly:\n%s\nwant\n%s", strings.Join(janFeb, "\n"), strings.Join(want, "\n"))
		}
		if p := pl.Obligations[0].Period; p != y("Y-01~Y-02") {
			t.Errorf("first period %q", p)
		}
		checkPlan(t, pl)
	}
}

// TestSampleNoLineLost checks every numbered item of the sample against the obligations: each
// item line is used, no obligation comes from elsewhere, and the 47 items give 47 distinct items.
func TestSampleNoLineLost(t *testing.T) {
	_, data := Sample()
	pl := parseSample(t, 0)
	itemRE := regexp.MustCompile(`(?:^|\s{2,}|\t)(\d{1,2})\.`)
	itemLines := map[int]int{} // line → items written on it
	total := 0
	for i, l := range strings.Split(string(data), "\n") {
		if n := len(itemRE.FindAllString(l, -1)); n > 0 {
			itemLines[i+1] = n
			total += n
		}
	}
	if total != 47 {
		t.Fatalf("the sample has %d items by a plain count, want 47", total)
	}
	items := map[string]int{} // one entry per item → line
	for _, o := range pl.Obligations {
		// An item is its period, line and wording; the two dated clauses of the sample's
		// monthly item ("每月20日前…，28日前…") are one item.
		k := o.Period + "|" + fmt.Sprint(o.Line) + "|" + o.Title
		if o.Rule == bot.RuleMonthly {
			k = o.Period + "|" + fmt.Sprint(o.Line) + "|monthly"
		}
		items[k] = o.Line
		if itemLines[o.Line] == 0 {
			t.Errorf("%s from line %d, which has no item", o.Key, o.Line)
		}
	}
	if len(items) != total {
		t.Errorf("%d items produced obligations, want %d", len(items), total)
	}
	perLine := map[int]int{}
	for _, l := range items {
		perLine[l]++
	}
	for l, n := range itemLines {
		if perLine[l] != n {
			t.Errorf("line %d: %d items read, %d written", l, perLine[l], n)
		}
	}
}

// checkPlan asserts the invariants of every parsed plan: sorted, unique keys, clean titles.
func checkPlan(t *testing.T, pl bot.Plan) {
	t.Helper()
	seen := map[string]bool{}
	for i, o := range pl.Obligations {
		if seen[o.Key] {
			t.Errorf("duplicate key %s", o.Key)
		}
		seen[o.Key] = true
		if o.Due.IsZero() || o.Title == "" || o.Line <= 0 || o.Period == "" || o.Rule == "" {
			t.Errorf("incomplete obligation %+v", o)
		}
		if strings.ContainsAny(o.Key, " \t\n") {
			t.Errorf("key with space %q", o.Key)
		}
		if strings.HasSuffix(o.Title, "；") || strings.HasSuffix(o.Title, "。") || strings.HasSuffix(o.Title, ";") {
			t.Errorf("title with trailing punctuation %q", o.Title)
		}
		if markerRE.MatchString(o.Title) && !strings.HasPrefix(o.Title, "一") {
			t.Errorf("title with numbering %q", o.Title)
		}
		if !o.Start.IsZero() && o.Start.After(o.Due) {
			t.Errorf("%s starts after its due date", o.Key)
		}
		if i > 0 {
			p := pl.Obligations[i-1]
			if c := p.Due.Compare(o.Due); c > 0 || c == 0 && (p.Line > o.Line || p.Line == o.Line && p.Key > o.Key) {
				t.Errorf("not sorted at %d: %s %s", i, p.Key, o.Key)
			}
		}
	}
}

func BenchmarkParseSample(b *testing.B) {
	name, data := Sample()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(name, data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
