package figure

import (
	"regexp"
	"strings"
)

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

var (
	reWan      = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?) ?[wW]\b`)
	reJiaoFen  = regexp.MustCompile(`([0-9][0-9,]*)元([0-9])角(?:([0-9])分)?`)
	reFen      = regexp.MustCompile(`([0-9][0-9,]*)元([0-9])分`)
	reHighFree = regexp.MustCompile(`(普高|普通高中|高中)(学校)? ?免学费`)
	reZheng    = regexp.MustCompile(`(元|万)整`)
)

// Loosen rewrites loosely typed figures into the forms the parser reads: 240w -> 240万,
// 3004700元5角 -> 3004700.5元, 2400000元5角6分 -> 2400000.56元, 240万元整 -> 240万元, and
// 普高免学费 -> 普高免学杂费 (普通高中 has 免学杂费; 免学费 is 中职's).
func Loosen(s string) string {
	s = reWan.ReplaceAllString(s, "${1}万")
	s = reJiaoFen.ReplaceAllStringFunc(s, func(m string) string {
		g := reJiaoFen.FindStringSubmatch(m)
		return g[1] + "." + g[2] + g[3] + "元"
	})
	s = reFen.ReplaceAllString(s, "${1}.0${2}元")
	s = reHighFree.ReplaceAllString(s, "${1}免学杂费")
	s = reZheng.ReplaceAllString(s, "${1}")
	return s
}
