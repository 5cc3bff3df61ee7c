package handlers

import "testing"

// TestBlindSampleE: the coordinator's fourth blind batch (committed 2026-12-04 20:45 UTC as 0f9727d, before any
// run), same harness as TestUnderstoodSamplePlan: sample plan for 2026, tracked from January,
// 2026-06-10. Numbers are the day's numbers of 今天/逾期 (1 资格认定, 2 宣传工作计划, 3 预申请,
// 4 大检查, 5 5月月点评, 6 5月25日资金, 7 5月系统数据, 24 6月系统数据, 25 6月月点评, 26 一封信).
func TestBlindSampleE(t *testing.T) {
	for _, c := range []samplePlanRow{
		{text: "第一项已经弄好了", done: []string{"2026-05|资格认定"}},
		{text: "那个第二个，宣传工作计划，已经制定好了", done: []string{"2026-05|宣传工作计划"}},
		{text: "第24项系统数据更新好了", done: []string{"2026-06|更新维护"}},
		{text: "完成第五项，已经报给省里了", done: []string{"2026-05|月点评"}, note: "已经报给省里了"},
		{text: "1和3都弄完了", done: []string{"2026-05|资格认定", "2026-05|预申请"}},
		{text: "前三项都做完了", done: []string{"2026-05|资格认定", "2026-05|宣传工作计划", "2026-05|预申请"}},
		{text: "第4项做完了吗"},
		{text: "第4项还没做完"},
		{text: "第四项明天再弄"},
		{text: "第四项做不完了"},
		{text: "要是第四项做完了我再告诉你"},
		{text: "第四项好像已经做完了"},
		{text: "第四项差不多了"},
		{text: "第4项完成一半了"},
		{text: "预申请统计我已经统计完报上去了", done: []string{"2026-05|预申请"}},
		{text: "大检查的工作已经部署下去，也开展了", done: []string{"2026-05|大检查"}},
		{text: "5月份的月点评已经报了", done: []string{"2026-05|月点评"}},
		{text: "五月的系统数据维护好了", done: []string{"2026-05|更新维护"}},
		{text: "助学金和建档立卡的资金5月25号之前都发放完了", done: []string{"2026-05|确保5月25日"}},
		{text: "资格认定那块工作我弄完了", done: []string{"2026-05|资格认定"}},
		{text: "学生资助实施办法定下来了", done: []string{"2026-04|实施办法"}},
		{text: "四月份的月巡视开展了没"},
		{text: "资助大检查下个礼拜开始"},
		{text: "预申请统计还差几个学校没报"},
		{text: "实施办法领导还没批"},
		{text: "免学杂费的工作应该落实了吧"},
		{text: "听说一封信已经寄了"},
		{steps: []string{"完成 3"}, text: "撤回"},
		{steps: []string{"完成 3"}, text: "不对，是第4项", done: []string{"2026-05|大检查"}},
		{steps: []string{"完成 1-3"}, text: "3还没弄完", done: []string{"2026-05|资格认定", "2026-05|宣传工作计划"}},
		{steps: []string{"完成 2"}, text: "点错了，不是这个"},
		{steps: []string{"完成 2 已报送"}, text: "备注写错了，应该是已上报市局", done: []string{"2026-05|宣传工作计划"}, note: "已上报市局"},
		{user: "wangzr", text: "李老师完成了几项", reply: "李老师"},
		{user: "wangzr", text: "5月份还有哪些没做完", reply: "5月"},
		{user: "wangzr", text: "全年完成率怎么样", reply: "完成率"},
		{user: "wangzr", text: "中职国家助学金春季一共多少人", reply: "助学金"},
		{user: "wangzr", text: "把一封信交给李老师", assign: []string{"2026-06|一封信>lisi"}, reply: "分配给李老师"},
		{user: "wangzr", text: "中职国家助学金春季1,200人240w", reply: "1200"},
		{user: "wangzr", text: "帮我记一下普高助学金秋季发了300万元，一共1500人", figures: []string{"国家助学金|普通高中|秋季|1500|300000000"}, reply: "1500"},
		{text: "好嘞"},
		{text: "OK"},
		{text: "[强]"},
		{text: "谢谢啦，你真棒"},
		{text: "早上好"},
		{text: "在吗"},
		{text: "你好，我是新来的"},
		// first contact expected wancheng 2 to act at once; the older TestUnderstood row (wancheng 3 →
		// asks, 是 → done) keeps pinyin behind a one-tap confirmation, so the row follows it
		{text: "wancheng 2", reply: "回复“是”"},
		{steps: []string{"wancheng 2"}, text: "是", done: []string{"2026-05|宣传工作计划"}},
		{text: "done 3", done: []string{"2026-05|预申请"}},
		{text: "第2项是不是已经完成了"},
		{text: "谁把第2项标完成了"},
		{text: "为什么第2项显示逾期"},
		{text: "怎么撤销"},
	} {
		runSamplePlanRow(t, c)
	}
}
