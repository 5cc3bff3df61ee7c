package plan

// The shapes of schedule other offices write besides month sections: term calendars (校历/行事历)
// with week rows, date-led rows, a one-month arrangement whose month is only in the title, web
// page residue around a copied plan, and the signature (落款) that dates a plan without a year in
// its title.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
)

// reYear is a year as offices write it: 2020, 二〇二〇 / 二○○八, or two Chinese digits (一一年 = 2011).
const reYear = `(\d{4}|[〇零○一二三四五六七八九]{4}|[〇零○一二三四五六七八九]{2})`

// sigDateRE is a line holding only a date with a year: the date of a signature (落款), or a bare
// year-and-month line.
var sigDateRE = regexp.MustCompile(`^` + reYear + `\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3}|元)\s*月(?:份)?(?:\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号])?$`)

// orgSuffixRE ends the name of an office signing a plan: XX区教育局办公室, XX学校工会, XX中学德育处.
var orgSuffixRE = regexp.MustCompile(`(?:局|处|室|科|办|会|园|校|学|院|中心|委|部|所|站|组|队|中学|小学|幼儿园|政府)$`)

// webRE matches the residue of a web page around a copied plan: breadcrumbs, page counters,
// publication stamps, copyright and download lines.
var webRE = regexp.MustCompile(`版权所有|ICP\s*备|浏览次数|点击次数|阅读次数|点击数|发布时间|发布日期|发稿时间|来源\s*[:：]|作者\s*[:：]|Copyright|©|首页\s*[>＞»/]|当前位置|所在位置|用户上传|文库|请访问|欢迎访问|更多.{0,6}(?:资料|精彩|内容)|扫一扫|二维码|分享到|上一篇|下一篇|附件下载|下载附件|打印本页|关闭窗口|[【\[]\s*(?:打印|关闭|收藏)\s*[】\]]|字体\s*[:：]\s*[【\[]?\s*大`)

// urlTailRE is a web address at the end of a cell (a watermark after a heading: 3月份 www.example.com).
var urlTailRE = regexp.MustCompile(`\s*(?:https?://|www\.)[A-Za-z0-9./_\-?=&%#:~]*$`)

var urlRE = regexp.MustCompile(`(?:https?://|www\.)[A-Za-z0-9./_\-?=&%#:~]+`)

// webLine reports whether a cell is web page residue rather than plan text.
func webLine(t string) bool {
	if _, _, ok := marker(t); ok {
		return false
	}
	if webRE.MatchString(t) {
		return true
	}
	if loc := urlRE.FindStringIndex(t); loc != nil {
		rest := trimSpace(t[:loc[0]] + t[loc[1]:])
		return utf8.RuneCountInString(rest) <= 20 && len(extractDates(rest)) == 0
	}
	return false
}

// signature finds the signature at the end of a document: a date line with a year, and the
// office's name before it. It returns the line numbers to skip and the signature's year. A
// notice's signature before its attachment (an office's name, then a full date) is skipped too.
func signature(lines []srcLine) (skip map[int]bool, year int) {
	skip = map[int]bool{}
	for k, l := range lines {
		if !strings.Contains(l.Text, "日") && !strings.Contains(l.Text, "号") {
			continue
		}
		if m := sigDateRE.FindStringSubmatch(strings.Join(strings.Fields(normalize(l.Text)), "")); m != nil && m[3] != "" {
			if org := orgLines(lines, k); len(org) > 0 {
				skip[l.No] = true
				for _, no := range org {
					skip[no] = true
				}
			}
		}
	}
	i := len(lines) - 1
	for i >= 0 && (trimSpace(lines[i].Text) == "" || webLine(trimSpace(normalize(lines[i].Text)))) {
		i--
	}
	if i < 0 {
		return skip, 0
	}
	t := strings.Join(strings.Fields(normalize(lines[i].Text)), "")
	m := sigDateRE.FindStringSubmatch(t)
	if m == nil {
		return skip, 0
	}
	y := yearOf(m[1])
	if y < 1900 || y > 2100 {
		return skip, 0
	}
	skip[lines[i].No] = true
	for _, no := range orgLines(lines, i) {
		skip[no] = true
	}
	return skip, y
}

// orgLines returns the numbers of the (at most two) lines before line i that name the office
// signing: XX区教育局 / XX中学德育处.
func orgLines(lines []srcLine, i int) []int {
	var out []int
	for j := i - 1; j >= 0 && len(out) < 2; j-- {
		o := trimSpace(normalize(lines[j].Text))
		if o == "" {
			continue
		}
		if utf8.RuneCountInString(o) > 25 || strings.ContainsAny(o, "，。；;,") || len(extractDates(o)) > 0 || !orgSuffixRE.MatchString(o) {
			break
		}
		if _, _, ok := marker(o); ok {
			break
		}
		out = append(out, lines[j].No)
	}
	return out
}

