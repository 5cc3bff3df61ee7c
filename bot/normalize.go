package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/planbot/planbot/bot/zh"
)

// Normalize prepares a typed message for parsing: full-width digits, letters and punctuation
// become half-width, every kind of space (the ideographic space U+3000, the U+2005 WeCom puts
// after an @mention, tabs, newlines) becomes one ASCII space, leading @mentions are dropped and
// trailing punctuation (。！!～~？?…) is removed. A lone "@name…" is kept: the command may be
// glued to the mention, which the router untangles. Letter case is kept (notes and userids keep their
// spelling); commands are matched case-insensitively by the router. A message that is only "?"
// stays "?" (it asks for help).
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldWidth(r))
	}
	fields := strings.Fields(b.String())
	for len(fields) > 1 && strings.HasPrefix(fields[0], "@") {
		fields = fields[1:]
	}
	t := strings.Join(fields, " ")
	trimmed := strings.TrimRightFunc(t, isTrailingPunct)
	trimmed = strings.TrimRight(trimmed, " ")
	if trimmed == "" && strings.ContainsAny(t, "?") {
		return "?"
	}
	return trimmed
}

// foldWidth maps a full-width form to its half-width equivalent and normalises a few Chinese
// punctuation marks phones type; other runes are returned unchanged.
func foldWidth(r rune) rune {
	switch {
	case r == '\u3000', r >= 0xFF01 && r <= 0xFF5E:
		return zh.FoldWidth(r)
	case r == '\u2014' || r == '\u2013' || r == '\u2212': // — – −
		return '-'
	case r == '\u301C': // 〜 wave dash
		return '~'
	case r == '\uFEFF' || r == '\u200B' || r == '\u200C' || r == '\u200D':
		return ' ' // BOM and zero-width characters
	}
	return r
}

func isTrailingPunct(r rune) bool {
	switch r {
	case '。', '!', '~', '?', '.', ',', ';', '、', '…', '～', '！', '？', '，', '；', '·', ' ':
		return true
	}
	return unicode.Is(unicode.So, r) // emoji and other symbols
}

func isChineseNumeral(r rune) bool { return zh.IsNumeral(r) }

// ChineseNumber reads an item or month number up to 999 typed in chat: ASCII digits (at most
// three) or a Chinese numeral (zh.Integer: 三, 十二, 廿三, 一百零五, 两, 贰拾). ok is false for
// anything else.
func ChineseNumber(s string) (n int, ok bool) {
	if s == "" {
		return 0, false
	}
	if v, ok := asciiNumber(s); ok {
		return v, true
	}
	v, ok := zh.Integer(s)
	if !ok || v > 999 {
		return 0, false
	}
	return int(v), true
}

