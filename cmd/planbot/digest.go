package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/render"
	"github.com/planbot/planbot/bot/workday"
)

// cmdDigest runs `planbot digest`.
func cmdDigest(ctx context.Context, cfg Config, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	return runDigest(ctx, cfg, args, stdout, stderr, time.Now)
}

// digestOptions are the flags of `planbot digest`.
type digestOptions struct {
	Date     bot.Date // the day asked (default: today in Asia/Shanghai)
	PlanFile string   // "" = the bundled sample plan
	Year     int      // rebase the plan to this year (0: the sample follows Date, a file its title)
	JSON     bool
	Markdown bool   // print the WeCom markdown messages instead of plain text
	Holidays string // override file for bot/workday
}

// runDigest implements `planbot digest [--date YYYY-MM-DD] [--plan FILE] [--year N] [--json]
// [--markdown] [--holidays FILE] [--send [--team T]]`; now is the injected clock. --send goes
// through the durable job path (jobs.go: runDigestSend).
func runDigest(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer, now bot.Clock) error {
	var o digestOptions
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dateFlag := fs.String("date", "", "the `day` YYYY-MM-DD (default today, Asia/Shanghai)")
	fs.StringVar(&o.PlanFile, "plan", "", "plan `FILE` (.txt or .docx; default the bundled sample plan)")
	fs.IntVar(&o.Year, "year", 0, "date the plan in this `year` (default: the sample follows --date, a file its title)")
	fs.BoolVar(&o.JSON, "json", false, "print the agenda as JSON")
	fs.BoolVar(&o.Markdown, "markdown", false, "print the group message as WeCom markdown (one message, at most 4096 bytes)")
	fs.StringVar(&o.Holidays, "holidays", "", "holiday override `FILE` (lines like: 2027-02-07 春节 workday)")
	send := fs.Bool("send", false, "send the day's group digest and personal cards now, through the job queue, and wait until delivered (needs DATABASE_URL and WECOM_*); a second run for the same day sends nothing")
	team := fs.String("team", "", "the team `NAME` for --send (default: default)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: planbot digest [--date YYYY-MM-DD] [--plan FILE] [--year N] [--json|--markdown] [--holidays FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(flagsFirst(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("多余的参数 (unexpected argument) %q", fs.Arg(0))
	}
	if *dateFlag != "" {
		d, err := bot.ParseDate(strings.TrimSpace(*dateFlag))
		if err != nil {
			return err
		}
		o.Date = d
	} else {
		o.Date = bot.DateOf(now().In(bot.Shanghai))
	}
	if *send {
		return runDigestSend(ctx, cfg, *team, o.Date, o.Holidays, stdout, stderr)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{} // a terminal command: the time is noise
			}
			return a
		}}))
	a, err := digestAgenda(o, log)
	if err != nil {
		return err
	}
	switch {
	case o.JSON:
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(digestJSONOf(a))
	case o.Markdown:
		msgs := render.DigestMarkdown("", a)
		for i, m := range msgs {
			fmt.Fprintf(stdout, "----- %d/%d (%d bytes) -----\n%s\n", i+1, len(msgs), len(m), m)
		}
		return nil
	}
	_, err = io.WriteString(stdout, render.DigestPlain("", a))
	return err
}

// digestCalendar returns the workday calendar, with the override file when one is given.
func digestCalendar(holidays string, log *slog.Logger) (*workday.Calendar, error) {
	cal := workday.New()
	if holidays != "" {
		var err error
		if cal, err = workday.LoadFile(holidays); err != nil {
			return nil, err
		}
	}
	cal.Log = log
	return cal, nil
}

// digestPlan reads the plan of o: the bundled sample rebased to the year asked, or o.PlanFile.
// Lines the reader could not place are logged as warnings.
func digestPlan(o digestOptions, log *slog.Logger) (bot.Plan, error) {
	name, data := plan.Sample()
	year := o.Year
	if o.PlanFile == "" {
		if year == 0 {
			year = o.Date.Year
		}
	} else {
		var err error
		name = o.PlanFile
		if data, err = readPlanFile(name); err != nil {
			return bot.Plan{}, err
		}
	}
	p, err := plan.Parse(name, data, plan.Options{Year: year})
	if err != nil {
		return bot.Plan{}, fmt.Errorf("%s: %s", name, bot.ErrorMessage(err))
	}
	for _, pr := range p.Problems {
		log.Warn("plan line not placed", "file", name, "line", pr.Line, "reason", pr.Reason, "text", pr.Text)
	}
	if p.Year != o.Date.Year {
		log.Warn("the plan is dated in another year than the day asked: use --year to rebase it",
			"plan_year", p.Year, "date", o.Date.String())
	}
	return p, nil
}

// digestAgenda builds the agenda of o.Date with no store behind it: tracking starts on that day,
// so obligations whose effective due date is already past are before tracking (nothing is overdue).
func digestAgenda(o digestOptions, log *slog.Logger) (bot.Agenda, error) {
	cal, err := digestCalendar(o.Holidays, log)
	if err != nil {
		return bot.Agenda{}, err
	}
	p, err := digestPlan(o, log)
	if err != nil {
		return bot.Agenda{}, err
	}
	items := make([]bot.Tracked, 0, len(p.Obligations))
	for _, ob := range p.Obligations {
		items = append(items, bot.Tracked{
			Obligation:     ob,
			BeforeTracking: cal.EffectiveDue(ob.Due).Before(o.Date),
		})
	}
	return bot.BuildAgenda(o.Date, items, cal), nil
}

// digestItemJSON is one agenda item in `planbot digest --json`.
type digestItemJSON struct {
	Key          string   `json:"key"`
	Title        string   `json:"title"`
	Due          bot.Date `json:"due"`
	EffectiveDue bot.Date `json:"effective_due"`
}

// digestJSON is the output of `planbot digest --json` (a stable contract).
type digestJSON struct {
	Date      bot.Date         `json:"date"`
	Workday   bool             `json:"workday"`
	Holiday   string           `json:"holiday"`
	DueToday  []digestItemJSON `json:"due_today"`
	Upcoming  []digestItemJSON `json:"upcoming"`
	Overdue   []digestItemJSON `json:"overdue"`
	MonthOpen []digestItemJSON `json:"month_open"`
}

func digestJSONOf(a bot.Agenda) digestJSON {
	list := func(items []bot.AgendaItem) []digestItemJSON {
		out := make([]digestItemJSON, 0, len(items))
		for _, it := range items {
			out = append(out, digestItemJSON{Key: it.Key, Title: it.Title, Due: it.Due, EffectiveDue: it.EffectiveDue})
		}
		return out
	}
	return digestJSON{
		Date:      a.Date,
		Workday:   a.Workday,
		Holiday:   a.Holiday,
		DueToday:  list(a.DueToday),
		Upcoming:  list(a.Upcoming),
		Overdue:   list(a.Overdue),
		MonthOpen: list(a.MonthOpen),
	}
}
