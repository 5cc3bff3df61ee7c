package figure

import (
	"testing"

	"github.com/planbot/planbot/bot"
)

func TestDefaultTerm(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		today      bot.Date
		term       string
		year       int
		autumnYear int // year of 秋季 typed without a year
		decYear    int // year of 12月 typed without a year
	}{
		{bot.NewDate(2026, 1, 10), Autumn, 2025, 2025, 2025},
		{bot.NewDate(2026, 2, 28), Autumn, 2025, 2025, 2025},
		{bot.NewDate(2026, 3, 1), Spring, 2026, 2026, 2025},
		{bot.NewDate(2026, 8, 31), Spring, 2026, 2026, 2025},
		{bot.NewDate(2026, 9, 1), Autumn, 2026, 2026, 2025},
		{bot.NewDate(2026, 11, 5), Autumn, 2026, 2026, 2026},
		{bot.NewDate(2026, 12, 31), Autumn, 2026, 2026, 2026},
	} {
		d, err := c.Parse("中职国家助学金 1人 1元", tc.today)
		if err != nil || d.Term != tc.term || d.Year != tc.year || d.Month != 0 {
			t.Errorf("%s: default %s %d (%v), want %s %d", tc.today, d.Term, d.Year, err, tc.term, tc.year)
		}
		d, _ = c.Parse("中职国家助学金 秋季 1人 1元", tc.today)
		if d.Year != tc.autumnYear {
			t.Errorf("%s: 秋季 is %d, want %d", tc.today, d.Year, tc.autumnYear)
		}
		d, _ = c.Parse("中职国家助学金 12月 1人 1元", tc.today)
		if d.Year != tc.decYear || d.Month != 12 || d.Term != "" {
			t.Errorf("%s: 12月 is %d-%d %q, want %d-12", tc.today, d.Year, d.Month, d.Term, tc.decYear)
		}
	}
}

func TestTermMonths(t *testing.T) {
	for _, c := range []struct {
		term            string
		ty, year, month int
		want            bool
	}{
		{Spring, 2026, 2026, 3, true}, {Spring, 2026, 2026, 8, true}, {Spring, 2026, 2026, 9, false},
		{Spring, 2026, 2026, 2, false}, {Autumn, 2026, 2026, 9, true}, {Autumn, 2026, 2027, 1, true},
		{Autumn, 2026, 2027, 2, true}, {Autumn, 2026, 2027, 3, false}, {Autumn, 2026, 2026, 2, false},
	} {
		if got := TermMonths(c.term, c.ty, c.year, c.month); got != c.want {
			t.Errorf("TermMonths(%s %d, %d-%d) = %v", c.term, c.ty, c.year, c.month, got)
		}
	}
}
