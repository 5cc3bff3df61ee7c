package report

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/figure"
	"github.com/planbot/planbot/store/memory"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// weekdays is a calendar with weekends only, enough to see effective deadlines move.
type weekdays struct{}

func (weekdays) IsWorkday(d bot.Date) bool {
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}
func (weekdays) Holiday(bot.Date) string { return "" }
func (c weekdays) EffectiveDue(d bot.Date) bot.Date {
	for !c.IsWorkday(d) {
		d = d.AddDays(-1)
	}
	return d
}
func (weekdays) AddWorkdays(d bot.Date, n int) bot.Date { return d.AddDays(n) }

func sample(t *testing.T) Data {
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, bot.Shanghai) }
	c := figure.Default()
	var figs []bot.Figure
	add := func(line, by string, when time.Time) {
		d, err := c.Parse(line, bot.NewDate(2026, 4, 15))
		if err != nil || len(c.Missing(d)) > 0 {
			t.Fatalf("%q: %v %v", line, err, c.Missing(d))
		}
		f := d.Figure()
		f.ID, f.By, f.At = int64(len(figs)+1), by, when
		figs = append(figs, f)
	}
	add("中职国家助学金 春季 1200人 240万元", "zhang", at(4, 1, 9))
	add("中职国家助学金 5月 300人 600,000.50元", "li", at(5, 20, 10))
	add("普高国家助学金 秋季 1500人次 300.25万元", "zhang", at(9, 30, 11))
	add("中职免学费 春季 980人 196.5万元", "li", at(4, 2, 9))
	add("中职免学费 春季 999人 999万元", "li", at(4, 3, 9)) // voided below
	add("生源地信用助学贷款 2026年 856人 6,848,000元", "wang", at(10, 8, 15))
	add("中职国家助学金 2025年秋季 1000人 200万元", "zhang", at(1, 5, 9)) // another year
	figs[4].VoidedBy, figs[4].VoidedAt = "zhang", at(4, 4, 9)
	return Data{
		Team: "淮北市学生资助管理中心",
		Year: 2026,
		Obligations: []bot.Tracked{
			{Obligation: bot.Obligation{Key: "k1", Title: "上报春季学期国家助学金发放情况", Due: bot.NewDate(2026, 5, 31), Period: "2026-05", Rule: bot.RuleOnce}, Assignee: "li", DoneBy: "li", DoneAt: at(5, 29, 16), DoneNote: "已报送"},
			{Obligation: bot.Obligation{Key: "k2", Title: "更新资助系统学生信息", Due: bot.NewDate(2026, 6, 20), Period: "2026-06", Rule: bot.RuleMonthly}, Assignee: "zhang"},
			{Obligation: bot.Obligation{Key: "k3", Title: "秋季学期资助政策宣传", Due: bot.NewDate(2026, 9, 30), Period: "2026-09", Rule: bot.RuleOngoing}},
			{Obligation: bot.Obligation{Key: "k4", Title: "旧事项", Due: bot.NewDate(2026, 3, 31), Period: "2026-03"}, Retired: true},
		},
		Completions: []bot.Completion{
			{Key: "k2", By: "zhang", At: at(6, 10, 9), Note: "误点", UndoneAt: at(6, 10, 10), UndoneBy: "zhang"},
			{Key: "k1", By: "li", At: at(5, 29, 16), Note: "已报送"},
		},
		Figures:  figs,
		Names:    map[string]string{"zhang": "张三", "li": "李四"},
		Calendar: weekdays{},
		Today:    bot.NewDate(2026, 6, 25),
	}
}

func TestWriteXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, sample(t)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("workbook does not open: %v", err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "任务,完成记录,数据,原始数据" {
		t.Fatalf("sheets %s", got)
	}
	get := func(sheet, c string) string {
		v, err := f.GetCellValue(sheet, c)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Hand-checked cells.
	for _, c := range []struct{ sheet, cell, want string }{
		{SheetTasks, "C3", "2026-06-19"}, // 6月20日 is a Saturday
		{SheetTasks, "G2", "已完成"},
		{SheetTasks, "G3", "逾期"},
		{SheetTasks, "G4", "未完成"},
		{SheetTasks, "G5", "已移除"},
		{SheetTasks, "F3", "张三"},
		{SheetCompletions, "E2", "已撤销"},
		{SheetCompletions, "A3", "上报春季学期国家助学金发放情况"},
		{SheetFigures, "C2", "2026年春季"},
		{SheetFigures, "F2", "2026年秋季"},
		{SheetFigures, "I2", "2026年（全年）"},
		{SheetFigures, "L2", "合计"},
		{SheetFigures, "E3", "金额（万元）"},
		// Row 4: 中职 国家助学金; spring = 240万 + 60.00005万 (the May figure), voided and 2025 figures left out.
		{SheetFigures, "A4", "中职"}, {SheetFigures, "B4", "国家助学金"},
		{SheetFigures, "C4", "1500"}, {SheetFigures, "E4", "300.00005"},
		{SheetFigures, "B5", "免学费"}, {SheetFigures, "A5", "中职"}, {SheetFigures, "C5", "980"}, {SheetFigures, "E5", "196.5"},
		{SheetFigures, "B6", "国家助学金"}, {SheetFigures, "A6", "普通高中"}, {SheetFigures, "G6", "1500"}, {SheetFigures, "H6", "300.25"},
		{SheetFigures, "B7", "生源地信用助学贷款"}, {SheetFigures, "I7", "856"}, {SheetFigures, "K7", "684.8"},
		{SheetFigures, "A8", "合计"}, {SheetFigures, "L8", "3336"}, {SheetFigures, "M8", "1500"}, {SheetFigures, "N8", "1481.55005"},
		{SheetRaw, "J3", "600000.5"}, {SheetRaw, "K3", "60000050"}, {SheetRaw, "O6", "已撤销"}, {SheetRaw, "P6", "张三"},
	} {
		if got := get(c.sheet, c.cell); got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
	// The whole workbook against the golden dump.
	var dump strings.Builder
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&dump, "== %s\n", s)
		for _, r := range rows {
			dump.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	golden := "testdata/workbook.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(dump.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if dump.String() != string(want) {
		t.Errorf("workbook differs from %s (go test -update to accept):\n%s", golden, dump.String())
	}
}

func TestWriteXLSXEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, Data{Team: "空"}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue(SheetFigures, "A4"); v != "合计" {
		t.Errorf("empty 数据 sheet: A4 = %q", v)
	}
}

func TestCollect(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	team, err := st.EnsureTeam(ctx, "测试")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutMember(ctx, "cli", bot.Member{TeamID: team.ID, UserID: "li", Name: "李四", Role: bot.RoleStaff, Active: true}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, bot.Shanghai)
	f1, err := st.AddFigure(ctx, bot.Figure{TeamID: team.ID, Programme: "国家助学金", Stage: "中职", Term: "春季", Year: 2026, Persons: 10, AmountFen: 150, By: "li", At: at}, bot.Effect{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddFigure(ctx, bot.Figure{TeamID: team.ID, Programme: "国家助学金", Stage: "中职", Term: "春季", Year: 2026, Persons: 5, AmountFen: 50, By: "li", At: at}, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	if err := st.VoidFigure(ctx, team.ID, f1.ID, "li", at, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	d, err := Collect(ctx, st, team, 2026, nil, bot.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Figures) != 2 || d.Names["li"] != "李四" {
		t.Fatalf("collected %+v", d)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, d); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Only the live figure counts: 5 persons, 0.5元 = 0.00005万元.
	for cellName, want := range map[string]string{"C4": "5", "E4": "0.00005", "O2": "已撤销"} {
		sheet := SheetFigures
		if cellName == "O2" {
			sheet = SheetRaw
		}
		if got, _ := f.GetCellValue(sheet, cellName); got != want {
			t.Errorf("%s!%s = %q, want %q", sheet, cellName, got, want)
		}
	}
}
