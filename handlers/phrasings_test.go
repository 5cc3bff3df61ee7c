package handlers

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/workday"
)

// effect is what a phrasing must change in the store, and nothing else.
type effect struct {
	done     map[string]string // key -> note, completed by the speaker
	undone   []string          // keys whose live completion is undone
	assign   map[string]string // key -> new assignee ("" cleared)
	added    []addedOb         // obligations that must appear
	addedDay int               // when > 0: at least one added obligation, every one due on this day of month
	addTitle string            // with addedDay: their title
	churn    bool              // changes that cancel out (done then undone): skip the audit check
}

type addedOb struct {
	title string
	due   bot.Date
}

func done(keys ...string) effect {
	e := effect{done: map[string]string{}}
	for _, k := range keys {
		e.done[k] = ""
	}
	return e
}

func doneNote(note string, keys ...string) effect {
	e := done(keys...)
	for k := range e.done {
		e.done[k] = note
	}
	return e
}

func undone(keys ...string) effect { return effect{undone: keys} }

func assigned(to string, keys ...string) effect {
	e := effect{assign: map[string]string{}}
	for _, k := range keys {
		e.assign[k] = to
	}
	return e
}

func added(title string, y, m, d int) effect {
	return effect{added: []addedOb{{title, bot.NewDate(y, time.Month(m), d)}}}
}

var nothing = effect{}

// phrasing is one table row: setup, messages, and the effect of them all.
type phrasing struct {
	user   string   // default lisi
	pre    []preOp  // changes made before the snapshot
	noList bool     // no saved numbering: numbers refer to today's digest
	steps  []string // messages sent before text (by the same user)
	text   string
	want   effect
	reply  string // a substring the last reply must contain
}

type preOp struct {
	op, key, user string // op: done, assign
}

func preDone(key, by string) preOp       { return preOp{"done", key, by} }
func preAssign(key, to string) preOp     { return preOp{"assign", key, to} }
func preYesterdayList(user string) preOp { return preOp{"yesterday", "", user} }

