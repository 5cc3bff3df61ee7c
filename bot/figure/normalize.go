package figure

import "strings"

// Normalize folds what phone keyboards type into plain forms: full-width digits, letters and
// punctuation become ASCII (１２００ → 1200, ，→ ,), the ideographic space becomes a space, and
// Chinese brackets and list marks (、；：（）【】。) become spaces.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\u3000':
			r = ' '
		case r >= '\uFF01' && r <= '\uFF5E':
			r -= 0xFEE0
		}
		switch r {
		case '、', '；', ';', '：', ':', '（', '）', '(', ')', '【', '】', '[', ']', '。', '=', '\t', '\n', '\r', '“', '”', '"', '《', '》':
			r = ' '
		case '＿':
			r = '_'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// separateCommas turns commas that do not stand between two digits into spaces; a comma between
// digits is a thousands separator (checked by the number reader).
func separateCommas(s string) string {
	bs := []byte(s)
	for i := 0; i < len(bs); i++ {
		if bs[i] == ',' && !(i > 0 && isDigit(bs[i-1]) && i+1 < len(bs) && isDigit(bs[i+1])) {
			bs[i] = ' '
		}
	}
	return string(bs)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
