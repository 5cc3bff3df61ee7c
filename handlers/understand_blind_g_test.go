package handlers

import "testing"

// TestBlindSampleG: the coordinator's sixth blind batch, committed before any run: sentences
// that hold a done word without stating a completion (notified, started, in progress, partial,
// rhetorical, counterfactual), answers to a confirmation or a choice, and corrections in words.
// Same harness and numbering as TestBlindSampleE (1 资格认定, 2 宣传工作计划, 3 预申请, 4 大检查,
// 5 5月月点评).
func TestBlindSampleG(t *testing.T) {
	for _, c := range []samplePlanRow{
		{text: "已经跟学校说了要尽快完成预申请统计"},
		{text: "已经通知各校报月报了"},
		{text: "已经提醒李老师做系统数据了"},
		{text: "一封信已经打印好了，还没寄"},
		{text: "大走访已经部署了，还没开展完"},
		{text: "系统数据我已经在弄了"},
		{text: "正在更新系统数据"},
		{text: "一封信寄了一部分"},
		{text: "已经开始寄一封信了"},
		{text: "诚信宣传月活动刚开始"},
		{text: "完成 3 的时候要注意什么"},
		{text: "我完成不了第三项，能不能延期"},
		{text: "第三项完成了，但是数据有问题，先别标记"},
		{text: "第三项完成了？"},
		{text: "第三项完成了吧"},
		{text: "难道第三项还没完成"},
		{text: "第三项谁完成的"},
		{text: "昨天完成的是第几项"},
		{text: "你帮我看看第三项完成没"},
		{text: "第三项不是我完成的"},
		{text: "第三项是张老师完成的"},
		{text: "领导说一封信不用寄了"},
		{text: "一封信取消了，不用做了"},
		{text: "上报月报的事情先放一放"},
		{text: "大走访的事下次再说"},
		{text: "本来今天要完成第三项的"},
		{text: "差一点就完成第三项了"},
		{text: "第三项完成了80%"},
		{text: "第三项只完成了一部分"},
		{text: "第三项完成了，第四项还没有", done: []string{"2026-05|预申请"}},
		{text: "三四都完成了，五还没", done: []string{"2026-05|预申请", "2026-05|大检查"}},
		{steps: []string{"第三项完成了"}, text: "我刚刚说错了，第三项没完成"},
		{steps: []string{"完成 3"}, text: "我是说第3项还没完成"},
		{steps: []string{"wancheng 2"}, text: "不是"},
		{steps: []string{"wancheng 2"}, text: "对", done: []string{"2026-05|宣传工作计划"}},
		{steps: []string{"系统数据更新好了"}, text: "都不是"},
		{steps: []string{"系统数据更新好了"}, text: "5月和6月的", done: []string{"2026-05|更新维护", "2026-06|更新维护"}},
	} {
		runSamplePlanRow(t, c)
	}
}
