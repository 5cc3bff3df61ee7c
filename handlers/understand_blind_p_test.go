package handlers

import "testing"

// TestBlindSampleP: the coordinator's fifteenth blind batch, committed before any run: ways of
// saying an item is not done that hold no plain negation word — stuck, shelved, waiting, not mine,
// one step left, done then undone. Nothing may change.
func TestBlindSampleP(t *testing.T) {
	for _, text := range []string{
		"第三项做不来", "第三项弄不来", "第三项完不成", "第三项没戏", "第三项黄了", "第三项泡汤了", "第三项没搞成",
		"第三项卡住了", "第三项卡在审批", "第三项有困难", "第三项遇到问题了", "第三项暂缓", "第三项搁置了", "第三项停了",
		"第三项先放着", "第三项等通知", "第三项不归我管", "第三项不是我负责的", "第三项跟我无关", "第三项我没参与",
		"第三项我不清楚", "第三项没消息", "第三项还在等学校报", "第三项就差盖章了", "第三项只剩签字了",
		"第三项还有最后一步", "第三项马上好", "第三项一会儿就好", "第三项收尾中", "第三项在走流程",
		"第三项已提交，审批中", "第三项报了但是被退回了", "第三项交了又撤回来了", "第三项本来完成了，后来又要重做",
		"一封信卡在邮局了", "一封信还在印", "一封信等盖章", "一封信就差贴邮票了", "大检查还在进行", "大检查进行到一半",
	} {
		runSamplePlanRow(t, samplePlanRow{text: text})
	}
}
