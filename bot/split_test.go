package bot

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitBytes(t *testing.T) {
	tests := []struct {
		name string
		s    string
		max  int
		want []string
	}{
		{"empty", "", 10, nil},
		{"fits", "a\nb", 10, []string{"a\nb"}},
		{"exact", "abc\ndef", 7, []string{"abc\ndef"}},
		{"one over", "abc\ndef", 6, []string{"abc", "def"}},
		{"packs greedily", "a\nb\nc\nd", 3, []string{"a\nb", "c\nd"}},
		{"blank lines kept", "a\n\nb", 3, []string{"a\n", "b"}},
		{"trailing newline", "ab\n", 3, []string{"ab\n"}},
		{"chinese at line ends", "完成\n逾期", 6, []string{"完成", "逾期"}},
		{"long line cut at runes", "一二三四五", 7, []string{"一二", "三四", "五"}},
		{"long line then short", "一二三\nx", 6, []string{"一二", "三\nx"}},
		{"rune wider than max", "一a", 2, []string{"一", "a"}},
		{"invalid bytes", "\xff\xfe\xfd", 2, []string{"\xff\xfe", "\xfd"}},
	}
	for _, tt := range tests {
		got := SplitBytes(tt.s, tt.max)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("%s: SplitBytes(%q, %d) = %q, want %q", tt.name, tt.s, tt.max, got, tt.want)
		}
	}
}

func checkSplit(t *testing.T, s string, max int) {
	parts := SplitBytes(s, max)
	longLine := false
	for _, l := range strings.Split(s, "\n") {
		if len(l) > max {
			longLine = true
		}
	}
	if !longLine && strings.Join(parts, "\n") != s {
		t.Fatalf("join(SplitBytes(%q, %d)) = %q", s, max, strings.Join(parts, "\n"))
	}
	if strings.ReplaceAll(strings.Join(parts, ""), "\n", "") != strings.ReplaceAll(s, "\n", "") {
		t.Fatalf("SplitBytes(%q, %d) lost or invented text: %q", s, max, parts)
	}
	for _, p := range parts {
		if len(p) > max {
			if r, n := utf8.DecodeRuneInString(p); n != len(p) || n <= max || r == utf8.RuneError && n == 1 {
				t.Fatalf("part %q of %d bytes > max %d", p, len(p), max)
			}
		}
		if utf8.ValidString(s) && !utf8.ValidString(p) {
			t.Fatalf("part %q cuts a rune", p)
		}
	}
	if s != "" && len(parts) == 0 {
		t.Fatalf("no parts for %q", s)
	}
}

func TestSplitBytesLong(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 300; i++ {
		b.WriteString("更新维护学生资助管理及建档立卡信息系统数据\n")
	}
	for _, max := range []int{1, 2, 3, 4, 5, 64, 2048} {
		checkSplit(t, b.String(), max)
	}
}

func FuzzSplitBytes(f *testing.F) {
	f.Add("a\nb\nc", 3)
	f.Add("一二三四五\n完成 3", 7)
	f.Add("\xff\xfe\n\n", 1)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 1 || max > 4096 {
			max = max%4096 + 4096
			max = max%4096 + 1
		}
		checkSplit(t, s, max)
	})
}

func TestNumberedParts(t *testing.T) {
	if got := NumberedParts("短\n", 2048); len(got) != 1 || got[0] != "短" {
		t.Fatalf("one part: %q", got)
	}
	if got := NumberedParts(" \n", 2048); got != nil {
		t.Fatalf("blank: %q", got)
	}
	long := strings.Repeat("一行字一行字一行字\n", 300)
	parts := NumberedParts(long, 2048)
	if len(parts) < 2 {
		t.Fatalf("%d parts", len(parts))
	}
	var rest []string
	for i, p := range parts {
		label := fmt.Sprintf("（%d/%d）", i+1, len(parts))
		if len(p) > 2048 || !strings.HasPrefix(p, label) {
			t.Fatalf("part %d: %d bytes, %q…", i+1, len(p), p[:12])
		}
		rest = append(rest, strings.TrimPrefix(p, label))
	}
	if strings.Join(rest, "\n") != strings.TrimRight(long, "\n") {
		t.Fatal("parts lose text")
	}
}

// FuzzNumberedParts: parts stay within the limit, keep UTF-8 whole and, without their labels,
// give back the message.
func FuzzNumberedParts(f *testing.F) {
	f.Add(strings.Repeat("一行字\n", 400), 2048)
	f.Add("短", 64)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 64 || max > 4096 || !utf8.ValidString(s) {
			return
		}
		parts := NumberedParts(s, max)
		var rest []string
		for i, p := range parts {
			if len(p) > max || !utf8.ValidString(p) {
				t.Fatalf("part %d: %d bytes (max %d)", i+1, len(p), max)
			}
			if len(parts) > 1 {
				p = strings.TrimPrefix(p, fmt.Sprintf("（%d/%d）", i+1, len(parts)))
			}
			rest = append(rest, p)
		}
		if strings.TrimSpace(s) != "" && !strings.Contains(s, "\n") && len(s) <= max-len("（99/99）") && strings.Join(rest, "\n") != strings.TrimRight(s, "\n") {
			t.Fatalf("parts lose text: %q", rest)
		}
	})
}
