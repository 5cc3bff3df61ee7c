// Package zh is planbot's one reading of Chinese text as phones and Word documents write it:
// full-width forms folded to ASCII, and numerals (一二三, 十二, 廿三, 一百零五, 两万三千, the
// financial forms 壹贰叁…拾佰仟, and digit-by-digit years like 二〇二〇). Chat (bot), plans
// (bot/plan) and figures (bot/figure) all read numbers through it, so the same characters mean
// the same number everywhere.
package zh

// Digit returns the value of one Chinese digit character: 〇零○ 0, 一壹 1, 二两贰 2, 三叁 3,
// 四肆 4, 五伍 5, 六陆 6, 七柒 7, 八捌 8, 九玖 9.
func Digit(r rune) (int, bool) {
	switch r {
	case '〇', '零', '○':
		return 0, true
	case '一', '壹':
		return 1, true
	case '二', '两', '贰':
		return 2, true
	case '三', '叁':
		return 3, true
	case '四', '肆':
		return 4, true
	case '五', '伍':
		return 5, true
	case '六', '陆':
		return 6, true
	case '七', '柒':
		return 7, true
	case '八', '捌':
		return 8, true
	case '九', '玖':
		return 9, true
	}
	return 0, false
}

// unit returns the multiplier a character stands for: 十拾 10, 百佰 100, 千仟 1000, 万 10^4,
// 亿 10^8.
func unit(r rune) (int64, bool) {
	switch r {
	case '十', '拾':
		return 10, true
	case '百', '佰':
		return 100, true
	case '千', '仟':
		return 1000, true
	case '万':
		return 10_000, true
	case '亿':
		return 100_000_000, true
	}
	return 0, false
}

// IsNumeral reports whether r is a character a Chinese numeral is written with (digits, units,
// 廿 and 卅).
func IsNumeral(r rune) bool {
	if _, ok := Digit(r); ok {
		return true
	}
	_, ok := unit(r)
	return ok || r == '廿' || r == '卅'
}

// maxValue bounds what Integer reads, far above any count of people or 分 planbot stores.
const maxValue = 1 << 50

// Integer reads a Chinese numeral written with units: 三, 十二, 二十, 廿三, 卅, 一百零五, 一百十,
// 两千, 一千二百, 两万三千, 一亿零五百万, 贰拾叁. Units go down within a 万 section (二十一百 is
// not a number), two digits never touch without 零 or a unit (二三: see Digits for 二〇二〇),
// and the value stays below 2^50. ok is false for anything else.
func Integer(s string) (int64, bool) {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0, false
	}
	var total, section, digit, last int64 // last: the smallest unit used in section so far
	hasDigit, hasUnit := false, false
	for i, r := range rs {
		if d, ok := Digit(r); ok {
			if hasDigit && d != 0 && digit != 0 {
				return 0, false
			}
			digit, hasDigit = int64(d), true
			continue
		}
		if r == '廿' || r == '卅' {
			if i != 0 {
				return 0, false
			}
			section, last, hasUnit = 20, 10, true
			if r == '卅' {
				section = 30
			}
			continue
		}
		u, ok := unit(r)
		if !ok {
			return 0, false
		}
		hasUnit = true
		if u >= 10_000 { // 万 and 亿 close a section
			section += digit
			if section == 0 {
				return 0, false // 万 without a number before it
			}
			if u == 100_000_000 {
				total = (total + section) * u
			} else {
				if total%100_000_000 >= 10_000 {
					return 0, false // a second 万 section
				}
				total += section * u
			}
			if total > maxValue {
				return 0, false
			}
			section, last = 0, 0
			digit, hasDigit = 0, false
			continue
		}
		if (last != 0 && u >= last) || (hasDigit && digit == 0) {
			return 0, false // 二十一百, 十十, 零十
		}
		if !hasDigit {
			if u != 10 || (i != 0 && section == 0 && total == 0) {
				return 0, false // 百 alone; 十 after a stray 零
			}
			digit = 1 // 十二 = 12, 一百十 = 110
		}
		section += digit * u
		last = u
		digit, hasDigit = 0, false
	}
	if !hasUnit && len(rs) > 1 {
		return 0, false
	}
	return total + section + digit, true
}

// Digits reads a number written digit by digit, as years are (二〇二〇, 二零一一, 一一): every
// character a Digit. ok is false for anything else.
func Digits(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	count := 0
	for _, r := range s {
		d, ok := Digit(r)
		if !ok || count >= 15 {
			return 0, false
		}
		n = n*10 + int64(d)
		count++
	}
	return n, true
}

// Number reads s as ASCII digits, a Chinese numeral with units (Integer) or digit by digit
// (Digits), in that order.
func Number(s string) (int64, bool) {
	if n, ok := ascii(s); ok {
		return n, true
	}
	if n, ok := Integer(s); ok {
		return n, true
	}
	return Digits(s)
}

func ascii(s string) (int64, bool) {
	if s == "" || len(s) > 15 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// FoldWidth maps a full-width form (U+FF01…U+FF5E: １２３, ＡＢＣ, ，：（）) to ASCII and the
// ideographic space U+3000 to a space; other runes are returned unchanged.
func FoldWidth(r rune) rune {
	switch {
	case r == '\u3000':
		return ' '
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	}
	return r
}
