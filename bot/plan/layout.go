package plan

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

const reCnMonth = `(?:元|正|\d{1,2}|[一二三四五六七八九十]{1,3})`

// headingRE matches a month heading that fills a cell: 一、一月 / 三月份 / 5月 / 七至八月份 /
// 元月至二月份 / 1-2月 / 2020年3月工作安排; text after "：" or a run of spaces is the cell's content.
var headingRE = regexp.MustCompile(`^(?:[一二三四五六七八九十]{1,3}\s*[、.]|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}\s*[、.]|第[一二三四五六七八九十]+(?:部分|阶段)?\s*[、:：]?)?\s*[【\[〔]?\s*` +
	`(?:` + reYear + `\s*年\s*)?(` + reCnMonth + `)\s*(月?)(?:份)?` +
	`(?:\s*(?:至|到|-|—|–|~|、|和)\s*(?:` + reYear + `\s*年\s*)?(` + reCnMonth + `)\s*月)?` +
	`\s*(?:份)?\s*(?:(?:的)?` + reDept + `?(?:主要|重点)?工作(?:计划|安排|要点|重点|任务)?|计划|安排|任务|要点)?\s*[】\]〕]?\s*(?:[(（][^()（）]{0,40}[)）])?\s*` +
	`(?:[:：]\s*(.*)|\s{2,}(.*)|$)`)

// reDept is an office's line of work named in a month heading: 三月份德育工作重点.
const reDept = `(?:德育|教学|教务|安全|工会|教研|少先队|团委|团队|保教|保育|后勤|资助|卫生|体育|艺术|党建|总务|政教|学生|科研|宣传|办公室)`

// quarterRE matches a quarter heading (three months): 第一季度 / 一季度工作安排： / 第二季度（4—6月）/
// 2022年第三季度.
var quarterRE = regexp.MustCompile(`^(?:[一二三四]\s*[、.]\s*|[(（][一二三四][)）]\s*)?[【\[〔]?\s*(?:(\d{4})\s*年\s*)?第?\s*([一二三四1-4])\s*季度\s*` +
	`(?:[(（][^()（）]{0,40}[)）])?\s*(?:(?:的)?(?:主要|重点)?工作(?:计划|安排|要点|重点|任务)?|计划|安排|任务|要点)?\s*[】\]〕]?\s*(?:[(（][^()（）]{0,40}[)）])?\s*` +
	`(?:[:：]\s*(.*)|\s{2,}(.*)|$)`)

// halfRE matches 全年 / 上半年 / 下半年 headings (a section for the whole year or half of it), and
// 常态化工作 / 日常工作 / 长期工作 (work that runs all year).
var halfRE = regexp.MustCompile(`^(?:[一二三四五六七八九十]{1,3}\s*[、.]\s*|[(（][一二三四五六七八九十]{1,3}[)）]\s*)?[【\[〔]?\s*` +
	`(全年|上半年|下半年|(?:常态化|日常性?|常规性?|长期性?|经常性)(?:工作|事项|任务))\s*` +
	`(?:(?:常态化|常规性?|日常性?|经常性|长期性?|重点|主要)?(?:工作|事项|任务)(?:计划|安排|要点|任务|事项)?)?\s*[】\]〕]?\s*(?:[(（][^()（）]{0,40}[)）])?\s*` +
	`(?:[:：]\s*(.*)|\s{2,}(.*)|$)`)

// heading is a parsed month heading.
type heading struct {
	m1, m2  int // first and last month, 1…12
	y1, y2  int // explicit years, 0 when not written
	rest    string
	theme   string // 主题：… after the month: the month's theme, not work
	year    bool   // 全年/上半年/下半年: a section of the plan's own year, wherever it is written
	routine bool   // 常态化工作/日常工作: all year, unless it sits between two months (then it is the month's)
}

