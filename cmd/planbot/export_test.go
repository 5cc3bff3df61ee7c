package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/report"
)

func TestExportXLSX(t *testing.T) {
	for name, mk := range runners() {
		t.Run(name, func(t *testing.T) {
			run := mk(t)
			if _, _, err := run(t, runImport, writeSample(t, "", ""), "--year", "2026"); err != nil {
				t.Fatalf("import: %v", err)
			}
			path := filepath.Join(t.TempDir(), "plan.xlsx")
			if _, _, err := run(t, runExport, "--xlsx", path, "--year", "2026"); err != nil {
				t.Fatalf("export --xlsx: %v", err)
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatalf("the workbook does not open: %v", err)
			}
			defer f.Close()
			for _, sheet := range []string{report.SheetTasks, report.SheetCompletions, report.SheetFigures, report.SheetRaw} {
				if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
					t.Errorf("sheet %q missing (%v)", sheet, err)
				}
			}
			rows, err := f.GetRows(report.SheetTasks)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 61 { // a header and the 60 obligations of the sample
				t.Errorf("%s has %d rows, want 61", report.SheetTasks, len(rows))
			}
			if _, _, err := run(t, runExport, "--xlsx", path, "--json"); err == nil {
				t.Error("export with two formats succeeded")
			}
		})
	}
}

// TestExportUnitsSheet: planbot export --xlsx --team 淮北市 adds 各单位, one row per unit below
// (over its subtree), 本级 and 合计, the amounts exact to the 分.
func TestExportUnitsSheet(t *testing.T) {
	for name, mk := range runners() {
		t.Run(name, func(t *testing.T) {
			run := mk(t)
			units := writeFile(t, "单位.csv", "name,parent,group,cron\n淮北市,,,\n濉溪县,淮北市,,\n相山区,淮北市,,\n濉溪中学,濉溪县,,\n")
			if _, _, err := run(t, runTeam, "import", units); err != nil {
				t.Fatal(err)
			}
			if _, _, err := run(t, runImport, writeSample(t, "", ""), "--team", "淮北市", "--cascade", "--year", "2026"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := run(t, func(ctx context.Context, c *cli, _ []string) error {
				st, err := c.store(ctx)
				if err != nil {
					return err
				}
				teams, err := st.Teams(ctx)
				if err != nil {
					return err
				}
				tree := bot.NewTree(teams)
				for _, f := range []struct {
					unit string
					fen  int64
				}{{"淮北市", 1}, {"濉溪县", 100_000_099}, {"濉溪中学", 2}, {"相山区", 50}} {
					u, _ := tree.ByName(f.unit)
					if _, err := st.AddFigure(ctx, bot.Figure{TeamID: u.ID, Programme: "国家助学金", Year: 2026, Term: "春季", Persons: 3, AmountFen: f.fen, By: "x", At: importClock()}, bot.Effect{}); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "city.xlsx")
			if _, _, err := run(t, runExport, "--xlsx", path, "--team", "淮北市", "--year", "2026"); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(report.SheetUnits)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 5 {
				t.Fatalf("%s rows: %v", report.SheetUnits, rows)
			}
			want := [][]string{
				{"本级（淮北市）", "1"}, {"濉溪县", "2"}, {"相山区", "1"}, {"合计", "4"},
			}
			for i, w := range want {
				if rows[i+1][0] != w[0] || rows[i+1][1] != w[1] {
					t.Fatalf("row %d = %v, want %v", i+2, rows[i+1], w)
				}
			}
			// 濉溪县 with its school: 1,000,000.99 + 0.02 元; the total 1,000,001.52 元
			if got := rows[2][9]; got != "1000001.01" {
				t.Fatalf("濉溪县 amount %q", got)
			}
			if got, wan := rows[4][9], rows[4][10]; got != "1000001.52" || wan != "100.000152" {
				t.Fatalf("合计 amount %q 元, %q 万元", got, wan)
			}
			if rows[4][2] == "0" || rows[2][2] != fmt.Sprint(2*atoi(t, rows[1][2])) {
				t.Fatalf("task counts: %v", rows)
			}
		})
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
