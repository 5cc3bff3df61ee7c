package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/robfig/cron/v3"

	"github.com/planbot/planbot/bot"
)

// Kind names what a run job does.
type Kind string

// The kinds of run jobs.
const (
	KindDigest   Kind = "digest"   // morning group digest and personal cards
	KindRemind   Kind = "remind"   // reminders 3 and 1 workdays ahead, and the due-day @mention
	KindEscalate Kind = "escalate" // overdue items to the supervisors: the day after, then weekly
	KindWeekly   Kind = "weekly"   // weekly summary to the supervisors
	KindMonthly  Kind = "monthly"  // month overview on the month's first workday
)

// Kinds lists every run kind in a stable order.
var Kinds = []Kind{KindDigest, KindRemind, KindEscalate, KindWeekly, KindMonthly}

// DefaultDigestCron is the digest schedule when neither the team nor PLANBOT_DIGEST_CRON sets one.
const DefaultDigestCron = "30 8 * * *"

// TeamConfig is a team's schedule: a cron expression (robfig/cron v3, in the team's time zone)
// and an on/off switch per kind. An empty cron string turns the kind off as well.
type TeamConfig struct {
	DigestCron   string // morning digest; default "30 8 * * *"
	Cards        bool   // personal cards with the digest
	RemindCron   string // reminders and due-day mentions; default "35 8 * * *"
	EscalateCron string // escalations; default "40 8 * * *"
	WeeklyCron   string // weekly summary; default "30 15 * * 5" (Friday afternoon)
	MonthlyCron  string // month overview (sent only on the month's first workday); default "45 8 * * *"
	Off          map[Kind]bool
	// CatchUpUntil is how long after midnight a run missed during downtime is still sent when a
	// replica comes back; 0: DefaultCatchUpUntil (12:00).
	CatchUpUntil time.Duration
}

// DefaultTeamConfig is every kind on, at times that avoid the :00 burst.
func DefaultTeamConfig() TeamConfig {
	return TeamConfig{
		DigestCron:   DefaultDigestCron,
		Cards:        true,
		RemindCron:   "35 8 * * *",
		EscalateCron: "40 8 * * *",
		WeeklyCron:   "30 15 * * 5",
		MonthlyCron:  "45 8 * * *",
	}
}

// Cron returns the schedule expression of kind k ("" when off).
func (c TeamConfig) Cron(k Kind) string {
	if c.Off[k] {
		return ""
	}
	switch k {
	case KindDigest:
		return c.DigestCron
	case KindRemind:
		return c.RemindCron
	case KindEscalate:
		return c.EscalateCron
	case KindWeekly:
		return c.WeeklyCron
	case KindMonthly:
		return c.MonthlyCron
	}
	return ""
}

func (s *Scheduler) teamConfig(t bot.Team) TeamConfig {
	if s.d.TeamConfig != nil {
		return s.d.TeamConfig(t)
	}
	c := DefaultTeamConfig()
	c.CatchUpUntil = s.d.CatchUpUntil
	if t.DigestCron != "" {
		c.DigestCron = t.DigestCron
	}
	if t.Name == bot.DefaultTeam && s.d.DigestCron != "" {
		c.DigestCron = s.d.DigestCron
	}
	return c
}

// TeamLocation returns the team's time zone (Asia/Shanghai by default).
func TeamLocation(t bot.Team) *time.Location {
	if t.TimeZone != "" {
		if l, err := time.LoadLocation(t.TimeZone); err == nil {
			return l
		}
	}
	return bot.Shanghai
}

// CronSchedule is a robfig/cron schedule evaluated in a fixed time zone; it implements
// river.PeriodicSchedule.
type CronSchedule struct {
	cron.Schedule
	Loc *time.Location
}

