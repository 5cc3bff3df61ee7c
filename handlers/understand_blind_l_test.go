package handlers

import "testing"

// TestBlindSampleL: the coordinator's eleventh blind batch, committed before any run: a
// supervisor's messages around assignments, new tasks, figures and undos that must change nothing
// (questions, negations, plans, conditions), with a few that must act as a control.
func TestBlindSampleL(t *testing.T) {
	for _, text := range []string{
		"一封信交给谁了", "一封信谁负责", "一封信是谁在跟", "一封信要不要交给李老师", "一封信交给李老师行不行",
		"一封信不要交给李老师", "一封信别让张老师弄了", "下周再把一封信分给张老师", "如果李老师有空就让他负责一封信",
		"一封信让李老师负责怎么样", "李老师负责一封信吗", "能不能加个任务", "要不要加一个任务报送资助数据",
		"下个月可能要加个任务", "先别加任务", "怎么新增任务", "中职助学金春季是1200人吗", "中职助学金的数据先别记",
		"中职助学金春季大概1200人", "中职助学金春季好像发了240万", "等中职助学金数据出来再记", "怎么记录数据",
		"能撤销吗", "怎么撤回第三项", "第三项能不能撤销", "第三项先不撤销", "数据记错了怎么改", "李老师的第三项完成了吗",
	} {
		runSamplePlanRow(t, samplePlanRow{user: "wangzr", text: text})
	}
	for _, c := range []samplePlanRow{
		{user: "wangzr", text: "一封信让李老师负责", assign: []string{"2026-06|一封信>lisi"}},
		{user: "wangzr", text: "诚信宣传月交给张老师", assign: []string{"2026-06|诚信宣传月>zhangsan"}},
		{user: "wangzr", text: "第26项分给李老师", assign: []string{"2026-06|一封信>lisi"}},
		{user: "wangzr", text: "新增 6月19日 报送资助数据", added: []string{"2026-06-19|报送资助数据"}},
		{user: "wangzr", text: "加一个任务：6月24日前上报贫困生名单", added: []string{"2026-06-24|上报贫困生名单"}},
	} {
		runSamplePlanRow(t, c)
	}
}
