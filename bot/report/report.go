// Package report writes the office's figures and work status to an Excel workbook (excelize):
// the sheets 任务, 完成记录, 数据 (laid out the way term reports are) and 原始数据.
package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/figure"
)

// Sheet names, in workbook order.
const (
	SheetTasks       = "任务"
	SheetCompletions = "完成记录"
	SheetFigures     = "数据"
	SheetRaw         = "原始数据"
)

// Data is what a workbook shows.
type Data struct {
	Team        string
	Year        int // figures of this (term) year on the 数据 sheet; 0: every year
	Obligations []bot.Tracked
	Completions []bot.Completion // the whole history, undone ones included
	Figures     []bot.Figure     // every figure, voided ones included
	Names       map[string]string
	// Calendar gives the effective (workday) deadlines; nil: deadlines as written.
	Calendar bot.Calendar
	// Today marks open obligations past their effective deadline as 逾期; zero: not marked.
	Today bot.Date
	// Catalogue orders programmes and stages; nil: the national catalogue.
	Catalogue *figure.Catalogue
	// Units, when set, adds the 各单位 sheet (CollectUnits): a unit with units below.
	Units []UnitRow
}

// WriteXLSX writes the workbook for d to w.
func WriteXLSX(w io.Writer, d Data) error {
	if d.Catalogue == nil {
		d.Catalogue = figure.Default()
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetTasks); err != nil {
		return err
	}
	for _, s := range []string{SheetCompletions, SheetFigures, SheetRaw} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	x := &book{f: f, d: d}
	if err := x.styles(); err != nil {
		return err
	}
	for _, step := range []func() error{x.tasks, x.completions, x.figures, x.raw, x.units} {
		if err := step(); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// book carries the file being written and the first error.
type book struct {
	f      *excelize.File
	d      Data
	head   int
	bold   int
	err    error
	titles map[string]string
}

func (x *book) styles() error {
	var err error
	x.head, err = x.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border: []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
			{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}},
	})
	if err != nil {
		return err
	}
	x.bold, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	return err
}

// cell names column col (1-based) of row.
func cell(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// set writes a value unless an error happened before.
func (x *book) set(sheet string, col, row int, v any) {
	if x.err != nil {
		return
	}
	x.err = x.f.SetCellValue(sheet, cell(col, row), v)
}

// num writes an exact decimal number (a string of digits, never a float) as a numeric cell.
func (x *book) num(sheet string, col, row int, v string) {
	if x.err != nil {
		return
	}
	x.err = x.f.SetCellDefault(sheet, cell(col, row), v)
}

// header writes a header row with its style and column widths.
func (x *book) header(sheet string, row int, cols []string, widths []float64) {
	for i, c := range cols {
		x.set(sheet, i+1, row, c)
	}
	if x.err == nil {
		x.err = x.f.SetCellStyle(sheet, cell(1, row), cell(len(cols), row), x.head)
	}
	for i, w := range widths {
		if x.err == nil && w > 0 {
			col, _ := excelize.ColumnNumberToName(i + 1)
			x.err = x.f.SetColWidth(sheet, col, col, w)
		}
	}
	if x.err == nil {
		x.err = x.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: row, TopLeftCell: cell(1, row+1), ActivePane: "bottomLeft"})
	}
}

func (x *book) name(u string) string {
	if u == "" {
		return ""
	}
	return cmp.Or(x.d.Names[u], u)
}

// stamp formats an instant in Shanghai time, "" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(bot.Shanghai).Format("2006-01-02 15:04")
}

// status is the Chinese state of an obligation on Today.
func (x *book) status(t bot.Tracked, eff bot.Date) string {
	switch t.Status() {
	case bot.StatusDone:
		return "已完成"
	case bot.StatusRetired:
		return "已移除"
	case bot.StatusBeforeTracking:
		return "导入前已到期"
	}
	if !x.d.Today.IsZero() && eff.Before(x.d.Today) {
		return "逾期"
	}
	return "未完成"
}

func (x *book) tasks() error {
	s := SheetTasks
	x.header(s, 1, []string{"序号", "截止日期", "实际截止（工作日）", "计划期间", "事项", "负责人", "状态", "完成人", "完成时间", "完成备注", "标识"},
		[]float64{6, 12, 16, 16, 60, 10, 12, 10, 17, 24, 20})
	x.titles = map[string]string{}
	for i, t := range x.d.Obligations {
		x.titles[t.Key] = t.Title
		eff := t.Due
		if x.d.Calendar != nil && !t.Due.IsZero() {
			eff = x.d.Calendar.EffectiveDue(t.Due)
		}
		r := i + 2
		x.set(s, 1, r, i+1)
		x.set(s, 2, r, t.Due.String())
		x.set(s, 3, r, eff.String())
		x.set(s, 4, r, t.Period)
		x.set(s, 5, r, t.Title)
		x.set(s, 6, r, x.name(t.Assignee))
		x.set(s, 7, r, x.status(t, eff))
		x.set(s, 8, r, x.name(t.DoneBy))
		x.set(s, 9, r, stamp(t.DoneAt))
		x.set(s, 10, r, t.DoneNote)
		x.set(s, 11, r, t.Key)
	}
	return x.err
}

