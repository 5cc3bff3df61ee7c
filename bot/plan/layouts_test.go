package plan

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// dump renders a plan one obligation per line, for golden files.
func dump(pl bot.Plan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title %s\nyear %d\n", pl.Title, pl.Year)
	for _, o := range pl.Obligations {
		fmt.Fprintf(&b, "%s %-10s %-7s L%-3d %s %s\n", o.Due, o.Start.String(), o.Rule, o.Line, o.Key, o.Title)
	}
	for _, n := range pl.Notes {
		fmt.Fprintf(&b, "note %s\n", n)
	}
	for _, p := range pl.Problems {
		fmt.Fprintf(&b, "problem L%d %s | %s\n", p.Line, p.Text, p.Reason)
	}
	return b.String()
}

// TestLayouts reads every plan in testdata/ and compares it with its golden file
// (regenerate with go test -run TestLayouts -update, then read the diff).
func TestLayouts(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) < 6 {
		t.Fatalf("only %d plans in testdata", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			pl, err := Parse(f, data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, pl)
			got := dump(pl)
			golden := strings.TrimSuffix(f, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s:\n%s", f, golden, got)
			}
		})
	}
}

// TestStyles states, for each style a plan may be written in, what must come out of it.
func TestStyles(t *testing.T) {
	type want struct {
		title string // substring of the title
		due   string
		start string
		rule  bot.Rule
	}
	d := func(s string) bot.Date {
		v, err := bot.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		file     string
		n        int
		problems int
		wants    []want
	}{
		{"headings-2021.txt", 14, 1, []want{
			{"1月16日前完成上年度资助资金决算", "2021-01-16", "", bot.RuleOnce}, // 1、1月16日前: item 1, January 16
			{"每周五前报送周工作动态", "2021-01-29", "", bot.RuleWeekly},
			{"中旬召开全县资助工作会议", "2021-01-20", "", bot.RuleOnce},
			{"2月30日前上报寒假慰问名单", "2021-02-28", "", bot.RuleOnce}, // clamped
			{"确保2月26日前印发宣传材料", "2021-02-26", "", bot.RuleOnce},
			{"下旬开展资金发放自查", "2021-02-28", "", bot.RuleOnce},
			{"开展春季学期家庭经济困难学生认定", "2021-03-15", "2021-03-01", bot.RuleOnce},
			{"上旬布置资助档案整理工作", "2021-03-10", "", bot.RuleOnce},
			{"月底前完成档案检查", "2021-03-31", "", bot.RuleOnce},
			{"做好资助系统维护工作", "2021-03-31", "", bot.RuleOngoing},
		}},
		{"arabic-2022.txt", 11, 0, []want{
			{"报送资助数据月报", "2022-05-10", "", bot.RuleMonthly},
			{"完成资金对账", "2022-05-25", "", bot.RuleMonthly}, // 25日前 inherits 每月
			{"开展“资助育人”主题征文活动", "2022-05-31", "", bot.RuleOngoing},
			{"做好生源地贷款预申请工作", "2022-05-31", "", bot.RuleOngoing},
			{"5月20日前完成中职国家助学金发放", "2022-05-20", "", bot.RuleOnce},
			{"组织高考学生资助政策宣传", "2022-06-30", "", bot.RuleOngoing},
			{"6月底前完成上半年工作总结", "2022-06-30", "", bot.RuleOnce},
			{"受理工作，确保8月25日前全部录入系统", "2022-08-25", "", bot.RuleOnce}, // a wrapped line joins its item
			{"开展暑期大走访活动", "2022-08-31", "", bot.RuleOngoing},
		}},
		{"ranges-2020.txt", 13 + 13, 0, []want{
			{"做好资助政策咨询解答工作", "2020-12-31", "", bot.RuleOngoing}, // 全年 after 十二月: still 2020
			{"每月底前报送资助数据", "2020-02-29", "", bot.RuleMonthly},
			{"完成寒假走访", "2020-02-29", "", bot.RuleOngoing}, // 2月底 column
			{"做好秋季学期准备工作", "2020-08-31", "", bot.RuleOngoing},
			{"开展年终考核", "2020-12-31", "2020-12-20", bot.RuleOnce},
			{"年底前完成全年资金决算", "2020-12-31", "", bot.RuleOnce},
		}},
		{"academic-2020.txt", 6, 0, []want{
			{"1月10日前完成寒假留校学生慰问", "2021-01-10", "", bot.RuleOnce},
			{"2月29日前完成春季学期返校学生资助对接", "2021-02-28", "", bot.RuleOnce},
		}},
		{"variants-2023.txt", 11, 0, []want{
			{"每月5号前报送上月资助数据", "2023-01-05", "", bot.RuleMonthly}, // 1) numbering, 号, 二〇二三 year
			{"1月20日前完成寒假慰问", "2023-01-20", "", bot.RuleOnce},
			{"做好春季学期资助申请受理", "2023-03-31", "", bot.RuleOngoing}, // unnumbered items; 3.31 column
			{"组织资助政策宣传月活动", "2023-03-31", "", bot.RuleOngoing},
			{"3月20日前完成家庭经济困难学生认定", "2023-03-20", "", bot.RuleOnce},
			{"开展资助工作专项检查", "2023-04-30", "", bot.RuleOngoing}, // 一、 numbering under a heading with a colon
			{"集中发放助学金", "2023-04-20", "2023-04-10", bot.RuleOnce},
			{"每周一前报送发放进度", "2023-04-24", "", bot.RuleWeekly},
		}},
		{"rows-2021.txt", 8, 0, []want{ // one table row per item, the month cell merged, the row's own deadline
			{"开展春季学期资助对象认定", "2021-03-20", "", bot.RuleOnce},
			{"发放春季学期国家助学金", "2021-03-31", "", bot.RuleOnce},
			{"每周五前报送资金发放进度", "2021-04-30", "", bot.RuleWeekly},
			{"完成资助资金审计", "2021-04-25", "", bot.RuleOnce},
		}},
		{"prevdec-2021.txt", 3, 0, []want{ // a plan starting in the December before its year; page numbers skipped
			{"做好准备工作", "2020-12-31", "", bot.RuleOngoing},
			{"1月10日前完成寒假慰问", "2021-01-10", "", bot.RuleOnce},
			{"做好统计", "2021-01-31", "", bot.RuleOngoing},
		}},
		{"problems-2020.txt", 3, 5, []want{
			{"做好宣传工作", "2020-03-31", "", bot.RuleOngoing},
			{"完成统计", "2020-04-30", "", bot.RuleOngoing},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			pl, err := Parse(tc.file, data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(pl.Obligations) != tc.n || len(pl.Problems) != tc.problems {
				t.Errorf("%d obligations and %d problems, want %d and %d\n%s", len(pl.Obligations), len(pl.Problems), tc.n, tc.problems, dump(pl))
			}
			for _, w := range tc.wants {
				ok := false
				for _, o := range pl.Obligations {
					if strings.Contains(o.Title, w.title) && o.Due == d(w.due) && o.Rule == w.rule &&
						(w.start == "" && o.Start.IsZero() || w.start != "" && o.Start == d(w.start)) {
						ok = true
					}
				}
				if !ok {
					t.Errorf("no obligation %+v in\n%s", w, dump(pl))
				}
			}
		})
	}
}

func TestStylesCounts(t *testing.T) {
	count := func(file string, rule bot.Rule, month int) int {
		data, _ := os.ReadFile("testdata/" + file)
		pl, err := Parse(file, data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, o := range pl.Obligations {
			if o.Rule == rule && (month == 0 || int(o.Due.Month) == month) {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		file  string
		rule  bot.Rule
		month int
		want  int
	}{
		{"headings-2021.txt", bot.RuleWeekly, 1, 5},     // the Fridays of January 2021
		{"ranges-2020.txt", bot.RuleMonthly, 0, 8 + 12}, // 20th+28th in Jan and Feb; 上旬+下旬 in Jul and Aug; 全年 month ends
		{"arabic-2022.txt", bot.RuleMonthly, 0, 4},      // 10th+25th in May; month end in Jul and Aug
		{"academic-2020.txt", bot.RuleMonthly, 0, 2},
	} {
		if got := count(c.file, c.rule, c.month); got != c.want {
			t.Errorf("%s: %d %s obligations (month %d), want %d", c.file, got, c.rule, c.month, c.want)
		}
	}
}
