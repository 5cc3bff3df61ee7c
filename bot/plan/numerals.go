package plan

import (
	"strconv"
	"strings"
	"unicode"
)

// normalize maps full-width digits, letters and a few separators to ASCII and the ideographic
// space to two plain spaces (it is as wide as two, and separates items or a heading from its
// content as a run of spaces does). Chinese punctuation (，；：（）。、) is kept: titles show it as written.
func normalize(s string) string {
	if strings.ContainsRune(s, '\u3000') {
		s = strings.ReplaceAll(s, "\u3000", "  ")
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
			return r - 0xFEE0
		case r == '．':
			return '.'
		case r == '／':
			return '/'
		case r == '－':
			return '-'
		case r == '～':
			return '~'
		case r == '\u00a0', r == '\u2002', r == '\u2003', r == '\u200b', r == '\ufeff':
			return ' '
		}
		return r
	}, s)
}

// trimSpace trims Unicode white space (including U+3000) from both ends.
func trimSpace(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }

var cnDigits = map[rune]int{
	'〇': 0, '零': 0, '○': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

// parseNum reads a small number written in Arabic digits or Chinese numerals:
// "12", "十二", "二十八", "廿", "元" (the first month), "二〇二〇" (digit by digit).
// It returns false for anything else or for values above 9999.
func parseNum(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		if len(s) > 4 {
			return 0, false
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	if s == "元" || s == "正" {
		return 1, true
	}
	rs := []rune(s)
	if len(rs) > 4 {
		return 0, false
	}
	if rs[0] == '廿' || rs[0] == '卅' {
		base := 20
		if rs[0] == '卅' {
			base = 30
		}
		if len(rs) == 1 {
			return base, true
		}
		d, ok := cnDigits[rs[1]]
		if !ok || len(rs) > 2 {
			return 0, false
		}
		return base + d, true
	}
	for i, r := range rs {
		if r != '十' {
			continue
		}
		tens := 1
		if i > 1 {
			return 0, false
		}
		if i == 1 {
			d, ok := cnDigits[rs[0]]
			if !ok || d == 0 {
				return 0, false
			}
			tens = d
		}
		units := 0
		switch rest := rs[i+1:]; len(rest) {
		case 0:
		case 1:
			d, ok := cnDigits[rest[0]]
			if !ok {
				return 0, false
			}
			units = d
		default:
			return 0, false
		}
		return tens*10 + units, true
	}
	n := 0
	for _, r := range rs {
		d, ok := cnDigits[r]
		if !ok {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// weekdayOf maps 一…日/天 and 1…7 to a weekday (0 = Sunday).
func weekdayOf(s string) (int, bool) {
	switch s {
	case "一", "1":
		return 1, true
	case "二", "2":
		return 2, true
	case "三", "3":
		return 3, true
	case "四", "4":
		return 4, true
	case "五", "5":
		return 5, true
	case "六", "6":
		return 6, true
	case "日", "天", "7", "末":
		return 0, true
	}
	return 0, false
}
