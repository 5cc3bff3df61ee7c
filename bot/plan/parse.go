// Package plan reads the office's month-by-month work plans (年度工作月计划) into dated obligations:
// the text export of a Word table, plain text with month headings, or a .docx file. It also reads
// the dates staff type in chat (ParseWhen).
package plan

import (
	_ "embed"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
)

// Options change how a plan is read.
type Options struct {
	// Year dates the plan in this year instead of the year in its title: the same plan reused as
	// next year's template (same month and day; February 29 becomes February 28). 0 = from the title.
	Year int
	// Today dates a document that names no year anywhere (title, headings, signature, file
	// name): this year, or the school year holding today for a calendar crossing the new year.
	// Zero = the clock's today in Asia/Shanghai.
	Today bot.Date
}

//go:embed testdata/huaibei-2020-xszz-plan.txt
var sample []byte

// SampleName is the file name of the bundled sample plan.
const SampleName = "huaibei-2020-xszz-plan.txt"

// Sample returns the bundled sample plan: the 2020 plan of the Huaibei student-aid office.
func Sample() (name string, data []byte) {
	return SampleName, append([]byte(nil), sample...)
}

// period is one month heading and what follows it.
type period struct {
	line       int
	m1, m2     int // months
	yo1, yo2   int // year offsets from the plan year (0, or 1 for a plan crossing the new year)
	deadline   *expr
	items      []*item
	itemNumber int  // last item number seen, for splitting "3.…   4.…"
	year       bool // a 全年/上半年/下半年 or 常态化 section
	routine    bool // a 常态化/日常工作 section: the month's own if a month heading follows it
	implicit   bool // no heading: opened by a date in a table's time column ("3月20日 | 开展认定")
	fromTitle  bool // the month named in the title of a one-month arrangement

	// A time column before the content column: one date per period is the period's deadline;
	// a second one means each row has its own, and the first goes back to its row's item.
	leadDeadline bool    // deadline came from a time cell before the content
	leadItem     *item   // the item in the row of that first time cell
	leadRest     []*item // the other events of that row
	leadRow      int     // the row of leadItem
	perRowLeads  bool    // several time cells before content: each row's item has its own deadline
}

// item is one numbered (or unnumbered) piece of work in a period.
type item struct {
	line     int
	text     string
	numbered bool
	deadline *expr // a deadline cell in the item's own table row
	style    string
	occ      string // the occurrence in the key of one of several copies ((1月、12月): .m01, .m12)
	parent   *item  // the item whose 体育文化节：（3月6日—30日） heads this one
	children int
	label    bool   // a cell of a table's category column (工作重点, 主题)
	sib      string // the numbering of the heading whose line this item ends ("7" for （三）6月：…)
	span     bool   // a block whose time recurs (完成时限：每月10日前): over the document's months
}

type parser struct {
	title     string
	titleYear int
	notes     []string
	problems  []bot.Problem
	periods   []*period
	cur       *period
	lastMonth *period         // the last period with a month (or quarter) heading
	implicit  map[int]*period // periods opened by a table's time column, by month (0: all year)
	headCol   int             // the cell index of month headings in table rows; -1 until one is seen
	item      *item           // the item that unnumbered text continues; nil after a deadline cell

	row       int    // the table row being read
	rowItem   *item  // the last item started in this row
	rowItems  int    // how many items this row started
	pendingNo bool   // a cell holding only a sequence number ("1") numbers the next cell
	rowLead   *expr  // a deadline cell written before the row's content: the date of the item that follows
	rowPrefix string // a recurrence in the time column ("每月10日前"): read as the start of the row's item

	nItems  int
	tooMuch bool // a limit was passed: stop and refuse

	// An item written as a block: its name, then 时间：/地点：/参加人员： lines.
	grid       *grid    // a 校历 laid out as a grid of weeks (周次 | 一 … 日 | 备注)
	pubDate    bot.Date // the publication date of the web page the document was copied from
	titleRange *expr    // the days a title names (下周工作安排（2024年3月18日—3月22日）)

	block    *srcLine // a numbered line before any month, waiting for its 时间： line
	inBlock  bool     // the cell before was a block's name or one of its field lines
	inNotes  bool     // under 说明：/注： — numbered remarks, not work
	oneSpace bool     // reading the items after a month heading on its line: one space may separate them

	sigSkip  map[int]bool // the signature's lines (落款): not items
	sigYear  int          // the year of the signature's date
	headYear int          // the first year written in a month heading (一一年一月), when the title has none
	titlePer *period      // the month of a title (2020年07月XX区教育局工作安排) until a heading is seen

	// A term calendar exported one cell per line: a date cell dates the content lines after it
	// until a blank line, a week cell or the next date.
	blockLead  *expr
	blockItems int

	parent *item // a numbered item ending in "：" whose sub-items (numbered another way) follow

	labelCols  map[int]bool // the category columns of the table being read (from its header row)
	descCols   map[int]bool // its description columns (活动内容 after 活动名称)
	workCols   map[int]bool // its columns of work under headers of the office's own words (家长工作)
	sideCols   map[int]bool // its 地点 / 负责人 / 备注 columns
	timeCols   map[int]bool // its time columns (时间, 完成时限): a month range there is a time, not a heading
	headerLine bool         // the line being read is a table's header row
	inTable    bool         // the line being read has two or more cells
	lineItems  int          // items started by earlier cells of the line being read
	rowDate    *expr        // the date cell of the table row being read, once its first item took it

	schoolYear bool // the title names a school year (2023-2024学年): its months before August are in the second year
	rowDated   bool // the row being read has a date cell before its content
	termWeeks  bool // week cells count the weeks of a term (some is past 第5周), not of a month
}

// baseYear is the year the document's own dates are written relative to.
func (p *parser) baseYear() int {
	switch {
	case p.titleYear != 0:
		return p.titleYear
	case p.headYear != 0:
		return p.headYear
	}
	return p.sigYear
}

// Limits that keep the work bounded on hostile input: a real plan is far below them.
const (
	maxCell     = 16 << 10 // bytes in one cell (a line of the text export may hold several items)
	maxItem     = 4 << 10  // bytes in one item, wrapped lines included
	maxPeriods  = 200
	maxItems    = 5000
	maxProblems = 1000
	maxGroups   = 20        // dated clauses of one item read as separate obligations
	maxObs      = 20000     // obligations in a plan
	maxText     = 512 << 10 // bytes of item text in a plan: bounds the date-expression work
)

var nameYearRE = regexp.MustCompile(`(?:^|\D)((?:19|20)\d{2})(?:\D|$)`)

// schoolYearRE is a school year in a title: 2023-2024学年, 2015—2016学年度, 2023学年.
var schoolYearRE = regexp.MustCompile(`(?:\d{4}|[〇零○一二三四五六七八九]{4})\s*(?:[-—~至－–]+\s*(?:\d{4}|[〇零○一二三四五六七八九]{4})\s*)?学年`)

var yearRE = regexp.MustCompile(`(\d{4}|[〇零○一二三四五六七八九]{4})\s*(?:年|学年|[-—~至]\s*\d{4}\s*学年)`)

