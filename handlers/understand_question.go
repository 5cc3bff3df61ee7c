package handlers

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/planbot/planbot/bot"
)

// ---- 4. questions answered from the data ----

// personQuestion: 李老师这周完成了几项 / 张老师还有什么没做 / 还有谁没交月报.
func (u ux) question(ctx context.Context, req *bot.Request, t string, pol bot.Polarity) (bot.Understanding, bool) {
	s := bot.StripFillers(t)
	low := strings.ToLower(s)
	stated := bot.HasDoneWord(strings.NewReplacer("完成情况", " ", "完成率", " ", "完成得", " ", "完成的怎么样", " ").Replace(s))
	isQ := pol == bot.PolarityQuestion || !stated && containsWord(low, []string{"情况", "进度", "进展"}) || strings.Contains(low, "汇总") || strings.Contains(low, "完成率") ||
		containsWord(low, []string{"怎么样", "如何", "咋样", "怎样"}) ||
		containsWord(low, []string{"看一下", "看看", "查一下", "查查"}) && containsWord(low, []string{"数据", "进度", "情况"})
	if !isQ || pol == bot.PolarityNone && stated || isAddSentence(s) {
		return pass() // 添加任务：…上报发放情况 adds a task
	}
	if c, _, ok := u.r.Match(s); ok && (c.Acts && c.Name != doneName || slices.Contains([]string{"汇总", "数据", "进度", "逾期", "帮助", "今天", "我的"}, c.Name) &&
		!(c.Name == "数据" && strings.Contains(low, "完成"))) {
		return pass() // typed as the command (新增 下周五 报送发放进度 adds)
	}
	if rest, ok := strings.CutPrefix(s, "我"); ok {
		if c, _, ok := u.r.Match(rest); ok && !c.Acts && slices.Contains(listCommands, c.Name) {
			return routeTo(rest, "my list question") // 我今天有什么任务
		}
	}
	if containsWord(low, helpAsked) {
		return routeTo("帮助", "help question") // 你能干什么, 怎么用
	}
	if _, numbered := sentenceNumbers(s); numbered && !strings.Contains(low, "月") {
		return pass() // about an item: read by noChange
	}
	period := questionPeriod(s, low, req.Today())
	// figures: 发了多少钱, 资助了多少人
	if figureAsked(low) {
		return routeTo("数据 "+figureQuery(s), "figure question")
	}
	// a person: 李老师这周完成了几项, 张老师还有什么没做
	members, err := u.Store.Members(ctx, req.Team.ID)
	if err != nil {
		return refuse(storeErr("members", err), "person question")
	}
	who := memberNamed(members, s, req.UserID)
	openQ := containsWord(low, []string{"没做", "没完成", "没弄", "没交", "未完成", "还有什么", "还有哪些", "还剩", "还有几", "手头", "手上"})
	if who != nil && containsWord(low, []string{"完成了几", "完成几", "做了几", "完成了多少", "完成多少", "干了", "做了什么", "做了哪些", "完成了什么", "完成了哪些", "完成哪些", "完成了啥", "做了啥", "几件"}) {
		return u.personDone(ctx, req, *who, period)
	}
	if who != nil && openQ {
		return u.personOpen(ctx, req, *who)
	}
	if who != nil && containsWord(low, []string{"逾期", "超期", "过期"}) {
		return u.personOverdue(ctx, req, *who) // 张老师有没有逾期的
	}
	if strings.Contains(low, "谁") && openQ {
		return u.whoOpen(ctx, req, s)
	}
	switch {
	case strings.Contains(low, "逾期") || strings.Contains(low, "超期") || strings.Contains(low, "过期"):
		return routeTo("逾期", "overdue question")
	case (strings.Contains(low, "进度") || strings.Contains(low, "进展")) && period != "全年":
		return routeTo("进度", "progress question")
	case containsWord(low, []string{"完成率", "情况", "汇总", "进度", "进展"}) ||
		containsWord(low, []string{"完成了多少", "完成得怎么样", "完成的怎么样", "怎么样", "如何", "咋样", "怎样"}) && period != "":
		if req.Member.Role.Rank() < bot.RoleSupervisor.Rank() && period == "" {
			return routeTo("进度", "progress question")
		}
		return routeTo("汇总 "+period, "summary question")
	}
	return pass()
}

