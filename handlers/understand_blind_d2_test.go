package handlers

import "testing"

// TestBlindSampleD2: helper h14a's second batch, written after batch D's fixes and committed
// before any run, in the harness of TestUnderstoodSamplePlan (sample plan for 2026, tracked from
// January, Wednesday 2026-06-10; nothing else in the store may change). Numbers are the day's
// list, as in TestBlindSampleD. More than half the rows change nothing.
func TestBlindSampleD2(t *testing.T) {
	const zz = "记录 中职国家助学金 春季 1200人 240万元"
	const pg = "普高国家助学金秋季 2000人 400W"
	for _, c := range []samplePlanRow{
		// completions
		{text: "第一项，完成", done: []string{"2026-05|资格认定"}},
		{text: "已完成第2项", done: []string{"2026-05|宣传工作计划"}},
		{text: "第三、四项已办结", done: []string{"2026-05|预申请", "2026-05|大检查"}},
		{text: "5和7都报了", done: []string{"2026-05|月点评", "2026-05|更新维护"}},
		{text: "一封信寄掉了", done: []string{"2026-06|一封信"}},
		{text: "系统数据这个月的已经维护好了", done: []string{"2026-06|更新维护"}},
		{text: "4月份月点评季通报表补报完了", done: []string{"2026-04|月点评"}},
		{text: "三月份的职业技能资助资金发放了", done: []string{"2026-03|职业技能"}},
		{text: "大走访部署下去了", done: []string{"2026-06|家庭大走访"}},
		{text: "暑期大走访提前搞完了", done: []string{"2026-07|暑期"}},
		{text: "宣传单、调查问卷、电话回访都做完了", done: []string{"2026-06|诚信宣传月"}},
		{text: "月巡视开展了", done: []string{"2026-04|开展月巡视"}},
		{text: "完成第二十四项", done: []string{"2026-06|更新维护"}},
		{text: "完成24 25", done: []string{"2026-06|更新维护", "2026-06|月点评"}},
		{text: "24、25、26都搞定了", done: []string{"2026-06|更新维护", "2026-06|月点评", "2026-06|一封信"}},
		{text: "wancheng 24", reply: "回复“是”"},
		{steps: []string{"wancheng 24"}, text: "好的", done: []string{"2026-06|更新维护"}},
		// corrections
		{steps: []string{"完成 24"}, text: "撤销"},
		{steps: []string{"完成 24 25"}, text: "25撤回", done: []string{"2026-06|更新维护"}},
		{steps: []string{"完成 26"}, text: "不好意思点错了，应该是27", done: []string{"2026-06|总结上半年"}},
		{steps: []string{"完成 3 已报"}, text: "备注改成：已报市资助中心", done: []string{"2026-05|预申请"}, note: "已报市资助中心"},
		{steps: []string{"一封信寄完了"}, text: "刚才那个不算"},
		{steps: []string{"完成 1"}, text: "对了，第一项备注一下：已上报省厅", done: []string{"2026-05|资格认定"}, note: "已上报省厅"},
		// supervisor
		{user: "wangzr", text: "这个月大家完成得怎么样", reply: "6月"},
		{user: "wangzr", text: "张老师手上还有几项没做", reply: "张老师"},
		{user: "wangzr", text: "全年一共多少项，完成了多少", reply: "完成"},
		{user: "wangzr", text: "哪些事情逾期了", reply: "逾期"},
		{user: "wangzr", steps: []string{zz}, text: "春季助学金发放人数是多少", reply: "1200"},
		{user: "wangzr", steps: []string{zz, "记录 免学费 中职 春季 1000人 100万元"}, text: "中职春季一共花了多少钱", reply: "万元"},
		{user: "wangzr", text: "把第27项分给李老师", assign: []string{"2026-06|总结上半年>lisi"}, reply: "分配给李老师"},
		{user: "wangzr", text: "诚信宣传月活动安排张老师跟进一下", assign: []string{"2026-06|诚信宣传月>zhangsan"}, reply: "分配给张老师"},
		{user: "wangzr", text: "加一个任务：6月20日前上报资助资金发放明细", added: []string{"2026-06-20|资金发放明细"}},
		{user: "wangzr", text: "帮我记一下，中职免学费春季，发了1,500人，金额300万元", figures: []string{"免学费|中职|春季|1500|300000000"}},
		{user: "wangzr", text: pg, reply: "是"},
		{user: "wangzr", steps: []string{pg}, text: "1", figures: []string{"国家助学金|普通高中|秋季|2000|400000000"}},
		{user: "wangzr", steps: []string{pg}, text: "取消"},
		{user: "wangzr", text: "记录 学前资助 春季 300人 150000元5角", figures: []string{"学前资助|幼儿园|春季|300|15000050"}},
		{user: "wangzr", text: "中职助学金春季是1200人吗"},
		// questions
		{text: "第三项完成了没？"},
		{text: "第3个弄好没有啊"},
		{text: "一封信是不是还没寄"},
		{text: "诚信宣传月的活动谁在负责啊"},
		{text: "还有几个没完成"},
		{text: "第五项到底报没报"},
		{text: "大走访开展得怎么样了"},
		{text: "系统数据这个月要更新几次"},
		{text: "预申请统计需要什么材料"},
		{text: "资格认定怎么报"},
		// negations
		{text: "第6项资金还没发下去"},
		{text: "第一项暂时完成不了"},
		{text: "大检查我们还没开始部署"},
		{text: "一封信没寄成，退回来了"},
		{text: "月点评还没来得及报"},
		{text: "不要把第4项标成完成"},
		{text: "第24项先别动"},
		{text: "那个宣传工作计划我没做，是张老师做的"},
		{text: "还没有更新系统数据"},
		// future and plans
		{text: "今天下班前把一封信寄出去"},
		{text: "周五之前要把上半年总结写完"},
		{text: "过两天再报月点评"},
		{text: "回头我把第三项补上"},
		{text: "下个月再开展月巡视"},
		{text: "打算明天部署大检查"},
		{text: "等会儿就去更新系统数据"},
		{text: "一会儿把第2项弄完"},
		{text: "晚点再说"},
		// conditions
		{text: "要是今天能发完资金我就告诉你"},
		{text: "如果领导签字了，实施办法就算定了"},
		{text: "假如系统恢复了就把数据更新了"},
		{text: "只要学校交上来，预申请就能统计完"},
		// hearsay and uncertain
		{text: "张老师说一封信寄了"},
		{text: "好像大走访已经部署过了"},
		{text: "估计第五项已经报了"},
		{text: "大概系统数据更新完了吧"},
		{text: "据说诚信宣传月活动搞完了"},
		// partial
		{text: "一封信寄了一部分"},
		{text: "大走访完成了七成"},
		{text: "系统数据更新到一半"},
		{text: "资格认定还剩最后一个学校"},
		{text: "上半年总结快写完了"},
		{text: "月点评报了一部分"},
		// chit-chat
		{text: "好滴"},
		{text: "😂"},
		{text: "谢谢小助手"},
		{text: "明白"},
		{text: "知道了"},
		{text: "OK的"},
		{text: "没事了"},
		{text: "周末愉快"},
		// added with the fixes (not blind)
		{steps: []string{"完成 1"}, text: "第三项备注改成已报送", done: []string{"2026-05|资格认定"}, reply: "没有做任何更改"},
		{steps: []string{"完成 1 已报"}, text: "第一项备注改成已报省厅", done: []string{"2026-05|资格认定"}, note: "已报省厅"},
		{text: "一封信寄了一多半"},
		{text: "诚信宣传月活动做了两成"},
		{text: "上半年总结的准备工作都做好了"}, // the preparation, not the summary
	} {
		runSamplePlanRow(t, c)
	}
}

// blindD2Misses are batch D2's rows still missed, each on the safe side: TestBlindSampleD2Misses
// asserts they change nothing, so a fix that makes one right moves it up. 迎接省考核的准备工作
// 提前做好了 was written to ask between October's and November's 迎接省考核准备工作; its 准备 reads
// as a plan ("等办完后再告诉我"), and taking 准备工作 as a noun would also complete 总结上半年 from
// 上半年总结的准备工作都做好了 (the preparation, not the summary).
var blindD2Misses = []samplePlanRow{
	{text: "迎接省考核的准备工作提前做好了"},
}

func TestBlindSampleD2Misses(t *testing.T) {
	for _, c := range blindD2Misses {
		runSamplePlanRow(t, c)
	}
}
