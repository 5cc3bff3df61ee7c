package figure

import (
	"regexp"
	"strconv"
	"strings"
)

var cnDigit = map[rune]int64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// reCnQty finds Chinese numerals written before a unit: 一千二百人, 二百四十万元, 一百九十六点五万元.
var reCnQty = regexp.MustCompile(`([零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿点]*)(\s*)(人次|人|名|万元|亿元|元|块)`)

// arabicQuantities rewrites Chinese numerals before a unit as digits (二百四十万元 → 2400000元),
// so they read like typed digits. Runs that are not well-formed numerals are left alone.
func arabicQuantities(s string) string {
	return reCnQty.ReplaceAllStringFunc(s, func(m string) string {
		sub := reCnQty.FindStringSubmatch(m)
		num, unit := sub[1], sub[3]
		n, ok := cnNumber(num)
		if !ok && strings.HasSuffix(num, "万") && (unit == "元" || unit == "块") {
			// 一百九十六点五万元: the 万 belongs to the unit
			n, ok = cnNumber(strings.TrimSuffix(num, "万"))
			unit = "万" + unit
		}
		if !ok {
			return m
		}
		return n + sub[2] + unit
	})
}

// cnNumber reads a Chinese numeral up to 9999亿 with an optional decimal part after 点, as a
// decimal string. ok is false for anything that is not a well-formed numeral.
func cnNumber(s string) (string, bool) {
	intPart, frac, hasFrac := strings.Cut(s, "点")
	var fd strings.Builder
	if hasFrac {
		if frac == "" {
			return "", false
		}
		for _, r := range frac {
			d, ok := cnDigit[r]
			if !ok {
				return "", false
			}
			fd.WriteByte(byte('0' + d))
		}
	}
	v, ok := cnInteger(intPart)
	if !ok {
		return "", false
	}
	out := strconv.FormatInt(v, 10)
	if hasFrac {
		out += "." + fd.String()
	}
	return out, true
}

// cnInteger reads 一千二百, 十二, 两万三千, 一亿零五百万 and the like.
func cnInteger(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var total, section, digit int64
	hasDigit := false
	for _, r := range s {
		if d, ok := cnDigit[r]; ok {
			digit, hasDigit = d, true
			continue
		}
		var unit int64
		switch r {
		case '十':
			unit = 10
		case '百':
			unit = 100
		case '千':
			unit = 1000
		case '万':
			unit = 10_000
		case '亿':
			unit = 100_000_000
		default:
			return 0, false
		}
		switch {
		case unit >= 10_000:
			section += digit
			if section == 0 {
				section = 1
			}
			if unit == 100_000_000 {
				total = (total + section) * unit
			} else {
				total += section * unit
			}
			if total > 1<<50 {
				return 0, false
			}
			section = 0
		default:
			if !hasDigit {
				digit = 1 // 十二 = 12
			}
			section += digit * unit
		}
		digit, hasDigit = 0, false
	}
	return total + section + digit, true
}
