package plan

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/planbot/planbot/bot/zh"
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

// parseNum reads a small number written in Arabic digits (at most four) or Chinese numerals
// (bot/zh): "12", "十二", "二十八", "廿", "贰拾", "元" and "正" (the first month), "二〇二〇"
// (digit by digit). It returns false for anything else or for values above 9999.
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
	if utf8.RuneCountInString(s) > 4 {
		return 0, false
	}
	n, ok := zh.Integer(s)
	if !ok {
		n, ok = zh.Digits(s)
	}
	if !ok || n > 9999 {
		return 0, false
	}
	return int(n), true
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
