package handlers

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/figure"
	"github.com/planbot/planbot/bot/workday"
)

// recordName is the name of the 记录 command; its dialog carries it.
const recordName = "记录"

// RegisterFigures adds 记录, 撤销记录, 数据, 汇总 and 导出 with the national programme catalogue.
// Register already calls it; call it only on a router built without Register.
func RegisterFigures(r *bot.Router, d Deps) { RegisterFiguresWith(r, d, figure.Default()) }

// RegisterFiguresWith is RegisterFigures with a team's own programme catalogue.
func RegisterFiguresWith(r *bot.Router, d Deps, cat *figure.Catalogue) {
	for _, c := range FigureCommands(d, cat) {
		r.Add(c)
	}
}

// FigureCommands returns the command-table rows of the figures family (cat nil: the default
// catalogue).
func FigureCommands(d Deps, cat *figure.Catalogue) []bot.Command {
	if cat == nil {
		cat = figure.Default()
	}
	if d.Calendar == nil {
		d.Calendar = workday.Weekdays{}
	}
	x := fx{h: h{d}, cat: cat}
	return []bot.Command{
		{Name: recordName, Aliases: []string{"record", "录入", "登记", "填报"},
			Usage: "记录 项目 [学段] [春季|秋季|N月] 人数 金额 [备注 …]", Example: figure.Example,
			Summary: "记录资助数据：人数（人）、人次、金额（元或万元）；缺什么会追问",
			Handler: x.record, Continue: x.recordContinue, AnswersCommands: true, Acts: true},
		{Name: "撤销记录", Aliases: []string{"undo record", "作废记录", "删除记录"},
			Usage: "撤销记录 编号", Example: "撤销记录 12",
			Summary: "作废一条数据记录（本人或主管；保留在历史中，不计入合计）", Handler: x.undoRecord, Acts: true},
		{Name: "数据", Aliases: []string{"figures", "统计", "查数据", "数据查询"},
			Usage: "数据 [单位] [项目] [春季|秋季|N月|2026年|全部]", Example: "数据 国家助学金 春季",
			Summary: "按项目和学段合计人数、人次和金额（万元）", Handler: x.figures},
		{Name: "汇总", Aliases: []string{"summary", "总结", "工作汇总"},
			Usage: "汇总 [单位] [本周|本月|N月|全年]", Example: "汇总 本月",
			Summary: "完成率、逾期事项、谁完成了什么、录入的数据（主管）；科员看到自己的进度", Handler: x.summary},
		{Name: "导出", Aliases: []string{"export", "导出报表"}, Usage: "导出", Example: "导出",
			Summary: "导出Excel报表（任务、完成记录、数据）", Role: bot.RoleSupervisor, Handler: x.export},
	}
}

// fx is the receiver of the figures commands.
type fx struct {
	h
	cat *figure.Catalogue
}

// record reads a 记录 line; what is missing is asked for in a dialog.
func (x fx) record(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	d, err := x.cat.Parse(req.Args, req.Today())
	if err != nil {
		return bot.Reply{}, err
	}
	return x.advance(ctx, req, d)
}

// recordContinue takes the answer to the question the dialog asked.
func (x fx) recordContinue(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	var d figure.Draft
	if req.Dialog != nil && req.Dialog.Data["draft"] != "" {
		if err := json.Unmarshal([]byte(req.Dialog.Data["draft"]), &d); err != nil {
			return bot.Reply{}, fmt.Errorf("record dialog: %w", err)
		}
	}
	if other := dialogOther(req); other != "" && !(periodLists[other] && x.cat.Answers(req.Args, req.Today())) {
		// "今天", "完成 3", "数据 春季", "撤销记录 2": another command, not an answer. "5月" and
		// "本月" name month lists but answer the period.
		return bot.Reply{}, &bot.Error{Code: bot.EINVALID, Err: bot.ErrLeaveDialog,
			Message: x.question(d, cmp.Or(firstOf(x.cat.Missing(d)), figure.NeedProgramme)) + "\n（请回复上面问的内容，或发送“取消”放弃这条记录。）"}
	}
	d, err := x.cat.Fill(d, req.Args, req.Today())
	if err != nil {
		var be *bot.Error
		if errors.As(err, &be) {
			return bot.Reply{}, bot.Errorf(be.Code, "%s\n（请重新回复，或发送“取消”放弃这条记录。）", be.Message)
		}
		return bot.Reply{}, err
	}
	return x.advance(ctx, req, d)
}