var phrasings = []phrasing{
	// 完成: the plain forms
	{text: "完成 3", want: done("k3"), reply: "已标记完成"},
	{text: "完成3", want: done("k3")},
	{text: "完成　３", want: done("k3")},
	{text: "完成３", want: done("k3")},
	{text: "完成\t3", want: done("k3")},
	{text: "  完成 3  \n", want: done("k3")},
	{text: "完成:3", want: done("k3")},
	{text: "完成：3", want: done("k3")},
	{text: "完成 7", want: done("k7")},
	{text: "完成 8", want: done("k8")},
	// English, any case, full-width letters
	{text: "done 3", want: done("k3")},
	{text: "DONE 3", want: done("k3")},
	{text: "Done 3", want: done("k3")},
	{text: "ＤＯＮＥ　３", want: done("k3")},
	{text: "done3", want: done("k3")},
	{text: "finish 2", want: done("k2")},
	// other verbs
	{text: "搞定 2", want: done("k2")},
	{text: "做完 2", want: done("k2")},
	{text: "办完 2", want: done("k2")},
	{text: "搞定了2", want: done("k2")},
	// 了 / 已 forms
	{text: "完成了3", want: done("k3")},
	{text: "完成了 3", want: done("k3")},
	{text: "3完成了", want: done("k3")},
	{text: "3 完成了", want: done("k3")},
	{text: "3完成", want: done("k3")},
	{text: "已完成 4", want: done("k4")},
	{text: "已完成4", want: done("k4")},
	{text: "4已完成", want: done("k4")},
	{text: "第3项已完成", want: done("k3")},
	{text: "第3项完成", want: done("k3")},
	{text: "第三项已完成", want: done("k3")},
	{text: "第三项完成了", want: done("k3")},
	{text: "3号完成", want: done("k3")},
	{text: "3号完成了", want: done("k3")},
	{text: "3号已完成", want: done("k3")},
	{text: "第3项已完成。", want: done("k3")},
	// Chinese numerals
	{text: "完成 第三项", want: done("k3")},
	{text: "完成第三项", want: done("k3")},
	{text: "完成 三", want: done("k3")},
	{text: "完成三", want: done("k3")},
	{text: "完成 第3项", want: done("k3")},
	{text: "完成第3项", want: done("k3")},
	{text: "完成 3号", want: done("k3")},
	{text: "完成 第一、二项", want: done("k1", "k2")},
	{text: "第一、二项完成了", want: done("k1", "k2")},
	{text: "完成 第一、第二项", want: done("k1", "k2")},
	{text: "完成 五", want: done("k5")},
	{text: "完成 七、八", want: done("k7", "k8")},
	{text: "完成 一到三", want: done("k1", "k2", "k3")},
	// lists and ranges
	{text: "完成 3、5", want: done("k3", "k5")},
	{text: "完成3、5", want: done("k3", "k5")},
	{text: "完成 1,2", want: done("k1", "k2")},
	{text: "完成 １，２", want: done("k1", "k2")},
	{text: "完成 1，2", want: done("k1", "k2")},
	{text: "完成 1, 2", want: done("k1", "k2")},
	{text: "完成 1 2 3", want: done("k1", "k2", "k3")},
	{text: "完成 1-3", want: done("k1", "k2", "k3")},
	{text: "完成 1 - 3", want: done("k1", "k2", "k3")},
	{text: "完成1到3", want: done("k1", "k2", "k3")},
	{text: "完成 1~3", want: done("k1", "k2", "k3")},
	{text: "完成 1～3", want: done("k1", "k2", "k3")},
	{text: "完成 1至3", want: done("k1", "k2", "k3")},
	{text: "完成 1—3", want: done("k1", "k2", "k3")},
	{text: "完成 3和5", want: done("k3", "k5")},
	{text: "完成 3;5", want: done("k3", "k5")},
	{text: "完成 3,3", want: done("k3")},
	{text: "完成 1-2、5", want: done("k1", "k2", "k5")},
	{text: "3、5完成了", want: done("k3", "k5")},
	{text: "1-2完成", want: done("k1", "k2")},
	{text: "１，２已完成", want: done("k1", "k2")},
	// more phone habits
	{text: "已经完成3", want: done("k3")},
	{text: "第3项已经完成", want: done("k3")},
	{text: "3已经完成了", want: done("k3")},
	{text: "1-3都完成了", want: done("k1", "k2", "k3")},
	{text: "完成了第三项", want: done("k3")},
	{text: "第3个完成了", want: done("k3")},
	{text: "完成第3条", want: done("k3")},
	{text: "完成第三、四项", want: done("k3", "k4")},
	{text: "3 done", want: done("k3")},
	{text: "3号已办结", want: done("k3")},
	{text: "今天的任务", want: nothing, reply: "今天"},
	{pre: []preOp{preDone("k3", "lisi")}, text: "撤销完成3", want: undone("k3")},
	{pre: []preOp{preDone("k3", "lisi")}, text: "取消 3", want: undone("k3")},
	{pre: []preOp{preDone("k3", "lisi")}, text: "第3项撤销", want: undone("k3")},
	{user: "wangzr", text: "把3分配给李老师", want: assigned("lisi", "k3")},
	{user: "wangzr", text: "把第三项分配给张老师", want: assigned("zhangsan", "k3")},
	// mentions
	{text: "@机器人 完成 3", want: done("k3")},
	{text: "@planbot\u2005完成3", want: done("k3")},
	{text: "@机器人完成3", want: done("k3")},
	{text: "@资助助手 @机器人 done 3", want: done("k3")},
	{text: "@机器人 第三项已完成", want: done("k3")},
	// trailing punctuation
	{text: "完成 3。", want: done("k3")},
	{text: "完成3！", want: done("k3")},
	{text: "完成 3!", want: done("k3")},
	{text: "完成 3～", want: done("k3")},
	{text: "完成 3~", want: done("k3")},
	{text: "完成3。。", want: done("k3")},
	{text: "完成 3 👍", want: done("k3")},
	// notes
	{text: "完成 3 已报送市局", want: doneNote("已报送市局", "k3"), reply: "备注：已报送市局"},
	{text: "完成3 已报送", want: doneNote("已报送", "k3")},
	{text: "完成3已报送", want: doneNote("已报送", "k3")},
	{text: "完成 3 备注：已报送", want: doneNote("已报送", "k3")},
	{text: "完成 3 备注 已报送", want: doneNote("已报送", "k3")},
	{text: "完成 3，已报送", want: doneNote("已报送", "k3")},
	{text: "完成 1,2 材料已交", want: doneNote("材料已交", "k1", "k2")},
	{text: "完成 3 2份材料已交", want: doneNote("2份材料已交", "k3")},
	{text: "完成 3 一封信已寄出", want: doneNote("一封信已寄出", "k3")},
	{text: "done 3 Sent to City", want: doneNote("Sent to City", "k3")},
	{text: "3完成了 已报送", want: doneNote("已报送", "k3")},
	{text: "第3项已完成，电话确认过", want: doneNote("电话确认过", "k3")},
	{text: "完成 3 已报送。", want: doneNote("已报送", "k3")},
	{text: "完成 3 共1200人", want: doneNote("共1200人", "k3")},
	// by key: the card-click path
	{text: "完成 #k5", want: done("k5")},
	{text: "完成 #k5 卡片", want: doneNote("卡片", "k5")},
	{text: "完成 #k5", noList: true, want: done("k5")},
	{text: "完成 #nosuch", want: nothing, reply: "没有找到"},
	// already done: reported, not recorded twice
	{pre: []preOp{preDone("k3", "zhangsan")}, text: "完成 3", want: nothing, reply: "早已由张老师完成"},
	{pre: []preOp{preDone("k3", "lisi")}, text: "完成 3", want: nothing, reply: "没有重复记录"},
	{pre: []preOp{preDone("k3", "zhangsan")}, text: "完成 3、4", want: done("k4")},
	{pre: []preOp{preDone("k5", "zhangsan")}, text: "完成 #k5", want: nothing},
	{steps: []string{"完成 3"}, text: "完成 3", want: done("k3"), reply: "没有重复记录"},
	// bad numbers: nothing changes
	{text: "完成 十二", want: nothing, reply: "没有第12项"},
	{text: "完成 9", want: nothing, reply: "没有第9项"},
	{text: "完成 3、9", want: nothing, reply: "没有第9项"},
	{text: "完成 0", want: nothing},
	{text: "完成 abc", want: nothing, reply: "编号"},
	{text: "完成 二十", want: nothing},
	{text: "完成 1-99", want: nothing},
	{text: "完成 5-2", want: nothing},
	{text: "完成 一封信", want: nothing},
	{text: "完成了吗", want: nothing},
	// no saved list: numbers refer to today's digest (checked against bot.BuildAgenda)
	{noList: true, text: "完成 1", want: digestDone(1)},
	{noList: true, text: "完成 2", want: digestDone(2)},
	{noList: true, text: "第二项已完成", want: digestDone(2)},
	{noList: true, steps: []string{"完成 1"}, text: "撤销 1", want: effect{churn: true}, reply: "已撤销"},
	{noList: true, steps: []string{"完成 1"}, text: "完成 1", want: digestDone(1), reply: "早已由李老师完成"},
	// 撤销
	{pre: []preOp{preDone("k3", "lisi")}, text: "撤销 3", want: undone("k3"), reply: "已撤销"},
	{pre: []preOp{preDone("k3", "lisi")}, text: "撤销3", want: undone("k3")},
	{pre: []preOp{preDone("k3", "lisi")}, text: "undo 3", want: undone("k3")},
	{pre: []preOp{preDone("k3", "lisi")}, text: "UNDO 3", want: undone("k3")},
	{pre: []preOp{preDone("k3", "lisi")}, text: "撤回 3", want: undone("k3")},
	{pre: []preOp{preDone("k3", "lisi")}, text: "取消完成 3", want: undone("k3")},
	{pre: []preOp{preDone("k3", "lisi")}, text: "3撤销", want: undone("k3")},
	{pre: []preOp{preDone("k3", "lisi")}, text: "撤销 第三项", want: undone("k3")},
	{pre: []preOp{preDone("k3", "lisi")}, text: "撤销 #k3", want: undone("k3")},
	{pre: []preOp{preDone("k3", "lisi")}, text: "撤销 ３。", want: undone("k3")},
	{pre: []preOp{preDone("k3", "lisi"), preDone("k4", "lisi")}, text: "撤销 3、4", want: undone("k3", "k4")},
	{pre: []preOp{preDone("k3", "zhangsan")}, text: "撤销 3", want: nothing, reply: "只有本人或主管"},
	{pre: []preOp{preDone("k3", "zhangsan")}, user: "wangzr", text: "撤销 3", want: undone("k3")},
	{pre: []preOp{preDone("k3", "zhangsan")}, user: "admin", text: "撤销 3", want: undone("k3")},
	{pre: []preOp{preDone("k3", "zhangsan"), preDone("k4", "lisi")}, text: "撤销 3、4", want: nothing},
	{text: "撤销 4", want: nothing, reply: "还没有完成记录"},
	{text: "撤销", want: nothing},
	{steps: []string{"完成 3"}, text: "撤销 3", want: effect{churn: true}, reply: "已撤销"},
	// 分配 (supervisor)
	{user: "wangzr", text: "分配 3 李老师", want: assigned("lisi", "k3"), reply: "分配给李老师"},
	{user: "wangzr", text: "分配 3 @lisi", want: assigned("lisi", "k3")},
	{user: "wangzr", text: "分配3 lisi", want: assigned("lisi", "k3")},
	{user: "wangzr", text: "分配 3 LISI", want: assigned("lisi", "k3")},
	{user: "wangzr", text: "assign 3 @lisi", want: assigned("lisi", "k3")},
	{user: "wangzr", text: "ASSIGN 3 zhangsan", want: assigned("zhangsan", "k3")},
	{user: "wangzr", text: "分配 3 给李老师", want: assigned("lisi", "k3")},
	{user: "wangzr", text: "分配3给张老师", want: assigned("zhangsan", "k3")},
	{user: "wangzr", text: "分配 1,2 张老师", want: assigned("zhangsan", "k1", "k2")},
	{user: "wangzr", text: "分配 第三项 李", want: assigned("lisi", "k3")},
	{user: "wangzr", text: "分配 3 我", want: assigned("wangzr", "k3")},
	{user: "wangzr", text: "指派 3 张老师", want: assigned("zhangsan", "k3")},
	{user: "wangzr", text: "3分配给李老师", want: assigned("lisi", "k3")},
	{user: "wangzr", text: "分配 ３ ＠ｌｉｓｉ", want: assigned("lisi", "k3")},
	{user: "wangzr", text: "分配 3 李老师负责", want: assigned("lisi", "k3")},
	{user: "wangzr", pre: []preOp{preAssign("k3", "lisi")}, text: "分配 3 无", want: assigned("", "k3"), reply: "取消分配"},
	{user: "wangzr", text: "分配 3 王五", want: nothing, reply: "没有“王五”"},
	{user: "wangzr", text: "分配 3 赵老师", want: nothing},
	{user: "wangzr", text: "分配 3", want: nothing},
	{user: "wangzr", text: "分配 李老师", want: nothing},
	{user: "wangzr", text: "分配 3 老师", want: nothing, reply: "多位成员"},
	{user: "admin", text: "分配 3 李老师", want: assigned("lisi", "k3")},
	{text: "分配 3 李老师", want: nothing, reply: "主管"},
	// 新增 (supervisor)
	{user: "wangzr", text: "新增 6月15日 报送材料", want: added("报送材料", 2026, 6, 15), reply: "已新增"},
	{user: "wangzr", text: "新增 6月15日报送材料", want: added("报送材料", 2026, 6, 15)},
	{user: "wangzr", text: "新增　６月１５日　报送材料。", want: added("报送材料", 2026, 6, 15)},
	{user: "wangzr", text: "add 2026-06-15 report", want: added("report", 2026, 6, 15)},
	{user: "wangzr", text: "新增 明天 开会", want: added("开会", 2026, 6, 11)},
	{user: "wangzr", text: "新增 月底 总结", want: added("总结", 2026, 6, 30)},
	{user: "wangzr", text: "新增 下周五 交表", want: added("交表", 2026, 6, 19)},
	{user: "wangzr", text: "添加 6月15日 报送材料", want: added("报送材料", 2026, 6, 15)},
	{user: "wangzr", text: "新增 每月10日 更新数据", want: effect{addedDay: 10, addTitle: "更新数据"}},
	{user: "admin", text: "新增 6月15日 报送材料", want: added("报送材料", 2026, 6, 15)},
	{user: "wangzr", steps: []string{"新增 6月15日 报送材料"}, text: "新增 6月15日 报送材料",
		want: added("报送材料", 2026, 6, 15), reply: "没有重复添加"},
	{user: "wangzr", text: "新增", want: nothing},
	{user: "wangzr", text: "新增 报送材料", want: nothing, reply: "日期"},
	{user: "wangzr", text: "新增 6月15日", want: nothing},
	{text: "新增 6月15日 报送材料", want: nothing, reply: "主管"},
	{user: "zhangsan", text: "add 2026-06-15 report", want: nothing},
	// non-members and inactive members: nothing changes
	{user: "stranger", text: "完成 3", want: nothing, reply: "不是本团队的成员"},
	{user: "stranger", text: "完成3", want: nothing},
	{user: "stranger", text: "3完成了", want: nothing},
	{user: "stranger", text: "撤销 1", pre: []preOp{preDone("k1", "lisi")}, want: nothing},
	{user: "stranger", text: "新增 6月15日 报送材料", want: nothing},
	{user: "stranger", text: "分配 1 李老师", want: nothing},
	{user: "stranger", text: "今天", want: nothing},
	{user: "stranger", text: "随便说点什么", want: nothing},
	{user: "stranger", text: "完成", want: nothing},
	{user: "stranger", text: "帮助", want: nothing, reply: "不是本团队成员"},
	{user: "gone", text: "完成 3", want: nothing, reply: "不是本团队的成员"},
	{user: noUser, text: "完成 3", want: nothing},
	// dialogs: 完成 without a number lists the week's open items (k3, k8, k6 for lisi; k5 is an
	// unassigned item of last week)
	{steps: []string{"完成"}, text: "2", want: done("k8")},
	{steps: []string{"完成"}, text: "第三项", want: done("k6")},
	{steps: []string{"完成"}, text: "1 已报送", want: doneNote("已报送", "k3")},
	{steps: []string{"done"}, text: "3", want: done("k6")},
	{steps: []string{"完成"}, text: "4", want: nothing, reply: "没有第4项"},
	{steps: []string{"完成"}, text: "完成 2", want: done("k8")},
	{steps: []string{"完成"}, text: "取消", want: nothing, reply: "已取消"},
	{steps: []string{"完成"}, text: "cancel", want: nothing},
	{steps: []string{"完成", "取消"}, text: "2", want: nothing},
	{steps: []string{"完成", "abc"}, text: "1", want: done("k3")},
	{steps: []string{"完成", "9"}, text: "1", want: done("k3")},
	{steps: []string{"完成", "1"}, text: "1", want: done("k3")},
	{steps: []string{"完成"}, text: "今天", want: nothing},
	{pre: []preOp{preAssign("k8", "lisi"), preAssign("k6", "zhangsan")}, steps: []string{"完成"}, text: "1", want: done("k8")},
	{pre: []preOp{preAssign("k6", "zhangsan")}, steps: []string{"完成"}, text: "3", want: nothing},
	{pre: []preOp{preAssign("k5", "lisi")}, steps: []string{"完成"}, text: "1", want: done("k5")},
	{text: "取消", want: nothing, reply: "没有进行中"},
	// lists save the numbering the next command uses
	{steps: []string{"逾期"}, text: "完成 4", want: done("k5")},      // 逾期 shows the day's numbers: k5 is 4
	{steps: []string{"overdue"}, text: "完成 4", want: done("k5")}, // 逾期 shows the day's numbers: k5 is 4
	{steps: []string{"7月"}, text: "完成 1", want: done("k7")},
	{steps: []string{"七月"}, text: "完成 1", want: done("k7")},
	{steps: []string{"下周"}, text: "完成 1", want: done("k1")},
	{steps: []string{"next week"}, text: "完成 1", want: done("k1")},
	{steps: []string{"明天"}, text: "完成 1", want: done("k8")},
	{steps: []string{"tomorrow"}, text: "完成 1", want: done("k8")},
	{steps: []string{"本周"}, text: "完成 1", want: done("k3")},
	{steps: []string{"这周"}, text: "完成 3", want: done("k6")},
	{steps: []string{"week"}, text: "完成 2", want: done("k8")},
	{steps: []string{"这周"}, text: "完成 4", want: nothing, reply: "没有第4项（列表共3项）"},
	{pre: []preOp{preAssign("k4", "lisi")}, steps: []string{"本月"}, text: "完成 1", want: done("k4")},
	{pre: []preOp{preAssign("k4", "lisi")}, steps: []string{"这个月"}, text: "完成 1", want: done("k4")},
	{pre: []preOp{preAssign("k4", "lisi")}, steps: []string{"month"}, text: "完成 1", want: done("k4")},
	{pre: []preOp{preAssign("k4", "lisi")}, steps: []string{"6月"}, text: "完成 1", want: done("k4")},
	{pre: []preOp{preAssign("k4", "lisi")}, steps: []string{"六月"}, text: "完成 1", want: done("k4")},
	{pre: []preOp{preAssign("k4", "lisi")}, steps: []string{"我的"}, text: "完成 1", want: done("k4")},
	{pre: []preOp{preAssign("k4", "lisi")}, steps: []string{"mine"}, text: "完成 1", want: done("k4")},
	{pre: []preOp{preAssign("k4", "zhangsan")}, steps: []string{"我的"}, text: "完成 1", want: digestDone(1)},
	{steps: []string{"今天"}, text: "完成 1", want: digestDone(1)},
	{steps: []string{"TODAY"}, text: "完成 2", want: digestDone(2)},
	{steps: []string{"今日"}, text: "完成 3", want: digestDone(3)},
	{steps: []string{"@机器人 今天。"}, text: "完成 1", want: digestDone(1)},
	{user: "wangzr", steps: []string{"新增 6月15日 报送材料"}, text: "分配 1 李老师",
		want: effect{added: []addedOb{{"报送材料", bot.NewDate(2026, 6, 15)}}, assign: map[string]string{AddedKey(bot.NewDate(2026, 6, 15), "报送材料"): "lisi"}}},
	// a list from yesterday no longer numbers today's messages: today's digest does
	{pre: []preOp{preYesterdayList("lisi")}, noList: true, text: "完成 1", want: digestDone(1)},
	// after an empty list, numbers mean today's digest
	{noList: true, steps: []string{"我的"}, text: "完成 1", want: digestDone(1)},
	// read-only commands change nothing
	{text: "今天", want: nothing, reply: "今天"},
	{text: "本月", want: nothing, reply: "已完成"},
	{text: "进度", want: nothing, reply: "进度"},
	{text: "status", want: nothing, reply: "逾期未完成"},
	{user: "wangzr", text: "进度", want: nothing, reply: "按人员"},
	{text: "帮助", want: nothing, reply: "完成 编号"},
	{text: "help", want: nothing, reply: "完成 编号"},
	{text: "?", want: nothing, reply: "完成 编号"},
	{text: "？", want: nothing, reply: "完成 编号"},
	{text: "HELP", want: nothing, reply: "完成 编号"},
	{text: "帮助 完成", want: nothing, reply: "例如：完成 3 已报送市局"},
	{text: "帮助", want: nothing},
	// unknown input: a suggestion, nothing changes
	{text: "完城 3", want: nothing, reply: "最接近的命令是“完成”"},
	{text: "hepl", want: nothing, reply: "“帮助”"},
	{text: "wancheng 3", want: nothing, reply: "帮助"},
	{text: "你好", want: nothing, reply: "帮助"},
	{text: "", want: nothing, reply: "帮助"},
	{text: "@机器人", want: nothing, reply: "帮助"},
	{text: strings.Repeat("完成 3 ", 120), want: nothing, reply: "太长"},
}

