package figure

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/planbot/planbot/bot"
)

// Example is the right form of a 记录 line, quoted in every refusal.
const Example = "记录 中职国家助学金 春季 1200人 240万元"

// Draft is a figure being recorded: what a 记录 line (and the dialog after it) said so far.
type Draft struct {
	Programme      string `json:"programme,omitempty"`
	Stage          string `json:"stage,omitempty"`
	Term           string `json:"term,omitempty"`
	Year           int    `json:"year,omitempty"`
	Month          int    `json:"month,omitempty"`
	Persons        int64  `json:"persons,omitempty"`
	PersonTimes    int64  `json:"person_times,omitempty"`
	AmountFen      int64  `json:"amount_fen,omitempty"`
	HasPersons     bool   `json:"has_persons,omitempty"`
	HasPersonTimes bool   `json:"has_person_times,omitempty"`
	HasAmount      bool   `json:"has_amount,omitempty"`
	Note           string `json:"note,omitempty"`
}

// What a draft may still lack, in the order it is asked for.
const (
	NeedProgramme = "programme"
	NeedStage     = "stage"
	NeedCount     = "count"
	NeedAmount    = "amount"
)

// Missing returns what the draft still lacks (NeedProgramme, NeedStage, NeedCount, NeedAmount),
// in the order the dialog asks for it; nil when the draft is complete.
func (c *Catalogue) Missing(d Draft) []string {
	var out []string
	if d.Programme == "" {
		return []string{NeedProgramme}
	}
	if p, ok := c.Programme(d.Programme); ok && d.Stage == "" && len(p.Stages) > 1 {
		out = append(out, NeedStage)
	}
	if !d.HasPersons && !d.HasPersonTimes {
		out = append(out, NeedCount)
	}
	if !d.HasAmount {
		out = append(out, NeedAmount)
	}
	return out
}

// Figure returns the draft as a figure (ID, team, author and time left for the caller).
func (d Draft) Figure() bot.Figure {
	return bot.Figure{
		Programme: d.Programme, Stage: d.Stage, Term: d.Term, Year: d.Year, Month: d.Month,
		Persons: d.Persons, PersonTimes: d.PersonTimes, AmountFen: d.AmountFen, Note: d.Note,
	}
}

// Parse reads the arguments of a 记录 line, e.g. "中职国家助学金 春季 1200人 240万元",
// "普高国家助学金 秋季 1500人次 300万", "生源地信用助学贷款 856人 6,848,000元",
// "国家奖学金 中职 2026年秋季 35人 21万元 备注 第一批". The period defaults from today (see
// TermOf). Amounts are read exactly in 分. What is missing is reported by Missing, not as an
// error; errors (a *bot.Error with a Chinese message and an example) are for what is wrong:
// an unknown programme, a stage the programme lacks, negative, absurd or unreadable numbers.
func (c *Catalogue) Parse(text string, today bot.Date) (Draft, error) {
	sc, err := c.scan(relativePeriods(text, today), false)
	if err != nil {
		return Draft{}, err
	}
	var d Draft
	if err := c.merge(&d, sc, today); err != nil {
		return Draft{}, err
	}
	if d.Programme == "" && sc.unknown != "" {
		return Draft{}, c.unknownProgramme(sc.unknown)
	}
	if d.Programme == "" && sc.any {
		return Draft{}, bot.Errorf(bot.EINVALID, "没有写资助项目。请这样写：%s", Example)
	}
	return d, nil
}

