package handlers

import "testing"

// TestBlindSampleR: the coordinator's seventeenth blind batch, committed before any run: asking
// the bot to mark an item in the many ways offices say it (标记/打勾/划掉/设为已完成/改成完成) and
// office jargon for a closed item (销号, 办结, 闭环, 结了, 归档), with refusals of the same words.
func TestBlindSampleR(t *testing.T) {
	three := []string{"2026-05|预申请"}
	for _, c := range []samplePlanRow{
		{steps: []string{"今天"}, text: "帮我把第三个标记一下，已经完成了。", done: three},
		{text: "帮我在第三项打个勾", done: three},
		{text: "第三项帮我勾一下", done: three},
		{text: "麻烦把第三项标记为已完成", done: three},
		{text: "请将第三项设置为完成", done: three},
		{text: "第三项状态改为已完成", done: three},
		{text: "把第三项改成已完成", done: three},
		{text: "第三项划掉吧，弄完了", done: three},
		{text: "第三项已销号", done: three},
		{text: "第三项可以销号了，已经报了", done: three},
		{text: "第三项已办结", done: three},
		{text: "第三项已经闭环了", done: three},
		{text: "第三项结了", done: three},
		{text: "第三项已归档", done: three},
		{text: "帮我看看第三项标记了没"},
		{text: "别帮我标记第三项"},
		{text: "先别勾第三项"},
		{text: "第三项不要标记"},
		{text: "第三项还不能销号"},
		{text: "第三项没办结"},
		{text: "第三项还没闭环"},
		{text: "第三项标记错了吗"},
	} {
		runSamplePlanRow(t, c)
	}
}