// helpAsked are questions for what the bot does: 你能干什么, 怎么用, 有什么功能.
var helpAsked = []string{"你能干什么", "你能做什么", "你会什么", "你会干什么", "你能干嘛", "你会干嘛", "能干啥", "能做啥", "怎么用", "怎么使用", "如何使用", "有什么功能", "有哪些功能", "有啥功能", "你是谁", "你是干什么的", "你是做什么的"}

// figureAsked reports a question about the recorded figures: 发了多少钱, 资助了多少人, 受助学生多少,
// 助学金的数据看一下 (数据 only with a programme: 系统数据更新好了吗 is about an item).
func figureAsked(low string) bool {
	if containsWord(low, []string{"多少钱", "发了多少", "发放了多少", "多少人", "多少学生", "多少万", "金额", "资助了多少", "一共发", "发了几", "多少名"}) {
		return true
	}
	programme := containsWord(low, []string{"助学金", "免学费", "免学杂费", "奖学金", "助学贷款", "资助资金", "学前资助", "新生入学"})
	stage := containsWord(low, []string{"中职", "普高", "普通高中", "高中", "幼儿园", "学前", "高校"})
	// 中职春季受助学生有多少: a stage's students helped, without a programme
	return programme && containsWord(low, []string{"受助", "人数", "多少", "数据"}) || stage && containsWord(low, []string{"受助", "资助"}) && containsWord(low, []string{"多少", "几"})
}

// questionPeriod is the period a question is about, as 汇总 takes it: 本周, 上月, 全年, 本月, N月.
func questionPeriod(s, low string, today bot.Date) string {
	switch {
	case containsWord(low, []string{"这周", "本周", "这星期", "本星期"}):
		return "本周"
	case containsWord(low, []string{"上个月", "上月"}):
		return "上月"
	case containsWord(low, []string{"全年", "今年", "本年度"}):
		return "全年"
	case containsWord(low, []string{"这个月", "本月", "当月"}):
		return "本月"
	}
	if o := readRestriction(s, today); o.month > 0 {
		return strconv.Itoa(o.month) + "月"
	}
	return ""
}

// memberNamed is the active member a question names (李老师这周完成了几项), or the sender when
// it starts with 我; nil when none.
func memberNamed(members []bot.Member, s, sender string) *bot.Member {
	for i, m := range members {
		if m.Active && m.Name != "" && strings.Contains(s, m.Name) {
			return &members[i]
		}
	}
	for i, m := range members {
		// 小李, 老李 for 李老师: the surname of a titled name
		if sur, _, ok := strings.Cut(m.Name, "老师"); m.Active && ok && sur != "" && (strings.Contains(s, "小"+sur) || strings.Contains(s, "老"+sur)) {
			return &members[i]
		}
	}
	if strings.HasPrefix(s, "我") {
		for i, m := range members {
			if m.UserID == sender {
				return &members[i]
			}
		}
	}
	return nil
}

// figureQuery keeps the words of a figure question that 数据 reads: programme, stage, term, month.
func figureQuery(s string) string {
	var words []string
	for _, w := range []string{"春季", "秋季", "全年", "上个月"} {
		if strings.Contains(s, w) {
			words = append(words, w)
		}
	}
	prog := ""
	for _, w := range []string{"国家助学金", "国家奖学金", "免学杂费", "免学费", "助学贷款", "生源地贷款", "学前资助", "建档立卡", "新生入学资助", "助学金", "奖学金", "贷款"} {
		if strings.Contains(s, w) {
			prog = w
			break
		}
	}
	stage := ""
	for _, w := range []string{"中职", "普高", "高中", "幼儿园", "学前", "高校"} {
		if strings.Contains(s, w) {
			stage = w
			break
		}
	}
	if prog == "免学费" && (stage == "普高" || stage == "高中") {
		prog = "免学杂费" // 普通高中 has 免学杂费
	}
	q := strings.TrimSpace(stage + prog)
	if q != "" {
		words = append([]string{q}, words...)
	}
	return strings.Join(words, " ")
}

