package handlers

import (
	"slices"
	"strings"
	"testing"
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
		{steps: []string{"逾期的有哪些"}, text: "完成 1", want: done("k5")},
		{steps: []string{"看看逾期"}, text: "完成 1", want: done("k5")},
		{steps: []string{"查看本周"}, text: "完成 1", want: done("k3")},
		{steps: []string{"7月份"}, text: "完成 1", want: done("k7")},
		{steps: []string{"七月份的任务"}, text: "完成 1", want: done("k7")},
		{steps: []string{"下个月"}, text: "完成 1", want: done("k7")},
		{steps: []string{"下月"}, text: "完成 1", want: done("k7")},
		{text: "进度怎么样", want: nothing, reply: "进度"},
		{text: "帮助一下", want: nothing, reply: "命令"},
		{text: "怎么用", want: nothing, reply: "帮助"},
	}
	for _, p := range cases {
		t.Run(p.user+":"+strings.Join(append(slices.Clone(p.steps), p.text), "→"), func(t *testing.T) { runPhrasing(t, p) })
	}
}
