package handlers

import "testing"

// TestBlindSampleJ: the coordinator's ninth blind batch, committed before any run: questions
// only, most without 吗 or a question mark (voice input drops it): 请问/问一下/想知道 leads,
// alternative questions, slang and dialect ends, trailing particles. Nothing may change.
func TestBlindSampleJ(t *testing.T) {
	for _, text := range []string{
		"请问一封信寄了", "请问第三项完成了", "问一下第三项完成了", "问下一封信寄出去了", "咨询一下月报报了",
		"我想知道第三项完成了", "想了解一下一封信寄了", "打听一下大检查搞完了", "查一下第三项完成了没",
		"看看一封信寄了", "帮我看一下第三项完成了", "第三项完成了还是没完成", "第三项完成了还是第四项完成了",
		"第三项完成的怎么样了", "第三项完成到哪一步了", "第三项完成了几成", "第三项什么情况",
		"第三项完成了木有", "第三项完成了咩", "第三项好了没有哇", "一封信寄了没啊", "一封信寄了没呢",
		"一封信寄了么", "一封信寄出去了吧？", "不知道一封信寄了没", "想问下一封信寄了没",
		"一封信寄了没有呀", "一封信寄了没有哦", "第三项完成没完成", "第三项做没做完", "第三项弄好没弄好",
		"第三项完成了不", "第三项有没有完成", "第三项完成了没有啦", "是谁完成的第三项", "第三项谁做的",
		"第三项是不是李老师做完了", "李老师第三项做完了吗", "张老师，一封信寄了吗", "@李老师 一封信寄了没",
	} {
		runSamplePlanRow(t, samplePlanRow{text: text})
	}
}
