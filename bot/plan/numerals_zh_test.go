package plan

import "testing"

// Plans read numbers as chat and figures do (bot/zh): the financial forms and 百 too.
func TestParseNumSharesZh(t *testing.T) {
	for in, want := range map[string]int{"贰": 2, "壹拾贰": 12, "廿": 20, "二〇二〇": 2020, "元": 1, "一百": 100} {
		if got, ok := parseNum(in); !ok || got != want {
			t.Errorf("parseNum(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"二三十", "一万", "12345"} {
		if got, ok := parseNum(in); ok {
			t.Errorf("parseNum(%q) = %d, want refused", in, got)
		}
	}
}
