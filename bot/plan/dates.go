package plan

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// exprKind tells what a date expression in plan text means.
type exprKind int

const (
	kDate        exprKind = iota + 1 // a deadline: "5月25日前", "3月底", or "28日前"/"下旬" (Month 0: the period's month)
	kMonthly                         // "每月20日前": the day in every month of the period
	kWeekly                          // "每周五前": the weekday in every week of the period
	kRange                           // "7月1日至8月31日": a start and a deadline
	kYearEnd                         // "年底前": December 31
	kQuarterly                       // "每季度末": a day in one month of every quarter of the period
	kQuarterEnd                      // "一季度末前" (Month set) or "季度末前" (Month 0: the period's quarter)
	kWeekOfMonth                     // "第二周为应急演练周": the Friday of that week of the month (Month 0: the period's)
)

// lastDay stands for "the month's last day" (月底, 月末, 下旬); clamping turns it into 28…31.
const lastDay = 99

// expr is one date expression found in a line of plan text.
type expr struct {
	Kind       exprKind
	Year       int  // explicit year, 0 when not written
	StartYear  int  // kRange: the start's explicit year
	Month      int  // 1…12, 0 when relative to the period
	Day        int  // 1…31 or lastDay
	StartMonth int  // kRange: 0 when relative
	StartDay   int  // kRange
	Weekday    int  // kWeekly: 0 = Sunday
	Weekdays   int  // kWeekly: a bit per weekday (每周二、周四: two)
	QMonth     int  // kQuarterly: the month of each quarter, 1…3; 4 = the month after the quarter
	Pos, End   int  // byte span in the text
	Week       int  // kWeekOfMonth: 1…5
	Months     bool // whole months (11月—12月, 3月份): a heading when it fills a line
	Fest       bool // a day named in the wording ("3.22世界水日"): the row's own date, if it has one, wins
	By         bool // written as a deadline (…前, 月底, 下旬, 每月…, a range), not a bare date ("9月1日开学后")
}

const (
	reN    = `(\d{1,2}|[一二三四五六七八九十廿两〇零]{1,3})`
	reMo   = `(\d{1,2}|[一二三四五六七八九十]{1,3}|元|正)`
	reY    = `(?:(\d{4})\s*年\s*)?`
	reDay  = `\s*[日号]`
	reBy   = `(?:之前|以前|前|止)?`
	reTo   = `\s*(?:至|到|--?|——?|–|~|－)\s*`
	rePart = `(上中旬|中下旬|上旬|中旬|下旬|上半月|下半月|底|末|初)`
	reQ    = `(?:第)?([一二三四1-4])\s*季度`
)

// exprParts are tried leftmost-first, in this order at the same position.
var exprParts = []struct {
	name string
	re   string
}{
	{"range", reY + reMo + `\s*月\s*` + reN + `(?:\s*[日号])?` + reTo + `(?:` + reY + reMo + `\s*月\s*)?` + reN + reDay + reBy},
	{"partrange", reY + reMo + `\s*月(?:份)?\s*(上旬|中旬|下旬|初|底|末)` + reTo + `(?:` + reMo + `\s*月(?:份)?\s*)?(上旬|中旬|下旬|初|底|末)` + reBy},
	{"monthrange", reY + reMo + `(\s*月(?:份)?)?` + reTo + `(?:` + reY + reMo + `\s*月|` + reMo + `\s*月)(?:份)?(?:底|末)?` + reBy},
	{"monthly", `每(?:个)?月(?:的)?\s*(?:` + reN + reDay + `|` + rePart + `)` + reBy},
	{"quarterly", `每(?:个)?季(?:度)?(?:的)?\s*(?:(末|底)|(?:(首月|第一个月|初)|(最后一个月|末月)|(结束后|终了后))?\s*` + reN + `\s*(?:[日号]|个工作日|天))(?:之前|以前|前|内|以内|止)?`},
	{"quarterend", reQ + `\s*(?:末|底)` + reBy},
	{"weekly", `每(?:个)?(?:周|星期|礼拜)(?:的)?(?:周|星期)?([一二三四五六日天1-7])((?:\s*[、和及]\s*(?:周|星期)?[一二三四五六日天])*)` + reBy + `([次个遍]?)`},
	{"monthpart", reY + reMo + `\s*月(?:份)?\s*` + rePart + reBy},
	{"date", reY + reMo + `\s*月\s*` + reN + reDay + reBy + `(起|开始|以后|之后|后)?`},
	{"isorange", `(\d{4})[-./](\d{1,2})[-./](\d{1,2})` + reTo + `(?:(\d{4})[-./])?(?:(\d{1,2})[-./])?(\d{1,2})` + reBy},
	{"iso", `(\d{4})[-./](\d{1,2})[-./](\d{1,2})` + reBy},
	{"dayrange", reN + reDay + reTo + reN + reDay + reBy},
	{"day", reN + reDay + `(?:之前|以前|前|止)`},
	{"barepart", `(?:本月|当月)?(上中旬|中下旬|上旬|中旬|下旬|上半月|下半月|月底|月末|月初|月中)` + reBy},
	{"monthin", `(?:本月|当月)(?:内|以内)`},
	{"barequarter", `(?:本季度|当季度|季度|季)(?:末|底)` + reBy},
	{"yearend", `(?:年底|年末)` + reBy},
	{"dotrange", `(\d{1,2})[.．](\d{1,2})\s*(?:-{1,2}|—{1,2}|–|~|至|到)\s*(?:(\d{1,2})[.．])?(\d{1,2})`},
	{"dotdate", `[(（]\s*(\d{1,2})\.(\d{1,2})\s*(?:前|之前|以前)?\s*[)）]`},
	{"weekofmonth", `(?:` + reMo + `\s*月(?:份)?(?:的|开学|开学后)?)?第\s*([一二三四五1-5])\s*(?:周|个星期|星期)`},
	{"monthonly", reY + reMo + `\s*月份`},
}

