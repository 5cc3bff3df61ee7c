package plan

import (
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
)

func TestParseWhen(t *testing.T) {
	// 2026-06-10 is a Wednesday.
	today := bot.Date{Year: 2026, Month: 6, Day: 10}
	for _, tc := range []struct {
		in    string
		today bot.Date
		rule  bot.Rule
		dates string // first dates, space separated
		n     int    // number of dates (0: as many as listed)
	}{
		{"6月15日", today, bot.RuleOnce, "2026-06-15", 0},
		{"六月十五日前", today, bot.RuleOnce, "2026-06-15", 0},
		{"6月15", today, bot.RuleOnce, "2026-06-15", 0},
		{"6.15", today, bot.RuleOnce, "2026-06-15", 0},
		{"6/15", today, bot.RuleOnce, "2026-06-15", 0},
		{"６月１５号", today, bot.RuleOnce, "2026-06-15", 0},
		{"2026-06-15", today, bot.RuleOnce, "2026-06-15", 0},
		{"2027年1月5日", today, bot.RuleOnce, "2027-01-05", 0},
		{"6月1日", today, bot.RuleOnce, "2026-06-01", 0},                                    // explicit, recently past: kept
		{"1月5日", bot.Date{Year: 2026, Month: 12, Day: 20}, bot.RuleOnce, "2027-01-05", 0}, // long past: next year
		{"2月29日", bot.Date{Year: 2026, Month: 12, Day: 1}, bot.RuleOnce, "2027-02-28", 0}, // clamped
		{"15日", today, bot.RuleOnce, "2026-06-15", 0},
		{"5号", today, bot.RuleOnce, "2026-07-05", 0}, // past this month: next month
		{"10号", today, bot.RuleOnce, "2026-06-10", 0},
		{"31号", today, bot.RuleOnce, "2026-06-30", 0},
		{"下月5号", today, bot.RuleOnce, "2026-07-05", 0},
		{"下周五", today, bot.RuleOnce, "2026-06-19", 0},
		{"下周一", today, bot.RuleOnce, "2026-06-15", 0},
		{"下星期日", today, bot.RuleOnce, "2026-06-21", 0},
		{"本周三", today, bot.RuleOnce, "2026-06-10", 0},
		{"这周五", today, bot.RuleOnce, "2026-06-12", 0},
		{"周五", today, bot.RuleOnce, "2026-06-12", 0},
		{"周三", today, bot.RuleOnce, "2026-06-10", 0},
		{"星期二", today, bot.RuleOnce, "2026-06-16", 0},
		{"周日", today, bot.RuleOnce, "2026-06-14", 0},
		{"今天", today, bot.RuleOnce, "2026-06-10", 0},
		{"明天", today, bot.RuleOnce, "2026-06-11", 0},
		{"后天", today, bot.RuleOnce, "2026-06-12", 0},
		{"3天后", today, bot.RuleOnce, "2026-06-13", 0},
		{"三天内", today, bot.RuleOnce, "2026-06-13", 0},
		{"2周后", today, bot.RuleOnce, "2026-06-24", 0},
		{"月底", today, bot.RuleOnce, "2026-06-30", 0},
		{"本月底前", today, bot.RuleOnce, "2026-06-30", 0},
		{"下月底", today, bot.RuleOnce, "2026-07-31", 0},
		{"下个月底", bot.Date{Year: 2026, Month: 1, Day: 31}, bot.RuleOnce, "2026-02-28", 0},
		{"月底", bot.Date{Year: 2026, Month: 12, Day: 31}, bot.RuleOnce, "2026-12-31", 0},
		{"上旬", today, bot.RuleOnce, "2026-06-10", 0},
		{"上旬", bot.Date{Year: 2026, Month: 12, Day: 11}, bot.RuleOnce, "2027-01-10", 0},
		{"中旬", today, bot.RuleOnce, "2026-06-20", 0},
		{"下旬", today, bot.RuleOnce, "2026-06-30", 0},
		{"9月底", today, bot.RuleOnce, "2026-09-30", 0},
		{"年底", today, bot.RuleOnce, "2026-12-31", 0},
		{"每月10日", today, bot.RuleMonthly, "2026-06-10 2026-07-10 2026-08-10", 7},
		{"每月5号", today, bot.RuleMonthly, "2026-07-05 2026-08-05", 6},
		{"每月31日", today, bot.RuleMonthly, "2026-06-30 2026-07-31 2026-08-31 2026-09-30", 7},
		{"每月底", today, bot.RuleMonthly, "2026-06-30 2026-07-31", 7},
		{"每月10日", bot.Date{Year: 2026, Month: 12, Day: 20}, bot.RuleMonthly, "2027-01-10", 12},
		{"每周五", today, bot.RuleWeekly, "2026-06-12 2026-06-19 2026-06-26", 29}, // to Dec 25
		{"每星期三", today, bot.RuleWeekly, "2026-06-10 2026-06-17", 30},
	} {
		w, err := ParseWhen(tc.in, tc.today)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		var got []string
		for _, d := range w.Dates {
			got = append(got, d.String())
		}
		want := strings.Fields(tc.dates)
		n := tc.n
		if n == 0 {
			n = len(want)
		}
		if w.Rule != tc.rule || len(got) != n || strings.Join(got[:min(len(got), len(want))], " ") != tc.dates {
			t.Errorf("%q on %s: %s %v, want %s %s (%d dates)", tc.in, tc.today, w.Rule, got, tc.rule, tc.dates, n)
		}
		if w.Rule == bot.RuleOnce && w.Start != w.Dates[0] || w.Rule != bot.RuleOnce && w.Start != tc.today {
			t.Errorf("%q: start %s", tc.in, w.Start)
		}
	}
}

func TestParseWhenRefuses(t *testing.T) {
	today := bot.Date{Year: 2026, Month: 6, Day: 10}
	for _, in := range []string{
		"", "明年", "下周", "五", "13月1日", "2026-02-30", "0号", "32号", "本周一", "本月5号",
		"随便", "6月", "每月", "每周八", "3个工作日后", "1000天后", strings.Repeat("6月15日", 100),
	} {
		if w, err := ParseWhen(in, today); err == nil {
			t.Errorf("%q accepted: %+v", in, w)
		} else if bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("%q: code %s", in, bot.ErrorCode(err))
		}
	}
}
