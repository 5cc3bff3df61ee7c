package bot

import (
	"strings"
	"unicode/utf8"
)

// SplitBytes splits s into parts of at most max bytes each, at line boundaries: the newline
// between two parts is dropped, so strings.Join(parts, "\n") == s whenever no single line is
// longer than max. A longer line is cut at rune boundaries, never inside a UTF-8 sequence (an
// invalid byte counts as one rune). When max is smaller than a rune, that rune makes a part of
// its own. An empty s gives no parts.
func SplitBytes(s string, max int) []string {
	if s == "" {
		return nil
	}
	if max < 1 {
		max = 1
	}
	var parts []string
	cur, has := "", false
	flush := func() {
		if has {
			parts = append(parts, cur)
		}
		cur, has = "", false
	}
	for _, line := range strings.Split(s, "\n") {
		switch {
		case has && len(cur)+1+len(line) <= max:
			cur += "\n" + line
		case len(line) <= max:
			flush()
			cur, has = line, true
		default:
			flush()
			pieces := cutRunes(line, max)
			parts = append(parts, pieces[:len(pieces)-1]...)
			cur, has = pieces[len(pieces)-1], true
		}
	}
	flush()
	return parts
}

// cutRunes cuts a line longer than max into pieces of at most max bytes at rune boundaries.
func cutRunes(line string, max int) []string {
	var pieces []string
	for len(line) > max {
		n := 0
		for n < len(line) {
			_, size := utf8.DecodeRuneInString(line[n:])
			if n+size > max {
				break
			}
			n += size
		}
		if n == 0 { // one rune wider than max
			_, n = utf8.DecodeRuneInString(line)
		}
		pieces = append(pieces, line[:n])
		line = line[n:]
	}
	return append(pieces, line)
}
