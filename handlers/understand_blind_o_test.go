package handlers

import "testing"

// TestBlindSampleO: the coordinator's fourteenth blind batch, committed before any run: figures
// as a supervisor types or dictates them — with 记录 or a record lead (recorded at once), loose
// without one (asked, then 是), and figure sentences that must record nothing (questions,
// guesses, plans, negations).
func TestBlindSampleO(t *testing.T) {
	const zz = "国家助学金|中职|春季|1200|240000000"
	for _, c := range []samplePlanRow{
		{user: "wangzr", text: "记录 中职国家助学金 春季 1200人 240万元", figures: []string{zz}},
		{user: "wangzr", text: "记录 中职国家助学金 春季 1200人 240w", figures: []string{zz}},
		{user: "wangzr", text: "记录 中职国家助学金 春季 1,200人 2,400,000元", figures: []string{zz}},
		{user: "wangzr", text: "记一下，中职国家助学金春季1200人，240万", figures: []string{zz}},
		{user: "wangzr", text: "中职国家助学金春季1200人240万", reply: "是"},
		{user: "wangzr", steps: []string{"中职国家助学金春季1200人240万"}, text: "是", figures: []string{zz}},
		{user: "wangzr", steps: []string{"中职国家助学金春季1200人240万"}, text: "取消"},
		{user: "wangzr", steps: []string{"中职国家助学金春季1200人240万"}, text: "不对，是1300人"},
		{user: "wangzr", text: "记录 中职国家助学金 春季 1200人 3004700元5角", figures: []string{"国家助学金|中职|春季|1200|300470050"}},
		{user: "wangzr", text: "中职国家助学金春季是不是1200人240万"},
		{user: "wangzr", text: "中职国家助学金春季大约1200人"},
		{user: "wangzr", text: "中职国家助学金春季估计要发240万"},
		{user: "wangzr", text: "中职国家助学金春季还没发"},
		{user: "wangzr", text: "中职国家助学金春季下周发240万"},
		{user: "wangzr", text: "如果中职国家助学金春季1200人，要发多少钱"},
		{user: "wangzr", text: "中职国家助学金春季每人2000元"},
		{user: "wangzr", text: "中职国家助学金的标准是多少"},
		{user: "wangzr", text: "去年中职国家助学金发了多少"},
	} {
		runSamplePlanRow(t, c)
	}
}