func (x *book) completions() error {
	s := SheetCompletions
	x.header(s, 1, []string{"事项", "完成人", "完成时间", "备注", "状态", "撤销人", "撤销时间", "标识"},
		[]float64{60, 10, 17, 24, 8, 10, 17, 20})
	for i, c := range x.d.Completions {
		r := i + 2
		state := "有效"
		if !c.UndoneAt.IsZero() || c.UndoneBy != "" {
			state = "已撤销"
		}
		x.set(s, 1, r, cmp.Or(x.titles[c.Key], c.Key))
		x.set(s, 2, r, x.name(c.By))
		x.set(s, 3, r, stamp(c.At))
		x.set(s, 4, r, c.Note)
		x.set(s, 5, r, state)
		x.set(s, 6, r, x.name(c.UndoneBy))
		x.set(s, 7, r, stamp(c.UndoneAt))
		x.set(s, 8, r, c.Key)
	}
	return x.err
}

// period is a column group of the 数据 sheet: a term of a year, or a year-level figure's year.
type period struct {
	year int
	term string // 春季, 秋季, or "" for figures of a whole year
}

func (p period) label() string {
	if p.term == "" {
		return fmt.Sprintf("%d年（全年）", p.year)
	}
	return fmt.Sprintf("%d年%s", p.year, p.term)
}

// periodOf places a figure: month figures go to the term the month belongs to.
func periodOf(f bot.Figure) period {
	switch {
	case f.Month > 0:
		term, y := figure.TermOf(bot.NewDate(f.Year, time.Month(f.Month), 1))
		return period{y, term}
	case f.Term != "":
		return period{f.Year, f.Term}
	}
	return period{f.Year, ""}
}

func termRank(t string) int {
	switch t {
	case figure.Spring:
		return 0
	case figure.Autumn:
		return 1
	}
	return 2
}

// figures writes the term report: rows stage and programme; per period 人数, 人次, 金额（万元）;
// a 合计 column group and a 合计 row. Voided figures are left out.
func (x *book) figures() error {
	s := SheetFigures
	periods, groups, live := figurePeriods(x.d.Figures, x.d.Year)
	last := x.figuresHeader(s, periods)
	rows := byStage(x.d.Catalogue, x.d.Catalogue.Totals(live))
	perPeriod := make([]map[[2]string]figure.Total, len(periods))
	for i, p := range periods {
		perPeriod[i] = map[[2]string]figure.Total{}
		for _, t := range x.d.Catalogue.Totals(groups[p]) {
			perPeriod[i][[2]string{t.Programme, t.Stage}] = t
		}
	}
	write := func(r, c int, t figure.Total) {
		x.set(s, c, r, t.Persons)
		x.set(s, c+1, r, t.PersonTimes)
		x.num(s, c+2, r, figure.FormatWan(t.AmountFen))
	}
	for i, t := range rows {
		r := 4 + i
		x.set(s, 1, r, t.Stage)
		x.set(s, 2, r, t.Programme)
		for j := range periods {
			write(r, 3+3*j, perPeriod[j][[2]string{t.Programme, t.Stage}])
		}
		write(r, 3+3*len(periods), t)
	}
	r := 4 + len(rows)
	x.set(s, 1, r, "合计")
	for j, p := range periods {
		write(r, 3+3*j, figure.Sum(x.d.Catalogue.Totals(groups[p])))
	}
	write(r, 3+3*len(periods), figure.Sum(rows))
	if x.err == nil {
		x.err = x.f.SetCellStyle(s, cell(1, r), cell(last, r), x.bold)
	}
	x.set(s, 1, r+2, "说明：按学期汇总，月份数据计入所在学期（3—8月为春季，9月至次年2月为秋季）；已撤销的记录不计入。金额单位：万元。")
	return x.err
}

// figurePeriods groups the figures that count (not voided; of year when year is not 0) by
// period, and returns the periods in order (year, then spring, autumn, the rest).
func figurePeriods(all []bot.Figure, year int) (periods []period, groups map[period][]bot.Figure, live []bot.Figure) {
	groups = map[period][]bot.Figure{}
	for _, f := range all {
		if f.Void() {
			continue
		}
		p := periodOf(f)
		if year != 0 && p.year != year {
			continue
		}
		groups[p] = append(groups[p], f)
		live = append(live, f)
	}
	for p := range groups {
		periods = append(periods, p)
	}
	slices.SortFunc(periods, func(a, b period) int {
		return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(termRank(a.term), termRank(b.term)))
	})
	return periods, groups, live
}

