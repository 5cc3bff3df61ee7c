package handlers

import "testing"

// TestBlindSampleD3: helper h14a's third batch, written after batch D2's fixes and committed
// before any run, in the harness of TestUnderstoodSamplePlan (sample plan for 2026, tracked from
// January, Wednesday 2026-06-10; nothing else in the store may change). Numbers are the day's
// list, as in TestBlindSampleD. More than half the rows change nothing.
func TestBlindSampleD3(t *testing.T) {
	const zz = "记录 中职国家助学金 春季 1200人 240万元"
	const mf = "中职免学费秋季 共计1,800人 共计360万元"
	for _, c := range []samplePlanRow{
		// completions
		{text: "今天把第24项的系统数据更新好了，然后25的通报表也报了", done: []string{"2026-06|更新维护", "2026-06|月点评"}},
		{text: "一封信已经全部寄出去了，一共寄了326封", done: []string{"2026-06|一封信"}},
		{text: "那个诚信宣传月，我们这周已经开展完了，宣传单发了两千份", done: []string{"2026-06|诚信宣传月"}},
		{text: "第27项上半年总结写完交给王主任了", done: []string{"2026-06|总结上半年"}},
		{text: "逾期的那个五月份的月点评，我已经补报了", done: []string{"2026-05|月点评"}},
		{text: "月底到期的一封信寄完了", done: []string{"2026-06|一封信"}},
		{text: "6月20号到期的那个弄好了", done: []string{"2026-06|更新维护"}},
		{text: "finished 25", done: []string{"2026-06|月点评"}},
		{text: "完成：24，25，26", done: []string{"2026-06|更新维护", "2026-06|月点评", "2026-06|一封信"}},
		{text: "24-26都弄好了", done: []string{"2026-06|更新维护", "2026-06|月点评", "2026-06|一封信"}},
		{text: "家访活动搞完了", done: []string{"2026-06|家庭大走访"}},
		{text: "把第四项标记为已完成", done: []string{"2026-05|大检查"}},
		{text: "帮我把一封信勾掉", done: []string{"2026-06|一封信"}},
		{text: "预申请统计 ✔ 已完成", done: []string{"2026-05|预申请"}},
		// corrections
		{steps: []string{"完成 24"}, text: "撤回刚才那个"},
		{steps: []string{"完成 24"}, text: "错了，不是24是26", done: []string{"2026-06|一封信"}},
		{steps: []string{"完成 24 25 26"}, text: "26还没寄", done: []string{"2026-06|更新维护", "2026-06|月点评"}},
		{steps: []string{"完成 25 已报"}, text: "备注错了，是已报市局", done: []string{"2026-06|月点评"}, note: "已报市局"},
		{steps: []string{"一封信寄完了"}, text: "不对，是诚信宣传月", done: []string{"2026-06|诚信宣传月"}},
		{steps: []string{"完成 27"}, text: "算了，先撤回吧"},
		// supervisor
		{user: "wangzr", text: "李老师这周做了哪些", reply: "李老师"},
		{user: "wangzr", text: "谁还没完成5月份的月点评", reply: "5月"},
		{user: "wangzr", text: "今年以来完成率多少", reply: "完成率"},
		{user: "wangzr", text: "本周的情况汇总一下", reply: "本周"},
		{user: "wangzr", steps: []string{zz}, text: "中职国家助学金春季总共发放了多少", reply: "240"},
		{user: "wangzr", text: "第26项交给李老师负责", assign: []string{"2026-06|一封信>lisi"}, reply: "分配给李老师"},
		{user: "wangzr", text: "新增任务 6月25日前 完成资助资金绩效自评", added: []string{"2026-06-25|绩效自评"}},
		{user: "wangzr", text: mf, reply: "是"},
		{user: "wangzr", steps: []string{mf}, text: "是", figures: []string{"免学费|中职|秋季|1800|360000000"}},
		{user: "wangzr", text: "帮我记一下 中职国家助学金 秋季 1300人 260w", figures: []string{"国家助学金|中职|秋季|1300|260000000"}},
		{user: "wangzr", text: "中职国家助学金秋季要是1300人的话大概多少钱"},
		// questions
		{text: "今天有什么要做的吗"},
		{text: "第25项截止到哪天"},
		{text: "一封信是寄给谁的"},
		{text: "月点评季通报表在哪报"},
		{text: "第三项我是不是标记过了"},
		{text: "大走访谁弄完了"},
		{text: "上半年总结要写多少字"},
		{text: "诚信宣传月的问卷收回来多少了"},
		// negations
		{text: "第24项的数据还没更新完，系统太卡了"},
		{text: "一封信我还没寄呢"},
		{text: "大检查不归我管，我不标"},
		{text: "今天到期的那个没弄好"},
		{text: "逾期的都还没处理"},
		{text: "我没法完成第三项，缺材料"},
		{text: "资助资金还没到账，发不了"},
		{text: "月点评报表没报上去，被退回来了"},
		// future and plans
		{text: "第25项这个月28号之前报"},
		{text: "下午去邮局寄一封信"},
		{text: "大走访准备下周开始"},
		{text: "等张老师回来再把第三项弄完"},
		{text: "周四要把诚信宣传月的活动总结交上去"},
		{text: "明后天把系统数据更新一下"},
		{text: "我一会儿就把第27项写完"},
		// conditions
		{text: "要是一封信明天能寄出去就好了"},
		{text: "如果今天能报完月点评我就告诉你"},
		{text: "系统数据更新完了的话我再跟你说"},
		// hearsay and uncertain
		{text: "学校那边说大走访已经搞完了"},
		{text: "我记得第三项已经报过了"},
		{text: "王主任说一封信不用寄了"},
		{text: "可能月点评已经有人报了"},
		// partial
		{text: "一封信寄了三百封，还剩一百多封"},
		{text: "系统数据更新了大半"},
		{text: "大走访只走了两个县"},
		{text: "诚信宣传月活动刚开了个头"},
		{text: "预申请统计完成了80%"},
		// chit-chat
		{text: "收到收到"},
		{text: "👍👍"},
		{text: "好的，我知道了，谢谢王主任"},
		{text: "下班啦"},
		{text: "[微笑]"},
		{text: "今天天气不错"},
		{text: "嗯，好"},
		// moved up from blindD3Misses with the fixes
		{user: "wangzr", steps: []string{zz}, text: "中职春季受助学生有多少", reply: "1200"},
		{user: "wangzr", text: "张老师有没有逾期的", reply: "张老师"},
		{user: "wangzr", text: "李老师有逾期的吗", reply: "李老师"},
	} {
		runSamplePlanRow(t, c)
	}
}

// blindD3Misses are batch D3's rows still missed, changing nothing (万元 with 角分 is refused):
// TestBlindSampleD3Misses asserts they change nothing, so a fix that makes one right moves it up
// with its expectation (in the comment).
var blindD3Misses = []samplePlanRow{
	{user: "wangzr", text: "记录 普高免学杂费 春季 500人 25万元3角5分"}, // figures 免学杂费|普通高中|春季|500|25000035
}

func TestBlindSampleD3Misses(t *testing.T) {
	for _, c := range blindD3Misses {
		runSamplePlanRow(t, c)
	}
}
