package plan

// The shapes of schedule other offices write besides month sections: term calendars (校历/行事历)
// with week rows, date-led rows, a one-month arrangement whose month is only in the title, web
// page residue around a copied plan, and the signature (落款) that dates a plan without a year in
// its title.

import (
	"regexp"
	"strings"
	"unicode/utf8"
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
var webRE = regexp.MustCompile(`版权所有|ICP\s*备|浏览次数|点击次数|阅读次数|点击数|发布时间|发布日期|发稿时间|来源\s*[:：]|作者\s*[:：]|Copyright|©|首页\s*[>＞»/]|当前位置|所在位置|用户上传|文库|请访问|欢迎访问|更多.{0,6}(?:资料|精彩|内容)|扫一扫|二维码|分享到`)

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
// office's name before it. It returns the line numbers to skip and the signature's year.
func signature(lines []srcLine) (skip map[int]bool, year int) {
	i := len(lines) - 1
	for i >= 0 && (trimSpace(lines[i].Text) == "" || webLine(trimSpace(normalize(lines[i].Text)))) {
		i--
	}
	if i < 0 {
		return nil, 0
	}
	t := strings.Join(strings.Fields(normalize(lines[i].Text)), "")
	m := sigDateRE.FindStringSubmatch(t)
	if m == nil {
		return nil, 0
	}
	y := yearOf(m[1])
	if y < 1900 || y > 2100 {
		return nil, 0
	}
	skip = map[int]bool{lines[i].No: true}
	for j, n := i-1, 0; j >= 0 && n < 2; j-- {
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
		skip[lines[j].No] = true
		n++
	}
	return skip, y
}

// cellSplit turns the other ways a plain-text table separates its cells into tabs: "|" / "｜",
// and " / " when a line has at least two of them (第10周 / 11月1日至11月7日 / 段考).
func cellSplit(s string) string {
	if strings.ContainsAny(s, "|｜") {
		s = strings.NewReplacer("|", "\t", "｜", "\t").Replace(s)
	}
	if strings.Count(s, " / ") >= 2 {
		s = strings.ReplaceAll(s, " / ", "\t")
	}
	return s
}

// weekLabelRE is the week cell of a term calendar: 第一周 / 第10周 / 第十八周次.
var weekLabelRE = regexp.MustCompile(`^第\s*(?:\d{1,2}|[一二三四五六七八九十廿]{1,3})\s*(?:周|教学周)(?:次)?$`)

// holidayRE is a holiday written where the work goes: 1-2月 寒假 / 国庆节放假 / 暑假.
var holidayRE = regexp.MustCompile(`^(?:(?:\d{1,2}|[一二三四五六七八九十元]{1,3})\s*(?:[-—–~至到]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3}))?\s*月(?:份)?\s*)?[\p{Han}]{0,6}(?:放假|寒假|暑假|假期|休假|调休)(?:\s*[(（][^()（）]{0,20}[)）])?$`)

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
	if len(extractDates(t)) > 0 || strings.HasPrefix(after, "至") || strings.HasPrefix(after, "到") ||
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