// periodLists are the list commands whose words ("5月", "六月", "本月") also answer the period
// of a 记录 dialog.
var periodLists = map[string]bool{"月份": true, "本月": true}

// dialogOther returns the other command the router says a dialog answer names, or "".
func dialogOther(req *bot.Request) string {
	if req.Dialog == nil {
		return ""
	}
	return req.Dialog.Other
}

// firstOf returns the first element of ss, or "".
func firstOf(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

// advance saves a complete draft, or asks for the first missing piece.
func (x fx) advance(ctx context.Context, req *bot.Request, d figure.Draft) (bot.Reply, error) {
	miss := x.cat.Missing(d)
	if len(miss) == 0 {
		if x.State != nil && req.Dialog != nil {
			if err := x.State.ClearDialog(ctx, req.TeamKey(), req.UserID); err != nil {
				x.Log.Warn("clear record dialog", "err", err, "user", req.UserID)
			}
		}
		return x.save(ctx, req, d)
	}
	q := x.question(d, miss[0])
	if x.State == nil {
		return bot.Reply{}, bot.Errorf(bot.EINVALID, "%s\n请写在一条消息里，例如：%s", q, figure.Example)
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return bot.Reply{}, err
	}
	dlg := bot.Dialog{Command: recordName, Step: miss[0], Data: map[string]string{"draft": string(raw)}}
	if err := x.State.SetDialog(ctx, req.TeamKey(), req.UserID, dlg); err != nil {
		return bot.Reply{}, storeErr("record dialog", err)
	}
	return bot.TextReply(q + "\n（发送“取消”放弃）"), nil
}

// question asks for one missing piece, showing what is known so far.
func (x fx) question(d figure.Draft, need string) string {
	known := ""
	if d.Programme != "" {
		known = "正在记录：" + strings.TrimSpace(d.Stage+" "+d.Programme) + " " + figure.PeriodLabel(d.Figure()) + "\n"
	}
	switch need {
	case figure.NeedProgramme:
		return "请发送要记录的数据：项目、学期、人数和金额，例如：\n" + strings.TrimPrefix(figure.Example, recordName+" ")
	case figure.NeedStage:
		p, _ := x.cat.Programme(d.Programme)
		return known + fmt.Sprintf("%s是哪个学段？请回复：%s", p.Name, strings.Join(p.Stages, " 或 "))
	case figure.NeedCount:
		return known + "受助人数是多少？请回复例如 1200人 或 1500人次（没有请回复“无”）"
	default:
		return known + "金额是多少？请回复例如 240万元 或 2,400,000元（没有请回复“无”）"
	}
}

// save records the figure and echoes it normalised, with its number.
func (x fx) save(ctx context.Context, req *bot.Request, d figure.Draft) (bot.Reply, error) {
	f := d.Figure()
	f.TeamID, f.By, f.At = req.Team.ID, req.UserID, req.Now
	f, err := x.Store.AddFigure(ctx, f, req.Effect("figure", ""))
	if err != nil {
		return bot.Reply{}, storeErr("add figure", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "✅ 已记录第%d条数据\n", f.ID)
	b.WriteString(recordLines(f, d.HasPersons || !d.HasPersonTimes, d.HasPersonTimes))
	fmt.Fprintf(&b, "\n记错了可发送“撤销记录 %d”。", f.ID)
	return bot.TextReply(b.String()), nil
}

// recordLines renders a figure field by field.
func recordLines(f bot.Figure, persons, times bool) string {
	var b strings.Builder
	b.WriteString("项目：" + f.Programme)
	if f.Stage != "" {
		b.WriteString("（" + f.Stage + "）")
	}
	b.WriteString("\n期间：" + figure.PeriodLabel(f))
	if persons {
		fmt.Fprintf(&b, "\n人数：%d人", f.Persons)
	}
	if times {
		fmt.Fprintf(&b, "\n人次：%d人次", f.PersonTimes)
	}
	fmt.Fprintf(&b, "\n金额：%s元（%s万元）", figure.FormatYuan(f.AmountFen), figure.FormatWan(f.AmountFen))
	if f.Note != "" {
		b.WriteString("\n备注：" + f.Note)
	}
	return b.String()
}

// undoRecord voids a figure: its recorder or a supervisor may.
func (x fx) undoRecord(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	id, ok := recordNumber(req.Args)
	if !ok {
		return bot.Reply{}, bot.Errorf(bot.EINVALID, "请写要撤销的记录编号，例如“撤销记录 12”。编号在记录成功的回复里，也可发送“数据”查看。")
	}
	figs, err := x.Store.Figures(ctx, req.Team.ID, bot.FigureFilter{IncludeVoid: true})
	if err != nil {
		return bot.Reply{}, storeErr("figures", err)
	}
	i := slices.IndexFunc(figs, func(f bot.Figure) bool { return f.ID == id })
	if i < 0 {
		return bot.Reply{}, bot.Errorf(bot.ENOTFOUND, "没有第%d条数据记录。", id)
	}
	f := figs[i]
	if f.By != req.UserID && req.Member.Role.Rank() < bot.RoleSupervisor.Rank() {
		return bot.Reply{}, bot.Errorf(bot.EFORBIDDEN, "第%d条记录是别人录入的，只有录入人或主管可以撤销。", id)
	}
	if f.Void() {
		return bot.Reply{}, bot.Errorf(bot.ECONFLICT, "第%d条记录已经撤销过了。", id)
	}
	if err := x.Store.VoidFigure(ctx, req.Team.ID, id, req.UserID, req.Now, req.Effect("figure.void", strconv.FormatInt(id, 10))); err != nil {
		switch {
		case errors.Is(err, bot.ErrAlreadyDone):
			return bot.Reply{}, bot.Errorf(bot.ECONFLICT, "第%d条记录已经撤销过了。", id)
		case errors.Is(err, bot.ErrNotFound):
			return bot.Reply{}, bot.Errorf(bot.ENOTFOUND, "没有第%d条数据记录。", id)
		}
		return bot.Reply{}, storeErr("void figure", err)
	}
	return bot.TextReply(fmt.Sprintf("已撤销第%d条记录：%s\n（保留在历史中，不再计入合计）", id, figure.Describe(f))), nil
}

// recordNumber reads the figure number of 撤销记录: "12", "#12", "第12条", "１２", "一", and
// "12 人数填错了" (a reason after the number is ignored). One number only.
func recordNumber(args string) (int64, bool) {
	arg := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(args), "#"))
	nums, rest, ok := bot.ParseNumbers(arg)
	if !ok || len(nums) != 1 || nums[0] <= 0 {
		return 0, false
	}
	rest = strings.TrimSpace(strings.TrimLeft(rest, "条号"))
	if rest != "" && (rest[0] >= '0' && rest[0] <= '9' || rest[0] == '.' || rest[0] == ',') {
		return 0, false // "1.5", "1,200": not a record number
	}
	return int64(nums[0]), true
}