// ParseCron parses a standard 5-field expression (or a descriptor such as @daily) for loc.
// robfig/cron v3.0.1 panics on a time zone prefix ("TZ=", "CRON_TZ=") with no space after it
// (found by FuzzParseCron, whose corpus keeps the case): that is refused before it is parsed.
func ParseCron(spec string, loc *time.Location) (CronSchedule, error) {
	if (strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=")) && !strings.Contains(spec, " ") {
		return CronSchedule{}, fmt.Errorf("cron %q: invalid expression", spec)
	}
	sc, err := cron.ParseStandard(spec)
	if err != nil {
		return CronSchedule{}, fmt.Errorf("cron %q: %w", spec, err)
	}
	return CronSchedule{Schedule: sc, Loc: loc}, nil
}

// Next returns the first activation strictly after t.
func (c CronSchedule) Next(t time.Time) time.Time {
	return c.Schedule.Next(t.In(c.Loc))
}

// FirstOn returns the first activation on day d (in the schedule's zone), and false when the
// schedule does not fire that day.
func (c CronSchedule) FirstOn(d bot.Date) (time.Time, bool) {
	midnight := d.Time(c.Loc)
	first := c.Next(midnight.Add(-time.Second))
	return first, bot.DateOf(first.In(c.Loc)) == d
}

// DefaultCatchUpUntil is the end of the catch-up window: a run missed while every replica was
// down is sent on the replica's return only before this time of the same day (the morning's
// working hours); a digest at 23:39 would only confuse.
const DefaultCatchUpUntil = 12 * time.Hour

// fireSlack is how late after an activation a run still counts as the schedule's own fire
// (River's periodic enqueuer runs a little after the due instant).
const fireSlack = 2 * time.Minute

// due reports the run due at now for this schedule: today's date when today is a workday and
// either one of today's activations is happening now (within fireSlack), or today's first
// activation has passed and now is still before the catch-up end (until after midnight; 0:
// DefaultCatchUpUntil; never less than half an hour after the first activation).
func due(c CronSchedule, cal bot.Calendar, now time.Time, until time.Duration) (bot.Date, bool) {
	local := now.In(c.Loc)
	today := bot.DateOf(local)
	if !cal.IsWorkday(today) {
		return bot.Date{}, false
	}
	first, ok := c.FirstOn(today)
	if !ok || first.After(now.Add(time.Second)) {
		return bot.Date{}, false
	}
	if next := c.Next(now.Add(-fireSlack)); !next.After(now.Add(time.Second)) {
		return today, true // the schedule's own fire
	}
	if until <= 0 {
		until = DefaultCatchUpUntil
	}
	end := today.Time(c.Loc).Add(until)
	if min := first.Add(30 * time.Minute); end.Before(min) {
		end = min
	}
	if now.After(end) {
		return bot.Date{}, false // too late for today's catch-up; tomorrow's run is on time
	}
	return today, true
}

// periodicJobs builds a team's periodic jobs. Each fires on its cron schedule and, with
// RunOnStart, whenever a new leader starts: the constructor inserts today's run only if today is
// a workday and today's time has come, so a digest missed while every replica was down goes out
// when one comes back the same morning (before CatchUpUntil), and uniqueness keeps it to one.
func (s *Scheduler) periodicJobs(t bot.Team) ([]*river.PeriodicJob, error) {
	cfg := s.teamConfig(t)
	loc := TeamLocation(t)
	var out []*river.PeriodicJob
	for _, k := range Kinds {
		spec := cfg.Cron(k)
		if spec == "" {
			continue
		}
		sc, err := ParseCron(spec, loc)
		if err != nil {
			return nil, fmt.Errorf("schedule: team %s %s: %w", t.Name, k, err)
		}
		team, kind := t.Name, k
		out = append(out, river.NewPeriodicJob(sc, func() (river.JobArgs, *river.InsertOpts) {
			day, ok := due(sc, s.d.Calendar, s.d.now(), cfg.CatchUpUntil)
			if !ok {
				return nil, nil
			}
			return RunArgs{Team: team, What: kind, Date: day.String()}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	return out, nil
}
