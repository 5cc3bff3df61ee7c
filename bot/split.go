package bot

import (
	"strconv"
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
	// Every part is a substring of s: [from, to) is the part being filled, has says it is open.
	var parts []string
	from, to, has := 0, 0, false
	for pos := 0; pos <= len(s); {
		end := strings.IndexByte(s[pos:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += pos
		}
		switch {
		case has && end-from <= max: // the line joins the open part, with its newline
			to = end
		case end-pos <= max:
			if has {
				parts = append(parts, s[from:to])
			}
			from, to, has = pos, end, true
		default:
			if has {
				parts = append(parts, s[from:to])
			}
			pieces := cutRunes(s[pos:end], max)
			parts = append(parts, pieces[:len(pieces)-1]...)
			last := pieces[len(pieces)-1]
			from, to, has = end-len(last), end, true
		}
		pos = end + 1
	}
	if has {
		parts = append(parts, s[from:to])
	}
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

// NumberedParts splits a message into parts of at most max bytes at line ends, like SplitBytes,
// and when it takes more than one, starts each part with where it stands: （1/3）, （2/3）….
// Blank parts are dropped.
func NumberedParts(s string, max int) []string {
	s = strings.TrimRight(s, "\n")
	if len(s) <= max {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return []string{s}
	}
	var parts []string
	for _, p := range SplitBytes(s, max-len("（99/99）")) {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) > 1 {
		for i := range parts {
			parts[i] = "（" + strconv.Itoa(i+1) + "/" + strconv.Itoa(len(parts)) + "）" + parts[i]
		}
	}
	return parts
}
