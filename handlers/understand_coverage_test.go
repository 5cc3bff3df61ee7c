package handlers

import "testing"

// A few words of a long title (年度总结 of 撰写上年度资助工作总结及本年度年工作计划) cover little of it;
// the title's own main words cover most of a short one.
func TestTitleCoverage(t *testing.T) {
	for _, c := range []struct {
		title, text string
		low         bool
	}{
		{"撰写上年度资助工作总结及本年度年工作计划", "年度总结写完了", true},
		{"撰写上年度资助工作总结及本年度年工作计划", "上年度总结和今年计划都写好了", false},
		{"谋划本年度工作", "谋划工作弄完了", false},
		{"谋划本年度工作", "年度工作谋划好了", false},
		{"更新维护学生资助管理及建档立卡信息系统数据", "今天天气不错", true},
	} {
		if got := titleCoverage(c.title, c.text); (got < 1.0/3) != c.low {
			t.Errorf("titleCoverage(%q, %q) = %.2f, want below 1/3: %v", c.title, c.text, got, c.low)
		}
	}
}