// exprSet is some of exprParts combined into one expression.
type exprSet struct {
	re     *regexp.Regexp
	parts  []int // index into exprParts of each alternative
	offset []int // index of each alternative's wrapping group in re
}

func newExprSet(quarter bool) exprSet {
	var set exprSet
	var b strings.Builder
	group := 1
	for i, p := range exprParts {
		if isQuarter := strings.Contains(p.name, "quarter"); isQuarter != quarter {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString("(" + p.re + ")")
		set.parts = append(set.parts, i)
		set.offset = append(set.offset, group)
		group += 1 + regexp.MustCompile(p.re).NumSubexp()
	}
	set.re = regexp.MustCompile(b.String())
	return set
}

// The quarter expressions are matched apart, only in text that mentions a quarter: each
// alternative makes every match of the combined expression slower.
var (
	exprBase    = newExprSet(false)
	exprQuarter = newExprSet(true)
)

// extractDates finds the date expressions in s (already normalised), left to right.
// Numbers out of range (13月, 32日) and "9月1日起" (a start, not a deadline) are skipped.
func extractDates(s string) []expr {
	if !mayHaveDate(s) {
		return festDates(s, nil)
	}
	out := festDates(s, exprBase.find(s))
	if strings.Contains(s, "季度") || strings.Contains(s, "季末") || strings.Contains(s, "季底") {
		if qs := exprQuarter.find(s); len(qs) > 0 { // a quarter expression wins over a date inside it
			var merged []expr
			for _, e := range out {
				if !overlaps(e, qs) {
					merged = append(merged, e)
				}
			}
			out = append(merged, qs...)
			sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
		}
	}
	return out
}

func overlaps(e expr, es []expr) bool {
	for _, f := range es {
		if e.Pos < f.End && f.Pos < e.End {
			return true
		}
	}
	return false
}

// capture is one match of an exprSet: the groups of the alternative that matched.
type capture struct {
	s   string
	m   []int
	off int // index of the alternative's wrapping group
}

// g is the k-th group inside the alternative, 1-based; "" when it did not take part.
func (c capture) g(k int) string {
	i := 2 * (c.off + k)
	if c.m[i] < 0 {
		return ""
	}
	return c.s[c.m[i]:c.m[i+1]]
}

// num is the k-th group as a number, -1 when it is none.
func (c capture) num(k int) int { return numOr(c.g(k)) }

// partReaders fill an expression from a match of the exprPart of that name; false skips the match.
var partReaders = map[string]func(e *expr, c capture) bool{
	"range": func(e *expr, c capture) bool {
		e.Kind, e.StartYear, e.StartMonth, e.StartDay, e.Month, e.Day = kRange, yearOf(c.g(1)), c.num(2), c.num(3), c.num(5), c.num(6)
		e.Year = e.StartYear
		if c.g(4) != "" { // 12月28日至2016年1月3日
			e.Year = yearOf(c.g(4))
		}
		if c.g(5) == "" {
			e.Month = e.StartMonth
		}
		return true
	},
	"monthrange": func(e *expr, c capture) bool { // 11月—12月, 7月-8月底: from the first's 1st to the last's end
		if after := c.s[c.m[1]:]; after != "" && after[0] >= '0' && after[0] <= '9' {
			return false // 3月—4月15日
		}
		if c.g(3) == "" && c.m[0] > 0 && strings.ContainsRune("0123456789.", rune(c.s[c.m[0]-1])) {
			return false // 2023-12月, 1.5-2月: not 7—8月
		}
		e.Kind, e.StartYear, e.StartMonth, e.StartDay, e.Day = kRange, yearOf(c.g(1)), c.num(2), 1, lastDay
		e.Year, e.Month = yearOf(c.g(4)), c.num(5)
		if c.g(5) == "" {
			e.Month = c.num(6)
		}
		if e.Year == 0 {
			e.Year = e.StartYear
		}
		e.Months = true
		return e.StartMonth >= 1 && e.Month >= 1
	},
	"monthly": func(e *expr, c capture) bool {
		e.Kind, e.Day = kMonthly, c.num(1)
		if c.g(2) != "" {
			e.Day = partDay(c.g(2))
		}
		return true
	},
	"weekly": func(e *expr, c capture) bool {
		e.Kind = kWeekly
		e.Weekday, _ = weekdayOf(c.g(1))
		e.Weekdays = 1 << e.Weekday
		if !strings.HasPrefix(c.s[c.m[1]:], "年") { // 每周二、周四 (not 每周一、二年级)
			for _, r := range c.g(2) {
				if wd, ok := weekdayOf(string(r)); ok && r > 0x2fff {
					e.Weekdays |= 1 << wd
				}
			}
		}
		return c.g(3) == "" // "每周一次": once a week, not Monday
	},
	"quarterly": func(e *expr, c capture) bool {
		e.Kind, e.QMonth, e.Day = kQuarterly, 1, c.num(5)
		switch {
		case c.g(1) != "":
			e.QMonth, e.Day = 3, lastDay
		case c.g(3) != "":
			e.QMonth = 3
		case c.g(4) != "":
			e.QMonth = 4
		}
		return true
	},
	"quarterend": func(e *expr, c capture) bool {
		q, _ := parseNum(c.g(1))
		e.Kind, e.Month, e.Day = kQuarterEnd, 3*q, lastDay
		return true
	},
	"monthin": func(e *expr, _ capture) bool {
		e.Kind, e.Day = kDate, lastDay
		return true
	},
	"barequarter": func(e *expr, _ capture) bool {
		e.Kind, e.Day = kQuarterEnd, lastDay
		return true
	},
	"monthpart": func(e *expr, c capture) bool {
		e.Kind, e.Year, e.Month, e.Day = kDate, yearOf(c.g(1)), c.num(2), partDay(c.g(3))
		return true
	},
	"date": func(e *expr, c capture) bool {
		e.Kind, e.Year, e.Month, e.Day = kDate, yearOf(c.g(1)), c.num(2), c.num(3)
		return c.g(4) == "" // "9月1日起": not a deadline
	},
	"isorange": func(e *expr, c capture) bool { // 2024.09.02-2024.09.06, 2024.09.23—09.27
		e.Kind, e.StartYear, e.StartMonth, e.StartDay = kRange, yearOf(c.g(1)), c.num(2), c.num(3)
		e.Year, e.Month, e.Day = yearOf(c.g(4)), c.num(5), c.num(6)
		if e.Year == 0 {
			e.Year = e.StartYear
		}
		if c.g(5) == "" {
			e.Month = e.StartMonth
		}
		return e.StartMonth >= 1 && e.Month >= 1
	},
	"monthonly": func(e *expr, c capture) bool { // 3月份开展春季认定: by the month's end
		if after := c.s[c.m[1]:]; strings.HasPrefix(after, "至") || strings.HasPrefix(after, "到") || strings.HasPrefix(after, "-") ||
			strings.HasPrefix(after, "—") || strings.HasPrefix(after, "~") || after != "" && after[0] >= '0' && after[0] <= '9' {
			return false
		}
		e.Kind, e.Year, e.Month, e.Day, e.Months = kDate, yearOf(c.g(1)), c.num(2), lastDay, true
		return e.Month >= 1
	},
	"iso": func(e *expr, c capture) bool {
		e.Kind, e.Year, e.Month, e.Day = kDate, yearOf(c.g(1)), c.num(2), c.num(3)
		return true
	},
	"dayrange": func(e *expr, c capture) bool {
		e.Kind, e.StartDay, e.Day = kRange, c.num(1), c.num(2)
		return true
	},
	"day": func(e *expr, c capture) bool {
		e.Kind, e.Day = kDate, c.num(1)
		return true
	},
	"barepart": func(e *expr, c capture) bool {
		e.Kind, e.Day = kDate, partDay(strings.TrimPrefix(c.g(1), "月"))
		if after := c.s[c.m[1]:]; c.g(1) == "月中" && strings.ContainsAny(firstRune(after), "小学心专职高初国") {
			return false // 本月中小学…: not the middle of the month
		}
		return true
	},
	"yearend": func(e *expr, _ capture) bool {
		e.Kind, e.Month, e.Day = kYearEnd, 12, 31
		return true
	},
	"dotrange": func(e *expr, c capture) bool { // 10.16~10.20 in the wording; not 1.5-2.0万元
		if c.m[0] > 0 && strings.ContainsRune("0123456789.", rune(c.s[c.m[0]-1])) {
			return false
		}
		if after := c.s[c.m[1]:]; after != "" && (strings.ContainsRune("0123456789.%", rune(after[0])) || strings.ContainsAny(firstRune(after), "万元亿倍个米吨")) {
			return false
		}
		e.Kind, e.StartMonth, e.StartDay, e.Month, e.Day = kRange, c.num(1), c.num(2), c.num(3), c.num(4)
		if c.g(3) == "" {
			e.Month = e.StartMonth
		}
		return e.StartMonth >= 1 && e.Month >= 1
	},
	"partrange": func(e *expr, c capture) bool { // 2月下旬—3月上旬: by the end of the second part
		e.Kind, e.Year, e.StartYear, e.StartMonth, e.Month, e.Day = kRange, yearOf(c.g(1)), yearOf(c.g(1)), c.num(2), c.num(4), partDay(c.g(5))
		if c.g(4) == "" {
			e.Month = e.StartMonth
		}
		e.StartDay = map[string]int{"上旬": 1, "初": 1, "中旬": 11, "下旬": 21, "底": 21, "末": 21}[c.g(3)]
		return e.StartMonth >= 1 && e.Month >= 1
	},
	"dotdate": func(e *expr, c capture) bool { // 教师节表彰大会（9.10）
		e.Kind, e.Month, e.Day = kDate, c.num(1), c.num(2)
		return e.Month >= 1
	},
	"weekofmonth": func(e *expr, c capture) bool {
		if c.m[0] > 0 && strings.HasSuffix(c.s[:c.m[0]], "每") { // 每第…: not a week of the month
			return false
		}
		if after := c.s[c.m[1]:]; after != "" && (after[0] >= '0' && after[0] <= '9' || strings.HasPrefix(after, "至") || strings.HasPrefix(after, "-")) {
			return false // 第1-2周, 第2周至第4周: term weeks
		}
		e.Kind, e.Month, e.Week = kWeekOfMonth, 0, c.num(2)
		if c.g(1) != "" {
			e.Month = c.num(1)
		}
		e.Day = min(7*e.Week, 31) // orders it among the month's other dates
		return true
	},
}

// find returns the expressions of the set in s, left to right.
func (set exprSet) find(s string) []expr {
	var out []expr
	for _, m := range set.re.FindAllStringSubmatchIndex(s, -1) {
		alt := -1
		for i, off := range set.offset {
			if m[2*off] >= 0 {
				alt = i
				break
			}
		}
		if alt < 0 {
			continue
		}
		name := exprParts[set.parts[alt]].name
		e := expr{Pos: m[0], End: m[1]}
		if !partReaders[name](&e, capture{s, m, set.offset[alt]}) || !e.valid() {
			continue
		}
		text := s[e.Pos:e.End]
		e.By = e.Kind != kDate || e.Kind == kWeekOfMonth || name == "monthin" || name == "monthonly" || strings.HasSuffix(text, "前") || strings.HasSuffix(text, "止") ||
			strings.HasSuffix(text, "底") || strings.HasSuffix(text, "末") || strings.HasSuffix(text, "旬") ||
			strings.HasSuffix(text, "初") || strings.HasSuffix(text, "月中") || strings.HasSuffix(text, "半月")
		out = append(out, e)
	}
	return out
}

func (e expr) valid() bool {
	okDay := func(d int) bool { return d >= 1 && d <= 31 || d == lastDay }
	okMonth := func(m int) bool { return m >= 0 && m <= 12 }
	switch e.Kind {
	case kWeekly:
		return true
	case kWeekOfMonth:
		return e.Week >= 1 && e.Week <= 5 && okMonth(e.Month)
	case kQuarterly:
		return okDay(e.Day) && e.QMonth >= 1 && e.QMonth <= 4
	case kRange:
		return okDay(e.Day) && okDay(e.StartDay) && okMonth(e.Month) && okMonth(e.StartMonth) &&
			(e.StartMonth == 0) == (e.Month == 0)
	}
	return okDay(e.Day) && okMonth(e.Month) && e.Month >= 0
}

// yearOf reads a written year: 2020, 二〇二〇, or two Chinese digits (一一 = 2011, 九八 = 1998).
func yearOf(s string) int {
	if s == "" {
		return 0
	}
	if s[0] >= '0' && s[0] <= '9' {
		n, _ := strconv.Atoi(s)
		return n
	}
	n, ok := parseNum(s)
	if !ok {
		return 0
	}
	if utf8.RuneCountInString(s) == 2 {
		if n < 50 {
			return 2000 + n
		}
		return 1900 + n
	}
	return n
}

// partDay maps 上旬/中旬/下旬/底/末/初 to the day it stands for; of two parts (中下旬) the later.
func partDay(p string) int {
	switch p {
	case "上旬":
		return 10
	case "中旬", "上中旬":
		return 20
	case "初":
		return 5 // 月初: early in the month, before 上旬 ends
	case "中", "上半月":
		return 15 // 月中
	}
	return lastDay
}

// stripDates removes the date expressions from s: what is left identifies the line's wording.
func stripDates(s string, exprs []expr) string {
	var b strings.Builder
	at := 0
	for _, e := range exprs {
		if e.Pos < at || e.End > len(s) {
			continue
		}
		b.WriteString(s[at:e.Pos])
		at = e.End
	}
	b.WriteString(s[at:])
	return b.String()
}

// mayHaveDate is a cheap filter: every date expression contains one of these characters.
func mayHaveDate(s string) bool {
	if strings.ContainsAny(s, "月日号旬底末周期拜季") {
		return true
	}
	if strings.Contains(s, ".") && strings.ContainsAny(s, "-~—–至到)）") { // 10.16~10.20, （9.10）
		return true
	}
	for i := 0; i+4 < len(s); i++ {
		if c := s[i+4]; (c == '-' || c == '/' || c == '.') && isDigits(s[i:i+4]) {
			return true
		}
	}
	return false
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// festRE is a day named in the wording by month.day: “3.22世界水日”, "12.4全国法制宣传日",
// 5.12防灾减灾日 — in quotes, or followed by the name of a day (…日/…节).
var festRE = regexp.MustCompile(`([“"「『‘]\s*)(\d{1,2})\.(\d{1,2})|(^|[^\d.])(\d{1,2})\.(\d{1,2})[”"」』’]?\p{Han}{1,10}?[日节]`)

// festDates adds the days named in the wording to out (kept in order), unless a date
// expression already covers them.
func festDates(s string, out []expr) []expr {
	if !strings.Contains(s, ".") {
		return out
	}
	var add []expr
	for _, m := range festRE.FindAllStringSubmatchIndex(s, -1) {
		mo, d, from, to := 2, 3, m[4], m[7]
		if m[4] < 0 {
			mo, d, from, to = 5, 6, m[10], m[13]
		}
		if to < len(s) && (s[to] >= '0' && s[to] <= '9' || s[to] == '.' || strings.HasPrefix(s[to:], "月")) {
			continue
		}
		month, _ := strconv.Atoi(s[m[2*mo]:m[2*mo+1]])
		day, _ := strconv.Atoi(s[m[2*d]:m[2*d+1]])
		e := expr{Kind: kDate, Month: month, Day: day, Pos: from, End: to, Fest: true}
		if month < 1 || month > 12 || day < 1 || day > 31 || overlaps(e, out) {
			continue
		}
		add = append(add, e)
	}
	if len(add) == 0 {
		return out
	}
	out = append(out, add...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}
