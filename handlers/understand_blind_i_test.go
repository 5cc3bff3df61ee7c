package handlers

import "testing"

// TestBlindSampleI: the coordinator's eighth blind batch, committed before any run: the safety
// families only (nothing may change): failures and returns, forgetting, postponing, regional and
// tag questions, A没A questions, group-chat habits (回复1 for 收到), WeCom emoji codes, greetings.
func TestBlindSampleI(t *testing.T) {
	for _, text := range []string{
		"系统数据更新失败了", "系统数据更新报错了", "月点评被退回了", "预申请统计被打回来了", "大检查没通过",
		"月报要重新报", "一封信忘了寄", "忘记报月报了", "月报漏报了", "大检查拖到下个月了", "一封信推到下周寄",
		"月巡视改到7月了", "今天没空弄系统数据", "一封信算了", "省里说月报不用报了", "一封信没能寄出去",
		"没来得及更新系统数据", "系统数据更新不上去", "月报报不上去", "预申请统计搞不定",
		"一封信寄了没呀", "一封信寄了不", "一封信寄了伐", "一封信寄了没得", "一封信到底寄没寄", "一封信寄没寄出去",
		"一封信有寄吗", "你知道一封信寄了吗", "一封信是谁寄的", "一封信寄出去多久了", "一封信寄了几封",
		"一封信寄完了是吧", "一封信寄完了对吧", "一封信寄完了是不", "一封信寄完了没错吧",
		"是不是可以标记一封信完成了",
		"1", "111", "收到请回复1", "哈哈好的", "嗯呢", "好滴", "ok的", "没问题", "收到收到", "好嘞收到",
		"[OK]", "[抱拳]", "[玫瑰]", "[握手]", "👌👌", "🙏", "早", "晚安", "周末愉快", "你是谁", "你能干什么",
		"测试", "test", "hello", "好的，我知道了，谢谢王主任", "王主任辛苦",
	} {
		runSamplePlanRow(t, samplePlanRow{text: text})
	}
	// added with the fixes (not blind): the telling forgotten is no work forgotten; help asked
	for _, c := range []samplePlanRow{
		{text: "忘了说，一封信已经寄了", done: []string{"2026-06|一封信"}},
		{text: "你能干什么", reply: "完成"},
		{text: "系统数据更新失败了", reply: "没有做任何更改"},
		// 重新报送 is handed in again, a completion (handlers/officetest's 完成 #key 重新报送)
		{text: "完成 3 重新报送", done: []string{"2026-05|预申请"}, note: "重新报送"},
		{text: "第三项重新报送了", done: []string{"2026-05|预申请"}},
	} {
		runSamplePlanRow(t, c)
	}
}
