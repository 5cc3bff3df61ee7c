package plan

import (
	"regexp"
	"strings"
	"testing"
)

func keysOf(t *testing.T, text string) []string {
	t.Helper()
	pl, err := Parse("p.txt", []byte(text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, pl)
	var keys []string
	for _, o := range pl.Obligations {
		keys = append(keys, o.Key)
	}
	return keys
}

const keyBase = "2020年计划\n三月份\n1.每月20日前更新数据，28日前上报报表；\n2.确保3月25日前完成资金发放。\n3.做好宣传。\n3月31日\n"

func TestKeyStable(t *testing.T) {
	base := keysOf(t, keyBase)
	if len(base) != 4 {
		t.Fatalf("keys %v", base)
	}
	whole := regexp.MustCompile(`^` + keyRE.String() + `$`)
	for _, k := range base {
		if !whole.MatchString(k) {
			t.Errorf("key %q not in the documented form", k)
		}
	}
	for _, tc := range []struct {
		name string
		edit string
		same bool
	}{
		{"date only", strings.Replace(keyBase, "3月25日前", "3月26日前", 1), true},
		{"monthly day only", strings.Replace(keyBase, "每月20日前", "每月18日前", 1), true},
		{"deadline column", strings.Replace(keyBase, "3月31日", "3月30日", 1), true},
		{"punctuation and spaces", strings.Replace(keyBase, "确保3月25日前完成资金发放。", "确保 3月25日前 完成资金发放；", 1), true},
		{"wording", strings.Replace(keyBase, "完成资金发放", "完成助学金发放", 1), false},
		{"wording of a clause", strings.Replace(keyBase, "上报报表", "上报月报表", 1), false},
	} {
		got := keysOf(t, tc.edit)
		if len(got) != len(base) {
			t.Fatalf("%s: %d keys", tc.name, len(got))
		}
		same := 0
		for i := range got {
			if contains(base, got[i]) {
				same++
			}
		}
		switch {
		case tc.same && same != len(base):
			t.Errorf("%s: keys changed\n%v\n%v", tc.name, base, got)
		case !tc.same && same != len(base)-1: // only the edited line's key changes
			t.Errorf("%s: %d of %d keys kept\n%v\n%v", tc.name, same, len(base), base, got)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// A month heading written twice, with the same item, still gives unique keys.
func TestKeysUnique(t *testing.T) {
	keys := keysOf(t, "2020年计划\n三月份\n1.做好宣传。\n2.每周五前报送周报。\n三月份\n1.做好宣传。\n2.每周五前报送周报。\n")
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Errorf("duplicate %s", k)
		}
		seen[k] = true
	}
	if len(keys) != 2*(1+4) {
		t.Errorf("keys %v", keys)
	}
}

// A bare date in a clause ("9月1日开学后") is context, not a second obligation.
func TestBareDateNotSplit(t *testing.T) {
	pl, err := Parse("p.txt", []byte("2020年计划\n九月份\n1.9月1日开学后，9月10日前完成新生资助统计。\n2.3月10日前上报名单，3月20日前完成发放。\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := unkey(dump(pl))
	for _, want := range []string{
		"2020-03-10            once    L4   KEY 上报名单\n",
		"2020-03-20            once    L4   KEY 完成发放\n",
		"2020-09-10            once    L3   KEY 9月1日开学后，9月10日前完成新生资助统计\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if len(pl.Obligations) != 3 {
		t.Errorf("%d obligations", len(pl.Obligations))
	}
}

// Inserting or removing an item keeps every other item's key, so a re-import of the edited plan
// keeps their completions (the key is the period and the wording, not the position).
func TestKeysSurviveInsertedItem(t *testing.T) {
	base := keysOf(t, keyBase)
	inserted := strings.Replace(keyBase, "1.每月20日前", "1.开展月巡视。\n2.每月20日前", 1)
	inserted = strings.Replace(inserted, "2.确保", "3.确保", 1)
	inserted = strings.Replace(inserted, "3.做好", "4.做好", 1)
	got := keysOf(t, inserted)
	if len(got) != len(base)+1 {
		t.Fatalf("keys %v", got)
	}
	for _, k := range base {
		if !contains(got, k) {
			t.Errorf("inserting an item re-keyed %s\nbefore %v\nafter  %v", k, base, got)
		}
	}
	removed := strings.Replace(keyBase, "2.确保3月25日前完成资金发放。\n", "", 1)
	for _, k := range keysOf(t, strings.Replace(removed, "3.做好", "2.做好", 1)) {
		if !contains(base, k) {
			t.Errorf("removing an item re-keyed another: %s not in %v", k, base)
		}
	}
}

// In the new shapes too, editing only a date keeps the key: a calendar row's date cell, a
// bracketed month, a day named in the wording, a week of the month.
func TestKeyStableSchedules(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"XX中学2020年第一周工作安排\n日期 | 工作内容 | 责任处室\n2月24日 | 行政会 | 校长室\n2月25日 | 开学检查 | 办公室\n",
			"XX中学2020年第一周工作安排\n日期 | 工作内容 | 责任处室\n2月24日 | 行政会 | 校长室\n2月27日 | 开学检查 | 办公室\n"},
		{"XX工会2019年度工作要点\n1.组织学习（11月）\n2.慰问活动（1月、12月）\n",
			"XX工会2019年度工作要点\n1.组织学习（10月）\n2.慰问活动（1月、12月）\n"},
		{"2021年计划\n三月\n1.开展“3.22世界水日”活动\n2.第二周为应急演练周\n",
			"2021年计划\n三月\n1.开展“3.23世界水日”活动\n2.第三周为应急演练周\n"},
		{"XX团委2019年活动安排\n9月10日：庆祝教师节\n9月20日前：发展团员\n",
			"XX团委2019年活动安排\n9月10日：庆祝教师节\n9月25日前：发展团员\n"},
	} {
		a, b := keysOf(t, tc.a), keysOf(t, tc.b)
		if strings.Join(a, " ") != strings.Join(b, " ") {
			t.Errorf("keys moved with a date edit:\n%v\n%v", a, b)
		}
	}
}
