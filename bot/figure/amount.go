package figure

import (
	"fmt"
	"strings"

	"github.com/planbot/planbot/bot"
)

// Limits beyond which a typed number is refused as absurd.
const (
	MaxCount     = 10_000_000               // persons or person-times in one record
	MaxAmountFen = 100 * 100_000_000 * 100  // 100 亿元 in 分
	fenPerYuan   = 100                      // 1 元 = 100 分
	fenPerWan    = 10_000 * fenPerYuan      // 1 万元
	fenPerYi     = 100_000_000 * fenPerYuan // 1 亿元
	maxDigits    = 17                       // more significant digits than this cannot be sane
)

const amountExample = "金额请写成例如 240万元、196.5万元 或 6,848,000元"

// ParseAmount reads an amount of money such as "240万元", "240万", "196.5万元", "6,848,000元",
// "2,400,000.50元", "¥1200" or "1.2亿元" and returns it exactly in 分, using decimal string
// arithmetic (never floating point). A number without a unit is refused: 240 could be 元 or 万元.
func ParseAmount(s string) (int64, error) {
	s = strings.TrimSpace(Normalize(s))
	s = strings.TrimLeft(s, "¥￥")
	num, unit := splitUnit(s)
	scale := 0
	switch unit {
	case "元", "块", "块钱":
		scale = 2
	case "万元", "万", "万块":
		scale = 6
	case "亿元", "亿":
		scale = 10
	case "万亿元", "万亿": // 240万亿元 is a slip, read in full so that it is refused as absurd
		scale = 14
	case "":
		return 0, bot.Errorf(bot.EINVALID, "金额“%s”缺少单位。%s。", s, amountExample)
	default:
		return 0, bot.Errorf(bot.EINVALID, "看不懂金额“%s”。%s。", s, amountExample)
	}
	fen, err := scaleDecimal(strings.TrimSpace(num), scale)
	if err != nil {
		return 0, bot.Errorf(bot.EINVALID, "看不懂金额“%s”（%v）。%s。", s, err, amountExample)
	}
	if fen > MaxAmountFen {
		return 0, bot.Errorf(bot.EINVALID, "金额“%s”超过100亿元，请检查。%s。", s, amountExample)
	}
	return fen, nil
}

// splitUnit splits a trailing unit of letters (not digits, '.', ',', '-' or space) from s.
func splitUnit(s string) (num, unit string) {
	i := len(s)
	for i > 0 {
		c := s[i-1]
		if c >= '0' && c <= '9' || c == '.' || c == ',' || c == ' ' || c == '-' {
			break
		}
		i--
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// scaleDecimal returns the decimal number num multiplied by 10^pow, exactly, as an int64.
// num is digits with optional thousands separators (groups of three after the first) and an
// optional fraction. It fails for a sign, for a fraction finer than 10^-pow, and for overflow.
func scaleDecimal(num string, pow int) (int64, error) {
	if num == "" {
		return 0, fmt.Errorf("没有数字")
	}
	if num[0] == '-' {
		return 0, fmt.Errorf("不能为负数")
	}
	intPart, frac, hasDot := strings.Cut(num, ".")
	if hasDot && (frac == "" || intPart == "") {
		return 0, fmt.Errorf("小数点位置不对")
	}
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, fmt.Errorf("千分位逗号位置不对")
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, fmt.Errorf("千分位逗号位置不对")
			}
		}
		intPart = strings.Join(groups, "")
	}
	if !allDigits(intPart) || !allDigits(frac) {
		return 0, fmt.Errorf("含有非数字字符")
	}
	// Drop fraction digits that are zero, then check the rest fits the scale.
	frac = strings.TrimRight(frac, "0")
	if len(frac) > pow {
		return 0, fmt.Errorf("精度过细")
	}
	digits := strings.TrimLeft(intPart+frac+strings.Repeat("0", pow-len(frac)), "0")
	if digits == "" {
		return 0, nil
	}
	if len(digits) > maxDigits {
		return 0, fmt.Errorf("数字过大")
	}
	var v int64
	for _, c := range digits {
		v = v*10 + int64(c-'0')
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatWan renders an amount in 分 as 万元 with up to six decimals and no trailing zeros
// (exact: 196.5, 240, 684.8, 0.0001).
func FormatWan(fen int64) string { return formatScaled(fen, 6) }

// FormatYuan renders an amount in 分 as 元 with thousands separators and two decimals when
// there are 分 (6,848,000 or 2,400,000.50).
func FormatYuan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	whole, cents := fen/100, fen%100
	s := groupThousands(fmt.Sprint(whole))
	if cents != 0 {
		s += fmt.Sprintf(".%02d", cents)
	}
	if neg {
		s = "-" + s
	}
	return s
}

func groupThousands(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatScaled writes v / 10^pow exactly, trimming trailing zeros of the fraction.
func formatScaled(v int64, pow int) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := fmt.Sprint(v)
	if len(s) <= pow {
		s = strings.Repeat("0", pow-len(s)+1) + s
	}
	whole, frac := s[:len(s)-pow], strings.TrimRight(s[len(s)-pow:], "0")
	if frac != "" {
		whole += "." + frac
	}
	if neg {
		whole = "-" + whole
	}
	return whole
}

// FormatWanFixed renders an amount in 分 as 万元 rounded half up to the given decimals, for
// tables (exact arithmetic on integers).
func FormatWanFixed(fen int64, decimals int) string {
	if decimals < 0 || decimals > 6 {
		decimals = 2
	}
	div := int64(1)
	for i := 0; i < 6-decimals; i++ {
		div *= 10
	}
	neg := fen < 0
	if neg {
		fen = -fen
	}
	q := (fen + div/2) / div
	s := formatScaled(q, decimals)
	if decimals > 0 {
		whole, frac, _ := strings.Cut(s, ".")
		s = whole + "." + frac + strings.Repeat("0", decimals-len(frac))
	}
	if neg && q != 0 {
		s = "-" + s
	}
	return s
}