// figures answers 数据: totals by programme and stage for a period.
func (x fx) figures(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	if sub, rest, ok, err := x.drillTarget(ctx, req); err != nil {
		return bot.Reply{}, err
	} else if ok { // 数据 濉溪县 [项目] [期间]: one unit below, over its own subtree
		req = sub
		req.Args = rest
	}
	q, err := x.cat.ParseQuery(req.Args, req.Today())
	if err != nil {
		return bot.Reply{}, err
	}
	r, rolled, err := x.rollupOf(ctx, req)
	if err != nil {
		return bot.Reply{}, err
	}
	var figs []bot.Figure
	var per []unitFigures
	voided := 0
	if rolled {
		if figs, voided, per, err = x.subtreeFigures(ctx, r, req, q); err != nil {
			return bot.Reply{}, err
		}
	} else {
		all, err := x.Store.Figures(ctx, req.Team.ID, bot.FigureFilter{IncludeVoid: true})
		if err != nil {
			return bot.Reply{}, storeErr("figures", err)
		}
		for _, f := range all {
			if !q.Match(f) {
				continue
			}
			if f.Void() {
				voided++
				continue
			}
			figs = append(figs, f)
		}
	}
	title := "数据（" + q.Label
	if q.Programme != "" || q.Stage != "" {
		title += "，" + strings.TrimSpace(q.Stage+" "+q.Programme)
	}
	title += "）"
	if rolled {
		title = req.Team.Name + "全辖" + title
	}
	if len(figs) == 0 {
		return bot.TextReply(title + "：还没有记录。\n记录示例：" + figure.Example), nil
	}
	names, err := x.recorders(ctx, req, figs)
	if err != nil {
		return bot.Reply{}, storeErr("names", err)
	}
	ts := x.cat.Totals(figs)
	var b strings.Builder
	b.WriteString(title + "，金额单位万元：")
	for _, t := range ts {
		b.WriteString("\n· " + totalLine(t, names))
	}
	if len(ts) > 1 {
		s := figure.Sum(ts)
		fmt.Fprintf(&b, "\n合计：%d人，%d人次，%s万元（%d条）", s.Persons, s.PersonTimes, figure.FormatWan(s.AmountFen), s.Records)
	}
	if voided > 0 {
		fmt.Fprintf(&b, "\n另有%d条已撤销的记录未计入。", voided)
	}
	if rolled {
		b.WriteString("\n\n按单位：")
		for _, u := range per {
			b.WriteString(u.line())
		}
	}
	return bot.TextReply(b.String()), nil
}

