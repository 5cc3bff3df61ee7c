package bot

import (
	"testing"
	"time"
)

// fakeCalendar: weekends off, plus explicit days off (with names) and make-up workdays.
type fakeCalendar struct {
	off  map[Date]string
	work map[Date]bool
}

func (c fakeCalendar) IsWorkday(d Date) bool {
	if c.work[d] {
		return true
	}
	if _, ok := c.off[d]; ok {
		return false
	}
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

func (c fakeCalendar) Holiday(d Date) string { return c.off[d] }

func (c fakeCalendar) EffectiveDue(d Date) Date {
	for !c.IsWorkday(d) {
		d = d.AddDays(-1)
	}
	return d
}

func (c fakeCalendar) AddWorkdays(d Date, n int) Date {
	for ; n > 0; n-- {
		d = d.AddDays(1)
		for !c.IsWorkday(d) {
			d = d.AddDays(1)
		}
	}
	return d
}

func mustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// spring2026 mirrors the official 2026 Spring Festival: 02-15..23 off, 02-14 and 02-28 worked.
func spring2026() fakeCalendar {
	c := fakeCalendar{off: map[Date]string{}, work: map[Date]bool{
		mustDate("2026-02-14"): true, mustDate("2026-02-28"): true,
	}}
	for d := mustDate("2026-02-15"); !d.After(mustDate("2026-02-23")); d = d.AddDays(1) {
		c.off[d] = "春节"
	}
	return c
}

func tracked(key, due string, line int) Tracked {
	return Tracked{Obligation: Obligation{Key: key, Title: key, Due: mustDate(due), Line: line, Rule: RuleOnce}}
}

func keys(items []AgendaItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Key)
	}
	return out
}

func sameKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBuildAgenda(t *testing.T) {
	cal := spring2026()
	done := tracked("done", "2026-02-20", 1)
	done.DoneBy = "zhang"
	retired := tracked("retired", "2026-02-20", 2)
	retired.Retired = true
	before := tracked("before", "2026-02-05", 3)
	before.BeforeTracking = true
	noDue := Tracked{Obligation: Obligation{Key: "nodue", Title: "nodue"}}
	items := []Tracked{
		tracked("feb28", "2026-02-28", 10),  // make-up Saturday: stays on 02-28
		tracked("feb20", "2026-02-20", 5),   // inside the holiday: effective 02-14
		tracked("feb10", "2026-02-10", 4),   // overdue
		tracked("feb13", "2026-02-13", 4),   // overdue
		tracked("feb22", "2026-02-22", 1),   // Sunday in the holiday: effective 02-14, due later than feb20
		tracked("feb25", "2026-02-25", 7),   // upcoming
		tracked("mar01", "2026-03-01", 8),   // Sunday: effective 02-28, upcoming although due in March
		tracked("mar02", "2026-03-02", 9),   // beyond 5 workdays and in March: not listed
		tracked("jan31", "2026-01-31", 0),   // overdue (Saturday: effective 01-30)
		tracked("feb14b", "2026-02-14", 12), // due today by its written date
		tracked("feb14a", "2026-02-14", 12), // same line: key order
		done, retired, before, noDue,
	}
	tests := []struct {
		day                                 string
		workday                             bool
		holiday                             string
		overdue, today, upcoming, monthOpen []string
	}{
		{
			day: "2026-02-14", workday: true,
			overdue:  []string{"feb13", "feb10", "jan31"}, // the most recent first
			today:    []string{"feb14a", "feb14b", "feb20", "feb22"},
			upcoming: []string{"feb25", "feb28", "mar01"},
		},
		{
			day: "2026-02-16", workday: false, holiday: "春节",
			overdue:  []string{"feb22", "feb20", "feb14b", "feb14a", "feb13", "feb10", "jan31"},
			upcoming: []string{"feb25", "feb28", "mar01"},
		},
		{
			day: "2026-02-28", workday: true,
			overdue:  []string{"feb25", "feb22", "feb20", "feb14b", "feb14a", "feb13", "feb10", "jan31"},
			today:    []string{"feb28", "mar01"},
			upcoming: []string{"mar02"},
		},
		{
			day: "2026-02-02", workday: true,
			overdue:   []string{"jan31"},
			monthOpen: []string{"feb10", "feb13", "feb14a", "feb14b", "feb20", "feb22", "feb25", "feb28", "mar01"},
		},
	}
	for _, tt := range tests {
		a := BuildAgenda(mustDate(tt.day), items, cal)
		if a.Date != mustDate(tt.day) || a.Workday != tt.workday || a.Holiday != tt.holiday {
			t.Errorf("%s: date/workday/holiday = %s/%v/%q", tt.day, a.Date, a.Workday, a.Holiday)
		}
		for _, s := range []struct {
			name      string
			got, want []string
		}{
			{"overdue", keys(a.Overdue), tt.overdue},
			{"due today", keys(a.DueToday), tt.today},
			{"upcoming", keys(a.Upcoming), tt.upcoming},
			{"month open", keys(a.MonthOpen), tt.monthOpen},
		} {
			if !sameKeys(s.got, s.want) {
				t.Errorf("%s %s = %v, want %v", tt.day, s.name, s.got, s.want)
			}
		}
		num := keys(a.Numbered())
		// what the team must do first: today, the next workdays, then the backlog
		want := append(append(append(append([]string{}, tt.today...), tt.upcoming...), tt.overdue...), tt.monthOpen...)
		if !sameKeys(num, want) || a.Len() != len(want) {
			t.Errorf("%s Numbered = %v, want %v", tt.day, num, want)
		}
	}
}