// Parse reads a plan document. name is used only for its extension (.docx, .txt); the content
// decides. A document that is not a plan is refused with an error wrapping ErrNotPlan; lines it
// cannot place are returned in Plan.Problems.
func Parse(name string, data []byte, opt Options) (bot.Plan, error) {
	lines, err := readLines(name, data)
	if err != nil {
		return bot.Plan{}, err
	}
	p := &parser{headCol: -1}
	p.sigSkip, p.sigYear = signature(lines)
	p.termWeeks = termWeeks(lines)
	for _, l := range lines {
		p.line(l)
		if p.tooMuch {
			return bot.Plan{}, notPlan("内容过多（超过 %d 个月份段、%d 项工作或 %d 处问题），不像工作计划 (too many periods, items or problems)", maxPeriods, maxItems, maxProblems)
		}
	}
	p.flushBlock()
	p.spanItems()
	p.titleItems()
	p.labelItems()
	if len(p.periods) == 0 {
		return bot.Plan{}, notPlan("没有找到任何带日期的工作事项：需要月份标题（如“三月份”“5月”“元月至二月份”）下列出事项，或每行以日期开头（如“3月1日-3月7日 | 开学典礼”）(no dated items found: expected month headings or date-led rows)")
	}
	if opt.Year != 0 && (opt.Year < 1900 || opt.Year > 9000) {
		return bot.Plan{}, fmt.Errorf("年份不合理: %d (year out of range)", opt.Year)
	}
	p.secondYear()
	year, from := p.year(name, opt)
	text := 0
	for _, per := range p.periods {
		for _, it := range per.items {
			text += len(it.text)
		}
	}
	if text > maxText {
		return bot.Plan{}, notPlan("工作事项文字过多（超过 %d KiB），不像工作计划 (more than %d KiB of item text)", maxText>>10, maxText>>10)
	}
	pl := bot.Plan{Title: p.title, Year: year, YearFrom: from, Notes: p.notes, Problems: p.problems}
	for _, per := range p.periods {
		pl.Obligations = append(pl.Obligations, p.obligations(per, year)...)
		if len(pl.Obligations) > maxObs {
			return bot.Plan{}, notPlan("事项过多（超过 %d 项），不像工作计划 (more than %d obligations)", maxObs, maxObs)
		}
	}
	if len(pl.Obligations) == 0 {
		return bot.Plan{}, notPlan("找到了月份标题，但没有任何工作事项：请在月份标题下逐条列出工作，如“三月份”下写“1.3月15日前完成资助对象认定” (month headings but no work items)")
	}
	uniqueKeys(pl.Obligations)
	sort.SliceStable(pl.Obligations, func(i, j int) bool {
		a, b := pl.Obligations[i], pl.Obligations[j]
		if c := a.Due.Compare(b.Due); c != 0 {
			return c < 0
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Key < b.Key
	})
	return pl, nil
}

// year chooses the year the plan is dated in and says where it came from: --year, else the
// title, a month heading, the signature, the file name; a document without one is dated by
// today (Options.Today): this year, or for a calendar crossing the new year, the school year
// that holds today (from July on, the one starting this year).
func (p *parser) year(name string, opt Options) (int, string) {
	year, from := opt.Year, yearFromOption
	switch {
	case year != 0:
	case p.titleYear != 0:
		year, from = p.titleYear, yearFromTitle
	case p.headYear != 0:
		year, from = p.headYear, yearFromHeading
	case p.sigYear != 0:
		year, from = p.sigYear, yearFromSig
	}
	if year == 0 { // no year in the document: one in the file name (huaibei-2020-plan.txt) will do
		if m := nameYearRE.FindStringSubmatch(filepath.Base(name)); m != nil {
			year, from = yearOf(m[1]), yearFromName
		}
	}
	// Dates are written relative to the document's own year; --year moves them all.
	if p.titleYear == 0 {
		p.titleYear = p.baseYear()
	}
	if year >= 1900 && year <= 9000 {
		return year, from
	}
	if y := p.itemYear(); y >= 1900 && y <= 9000 { // 2024.9.1 | 新学期教学视导启动
		p.titleYear = y
		return y, yearFromItems
	}
	today, from := opt.Today, bot.YearFromToday
	if !p.pubDate.IsZero() { // 发布日期：2020-08-28 on the web page it was copied from
		today, from = p.pubDate, yearFromPubDate
	}
	if today.IsZero() {
		today = bot.DateOf(time.Now().In(bot.Shanghai))
	}
	year = today.Year
	if p.crossesYear() && today.Month < 7 {
		year-- // 九月 … 一月 read in March: the school year that began last autumn
	}
	p.titleYear = year
	return year, from
}

// itemYear is the plan's year implied by the first year written in an item's date (the year of
// 2025年1月3日 in a term that began in 2024 is 2024); 0 if no item writes one.
func (p *parser) itemYear() int {
	for _, per := range p.periods {
		for _, it := range per.items {
			for _, e := range extractDates(it.text) {
				y, m := e.Year, e.Month
				if e.Kind == kRange && e.StartYear != 0 {
					y, m = e.StartYear, e.StartMonth
				}
				if y != 0 && m != 0 {
					return y - per.yearFor(0, m)
				}
			}
			if d := it.deadline; d != nil && d.Year != 0 && d.Month != 0 {
				return d.Year - per.yearFor(0, d.Month)
			}
		}
	}
	return 0
}

// secondYear makes a school year's second term its own year: 2023-2024学年第二学期 runs Feb–Jul
// 2024, so the plan's year is 2024 (its summary says so, and --year 2025 moves it to spring 2025).
func (p *parser) secondYear() {
	if !p.schoolYear || p.titleYear == 0 {
		return
	}
	first := -1
	for _, per := range p.periods {
		if !per.year && (first < 0 || per.yo1 < first) {
			first = per.yo1
		}
	}
	if first < 1 {
		return
	}
	for _, per := range p.periods {
		if !per.year {
			per.yo1, per.yo2 = per.yo1-1, per.yo2-1
		}
	}
	p.titleYear++
}

// crossesYear reports whether the plan's months run into the next year (九月 … 一月).
func (p *parser) crossesYear() bool {
	for _, per := range p.periods {
		if per.yo1 > 0 || per.yo2 > 0 {
			return true
		}
	}
	return false
}

func (p *parser) problem(no int, text, reason string) {
	if r := []rune(text); len(r) > 200 {
		text = string(r[:200]) + "…"
	}
	p.problems = append(p.problems, bot.Problem{Line: no, Text: text, Reason: reason})
	p.tooMuch = p.tooMuch || len(p.problems) > maxProblems
}

// line handles one source line: tabs separate the cells of a table row, and the lines of one
// Word table row share a Row.
func (p *parser) line(l srcLine) {
	if l.Row != p.row {
		p.row, p.rowItems, p.rowItem, p.rowLead, p.rowPrefix, p.rowDate, p.rowDated = l.Row, 0, nil, nil, "", nil, false // pendingNo carries over: "1" on a line of its own numbers the next
	}
	if p.sigSkip[l.No] {
		return
	}
	text := cellSplit(l.Text)
	if trimSpace(text) == "" {
		p.blockLead, p.blockItems = nil, 0
	}
	cells := strings.Split(text, "\t")
	table := 0 // non-empty cells on this line: two or more make it a table row
	for _, c := range cells {
		if trimSpace(c) != "" {
			table++
		}
	}
	p.inTable = table >= 2
	p.lineItems, p.headerLine = 0, false
	if p.inTable && p.weekGrid(l, cells) {
		return
	}
	if p.inTable && (p.cur == nil || p.cur.implicit) {
		if e, ok := trailingDate(cells); ok { // 1 | 制定工作方案 | 3月15日前: the time column after the work
			p.implicitPeriod(l.No, e.Month)
		}
	}
	if p.inTable {
		p.headerRow(cells)
	}
	for ci, raw := range cells {
		if t := trimSpace(normalize(raw)); t != "" {
			p.cell(l, ci, t, cells[ci+1:])
		}
	}
}

// cell handles the cell at column ci of a line; rest are the cells after it.
func (p *parser) cell(l srcLine, ci int, t string, rest []string) {
	if p.headerLine {
		return
	}
	t, ok := p.residue(l.No, t)
	if !ok || p.fieldLine(l.No, t) || p.noteLine(t) {
		return
	}
	if p.calendarCell(l, t) {
		return
	}
	if p.inTable && p.rowDated && p.rowItems == 0 && weekdayCellRE.MatchString(t) {
		return // the 星期 column after the date: 一, 周三, 一至五
	}
	if p.inTable && p.rowItems == 0 && p.timeCell(l.No, ci, t, rest) {
		return
	}
	if p.inTable && p.timeCols[ci] && p.timeColumn(l.No, t, rest) {
		return
	}
	if p.inTable && p.sideCols[ci] && p.rowItems == 0 && contentFollows(rest) {
		return // 地点 / 负责人 before the work: not the work
	}
	if h, ok := parseHeading(t); ok {
		if p.inTable {
			p.headCol = ci
		}
		p.headingLine(l, t, h)
		return
	}
	if isHeader(t) {
		return
	}
	if p.inTable && (p.cur == nil || p.cur.implicit) {
		// A task table without a month column: the time column opens the month.
		if e, ok := deadlineCell(t); ok && e.Month != 0 && contentFollows(rest) {
			p.implicitPeriod(l.No, e.Month)
		} else if isSeqNo(t) {
			p.pendingNo = true
			return
		}
	}
	if p.cur == nil {
		p.preamble(l.No, t)
		return
	}
	if e, ok := deadlineCell(t); ok {
		p.dateCell(l.No, t, e, rest)
		return
	}
	if p.inTable && !p.cur.implicit && p.rowItems == 0 && len(t) <= 24 {
		if e, ok := monthPartCell(t); ok && contentFollows(rest) {
			p.dateCell(l.No, t, e, rest) // 中旬 | 中秋节主题班会
			return
		}
	}
	if isSeqNo(t) {
		p.pendingNo = true
		return
	}
	if !hasWords(t) { // "- 1 -", "———": page numbers and rules, no content
		return
	}
	if p.lineItems > 0 && !(p.inTable && p.workCols[ci]) && (isSideCell(t) || p.inTable && p.descCols[ci]) {
		return // 责任科室 / 责任人 / 备注 column after the item: "资助科", "张三"
	}
	n := len(p.cur.items)
	p.cellItems(l.No, t, l.List || p.pendingNo)
	if p.inTable && p.labelCols[ci] && isLabel(t) && contentFollows(rest) {
		for _, it := range p.cur.items[n:] {
			it.label = true // 寒假安全 in the 工作重点 column: dropped by labelItems
		}
		n = len(p.cur.items) // and the content after it is not a side column
	}
	p.lineItems += len(p.cur.items) - n
	p.pendingNo = false
}

// headingLine opens a month heading's period and reads the work written after it on its line:
// "9月：庆祝教师节；教职工代表大会" (two items), "3月：…；4月：…；5月：…" (one month each).
func (p *parser) headingLine(l srcLine, t string, h heading) {
	segs := monthSegments(trimSpace(h.rest))
	for i, seg := range segs {
		if i > 0 {
			var ok bool
			if h, ok = parseHeading(seg); !ok {
				continue
			}
			seg = trimSpace(h.rest)
		}
		p.startPeriod(l.No, h)
		if seg == "" {
			continue
		}
		n := len(p.cur.items)
		parts := []string{seg}
		if _, _, numbered := marker(seg); !numbered {
			parts = calendarEvents(seg)
		}
		p.oneSpace = true // 三月份：1.3月3日开学 2.3月8日…: the line's items, one space apart
		for _, part := range parts {
			p.cellItems(l.No, part, l.List)
		}
		p.oneSpace = false
		for _, it := range p.cur.items[n:] {
			it.sib = markerStyle(t) // （三）6月：慰问…: a sibling of the （四） item after it, not its label
		}
	}
}

// monthLeadRE is a month leading a clause after ；: "…；4月：春季运动会".
var monthLeadRE = regexp.MustCompile(`[；;。]\s*((?:\d{1,2}|[一二三四五六七八九十]{1,3}|元)\s*月(?:份)?\s*[:：])`)

// monthSegments cuts a heading's rest where another month leads a clause: the first segment is
// the heading's own work, each other one starts with its month.
func monthSegments(rest string) []string {
	locs := monthLeadRE.FindAllStringSubmatchIndex(rest, -1)
	if len(locs) == 0 {
		return []string{rest}
	}
	out := []string{rest[:locs[0][0]]}
	for i, l := range locs {
		end := len(rest)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		out = append(out, rest[l[2]:end])
	}
	return out
}

// headerRow notes the label columns of a table when cells is its header row: a category
// column (工作重点, 类别, 主题) before a content column (具体内容, 工作内容).
func (p *parser) headerRow(cells []string) {
	known, unknown := 0, 0
	for _, c := range cells {
		switch t := strings.Join(strings.Fields(normalize(c)), ""); {
		case t == "":
		case isHeader(t):
			known++
		case headerLike(t):
			unknown++ // 保育重点 | 家长工作: a column of work this office names its own way
		default:
			return
		}
	}
	if known == 0 || unknown > 0 && known < 2 {
		return
	}
	p.headerLine = unknown > 0
	var cols []int
	content := false
	p.labelCols, p.descCols, p.workCols, p.timeCols = map[int]bool{}, map[int]bool{}, map[int]bool{}, map[int]bool{}
	p.sideCols = map[int]bool{}
	for i := len(cells) - 1; i >= 0; i-- {
		t := strings.Join(strings.Fields(normalize(cells[i])), "")
		switch {
		case t == "":
		case sideHeaders[t]:
			p.sideCols[i] = true
		case timeHeaders[t]:
			p.timeCols[i] = true
		case !isHeader(t):
			p.workCols[i] = true
		case contentHeaders[t]:
			content = true
		case labelHeaders[t] && content:
			cols = append(cols, i)
		}
	}
	for _, c := range cols {
		p.labelCols[c] = true
	}
	name := -1
	for i, c := range cells {
		t := strings.Join(strings.Fields(normalize(c)), "")
		switch {
		case nameHeaders[t] && name < 0:
			name = i
		case name >= 0 && contentHeaders[t]:
			p.descCols[i] = true // 活动名称 | 活动内容: the content describes the named item
		}
	}
}

// sideHeaders name a column beside the work: where, who, remarks.
var sideHeaders = map[string]bool{"地点": true, "活动地点": true, "地址": true, "参加人员": true, "参加对象": true, "参与人员": true,
	"负责人": true, "责任人": true, "主讲人": true, "备注": true}

// timeHeaders name a table's time column.
var timeHeaders = map[string]bool{"时间": true, "完成时间": true, "完成工作时间": true, "完成时限": true, "时限": true, "时间节点": true,
	"时间安排": true, "完成期限": true, "截止时间": true, "日期": true, "起止时间": true, "起止日期": true, "完成时间节点": true, "进度安排": true}

// timeColumnCell reads a time-column cell that is more than one month: a range of months or of
// parts of months (4月—5月, 7—8月, 2月下旬—3月上旬) or a week of a month (9月开学第一周). A
// single month stays a heading.
func timeColumnCell(t string) (expr, bool) {
	if h, ok := parseHeading(t); ok && h.m1 == h.m2 {
		return expr{}, false
	}
	es := extractDates(t)
	if len(es) != 1 || es[0].Pos != 0 || es[0].End != len(t) || es[0].Month == 0 {
		return expr{}, false
	}
	switch e := es[0]; e.Kind {
	case kRange, kWeekOfMonth:
		return e, true
	}
	return expr{}, false
}

// headerLike reports whether a cell of a row of headers reads as one more header: a short name
// in Chinese characters, not a month, a date or a number.
func headerLike(t string) bool {
	n := utf8.RuneCountInString(t)
	if n < 2 || n > 6 {
		return false
	}
	for _, r := range t {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	_, heading := parseHeading(t)
	return !heading && len(extractDates(t)) == 0 && !weekLabelRE.MatchString(t) && !isSeqNo(t)
}

// labelHeaders name a column of categories or themes; contentHeaders one of the work itself.
var (
	labelHeaders   = map[string]bool{"工作重点": true, "类别": true, "主题": true, "教育主题": true, "活动主题": true, "项目": true, "工作项目": true, "工作类别": true}
	nameHeaders    = map[string]bool{"活动名称": true, "项目名称": true, "工作名称": true, "名称": true, "会议名称": true, "活动项目": true, "工作任务": true, "任务名称": true, "重点任务": true}
	contentHeaders = map[string]bool{"具体内容": true, "工作内容": true, "主要内容": true, "活动内容": true, "具体工作": true, "具体措施": true, "主要工作": true, "重点工作": true, "工作任务": true, "内容": true, "主要活动": true, "活动安排": true, "任务内容": true, "具体任务": true, "工作措施": true, "主要工作内容": true, "主要工作安排": true, "工作安排": true, "工作事项": true}
)

// residue drops what is not plan text: an over-long cell, a watermark after the text, web page
// residue, week cells (which date the row), holidays and stage descriptions. It returns the
// cell's text and false when nothing is left to read.
func (p *parser) residue(no int, t string) (string, bool) {
	if len(t) > maxCell {
		p.problem(no, t, "这一格太长（超过 16 KiB），未读取 (cell too long, not read)")
		return "", false
	}
	if u := urlTailRE.FindStringIndex(t); u != nil { // 3月份 www.example.com: a watermark after the text
		if t = trimSpace(t[:u[0]]); t == "" {
			return "", false
		}
	}
	switch {
	case webLine(t):
		if m := pubDateRE.FindStringSubmatch(t); m != nil && p.pubDate.IsZero() {
			p.pubDate, _ = exact(yearOf(m[1]), numOr(m[2]), numOr(m[3]))
		}
		p.problem(no, t, "网页上的文字（网址、版权、浏览次数等），未生成事项 (web page residue)")
	case weekLabelRE.MatchString(t): // 第一周: the row's date follows, or in a month's table, that week of the month
		p.blockLead, p.blockItems = nil, 0
		if w := weekNo(t); p.cur != nil && !p.cur.implicit && !p.termWeeks && w >= 1 && w <= 5 {
			p.rowLead = &expr{Kind: kWeekOfMonth, Week: w, Day: min(7*w, 31), By: true}
		}
	case isHoliday(t):
		p.problem(no, t, "假期，不是工作事项 (a holiday, not work)")
	case noneRE.MatchString(t):
		p.problem(no, t, "无内容，未生成事项 (nothing planned)")
	case pageNoRE.MatchString(t):
		p.problem(no, t, "页码，未生成事项 (a page number)")
		p.item = nil
	case termLabelRE.MatchString(t):
		p.problem(no, t, "学期标题，未生成事项 (a term's heading, no obligation)")
	case stageRE.MatchString(t):
		p.problem(no, t, "说明文字，未生成事项 (a description, no obligation)")
	default:
		return t, true
	}
	return "", false
}

// calendarCell handles the cells of calendars without month headings (a date cell on a line
// of its own, a line led by its date), a calendar row's 责任处室 and notes; true when it took t.
func (p *parser) calendarCell(l srcLine, t string) bool {
	if e, ok := weekHead(t); ok && !p.inTable { // 第一周（2月17日—2月21日） over the week's items
		if p.cur == nil || p.cur.implicit {
			p.implicitPeriod(l.No, e.Month)
		}
		p.blockLead, p.blockItems, p.item, p.parent = &e, 0, nil, nil
		return true
	}
	if !p.inTable && (p.cur == nil || p.cur.implicit) {
		// A calendar exported one cell per line: the date cell dates the lines after it.
		if e, ok := deadlineCell(t); ok && e.Month != 0 {
			p.implicitPeriod(l.No, e.Month)
			p.blockLead, p.blockItems = &e, 0
			return true
		}
		if p.title != "" {
			e, rest, ok := dateLed(t) // 9月10日：庆祝教师节 — a line led by its date
			if !ok {
				e, rest, ok = weekLed(t) // 第1-2周（9.2-9.13）：制订计划
			}
			if ok {
				p.implicitPeriod(l.No, e.Month)
				p.rowLead = &e
				p.cellItems(l.No, rest, l.List)
				return true
			}
		}
	}
	if p.blockLead != nil && p.blockItems > 0 && deptRE.MatchString(t) {
		return true // the row's 责任处室 cell
	}
	if noteRE.MatchString(t) {
		p.notes = append(p.notes, t)
		p.item = nil
		return true
	}
	return false
}

// dateCell handles a cell holding only a date: the deadline of the row's item, of the rows
// that follow (a time column before the content), or of the period.
func (p *parser) dateCell(no int, t string, e expr, rest []string) {
	switch {
	case p.inTable && p.rowItems == 0 && contentFollows(rest): // a time column before the content
		p.leadingDeadline(&e, false)
		p.rowDated = true
	case p.rowItems == 1 && p.rowItem.deadline == nil: // a row per item: the row's own deadline
		p.rowItem.deadline = &e
	case p.cur.deadline == nil:
		p.cur.deadline = &e
	default:
		p.problem(no, t, "本月份已有完成时间，多出的日期未使用 (a second deadline for this period)")
	}
	p.item = nil
}

// yearCellRE matches a time cell meaning "all year": 全年, 常态化, 长期坚持, 持续推进.
var yearCellRE = regexp.MustCompile(`^(?:全年|常态化|长期|持续|日常|经常性?)(?:工作|坚持|推进|开展|进行|性)?$`)

// timeCell handles a time-column cell before the row's content that is not a date: 全年/常态化
// (due at the year's end) or a recurrence (每月10日前: it starts the row's item). In a table
// without month headings the row goes into an all-year section. 全年 in the column where the
// month headings stand is a heading, not a time.
func (p *parser) timeCell(no, col int, t string, rest []string) bool {
	recur := false
	if yearCellRE.MatchString(t) {
		if p.cur != nil && !p.cur.implicit && (p.headCol < 0 || col == p.headCol) {
			return false // 全年 in the month column: a heading
		}
	} else {
		es := extractDates(t)
		if len(es) != 1 || es[0].Pos != 0 || es[0].End != len(t) {
			return false
		}
		switch es[0].Kind {
		case kMonthly, kWeekly, kQuarterly:
			recur = true
		default:
			return false
		}
	}
	if !contentFollows(rest) {
		return false
	}
	if p.cur == nil || p.cur.implicit {
		p.implicitPeriod(no, 0)
	}
	switch {
	case recur:
		p.rowPrefix = t
	case !p.cur.year: // 三月份 | 全年 | 做好宣传: due at the year's end, and each row has its own date
		p.leadingDeadline(&expr{Kind: kYearEnd, Month: 12, Day: 31}, true)
	}
	return true
}

// contentFollows reports whether a later cell of the row has words other than a date: the
// time cell before it is that row's deadline.
func contentFollows(cells []string) bool {
	for _, c := range cells {
		t := trimSpace(normalize(c))
		if t == "" || isHeader(t) || isSeqNo(t) {
			continue
		}
		if _, ok := deadlineCell(t); ok {
			continue
		}
		return hasWords(t)
	}
	return false
}

// isSideCell reports whether a cell after the row's item, on the same line, is a short side
// column (责任科室, 责任人, 备注) rather than content: short, not numbered, without a date.
func isSideCell(t string) bool {
	if utf8.RuneCountInString(t) > 15 {
		return false
	}
	if _, _, ok := marker(t); ok {
		return false
	}
	return len(extractDates(t)) == 0
}

// implicitPeriod opens (or returns to) the month m (0: all year) of a table row's time cell when
// the table has no month column.
func (p *parser) implicitPeriod(no, m int) {
	if per := p.implicit[m]; per != nil {
		p.cur, p.item = per, nil
		return
	}
	h := heading{m1: m, m2: m}
	if m == 0 {
		h = heading{m1: 1, m2: 12, year: true}
	}
	p.startPeriod(no, h)
	p.cur.implicit, p.cur.perRowLeads = true, true
	if p.implicit == nil {
		p.implicit = map[int]*period{}
	}
	p.implicit[m] = p.cur
}

// leadingDeadline handles a time cell written before the row's content; own: it is certainly
// the row's own date, not the period's.
func (p *parser) leadingDeadline(e *expr, own bool) {
	per := p.cur
	switch {
	case per.deadline == nil && !per.perRowLeads && !own: // the period's deadline, unless another follows
		per.deadline, per.leadDeadline, per.leadItem = e, true, nil
		p.rowLead = nil
		return
	case per.leadDeadline && !per.perRowLeads: // a second one: each row has its own
		if per.leadItem != nil && per.leadItem.deadline == nil {
			per.leadItem.deadline = per.deadline
		}
		for _, it := range per.leadRest { // 新生报到；开学典礼: the row's other events
			if it.deadline == nil {
				it.deadline = per.deadline
			}
		}
		per.deadline, per.leadDeadline = nil, false
	}
	per.perRowLeads = true
	p.rowLead = e
}

func (p *parser) cellItems(no int, t string, list bool) {
	if p.rowPrefix != "" {
		if _, _, numbered := marker(t); !numbered {
			t = p.rowPrefix + t
		}
		p.rowPrefix = ""
	}
	n := len(p.cur.items)
	parts := []string{t}
	if _, _, numbered := marker(t); !numbered && (p.blockLead != nil || p.rowLead != nil || p.rowDated || p.inTable) {
		parts = calendarEvents(t) // 期中考试；召开家长会: two events of the row
	}
	for _, part := range parts {
		if it := p.items(no, part, list); it != nil {
			p.rowItem = it
		}
	}
	if len(p.cur.items) > n {
		if p.rowLead != nil {
			for _, it := range p.cur.items[n+1:] {
				if it.deadline == nil {
					it.deadline = p.rowLead
				}
			}
		}
		if p.blockLead != nil {
			for _, it := range p.cur.items[n:] {
				if it.deadline == nil {
					it.deadline = p.blockLead
				}
			}
			p.blockItems += len(p.cur.items) - n
		}
		first := p.cur.items[n]
		if p.rowLead == nil && p.rowDate != nil && (p.cur.implicit || p.rowDated) {
			for _, it := range p.cur.items[n:] {
				if it.deadline == nil {
					it.deadline = p.rowDate // a calendar row's later cells and paragraphs: the row's date too
				}
			}
		}
		if p.rowLead != nil && first.deadline == nil {
			first.deadline, p.rowDate, p.rowLead = p.rowLead, p.rowLead, nil
		}
		switch {
		case p.cur.leadDeadline && p.cur.leadItem == nil && p.rowItems == 0:
			p.cur.leadItem, p.cur.leadRow = first, p.row
			p.cur.leadRest = append([]*item(nil), p.cur.items[n+1:]...)
		case p.cur.leadDeadline && p.cur.leadItem != nil && p.cur.leadRow == p.row && p.rowItems > 0:
			p.cur.leadRest = append(p.cur.leadRest, p.cur.items[n:]...) // the row's other work cells
		}
	}
	p.rowItems += len(p.cur.items) - n
}

var seqNoRE = regexp.MustCompile(`^(?:\d{1,2}\s*[.、]?|[一二三四五六七八九十]{1,3})$`)

func isSeqNo(t string) bool { return seqNoRE.MatchString(t) }

// preamble handles text before the first month heading: the title, or a problem.
func (p *parser) preamble(no int, t string) {
	if _, _, ok := marker(t); ok {
		if p.title != "" && (len(extractDates(t)) > 0 || len(parenTimes(t)) > 0) {
			// 工作要点 without month sections: "1.组织学习（11月）" dates itself; the plan runs all year,
			// or over the days its title names (下周工作安排（3月18日—3月22日）).
			if r := p.titleRange; r != nil {
				p.implicitPeriod(no, r.Month)
				if p.cur.deadline == nil {
					p.cur.deadline = r
				}
			} else {
				p.implicitPeriod(no, 0)
			}
			p.cellItems(no, t, false)
			return
		}
		p.block = &srcLine{No: no, Text: t} // its 时间： line may follow
		return
	}
	y := 0
	if m := yearRE.FindStringSubmatch(t); m != nil {
		y, _ = parseNum(m[1])
	}
	switch {
	case p.title == "":
		p.title, p.titleYear, p.schoolYear = t, y, schoolYearRE.MatchString(t)
		p.titleMonth(no, t)
		p.titleRange = rangeOf(t)
	case p.titleYear == 0 && y != 0 && utf8.RuneCountInString(t) <= 60:
		p.title, p.titleYear, p.schoolYear = p.title+t, y, schoolYearRE.MatchString(t)
		p.titleMonth(no, t)
		p.titleRange = rangeOf(t)
	case p.title != "" && p.noticeItem(no, t):
	default:
		p.problem(no, t, "不在任何月份之下，未生成事项 (text before the first month heading)")
	}
}

// timeColumn handles a cell of a table's time column that deadlineCell does not take: before the
// work in a table without month headings (2月下旬—3月上旬 | 春季开学安全大检查), or after it (全年,
// 每月10日前). It reports whether it took t.
func (p *parser) timeColumn(no int, t string, rest []string) bool {
	if p.rowItems == 1 && p.rowItem.deadline == nil {
		return p.trailingTime(no, t)
	}
	if p.rowItems != 0 || p.cur != nil && !p.cur.implicit || !contentFollows(rest) {
		return false
	}
	e, ok := timeColumnCell(t)
	if ok {
		p.implicitPeriod(no, e.Month)
		p.dateCell(no, t, e, rest)
	}
	return ok
}

// trailingTime handles a time cell after the row's work that is not a date: 全年 (the year's
// end) or a recurrence (每月10日前: the work recurs all year). It reports whether it took t.
func (p *parser) trailingTime(no int, t string) bool {
	it := p.rowItem
	if yearCellRE.MatchString(t) {
		it.deadline = &expr{Kind: kYearEnd, Month: 12, Day: 31, By: true} // 学生资助政策宣传 | 全年
		return true
	}
	es := extractDates(t)
	if len(es) != 1 || es[0].Pos != 0 || es[0].End != len(t) || (es[0].Kind != kMonthly && es[0].Kind != kWeekly && es[0].Kind != kQuarterly) ||
		!p.cur.implicit || len(p.cur.items) == 0 || p.cur.items[len(p.cur.items)-1] != it || len(extractDates(it.text)) > 0 {
		return false
	}
	p.cur.items = p.cur.items[:len(p.cur.items)-1]
	p.implicitPeriod(no, 0)
	it.text = t + it.text // 更新系统数据 | 每月10日前: every month of the year
	p.cur.items = append(p.cur.items, it)
	return true
}

// rangeOf is the one range of days with months that t writes, or nil.
func rangeOf(t string) *expr {
	var out *expr
	for _, e := range extractDates(t) {
		if e.Kind == kRange && e.Month != 0 && !e.Months {
			if out != nil {
				return nil
			}
			out = &e
		}
	}
	return out
}

// noticeItem reads a deadline in a notice's text before its plan (请于1月15日前将计划报送…) as an
// obligation of that month, without opening the month for the text that follows.
func (p *parser) noticeItem(no int, t string) bool {
	var e expr
	for _, x := range extractDates(t) {
		if x.Kind == kDate && x.By && x.Month != 0 && x.Day != lastDay {
			e = x
		}
	}
	if e.Kind == 0 || isTitleLine(t) {
		return false
	}
	cur, last := p.cur, p.lastMonth
	p.implicitPeriod(no, e.Month)
	p.cellItems(no, t, false)
	p.cur, p.lastMonth, p.item = cur, last, nil
	return true
}

func (p *parser) startPeriod(no int, h heading) {
	if tp := p.titlePer; tp != nil && p.cur == tp && len(tp.items) == 0 { // the title's month was only a title
		p.periods, p.cur, p.lastMonth = p.periods[:len(p.periods)-1], nil, nil
	}
	p.titlePer = nil
	if h.y1 != 0 && p.titleYear == 0 && p.headYear == 0 {
		p.headYear = h.y1
	}
	per := &period{line: no, m1: h.m1, m2: h.m2, year: h.year, routine: h.routine}
	if cur := p.cur; cur != nil && cur.routine && !h.year && p.lastMonth != nil {
		// 三月份 … 日常工作： … 四月份: the routine section was March's own.
		p.lastMonth.items = append(p.lastMonth.items, cur.items...)
		p.periods = p.periods[:len(p.periods)-1]
	}
	if prev := p.lastMonth; prev != nil && !h.year {
		per.yo1 = prev.yo1
		if h.m1 < prev.m1 && prev.m1 >= 7 { // 九月 … then 一月: the plan runs into the next year
			per.yo1++
		}
	} else if p.schoolYear && !h.year && h.m1 < 8 {
		per.yo1 = 1 // 2023-2024学年第二学期 starting in 二月: the spring of 2024
	}
	if base := p.baseYear(); h.y1 != 0 && base != 0 && h.y1-base >= -1 && h.y1-base <= 1 {
		per.yo1 = h.y1 - base
	}
	per.yo2 = per.yo1
	if h.m2 < h.m1 {
		per.yo2++
	}
	p.periods = append(p.periods, per)
	p.cur, p.item, p.parent = per, nil, nil
	if !h.year {
		p.lastMonth = per
	}
	p.tooMuch = p.tooMuch || len(p.periods) > maxPeriods
}

// items adds the items of a cell to the current period and returns the last one it started.
func (p *parser) items(no int, t string, list bool) *item {
	var started *item
	for i, s := range splitCell(t, &p.cur.itemNumber, p.inTable || p.oneSpace) {
		text := trimSpace(s.text)
		if text == "" {
			continue
		}
		switch {
		case s.numbered || (list && i == 0):
			started = &item{line: no, text: text, numbered: true, style: s.style}
			p.nest(started)
		case strings.HasSuffix(text, "：") || strings.HasSuffix(text, ":"):
			p.problem(no, text, "说明文字，未生成事项 (lead-in text, no obligation)")
			p.item = nil
			continue
		case dateLeads(text):
			started = &item{line: no, text: text} // 第一周：开展… among numbered items: dated work of its own
		case p.item != nil && p.item.numbered && !endsSentence(p.item.text) && !isSection(p.item):
			if len(p.item.text)+len(text) > maxItem {
				p.problem(no, text, "事项太长（超过 4 KiB），这部分未读取 (item too long, text dropped)")
				continue
			}
			p.item.text += text // a wrapped line
			continue
		case p.cur.hasNumbered() && p.rowLead == nil && !p.rowDated: // a dated row's content is its own
			p.problem(no, text, "编号事项之间的未编号文字，未生成事项 (unnumbered text among numbered items)")
			p.item = nil
			continue
		default:
			started = &item{line: no, text: text}
		}
		if noneRE.MatchString(started.text) { // 一月份：无
			p.problem(no, text, "无内容，未生成事项 (nothing planned)")
			p.item = nil
			continue
		}
		if isHoliday(started.text) { // 1、10月1日-10月7日国庆假期
			p.problem(no, text, "假期，不是工作事项 (a holiday, not work)")
			p.item = nil
			continue
		}
		if len(started.text) > maxItem {
			p.problem(no, text, "事项太长（超过 4 KiB），未读取 (item too long, not read)")
			started = nil
			continue
		}
		p.cur.items = append(p.cur.items, started)
		p.item = started
		p.nItems++
		p.tooMuch = p.tooMuch || p.nItems > maxItems
	}
	return started
}

// weekdaySuffixRE is the weekday written after a date: 9月2日（周一）, 11.15(星期五), 3月1日 周五.
var weekdaySuffixRE = regexp.MustCompile(`\s*(?:[(（]\s*(?:周|星期|礼拜)[一二三四五六日天1-7]\s*[)）]|\s(?:周|星期)[一二三四五六日天])$`)

// weekdayCellRE is a calendar's 星期 cell: 一 / 周三 / 星期五 / 一至五 / 周一—周五.
var weekdayCellRE = regexp.MustCompile(`^(?:周|星期|礼拜)?[一二三四五六日天](?:\s*(?:至|到|-|—|–|~|、)\s*(?:周|星期|礼拜)?[一二三四五六日天])?$`)

// timeOfDayRE is a time of day after a date: 14:30 / 下午3:00 / 上午8:00-9:30 / 下午.
var timeOfDayRE = regexp.MustCompile(`\s*(?:(?:上午|下午|晚上|早上|中午|晚)?\s*\d{1,2}[:：]\d{2}(?:\s*(?:-|—|–|~|至)\s*\d{1,2}[:：]\d{2})?|上午|下午|晚上|全天)$`)

// stripDayTime drops the weekday and the time of day written after a date.
func stripDayTime(t string) string {
	if strings.ContainsAny(t, "周星礼") { // 10.20（周一）—10.24（周五）, 周一 9月2日
		t = innerWeekdayRE.ReplaceAllString(t, "")
		if m := leadWeekdayRE.FindStringIndex(t); m != nil && m[1] < len(t) {
			t = t[m[1]:]
		}
	}
	for range 2 {
		if m := timeOfDayRE.FindStringIndex(t); m != nil && m[0] > 0 {
			t = trimSpace(t[:m[0]])
		}
		if m := weekdaySuffixRE.FindStringIndex(t); m != nil && m[0] > 0 {
			t = trimSpace(t[:m[0]])
		}
	}
	return t
}

// leadWeekdayRE is a weekday written before a date: 周一 9月2日.
var leadWeekdayRE = regexp.MustCompile(`^(?:周|星期|礼拜)[一二三四五六日天]\s+`)

// innerWeekdayRE is a weekday in brackets anywhere in a date cell.
var innerWeekdayRE = regexp.MustCompile(`\s*[(（]\s*(?:周|星期|礼拜)[一二三四五六日天]\s*[)）]\s*`)

// dateLeads reports whether unnumbered text starts with its own deadline followed by "："
// (第一周：开展… / 3月10日：…): a dated item even among numbered ones.
func dateLeads(t string) bool {
	es := extractDates(t)
	if len(es) == 0 || es[0].Pos != 0 || !es[0].By && es[0].Kind != kDate {
		return false
	}
	rest := t[es[0].End:]
	return (strings.HasPrefix(rest, "：") || strings.HasPrefix(rest, ":")) && hasWords(rest)
}

// monthPartCell reports whether t is only a day or part of the period's month: 中旬, 月底, 15日前
// (a table's time column under a month heading).
func monthPartCell(t string) (expr, bool) {
	es := extractDates(t)
	if len(es) != 1 || es[0].Pos != 0 || es[0].End != len(t) || es[0].Month != 0 || (es[0].Kind != kDate && es[0].Kind != kRange) {
		return expr{}, false
	}
	return es[0], true
}

var dottedRE = regexp.MustCompile(`^(\d{1,2})[./](\d{1,2})(?:前|之前)?$`)

// deadlineCell reports whether t is only a date (the "完成时间" column): 2月29日, 2月底, 3月31日前.
func deadlineCell(t string) (expr, bool) {
	if len(t) > 48 {
		return expr{}, false
	}
	t = stripDayTime(t)                                  // 9月2日（周一）, 9月5日14:30, 3月8日（周五）下午3:00
	if m := weekHeadRE.FindStringSubmatch(t); m != nil { // 第1周（9.1-9.7）: the week's days
		t = trimSpace(m[1] + m[2])
	}
	if m := dottedRangeRE.FindStringSubmatch(t); m != nil { // 8.28-9.3 in a 校历's date column
		sm, _ := parseNum(m[1])
		sd, _ := parseNum(m[2])
		em, ed := sm, 0
		if m[3] != "" {
			em, _ = parseNum(m[3])
		}
		ed, _ = parseNum(m[4])
		e := expr{Kind: kRange, StartMonth: sm, StartDay: sd, Month: em, Day: ed, End: len(t), By: true}
		if sm >= 1 && em >= 1 && e.valid() {
			return e, true
		}
	}
	if m := dottedRE.FindStringSubmatch(t); m != nil { // 2.29 or 3/31
		mo, _ := parseNum(m[1])
		d, _ := parseNum(m[2])
		if mo >= 1 && mo <= 12 && d >= 1 && d <= 31 {
			return expr{Kind: kDate, Month: mo, Day: d, End: len(t)}, true
		}
	}
	t = strings.TrimSuffix(strings.TrimSuffix(t, "完成"), "止")
	es := extractDates(t)
	if len(es) != 1 || es[0].Pos != 0 || es[0].End != len(t) {
		return expr{}, false
	}
	e := es[0]
	switch {
	case e.Months: // 元月至二月份: a heading
	case e.Kind == kDate && e.Month != 0, e.Kind == kYearEnd, e.Kind == kRange, e.Kind == kQuarterEnd && e.Month != 0:
		// a range of days alone (1日-4日) is a date column under a month column
		return e, true
	}
	return expr{}, false
}

// month is one calendar month of a period.
type month struct {
	y int
	m time.Month
}

func (per *period) months(year int) []month {
	var out []month
	y, m := year+per.yo1, per.m1
	last := (year+per.yo2)*12 + per.m2
	for y*12+m <= last && len(out) < 24 {
		out = append(out, month{y, time.Month(m)})
		m++
		if m > 12 {
			y, m = y+1, 1
		}
	}
	return out
}

func (per *period) label(year int) string {
	ms := per.months(year)
	first := fmt.Sprintf("%04d-%02d", ms[0].y, int(ms[0].m))
	if len(ms) == 1 {
		return first
	}
	l := ms[len(ms)-1]
	return fmt.Sprintf("%s~%04d-%02d", first, l.y, int(l.m))
}

// clamp returns y-m-d with d clamped to the month's last day (2月30日 → 2月28/29日).
func clamp(y int, m time.Month, d int) bot.Date {
	if n := bot.DaysIn(y, m); d > n {
		d = n
	}
	return bot.Date{Year: y, Month: m, Day: d}
}

// yearFor returns the year of month m inside or near the period.
func (per *period) yearFor(year, m int) int {
	switch {
	case per.yo2 > per.yo1 && m < per.m1:
		return year + per.yo2
	case m+6 < per.m1:
		return year + per.yo1 + 1
	case m > per.m1+6 && per.yo1 > 0: // 12月28日 in the January of a term crossing the year
		return year + per.yo1 - 1
	}
	return year + per.yo1
}

// date resolves a kDate/kYearEnd expression; month 0 means the period's last month.
func (p *parser) date(per *period, year int, e expr) bot.Date {
	ms := per.months(year)
	last := ms[len(ms)-1]
	if e.Kind == kQuarterEnd && e.Month == 0 { // 季度末: the end of the quarter the period ends in
		return clamp(last.y, time.Month((int(last.m)+2)/3*3), lastDay)
	}
	if e.Kind == kWeekOfMonth {
		y, m := last.y, last.m
		if e.Month != 0 {
			y, m = per.yearFor(year, e.Month), time.Month(e.Month)
		}
		return weekFriday(y, m, e.Week)
	}
	if e.Month == 0 {
		return clamp(last.y, last.m, e.Day)
	}
	y := per.yearFor(year, e.Month)
	if e.Kind == kYearEnd {
		y = last.y
	}
	if e.Year != 0 && p.titleYear != 0 && e.Year-p.titleYear >= -1 && e.Year-p.titleYear <= 1 {
		y = year + e.Year - p.titleYear
	}
	return clamp(y, time.Month(e.Month), e.Day)
}

// clause is a piece of an item between ，；。 separators.
var clauseSepRE = regexp.MustCompile(`[，,；;。]`)

// obligations turns the items of a period into obligations.
func (p *parser) obligations(per *period, year int) []bot.Obligation {
	label := per.label(year)
	ms := per.months(year)
	last := ms[len(ms)-1]
	defDue := clamp(last.y, last.m, lastDay)
	if per.deadline != nil {
		defDue = p.due(per, year, *per.deadline)
	}
	var out []bot.Obligation
	for _, it := range expandItems(per.items) {
		exprs := extractDates(it.text)
		groups := groupClauses(it.text, exprs)
		monthly := false
		for _, g := range groups {
			title := cleanTitle(it.text)
			if len(groups) > 1 {
				title = g.title(it.text)
			}
			hash := keyHash(stripParenTime(stripDates(it.text[g.from:g.to], shift(g.exprs, -g.from))))
			// The key is the period and the wording, not the item's position: inserting or
			// removing an item must not re-key (and so reopen) its neighbours. Repeated
			// wording in one period is told apart by uniqueKeys.
			key := label
			base := bot.Obligation{Title: title, Period: label, Line: it.line}
			add := func(o bot.Obligation, occ string) {
				if occ == "" {
					occ = it.occ
				}
				o.Key = key + occ + "." + hash
				out = append(out, o)
			}
			e, ok := pick(g.exprs, monthly)
			if ok && e.Fest && it.deadline != nil { // “12.9”纪念活动 in a week row: the row's date
				ok = false
			}
			switch {
			case !ok && it.deadline != nil:
				o := base
				o.Rule, o.Due = bot.RuleOnce, p.due(per, year, *it.deadline)
				o.Start = p.start(per, year, *it.deadline)
				add(o, "")
			case !ok:
				o := base
				o.Rule, o.Due = bot.RuleOngoing, defDue
				add(o, "")
			case e.Kind == kMonthly || (monthly && e.Kind == kDate && e.Month == 0):
				monthly = true
				for _, m := range ms {
					o := base
					o.Rule, o.Due = bot.RuleMonthly, clamp(m.y, m.m, e.Day)
					add(o, fmt.Sprintf(".m%02d", int(m.m)))
				}
			case e.Kind == kQuarterly:
				for _, d := range quarterly(ms, e) {
					o := base
					o.Rule, o.Due = bot.RuleOnce, d
					add(o, fmt.Sprintf(".q%02d", int(d.Month)))
				}
			case e.Kind == kWeekly:
				for d := (bot.Date{Year: ms[0].y, Month: ms[0].m, Day: 1}); !d.After(defDueEnd(last)); d = d.AddDays(1) {
					if e.Weekdays&(1<<int(d.Weekday())) != 0 {
						o := base
						o.Rule, o.Due = bot.RuleWeekly, d
						add(o, fmt.Sprintf(".d%02d%02d", int(d.Month), d.Day))
					}
				}
			default:
				o := base
				o.Rule, o.Due, o.Start = bot.RuleOnce, p.due(per, year, e), p.start(per, year, e)
				add(o, "")
			}
		}
	}
	return out
}

// quarterly returns the dates of a "每季度…" expression in the period's months: the day in the
// QMonth-th month of each quarter (QMonth 4: the month after each quarter). A period without
// such a month (每季度末 under 一月份) gets the first one after it.
func quarterly(ms []month, e expr) []bot.Date {
	var out []bot.Date
	at := func(m month) (bot.Date, bool) {
		pos := (int(m.m)-1)%3 + 1
		switch {
		case e.QMonth == 4 && pos == 3:
			return clamp(m.y+int(m.m)/12, time.Month(int(m.m)%12+1), e.Day), true
		case e.QMonth == pos:
			return clamp(m.y, m.m, e.Day), true
		}
		return bot.Date{}, false
	}
	for _, m := range ms {
		if d, ok := at(m); ok {
			out = append(out, d)
		}
	}
	for m, i := ms[len(ms)-1], 0; len(out) == 0 && i < 3; i++ {
		if m.m++; m.m > 12 {
			m.y, m.m = m.y+1, 1
		}
		if d, ok := at(m); ok {
			out = append(out, d)
		}
	}
	return out
}

func defDueEnd(last month) bot.Date { return clamp(last.y, last.m, lastDay) }

// due resolves the deadline of an expression.
func (p *parser) due(per *period, year int, e expr) bot.Date {
	if e.Kind != kRange {
		return p.date(per, year, expr{Kind: e.Kind, Year: e.Year, Month: e.Month, Day: e.Day, Week: e.Week})
	}
	start := p.start(per, year, e)
	d := p.date(per, year, expr{Kind: kDate, Year: e.Year, Month: e.Month, Day: e.Day})
	if e.Month != 0 && d.Before(start) { // 12月1日至1月10日
		d = clamp(start.Year+1, d.Month, e.Day)
	}
	if e.Month == 0 && d.Before(start) {
		d = start
	}
	return d
}

// start resolves the start of a range expression (zero for others).
func (p *parser) start(per *period, year int, e expr) bot.Date {
	if e.Kind != kRange {
		return bot.Date{}
	}
	return p.date(per, year, expr{Kind: kDate, Year: e.StartYear, Month: e.StartMonth, Day: e.StartDay})
}

// pick chooses the expression that dates a clause group: a recurrence first, else the latest
// deadline written in it.
func pick(es []expr, monthly bool) (expr, bool) {
	for _, e := range es {
		if e.Kind == kMonthly || e.Kind == kWeekly || e.Kind == kQuarterly || (monthly && e.Kind == kDate && e.Month == 0) {
			return e, true
		}
	}
	if len(es) == 0 {
		return expr{}, false
	}
	var by []expr
	for _, e := range es {
		if e.By {
			by = append(by, e)
		}
	}
	if len(by) > 0 {
		es = by
	}
	best := es[0]
	for _, e := range es[1:] {
		if e.Month*100+e.Day >= best.Month*100+best.Day {
			best = e
		}
	}
	return best, true
}

// group is a run of clauses that shares one date: one obligation.
type group struct {
	from, to int
	exprs    []expr
}

// groupClauses splits an item with several dated clauses into one group per dated clause; undated
// clauses join the group before them (or the first one). An item with at most one dated clause is one group.
func groupClauses(text string, exprs []expr) []group {
	seps := clauseSepRE.FindAllStringIndex(text, -1)
	clauseOf := func(pos int) int { // separators before pos
		return sort.Search(len(seps), func(i int) bool { return seps[i][0] >= pos })
	}
	starts := []int{} // clause index → start byte of each dated clause
	var dated []int
	for _, e := range exprs {
		if !e.By { // a bare date ("9月1日开学后") does not make a clause an obligation of its own
			continue
		}
		c := clauseOf(e.Pos)
		if len(dated) == 0 || dated[len(dated)-1] != c {
			dated = append(dated, c)
		}
	}
	if len(dated) <= 1 || len(dated) > maxGroups {
		return []group{{0, len(text), exprs}}
	}
	for _, c := range dated {
		if c == 0 {
			starts = append(starts, 0)
		} else {
			starts = append(starts, seps[c-1][1])
		}
	}
	starts[0] = 0
	var out []group
	for i, s := range starts {
		end := len(text)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		g := group{from: s, to: end}
		for _, e := range exprs {
			if e.Pos >= s && e.End <= end {
				g.exprs = append(g.exprs, e)
			}
		}
		out = append(out, g)
	}
	return out
}

// title is the clause text without the date it starts with ("28日前上报…" → "上报…"), unless
// too little would be left to read.
func (g group) title(text string) string {
	t := text[g.from:g.to]
	if len(g.exprs) > 0 {
		e := g.exprs[0]
		lead := strings.TrimLeftFunc(text[g.from:e.Pos], func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("，,；;。、并和及", r) })
		if lead == "" {
			if rest := cleanTitle(text[e.End:g.to]); utf8.RuneCountInString(rest) >= 4 {
				return rest
			}
		}
	}
	return cleanTitle(t)
}

func shift(es []expr, by int) []expr {
	out := make([]expr, len(es))
	for i, e := range es {
		e.Pos += by
		e.End += by
		out[i] = e
	}
	return out
}

// keyHash is a short hash of the wording: white space, punctuation and the date expressions
// (removed by the caller) do not count, so editing only a date keeps the key.
func keyHash(s string) string {
	h := fnv.New32a()
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			var b [4]byte
			n := utf8.EncodeRune(b[:], r)
			h.Write(b[:n])
		}
	}
	return fmt.Sprintf("%08x", h.Sum32())
}

// uniqueKeys appends .2, .3 … to repeated keys (a period heading written twice).
func uniqueKeys(obs []bot.Obligation) {
	seen := map[string]int{}
	for i := range obs {
		k := obs[i].Key
		seen[k]++
		if n := seen[k]; n > 1 {
			for {
				cand := fmt.Sprintf("%s.%d", k, n)
				if seen[cand] == 0 {
					obs[i].Key = cand
					seen[cand] = 1
					break
				}
				n++
			}
		}
	}
}

// endsSentence reports whether an item's text is complete (ends with 。；!): the next unnumbered
// line is then an item of its own, not the rest of this one.
func endsSentence(s string) bool {
	s = trimSpace(s)
	for _, suf := range []string{"。", "；", ";", "！", "!"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

func (per *period) hasNumbered() bool {
	for _, it := range per.items {
		if it.numbered {
			return true
		}
	}
	return false
}

// hasWords reports whether t has a letter (Chinese or Latin): a cell without one is no content.
func hasWords(t string) bool {
	for _, r := range t {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