// Fill reads a dialog answer for what d lacks (see Missing) and merges it into d. A bare number
// answers the count (as 人数); an amount needs its unit (万元 or 元). The answer may also
// correct anything else (a stage, a term, a note); an answer naming another programme is read
// as a new line that replaces the draft.
func (c *Catalogue) Fill(d Draft, text string, today bot.Date) (Draft, error) {
	miss := c.Missing(d)
	if len(miss) > 0 && miss[0] == NeedProgramme {
		return c.Parse(text, today)
	}
	sc, err := c.scan(relativePeriods(text, today), true)
	if err != nil {
		return d, err
	}
	if sc.prog != "" && sc.prog != d.Programme {
		return c.Parse(text, today) // another programme: a new line replaces the draft
	}
	if sc.unknown != "" && sc.prog == "" && len(miss) > 0 && miss[0] == NeedStage {
		p, _ := c.Programme(d.Programme)
		return d, bot.Errorf(bot.EINVALID, "%s的学段请回复：%s", p.Name, strings.Join(p.Stages, " 或 "))
	}
	if sc.bare != "" {
		need := ""
		for _, m := range miss {
			if m == NeedCount || m == NeedAmount {
				need = m
				break
			}
		}
		switch {
		case need == NeedCount && !sc.hasPersons && !sc.hasTimes:
			v, err := countValue(sc.bare, "人")
			if err != nil {
				return d, err
			}
			sc.persons, sc.hasPersons = v, true
		case need == NeedAmount:
			return d, bot.Errorf(bot.EINVALID, "请带上单位，例如 %s万元 或 %s元。", sc.bare, sc.bare)
		default:
			return d, bot.Errorf(bot.EINVALID, "“%s”是人数还是金额？请写 %s人 或 %s万元。", sc.bare, sc.bare, sc.bare)
		}
	}
	if sc.skip {
		for _, m := range miss {
			switch m {
			case NeedCount:
				if !sc.hasPersons && !sc.hasTimes {
					sc.persons, sc.hasPersons = 0, true
				}
			case NeedAmount:
				if !sc.hasAmount {
					sc.amount, sc.hasAmount = 0, true
				}
			}
			if m == NeedCount || m == NeedAmount {
				break
			}
		}
	}
	if err := c.merge(&d, sc, today); err != nil {
		return d, err
	}
	return d, nil
}

// Answers reports whether text, typed in a 记录 dialog, is made only of what a 记录 line holds: a
// programme, a stage, a period ("5月", "春季", "本月"), counts, an amount, or 无. A word left over
// ("今天", "完成 3", "撤销记录 2") means the text is something else, e.g. another command.
func (c *Catalogue) Answers(text string, today bot.Date) bool {
	sc, err := c.scan(relativePeriods(text, today), true)
	if err != nil || !sc.any || sc.unknown != "" || sc.note != "" {
		return false
	}
	return sc.prog != "" || sc.stage != "" || sc.term != "" || sc.year != 0 || sc.month != 0 || sc.yearly ||
		sc.hasPersons || sc.hasTimes || sc.hasAmount || sc.skip || sc.bare != ""
}

func (c *Catalogue) unknownProgramme(word string) error {
	if s := c.Suggest(word); len(s) > 0 {
		return bot.Errorf(bot.EINVALID, "没有“%s”这个资助项目。你是不是指：%s？\n例如：%s", word, strings.Join(s, "、"), Example)
	}
	return bot.Errorf(bot.EINVALID, "没有“%s”这个资助项目。可记录的项目：%s。\n例如：%s", word, strings.Join(c.Names(), "、"), Example)
}

// scanned is what one piece of text said.
type scanned struct {
	prog, stage, term string
	year, month       int
	yearly            bool
	persons, times    int64
	amount            int64
	hasPersons        bool
	hasTimes          bool
	hasAmount         bool
	note              string
	unknown           string // the first word that is neither programme, stage, period nor filler
	bare              string // a number without a unit (only when allowBare)
	skip              bool   // 无 / 没有 / 跳过: the asked-for value is zero
	any               bool   // anything at all was written
}

