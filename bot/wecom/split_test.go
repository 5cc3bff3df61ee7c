package wecom

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitBytes(t *testing.T) {
	line := "五月二十日前更新资助系统数据\n" // 43 bytes
	for _, tt := range []struct {
		name string
		in   string
		max  int
		n    int
	}{
		{"short", "今天", 2048, 1},
		{"empty", "", 2048, 1},
		{"lines", strings.Repeat(line, 100), 2048, 3},
		{"one long line", strings.Repeat("资", 1000), 2048, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			parts := splitBytes(tt.in, tt.max)
			if len(parts) != tt.n {
				t.Fatalf("%d parts, want %d", len(parts), tt.n)
			}
			var joined strings.Builder
			for _, p := range parts {
				if len(p) > tt.max || !utf8.ValidString(p) {
					t.Fatalf("bad part of %d bytes", len(p))
				}
				joined.WriteString(p)
			}
			strip := func(s string) string { return strings.ReplaceAll(s, "\n", "") }
			if strip(joined.String()) != strip(tt.in) {
				t.Fatal("content lost")
			}
		})
	}
}
