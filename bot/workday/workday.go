// Package workday knows China's official holidays and make-up workdays (调休): the data of
// github.com/6tail/lunar-go HolidayUtil, plus an optional override file for years it lacks.
package workday

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"github.com/planbot/planbot/bot"
)

// Kind says what an entry of the calendar makes of a day.
type Kind string

// The kinds of day an entry can set.
const (
	Holiday Kind = "holiday" // an official day off (放假), even on a weekday
	Workday Kind = "workday" // a make-up workday (调休上班), even on a weekend
	Normal  Kind = "normal"  // an override that removes an entry: the day follows the weekday rule
)

// Day is one entry of the calendar: a date with its holiday name and kind.
type Day struct {
	Date bot.Date `json:"date"`
	Name string   `json:"name"` // 春节; for a make-up workday the holiday it makes up for
	Kind Kind     `json:"kind"`
}

// searchLimit bounds every walk over the calendar, so a file that marks every day a holiday
// cannot make a lookup loop forever.
const searchLimit = 3660

// Calendar answers workday questions. The zero value is not usable; call New or LoadFile.
// A Calendar is safe for concurrent use. It implements bot.Calendar.
type Calendar struct {
	// Log receives the warning for a year without data (slog.Default when nil).
	Log *slog.Logger

	mu        sync.Mutex
	loaded    map[int]bool     // years whose lunar-go data is in days
	lunarYear map[int]bool     // years lunar-go has data for
	fileYear  map[int]bool     // years the override file has entries for
	warned    map[int]bool     // years already warned about
	days      map[bot.Date]Day // lunar-go entries, then overrides on top
	overrides map[int][]Day    // by year, in the order given
}

var _ bot.Calendar = (*Calendar)(nil)

// New returns a calendar on lunar-go's data alone.
func New() *Calendar {
	return &Calendar{
		loaded:    map[int]bool{},
		lunarYear: map[int]bool{},
		fileYear:  map[int]bool{},
		warned:    map[int]bool{},
		days:      map[bot.Date]Day{},
		overrides: map[int][]Day{},
	}
}

// Override adds entries on top of lunar-go's data; a later entry for the same date wins.
// A Normal entry removes the day's entry, so the weekday rule applies.
func (c *Calendar) Override(days ...Day) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range days {
		c.overrides[d.Date.Year] = append(c.overrides[d.Date.Year], d)
		c.fileYear[d.Date.Year] = true
		if c.loaded[d.Date.Year] {
			c.apply(d)
		}
	}
}

func (c *Calendar) apply(d Day) {
	if d.Kind == Normal {
		delete(c.days, d.Date)
		return
	}
	c.days[d.Date] = d
}

// load reads lunar-go's entries for year y once; c.mu must be held.
func (c *Calendar) load(y int) {
	if c.loaded[y] {
		return
	}
	c.loaded[y] = true
	if y >= 1000 && y <= 9999 { // lunar-go keys are four-digit years
		for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
			h, ok := e.Value.(*HolidayUtil.Holiday)
			if !ok {
				continue
			}
			t, err := time.Parse("2006-01-02", h.GetDay())
			if err != nil || t.Year() != y {
				continue
			}
			d := Day{Date: bot.DateOf(t), Name: h.GetName(), Kind: Holiday}
			if h.IsWork() {
				d.Kind = Workday
			}
			c.days[d.Date] = d
			c.lunarYear[y] = true
		}
	}
	for _, d := range c.overrides[y] {
		c.apply(d)
	}
	if !c.lunarYear[y] && !c.fileYear[y] && !c.warned[y] {
		c.warned[y] = true
		c.logger().Warn("no official holiday data for this year: only weekends count as days off; add the year to a holidays file",
			"year", y)
	}
}

func (c *Calendar) logger() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.Default()
}

// HasData reports whether lunar-go or the override file has entries for year y.
func (c *Calendar) HasData(y int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fileYear[y] {
		return true
	}
	if !c.loaded[y] {
		// Ask without loading, so HasData itself never warns.
		return y >= 1000 && y <= 9999 && HolidayUtil.GetHolidaysByYear(y).Len() > 0
	}
	return c.lunarYear[y]
}

// Entry returns the calendar entry for d (lunar-go data with overrides applied), if any.
func (c *Calendar) Entry(d bot.Date) (Day, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load(d.Year)
	e, ok := c.days[d]
	return e, ok
}

// IsWorkday reports whether d is a workday: a weekday that is not an official holiday, or a
// make-up workday (调休).
func (c *Calendar) IsWorkday(d bot.Date) bool {
	if e, ok := c.Entry(d); ok {
		return e.Kind == Workday
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Holiday returns the name of the official holiday on d ("春节"), or "" when d is not one
// (a make-up workday is not a holiday).
func (c *Calendar) Holiday(d bot.Date) string {
	if e, ok := c.Entry(d); ok && e.Kind == Holiday {
		if e.Name == "" {
			return "节假日"
		}
		return e.Name
	}
	return ""
}

// EffectiveDue returns the last workday on or before due: a deadline on a Sunday or inside the
// Spring Festival holiday moves back. The zero Date stays zero.
func (c *Calendar) EffectiveDue(due bot.Date) bot.Date { return EffectiveDue(c.IsWorkday, due) }

// AddWorkdays returns the n-th workday after d (n > 0) or before it (n < 0); d itself for n == 0.
func (c *Calendar) AddWorkdays(d bot.Date, n int) bot.Date { return AddWorkdays(c.IsWorkday, d, n) }

// EffectiveDue is the last day on or before due for which isWorkday holds (due itself when
// it is zero or no workday is found within ten years). Every calendar shares this walk.
func EffectiveDue(isWorkday func(bot.Date) bool, due bot.Date) bot.Date {
	if due.IsZero() {
		return due
	}
	d := due
	for i := 0; i < searchLimit; i++ {
		if isWorkday(d) {
			return d
		}
		d = d.AddDays(-1)
	}
	return due
}

// AddWorkdays returns the n-th day after d (n > 0) or before it (n < 0) for which isWorkday
// holds; d itself for n == 0.
func AddWorkdays(isWorkday func(bot.Date) bool, d bot.Date, n int) bot.Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	cur := d
	for i := 0; n > 0 && i < searchLimit; i++ {
		cur = cur.AddDays(step)
		if isWorkday(cur) {
			n--
		}
	}
	return cur
}

// Weekdays is a calendar of Monday to Friday with no holidays: the default where no holiday
// data is configured (and a simple calendar for tests).
type Weekdays struct{}

// IsWorkday reports whether d is Monday to Friday.
func (Weekdays) IsWorkday(d bot.Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Holiday is always "".
func (Weekdays) Holiday(bot.Date) string { return "" }

// EffectiveDue is the last weekday on or before due.
func (w Weekdays) EffectiveDue(due bot.Date) bot.Date { return EffectiveDue(w.IsWorkday, due) }

// AddWorkdays returns the n-th weekday after (or before) d.
func (w Weekdays) AddWorkdays(d bot.Date, n int) bot.Date { return AddWorkdays(w.IsWorkday, d, n) }

// String describes an entry: "2026-02-14 春节 workday".
func (d Day) String() string {
	return strings.Join(strings.Fields(fmt.Sprintf("%s %s %s", d.Date, d.Name, d.Kind)), " ")
}