// recorders maps the userids who recorded figs to names, from the rosters of their units.
func (x fx) recorders(ctx context.Context, req *bot.Request, figs []bot.Figure) (map[string]string, error) {
	names := map[string]string{}
	seen := map[int64]bool{}
	for _, f := range figs {
		if seen[f.TeamID] {
			continue
		}
		seen[f.TeamID] = true
		ms, err := x.Store.Members(ctx, f.TeamID)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if _, ok := names[m.UserID]; !ok {
				names[m.UserID] = cmp.Or(m.Name, m.UserID)
			}
		}
	}
	if len(seen) == 0 {
		n, _, err := x.names(ctx, req)
		return n, err
	}
	return names, nil
}

// totalLine renders one programme and stage: 国家助学金·中职：1200人，0人次，240万元（2条，最近：张三 3月5日）.
func totalLine(t figure.Total, names map[string]string) string {
	name := t.Programme
	if t.Stage != "" {
		name += "·" + t.Stage
	}
	who := cmp.Or(names[t.LastBy], t.LastBy)
	return fmt.Sprintf("%s：%d人，%d人次，%s万元（%d条，最近录入：%s %s）", name, t.Persons, t.PersonTimes,
		figure.FormatWan(t.AmountFen), t.Records, who, bot.DateOf(t.LastAt.In(bot.Shanghai)).Short())
}

