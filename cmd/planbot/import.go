package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/planbot/planbot/bot"
)

// runImport is `planbot import FILE [--team T] [--year N] [--track-past] [--cascade [--lead N]]`:
// parse the plan and store it in one transaction. Re-importing the same document changes nothing.
// With --cascade every unit below the team gets the plan too, each obligation due N workdays
// before the same obligation of the unit above (on the 调休 calendar), linked to it; each unit's
// plan is its own transaction, and re-running the import re-diffs every unit.
func runImport(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	teamName := fs.String("team", bot.DefaultTeam, "team name (created on first use)")
	year := fs.Int("year", 0, "date the plan in this year (0 = the year in its title)")
	trackPast := fs.Bool("track-past", false, "track obligations already due before today (default: before tracking)")
	cascade := fs.Bool("cascade", false, "also give the plan to every unit below the team (see planbot team)")
	lead := fs.Int("lead", bot.DefaultLead, "with --cascade: workdays a unit is due before the unit above it")
	fs.Usage = func() {
		fmt.Fprintln(c.stderr, "usage: planbot import FILE [--team T] [--year N] [--track-past] [--cascade [--lead N]]   (FILE: .txt or .docx; - reads stdin)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(flagsFirst(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("需要一个计划文件 (one FILE argument required)")
	}
	if *lead < 0 || *lead > 60 {
		return fmt.Errorf("--lead 应为 0 到 60 个工作日 (got %d)", *lead)
	}
	name := fs.Arg(0)
	p, data, err := loadPlan(name, *year, bot.DateOf(c.now().In(bot.Shanghai)), c.stderr)
	if err != nil {
		return err
	}
	st, team, tree, err := importTarget(ctx, c, *teamName, *cascade)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	now := c.now()
	opt := bot.ImportOptions{
		Source:    name,
		Hash:      hex.EncodeToString(sum[:]),
		Actor:     "cli",
		Today:     bot.DateOf(now.In(bot.Shanghai)),
		TrackPast: *trackPast,
		At:        now,
	}
	res, err := st.ImportPlan(ctx, team.ID, p, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s (%d, team %s): %s\n", p.Title, p.Year, team.Name, importSummary(res))
	importHints(c, p, *year, opt, res)
	if !*cascade {
		return nil
	}
	return cascadeImport(ctx, c, st, tree, team, p, opt, *lead)
}

// importHints tells on stderr what a new office trips on: a plan dated in its title's year that
// is not this year (the 2020 sample imported in 2026 has nothing this month), items already due
// that are not tracked (nothing overdue), and --track-past on a re-import, which only applies to
// items imported now.
func importHints(c *cli, p bot.Plan, year int, opt bot.ImportOptions, res bot.ImportResult) {
	if year == 0 && p.Year != opt.Today.Year {
		fmt.Fprintf(c.stderr, "提示：计划按%s的年份 %d 年导入，今年是 %d 年；要按今年的日期导入，请加 --year %d。\n",
			cmp.Or(p.YearFrom, "标题"), p.Year, opt.Today.Year, opt.Today.Year)
	}
	past := 0
	for _, o := range p.Obligations {
		if o.Due.Before(opt.Today) {
			past++
		}
	}
	switch {
	case past > 0 && !opt.TrackPast && res.New > 0:
		fmt.Fprintf(c.stderr, "提示：%d 项在今天之前已到期，不计逾期、不提醒（从今天起跟踪）；要从年初起跟踪，第一次导入时加 --track-past。\n", past)
	case past > 0 && opt.TrackPast && res.New == 0:
		fmt.Fprintln(c.stderr, "提示：--track-past 只作用于这次新导入的事项；已导入的事项保持原来的跟踪状态。")
	}
}

// importTarget finds the team to import into: with cascade an existing live unit of the tree
// (returned too), else the team by name, created on first use.
func importTarget(ctx context.Context, c *cli, name string, cascade bool) (bot.Store, bot.Team, *bot.Tree, error) {
	if !cascade {
		st, team, err := c.team(ctx, name)
		return st, team, nil, err
	}
	st, err := c.store(ctx)
	if err != nil {
		return nil, bot.Team{}, nil, err
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return nil, bot.Team{}, nil, err
	}
	tree := bot.NewTree(teams)
	team, ok := tree.ByName(name)
	if !ok || team.Removed {
		return nil, bot.Team{}, nil, fmt.Errorf("没有单位“%s”：--cascade 需要已建立的单位树（planbot team add … --parent …）", name)
	}
	return st, team, tree, nil
}

// cascadeImport gives plan p of team to every live unit below it, down the tree: each unit's
// obligations due lead workdays before its parent's (bot.CascadePlan), one transaction a unit.
// It prints a line a unit (at most maxCascadeLines) and the total.
func cascadeImport(ctx context.Context, c *cli, st bot.Store, tree *bot.Tree, team bot.Team, p bot.Plan, opt bot.ImportOptions, lead int) error {
	cal, err := digestCalendar(c.cfg.Holidays, cliLogger(c.stderr))
	if err != nil {
		return fmt.Errorf("PLANBOT_HOLIDAYS: %w", err)
	}
	opt.Origin = bot.CascadeOrigin(team.ID)
	var total bot.ImportResult
	units := 0
	var down func(parent bot.Team, pp bot.Plan, depth int) error
	down = func(parent bot.Team, pp bot.Plan, depth int) error {
		for _, u := range tree.Children(parent.ID) {
			if u.Removed {
				continue
			}
			cp := bot.CascadePlan(pp, lead, cal)
			r, err := st.ImportPlan(ctx, u.ID, cp, opt)
			if err != nil {
				return fmt.Errorf("%s: %w", u.Name, err)
			}
			units++
			total.New, total.Changed, total.Retired, total.Unchanged = total.New+r.New, total.Changed+r.Changed, total.Retired+r.Retired, total.Unchanged+r.Unchanged
			if units <= maxCascadeLines {
				fmt.Fprintf(c.stdout, "%s↳ %s: %s\n", strings.Repeat("  ", depth), u.Name, importSummary(r))
			}
			if err := down(u, cp, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := down(team, p, 0); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "下级单位 %d 个（提前 %d 个工作日）: %s\n", units, lead, importSummary(total))
	return nil
}

// maxCascadeLines caps the per-unit lines a cascade prints (a province has a thousand units).
const maxCascadeLines = 50

// importSummary renders an import result as "+3 new, ~1 changed, -2 retired (54 unchanged)".
func importSummary(r bot.ImportResult) string {
	return fmt.Sprintf("+%d new, ~%d changed, -%d retired (%d unchanged)", r.New, r.Changed, r.Retired, r.Unchanged)
}
