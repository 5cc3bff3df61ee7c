package handlers

import "testing"

// TestBlindSampleF: the coordinator's fifth blind batch (committed 2026-12-04 20:46 UTC as 444eef5, before any
// run): figures recorded and asked back, figures typed loosely, dialog answers, corrections after a
// typed 完成, list and due-day questions. Same harness and numbering as TestBlindSampleE.
func TestBlindSampleF(t *testing.T) {
	const zz = "记录 中职国家助学金 春季 1200人 240万元"
	const pg = "记录 普高国家助学金 春季 1500人 300万元"
	for _, c := range []samplePlanRow{
		{user: "wangzr", steps: []string{zz}, text: "中职助学金春季发了多少钱", reply: "240"},
		{user: "wangzr", steps: []string{zz}, text: "中职国家助学金春季资助了多少人", reply: "1200"},
		{user: "wangzr", steps: []string{zz, pg}, text: "春季国家助学金一共发了多少", reply: "540"},
		{user: "wangzr", text: "中职国家助学金 春季 1,200 人 240 万", reply: "是"},
		{user: "wangzr", steps: []string{"中职国家助学金 春季 1,200 人 240 万", "是"}, text: "中职国家助学金春季多少人", reply: "1200"},
		{user: "wangzr", steps: []string{"普高免学费 春季 800人 64万", "是"}, text: "数据", reply: "免学杂费"},
		{user: "wangzr", steps: []string{"记录 中职国家助学金 春季 1200人 240w"}, text: "中职国家助学金春季发了多少钱", reply: "240万"},
		{user: "wangzr", text: "中职国家助学金春季是不是1200人"},
		{user: "wangzr", text: "要不要记一下中职助学金春季1200人"},
		{text: "中职助学金的数据还没统计出来"},
		{text: "下周再报中职助学金的数据"},
		{steps: []string{"系统数据更新好了"}, text: "6月的", done: []string{"2026-06|更新维护"}},
		{steps: []string{"系统数据更新好了"}, text: "好的谢谢"},
		{steps: []string{"系统数据更新好了"}, text: "算了"},
		{steps: []string{"完成 26"}, text: "谢谢", done: []string{"2026-06|一封信"}},
		{steps: []string{"完成 26"}, text: "备注：已寄出300封", done: []string{"2026-06|一封信"}},
		{steps: []string{"完成 26"}, text: "不是26，是25", done: []string{"2026-06|月点评"}},
		{steps: []string{"完成 24 25"}, text: "25撤回", done: []string{"2026-06|更新维护"}},
		{steps: []string{"完成 24 25"}, text: "全部撤回"},
		{steps: []string{"完成 24"}, text: "刚才那个撤销一下"},
		{text: "把24和25都标记完成", done: []string{"2026-06|更新维护", "2026-06|月点评"}},
		{text: "除了第3项，前五项都完成了", done: []string{"2026-05|资格认定", "2026-05|宣传工作计划", "2026-05|大检查", "2026-05|月点评"}},
		{text: "逾期的前两项都做完了", done: []string{"2026-05|资格认定", "2026-05|宣传工作计划"}},
		{user: "wangzr", text: "张老师这周做了啥", reply: "张老师"},
		{user: "wangzr", text: "谁还有逾期的", reply: "逾期"},
		{user: "wangzr", text: "第26项让张老师去做", assign: []string{"2026-06|一封信>zhangsan"}, reply: "分配给张老师"},
		{text: "今天有什么事", reply: "今天"},
		{text: "这周要干啥", reply: "本周"},
		{text: "下个月有什么任务", reply: "7月"},
		{text: "一封信什么时候截止", reply: "6月30日"},
		{text: "月点评哪天要交", reply: "6月28日"},
	} {
		runSamplePlanRow(t, c)
	}
}