// export sends the workbook to the supervisor as a WeCom file message when Deps.Export is set;
// without it (demo, chat) it points at the workbook the CLI writes.
func (x fx) export(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	if x.Export == nil {
		return bot.TextReply("Excel报表（任务、完成记录、数据、原始数据四张表）请由管理员在服务器上运行：\n" +
			"planbot export --xlsx 报表.xlsx [--team 团队] [--year 年份]"), nil
	}
	if err := x.Export(ctx, req.Team, req.UserID, req.Now); err != nil {
		return bot.Reply{}, &bot.Error{Code: bot.EUNAVAILABLE, Message: "报表发送失败，请稍后再试。", Err: err}
	}
	return bot.TextReply("报表已生成并发送给你（Excel文件：任务、完成记录、数据、原始数据），请在与应用的聊天中查收。"), nil
}

// period of a summary: [from, to] in dates, with its title.
type sumPeriod struct {
	from, to bot.Date
	title    string
}

// summaryPeriod reads 本周, 本月 (default), 上月, N月 / 十二月, 全年 / 今年.
func summaryPeriod(args string, today bot.Date) (sumPeriod, error) {
	a := strings.ReplaceAll(bot.Normalize(args), " ", "")
	first := bot.NewDate(today.Year, today.Month, 1)
	switch a {
	case "", "本月", "这个月", "当月", "month":
		return sumPeriod{first, first.LastOfMonth(), fmt.Sprintf("本月（%d月）", int(today.Month))}, nil
	case "本周", "这周", "本星期", "week":
		mon, sun := weekOf(today)
		return sumPeriod{mon, sun, fmt.Sprintf("本周（%s—%s）", mon.Short(), sun.Short())}, nil
	case "上月", "上个月":
		p := bot.NewDate(today.Year, today.Month-1, 1)
		return sumPeriod{p, p.LastOfMonth(), fmt.Sprintf("%d年%d月", p.Year, int(p.Month))}, nil
	case "全年", "今年", "本年", "年度", "year":
		return sumPeriod{bot.NewDate(today.Year, 1, 1), bot.NewDate(today.Year, 12, 31), fmt.Sprintf("%d年全年", today.Year)}, nil
	}
	if m, ok := strings.CutSuffix(strings.TrimSuffix(a, "份"), "月"); ok {
		if n, ok := bot.ChineseNumber(m); ok && n >= 1 && n <= 12 {
			p := bot.NewDate(today.Year, time.Month(n), 1)
			return sumPeriod{p, p.LastOfMonth(), fmt.Sprintf("%d年%d月", p.Year, n)}, nil
		}
	}
	return sumPeriod{}, bot.Errorf(bot.EINVALID, "汇总的时间请写 本周、本月、上月、6月 或 全年，例如“汇总 本月”。")
}

// summaryFacts is what 汇总 reports on obligations and completions, gathered before anything
// is written. A supervisor's facts cover the team; a staff member's their own items, with the
// team's overdue count beside them.
type summaryFacts struct {
	inPeriod, overdue []bot.AgendaItem // the viewer's items due in the period; open past their date
	done              int              // of inPeriod
	teamOverdue       int              // the whole team's open items past their date
	teamUnassigned    int              // of teamOverdue, held by nobody
	who               []string         // who completed something in the period, first completion first
	byWho             map[string][]string
}

// summaryOf gathers the facts of 汇总 for viewer over period p (instants from fromT to toT).
func (x fx) summaryOf(items []bot.Tracked, comps []bot.Completion, p sumPeriod, today bot.Date, fromT, toT time.Time, viewer string, supervisor bool) summaryFacts {
	f := summaryFacts{byWho: map[string][]string{}}
	mine := func(t bot.Tracked) bool { return supervisor || t.Assignee == viewer }
	titles := map[string]string{}
	for _, t := range items {
		titles[t.Key] = t.Title
		if !t.Retired && !t.BeforeTracking && t.DoneBy == "" && x.agendaItem(t).EffectiveDue.Before(today) {
			f.teamOverdue++
			if t.Assignee == "" {
				f.teamUnassigned++
			}
		}
		if t.Retired || t.BeforeTracking || !mine(t) {
			continue
		}
		it := x.agendaItem(t)
		if !it.EffectiveDue.Before(p.from) && !it.EffectiveDue.After(p.to) {
			f.inPeriod = append(f.inPeriod, it)
			if t.DoneBy != "" {
				f.done++
			}
		}
		if t.DoneBy == "" && it.EffectiveDue.Before(today) {
			f.overdue = append(f.overdue, it)
		}
	}
	for _, c := range comps {
		if !c.UndoneAt.IsZero() || c.UndoneBy != "" || c.At.Before(fromT) || !c.At.Before(toT) {
			continue
		}
		if !supervisor && c.By != viewer {
			continue
		}
		if _, ok := f.byWho[c.By]; !ok {
			f.who = append(f.who, c.By)
		}
		f.byWho[c.By] = append(f.byWho[c.By], cmp.Or(titles[c.Key], c.Key))
	}
	return f
}

