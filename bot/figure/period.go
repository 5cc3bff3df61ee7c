package figure

import (
	"fmt"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

// Terms.
const (
	Spring = "春季" // spring term: March to August of its year
	Autumn = "秋季" // autumn term: September of its year to February of the next
)

// TermOf returns the term a date falls in, with the term's year: March–August is the spring
// term of that year, September–December the autumn term of that year, and January–February
// still the autumn term of the previous year (the term runs to the Spring Festival).
func TermOf(d bot.Date) (term string, year int) {
	switch {
	case d.Month >= time.March && d.Month <= time.August:
		return Spring, d.Year
	case d.Month >= time.September:
		return Autumn, d.Year
	}
	return Autumn, d.Year - 1
}

// termYear is the year of a term named without a year, as seen on today: the spring term of
// this year, the autumn term of this year, except in January and February, when 秋季 is the
// autumn term still running (last year's).
func termYear(term string, today bot.Date) int {
	if term == Autumn && today.Month <= time.February {
		return today.Year - 1
	}
	return today.Year
}

// monthYear is the year of a month named without a year: the latest such month that is at
// most one month ahead of today, so 12月 typed in January is last December and 6月 typed in
// May is this June.
func monthYear(month int, today bot.Date) int {
	if month > int(today.Month)+1 {
		return today.Year - 1
	}
	return today.Year
}

// TermMonths reports whether a month (of a calendar year) belongs to term of termYear.
func TermMonths(term string, termYear, year, month int) bool {
	switch term {
	case Spring:
		return year == termYear && month >= 3 && month <= 8
	case Autumn:
		return year == termYear && month >= 9 || year == termYear+1 && month <= 2
	}
	return false
}

// PeriodLabel renders a figure's period: 2026年春季, 2026年5月 or 2026年.
func PeriodLabel(f bot.Figure) string {
	switch {
	case f.Month > 0:
		return fmt.Sprintf("%d年%d月", f.Year, f.Month)
	case f.Term != "":
		return fmt.Sprintf("%d年%s", f.Year, f.Term)
	}
	return fmt.Sprintf("%d年", f.Year)
}

// relativePeriods rewrites words relative to today as explicit periods: 今年 → 2026年, 去年 →
// 2025年, 本学期/这学期 → the current term, 上学期 → the one before, 本月/这个月 → 2026年6月,
// 上月/上个月 → the month before.
func relativePeriods(s string, today bot.Date) string {
	term, ty := TermOf(today)
	prevTerm, prevYear := Spring, ty
	if term == Spring {
		prevTerm, prevYear = Autumn, ty-1
	}
	last := bot.NewDate(today.Year, today.Month-1, 1)
	r := strings.NewReplacer(
		"本学期", fmt.Sprintf(" %d年%s ", ty, term), "这学期", fmt.Sprintf(" %d年%s ", ty, term),
		"当前学期", fmt.Sprintf(" %d年%s ", ty, term), "上学期", fmt.Sprintf(" %d年%s ", prevYear, prevTerm),
		"上个学期", fmt.Sprintf(" %d年%s ", prevYear, prevTerm),
		"本月", fmt.Sprintf(" %d年%d月 ", today.Year, int(today.Month)), "这个月", fmt.Sprintf(" %d年%d月 ", today.Year, int(today.Month)),
		"上个月", fmt.Sprintf(" %d年%d月 ", last.Year, int(last.Month)), "上月", fmt.Sprintf(" %d年%d月 ", last.Year, int(last.Month)),
		"今年", fmt.Sprintf(" %d年", today.Year), "本年度", fmt.Sprintf(" %d年", today.Year), "本年", fmt.Sprintf(" %d年", today.Year),
		"去年", fmt.Sprintf(" %d年", today.Year-1), "上年度", fmt.Sprintf(" %d年", today.Year-1),
	)
	return r.Replace(s)
}