func (u ux) personDone(ctx context.Context, req *bot.Request, m bot.Member, period string) (bot.Understanding, bool) {
	today := req.Today()
	from, to := weekOf(today)
	label := "本周"
	switch period {
	case "本月", "":
		if period == "本月" {
			from, to, label = bot.NewDate(today.Year, today.Month, 1), bot.NewDate(today.Year, today.Month, 1).LastOfMonth(), "本月"
		}
	case "上月":
		p := bot.NewDate(today.Year, today.Month-1, 1)
		from, to, label = p, p.LastOfMonth(), fmt.Sprintf("%d月", int(p.Month))
	case "全年":
		from, to, label = bot.NewDate(today.Year, 1, 1), bot.NewDate(today.Year, 12, 31), "今年"
	}
	cs, err := u.Store.Completions(ctx, req.Team.ID)
	if err != nil {
		return refuse(storeErr("completions", err), "person done")
	}
	items, err := u.items(ctx, req)
	if err != nil {
		return refuse(storeErr("items", err), "person done")
	}
	title := map[string]string{}
	for _, it := range items {
		title[it.Key] = it.Title
	}
	loc := req.Team.Location()
	var done []string
	for _, c := range cs {
		d := bot.DateOf(c.At.In(loc))
		if c.By != m.UserID || !c.UndoneAt.IsZero() || d.Before(from) || d.After(to) {
			continue
		}
		done = append(done, "“"+cmp.Or(title[c.Key], c.Key)+"”")
	}
	name := cmp.Or(m.Name, m.UserID)
	if len(done) == 0 {
		return answer(fmt.Sprintf("%s%s完成0项。发送“汇总 %s”查看全部。", name, label, cmp.Or(period, "本周")), "person done")
	}
	return answer(fmt.Sprintf("%s%s完成%d项：%s。发送“汇总 %s”查看全部。", name, label, len(done), strings.Join(done, "、"), cmp.Or(period, "本周")), "person done")
}

func (u ux) personOpen(ctx context.Context, req *bot.Request, m bot.Member) (bot.Understanding, bool) {
	today := req.Today()
	end := bot.NewDate(today.Year, today.Month, 1).LastOfMonth()
	mine, unassigned, err := u.personItems(ctx, req, m, func(due bot.Date) bool { return !due.After(end) })
	if err != nil {
		return refuse(err, "person open")
	}
	name := cmp.Or(m.Name, m.UserID)
	// Without the unassigned ones a supervisor would read "nothing open" while the month's work
	// lies undone with nobody named.
	rest := ""
	if unassigned > 0 {
		rest = fmt.Sprintf("另有%d项未完成的事项没有分配负责人，发送“逾期”“本月”查看。", unassigned)
	}
	if len(mine) == 0 {
		return answer(name+"名下本月没有未完成的事项。"+rest, "person open")
	}
	return answer(fmt.Sprintf("%s还有%d项未完成：%s。%s发送“进度”查看每人情况。", name, len(mine), strings.Join(mine, "、"), rest), "person open")
}

// personOverdue: 张老师有没有逾期的 — the overdue open items assigned to m, and how many overdue
// ones have nobody assigned.
func (u ux) personOverdue(ctx context.Context, req *bot.Request, m bot.Member) (bot.Understanding, bool) {
	today := req.Today()
	late, unassigned, err := u.personItems(ctx, req, m, func(due bot.Date) bool { return due.Before(today) })
	if err != nil {
		return refuse(err, "person overdue")
	}
	name := cmp.Or(m.Name, m.UserID)
	rest := ""
	if unassigned > 0 {
		rest = fmt.Sprintf("另有%d项逾期事项没有分配负责人，发送“逾期”查看。", unassigned)
	}
	if len(late) == 0 {
		return answer(name+"名下没有逾期的事项。"+rest, "person overdue")
	}
	return answer(fmt.Sprintf("%s有%d项逾期：%s。%s", name, len(late), strings.Join(late, "、"), rest), "person overdue")
}

// personItems lists the open tracked items whose effective due day keep accepts: those assigned
// to m as “title”（due）, and how many have nobody assigned.
func (u ux) personItems(ctx context.Context, req *bot.Request, m bot.Member, keep func(bot.Date) bool) ([]string, int, error) {
	items, err := u.items(ctx, req)
	if err != nil {
		return nil, 0, storeErr("items", err)
	}
	var mine []string
	unassigned := 0
	for _, it := range items {
		due := u.effective(it.Due)
		if it.DoneBy != "" || it.BeforeTracking || !keep(due) {
			continue
		}
		switch it.Assignee {
		case "":
			unassigned++
		case m.UserID:
			mine = append(mine, fmt.Sprintf("“%s”（%s）", it.Title, due.Short()))
		}
	}
	return mine, unassigned, nil
}

