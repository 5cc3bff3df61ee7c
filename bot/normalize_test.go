package bot

import (
	"reflect"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"完成３", "完成3"},
		{"完成　３", "完成 3"},
		{"  完成\t3  ", "完成 3"},
		{"完成 １，２", "完成 1,2"},
		{"ＤＯＮＥ　３", "DONE 3"},
		{"@机器人 完成3", "完成3"},
		{"@planbot\u2005完成 3", "完成 3"},
		{"@机器人", "@机器人"},
		{"@机器人完成3", "@机器人完成3"},
		{"完成3。", "完成3"},
		{"完成3！！", "完成3"},
		{"完成3~", "完成3"},
		{"完成3～", "完成3"},
		{"完成 3 已报送。", "完成 3 已报送"},
		{"？", "?"},
		{"?", "?"},
		{"帮助？", "帮助"},
		{"完成：3", "完成:3"},
		{"今天👍", "今天"},
		{"\ufeff今天", "今天"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	tests := []struct {
		in   string
		nums []int
		rest string
		ok   bool
	}{
		{"3", []int{3}, "", true},
		{"3 已报送", []int{3}, "已报送", true},
		{"3已报送", []int{3}, "已报送", true},
		{"3、5", []int{3, 5}, "", true},
		{"1,2", []int{1, 2}, "", true},
		{"1, 2", []int{1, 2}, "", true},
		{"1 2 3", []int{1, 2, 3}, "", true},
		{"1-3", []int{1, 2, 3}, "", true},
		{"1 - 3", []int{1, 2, 3}, "", true},
		{"1到3", []int{1, 2, 3}, "", true},
		{"1~3", []int{1, 2, 3}, "", true},
		{"1至3 已报", []int{1, 2, 3}, "已报", true},
		{"1.2.3", []int{1, 2, 3}, "", true},
		{"1.2 已报", []int{1, 2}, "已报", true},
		{"3.5万元已发", []int{3}, ".5万元已发", true},
		{"3. 已报", []int{3}, ". 已报", true},
		{"第三项", []int{3}, "", true},
		{"三", []int{3}, "", true},
		{"十二", []int{12}, "", true},
		{"二十", []int{20}, "", true},
		{"第一、二项", []int{1, 2}, "", true},
		{"第一、第二项", []int{1, 2}, "", true},
		{"一到三", []int{1, 2, 3}, "", true},
		{"3号", []int{3}, "", true},
		{"第3项", []int{3}, "", true},
		{"3和5", []int{3, 5}, "", true},
		{"3 3", []int{3}, "", true},
		{"2 备注:已交", []int{2}, "已交", true},
		{"2 2份材料已交", []int{2}, "2份材料已交", true},
		{"一封信已寄出", nil, "一封信已寄出", false},
		{"3 一封信已寄出", []int{3}, "一封信已寄出", true},
		{"0", nil, "0", false},
		{"abc", nil, "abc", false},
		{"", nil, "", false},
		{"5-2", nil, "5-2", false},
		{"1-999", nil, "1-999", false},
		{"1-", []int{1}, "-", true},
	}
	for _, tt := range tests {
		nums, rest, ok := ParseNumbers(tt.in)
		if ok != tt.ok || !reflect.DeepEqual(nums, tt.nums) || rest != tt.rest {
			t.Errorf("ParseNumbers(%q) = %v, %q, %v; want %v, %q, %v", tt.in, nums, rest, ok, tt.nums, tt.rest, tt.ok)
		}
	}
}

func TestRawSuffix(t *testing.T) {
	tests := []struct{ raw, norm, want string }{
		{"完成 3（已上报）", "(已上报)", "（已上报）"},
		{"完成3 已上报，共计120人。", "已上报,共计120人", "已上报，共计120人"},
		{"完成 3 已报送。", "已报送", "已报送"},
		{"完成 3 共１２００人", "共1200人", "共１２００人"},
		{"完成 3 备注：已报送", "已报送", "已报送"},
		{"完成 3 x", "y", "y"},
		{"完成 3", "", ""},
	}
	for _, tt := range tests {
		if got := RawSuffix(tt.raw, tt.norm); got != tt.want {
			t.Errorf("RawSuffix(%q, %q) = %q, want %q", tt.raw, tt.norm, got, tt.want)
		}
	}
}

func TestChineseNumber(t *testing.T) {
	tests := map[string]int{"一": 1, "十": 10, "十一": 11, "二十三": 23, "一百零五": 105, "两": 2, "12": 12, "三十一": 31}
	for in, want := range tests {
		if got, ok := ChineseNumber(in); !ok || got != want {
			t.Errorf("ChineseNumber(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "二三", "百", "abc", "1234"} {
		if _, ok := ChineseNumber(bad); ok {
			t.Errorf("ChineseNumber(%q) ok, want not ok", bad)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"完成３", "@机器人 第一、二项已完成。", "1-3 备注", "撤销 十二", "新增 6月15日 报送", "\x00\xff", "1~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n && n != "?" {
			// idempotence is nice but not required for all inputs; only check no panic below
			_ = n
		}
		nums, _, ok := ParseNumbers(n)
		if ok && len(nums) == 0 {
			t.Fatalf("ok with no numbers for %q", s)
		}
		for _, x := range nums {
			if x <= 0 || x > 999 {
				t.Fatalf("number %d out of range for %q", x, s)
			}
		}
	})
}

// Chat reads numbers as plans and figures do (bot/zh): 廿 and the financial forms too.
func TestChineseNumberSharesZh(t *testing.T) {
	for in, want := range map[string]int{"廿三": 23, "贰": 2, "壹拾贰": 12, "卅": 30, "12": 12} {
		if got, ok := ChineseNumber(in); !ok || got != want {
			t.Errorf("ChineseNumber(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	if _, ok := ChineseNumber("一千"); ok {
		t.Error("ChineseNumber read 1000: item numbers stop at 999")
	}
}
