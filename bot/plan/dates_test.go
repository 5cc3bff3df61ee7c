package plan

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseNum(t *testing.T) {
	for in, want := range map[string]int{
		"1": 1, "12": 12, "一": 1, "十": 10, "十二": 12, "二十": 20, "二十八": 28, "三十一": 31,
		"廿": 20, "廿五": 25, "元": 1, "正": 1, "两": 2, "二〇二〇": 2020, "〇": 0,
	} {
		if got, ok := parseNum(in); !ok || got != want {
			t.Errorf("parseNum(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "十十", "一十二三", "a", "12345", "百", "二十三四"} {
		if got, ok := parseNum(in); ok {
			t.Errorf("parseNum(%q) = %d, want failure", in, got)
		}
	}
}

// describe renders expressions compactly: kind:month/day, start for ranges, weekday for weekly.
func describe(es []expr) string {
	var out []string
	for _, e := range es {
		switch e.Kind {
		case kMonthly:
			out = append(out, fmt.Sprintf("monthly:%d", e.Day))
		case kWeekly:
			out = append(out, fmt.Sprintf("weekly:%d", e.Weekday))
		case kRange:
			out = append(out, fmt.Sprintf("range:%d/%d-%d/%d", e.StartMonth, e.StartDay, e.Month, e.Day))
		case kYearEnd:
			out = append(out, "yearend")
		default:
			out = append(out, fmt.Sprintf("date:%d/%d", e.Month, e.Day))
		}
	}
	return strings.Join(out, " ")
}

func TestExtractDates(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"每月20日前更新数据，28日前上报报表；", "monthly:20 date:0/28"},
		{"确保5月25日前完成资金发放", "date:5/25"},
		{"秋季学生发放工作9月24日前完成", "date:9/24"},
		{"1月16日前完成决算", "date:1/16"},
		{"2月30日前上报", "date:2/30"},
		{"中旬召开会议", "date:0/20"},
		{"上旬布置，下旬检查", "date:0/10 date:0/99"},
		{"月底前完成", "date:0/99"},
		{"本月末完成", "date:0/99"},
		{"3月底前完成", "date:3/99"},
		{"三月底前完成", "date:3/99"},
		{"6月份下旬前完成", "date:6/99"},
		{"每月底前更新名单", "monthly:99"},
		{"每月上旬召开例会", "monthly:10"},
		{"每月的15号前报送", "monthly:15"},
		{"每周五前报送周报", "weekly:5"},
		{"每星期一前报送", "weekly:1"},
		{"每周日前汇总", "weekly:0"},
		{"每周一次巡查", ""},
		{"3月1日至3月15日开展认定", "range:3/1-3/15"},
		{"3月1日-15日开展认定", "range:3/1-3/15"},
		{"12月20日至1月10日开展", "range:12/20-1/10"},
		{"10日至20日开展", "range:0/10-0/20"},
		{"五月二十五日前完成", "date:5/25"},
		{"十二月三十一日前", "date:12/31"},
		{"2020年12月31日前", "date:12/31"},
		{"2020-05-25前", "date:5/25"},
		{"元月15日前", "date:1/15"},
		{"年底前完成决算", "yearend"},
		{"9月1日起实施", ""},
		{"9月1日后开学", ""},
		{"做好2020年春季学期工作", ""},
		{"13月5日前", ""},
		{"5月32日前", ""},
		{"3日内完成", ""},
		{"3个工作日前", ""},
		{"第2.5项", ""},
		{"", ""},
	} {
		es := extractDates(normalize(tc.in))
		if got := describe(es); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStripDates(t *testing.T) {
	s := "每月20日前更新数据，28日前上报报表"
	if got := stripDates(s, extractDates(s)); got != "更新数据，上报报表" {
		t.Errorf("stripDates: %q", got)
	}
}

func TestHeadings(t *testing.T) {
	for _, tc := range []struct {
		in     string
		m1, m2 int
		rest   string
	}{
		{"一、一月", 1, 1, ""},
		{"三月份", 3, 3, ""},
		{"5月", 5, 5, ""},
		{"七至八月份", 7, 8, ""},
		{"元月至二月份", 1, 2, ""},
		{"1-2月", 1, 2, ""},
		{"十一月", 11, 11, ""},
		{"十二月至一月", 12, 1, ""},
		{"（三）三月份工作安排", 3, 3, ""},
		{"6月份：1.做好宣传", 6, 6, "1.做好宣传"},
		{"第二季度", 4, 6, ""},
		{"2021年3月", 3, 3, ""},
		{"【三月】", 3, 3, ""},
		{"全年常规工作", 1, 12, ""},
		{"五、下半年工作：", 7, 12, ""},
		{"三月份（3月1日-3月31日）", 3, 3, ""},
		{"3月份重点工作：", 3, 3, ""},
	} {
		h, ok := parseHeading(normalize(tc.in))
		if !ok || h.m1 != tc.m1 || h.m2 != tc.m2 || h.rest != tc.rest {
			t.Errorf("%q: %+v %v", tc.in, h, ok)
		}
	}
	for _, in := range []string{"2月29日", "3月31日", "七", "2020年全年工作计划", "全年完成", "1.1月16日前完成", "三月份做好工作", "13月", "二十月", "5月20日前完成", "2月底"} {
		if h, ok := parseHeading(normalize(in)); ok {
			t.Errorf("%q read as heading %+v", in, h)
		}
	}
}

func TestSplitItems(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1.甲；2.乙", "#甲；|#乙"},
		{"3.甲；      4.乙", "#甲；      |#乙"},
		{"1.1月16日前完成", "#1月16日前完成"},
		{"1、甲 2、乙", "#甲 2、乙"}, // one space is not a separator
		{"1.甲；3.乙", "#甲；3.乙"}, // out of sequence: stays inside
		{"（1）甲；（2）乙。（3）丙", "#甲；|#乙。|#丙"},
		{"① 甲  ② 乙", "#甲  |#乙"},
		{"甲，续", "甲，续"},
		{"1，甲；2，乙", "#甲；|#乙"},
		{"第2.5项", "第2.5项"},
	} {
		last := 0
		var got []string
		for _, s := range splitItems(normalize(tc.in), &last) {
			p := ""
			if s.numbered {
				p = "#"
			}
			got = append(got, p+s.text)
		}
		if g := strings.Join(got, "|"); g != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, g, tc.want)
		}
	}
}