var (
	reYearTerm  = regexp.MustCompile(`(\d{4})\s*(?:年度|年)?\s*(春季学期|秋季学期|春季|秋季|春学期|秋学期|春|秋)`)
	reTerm      = regexp.MustCompile(`春季学期|秋季学期|春季|秋季|春学期|秋学期`)
	reYearMonth = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*(?:月份|月)|\b(20\d{2})[-/](\d{1,2})\b`)
	reMonth     = regexp.MustCompile(`(\d{1,2})\s*(?:月份|月)`)
	reCnMonth   = regexp.MustCompile(`(十一|十二|十|[一二三四五六七八九])(?:月份|月)`)
	reYear      = regexp.MustCompile(`(\d{4})\s*(?:年度|年)`)
	reYearly    = regexp.MustCompile(`全年度|全年|年度`)
	// A quantity: an optional label, a sign, a number and a unit. Labelled quantities take a
	// count unit only glued to the number, so "人数1200 人次1500" stays two quantities.
	reQty = regexp.MustCompile(`(?:(受助人数|资助人数|学生人数|人数|受助人次|资助人次|人次|发放金额|资助金额|总金额|金额|资金)\s*(-|负)?\s*[¥￥]?\s*(\d[\d,]*(?:\.\d+)?)(?:(万人次|万人|人次|人|名)|\s*(万亿元|万亿|万元|亿元|万块|万|亿|元|块钱|块))?)` +
		`|(?:(-|负)?\s*[¥￥]?\s*(\d[\d,]*(?:\.\d+)?)\s*(万人次|万人|人次|人|名|万亿元|万亿|万元|亿元|万块|万|亿|元|块钱|块))`)
	reNumber = regexp.MustCompile(`-?\d[\d,]*(?:\.\d+)?`)
)

var cnMonths = map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}

// fillers are words that carry nothing when left over.
var fillers = map[string]bool{
	"共": true, "合计": true, "总计": true, "计": true, "共计": true, "发放": true, "资助": true, "受助": true,
	"学生": true, "名学生": true, "学生数": true, "人数": true, "人次": true, "金额": true, "资金": true, "数据": true,
	"的": true, "和": true, "及": true, "与": true, "已发放": true, "累计": true, "本期": true, "学期": true,
	"-": true, ",": true, ".": true, "/": true, "+": true, "，": true, "学段": true, "项目": true, "到位": true,
	"受助学生": true, "资助学生": true, "发放资金": true, "在校生": true, "人": true, "名": true, "元": true, "万元": true, "整": true, "元整": true, "约": true, "为": true, "是": true, "其中": true, "本次": true,
}

var skipWords = map[string]bool{"无": true, "没有": true, "跳过": true, "不填": true, "零": true}

// scan reads one piece of text: the note, then the periods, the quantities and the words left.
// Numbers without units are an error unless allowBare.
func (c *Catalogue) scan(text string, allowBare bool) (scanned, error) {
	var sc scanned
	s := separateCommas(Loosen(Normalize(text)))
	if strings.TrimSpace(s) != "" {
		sc.any = true
	}
	s = sc.cutNote(s)
	s, err := sc.cutPeriods(s)
	if err != nil {
		return sc, err
	}
	if s, err = sc.cutQuantities(arabicQuantities(s)); err != nil {
		return sc, err
	}
	return sc, c.words(&sc, s, allowBare)
}

// cutNote takes the note (after 备注, and a breakdown from 其中 on, kept whole) out of s.
func (sc *scanned) cutNote(s string) string {
	if i := strings.Index(s, "备注"); i >= 0 {
		sc.note = strings.TrimSpace(strings.TrimLeft(s[i+len("备注"):], " :,"))
		s = s[:i]
	}
	if i := strings.Index(s, "其中"); i >= 0 { // a breakdown: kept whole as a note
		sc.note = strings.TrimSpace(strings.TrimSpace(s[i:]) + " " + sc.note)
		s = s[:i]
	}
	return s
}

// cutAll cuts every match of re out of s (leaving a space), handing f each match's groups
// first; it stops at f's first error.
func cutAll(s string, re *regexp.Regexp, f func(m []string) error) (string, error) {
	for {
		loc := re.FindStringSubmatchIndex(s)
		if loc == nil {
			return s, nil
		}
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[loc[2*i]:loc[2*i+1]]
			}
		}
		if err := f(m); err != nil {
			return s, err
		}
		s = s[:loc[0]] + " " + s[loc[1]:]
	}
}

// cutPeriods reads the year, term, month and 全年 out of s, the longer forms first.
func (sc *scanned) cutPeriods(s string) (string, error) {
	cuts := []struct {
		re *regexp.Regexp
		f  func(m []string) error
	}{
		{reYearTerm, func(m []string) error {
			if err := sc.setYear(m[1]); err != nil {
				return err
			}
			return sc.setTerm(m[2])
		}},
		{reTerm, func(m []string) error { return sc.setTerm(m[0]) }},
		{reYearMonth, func(m []string) error {
			y, mo := m[1], m[2]
			if y == "" {
				y, mo = m[3], m[4]
			}
			if err := sc.setYear(y); err != nil {
				return err
			}
			v, _ := strconv.Atoi(mo)
			return sc.setMonth(v, m[0])
		}},
		{reYear, func(m []string) error { return sc.setYear(m[1]) }},
		{reMonth, func(m []string) error {
			v, _ := strconv.Atoi(m[1])
			return sc.setMonth(v, m[0])
		}},
		{reCnMonth, func(m []string) error { return sc.setMonth(cnMonths[m[1]], m[0]) }},
		{reYearly, func(m []string) error { sc.yearly = true; return nil }},
	}
	for _, c := range cuts {
		var err error
		if s, err = cutAll(s, c.re, c.f); err != nil {
			return s, err
		}
	}
	return s, nil
}

func (sc *scanned) setTerm(t string) error {
	t = strings.TrimSuffix(strings.TrimSuffix(t, "学期"), "季") + "季"
	if sc.term != "" && sc.term != t {
		return bot.Errorf(bot.EINVALID, "同时写了春季和秋季，请只写一个学期。例如：%s", Example)
	}
	sc.term = t
	return nil
}

func (sc *scanned) setYear(y string) error {
	v, _ := strconv.Atoi(y)
	if v < 2000 || v > 2100 {
		return bot.Errorf(bot.EINVALID, "年份“%s”不对。例如：记录 国家奖学金 中职 2026年秋季 35人 21万元", y)
	}
	if sc.year != 0 && sc.year != v {
		return bot.Errorf(bot.EINVALID, "写了两个年份（%d、%d），请只写一个。", sc.year, v)
	}
	sc.year = v
	return nil
}

func (sc *scanned) setMonth(v int, raw string) error {
	if v < 1 || v > 12 {
		return bot.Errorf(bot.EINVALID, "月份“%s”不对，应为1到12月。例如：记录 免学费 中职 5月 980人 196.5万元", raw)
	}
	if sc.month != 0 && sc.month != v {
		return bot.Errorf(bot.EINVALID, "写了两个月份，请只写一个。")
	}
	sc.month = v
	return nil
}

// cutQuantities reads the quantities (人数, 人次, 金额: label, number, unit) out of s; a
// negative one is refused.
func (sc *scanned) cutQuantities(s string) (string, error) {
	for {
		loc := reQty.FindStringSubmatchIndex(s)
		if loc == nil {
			return s, nil
		}
		g := func(i int) string {
			if loc[2*i] < 0 {
				return ""
			}
			return s[loc[2*i]:loc[2*i+1]]
		}
		var label, sign, num, unit string
		if g(3) != "" {
			label, sign, num, unit = g(1), g(2), g(3), g(4)+g(5)
		} else {
			sign, num, unit = g(6), g(7), g(8)
		}
		raw := strings.TrimSpace(s[loc[0]:loc[1]])
		if sign != "" {
			return s, bot.Errorf(bot.EINVALID, "“%s”是负数，不能记录。人数和金额都应为正数，例如：%s", raw, Example)
		}
		if err := sc.quantity(label, num, unit, raw); err != nil {
			return s, err
		}
		s = s[:loc[0]] + " " + s[loc[1]:]
	}
}

// words reads the words left over: programme (two words may name one), stage, filler, or a
// bare number.
func (c *Catalogue) words(sc *scanned, s string, allowBare bool) error {
	fields := strings.Fields(s)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if i+1 < len(fields) && sc.prog == "" {
			if p, st, ok := c.Resolve(f + fields[i+1]); ok {
				if err := sc.setProg(p.Name, st); err != nil {
					return err
				}
				i++
				continue
			}
		}
		if err := c.word(sc, f, allowBare); err != nil {
			return err
		}
	}
	return nil
}

func (sc *scanned) setProg(name, stage string) error {
	if sc.prog != "" && sc.prog != name {
		return bot.Errorf(bot.EINVALID, "一条只能记录一个项目（写了%s和%s）。请分开记录，例如：%s", sc.prog, name, Example)
	}
	sc.prog = name
	if stage != "" {
		return sc.setStage(stage)
	}
	return nil
}

func (sc *scanned) setStage(stage string) error {
	if sc.stage != "" && sc.stage != stage {
		return bot.Errorf(bot.EINVALID, "写了两个学段（%s、%s），请只写一个。例如：%s", sc.stage, stage, Example)
	}
	sc.stage = stage
	return nil
}

// word reads one leftover word.
func (c *Catalogue) word(sc *scanned, f string, allowBare bool) error {
	trimmed := strings.Trim(f, ",.-/+")
	if strings.ToLower(trimmed) != trimmed && isASCII(trimmed) {
		trimmed = strings.ToLower(trimmed)
	}
	if trimmed == "" || fillers[trimmed] {
		return nil
	}
	if p, st, ok := c.Resolve(trimmed); ok {
		return sc.setProg(p.Name, st)
	}
	for _, fl := range []string{"共计", "合计", "总计", "共", "发放", "累计", "资金"} {
		if rest, ok := strings.CutSuffix(trimmed, fl); ok && rest != "" {
			if p, st, ok := c.Resolve(rest); ok {
				return sc.setProg(p.Name, st)
			}
		}
	}
	if st, ok := c.Stage(trimmed); ok {
		return sc.setStage(st)
	}
	switch trimmed {
	case "春", "春学期", "spring":
		return sc.setTermWord(Spring)
	case "秋", "秋学期", "autumn", "fall":
		return sc.setTermWord(Autumn)
	}
	if parts := strings.FieldsFunc(trimmed, isWordSep); len(parts) > 1 {
		for _, part := range parts {
			if err := c.word(sc, part, allowBare); err != nil {
				return err
			}
		}
		return nil
	}
	if skipWords[trimmed] {
		sc.skip = true
		return nil
	}
	if reNumber.MatchString(trimmed) {
		if n := reNumber.FindString(trimmed); allowBare && n == trimmed && sc.bare == "" && !strings.HasPrefix(n, "-") {
			sc.bare = n
			return nil
		}
		if strings.HasPrefix(trimmed, "-") {
			return bot.Errorf(bot.EINVALID, "“%s”是负数，不能记录。人数和金额都应为正数，例如：%s", trimmed, Example)
		}
		return bot.Errorf(bot.EINVALID, "看不懂“%s”：人数请写 1200人 或 1500人次，金额请写 240万元 或 6,848,000元。例如：%s", trimmed, Example)
	}
	if sc.unknown == "" && sc.prog == "" {
		sc.unknown = trimmed
	} else if sc.note == "" {
		sc.note = trimmed
	} else if !strings.Contains(sc.note, trimmed) {
		sc.note = trimmed + " " + sc.note
	}
	return nil
}

// isWordSep splits words written with dashes or dots: 国家助学金-中职, 国家助学金·中职.
func isWordSep(r rune) bool {
	switch r {
	case '-', '/', '·', '|', '_', '+', '~', '—':
		return true
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (sc *scanned) setTermWord(t string) error {
	if sc.term != "" && sc.term != t {
		return bot.Errorf(bot.EINVALID, "同时写了春季和秋季，请只写一个学期。例如：%s", Example)
	}
	sc.term = t
	return nil
}

// quantity records one labelled or unit-suffixed number.
func (sc *scanned) quantity(label, num, unit, raw string) error {
	kind := ""
	switch unit {
	case "人", "名", "万人":
		kind = "persons"
	case "人次", "万人次":
		kind = "times"
	case "":
		switch {
		case strings.Contains(label, "人次"):
			kind = "times"
		case strings.Contains(label, "人数"):
			kind = "persons"
		default:
			kind = "amount"
			unit = "元" // a labelled amount without a unit is in 元
		}
	default:
		kind = "amount"
	}
	if label != "" {
		lk := "amount"
		if strings.Contains(label, "人次") {
			lk = "times"
		} else if strings.Contains(label, "人数") {
			lk = "persons"
		}
		if lk != kind {
			return bot.Errorf(bot.EINVALID, "“%s”的单位和名称对不上。例如：人数1200人、人次1500人次、金额240万元。", raw)
		}
	}
	switch kind {
	case "persons", "times":
		u := "人"
		if kind == "times" {
			u = "人次"
		}
		if strings.HasPrefix(unit, "万") {
			u = "万" + u
		}
		v, err := countValue(num, u)
		if err != nil {
			return err
		}
		if kind == "persons" {
			if sc.hasPersons {
				return bot.Errorf(bot.EINVALID, "人数写了两次，请只写一个。例如：%s", Example)
			}
			sc.persons, sc.hasPersons = v, true
		} else {
			if sc.hasTimes {
				return bot.Errorf(bot.EINVALID, "人次写了两次，请只写一个。例如：记录 普高国家助学金 秋季 1500人次 300万元")
			}
			sc.times, sc.hasTimes = v, true
		}
	default:
		fen, err := ParseAmount(num + unit)
		if err != nil {
			return err
		}
		if sc.hasAmount {
			return bot.Errorf(bot.EINVALID, "金额写了两次，请只写一个。例如：%s", Example)
		}
		sc.amount, sc.hasAmount = fen, true
	}
	return nil
}

// countValue reads a count of persons or person-times: a whole number, or a decimal of 万.
func countValue(num, unit string) (int64, error) {
	pow := 0
	if strings.HasPrefix(unit, "万") {
		pow = 4
	}
	v, err := scaleDecimal(num, pow)
	if err != nil {
		return 0, bot.Errorf(bot.EINVALID, "看不懂“%s%s”（%v）：人数应为整数，例如 1200人 或 1500人次。", num, unit, err)
	}
	if v > MaxCount {
		return 0, bot.Errorf(bot.EINVALID, "“%s%s”超过1000万，请检查。例如：%s", num, unit, Example)
	}
	return v, nil
}

// merge applies what was scanned to d and settles stage and period.
func (c *Catalogue) merge(d *Draft, sc scanned, today bot.Date) error {
	if sc.prog != "" {
		if d.Programme != "" && d.Programme != sc.prog {
			d.Stage = ""
		}
		d.Programme = sc.prog
	}
	if sc.stage != "" {
		d.Stage = sc.stage
	}
	if sc.hasPersons {
		d.Persons, d.HasPersons = sc.persons, true
	}
	if sc.hasTimes {
		d.PersonTimes, d.HasPersonTimes = sc.times, true
	}
	if sc.hasAmount {
		d.AmountFen, d.HasAmount = sc.amount, true
	}
	if sc.note != "" {
		if d.Note != "" {
			d.Note += " "
		}
		d.Note += sc.note
	}
	if d.Programme != "" {
		p, _ := c.Programme(d.Programme)
		if d.Stage == "" {
			d.Stage = p.DefaultStage()
		}
		if !p.Allows(d.Stage) {
			return bot.Errorf(bot.EINVALID, "%s没有%s学段，只有%s。例如：记录 %s%s …", p.Name, d.Stage, strings.Join(p.Stages, "、"), p.Stages[0], p.Name)
		}
	}
	// Period: a new one replaces the old one entirely.
	if sc.term != "" || sc.month != 0 || sc.year != 0 || sc.yearly {
		d.Term, d.Month, d.Year = "", 0, 0
		switch {
		case sc.month != 0:
			d.Month = sc.month
			d.Year = sc.year
			if d.Year == 0 {
				d.Year = monthYear(sc.month, today)
			}
		case sc.term != "":
			d.Term = sc.term
			d.Year = sc.year
			if d.Year == 0 {
				d.Year = termYear(sc.term, today)
			}
		default: // a year alone, or 全年
			d.Year = sc.year
			if d.Year == 0 {
				_, d.Year = TermOf(today)
			}
		}
	}
	if d.Year == 0 && d.Programme != "" {
		d.Term, d.Year = TermOf(today)
	}
	return nil
}

// Describe renders a draft or figure in one line: 中职 国家助学金 2026年春季 1200人 240万元.
func Describe(f bot.Figure) string {
	var b strings.Builder
	if f.Stage != "" {
		b.WriteString(f.Stage + " ")
	}
	b.WriteString(f.Programme + " " + PeriodLabel(f))
	fmt.Fprintf(&b, " %d人", f.Persons)
	if f.PersonTimes != 0 {
		fmt.Fprintf(&b, " %d人次", f.PersonTimes)
	}
	fmt.Fprintf(&b, " %s万元", FormatWan(f.AmountFen))
	return b.String()
}