// cellSplit turns the other ways a plain-text table separates its cells into tabs: "|" / "｜",
// and " / " when a line has at least two of them (第10周 / 11月1日至11月7日 / 段考).
func cellSplit(s string) string {
	if strings.ContainsAny(s, "|｜") {
		s = strings.NewReplacer("|", "\t", "｜", "\t").Replace(s)
	}
	if strings.Contains(s, "／") {
		s = strings.ReplaceAll(s, "／", "/")
	}
	if strings.Count(s, " / ") >= 2 {
		s = strings.ReplaceAll(s, " / ", "\t")
	}
	if !strings.Contains(s, "\t") && (strings.Contains(s, "  ") || strings.ContainsRune(s, '\u3000')) {
		s = spaceCells(s)
	}
	return s
}

// spaceRunRE separates the columns of a table laid out with spaces.
var spaceRunRE = regexp.MustCompile(`\s{2,}`)

// spaceCells turns the runs of spaces between a table's columns into tabs (a table copied from a
// PDF or a web page: "第2周    9月11日    星期一    集体备课"), when the line is a header row or
// starts with a time, week or sequence cell. Other lines keep their spaces (items are split there).
func spaceCells(s string) string {
	n := normalize(s)
	cells := spaceRunRE.Split(trimSpace(n), -1)
	if len(cells) < 2 || len(n) > maxCell {
		return s
	}
	if spaceRow(cells) {
		return strings.Join(cells, "\t")
	}
	return s
}

// spaceRow reports whether cells split at runs of spaces are a table row: a header row (known
// headers, perhaps with the office's own, or a week grid's weekdays), or a row led by a time, week,
// month or sequence cell.
func spaceRow(cells []string) bool {
	known, other := 0, 0
	for _, c := range cells {
		switch {
		case isHeader(c):
			known++
		case headerLike(c):
			other++
		}
	}
	first := cells[0]
	_, date := deadlineCell(first)
	_, part := monthPartCell(first)
	_, span := timeColumnCell(first)
	h, month := parseHeading(first)
	month = month && h.rest == "" && h.theme == "" && (len(cells) >= 3 || len(cells) == 2 && numberedTwice(cells[1])) // 九月  行为规范月  1.开学典礼…
	es := extractDates(first)
	recur := len(es) == 1 && es[0].Pos == 0 && es[0].End == len(first) && (es[0].Kind == kMonthly || es[0].Kind == kWeekly)
	return known == len(cells) || known >= 2 && known+other == len(cells) || weekdayColumns(cells) >= 0 ||
		date || part || span || month || recur || gridMonthRE.MatchString(first) || weekLabelRE.MatchString(first) || isSeqNo(first) || weekRunRE.MatchString(first)
}

// weekRunRE is a 周次 cell naming a run of weeks in digits: 1—2 / 9-10.
var weekRunRE = regexp.MustCompile(`^\d{1,2}\s*(?:-|—|–|~|至)\s*\d{1,2}$`)

// numberedTwice reports whether a cell holds two items in sequence: 1.开学安全大检查 2.上报台账.
func numberedTwice(t string) bool {
	last := 0
	_, v, ok := marker(t)
	return ok && v == 1 && len(splitCell(t, &last, true)) >= 2
}

// weekLabelRE is the week cell of a term calendar: 第一周 / 第10周 / 第十八周次.
var weekLabelRE = regexp.MustCompile(`^` + reWeekLabel + `$`)

// reWeekLabel is a week or a run of weeks: 第一周 / 第10周 / 第1-2周 / 第三至四周 / 第十八周次.
const reWeekLabel = `第\s*(?:\d{1,2}|[一二三四五六七八九十廿]{1,3})(?:\s*(?:-|—|–|~|至|到|、)\s*(?:第\s*)?(?:\d{1,2}|[一二三四五六七八九十廿]{1,3}))?\s*(?:周|教学周)(?:次)?`

// weekLedRE is a line led by its week and the week's days: 第1-2周（9.2-9.13）：制订计划 /
// 第3周 9月16日-9月20日 教学常规检查.
var weekLedRE = regexp.MustCompile(`^` + reWeekLabel + `\s*(?:[(（]\s*([^()（）]{3,30}?)\s*[)）]|\s(\S{3,30}?)\s)\s*[:：]?\s*(.+)$`)

// weekHeadRE is a week written as a heading over the items after it: 第一周（2月17日—2月21日）.
var weekHeadRE = regexp.MustCompile(`^` + reWeekLabel + `\s*(?:[(（]\s*([^()（）]{3,30}?)\s*[)）]|\s+(\S{3,30}))\s*[:：]?$`)

// weekHead reads a week heading's days.
func weekHead(t string) (expr, bool) {
	m := weekHeadRE.FindStringSubmatch(t)
	if m == nil {
		return expr{}, false
	}
	e, ok := deadlineCell(m[1] + m[2])
	return e, ok && e.Month != 0
}

// weekdayLedRE is a line led by its weekday and date: 星期一（11月18日）：升旗仪式.
var weekdayLedRE = regexp.MustCompile(`^(?:星期|周|礼拜)[一二三四五六日天]\s*[(（]\s*([^()（）]{3,20}?)\s*[)）]\s*[:：]?\s*(.+)$`)