// figuresHeader writes the title and the two header rows of the term report (a column group
// per period and one for 合计) and returns the last column.
func (x *book) figuresHeader(s string, periods []period) (last int) {
	title := x.d.Team + " 学生资助数据"
	if x.d.Year != 0 {
		title = fmt.Sprintf("%s %d年学生资助数据", x.d.Team, x.d.Year)
	}
	x.set(s, 1, 1, title)
	if x.err == nil {
		x.err = x.f.SetCellStyle(s, "A1", "A1", x.bold)
	}
	x.set(s, 1, 2, "学段")
	x.set(s, 2, 2, "项目")
	x.set(s, 1, 3, "")
	x.set(s, 2, 3, "")
	if x.err == nil {
		x.err = x.f.MergeCell(s, "A2", "A3")
	}
	if x.err == nil {
		x.err = x.f.MergeCell(s, "B2", "B3")
	}
	labels := make([]string, 0, len(periods)+1)
	for _, p := range periods {
		labels = append(labels, p.label())
	}
	labels = append(labels, "合计")
	for i, l := range labels {
		c := 3 + 3*i
		x.set(s, c, 2, l)
		if x.err == nil {
			x.err = x.f.MergeCell(s, cell(c, 2), cell(c+2, 2))
		}
		x.set(s, c, 3, "人数")
		x.set(s, c+1, 3, "人次")
		x.set(s, c+2, 3, "金额（万元）")
	}
	last = 2 + 3*len(labels)
	if x.err == nil {
		x.err = x.f.SetCellStyle(s, "A2", cell(last, 3), x.head)
	}
	if x.err == nil {
		x.err = x.f.SetColWidth(s, "A", "A", 12)
	}
	if x.err == nil {
		x.err = x.f.SetColWidth(s, "B", "B", 20)
	}
	if x.err == nil {
		x.err = x.f.SetPanes(s, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 3, TopLeftCell: "C4", ActivePane: "bottomRight"})
	}
	return last
}

// raw lists every figure, voided ones included, with exact amounts.
func (x *book) raw() error {
	s := SheetRaw
	x.header(s, 1, []string{"编号", "项目", "学段", "期间", "年份", "学期", "月份", "人数", "人次", "金额（元）", "金额（分）", "录入人", "录入时间", "备注", "状态", "撤销人", "撤销时间"},
		[]float64{6, 20, 10, 14, 6, 6, 6, 8, 8, 14, 14, 10, 17, 20, 8, 10, 17})
	for i, f := range x.d.Figures {
		r := i + 2
		state := "有效"
		if f.Void() {
			state = "已撤销"
		}
		x.set(s, 1, r, f.ID)
		x.set(s, 2, r, f.Programme)
		x.set(s, 3, r, f.Stage)
		x.set(s, 4, r, figure.PeriodLabel(f))
		x.set(s, 5, r, f.Year)
		x.set(s, 6, r, f.Term)
		if f.Month > 0 {
			x.set(s, 7, r, f.Month)
		}
		x.set(s, 8, r, f.Persons)
		x.set(s, 9, r, f.PersonTimes)
		x.num(s, 10, r, yuan(f.AmountFen))
		x.set(s, 11, r, f.AmountFen)
		x.set(s, 12, r, x.name(f.By))
		x.set(s, 13, r, stamp(f.At))
		x.set(s, 14, r, f.Note)
		x.set(s, 15, r, state)
		x.set(s, 16, r, x.name(f.VoidedBy))
		x.set(s, 17, r, stamp(f.VoidedAt))
	}
	return x.err
}

// yuan renders 分 as a plain decimal of 元 (no separators), exactly.
func yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	if fen%100 == 0 {
		return fmt.Sprintf("%s%d", sign, fen/100)
	}
	return strings.TrimRight(fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100), "0")
}

// byStage orders report rows the way term reports are: by stage (catalogue stage order, rows
// without a stage last), then by programme (catalogue order).
func byStage(c *figure.Catalogue, ts []figure.Total) []figure.Total {
	stages := map[string]int{}
	for _, p := range c.Programmes() {
		for _, s := range p.Stages {
			if _, ok := stages[s]; !ok {
				stages[s] = len(stages)
			}
		}
	}
	rank := func(s string) int {
		if r, ok := stages[s]; ok {
			return r
		}
		if s == "" {
			return 1 << 20
		}
		return 1 << 10
	}
	out := slices.Clone(ts)
	slices.SortStableFunc(out, func(a, b figure.Total) int { return cmp.Compare(rank(a.Stage), rank(b.Stage)) })
	return out
}