// whoOpen: 还有谁没交月报 / 还有谁没完成 — the assignees of the open items the words name.
func (u ux) whoOpen(ctx context.Context, req *bot.Request, s string) (bot.Understanding, bool) {
	items, err := u.items(ctx, req)
	if err != nil {
		return refuse(storeErr("items", err), "who open")
	}
	rest := s
	for _, w := range []string{"还有谁", "谁还", "谁", "没交", "没完成", "没做", "没弄", "未完成"} {
		rest = strings.ReplaceAll(rest, w, " ")
	}
	today := req.Today()
	end := bot.NewDate(today.Year, today.Month, 1).LastOfMonth()
	var open []bot.Tracked
	if strings.TrimSpace(contentOf(rest)) != "" {
		open = u.match(req, items, rest, matchOpts{})
	} else {
		for _, it := range items {
			if it.DoneBy == "" && !it.BeforeTracking && !u.effective(it.Due).After(end) {
				open = append(open, it)
			}
		}
	}
	ids := make([]string, 0, len(open))
	for _, it := range open {
		ids = append(ids, it.Assignee)
	}
	names, err := u.namesOf(ctx, req, ids)
	if err != nil {
		return refuse(storeErr("names", err), "who open")
	}
	var lines []string
	for _, it := range open {
		if it.DoneBy != "" || it.BeforeTracking || u.effective(it.Due).After(end.AddDays(31)) {
			continue
		}
		who := "未分配"
		if it.Assignee != "" {
			who = cmp.Or(names[it.Assignee], it.Assignee)
		}
		lines = append(lines, fmt.Sprintf("· %s：“%s”（%s）", who, it.Title, u.effective(it.Due).Short()))
	}
	if len(lines) == 0 {
		return answer("没有找到未完成的相关事项。发送“进度”查看每人情况。", "who open")
	}
	return answer("还没完成的：\n"+strings.Join(lines, "\n")+"\n发送“进度”查看每人情况。", "who open")
}

// dueAsked are the ways a question asks for an item's deadline: 一封信什么时候截止, 月点评哪天要交.
var dueAsked = []string{"什么时候截止", "哪天截止", "几号截止", "什么时候到期", "哪天到期", "几号到期", "截止日期", "截止时间",
	"什么时候交", "哪天交", "几号交", "哪天要交", "几号要交", "什么时候要交", "什么时候报", "哪天报", "几号报", "哪天要报",
	"几号要报", "什么时候要报", "最晚什么时候", "最迟什么时候", "截止到哪天", "截止到几号", "期限是"}

// dueQuestion answers a question for the deadline of the open items the wording names: each with
// its due date (and the workday it moves to), at most three: the next ones first, then the latest
// overdue.
func (u ux) dueQuestion(ctx context.Context, req *bot.Request, s string) (bot.Understanding, bool) {
	cue := ""
	for _, w := range dueAsked {
		if strings.Contains(s, w) {
			cue = w
			break
		}
	}
	if cue == "" {
		return pass()
	}
	items, err := u.items(ctx, req)
	if err != nil {
		return refuse(storeErr("due question", err), "due question")
	}
	words := strings.NewReplacer(cue, " ", "呢", " ", "啊", " ", "吗", " ", "？", " ", "?", " ").Replace(s)
	opts := readRestriction(words, req.Today())
	cands := u.match(req, items, opts.rest, opts)
	if len(cands) == 0 {
		return pass()
	}
	today := req.Today()
	var coming, late []bot.Tracked
	for _, c := range cands {
		if c.Due.Before(today) {
			late = append(late, c)
		} else {
			coming = append(coming, c)
		}
	}
	slices.SortStableFunc(coming, func(a, b bot.Tracked) int { return a.Due.Compare(b.Due) })
	slices.SortStableFunc(late, func(a, b bot.Tracked) int { return b.Due.Compare(a.Due) })
	shown := slices.Concat(coming[:min(2, len(coming))], late[:min(max(0, 3-min(2, len(coming))), len(late))])
	var lines []string
	for _, c := range shown {
		line := fmt.Sprintf("“%s”截止%s", c.Title, c.Due.Short())
		if eff := u.agendaItem(c).EffectiveDue; !eff.IsZero() && eff != c.Due {
			line += "（遇休息日提前至" + eff.Short() + "）"
		}
		if c.Due.Before(today) && c.DoneBy == "" {
			line += "，已逾期"
		}
		lines = append(lines, line)
	}
	if rest := len(cands) - len(shown); rest > 0 {
		lines = append(lines, fmt.Sprintf("…还有%d项相关事项，发送“逾期”或“N月”查看", rest))
	}
	return answer(strings.Join(lines, "\n")+"\n（这是一个问题，没有做任何更改。）", "due question")
}