// digestDone is the effect of completing item n of today's digest numbering.
func digestDone(n int) effect {
	return effect{done: map[string]string{"#digest": string(rune('0' + n))}}
}

func TestPhrasings(t *testing.T) {
	if len(phrasings) < 150 {
		t.Fatalf("only %d phrasings", len(phrasings))
	}
	for _, p := range phrasings {
		name := p.user + ":" + strings.Join(append(slices.Clone(p.steps), p.text), "→")
		t.Run(name, func(t *testing.T) {
			runPhrasing(t, p)
		})
	}
}

func runPhrasing(t *testing.T, p phrasing) {
	e := newEnv(t)
	ctx := context.Background()
	user := cmp.Or(p.user, "lisi")
	if user == noUser {
		user = ""
	}
	for _, op := range p.pre {
		var err error
		switch op.op {
		case "done":
			err = e.mem.Complete(ctx, e.team.ID, op.user, op.key, "", testNow.Add(-time.Hour), bot.Effect{})
		case "assign":
			err = e.mem.Assign(ctx, e.team.ID, "wangzr", op.key, op.user, testNow.Add(-time.Hour), bot.Effect{})
		case "yesterday":
			err = e.state.SaveList(ctx, bot.DefaultTeam, op.user, []string{dayMark + "2026-06-09", "k7", "k6"})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !p.noList {
		for _, u := range []string{"lisi", "wangzr", "zhangsan", "admin", "stranger", "gone"} {
			_ = e.state.SaveList(ctx, bot.DefaultTeam, u, defaultList)
		}
	}
	want := p.want
	if note, ok := want.done["#digest"]; ok {
		items, _ := e.mem.Obligations(ctx, e.team.ID, false)
		numbered := bot.BuildAgenda(bot.DateOf(testNow), items, workday.Weekdays{}).Numbered()
		n := int(note[0] - '0')
		if n > len(numbered) {
			t.Fatalf("digest has %d items", len(numbered))
		}
		want = done(numbered[n-1].Key)
	}
	before := e.snap()
	for _, s := range p.steps {
		e.say(user, s)
	}
	reply := e.say(user, p.text)
	after := e.snap()
	if p.reply != "" && !strings.Contains(reply, p.reply) {
		t.Errorf("reply %q does not contain %q", reply, p.reply)
	}
	checkEffect(t, user, want, before, after, reply)
}

// noUser stands for a message without a userid.
const noUser = "(none)"

func checkEffect(t *testing.T, user string, want effect, before, after snapshot, reply string) {
	t.Helper()
	for _, k := range sortedKeys(before.items) {
		b, a := before.items[k], after.items[k]
		if note, ok := want.done[k]; ok {
			if b.DoneBy != "" || a.DoneBy != user || a.DoneNote != note {
				t.Errorf("%s: want done by %s with note %q; before %q, after by %q note %q (reply %q)", k, user, note, b.DoneBy, a.DoneBy, a.DoneNote, reply)
			}
		} else if slices.Contains(want.undone, k) {
			if b.DoneBy == "" || a.DoneBy != "" {
				t.Errorf("%s: want undone; before %q after %q (reply %q)", k, b.DoneBy, a.DoneBy, reply)
			}
		} else if a.DoneBy != b.DoneBy || a.DoneNote != b.DoneNote {
			t.Errorf("%s: completion changed from %q to %q (reply %q)", k, b.DoneBy, a.DoneBy, reply)
		}
		if to, ok := want.assign[k]; ok {
			if a.Assignee != to {
				t.Errorf("%s: assignee %q, want %q (reply %q)", k, a.Assignee, to, reply)
			}
		} else if a.Assignee != b.Assignee {
			t.Errorf("%s: assignee changed from %q to %q (reply %q)", k, b.Assignee, a.Assignee, reply)
		}
	}
	var news []bot.Tracked
	for _, k := range sortedKeys(after.items) {
		if _, ok := before.items[k]; !ok {
			news = append(news, after.items[k])
		}
	}
	if want.addedDay > 0 {
		if len(news) == 0 {
			t.Errorf("nothing added (reply %q)", reply)
		}
		for _, n := range news {
			if n.Due.Day != want.addedDay || n.Title != want.addTitle {
				t.Errorf("added %s %q, want day %d %q", n.Due, n.Title, want.addedDay, want.addTitle)
			}
		}
	} else {
		if len(news) != len(want.added) {
			t.Errorf("added %d obligations, want %d (reply %q)", len(news), len(want.added), reply)
		}
		for i := range min(len(news), len(want.added)) {
			if news[i].Title != want.added[i].title || news[i].Due != want.added[i].due {
				t.Errorf("added %q due %s, want %q due %s", news[i].Title, news[i].Due, want.added[i].title, want.added[i].due)
			}
			if news[i].Key != AddedKey(news[i].Due, news[i].Title) {
				t.Errorf("added key %q is not the stable key", news[i].Key)
			}
		}
		for k, to := range want.assign {
			if _, old := before.items[k]; !old && after.items[k].Assignee != to {
				t.Errorf("new %s: assignee %q, want %q", k, after.items[k].Assignee, to)
			}
		}
	}
	if got, wantN := after.completions-before.completions, len(want.done); got != wantN && len(want.done) > 0 {
		t.Errorf("completion history grew by %d, want %d", got, wantN)
	}
	if isNothing(want) && !want.churn && after.audit != before.audit {
		t.Errorf("audit trail grew by %d for an input that must change nothing (reply %q)", after.audit-before.audit, reply)
	}
}

func isNothing(e effect) bool {
	return len(e.done) == 0 && len(e.undone) == 0 && len(e.assign) == 0 && len(e.added) == 0 && e.addedDay == 0
}
