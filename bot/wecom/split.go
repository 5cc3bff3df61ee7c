package wecom

import (
	"strings"
	"unicode/utf8"
)

// splitBytes splits s into parts of at most max bytes, preferring line ends and never cutting
// a UTF-8 character. (bot.SplitBytes, H2's, does the same for the domain; this copy keeps the
// edge independent of it until it lands.)
func splitBytes(s string, max int) []string {
	if max < utf8.UTFMax {
		max = utf8.UTFMax
	}
	var parts []string
	for len(s) > max {
		cut := strings.LastIndexByte(s[:max+1], '\n')
		if cut <= 0 {
			cut = max
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
			parts = append(parts, s[:cut])
			s = s[cut:]
			continue
		}
		parts = append(parts, strings.TrimRight(s[:cut], "\n"))
		s = s[cut+1:]
	}
	if s = strings.TrimRight(s, "\n"); s != "" || len(parts) == 0 {
		parts = append(parts, s)
	}
	return parts
}
