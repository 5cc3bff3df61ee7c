package handlers

import "testing"

// TestBlindSampleN: the coordinator's thirteenth blind batch, committed before any run: typed
// commands as phones send them (punctuation, dashes, Chinese numerals, English case), numbers
// that do not exist, undo after a typed 完成, and who may assign and add.
func TestBlindSampleN(t *testing.T) {
	three := []string{"2026-05|预申请"}
	threeFour := []string{"2026-05|预申请", "2026-05|大检查"}
	oneTwo := []string{"2026-05|资格认定", "2026-05|宣传工作计划"}
	for _, c := range []samplePlanRow{
		{text: "完成 3 已报送市局", done: three, note: "已报送市局"},
		{text: "完成3。", done: three},
		{text: "完成 3，", done: three},
		{text: "完成：3", done: three},
		{text: "完成第3", done: three},
		{text: "完成三", done: three},
		{text: "完成 三、四", done: threeFour},
		{text: "３完成", done: three},
		{text: "3完成", done: three},
		{text: "Done 3", done: three},
		{text: "DONE 3", done: three},
		{text: "完成 3 4", done: threeFour},
		{text: "完成3、4", done: threeFour},
		{text: "完成 3和4", done: threeFour},
		{text: "完成3到4", done: threeFour},
		{text: "完成 1-2", done: oneTwo},
		{text: "完成 1~2", done: oneTwo},
		{text: "完成 1—2", done: oneTwo},
		{text: "撤销 3"},
		{steps: []string{"完成 3"}, text: "撤销 3"},
		{steps: []string{"完成 3"}, text: "撤销"},
		{steps: []string{"完成 3"}, text: "撤销3"},
		{steps: []string{"完成 3"}, text: "完成 3", done: three},
		{text: "完成 99"},
		{text: "完成 0"},
		{text: "完成 3 4 99"},
		{user: "wangzr", text: "分配 26 李老师", assign: []string{"2026-06|一封信>lisi"}},
		{user: "wangzr", text: "分配26给李老师", assign: []string{"2026-06|一封信>lisi"}},
		{user: "wangzr", text: "26 分给 张老师", assign: []string{"2026-06|一封信>zhangsan"}},
		{text: "分配 26 李老师"},
		{user: "wangzr", text: "新增 下周五 报送秋季资助数据", added: []string{"2026-06-19|报送秋季资助数据"}},
		{text: "新增 下周五 报送秋季资助数据"},
		{text: "今天"},
		{text: "逾期 2"},
		{text: "帮助 完成"},
		{text: "取消"},
	} {
		runSamplePlanRow(t, c)
	}
}
