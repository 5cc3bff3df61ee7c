package plan

import (
	"regexp"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

// When is a date typed in chat, resolved against today.
type When struct {
	Rule  bot.Rule   // RuleOnce, RuleMonthly or RuleWeekly
	Start bot.Date   // the date itself (once), or today (a recurrence starts today)
	Dates []bot.Date // ascending; for a recurrence, every date from today to the end of the year
}

const reWN = `(\d{1,2}|[一二三四五六七八九十廿两〇零]{1,3})`

var (
	whenISO       = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$`)
	whenMonthDay  = regexp.MustCompile(`^` + reWN + `月` + reWN + `[日号]?$`)
	whenDotted    = regexp.MustCompile(`^(\d{1,2})[./](\d{1,2})$`)
	whenMonthPart = regexp.MustCompile(`^` + reWN + `月(?:份)?(底|末|上旬|中旬|下旬)$`)
	whenDay       = regexp.MustCompile(`^(本月|这个月|这月|下个?月)?` + reWN + `[日号]$`)
	whenPart      = regexp.MustCompile(`^(本月|这个月|这月|下个?月|当月)?(月底|月末|底|末|上旬|中旬|下旬)$`)
	whenWeekday   = regexp.MustCompile(`^(本周|这周|这个星期|本星期|下周|下个?星期|下下周)?(?:周|星期|礼拜)?([一二三四五六日天1-7])$`)
	whenAfter     = regexp.MustCompile(`^` + reWN + `(天|日|个?工作日|周|个星期|个礼拜|个月)(?:后|以后|之后|内|以内)$`)
	whenMonthly   = regexp.MustCompile(`^每(?:个)?月(?:的)?(?:` + reWN + `[日号]|(底|末|上旬|中旬|下旬))$`)
	whenWeekly    = regexp.MustCompile(`^每(?:个)?(?:周|星期|礼拜)(?:的)?(?:周|星期)?([一二三四五六日天1-7])$`)
)

func whenError(text string) error {
	return bot.Errorf(bot.EINVALID, "看不懂日期“%s”。可以写：6月15日、6.15、2026-06-15、15号、下周五、明天、3天后、月底、每月10日、每周五", text)
}

// whenWords are the dates typed as a word: days from today, or the year's end.
var whenWords = map[string]func(today bot.Date) bot.Date{
	"今天":   func(d bot.Date) bot.Date { return d },
	"今日":   func(d bot.Date) bot.Date { return d },
	"明天":   func(d bot.Date) bot.Date { return d.AddDays(1) },
	"明日":   func(d bot.Date) bot.Date { return d.AddDays(1) },
	"后天":   func(d bot.Date) bot.Date { return d.AddDays(2) },
	"大后天":  func(d bot.Date) bot.Date { return d.AddDays(3) },
	"年底":   yearEndOf,
	"年末":   yearEndOf,
	"今年底":  yearEndOf,
	"今年年底": yearEndOf,
}

func yearEndOf(d bot.Date) bot.Date { return bot.Date{Year: d.Year, Month: 12, Day: 31} }

// whenForm is one way of writing a chat date: the expression and how a match is read. The text
// is the user's, for the error message; t is it normalised.
type whenForm struct {
	re   *regexp.Regexp
	read func(m []string, t, text string, today bot.Date) (When, error)
}

// whenForms are tried in order; the first whose expression matches decides.
var whenForms = []whenForm{
	{whenISO, whenReadISO},
	{whenMonthDay, whenReadMonthDay},
	{whenDotted, whenReadMonthDay},
	{whenMonthPart, whenReadMonthPart},
	{whenDay, whenReadDay},
	{whenPart, func(m []string, _, text string, today bot.Date) (When, error) {
		return inMonth(today, m[1], partDay(strings.TrimPrefix(m[2], "月")), text)
	}},
	{whenWeekday, whenReadWeekday},
	{whenAfter, whenReadAfter},
	{whenMonthly, whenReadMonthly},
	{whenWeekly, whenReadWeekly},
}

// ParseWhen reads a date typed in chat: 6月15日, 6.15, 6/15, 2026-06-15, 15日/15号 (this month, or
// next if past), 下周五, 本周三, 周五, 明天, 后天, 3天后, 月底, 本月底, 下月底, 上旬/中旬/下旬 and the
// recurrences 每月10日 and 每周五 (every date from today to the end of the year). A month and day
// without a year is this year, or next year when it is more than 90 days past. A trailing 前/之前 is ignored.
func ParseWhen(text string, today bot.Date) (When, error) {
	if len(text) > 200 || today.IsZero() {
		return When{}, whenError(text)
	}
	t := strings.Join(strings.Fields(normalize(text)), "")
	for _, suf := range []string{"之前", "以前", "前", "截止", "为止", "止"} {
		t = strings.TrimSuffix(t, suf)
	}
	for _, pre := range []string{"截止到", "截止", "截至", "到", "在", "于"} {
		t = strings.TrimPrefix(t, pre)
	}
	if f := whenWords[t]; f != nil {
		return once(f(today)), nil
	}
	for _, f := range whenForms {
		if m := f.re.FindStringSubmatch(t); m != nil {
			return f.read(m, t, text, today)
		}
	}
	return When{}, whenError(text)
}

func once(d bot.Date) When { return When{Rule: bot.RuleOnce, Start: d, Dates: []bot.Date{d}} }

// numOr is the number s writes, or -1.
func numOr(s string) int {
	n, ok := parseNum(s)
	if !ok {
		return -1
	}
	return n
}

func whenReadISO(m []string, _, text string, _ bot.Date) (When, error) {
	d, ok := exact(yearOf(m[1]), numOr(m[2]), numOr(m[3]))
	if !ok {
		return When{}, bot.Errorf(bot.EINVALID, "没有这一天：%s", text)
	}
	return once(d), nil
}

func whenReadMonthDay(m []string, _, text string, today bot.Date) (When, error) {
	mo, d := numOr(m[1]), numOr(m[2])
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return When{}, bot.Errorf(bot.EINVALID, "没有这一天：%s", text)
	}
	y := today.Year
	if clamp(y, time.Month(mo), d).DaysUntil(today) > 90 {
		y++
	}
	return once(clamp(y, time.Month(mo), d)), nil
}

func whenReadMonthPart(m []string, _, text string, today bot.Date) (When, error) {
	mo := numOr(m[1])
	if mo < 1 || mo > 12 {
		return When{}, whenError(text)
	}
	y := today.Year
	if clamp(y, time.Month(mo), lastDay).Before(today) {
		y++
	}
	return once(clamp(y, time.Month(mo), partDay(strings.TrimPrefix(m[2], "月")))), nil
}

func whenReadDay(m []string, _, text string, today bot.Date) (When, error) {
	d := numOr(m[2])
	if d < 1 || d > 31 {
		return When{}, whenError(text)
	}
	return inMonth(today, m[1], d, text)
}

func whenReadWeekday(m []string, t, text string, today bot.Date) (When, error) {
	wd, _ := weekdayOf(m[2])
	if m[1] == "" && !strings.ContainsAny(t, "周星期礼拜") {
		return When{}, whenError(text) // a bare "五" is not a date
	}
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
	offset := (wd + 6) % 7 // Monday 0 … Sunday 6
	switch m[1] {
	case "":
		return once(today.AddDays((wd - int(today.Weekday()) + 7) % 7)), nil
	case "下周", "下星期", "下个星期":
		return once(monday.AddDays(7 + offset)), nil
	case "下下周":
		return once(monday.AddDays(14 + offset)), nil
	}
	d := monday.AddDays(offset)
	if d.Before(today) {
		return When{}, bot.Errorf(bot.EINVALID, "本周%s已经过去了，是指下周%s吗？", m[2], m[2])
	}
	return once(d), nil
}

func whenReadAfter(m []string, _, text string, today bot.Date) (When, error) {
	n := numOr(m[1])
	if n < 0 || n > 366 {
		return When{}, whenError(text)
	}
	switch {
	case m[2] == "天" || m[2] == "日":
		return once(today.AddDays(n)), nil
	case strings.HasSuffix(m[2], "工作日"):
		return When{}, bot.Errorf(bot.EINVALID, "请写具体日期，例如 6月15日（工作日另算）")
	case m[2] == "个月":
		mo := int(today.Month) - 1 + n
		return once(clamp(today.Year+mo/12, time.Month(mo%12+1), today.Day)), nil
	}
	return once(today.AddDays(7 * n)), nil
}

func whenReadMonthly(m []string, _, text string, today bot.Date) (When, error) {
	d := numOr(m[1])
	if m[2] != "" {
		d = partDay(strings.TrimPrefix(m[2], "月"))
	}
	if d < 1 || (d > 31 && d != lastDay) {
		return When{}, whenError(text)
	}
	w := When{Rule: bot.RuleMonthly, Start: today}
	for end := today.Year; len(w.Dates) == 0 && end <= today.Year+1; end++ {
		for y, mo := today.Year, int(today.Month); y*12+mo <= end*12+12; mo++ {
			if mo > 12 {
				y, mo = y+1, 1
			}
			if dd := clamp(y, time.Month(mo), d); !dd.Before(today) {
				w.Dates = append(w.Dates, dd)
			}
		}
	}
	return w, nil
}

func whenReadWeekly(m []string, _, _ string, today bot.Date) (When, error) {
	wd, _ := weekdayOf(m[1])
	w := When{Rule: bot.RuleWeekly, Start: today}
	end := bot.Date{Year: today.Year, Month: 12, Day: 31}
	if end.DaysUntil(today) > -7 {
		end = bot.Date{Year: today.Year + 1, Month: 12, Day: 31}
	}
	for d := today.AddDays((wd - int(today.Weekday()) + 7) % 7); !d.After(end); d = d.AddDays(7) {
		w.Dates = append(w.Dates, d)
	}
	return w, nil
}

// exact returns y-m-d when that day exists.
func exact(y, m, d int) (bot.Date, bool) {
	if y < 1900 || y > 9000 || m < 1 || m > 12 || d < 1 || d > bot.DaysIn(y, time.Month(m)) {
		return bot.Date{}, false
	}
	return bot.Date{Year: y, Month: time.Month(m), Day: d}, true
}

// inMonth resolves a day of this month (next month when it has passed) or of next month.
func inMonth(today bot.Date, which string, day int, text string) (When, error) {
	y, m := today.Year, today.Month
	next := func() {
		if m == 12 {
			y, m = y+1, 1
		} else {
			m++
		}
	}
	switch which {
	case "下月", "下个月":
		next()
	case "":
		if clamp(y, m, day).Before(today) {
			next()
		}
	default: // 本月, 这个月, 当月
		if clamp(y, m, day).Before(today) {
			return When{}, bot.Errorf(bot.EINVALID, "“%s”已经过去了，请写具体日期", text)
		}
	}
	d := clamp(y, m, day)
	return When{Rule: bot.RuleOnce, Start: d, Dates: []bot.Date{d}}, nil
}
