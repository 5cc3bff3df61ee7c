package zh

import (
	"testing"
	"unicode/utf8"
)

func TestInteger(t *testing.T) {
	for in, want := range map[string]int64{
		"零": 0, "〇": 0, "一": 1, "两": 2, "三": 3, "九": 9, "十": 10, "十二": 12, "二十": 20,
		"二十三": 23, "三十一": 31, "廿": 20, "廿三": 23, "卅": 30, "卅一": 31,
		"一百": 100, "一百零五": 105, "一百十": 110, "一百一十": 110, "一百二十": 120, "九百九十九": 999,
		"两千": 2000, "一千二百": 1200, "一千零二": 1002, "一千零二十": 1020,
		"十万": 100_000, "一万": 10_000, "两万三千": 23_000, "二百四十万": 2_400_000,
		"一亿零五百万": 105_000_000, "三亿": 300_000_000,
		"壹": 1, "贰拾叁": 23, "壹佰贰拾叁": 123, "叁仟": 3000, "陆": 6,
	} {
		got, ok := Integer(in)
		if !ok || got != want {
			t.Errorf("Integer(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "二三", "二〇二〇", "一零", "百", "千", "万", "亿", "十十", "二十三十",
		"二十一百", "一万二千万", "廿十", "三廿", "一二十", "abc", "十a", "零十", "一万万"} {
		if got, ok := Integer(in); ok {
			t.Errorf("Integer(%q) = %d, want not a number", in, got)
		}
	}
}

func TestDigitsAndNumber(t *testing.T) {
	for in, want := range map[string]int64{"二〇二〇": 2020, "二零一一": 2011, "一一": 11, "〇八": 8, "二○○八": 2008} {
		if got, ok := Digits(in); !ok || got != want {
			t.Errorf("Digits(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	if _, ok := Digits("二十"); ok {
		t.Error("Digits read a numeral with a unit")
	}
	for in, want := range map[string]int64{"12": 12, "十二": 12, "二〇二六": 2026, "0": 0} {
		if got, ok := Number(in); !ok || got != want {
			t.Errorf("Number(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "1a", "十二a", "１２"} {
		if _, ok := Number(in); ok {
			t.Errorf("Number(%q) read", in)
		}
	}
}

func TestFoldWidth(t *testing.T) {
	for in, want := range map[rune]rune{'１': '1', 'Ａ': 'A', '，': ',', '（': '(', '\u3000': ' ', '中': '中', 'a': 'a'} {
		if got := FoldWidth(in); got != want {
			t.Errorf("FoldWidth(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzInteger: never panics, never reads more than the bound, and what it reads it reads again
// the same; every accepted string is made of numeral characters.
func FuzzInteger(f *testing.F) {
	for _, s := range []string{"一亿零五百万", "廿三", "二〇二〇", "壹佰贰拾叁", "十", "九千九百九十九亿"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		n, ok := Integer(s)
		if !ok {
			return
		}
		if n < 0 || n > maxValue {
			t.Fatalf("Integer(%q) = %d out of range", s, n)
		}
		for _, r := range s {
			if !IsNumeral(r) {
				t.Fatalf("Integer(%q) accepted %q", s, r)
			}
		}
		if m, ok2 := Number(s); !ok2 || m != n {
			t.Fatalf("Number(%q) = %d, %v; Integer %d", s, m, ok2, n)
		}
	})
}

// The disagreement issue #15 found: 壹/贰 were read in chat but not in plans, 廿 in plans but not
// in chat. Every reader now goes through Integer; bot, bot/plan and bot/figure each test that
// their reader takes both (TestChineseNumberSharesZh, TestParseNumSharesZh, TestArabicQuantitiesSharesZh).
func TestFinancialAndArchaicForms(t *testing.T) {
	for in, want := range map[string]int64{"贰": 2, "廿": 20, "廿贰": 22, "壹拾": 10} {
		if got, ok := Integer(in); !ok || got != want {
			t.Errorf("Integer(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
}
