package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"

	"github.com/planbot/planbot/bot"
)

// runImport is `planbot import FILE [--team T] [--year N] [--track-past]`: parse the plan and
// store it in one transaction. Re-importing the same document changes nothing.
func runImport(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	teamName := fs.String("team", bot.DefaultTeam, "team name (created on first use)")
	year := fs.Int("year", 0, "date the plan in this year (0 = the year in its title)")
	trackPast := fs.Bool("track-past", false, "track obligations already due before today (default: before tracking)")
	fs.Usage = func() {
		fmt.Fprintln(c.stderr, "usage: planbot import FILE [--team T] [--year N] [--track-past]   (FILE: .txt or .docx; - reads stdin)")
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
	name := fs.Arg(0)
	p, data, err := loadPlan(name, *year, c.stderr)
	if err != nil {
		return err
	}
	st, team, err := c.team(ctx, *teamName)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	now := c.now()
	res, err := st.ImportPlan(ctx, team.ID, p, bot.ImportOptions{
		Source:    name,
		Hash:      hex.EncodeToString(sum[:]),
		Actor:     "cli",
		Today:     bot.DateOf(now.In(bot.Shanghai)),
		TrackPast: *trackPast,
		At:        now,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s (%d, team %s): %s\n", p.Title, p.Year, team.Name, importSummary(res))
	return nil
}

// importSummary renders an import result as "+3 new, ~1 changed, -2 retired (54 unchanged)".
func importSummary(r bot.ImportResult) string {
	return fmt.Sprintf("+%d new, ~%d changed, -%d retired (%d unchanged)", r.New, r.Changed, r.Retired, r.Unchanged)
}
