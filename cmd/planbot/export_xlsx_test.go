package main

import (
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

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
