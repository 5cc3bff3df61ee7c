package figure

import "testing"

// Figures read numerals as chat and plans do (bot/zh): the financial forms too.
func TestArabicQuantitiesSharesZh(t *testing.T) {
	for in, want := range map[string]string{
		"壹佰贰拾人":     "120人",
		"廿人":        "20人",
		"二百四十万元":    "2400000元",
		"一百九十六点五万元": "196.5万元",
		"二三人":       "二三人", // not a numeral: left alone
	} {
		if got := arabicQuantities(in); got != want {
			t.Errorf("arabicQuantities(%q) = %q, want %q", in, got, want)
		}
	}
}
