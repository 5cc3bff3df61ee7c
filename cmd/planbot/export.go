package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/report"
	"github.com/planbot/planbot/bot/workday"
)

// exportDoc is the JSON export: the backup and the raw material for reports.
type exportDoc struct {
	Team        string             `json:"team"`
	Obligations []exportObligation `json:"obligations"`
	Completions []exportCompletion `json:"completions"`
	Figures     []exportFigure     `json:"figures"`
}

type exportObligation struct {
	Key          string     `json:"key"`
	Title        string     `json:"title"`
	Period       string     `json:"period"`
	Due          bot.Date   `json:"due"`
	EffectiveDue bot.Date   `json:"effective_due"`
	Status       bot.Status `json:"status"`
	Assignee     *string    `json:"assignee"`
	DoneBy       *string    `json:"done_by"`
	DoneAt       *time.Time `json:"done_at"`
}

type exportCompletion struct {
	Key      string     `json:"key"`
	By       string     `json:"by"`
	At       time.Time  `json:"at"`
	Note     string     `json:"note"`
	UndoneAt *time.Time `json:"undone_at"`
	UndoneBy *string    `json:"undone_by"`
}

type exportFigure struct {
	ID          int64     `json:"id"`
	Programme   string    `json:"programme"`
	Stage       string    `json:"stage"`
	Term        string    `json:"term"`
	Year        int       `json:"year"`
	Month       int       `json:"month"`
	Persons     int64     `json:"persons"`
	PersonTimes int64     `json:"person_times"`
	AmountFen   int64     `json:"amount_fen"`
	By          string    `json:"by"`
	At          time.Time `json:"at"`
	Note        string    `json:"note"`
	Void        bool      `json:"void"`
}

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
	doc, err := buildExport(ctx, st, team, cal)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// buildExport reads everything of a team: obligations (retired ones too), the whole completion
// history, and figures including voided ones. Instants are in Asia/Shanghai.
func buildExport(ctx context.Context, st bot.Store, team bot.Team, cal bot.Calendar) (exportDoc, error) {
	doc := exportDoc{Team: team.Name, Obligations: []exportObligation{}, Completions: []exportCompletion{}, Figures: []exportFigure{}}
	obls, err := st.Obligations(ctx, team.ID, true)
	if err != nil {
		return doc, err
	}
	for _, o := range obls {
		doc.Obligations = append(doc.Obligations, exportObligation{
			Key: o.Key, Title: o.Title, Period: o.Period, Due: o.Due, EffectiveDue: cal.EffectiveDue(o.Due),
			Status: o.Status(), Assignee: optString(o.Assignee), DoneBy: optString(o.DoneBy), DoneAt: optTime(o.DoneAt),
		})
	}
	comps, err := st.Completions(ctx, team.ID)
	if err != nil {
		return doc, err
	}
	for _, c := range comps {
		doc.Completions = append(doc.Completions, exportCompletion{
			Key: c.Key, By: c.By, At: c.At.In(bot.Shanghai), Note: c.Note,
			UndoneAt: optTime(c.UndoneAt), UndoneBy: optString(c.UndoneBy),
		})
	}
	figs, err := st.Figures(ctx, team.ID, bot.FigureFilter{IncludeVoid: true})
	if err != nil {
		return doc, err
	}
	for _, f := range figs {
		doc.Figures = append(doc.Figures, exportFigure{
			ID: f.ID, Programme: f.Programme, Stage: f.Stage, Term: f.Term, Year: f.Year, Month: f.Month,
			Persons: f.Persons, PersonTimes: f.PersonTimes, AmountFen: f.AmountFen,
			By: f.By, At: f.At.In(bot.Shanghai), Note: f.Note, Void: f.Void(),
		})
	}
	return doc, nil
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(bot.Shanghai)
	return &t
}

// exportXLSX writes the team's workbook to path, through a temporary file so a failed
// export never leaves half a workbook behind.
func exportXLSX(ctx context.Context, st bot.Store, team bot.Team, cal bot.Calendar, year int, today bot.Date, path string) error {
	data, err := report.Collect(ctx, st, team, year, cal, today)
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
