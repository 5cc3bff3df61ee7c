package figure

import (
	"fmt"
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