// weekLed splits a line led by its week and days into the days and the work.
func weekLed(t string) (expr, string, bool) {
	m := weekLedRE.FindStringSubmatch(t)
	if m == nil {
		if m = weekdayLedRE.FindStringSubmatch(t); m == nil {
			return expr{}, "", false
		}
		m = []string{m[0], m[1], "", m[2]}
	}
	e, ok := deadlineCell(m[1] + m[2])
	if !ok || e.Month == 0 || !hasWords(m[3]) {
		return expr{}, "", false
	}
	return e, trimSpace(m[3]), true
}

// holidayRE is a holiday written where the work goes: 1-2月 寒假 / 国庆节放假 / 暑假.
var holidayRE = regexp.MustCompile(`^(?:(?:\d{1,2}|[一二三四五六七八九十元]{1,3})\s*(?:[-—–~至到]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3}))?\s*月(?:份)?\s*)?[\p{Han}、]{0,8}(?:放假|寒假|暑假|假期|休假|调休)(?:开始|结束)?(?:\s*[(（][^()（）]{0,20}[)）])?$`)

// isHoliday reports whether t is a holiday, perhaps led by its dates: 寒假 / 10月1日-7日国庆假期.
func isHoliday(t string) bool {
	if holidayRE.MatchString(t) {
		return true
	}
	if !strings.Contains(t, "假") && !strings.Contains(t, "休") {
		return false
	}
	es := extractDates(t)
	if len(es) == 0 || es[0].Pos != 0 || es[0].Month == 0 {
		return false
	}
	return holidayRE.MatchString(trimSpace(strings.TrimLeft(t[es[0].End:], " ：:，,")))
}