func TestBuildAgendaEffectiveDue(t *testing.T) {
	a := BuildAgenda(mustDate("2026-02-14"), []Tracked{tracked("x", "2026-02-20", 1)}, spring2026())
	if len(a.DueToday) != 1 {
		t.Fatalf("due today = %v", keys(a.DueToday))
	}
	it := a.DueToday[0]
	if it.EffectiveDue != mustDate("2026-02-14") || it.Due != mustDate("2026-02-20") {
		t.Errorf("effective/written = %s/%s", it.EffectiveDue, it.Due)
	}
}

// The upcoming window ends on the 5th workday after the day, inclusive.
func TestBuildAgendaUpcomingBoundary(t *testing.T) {
	items := []Tracked{tracked("in", "2026-02-09", 1), tracked("out", "2026-02-10", 2)}
	a := BuildAgenda(mustDate("2026-02-02"), items, spring2026())
	if !sameKeys(keys(a.Upcoming), []string{"in"}) || !sameKeys(keys(a.MonthOpen), []string{"out"}) {
		t.Errorf("upcoming %v month open %v", keys(a.Upcoming), keys(a.MonthOpen))
	}
}

func TestBuildAgendaEmpty(t *testing.T) {
	a := BuildAgenda(mustDate("2026-03-02"), nil, spring2026())
	if !a.Workday || a.Len() != 0 || len(a.Numbered()) != 0 {
		t.Errorf("empty agenda = %+v", a)
	}
}

// DayAgenda keeps an item completed during the day in its morning place (and number), marked
// done; one completed before the day is gone.
func TestDayAgendaKeepsTheMorningNumbering(t *testing.T) {
	cal := spring2026()
	day := mustDate("2026-02-13")
	items := []Tracked{tracked("a", "2026-02-13", 1), tracked("b", "2026-02-13", 2), tracked("c", "2026-02-12", 3), tracked("old", "2026-02-11", 4)}
	before := BuildAgenda(day, items, cal).Numbered()
	items[0].DoneBy, items[0].DoneAt = "li", day.Time(Shanghai).Add(10*time.Hour)
	items[3].DoneBy, items[3].DoneAt = "li", day.Time(Shanghai).Add(-time.Hour)
	a := DayAgenda(day, items, cal, Shanghai)
	got := a.Numbered()
	if len(got) != len(before)-1 {
		t.Fatalf("numbered %v, want the morning's %v without old", keys(got), keys(before))
	}
	for i, it := range got {
		if it.Key != before[i].Key {
			t.Errorf("number %d = %s, was %s in the morning", i+1, it.Key, before[i].Key)
		}
	}
	if got[0].DoneBy != "li" || a.Numbers()["b"] != 2 {
		t.Errorf("a done by %q, b number %d", got[0].DoneBy, a.Numbers()["b"])
	}
	if BuildAgenda(day, items, cal).Numbers()["b"] != 1 {
		t.Errorf("BuildAgenda (open items only) should have moved b up")
	}
}