func asciiNumber(s string) (int, bool) {
	if s == "" || len(s) > 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// maxRange bounds a typed range ("1-3") so "1-999" cannot make a huge list.
const maxRange = 50

// ParseNumbers reads the item numbers at the start of s (already normalised): "3", "3 5",
// "3、5", "1,2", "1-3", "1到3", "1~3", "第三项", "第一、二项", "3号", "十二". It returns the
// numbers in the order typed (duplicates dropped), the rest of the text (the note), and ok=false
// when s does not start with a number.
func ParseNumbers(s string) (nums []int, rest string, ok bool) {
	nums, end := parseNumbers(s)
	if end == 0 {
		return nil, s, false
	}
	rest = strings.TrimSpace(s[end:])
	rest = strings.TrimLeft(rest, ",:;、 ")
	switch rest {
	case "了", "啦", "了啊", "了哈", "了的":
		rest = "" // 完成3了
	}
	for _, lead := range []string{"备注:", "备注", "note:"} {
		if strings.HasPrefix(rest, lead) {
			rest = strings.TrimSpace(strings.TrimPrefix(rest, lead))
			rest = strings.TrimLeft(rest, ",:;、 ")
			break
		}
	}
	return nums, rest, true
}

// parseNumbers reads the leading numbers of s and returns them with the byte offset where they
// end (0 when s does not start with a number).
func parseNumbers(s string) (nums []int, end int) {
	p := numParser{s: s}
	seen := map[int]bool{}
	add := func(n int) {
		if !seen[n] {
			seen[n] = true
			nums = append(nums, n)
		}
	}
	for {
		save := p.i
		if len(nums) > 0 && !p.separator() {
			p.i = save
			break
		}
		n, ok := p.number(len(nums) > 0)
		if !ok {
			p.i = save
			break
		}
		afterFirst := p.i
		if p.rangeOp() {
			if m, ok := p.number(true); ok {
				if m < n || m-n >= maxRange {
					return nil, 0 // "5-2", "1-999": not a range we act on
				}
				for k := n; k <= m; k++ {
					add(k)
				}
				continue
			}
			p.i = afterFirst
		}
		add(n)
	}
	if len(nums) == 0 {
		return nil, 0
	}
	return nums, p.i
}

type numParser struct {
	s string
	i int
}

func (p *numParser) peek() (rune, int) {
	if p.i >= len(p.s) {
		return 0, 0
	}
	return utf8.DecodeRuneInString(p.s[p.i:])
}

func (p *numParser) skipSpaces() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

// number reads [第] digits-or-numeral [项号条个]. A Chinese numeral, and any number when strict
// (not the first of a list), must end at a boundary: "3 2份材料" is item 3 with a note.
func (p *numParser) number(strict bool) (int, bool) {
	start := p.i
	p.skipSpaces()
	if r, w := p.peek(); r == '第' {
		p.i += w
	}
	p.skipSpaces()
	numStart := p.i
	ascii := false
	for {
		r, w := p.peek()
		if w == 0 {
			break
		}
		if r >= '0' && r <= '9' {
			if p.i > numStart && !ascii {
				break
			}
			ascii = true
		} else if isChineseNumeral(r) {
			if ascii {
				break
			}
		} else {
			break
		}
		p.i += w
	}
	text := p.s[numStart:p.i]
	n, ok := ChineseNumber(text)
	if !ok || n == 0 {
		p.i = start
		return 0, false
	}
	afterNum := p.i
	p.skipSpaces()
	if r, w := p.peek(); r == '项' || r == '号' || r == '条' || r == '个' {
		p.i += w
		return n, true
	}
	p.i = afterNum
	if ascii && !strict {
		return n, true // "完成3已报送": a first digit run ends at anything that is not a digit
	}
	// A Chinese numeral, or a later number of a list, must stand alone ("三", "三、五", "3、4给",
	// "3、4已报送"), not begin a word ("一封信", "3 2份材料").
	r, _ := p.peek()
	if r == 0 || r == ' ' || isSeparator(r) || isRangeOp(r) || r == '给' || r == '已' || r == '都' || p.dotList() {
		return n, true
	}
	p.i = start
	return 0, false
}

func isSeparator(r rune) bool {
	switch r {
	case '、', ',', ';', '和', '及', '/', '&', '+':
		return true
	}
	return false
}

func isRangeOp(r rune) bool {
	switch r {
	case '-', '到', '至', '~', '～':
		return true
	}
	return false
}

// separator consumes the separator between two numbers (a space counts); false when none.
func (p *numParser) separator() bool {
	start := p.i
	spaced := false
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
		spaced = true
	}
	if r, w := p.peek(); isSeparator(r) {
		p.i += w
		p.skipSpaces()
		return true
	}
	if !spaced && p.dotList() {
		p.i++ // "1.2.3完成": a dot between digits separates item numbers
		return true
	}
	if spaced {
		return true
	}
	p.i = start
	return false
}

// dotList reports whether the parser stands on a '.' between two ASCII digits ("1.2.3").
func (p *numParser) dotList() bool {
	return p.i > 0 && p.i+1 < len(p.s) && p.s[p.i] == '.' && isDigit(p.s[p.i-1]) && isDigit(p.s[p.i+1])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *numParser) rangeOp() bool {
	start := p.i
	p.skipSpaces()
	if r, w := p.peek(); isRangeOp(r) {
		p.i += w
		return true
	}
	p.i = start
	return false
}

// RawSuffix returns the end of raw (the message as typed) that Normalize turns into norm, a
// suffix of Normalize(raw) such as a note; trailing punctuation is dropped. It lets a note keep
// the user's own punctuation (“（已上报）”, “，”) while parsing works on the normalised text. When
// no suffix of raw matches, norm is returned.
func RawSuffix(raw, norm string) string {
	if norm == "" || len(raw) > 4*MaxTextRunes {
		return norm
	}
	for i := len(raw) - 1; i >= 0; i-- {
		if !utf8.RuneStart(raw[i]) {
			continue
		}
		if Normalize(raw[i:]) == norm {
			s := strings.TrimRightFunc(raw[i:], func(r rune) bool { return isTrailingPunct(foldWidth(r)) || unicode.IsSpace(r) })
			if s != "" {
				return strings.TrimSpace(s)
			}
			return norm
		}
	}
	return norm
}
