package bot

// Calendar knows China's official holidays and make-up workdays (implemented by bot/workday).
type Calendar interface {
	// IsWorkday: weekdays that are not holidays, plus make-up workdays (调休).
	IsWorkday(d Date) bool
	// Holiday returns the holiday name for d ("春节"), or "" when d is not an official holiday.
	Holiday(d Date) string
	// EffectiveDue is the last workday on or before due.
	EffectiveDue(due Date) Date
	// AddWorkdays returns the n-th workday after d (n > 0) or before it (n < 0).
	AddWorkdays(d Date, n int) Date
}

// AgendaItem is a tracked obligation as shown on a day's agenda.
type AgendaItem struct {
	Tracked
	EffectiveDue Date
}

// Agenda is what a team has to do on a day.
type Agenda struct {
	Date      Date
	Workday   bool
	Holiday   string
	Overdue   []AgendaItem // effective due passed, still open (not before tracking)
	DueToday  []AgendaItem // effective due == Date, still open
	Upcoming  []AgendaItem // effective due within the next 5 workdays, still open
	MonthOpen []AgendaItem // the rest of this month's open items
}
