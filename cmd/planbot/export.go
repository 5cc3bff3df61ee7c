package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/report"
	"github.com/planbot/planbot/bot/workday"
)

// runExport is `planbot export --json [--team T]`.
func runExport(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	asJSON := fs.Bool("json", false, "write JSON to stdout")
	teamName := fs.String("team", bot.DefaultTeam, "team name")
	xlsxPath := fs.String("xlsx", "", "write an Excel workbook (任务, 完成记录, 数据, 原始数据) to `FILE`")
	year := fs.Int("year", 0, "with --xlsx: the (term) year of the 数据 sheet; 0 = every year")
	fs.Usage = func() {
		fmt.Fprintln(c.stderr, "usage: planbot export --json [--team T]\n       planbot export --xlsx FILE [--team T] [--year N]")
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
	if *asJSON == (*xlsxPath != "") {
		fs.Usage()
		return errors.New("请指定一种导出格式 --json 或 --xlsx FILE (choose one format: --json or --xlsx FILE)")
	}
	st, team, err := c.team(ctx, *teamName)
	if err != nil {
		return err
	}
	cal := workday.New()
	if *xlsxPath != "" {
		return exportXLSX(ctx, st, team, cal, *year, bot.DateOf(c.now().In(bot.Shanghai)), *xlsxPath)
	}
	doc, err := report.Backup(ctx, st, team, cal)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// exportXLSX writes the team's workbook to path, through a temporary file so a failed
// export never leaves half a workbook behind.
func exportXLSX(ctx context.Context, st bot.Store, team bot.Team, cal bot.Calendar, year int, today bot.Date, path string) error {
	data, err := collectWorkbook(ctx, st, team, year, cal, today)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".planbot-export-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := report.WriteXLSX(tmp, data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// collectWorkbook is report.Collect plus, for a unit with units below, the 各单位 sheet.
func collectWorkbook(ctx context.Context, st bot.Store, team bot.Team, year int, cal bot.Calendar, today bot.Date) (report.Data, error) {
	data, err := report.Collect(ctx, st, team, year, cal, today)
	if err != nil {
		return report.Data{}, err
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return report.Data{}, err
	}
	tree := bot.NewTree(teams)
	for _, c := range tree.Children(team.ID) {
		if !c.Removed {
			data.Units, err = report.CollectUnits(ctx, st, tree, team, year, cal, today)
			return data, err
		}
	}
	return data, nil
}
