package handlers

import "testing"

// TestBlindSampleD: helper h14a's blind batch, written before reading the understanding code and
// committed before any run, in the harness of TestUnderstoodSamplePlan (sample plan for 2026,
// tracked from January, Wednesday 2026-06-10; nothing else in the store may change). Numbers are
// the day's list: 1 资格认定, 2 宣传工作计划, 3 预申请, 4 大检查, 5 5月月点评, 6 5月25日资金,
// 7 5月系统数据, 8 实施办法, 9 春季免学杂费, 10 月巡视, …, 24 6月系统数据, 25 6月月点评,
// 26 一封信, 27 总结上半年, 28 大走访, 29 诚信宣传月. More than half the rows change nothing.
func TestBlindSampleD(t *testing.T) {
	const zz = "记录 中职国家助学金 春季 1200人 240万元"
	for _, c := range []samplePlanRow{
		// completions in dictated sentences, by number and by wording
		{text: "嗯，那个，第三项的预申请统计，已经弄完了。", done: []string{"2026-05|预申请"}},
		{text: "就是那个资格认定的工作，我们昨天已经全部上报了", done: []string{"2026-05|资格认定"}},
		{text: "然后春季大检查也搞定了", done: []string{"2026-05|大检查"}},
		{text: "6月份的系统数据，我刚刚更新完了。", done: []string{"2026-06|更新维护"}},
		{text: "上个月的月点评季通报表补报了", done: []string{"2026-05|月点评"}},
		{text: "五月份那个资金发放，25号之前已经全部发完了", done: []string{"2026-05|确保5月25日"}},
		{text: "第24项搞定👍", done: []string{"2026-06|更新维护"}},
		{text: "第26项一封信已经全部寄出", done: []string{"2026-06|一封信"}},
		// first contact expected no note; the typed form 完成 N keeps its note as typed, as the older
		// TestMorePhrasings row (完成第三项，谢谢 -> note 谢谢) asserts, so the row follows it
		{text: "完成第7项，谢谢", done: []string{"2026-05|更新维护"}, note: "谢谢"},
		{text: "诚信宣传月的宣传单都发下去了，电话回访也都做完了，帮我标记一下", done: []string{"2026-06|诚信宣传月"}},
		{text: "上半年的资助工作总结已经交上去了", done: []string{"2026-06|总结上半年"}},
		{text: "月巡视4月份的已经做过了", done: []string{"2026-04|开展月巡视"}},
		{text: "春季直接免学杂费那个已经落实好了", done: []string{"2026-04|免学杂费"}},
		{text: "2月份的谋划本年度工作已经完成", done: []string{"2026-02|谋划"}},
		{text: "1，2，3都完成了", done: []string{"2026-05|资格认定", "2026-05|宣传工作计划", "2026-05|预申请"}},
		{text: "第1到第4项全部完成", done: []string{"2026-05|资格认定", "2026-05|宣传工作计划", "2026-05|预申请", "2026-05|大检查"}},
		{text: "除了第四项，前五项都做完了", done: []string{"2026-05|资格认定", "2026-05|宣传工作计划", "2026-05|预申请", "2026-05|月点评"}},
		{text: "逾期的第十项也做了", done: []string{"2026-04|开展月巡视"}},
		// first contact expected done #24 to act; the older TestMorePhrasings row (done #3 -> nothing)
		// keeps it from acting at once, so the row follows it: a one-tap confirmation
		{text: "done #24", reply: "回复“是”"},
		{text: "完成 ㉔", done: []string{"2026-06|更新维护"}},
		{text: "大走访和两节课的活动都已经部署开展了。", done: []string{"2026-06|家庭大走访"}},
		{text: "完成28，已部署到各县区", done: []string{"2026-06|家庭大走访"}, note: "已部署到各县区"},
		// corrections after a step
		{steps: []string{"完成 6"}, text: "撤回一下，刚才点错了"},
		{steps: []string{"完成 5"}, text: "不对不对，是第6项", done: []string{"2026-05|确保5月25日"}},
		{steps: []string{"完成 1 2 3"}, text: "第二项其实还没做完", done: []string{"2026-05|资格认定", "2026-05|预申请"}},
		{steps: []string{"完成 4 已部署"}, text: "备注写错了，应该是已部署并开展", done: []string{"2026-05|大检查"}, note: "已部署并开展"},
		{steps: []string{"完成 24"}, text: "不是24，是25", done: []string{"2026-06|月点评"}},
		{steps: []string{"一封信已经寄出去了"}, text: "点错了"},
		// supervisor: assign, add, questions
		{user: "wangzr", text: "那个，上半年工作总结让张老师来写吧", assign: []string{"2026-06|总结上半年>zhangsan"}, reply: "分配给张老师"},
		{user: "wangzr", text: "帮我新增一个事项，6月18号前报送资助政策宣传材料", added: []string{"2026-06-18|宣传材料"}},
		{user: "wangzr", text: "张老师这个月完成了几项啊", reply: "张老师"},
		{user: "wangzr", text: "5月份的完成率是多少", reply: "5月"},
		{user: "wangzr", text: "现在还有多少逾期的", reply: "23"},
		{user: "wangzr", steps: []string{zz}, text: "今年春季中职的助学金一共发了多少钱？", reply: "240"},
		{user: "wangzr", steps: []string{zz}, text: "中职一共资助了多少学生", reply: "1200"},
		{user: "wangzr", text: "一封信谁负责的", reply: "一封信"},
		{user: "wangzr", text: "下个月都有哪些工作", reply: "7月"},
		{user: "wangzr", text: "李老师还有啥没做完", reply: "李老师"},
		// figures typed loosely
		// first contact expected a confirmation; the catalogue has 国家助学金 for 中职 and 普通高中 only
		// (the older dialog row "wrong stage answer" refuses 幼儿园), so the row asks for its reason
		{user: "wangzr", text: "幼儿园国家助学金春季 320人 16w", reply: "没有幼儿园学段"},
		{user: "wangzr", steps: []string{"中职免学费 春季 2,000人 400万"}, text: "是", figures: []string{"免学费|中职|春季|2000|400000000"}},
		{user: "wangzr", text: "帮我记一下，普高免学费秋季900人，一共45万元", figures: []string{"免学杂费|普通高中|秋季|900|45000000"}},
		{user: "wangzr", text: "记录 中职国家助学金 秋季 1200人 2400000元5角", figures: []string{"国家助学金|中职|秋季|1200|240000050"}},
		// questions: nothing changes
		{text: "第三项是不是已经完成了？"},
		{text: "一封信寄出去了没有"},
		{text: "大检查有没有做完啊"},
		{text: "6月份的系统数据谁更新了"},
		{text: "月点评季通报表什么时候报"},
		{text: "第24项完成了吗？"},
		{text: "资格认定那个弄好了没"},
		{text: "预申请统计做完了么"},
		{text: "上半年总结交了没有呀"},
		{text: "那个，第七项，嗯，我看一下，还没弄"},
		// negations
		{text: "第五项还没报，省里系统打不开"},
		{text: "一封信还没有寄，地址还没核对完"},
		{text: "大走访没法完成，学校放假了"},
		{text: "第26项不用标记，还没寄"},
		{text: "别标记第三项，还差两个学校"},
		{text: "6月的系统数据没更新"},
		{text: "宣传工作计划还没定下来"},
		{text: "诚信宣传月活动完成不了，要延期"},
		{text: "第二项不是我做的，我没做"},
		// future and plans
		{text: "明天上午把月点评季通报表报上去"},
		{text: "下周一再去更新系统数据"},
		{text: "我打算这周五把一封信寄出去"},
		{text: "准备下午开展诚信宣传月活动"},
		{text: "等领导签完字再把实施办法报上去"},
		{text: "大走访要到月底才能做完"},
		{text: "第28项后天搞"},
		// conditions
		{text: "如果明天系统能登上，我就把数据更新了"},
		{text: "要是领导同意了，第4项就算完成"},
		{text: "等学校都交齐了，预申请统计就做完了"},
		// hearsay and uncertain
		{text: "好像第三项张老师已经弄完了"},
		{text: "听说月巡视已经开展过了"},
		{text: "一封信应该已经寄了吧"},
		{text: "大检查可能做完了，我问问"},
		// partial
		{text: "资格认定做了一半"},
		{text: "一封信快寄完了"},
		{text: "上半年工作总结差不多写好了"},
		{text: "预申请统计还差三个学校"},
		{text: "第一项基本弄完了，还剩一点尾巴"},
		// chit-chat
		{text: "收到，谢谢！"},
		{text: "好的👌"},
		{text: "辛苦啦大家"},
		{text: "哈哈哈"},
		{text: "晚上好，今天忙死了"},
		{text: "嗯嗯"},
	} {
		runSamplePlanRow(t, c)
	}
}
