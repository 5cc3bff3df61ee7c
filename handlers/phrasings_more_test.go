package handlers

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

// TestMorePhrasings are phone phrasings collected after the first table, each asserting its
// effect like TestPhrasings.
func TestMorePhrasings(t *testing.T) {
	cases := []phrasing{
		{text: "完成第3项了", want: done("k3")},
		{text: "3号任务完成", want: done("k3")},
		{text: "第3项工作已完成", want: done("k3")},
		{text: "3已完成，材料已报送市局", want: doneNote("材料已报送市局", "k3")},
		{text: "完成 3 ，已报送", want: doneNote("已报送", "k3")},
		{text: "完成3.", want: done("k3")},
		{text: "完成3?", want: done("k3")},
		{text: "完成3 😀", want: done("k3")},
		{text: "完成 ３、４", want: done("k3", "k4")},
		{text: "完成3，4", want: done("k3", "k4")},
		{text: "完成3 4", want: done("k3", "k4")},
		{text: "完成三和四", want: done("k3", "k4")},
		{text: "第3、4项完成", want: done("k3", "k4")},
		{text: "3，4完成了", want: done("k3", "k4")},
		{text: "1至3已完成", want: done("k1", "k2", "k3")},
		{text: "1到3都完成了", want: done("k1", "k2", "k3")},
		{text: "Done 3 4", want: done("k3", "k4")},
		{text: "done #3", want: nothing},
		{text: "@机器人　完成　３", want: done("k3")},
		{text: "@机器人 3完成", want: done("k3")},
		{text: "@机器人，完成3", want: done("k3")},
		{text: "完成 第３项", want: done("k3")},
		{text: "完成 No.3", want: nothing},
		{text: "完成 3号、5号", want: done("k3", "k5")},
		{text: "完成第三项和第五项", want: done("k3", "k5")},
		{text: "ok 3", want: nothing},
		{text: "已完成第三项", want: done("k3")},
		{text: "已经完成第三项了", want: done("k3")},
		{text: "第三项做完了", want: done("k3")},
		{text: "3 搞定", want: done("k3")},
		{text: "3搞定了", want: done("k3")},
		{pre: []preOp{preDone("k3", "lisi")}, text: "撤销第3项", want: undone("k3")},
		{pre: []preOp{preDone("k3", "lisi")}, text: "撤销3号", want: undone("k3")},
		{pre: []preOp{preDone("k3", "lisi")}, text: "3 撤销", want: undone("k3")},
		{pre: []preOp{preDone("k3", "lisi")}, text: "撤回第三项", want: undone("k3")},
		{pre: []preOp{preDone("k3", "lisi")}, text: "第3项撤回", want: undone("k3")},
		{pre: []preOp{preDone("k3", "lisi")}, text: "3 点错了 撤销", want: nothing},
		{user: "wangzr", text: "分配第3项给李老师", want: assigned("lisi", "k3")},
		{user: "wangzr", text: "3给李老师", want: nothing},
		{user: "wangzr", text: "分配 3 李老师。", want: assigned("lisi", "k3")},
		{user: "wangzr", text: "分配3、4给张老师", want: assigned("zhangsan", "k3", "k4")},
		{user: "wangzr", text: "分配 3 @张老师", want: assigned("zhangsan", "k3")},
		{user: "wangzr", text: "第3项分配给李老师", want: assigned("lisi", "k3")},
		{user: "wangzr", text: "第3项交给李老师", want: assigned("lisi", "k3")},
		{user: "wangzr", text: "新增 6月15日：报送材料", want: added("报送材料", 2026, 6, 15)},
		{user: "wangzr", text: "新增6月15日 报送材料", want: added("报送材料", 2026, 6, 15)},
		{user: "wangzr", text: "新增 6月15号 报送材料", want: added("报送材料", 2026, 6, 15)},
		{user: "wangzr", text: "新增 6.15 报送材料", want: added("报送材料", 2026, 6, 15)},
		{user: "wangzr", text: "新增 6/15 报送材料", want: added("报送材料", 2026, 6, 15)},
		{user: "wangzr", text: "新增 2026年6月15日 报送材料", want: added("报送材料", 2026, 6, 15)},
		{user: "wangzr", text: "新增 六月十五日 报送材料", want: added("报送材料", 2026, 6, 15)},
		{user: "wangzr", text: "新增 本周五 交表", want: added("交表", 2026, 6, 12)},
		{user: "wangzr", text: "新增 周五 交表", want: added("交表", 2026, 6, 12)},
		{user: "wangzr", text: "新增 下周一 开会", want: added("开会", 2026, 6, 15)},
		{user: "wangzr", text: "新增 后天 开会", want: added("开会", 2026, 6, 12)},
		{user: "wangzr", text: "新增 6月底 总结", want: added("总结", 2026, 6, 30)},
		{user: "wangzr", text: "新增 报送材料 6月15日", want: nothing},
		{steps: []string{"本周任务"}, text: "完成 1", want: done("k3")},
		{steps: []string{"这周的"}, text: "完成 1", want: done("k3")},
		{steps: []string{"逾期的有哪些"}, text: "完成 4", want: done("k5")}, // 逾期 shows the day's numbers: k5 is 4
		{steps: []string{"看看逾期"}, text: "完成 4", want: done("k5")},   // 逾期 shows the day's numbers: k5 is 4
		{steps: []string{"查看本周"}, text: "完成 1", want: done("k3")},
		{steps: []string{"7月份"}, text: "完成 1", want: done("k7")},
		{steps: []string{"七月份的任务"}, text: "完成 1", want: done("k7")},
		{steps: []string{"下个月"}, text: "完成 1", want: done("k7")},
		{steps: []string{"下月"}, text: "完成 1", want: done("k7")},
		{text: "进度怎么样", want: nothing, reply: "进度"},
		{text: "帮助一下", want: nothing, reply: "命令"},
		{text: "怎么用", want: nothing, reply: "帮助"},
		// a second batch, written as held-out and kept

		{text: "完成 3（已上报）", want: doneNote("（已上报）", "k3")},
		{text: "完成3 已上报，共计120人", want: doneNote("已上报，共计120人", "k3")},
		{text: "3 已完成", want: done("k3")},
		{text: "3好了", want: nothing},
		{text: "第三项 done", want: done("k3")},
		{text: "Done: 3", want: done("k3")},
		{text: "done 3,4,5", want: done("k3", "k4", "k5")},
		{text: "done 3-5", want: done("k3", "k4", "k5")},
		{text: "完成 3 - 5", want: done("k3", "k4", "k5")},
		{text: "完成 3 到 5", want: done("k3", "k4", "k5")},
		{text: "完成第1~3项", want: done("k1", "k2", "k3")},
		{text: "完成 １－３", want: done("k1", "k2", "k3")},
		{text: "完成 ３～５", want: done("k3", "k4", "k5")},
		{text: "完成 第一至第三项", want: done("k1", "k2", "k3")},
		{text: "第一项到第三项都完成了", want: done("k1", "k2", "k3")},
		{text: "完成　第　3　项", want: done("k3")},
		{text: "完成第三条", want: done("k3")},
		{text: "@小助手 完成第三项，谢谢", want: doneNote("谢谢", "k3")},
		{text: "已完成：3", want: done("k3")},
		{text: "完成了：3、5", want: done("k3", "k5")},
		{text: "完成!3", want: nothing},
		{text: "3,5,6 完成", want: done("k3", "k5", "k6")},
		{text: "3 5 6完成了", want: done("k3", "k5", "k6")},
		{text: "四完成了", want: done("k4")},
		{text: "第四个完成了", want: done("k4")},
		{text: "完成：第八项", want: done("k8")},
		{pre: []preOp{preDone("k3", "lisi")}, text: "撤销 3。点错了", want: undone("k3")},
		{pre: []preOp{preDone("k3", "lisi")}, text: "undo #k3", want: undone("k3")},
		{pre: []preOp{preDone("k3", "lisi")}, text: "撤销第三个", want: undone("k3")},
		{pre: []preOp{preDone("k3", "lisi")}, text: "3号撤销", want: undone("k3")},
		{user: "wangzr", text: "分配 3 给 李老师", want: assigned("lisi", "k3")},
		{user: "wangzr", text: "分配 3 to lisi", want: assigned("lisi", "k3")},
		{user: "wangzr", text: "assign 3 to @zhangsan", want: assigned("zhangsan", "k3")},
		{user: "wangzr", text: "分配 第三、四项 李老师", want: assigned("lisi", "k3", "k4")},
		{user: "wangzr", text: "分配 3 张", want: assigned("zhangsan", "k3")},
		{user: "wangzr", text: "分配 3 不分配", want: nothing},
		{user: "wangzr", text: "新增 6月20日前 上报材料", want: added("上报材料", 2026, 6, 20)},
		{user: "wangzr", text: "新增 下周三 上报材料", want: added("上报材料", 2026, 6, 17)},
		{user: "wangzr", text: "新增 明天上午 开会", want: added("上午 开会", 2026, 6, 11)},
		{user: "wangzr", text: "新增 2026/6/15 报送材料", want: added("报送材料", 2026, 6, 15)},
		{steps: []string{"今天有啥"}, text: "完成 1", want: digestDone(1)},
		{steps: []string{"今天任务"}, text: "完成 2", want: digestDone(2)},
		{steps: []string{"本月的"}, text: "完成 1", want: done("k5")},
		{steps: []string{"下周有什么"}, text: "完成 1", want: done("k1")},
		{steps: []string{"我负责的"}, text: "完成 1", want: digestDone(1)},
		{steps: []string{"超期的"}, text: "完成 4", want: done("k5")}, // 逾期 shows the day's numbers: k5 is 4
		// a third batch, from the held-out check through planbot chat (H12)
		{steps: []string{"有逾期吗？"}, text: "完成 4", want: done("k5")},   // 逾期 shows the day's numbers: k5 is 4
		{steps: []string{"有没有逾期的"}, text: "完成 4", want: done("k5")},  // 逾期 shows the day's numbers: k5 is 4
		{steps: []string{"还有什么逾期的"}, text: "完成 4", want: done("k5")}, // 逾期 shows the day's numbers: k5 is 4
		{steps: []string{"本月的", "记录 中职国家助学金 1200人"}, text: "完成 1", want: done("k5")},
		{steps: []string{"本月的"}, text: "完成2和3", want: done("k3", "k8")},
		{steps: []string{"看下本月"}, text: "完成 1", want: done("k5")},
		{steps: []string{"本月的"}, text: "第一项完成，第二项完成", want: done("k5", "k3")},
		{steps: []string{"本月的"}, text: "1.2完成", want: done("k5", "k3")},
		{steps: []string{"本月的"}, text: "完成1 已完成", want: done("k5")},
	}
	for _, p := range cases {
		t.Run(p.user+":"+strings.Join(append(slices.Clone(p.steps), p.text), "→"), func(t *testing.T) { runPhrasing(t, p) })
	}
}

// TestTomorrowOnFriday: on a Friday 明天 lists the next workday's items, numbered for 完成.
func TestTomorrowOnFriday(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.mem.AddObligation(ctx, e.team.ID, "wangzr", bot.Obligation{Key: "mon", Title: "周一报送", Due: bot.NewDate(2026, 6, 15), Period: "2026-06", Rule: bot.RuleOnce}, e.now, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	e.now = time.Date(2026, 6, 12, 10, 0, 0, 0, bot.Shanghai) // Friday
	if got := e.say("lisi", "明天"); !strings.Contains(got, "明天休息；下一个工作日（6月15日 周一）") || !strings.Contains(got, "1. 周一报送") {
		t.Fatalf("reply %q", got)
	}
	e.say("lisi", "完成 1")
	if it := e.snap().items["mon"]; it.DoneBy != "lisi" {
		t.Errorf("not done: %+v", it)
	}
}