// summary answers 汇总: for supervisors the team's completion rate, overdue items with their
// assignees, who completed what and the figures recorded in the period; for staff their own
// progress.
func (x fx) summary(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	today := req.Today()
	unit := ""
	if sub, rest, ok, err := x.drillTarget(ctx, req); err != nil {
		return bot.Reply{}, err
	} else if ok {
		req, unit = sub, sub.Team.Name+" "
		req.Args = rest
	}
	p, err := summaryPeriod(req.Args, today)
	if err != nil {
		return bot.Reply{}, err
	}
	items, err := x.Store.Obligations(ctx, req.Team.ID, true)
	if err != nil {
		return bot.Reply{}, storeErr("summary", err)
	}
	comps, err := x.Store.Completions(ctx, req.Team.ID)
	if err != nil {
		return bot.Reply{}, storeErr("summary", err)
	}
	names, _, err := x.names(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("names", err)
	}
	name := func(u string) string {
		if u == "" {
			return "未分配"
		}
		return cmp.Or(names[u], u)
	}
	supervisor := req.Member.Role.Rank() >= bot.RoleSupervisor.Rank()
	loc := teamLoc(req)
	fromT, toT := p.from.Time(loc), p.to.AddDays(1).Time(loc)
	f := x.summaryOf(items, comps, p, today, fromT, toT, req.UserID, supervisor)

	var b strings.Builder
	if supervisor {
		fmt.Fprintf(&b, "📊 %s%s工作汇总", unit, p.title)
	} else {
		fmt.Fprintf(&b, "📊 %s我的进度（%s）", p.title, name(req.UserID))
	}
	if len(f.inPeriod) == 0 {
		b.WriteString("\n本期没有到期事项。")
	} else {
		fmt.Fprintf(&b, "\n完成率：%d/%d（%d%%）", f.done, len(f.inPeriod), f.done*100/len(f.inPeriod))
	}
	writeSummaryOverdue(&b, f, supervisor, name)
	writeSummaryDone(&b, f, name)
	if supervisor {
		if err := x.writeSummaryFigures(ctx, &b, req, names, fromT, toT); err != nil {
			return bot.Reply{}, err
		}
	}
	return bot.TextReply(b.String()), nil
}

// writeSummaryOverdue writes the overdue part of 汇总: the viewer's overdue items (at most
// maxSummaryLines) and, for staff, the team's count on a line of its own — "no overdue" of
// one's own is not "no overdue" of the team's.
func writeSummaryOverdue(b *strings.Builder, f summaryFacts, supervisor bool, name func(string) string) {
	teamLine := func() {
		if supervisor {
			return
		}
		switch {
		case f.teamOverdue == 0:
			b.WriteString("\n团队截至今天没有逾期事项。")
		case f.teamUnassigned > 0:
			fmt.Fprintf(b, "\n团队%d项逾期，其中%d项未分配（发送“逾期”查看）。", f.teamOverdue, f.teamUnassigned)
		default:
			fmt.Fprintf(b, "\n团队%d项逾期（发送“逾期”查看）。", f.teamOverdue)
		}
	}
	switch {
	case len(f.overdue) == 0 && !supervisor:
		b.WriteString("\n你名下截至今天无逾期。")
		teamLine()
	case len(f.overdue) == 0:
		b.WriteString("\n截至今天没有逾期事项。")
	default:
		if supervisor {
			fmt.Fprintf(b, "\n截至今天逾期%d项：", len(f.overdue))
		} else {
			fmt.Fprintf(b, "\n你名下截至今天逾期%d项：", len(f.overdue))
		}
		for i, it := range f.overdue {
			if i == maxSummaryLines {
				fmt.Fprintf(b, "\n  …另有%d项，发送“逾期”查看全部", len(f.overdue)-i)
				break
			}
			fmt.Fprintf(b, "\n  · %s（%s截止，%s）", it.Title, it.EffectiveDue.Short(), name(it.Assignee))
		}
		teamLine()
	}
}

