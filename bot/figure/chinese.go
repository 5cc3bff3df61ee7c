package figure

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/planbot/planbot/bot/zh"
)

// reCnQty finds Chinese numerals written before a unit: 一千二百人, 二百四十万元, 一百九十六点五万元,
// 壹佰贰拾人 (the numeral characters of bot/zh).
var reCnQty = regexp.MustCompile(`([零〇○一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾廿卅][零〇○一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿点]*)(\s*)(人次|人|名|万元|亿元|元|块)`)

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
			d, ok := zh.Digit(r)
			if !ok {
				return "", false
			}
			fd.WriteByte(byte('0' + d))
		}
	}
	v, ok := zh.Integer(intPart)
	if !ok {
		return "", false
	}
	out := strconv.FormatInt(v, 10)
	if hasFrac {
		out += "." + fd.String()
	}
	return out, true
}
