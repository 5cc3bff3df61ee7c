package bot

import (
	"slices"
	"sort"
	"time"
)

// UpcomingWorkdays is how far ahead the agenda's "upcoming" section looks, in workdays.
const UpcomingWorkdays = 5

// BuildAgenda computes a team's agenda for day from its tracked obligations. Only open items are
// listed (done, retired and before-tracking items never are):
//   - DueToday: effective due == day;
//   - Overdue: effective due before day (the most recent first);
//   - Upcoming: effective due after day, up to the UpcomingWorkdays-th workday after it;
//   - MonthOpen: the rest of the items due (written or effective) in day's month.
//
// Items without a due date are not listed. Each section is ordered by effective due, then due,
// line and key (Overdue the other way round). On a non-workday Workday is false and Holiday names the holiday; the sections
// are still computed (the renderer says there is no digest).
func BuildAgenda(day Date, items []Tracked, cal Calendar) Agenda {
	a := Agenda{Date: day, Workday: cal.IsWorkday(day), Holiday: cal.Holiday(day)}
	horizon := cal.AddWorkdays(day, UpcomingWorkdays)
	for _, t := range items {
		if t.Status() != StatusOpen || t.Due.IsZero() {
			continue
		}
		it := AgendaItem{Tracked: t, EffectiveDue: cal.EffectiveDue(t.Due)}
		switch eff := it.EffectiveDue; {
		case eff == day:
			a.DueToday = append(a.DueToday, it)
		case eff.Before(day):
			a.Overdue = append(a.Overdue, it)
		case !eff.After(horizon):
			a.Upcoming = append(a.Upcoming, it)
		case sameMonth(eff, day) || sameMonth(t.Due, day):
			a.MonthOpen = append(a.MonthOpen, it)
		}
	}
	for _, s := range [][]AgendaItem{a.Overdue, a.DueToday, a.Upcoming, a.MonthOpen} {
		sortAgendaItems(s)
	}
	slices.Reverse(a.Overdue) // the most recent first: the ones still worth chasing
	return a
}

// DayAgenda is the agenda of day as it stood when the day began: items completed on day (in
// loc) are placed as if still open, and keep their DoneBy/DoneAt so renderers can mark them.
// Its Numbered order is the team's numbering for the whole day: the morning digest, the
// personal cards and 今天 show the same number for an item however much is done meanwhile.
func DayAgenda(day Date, items []Tracked, cal Calendar, loc *time.Location) Agenda {
	start := day.Time(loc)
	var doneToday map[string]Tracked
	asMorning := items
	for i, t := range items {
		if t.DoneBy == "" || t.Retired || t.DoneAt.Before(start) {
			continue
		}
		if doneToday == nil {
			doneToday = map[string]Tracked{}
			asMorning = slices.Clone(items)
		}
		doneToday[t.Key] = t
		asMorning[i].DoneBy, asMorning[i].DoneAt, asMorning[i].DoneNote = "", time.Time{}, ""
	}
	a := BuildAgenda(day, asMorning, cal)
	if doneToday == nil {
		return a
	}
	for _, s := range [][]AgendaItem{a.Overdue, a.DueToday, a.Upcoming, a.MonthOpen} {
		for i := range s {
			if t, ok := doneToday[s[i].Key]; ok {
				s[i].Tracked = t
			}
		}
	}
	return a
}

func sameMonth(a, b Date) bool { return a.Year == b.Year && a.Month == b.Month }

func sortAgendaItems(s []AgendaItem) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if c := a.EffectiveDue.Compare(b.EffectiveDue); c != 0 {
			return c < 0
		}
		if c := a.Due.Compare(b.Due); c != 0 {
			return c < 0
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Key < b.Key
	})
}

// Numbered returns the agenda's items in the order of what the team must do — due today,
// upcoming, overdue (most recent first), the rest of the month — so that item n (1-based) is
// Numbered()[n-1]: the number staff type in "完成 3". Built by DayAgenda, it is the team's
// numbering of the day.
func (a Agenda) Numbered() []AgendaItem {
	out := make([]AgendaItem, 0, a.Len())
	out = append(out, a.DueToday...)
	out = append(out, a.Upcoming...)
	out = append(out, a.Overdue...)
	return append(out, a.MonthOpen...)
}

// Numbers maps each item's key to its number in Numbered.
func (a Agenda) Numbers() map[string]int {
	m := make(map[string]int, a.Len())
	for i, it := range a.Numbered() {
		m[it.Key] = i + 1
	}
	return m
}

// Len is the number of items on the agenda.
func (a Agenda) Len() int {
	return len(a.Overdue) + len(a.DueToday) + len(a.Upcoming) + len(a.MonthOpen)
}