// writeSummaryDone writes who completed what in the period, three titles a person at most.
func writeSummaryDone(b *strings.Builder, f summaryFacts, name func(string) string) {
	if len(f.who) == 0 {
		b.WriteString("\n本期没有完成记录。")
		return
	}
	b.WriteString("\n本期完成：")
	for _, u := range f.who {
		ts := f.byWho[u]
		line := strings.Join(ts, "；")
		if len(ts) > 3 {
			line = strings.Join(ts[:3], "；") + fmt.Sprintf(" 等%d项", len(ts))
		}
		fmt.Fprintf(b, "\n  · %s %d项：%s", name(u), len(ts), line)
	}
}

// writeSummaryFigures writes a supervisor's figures part of 汇总: the totals recorded in the
// period, the sum recorded by the units below, and the roll-up of those units.
func (x fx) writeSummaryFigures(ctx context.Context, b *strings.Builder, req *bot.Request, names map[string]string, fromT, toT time.Time) error {
	figs, err := x.Store.Figures(ctx, req.Team.ID, bot.FigureFilter{})
	if err != nil {
		return storeErr("figures", err)
	}
	if recent := figuresBetween(figs, fromT, toT); len(recent) == 0 {
		b.WriteString("\n本期没有录入数据。")
	} else {
		fmt.Fprintf(b, "\n本期录入数据%d条：", len(recent))
		for _, t := range x.cat.Totals(recent) {
			b.WriteString("\n  · " + totalLine(t, names))
		}
	}
	r, ok, err := x.rollupOf(ctx, req)
	if err != nil || !ok {
		return err
	}
	var below []bot.Figure
	for _, u := range r.tree.Subtree(req.Team.ID)[1:] {
		fs, err := x.Store.Figures(ctx, u.ID, bot.FigureFilter{})
		if err != nil {
			return storeErr("figures", err)
		}
		below = append(below, figuresBetween(fs, fromT, toT)...)
	}
	if len(below) > 0 {
		s := figure.Sum(x.cat.Totals(below))
		fmt.Fprintf(b, "\n下级单位本期录入数据%d条：%d人，%d人次，%s万元（分项目和单位发送“数据”）", s.Records, s.Persons, s.PersonTimes, figure.FormatWan(s.AmountFen))
	}
	return x.writeRollup(ctx, b, r, req)
}

// figuresBetween keeps the figures recorded in [from, to) that are not voided.
func figuresBetween(figs []bot.Figure, from, to time.Time) []bot.Figure {
	var in []bot.Figure
	for _, f := range figs {
		if !f.At.Before(from) && f.At.Before(to) && !f.Void() {
			in = append(in, f)
		}
	}
	return in
}

// maxSummaryLines caps the overdue list of a summary (WeCom messages are short).
const maxSummaryLines = 10

// teamLoc is the team's time zone.
func teamLoc(req *bot.Request) *time.Location {
	if req.Team.TimeZone != "" {
		if l, err := time.LoadLocation(req.Team.TimeZone); err == nil {
			return l
		}
	}
	return bot.Shanghai
}
