package handlers

import "testing"

// TestBlindSampleQ: the coordinator's sixteenth blind batch, committed before any run: answers to
// the bot's own questions — a numbered choice (资助资金 fits two items due by now) and a yes/no
// confirmation (wancheng 2) — answered as people answer on phones, and new messages sent instead
// of an answer.
func TestBlindSampleQ(t *testing.T) {
	ask := "我今天把资助资金都发放完了，帮我标记一下。"
	may := []string{"2026-05|确保5月25日"}
	two := []string{"2026-05|宣传工作计划"}
	for _, c := range []samplePlanRow{
		{steps: []string{ask}, text: "第二个", done: may},
		{steps: []string{ask}, text: "2吧", done: may},
		{steps: []string{ask}, text: "5月那个", done: may},
		{steps: []string{ask}, text: "都不是"},
		{steps: []string{ask}, text: "取消"},
		{steps: []string{ask}, text: "算了不弄了"},
		{steps: []string{ask}, text: "是"},
		{steps: []string{ask}, text: "一封信寄了", done: []string{"2026-06|一封信"}},
		{steps: []string{ask}, text: "今天"},
		{steps: []string{"wancheng 2"}, text: "是的", done: two},
		{steps: []string{"wancheng 2"}, text: "对的", done: two},
		{steps: []string{"wancheng 2"}, text: "好的", done: two},
		{steps: []string{"wancheng 2"}, text: "1", done: two},
		{steps: []string{"wancheng 2"}, text: "不用了"},
		{steps: []string{"wancheng 2"}, text: "等一下"},
		{steps: []string{"wancheng 2"}, text: "先不"},
		{steps: []string{"wancheng 2"}, text: "不是这个"},
		{steps: []string{"wancheng 2"}, text: "完成 3", done: []string{"2026-05|预申请"}},
		{steps: []string{"wancheng 2"}, text: "2还没做完呢"},
		{steps: []string{"wancheng 2"}, text: "是吗"},
	} {
		runSamplePlanRow(t, c)
	}
}