func parseHeading(t string) (heading, bool) {
	if !strings.ContainsAny(t, "月季年常长经") {
		return heading{}, false
	}
	if b := strings.TrimLeft(t, "■□◆◇●○★☆▲△►▶•·◎※ "); b != t && b != "" { // ■三月份
		if h, ok := parseHeading(b); ok {
			return h, true
		}
	}
	if loc := urlTailRE.FindStringIndex(t); loc != nil && loc[0] > 0 { // 3月份 www.example.com: a watermark
		if h, ok := parseHeading(trimSpace(t[:loc[0]])); ok && h.rest == "" {
			return h, true
		}
	}
	if i := strings.Index(t, "主题"); i > 0 { // 二月主题：新起点 / 三月份 活动主题：…
		pre := strings.TrimRight(t[:i], " ")
		for _, w := range []string{"活动", "德育", "教育", "工作", "本月"} {
			pre = strings.TrimRight(strings.TrimSuffix(pre, w), " ")
		}
		if h, ok := parseHeading(pre); ok && h.rest == "" && themeRE.MatchString(trimSpace(t[len(pre):])) {
			h.theme = trimSpace(t[len(pre):])
			return h, true
		}
	}
	if m := halfRE.FindStringSubmatch(t); m != nil {
		switch {
		case strings.HasPrefix(m[1], "上"):
			return heading{m1: 1, m2: 6, rest: m[2] + m[3], year: true}, true
		case strings.HasPrefix(m[1], "下"):
			return heading{m1: 7, m2: 12, rest: m[2] + m[3], year: true}, true
		}
		return heading{m1: 1, m2: 12, rest: m[2] + m[3], year: true, routine: !strings.HasPrefix(m[1], "全")}, true
	}
	if m := quarterRE.FindStringSubmatch(t); m != nil {
		q, ok := parseNum(m[2])
		if !ok || q < 1 || q > 4 {
			return heading{}, false
		}
		return heading{m1: 3*q - 2, m2: 3 * q, y1: yearOf(m[1]), rest: m[3] + m[4]}, true
	}
	m := headingRE.FindStringSubmatch(t)
	if m == nil {
		return heading{}, false
	}
	if m[3] == "" && m[5] == "" { // "七" alone is no month; "七至八月份" is
		return heading{}, false
	}
	m1, ok1 := parseNum(m[2])
	m2, ok2 := m1, true
	if m[5] != "" {
		m2, ok2 = parseNum(m[5])
	}
	if !ok1 || !ok2 || m1 < 1 || m1 > 12 || m2 < 1 || m2 > 12 {
		return heading{}, false
	}
	return heading{m1: m1, m2: m2, y1: yearOf(m[1]), y2: yearOf(m[4]), rest: m[6] + m[7]}, true
}

// markerRE matches the numbering that starts an item: 1. 1、 (1) （1） 1) ① ⑴ ⒈ （一） 一、 and bullets.
var markerRE = regexp.MustCompile(`^(?:(\d{1,2})\s*[.、，,。]|[(（]\s*(\d{1,2})\s*[)）]|(\d{1,2})\s*[)）]|([①-⑳])|([⑴-⒇])|([⒈-⒛])|[(（]([一二三四五六七八九十]{1,3})[)）]|([一二三四五六七八九十]{1,3})\s*、|([•·●◆◇■□★☆▪▸►√✓✔☑☐◎]))\s*`)

// marker returns the length of the numbering at the start of s and its number (0 for a bullet).
func marker(s string) (n, value int, ok bool) {
	m := markerRE.FindStringSubmatchIndex(s)
	if m == nil {
		return 0, 0, false
	}
	for g := 1; g <= 9; g++ {
		if m[2*g] < 0 {
			continue
		}
		v := s[m[2*g]:m[2*g+1]]
		r, _ := utf8.DecodeRuneInString(v)
		switch g {
		case 4:
			value = int(r-'①') + 1
		case 5:
			value = int(r-'⑴') + 1
		case 6:
			value = int(r-'⒈') + 1
		case 9:
			value = 0
		default:
			value, _ = parseNum(v)
		}
		return m[1], value, true
	}
	return m[1], 0, true
}

// boundaryRE finds where a new item may start inside a line: after a run of spaces (an
// ideographic space counts as two) or after ；。
var boundaryRE = regexp.MustCompile(`\s{2,}|[；;。]\s*|\s`)

// afterOneSpace reports whether a number after a single space starts an item: "1.开学典礼 2.评选",
// "2.9月10日庆祝" — but not "2.5万元" (a decimal) nor a marker other than "N." / "N、".
func afterOneSpace(rest string, n int) bool {
	st := markerStyle(rest)
	if st != "1." && st != "1、" {
		return false
	}
	after := rest[n:]
	if after == "" || after[0] < '0' || after[0] > '9' {
		return true
	}
	i := 0
	for i < len(after) && after[i] >= '0' && after[i] <= '9' {
		i++
	}
	return strings.HasPrefix(after[i:], "月")
}

// segment is a piece of a line: one item, or text that continues one.
type segment struct {
	text     string
	numbered bool
	style    string // the kind of numbering (markerStyle)
}

// markerStyle tells numbering kinds apart: "1." and "1、" are different levels of one list.
func markerStyle(s string) string {
	m := markerRE.FindStringSubmatchIndex(s)
	if m == nil {
		return ""
	}
	for g := 1; g <= 9; g++ {
		if m[2*g] < 0 {
			continue
		}
		if g == 1 {
			p := trimSpace(s[m[3]:m[1]])
			if p == "。" {
				p = "."
			}
			return "1" + p
		}
		return string(rune('0' + g))
	}
	return ""
}