// pubDateRE is a web page's publication date: 发布日期：2020-08-28 / 发布时间：2019-03-01 09:30.
var pubDateRE = regexp.MustCompile(`(?:发布|发稿|更新)(?:日期|时间)\s*[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)

// noneRE is a cell saying nothing is planned: 无 / 暂无 / 待定.
var noneRE = regexp.MustCompile(`^(?:无|暂无|待定|略|（无）|\(无\))$`)

// pageNoRE is a page header or footer of a Word or PDF export: 第 1 页 共 2 页 / 第1页 ("- 2 -" has no words and is skipped anyway).
var pageNoRE = regexp.MustCompile(`^(?:第\s*\d{1,3}\s*页\s*[,，]?\s*(?:共\s*\d{1,3}\s*页)?|共\s*\d{1,3}\s*页\s*[,，]?\s*第\s*\d{1,3}\s*页)$`)

// termLabelRE is a heading naming a term, over the months that follow: 一、上学期 / 第二学期工作安排：
var termLabelRE = regexp.MustCompile(`^(?:[一二三四五六七八九十]{1,3}\s*[、.]\s*|[(（][一二三四五六七八九十]{1,3}[)）]\s*)?(?:上学期|下学期|第[一二]学期|秋季学期|春季学期|上半学期|下半学期)(?:工作|活动)?(?:安排|计划)?\s*[:：]?$`)

// stageRE describes a stage of a contest: 第一阶段为乙级联赛; a description, not work of its own.
var stageRE = regexp.MustCompile(`^第\s*[一二三四五六七八九十\d]{1,2}\s*(?:阶段|轮)\s*(?:为|是|[:：])`)

// deptRE is a responsibility cell of a calendar row (责任处室, 参加人员): 教务处, 工会, 全体教师.
var deptRE = regexp.MustCompile(`^(?:各|全体)?[\p{Han}、/]{0,7}(?:处|室|科|办|组|部|委|队|中心|工会|团委|大队部|年级|教师|班主任|行政|值日|人员|组长|领导|股)$`)

// themeRE is what follows a month heading that is a theme, not work: 二月主题：新起点、新打算.
var themeRE = regexp.MustCompile(`^(?:本月|月度)?(?:活动|德育|教育|工作)?主题\s*[:：]?`)

// yearSource names where the plan's year came from, for the summary.
const (
	yearFromOption  = "--year"
	yearFromTitle   = "标题"
	yearFromHeading = "月份标题"
	yearFromSig     = "落款"
	yearFromName    = "文件名"
	yearFromItems   = "事项日期"
	yearFromPubDate = "网页发布日期"
)

// titleMonthRE is the month of a one-month arrangement in its title: 2020年07月XX区教育局工作安排.
var titleMonthRE = regexp.MustCompile(reYear + `\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3}|元)\s*月(?:份)?`)

// titleMonth opens the month a title names, if it names exactly one (not 3月1日, not 3月至6月):
// the items that follow belong to it until a month heading says otherwise.
func (p *parser) titleMonth(no int, t string) {
	m := titleMonthRE.FindStringSubmatchIndex(t)
	if m == nil || p.cur != nil {
		return
	}
	after := trimSpace(t[m[1]:])
	if hasDay(t) || strings.HasPrefix(after, "至") || strings.HasPrefix(after, "到") ||
		strings.HasPrefix(after, "-") || strings.HasPrefix(after, "—") || strings.HasPrefix(after, "~") ||
		(after != "" && after[0] >= '0' && after[0] <= '9') {
		return
	}
	mo, ok := parseNum(t[m[4]:m[5]])
	if !ok || mo < 1 || mo > 12 {
		return
	}
	p.startPeriod(no, heading{m1: mo, m2: mo})
	p.titlePer, p.cur.fromTitle = p.cur, true
}

// hasDay reports whether t writes a date more precise than a whole month.
func hasDay(t string) bool {
	for _, e := range extractDates(t) {
		if !e.Months {
			return true
		}
	}
	return false
}

// titleItems ends a title's month: unnumbered text before its first numbered item is the
// arrangement's preamble, not work.
func (p *parser) titleItems() {
	for _, per := range p.periods {
		if !per.fromTitle || !per.hasNumbered() {
			continue
		}
		i := 0
		for i < len(per.items) && !per.items[i].numbered {
			p.problem(per.items[i].line, per.items[i].text, "不在任何编号事项之下的说明文字，未生成事项 (text before the first numbered item)")
			i++
		}
		per.items = per.items[i:]
	}
}

// calendarEvents splits a calendar row's content at ；into its events, when each is short.
func calendarEvents(t string) []string {
	parts := strings.FieldsFunc(t, func(r rune) bool { return r == '；' || r == ';' })
	if len(parts) < 2 {
		return []string{t}
	}
	for _, s := range parts {
		if utf8.RuneCountInString(trimSpace(s)) > 40 {
			return []string{t}
		}
	}
	return parts
}

// weekFriday is the Friday of the n-th week of a month: week 1 is the week (Monday to Sunday)
// of the month's first workday; a Friday past the month's end is the month's last day.
func weekFriday(y int, m time.Month, n int) bot.Date {
	d := bot.Date{Year: y, Month: m, Day: 1}
	switch d.Weekday() {
	case time.Saturday:
		d = d.AddDays(2)
	case time.Sunday:
		d = d.AddDays(1)
	}
	monday := d.AddDays(-((int(d.Weekday()) + 6) % 7))
	f := monday.AddDays(4 + 7*(n-1))
	if f.Month != m || f.Year != y {
		if f.Before(d) {
			return d
		}
		return clamp(y, m, lastDay)
	}
	return f
}

// parentRE is an item that heads the ones after it: 体育文化节：（3月6日—30日） /
// “书香校园”读书月（6月1日—6月30日）： / 开展以下活动：
var parentRE = regexp.MustCompile(`^(.+?)\s*(?:[(（][^()（）]{0,40}[)）])?\s*[:：]\s*(?:[(（][^()（）]{0,40}[)）])?\s*$`)

// nest links a numbered item to the heading item above it: after "2.体育文化节：（3月6日—30日）",
// items numbered another way (1、2、) are its children until one numbered like it (3.) comes.
func (p *parser) nest(it *item) {
	if par := p.parent; par != nil {
		if it.style == par.style || par.style == "" {
			p.parent = nil
		} else {
			it.parent = par
			par.children++
			return
		}
	}
	if parentRE.MatchString(it.text) {
		p.parent = it
	}
}

// parentName is the name of a heading item without its date and colon: 体育文化节.
func parentName(t string) string {
	m := parentRE.FindStringSubmatch(t)
	if m == nil {
		return ""
	}
	name := cleanTitle(m[1])
	if utf8.RuneCountInString(name) > 20 {
		return ""
	}
	return name
}

// labelItems drops category cells (安全工作, 宣传月, 检查月) read as items: short unnumbered text
// without a date, right before a numbered item of the same period.
func (p *parser) labelItems() {
	for _, per := range p.periods {
		var keep []*item
		for i, it := range per.items {
			next := (*item)(nil)
			if i+1 < len(per.items) {
				next = per.items[i+1]
			}
			// a theme cell that took its row's date, before the row's numbered work, is a label too
			rowTheme := it.deadline != nil && next != nil && next.line == it.line && next.deadline == it.deadline
			if it.label || isSection(it) && i+1 < len(per.items) {
				p.problem(it.line, it.text, "类别标题，未生成事项 (a category label, no obligation)")
				continue
			}
			if it.sib != "" && next != nil && next.style == it.sib {
				keep = append(keep, it)
				continue
			}
			if (it.deadline == nil || rowTheme) && next != nil && next.numbered && isLabel(it.text) &&
				(!it.numbered || (it.style == "7" || it.style == "8") && next.style != it.style && next.parent == nil) {
				// 安全工作 / 二、维权服务 over numbered work: a category, not work
				p.problem(it.line, it.text, "类别标题，未生成事项 (a category label, no obligation)")
				continue
			}
			keep = append(keep, it)
		}
		per.items = keep
	}
}

// titleLineRE ends the title of a plan or its attachment: …工作月历 / …工作计划 / …校历.
var titleLineRE = regexp.MustCompile(`(?:工作|活动|教学)?(?:月历|计划|安排|校历|行事历|要点|日程|一览表|总表)(?:表)?》?$`)

// isTitleLine reports whether an unnumbered line is a title (an attachment's, 附件: XX县2024年安全工作月历):
// a year, a title's ending, no date and no sentence.
func isTitleLine(t string) bool {
	if _, _, ok := marker(t); ok || strings.ContainsAny(t, "，。；;,") || utf8.RuneCountInString(t) > 40 {
		return false
	}
	return yearRE.MatchString(t) && titleLineRE.MatchString(t) && !strings.Contains(t, "日")
}

// sectionRE ends the name of a plan's section: 一、本月重点 / 二、具体安排 / 三、家长工作.
var sectionRE = regexp.MustCompile(`(?:重点|安排|要求|思想|目标|措施|工作|内容|任务|计划)$`)

// isSection reports whether an item is a section heading (一、 or （一） numbering, a short name
// ending like one, no date): prose under it is not its continuation, and it is no work itself.
func isSection(it *item) bool {
	return it.numbered && (it.style == "7" || it.style == "8") && it.deadline == nil && isLabel(it.text) && sectionRE.MatchString(it.text)
}

func isLabel(t string) bool {
	t = strings.TrimRight(t, "。；;，,") // 行为规范教育月。
	n := utf8.RuneCountInString(t)
	return n >= 2 && n <= 8 && hasWords(t) && !strings.ContainsAny(t, "，,。；;、:：") && len(extractDates(t)) == 0
}

// enumRE finds 一是…二是…三是… within one item.
var enumRE = regexp.MustCompile(`(?:^|[，,；;。:：]\s*)([一二三四五六七八九十])是`)

// expandItems prepares a period's items for dating: a heading item with children is not work of
// its own (its children take its date and name), and "一是…，二是…" in one item is one item each.
func expandItems(items []*item) []*item {
	var out []*item
	for _, it := range items {
		if it.children > 0 {
			continue
		}
		if par := it.parent; par != nil {
			c := *it
			if len(extractDates(c.text)) == 0 && c.deadline == nil {
				if e, ok := pick(extractDates(par.text), false); ok {
					c.deadline = &e
				} else {
					c.deadline = par.deadline
				}
			}
			if name := parentName(par.text); name != "" {
				c.text = name + "：" + c.text
			}
			out = append(out, &c)
			continue
		}
		if ts := parenTimes(it.text); len(ts) > 0 && it.deadline == nil && len(extractDates(it.text)) == 0 {
			for _, e := range ts { // 开展“送温暖”慰问活动（1月、12月）: one obligation per month named
				c := *it
				c.deadline = &e
				if len(ts) > 1 {
					c.occ = fmt.Sprintf(".m%02d", e.Month)
				}
				out = append(out, &c)
			}
			continue
		}
		out = append(out, enumParts(it)...)
	}
	return out
}

func enumParts(it *item) []*item {
	locs := enumRE.FindAllStringSubmatchIndex(it.text, -1)
	if len(locs) < 2 || it.text[locs[0][2]:locs[0][3]] != "一" || it.text[locs[1][2]:locs[1][3]] != "二" {
		return []*item{it}
	}
	lead := cleanTitle(it.text[:locs[0][0]])
	var out []*item
	for i, l := range locs {
		end := len(it.text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		part := cleanTitle(it.text[l[3]+len("是") : end])
		if part == "" {
			continue
		}
		c := *it
		c.text = part
		if lead != "" {
			c.text = lead + "：" + part
		}
		out = append(out, &c)
	}
	return out
}

// dottedRangeRE is a date column's range written with dots or slashes: 8.28-9.3, 10.9—10.15, 9.4-10, 9/2-9/8.
var dottedRangeRE = regexp.MustCompile(`^(\d{1,2})[./](\d{1,2})\s*(?:-{1,2}|—{1,2}|–|~|至|到)\s*(?:(\d{1,2})[./])?(\d{1,2})$`)

// weekNo reads the number of a week cell (第二周 → 2); 0 if none.
func weekNo(t string) int {
	ns := weekNoRE.FindAllString(t, -1)
	if len(ns) == 0 {
		return 0
	}
	n, _ := parseNum(ns[len(ns)-1]) // 第1-2周: the week it ends in
	return n
}

var weekNoRE = regexp.MustCompile(`\d{1,2}|[一二三四五六七八九十廿]{1,3}`)

// dateLed splits a line led by its date (9月10日：庆祝教师节 / 12月31日前 团支部工作总结) into
// the date and the work.
func dateLed(t string) (expr, string, bool) {
	es := extractDates(t)
	if len(es) == 0 || es[0].Pos != 0 || es[0].Month == 0 || es[0].Months || (es[0].Kind != kDate && es[0].Kind != kRange) {
		return expr{}, "", false
	}
	rest := t[es[0].End:]
	if m := weekdayAfterRE.FindStringIndex(rest); m != nil { // 9月10日（周二）：…
		rest = " " + rest[m[1]:]
	}
	trimmed := strings.TrimLeft(rest, " ：:，,、")
	if len(trimmed) == len(rest) && rest != "" && rest[0] != ' ' {
		return expr{}, "", false
	}
	if !hasWords(trimmed) {
		return expr{}, "", false
	}
	return es[0], trimSpace(trimmed), true
}

// weekdayAfterRE is the weekday in brackets right after a date: （周二） / (星期五).
var weekdayAfterRE = regexp.MustCompile(`^\s*[(（]\s*(?:周|星期|礼拜)[一二三四五六日天]\s*[)）]`)

// parenTimeRE is the time an item gives in brackets at its end: （11月） / （3月-5月） / （1月、12月） / （全年）.
var parenTimeRE = regexp.MustCompile(`[(（]\s*([^()（）]{1,24}?)\s*[)）]\s*[。；;]?$`)

// yearParenRE is a bracketed time meaning all year.
var yearParenRE = regexp.MustCompile(`^(?:贯穿|持续)?(?:全年|全年度|常年)(?:持续|长期)?(?:推进|开展|进行)?$`)

var monthOnlyRE = regexp.MustCompile(`^(\d{1,2}|[一二三四五六七八九十]{1,3}|元)\s*月?(?:份)?$`)

// parenTimes reads a bracketed time without a day: one deadline per month named (the month's end),
// the end of a month range, or the year's end for 全年. Dates with days are left to extractDates.
func parenTimes(t string) []expr {
	m := parenTimeRE.FindStringSubmatch(t)
	if m == nil {
		return nil
	}
	c := strings.Join(strings.Fields(m[1]), "")
	if yearParenRE.MatchString(c) { // （全年）, （贯穿全年）, （全年持续推进）
		return []expr{{Kind: kYearEnd, Month: 12, Day: 31, By: true}}
	}
	if !strings.Contains(c, "月") || len(extractDates(c)) > 0 {
		return nil
	}
	if r := strings.FieldsFunc(c, func(r rune) bool { return strings.ContainsRune("-—–~至到", r) }); len(r) == 2 {
		a, b := monthOnlyRE.FindStringSubmatch(r[0]), monthOnlyRE.FindStringSubmatch(r[1])
		if a != nil && b != nil {
			m1, _ := parseNum(a[1])
			m2, _ := parseNum(b[1])
			if m1 >= 1 && m1 <= 12 && m2 >= 1 && m2 <= 12 {
				return []expr{{Kind: kRange, StartMonth: m1, StartDay: 1, Month: m2, Day: lastDay, By: true}}
			}
		}
		return nil
	}
	var out []expr
	for _, part := range strings.FieldsFunc(c, func(r rune) bool { return strings.ContainsRune("、,，和及", r) }) {
		mm := monthOnlyRE.FindStringSubmatch(part)
		if mm == nil {
			return nil
		}
		mo, _ := parseNum(mm[1])
		if mo < 1 || mo > 12 {
			return nil
		}
		out = append(out, expr{Kind: kDate, Month: mo, Day: lastDay, By: true})
	}
	return out
}

// stripParenTime drops a bracketed time without a day from an item's wording, so that editing
// （3月） to （4月） keeps the item's key.
func stripParenTime(t string) string {
	if len(parenTimes(t)) == 0 {
		return t
	}
	return parenTimeRE.ReplaceAllString(t, "")
}

// termWeeks reports whether the document's week cells run past 第5周: then they count the weeks
// of a term, and 第2周 is not the second week of a month.
func termWeeks(lines []srcLine) bool {
	for _, l := range lines {
		if !strings.Contains(l.Text, "周") {
			continue
		}
		for _, c := range strings.Split(cellSplit(l.Text), "\t") {
			if c = trimSpace(normalize(c)); weekLabelRE.MatchString(c) && weekNo(c) > 5 {
				return true
			}
		}
	}
	return false
}

// timeFieldRE is the time line of an item written as a block: 时间：3月8日（周五）下午3:00.
var timeFieldRE = regexp.MustCompile(`^(?:活动|会议|完成|截止|具体|培训)?(?:时间|日期|时限|期限|时间节点)\s*[:：]\s*(.+)$`)

// detailFieldRE is another line of such a block: 地点：… / 参加人员：… / 主讲：…
var detailFieldRE = regexp.MustCompile(`^(?:活动|会议|培训)?(?:地点|地址|参加人员|参加对象|参与人员|参会人员|对象|主讲|主讲人|主持|主持人|内容|负责人|责任人|负责部门|组织部门|承办|形式|要求)\s*[:：]`)

// fieldLine handles the field lines of an item written as a block (its name, then 时间：…,
// 地点：…): the time dates the item; the other fields describe it. It reports whether it took t.
func (p *parser) fieldLine(no int, t string) bool {
	if m := timeFieldRE.FindStringSubmatch(t); m != nil && (p.block != nil || p.inBlock || p.item != nil) {
		if e, ok := fieldDate(m[1]); ok && p.dateBlock(no, e) || p.recurBlock(no, trimSpace(m[1])) {
			p.inBlock = true
			return true
		}
	}
	if p.inBlock && detailFieldRE.MatchString(t) {
		p.problem(no, t, "事项的说明（地点、人员等），未生成事项 (a detail of the item above)")
		return true
	}
	p.inBlock = false
	p.flushBlock()
	return false
}

// fieldDate reads the date of a 时间： line.
func fieldDate(s string) (expr, bool) {
	s = trimSpace(s)
	if e, ok := deadlineCell(s); ok && e.Month != 0 {
		return e, true
	}
	es := extractDates(s)
	if len(es) == 0 || es[0].Pos != 0 || es[0].Month == 0 || (es[0].Kind != kDate && es[0].Kind != kRange) {
		return expr{}, false
	}
	return es[0], true
}

// dateBlock gives the date of a 时间： line to the block it belongs to: the numbered line before
// any month, or the last item when it has no date of its own.
func (p *parser) dateBlock(no int, e expr) bool {
	if b := p.block; b != nil {
		p.block = nil
		p.implicitPeriod(b.No, e.Month)
		n := len(p.cur.items)
		p.cellItems(b.No, b.Text, false)
		for _, it := range p.cur.items[n:] {
			if it.deadline == nil {
				it.deadline = &e
			}
		}
		return len(p.cur.items) > n
	}
	it := p.item
	if it == nil || it.deadline != nil || len(extractDates(it.text)) > 0 || p.cur == nil {
		return false
	}
	it.deadline = &e
	if p.cur.implicit && e.Month != p.cur.m1 { // the item belongs to the month of its date
		if i := len(p.cur.items) - 1; i >= 0 && p.cur.items[i] == it {
			if i > 0 { // 二、资金发放 over the item that moves: a category, as if the item still followed it
				prev := p.cur.items[i-1]
				prev.label = prev.label || prev.deadline == nil && prev.numbered && (prev.style == "7" || prev.style == "8") &&
					it.style != prev.style && isLabel(prev.text) && len(extractDates(prev.text)) == 0
			}
			p.cur.items = p.cur.items[:i]
			p.implicitPeriod(no, e.Month)
			p.cur.items = append(p.cur.items, it)
		}
	}
	p.item = nil
	return true
}

// recurBlock gives a recurring 完成时限 (每月10日前) to the block it belongs to: the item reads
// "每月10日前…" and recurs over the months the document's dated sections cover (spanItems).
func (p *parser) recurBlock(no int, when string) bool {
	es := extractDates(when)
	if len(es) != 1 || es[0].Pos != 0 || es[0].End != len(when) || (es[0].Kind != kMonthly && es[0].Kind != kWeekly) {
		return false
	}
	if b := p.block; b != nil {
		p.block = nil
		p.implicitPeriod(b.No, 0)
		p.cellItems(b.No, b.Text, false)
	}
	it := p.item
	if it == nil || it.deadline != nil || len(extractDates(it.text)) > 0 || p.cur == nil || !p.cur.implicit {
		return false
	}
	it.text, it.span, p.item = when+it.text, true, nil
	return true
}

// spanItems moves the items of recurring blocks into a period over the months the document's
// dated sections cover (a term's plan: 每月10日前 from its first month to its last).
func (p *parser) spanItems() {
	var span []*item
	var first, last *period
	for _, per := range p.periods {
		keep := per.items[:0]
		for _, it := range per.items {
			if it.span {
				span = append(span, it)
			} else {
				keep = append(keep, it)
			}
		}
		per.items = keep
		if per.year || len(keep) == 0 {
			continue
		}
		if first == nil || per.yo1*12+per.m1 < first.yo1*12+first.m1 {
			first = per
		}
		if last == nil || per.yo2*12+per.m2 > last.yo2*12+last.m2 {
			last = per
		}
	}
	if len(span) == 0 {
		return
	}
	per := &period{line: span[0].line, m1: 1, m2: 12, year: true, implicit: true, items: span}
	if first != nil {
		per = &period{line: span[0].line, m1: first.m1, yo1: first.yo1, m2: last.m2, yo2: last.yo2, implicit: true, items: span}
	}
	p.periods = append(p.periods, per)
}

// flushBlock reports a numbered line before any month that no 时间： line dated.
func (p *parser) flushBlock() {
	if b := p.block; b != nil {
		p.block = nil
		p.problem(b.No, b.Text, "编号事项不在任何月份之下 (numbered item before the first month heading)")
	}
}

// grid is the state of a calendar laid out as a grid: one row per week, a column per weekday
// holding the day of the month, the events in the columns after the days.
type grid struct {
	col   int // the column of Monday
	month int // the month of the last day read (0 before the first row)
	day   int
}

// weekdayHeadRE is a weekday column header: 一 / 周一 / 星期日.
var weekdayHeadRE = regexp.MustCompile(`^(?:星期|周|礼拜)?([一二三四五六日天])$`)

// gridMonthRE is the month cell of a grid row: 九月 / 八/九月 / 9月.
var gridMonthRE = regexp.MustCompile(`^(\d{1,2}|[一二三四五六七八九十]{1,3}|元)\s*(?:月份?)?(?:\s*[/、—-]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*)?月份?$`)

// weekGrid reads the rows of a calendar grid: its header row (seven weekday columns in order)
// starts it; each row's days give the week's last date, which dates the events after them (an
// event with its own date keeps it). It reports whether it took the line.
func (p *parser) weekGrid(l srcLine, cells []string) bool {
	norm := make([]string, len(cells))
	for i, c := range cells {
		norm[i] = strings.Join(strings.Fields(normalize(c)), "")
	}
	if col := weekdayColumns(norm); col >= 0 {
		p.grid = &grid{col: col}
		return true
	}
	g := p.grid
	if g == nil {
		return false
	}
	col := dayRun(norm, g.col)
	if col < 0 {
		p.grid = nil
		return false
	}
	m := g.month
	if m == 0 {
		for _, c := range norm[:col] {
			if mm := gridMonthRE.FindStringSubmatch(c); mm != nil {
				m, _ = parseNum(mm[1])
			}
		}
	}
	d, seen := g.day, false
	for _, c := range norm[col : col+7] {
		if c == "" {
			continue
		}
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 || n > 31 {
			p.grid = nil
			return false
		}
		if n < d && m > 0 { // 29 30 31 1: the next month
			if m++; m > 12 {
				m = 1
			}
		}
		d, seen = n, true
	}
	if !seen || m < 1 || m > 12 {
		p.grid = nil
		return false
	}
	g.month, g.day = m, d
	end := expr{Kind: kDate, Month: m, Day: d, By: true}
	p.implicitPeriod(l.No, m)
	for _, c := range norm[col+7:] {
		if c == "" {
			continue
		}
		n := len(p.cur.items)
		for _, part := range calendarEvents(c) {
			p.cellItems(l.No, trimSpace(part), false)
		}
		for _, it := range p.cur.items[n:] {
			if it.deadline == nil {
				it.deadline = &end
			}
		}
	}
	return true
}

// dayRun is where a grid row's seven days stand: at the header's column when they read as days
// there, else the first run of seven days that follow one another (a row that lost its blank
// month cell when the table was copied with spaces); -1 if none.
func dayRun(cells []string, col int) int {
	run := func(i int) bool {
		if i < 0 || i+7 > len(cells) {
			return false
		}
		prev := 0
		for _, c := range cells[i : i+7] {
			if c == "" {
				prev = 0
				continue
			}
			n, err := strconv.Atoi(c)
			if err != nil || n < 1 || n > 31 || prev != 0 && n != prev+1 && n != 1 {
				return false
			}
			prev = n
		}
		return true
	}
	if run(col) {
		return col
	}
	for i := range cells {
		if run(i) {
			return i
		}
	}
	return -1
}

// weekdayColumns is the column of Monday in a header row naming the seven weekdays in order, or -1.
func weekdayColumns(cells []string) int {
	for i := 0; i+7 <= len(cells); i++ {
		ok := true
		for k, want := range []string{"一", "二", "三", "四", "五", "六", "日"} {
			m := weekdayHeadRE.FindStringSubmatch(cells[i+k])
			if m == nil || (m[1] != want && !(want == "日" && m[1] == "天")) {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// noteHeadRE is a heading over remarks: 说明： / 注： / 三、工作要求
var noteHeadRE = regexp.MustCompile(`^(?:[一二三四五六七八九十]{1,3}\s*、\s*)?(?:说明|注|备注|附注|注意事项|有关要求|工作要求)\s*[:：]?$`)

// noteLine keeps a heading over remarks and the numbered remarks under it as notes.
func (p *parser) noteLine(t string) bool {
	if p.inTable {
		return false
	}
	if noteHeadRE.MatchString(t) {
		p.notes, p.inNotes, p.item = append(p.notes, t), true, nil
		return true
	}
	if _, _, numbered := marker(t); p.inNotes && numbered {
		p.notes = append(p.notes, t)
		return true
	}
	p.inNotes = false
	return false
}

// trailingDate is the date of a table row whose time cell follows its work (序号 | 工作内容 | 完成时间).
func trailingDate(cells []string) (expr, bool) {
	work := false
	for _, c := range cells {
		t := trimSpace(normalize(c))
		if t == "" || isSeqNo(t) || isHeader(t) {
			continue
		}
		if e, ok := deadlineCell(t); ok {
			return e, work && e.Month != 0
		}
		if !hasWords(t) {
			continue
		}
		if _, heading := parseHeading(t); !work && heading {
			return expr{}, false // a month column before the work: headings
		}
		work = true
	}
	return expr{}, false
}
