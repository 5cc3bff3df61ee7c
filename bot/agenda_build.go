package bot

import "sort"

// UpcomingWorkdays is how far ahead the agenda's "upcoming" section looks, in workdays.
const UpcomingWorkdays = 5

// BuildAgenda computes a team's agenda for day from its tracked obligations. Only open items are
// listed (done, retired and before-tracking items never are):
//   - DueToday: effective due == day;
//   - Overdue: effective due before day;
//   - Upcoming: effective due after day, up to the UpcomingWorkdays-th workday after it;
//   - MonthOpen: the rest of the items due (written or effective) in day's month.
//
// Items without a due date are not listed. Each section is ordered by effective due, then due,
// line and key. On a non-workday Workday is false and Holiday names the holiday; the sections
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

// Numbered returns the agenda's items in display order — overdue, due today, upcoming, month
// open — so that item n (1-based) is Numbered()[n-1]: the number staff type in "完成 3".
func (a Agenda) Numbered() []AgendaItem {
	out := make([]AgendaItem, 0, a.Len())
	out = append(out, a.Overdue...)
	out = append(out, a.DueToday...)
	out = append(out, a.Upcoming...)
	return append(out, a.MonthOpen...)
}

// Len is the number of items on the agenda.
func (a Agenda) Len() int {
	return len(a.Overdue) + len(a.DueToday) + len(a.Upcoming) + len(a.MonthOpen)
}