// splitItems cuts a cell into items. A numbered item starts at the cell's start, or after a run
// of spaces or a ；/。 when its number follows the previous one (so "1.1月16日前" and "第2.5项" stay whole).
func splitItems(t string, last *int) []segment { return splitCell(t, last, false) }

// splitCell is splitItems for a table cell when oneSpace is set: a flattened Word cell keeps only
// one space between its numbered paragraphs ("1.开学典礼 2.9月10日庆祝教师节"), so there a single
// space before the next number in sequence separates items too (not before "2.5万元").
func splitCell(t string, last *int, oneSpace bool) []segment {
	var out []segment
	start, numbered, style := 0, false, ""
	if n, v, ok := marker(t); ok {
		start, numbered, style = n, true, markerStyle(t)
		if v > 0 {
			*last = v
		}
	}
	from := start
	for from < len(t) {
		loc := boundaryRE.FindStringIndex(t[from:])
		if loc == nil {
			break
		}
		end := from + loc[1]
		from = end
		if loc[1] == loc[0] || end >= len(t) {
			continue
		}
		n, v, ok := marker(t[end:])
		if !ok || v == 0 || v != *last+1 || (loc[1]-loc[0] == 1 && t[from-1] == ' ' && (!oneSpace || !afterOneSpace(t[end:], n))) {
			continue
		}
		out = append(out, segment{t[start:end], numbered, style})
		*last = v
		start, numbered, from, style = end+n, true, end+n, markerStyle(t[end:])
	}
	out = append(out, segment{t[start:], numbered, style})
	return out
}

// headerWords are table column headers: recognised and skipped.
var headerWords = map[string]bool{
	"时序": true, "时间": true, "月份": true, "序号": true, "主要工作项目内容": true, "主要工作内容": true,
	"工作内容": true, "主要工作": true, "工作项目": true, "工作任务": true, "具体工作": true, "项目内容": true,
	"完成时间": true, "完成工作时间": true, "完成时限": true, "时限": true, "时间节点": true, "责任人": true,
	"责任科室": true, "责任单位": true, "责任部门": true, "备注": true, "内容": true, "项目": true,
	"任务内容": true, "重点任务": true, "具体任务": true, "任务名称": true, "工作事项": true, "工作要求": true,
	"工作措施": true, "时间安排": true, "完成时间节点": true, "进度安排": true, "牵头科室": true, "牵头单位": true,
	"牵头部门": true, "配合科室": true, "配合单位": true, "责任领导": true, "分管领导": true, "责任股室": true,
	"任务": true, "完成期限": true, "截止时间": true, "工作目标": true, "具体内容": true, "主要内容": true,
	"具体措施": true, "工作类别": true, "活动名称": true, "项目名称": true, "工作名称": true, "名称": true,
	"会议名称": true, "活动项目": true,
	// the columns of school calendars (校历/行事历) and weekly tables
	"周次": true, "周": true, "日期": true, "起止日期": true, "起止时间": true, "星期": true, "责任处室": true,
	"负责处室": true, "负责部门": true, "负责人": true, "参加人员": true, "参加对象": true, "地点": true,
	"主要工作安排": true, "工作安排": true, "活动安排": true, "活动内容": true, "主要活动": true, "重点工作": true,
	"工作重点": true, "教育主题": true, "活动主题": true, "主题": true, "类别": true, "承办部门": true,
}

func isHeader(t string) bool {
	return headerWords[strings.Join(strings.Fields(t), "")]
}

// noteRE matches a plan note: 注：… / 备注：…
var noteRE = regexp.MustCompile(`^(?:注|备注|附注)\s*[:：]|^(?:本周|本月|当日)?(?:值周|值班|带班)?(?:领导|负责人|联系人|联系电话)\s*[:：]\s*\S{1,12}$`)

// leaderRE is a run of leader dots between the work and its date.
var leaderRE = regexp.MustCompile(`(?:…{3,}|\.{4,}|·{4,})`)

// cleanTitle drops surrounding separators and collapses runs of white space.
func cleanTitle(s string) string {
	if strings.Contains(s, "……") || strings.Contains(s, "...") {
		s = leaderRE.ReplaceAllString(s, " ") // 开学典礼…………9月2日: the leader dots of a printed programme
	}
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimRight(s, "；;。，,、:： ")
	return strings.TrimLeft(s, "，,、；;。:： ")
}
