package plan

import (
	"os"
	"testing"
)

// The summary names the count, the months, the year and its source, and the lines not placed.
func TestSummary(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"testdata/offices/youeryuan-2011.txt", "共 10 项；月份：4 个月（2011-01 至 2011-04）；年份 2011（取自月份标题）；未能归入的行：3"},
		{"testdata/offices/gonghui-2008.txt", "共 9 项；月份：4 个月（2008-03 至 2008-06）；年份 2008（取自落款）；未能归入的行：1"},
		{"testdata/offices/district-202007.txt", "共 20 项；月份：2020-07；年份 2020（取自标题）；未能归入的行：0"},
	} {
		data, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := Parse(tc.file, data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := Summary(pl); got != tc.want {
			t.Errorf("%s: %s\nwant %s", tc.file, got, tc.want)
		}
	}
	pl, _ := Parse("x.txt", []byte("2020年计划\n三月\n1.做好"), Options{Year: 2026})
	if got := Summary(pl); got != "共 1 项；月份：2026-03；年份 2026（取自--year）；未能归入的行：0" {
		t.Errorf("--year: %s", got)
	}
}
