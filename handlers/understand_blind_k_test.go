package handlers

import "testing"

// TestBlindSampleK: the coordinator's tenth blind batch, committed before any run: conditions
// and plans without 如果/明天 (…了就…, 再说, 这两天, 下午), duties of others, wishes, and ten
// plain completions in the same voice as a control.
func TestBlindSampleK(t *testing.T) {
	for _, text := range []string{
		"一封信寄了就告诉你", "寄完一封信再说", "等我寄完一封信", "一封信寄完才能报月报", "一封信我下午寄",
		"一封信待会寄", "周五寄一封信", "一封信这两天寄", "一封信这周寄完", "一封信月底前寄完",
		"一封信该李老师寄", "一封信归张老师管", "一封信是张老师的活", "希望一封信早点寄完", "但愿一封信能按时寄到",
		"一封信寄完就好了", "要是一封信寄完就好了", "一封信寄完之后我再报月报", "一封信一寄完我就跟你说", "只要一封信寄了就行",
		"一封信可以寄了", "一封信能寄了", "一封信该寄了", "一封信得寄了", "一封信需要寄了",
		"一封信寄了的话告诉我", "寄一封信", "去寄一封信", "把一封信寄了", "记得寄一封信",
		"一封信还得再寄一批", "一封信第一批寄了，第二批还没", "一封信寄了三分之一", "一封信寄了大部分", "一封信还剩一点没寄",
	} {
		runSamplePlanRow(t, samplePlanRow{text: text})
	}
	for _, c := range []samplePlanRow{
		{text: "一封信下午已经寄出去了", done: []string{"2026-06|一封信"}},
		{text: "刚才把一封信寄了", done: []string{"2026-06|一封信"}},
		{text: "一封信全部寄完了", done: []string{"2026-06|一封信"}},
		{text: "一封信今天上午都寄出去了", done: []string{"2026-06|一封信"}},
		{text: "一封信搞定了", done: []string{"2026-06|一封信"}},
		{text: "报告，一封信寄完了", done: []string{"2026-06|一封信"}},
		// first contact expected done; the older TestUnderstood row 第3项ok了 (nothing, like 3好了)
		// keeps OK了 from completing, so the row follows it
		{text: "一封信OK了"},
		{text: "一封信的寄送工作已完成", done: []string{"2026-06|一封信"}},
		{text: "诚信宣传月活动圆满结束", done: []string{"2026-06|诚信宣传月"}},
		{text: "上半年总结已上交", done: []string{"2026-06|总结上半年"}},
	} {
		runSamplePlanRow(t, c)
	}
}
