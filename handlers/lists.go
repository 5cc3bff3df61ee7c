package handlers

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/render"
)

func registerLists(r *bot.Router, d Deps) {
	x := h{d}
	r.Add(bot.Command{Name: "今天", Aliases: []string{"今日", "today", "待办", "日程"}, Usage: "今天",
		Example: "今天", Summary: "今天的事项：逾期、今天到期、即将到期和本月未完成（编号同早上的推送）", Handler: x.today})
	r.Add(bot.Command{Name: "明天", Aliases: []string{"明日", "tomorrow"}, Usage: "明天",
		Example: "明天", Summary: "明天到期的事项", Handler: x.period(spanTomorrow)})
	r.Add(bot.Command{Name: "本周", Aliases: []string{"这周", "这星期", "本星期", "week", "this week"}, Usage: "本周",
		Example: "本周", Summary: "本周（周一到周日）到期的事项", Handler: x.period(spanWeek)})
	r.Add(bot.Command{Name: "下周", Aliases: []string{"下星期", "next week"}, Usage: "下周",
		Example: "下周", Summary: "下周到期的事项", Handler: x.period(spanNextWeek)})
	r.Add(bot.Command{Name: "本月", Aliases: []string{"这个月", "这月", "当月", "month", "this month"}, Usage: "本月",
		Example: "本月", Summary: "本月的全部事项和完成情况", Handler: x.period(spanMonth)})
	r.Add(bot.Command{Name: "下月", Aliases: []string{"下个月", "next month"}, Usage: "下月",
		Example: "下月", Summary: "下个月的全部事项", Handler: x.period(spanNextMonth)})
	r.Add(bot.Command{Name: "月份", Aliases: monthWords(), Usage: "6月（或 六月）",
		Example: "9月", Summary: "某个月的全部事项", Handler: x.period(spanNamedMonth)})
	r.Add(bot.Command{Name: "逾期", Aliases: []string{"超期", "过期", "overdue", "late"}, Usage: "逾期",
		Example: "逾期", Summary: "已过截止日期还没完成的事项", Handler: x.overdue})
	r.Add(bot.Command{Name: "我的", Aliases: []string{"我的任务", "我的事项", "我负责的", "分给我的", "mine", "my"}, Usage: "我的",
		Example: "我的", Summary: "分配给我的未完成事项", Handler: x.mine})
}

// monthWords are the aliases of the month command: 1月…12月 and 一月…十二月.
func monthWords() []string {
	cn := []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"}
	var out []string
	for i := 1; i <= 12; i++ {
		out = append(out, fmt.Sprintf("%d月", i), cn[i-1]+"月")
	}
	return out
}

// span picks the items of a list and titles it.
type span func(req *bot.Request, cal bot.Calendar) (from, to bot.Date, title string)

// spanTomorrow is tomorrow, or when tomorrow is a rest day the next workday (deadlines never
// fall on rest days once moved to their effective date).
func spanTomorrow(req *bot.Request, cal bot.Calendar) (bot.Date, bot.Date, string) {
	d := req.Today().AddDays(1)
	if cal.IsWorkday(d) {
		return d, d, fmt.Sprintf("明天（%s %s）", d.Short(), weekdayNames[d.Weekday()])
	}
	next := cal.AddWorkdays(req.Today(), 1)
	return next, next, fmt.Sprintf("明天休息；下一个工作日（%s %s）", next.Short(), weekdayNames[next.Weekday()])
}

func spanWeek(req *bot.Request, _ bot.Calendar) (bot.Date, bot.Date, string) {
	mon, sun := weekOf(req.Today())
	return mon, sun, fmt.Sprintf("本周（%s—%s）", mon.Short(), sun.Short())
}

func spanNextWeek(req *bot.Request, _ bot.Calendar) (bot.Date, bot.Date, string) {
	mon, sun := weekOf(req.Today().AddDays(7))
	return mon, sun, fmt.Sprintf("下周（%s—%s）", mon.Short(), sun.Short())
}

func spanMonth(req *bot.Request, _ bot.Calendar) (bot.Date, bot.Date, string) {
	t := req.Today()
	first := bot.NewDate(t.Year, t.Month, 1)
	return first, first.LastOfMonth(), fmt.Sprintf("本月（%d月）", int(t.Month))
}

func spanNextMonth(req *bot.Request, _ bot.Calendar) (bot.Date, bot.Date, string) {
	t := req.Today()
	first := bot.NewDate(t.Year, t.Month+1, 1)
	return first, first.LastOfMonth(), fmt.Sprintf("下月（%d月）", int(first.Month))
}

// spanNamedMonth reads the month from the message itself ("6月", "六月", "十二月").
func spanNamedMonth(req *bot.Request, _ bot.Calendar) (bot.Date, bot.Date, string) {
	t := req.Today()
	text := bot.Normalize(req.Text)
	m := int(t.Month)
	if i := strings.Index(text, "月"); i > 0 {
		word := text[:i]
		// the command word may follow an @mention glued to it; keep the trailing numeral
		for len(word) > 0 {
			if n, ok := bot.ChineseNumber(word); ok && n >= 1 && n <= 12 {
				m = n
				break
			}
			_, size := utf8.DecodeRuneInString(word)
			word = word[size:]
		}
	}
	first := bot.NewDate(t.Year, time.Month(m), 1)
	return first, first.LastOfMonth(), fmt.Sprintf("%d年%d月", first.Year, m)
}

// period lists the items whose effective deadline falls in the span, open ones first and the
// user's own first among them; done ones last, marked.
func (x h) period(sp span) bot.HandlerFunc {
	return func(ctx context.Context, req *bot.Request) (bot.Reply, error) {
		from, to, title := sp(req, x.Calendar)
		items, members, err := x.view(ctx, req)
		if err != nil {
			return bot.Reply{}, storeErr("list", err)
		}
		var list []bot.AgendaItem
		for _, t := range items {
			if t.BeforeTracking {
				continue
			}
			it := x.agendaItem(t)
			if it.EffectiveDue.Before(from) || it.EffectiveDue.After(to) {
				continue
			}
			list = append(list, it)
		}
		sortMineFirst(list, req.UserID)
		done := 0
		for _, it := range list {
			if it.DoneBy != "" {
				done++
			}
		}
		head := fmt.Sprintf("%s共%d项，已完成%d项", title, len(list), done)
		return x.renderList(ctx, req, head, list, knownNames(members))
	}
}

// sortMineFirst orders open items before done ones, the user's own first, then by deadline.
func sortMineFirst(list []bot.AgendaItem, user string) {
	rank := func(it bot.AgendaItem) int {
		switch {
		case it.DoneBy != "":
			return 2
		case it.Assignee == user && user != "":
			return 0
		}
		return 1
	}
	slices.SortStableFunc(list, func(a, b bot.AgendaItem) int {
		if c := cmp.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		return a.EffectiveDue.Compare(b.EffectiveDue)
	})
}

// dayAgenda is the team's agenda of the request's day as it stood that morning: its numbering
// (bot.Agenda.Numbered) is the one of the group digest, the personal cards and 今天.
func (x h) dayAgenda(req *bot.Request, items []bot.Tracked) bot.Agenda {
	return bot.DayAgenda(req.Today(), items, x.Calendar, req.Team.Location())
}

// today shows today's digest with the team's numbering of the day (the numbers of the morning
// group message and cards), collapsed like the digest into one app message.
func (x h) today(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	items, members, err := x.view(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("today", err)
	}
	day := req.Today()
	ag := x.dayAgenda(req, items)
	list := ag.Numbered()
	keys := x.dayNumbering(ctx, req, ag)
	x.saveKeys(ctx, req, keys)
	head := fmt.Sprintf("今天 %s %s", day.Short(), weekdayNames[day.Weekday()])
	switch {
	case ag.Holiday != "":
		head += "（" + ag.Holiday + "，休息日）"
	case !ag.Workday:
		head += "（休息日）"
	}
	names, _ := listNames(list, knownNames(members))
	o := render.Options{Max: render.AppMaxBytes, Head: head, Foot: render.FootChat, Names: names, Numbers: numbersOf(keys)}
	return bot.Reply{Markdown: render.Digest("", ag, o), Plain: render.DigestText("", ag, o)}, nil
}

// overdue lists the open items whose effective deadline has passed, the most recent first, by
// their numbers in the team's numbering of the day; one message a page ("逾期 2" the next).
func (x h) overdue(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	items, members, err := x.view(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("overdue", err)
	}
	ag := x.dayAgenda(req, items)
	var list []bot.AgendaItem
	for _, it := range ag.Overdue {
		if it.DoneBy == "" {
			list = append(list, it)
		}
	}
	keys := x.dayNumbering(ctx, req, ag)
	x.saveKeys(ctx, req, keys)
	if len(list) == 0 {
		return bot.TextReply("没有逾期事项 👍"), nil
	}
	page := 1
	if n, _, ok := bot.ParseNumbers(req.Args); ok && len(n) == 1 && n[0] > 1 {
		page = n[0]
	}
	names, _ := listNames(list, knownNames(members))
	nums := numbersOf(keys)
	today := req.Today()
	head := fmt.Sprintf("逾期未完成共%d项（编号同今天的清单）", len(list))
	pages := pagesOf(list, func(it bot.AgendaItem) string { return itemLine(nums[it.Key], it, names, today, true) }, len(head)+200)
	if page > len(pages) {
		return bot.Reply{}, bot.Errorf(bot.ENOTFOUND, "逾期事项只有%d页。发送“逾期”从第1页看起。", len(pages))
	}
	shown := pages[page-1]
	var plain, md strings.Builder
	if len(pages) > 1 {
		head += fmt.Sprintf("，第%d/%d页", page, len(pages))
	}
	plain.WriteString(head + "：\n")
	md.WriteString("**" + head + "**\n")
	for _, it := range shown {
		plain.WriteString(itemLine(nums[it.Key], it, names, today, false) + "\n")
		md.WriteString(itemLine(nums[it.Key], it, names, today, true) + "\n")
	}
	foot := listFoot
	if page < len(pages) {
		foot = fmt.Sprintf("更早的逾期事项：发送“逾期 %d”看下一页。", page+1) + foot
	}
	plain.WriteString(foot)
	md.WriteString("<font color=\"comment\">" + foot + "</font>")
	return bot.Reply{Plain: plain.String(), Markdown: md.String()}, nil
}

// pagesOf cuts list into pages whose rendered lines (line) fit one app message beside reserve
// bytes of head and foot.
func pagesOf(list []bot.AgendaItem, line func(bot.AgendaItem) string, reserve int) [][]bot.AgendaItem {
	var pages [][]bot.AgendaItem
	size, from := 0, 0
	for i, it := range list {
		n := len(line(it)) + 1
		if i > from && size+n > render.AppMaxBytes-reserve {
			pages = append(pages, list[from:i])
			from, size = i, 0
		}
		size += n
	}
	return append(pages, list[from:])
}

// mine lists the open items assigned to the user.
func (x h) mine(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	items, members, err := x.view(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("mine", err)
	}
	var list []bot.AgendaItem
	for _, t := range items {
		if t.Assignee == req.UserID && t.DoneBy == "" && !t.BeforeTracking {
			list = append(list, x.agendaItem(t))
		}
	}
	sortMineFirst(list, req.UserID)
	if len(list) == 0 {
		x.saveList(ctx, req, nil)
		return bot.TextReply("目前没有分配给你的未完成事项。发送“本周”查看全部。"), nil
	}
	return x.renderList(ctx, req, fmt.Sprintf("分配给你的未完成事项共%d项", len(list)), list, knownNames(members))
}

// ownNumbering marks a list numbered on its own (本月, 6月, 我的, the 完成 dialog): its numbers
// are what 完成 N means until the user's next list, not the team's numbers of the day.
const ownNumbering = "本列表单独编号"

// listFoot is the footer of a numbered list.
const listFoot = "回复“完成 编号”标记完成，可加备注，例如“完成 1 已报送”。"

// renderList saves the numbering and renders a numbered list with the default footer, its
// people named by names.
func (x h) renderList(ctx context.Context, req *bot.Request, head string, list []bot.AgendaItem, names namer) (bot.Reply, error) {
	return x.renderListWith(ctx, req, head, list, listFoot, names)
}

// renderListFoot is renderList with its own footer, naming people from the team's members.
func (x h) renderListFoot(ctx context.Context, req *bot.Request, head string, list []bot.AgendaItem, foot string) (bot.Reply, error) {
	return x.renderListWith(ctx, req, head, list, foot, x.readNames(ctx, req))
}

// renderListWith is renderListFoot with the people named by names.
func (x h) renderListWith(ctx context.Context, req *bot.Request, head string, list []bot.AgendaItem, foot string, nm namer) (bot.Reply, error) {
	x.saveList(ctx, req, list)
	if len(list) == 0 {
		return bot.TextReply(head + "。"), nil
	}
	names, err := listNames(list, nm)
	if err != nil {
		return bot.Reply{}, storeErr("names", err)
	}
	today := req.Today()
	if len(list) > 1 {
		head += "（" + ownNumbering + "）"
	}
	var plain, md strings.Builder
	plain.WriteString(head + "：\n")
	md.WriteString("**" + head + "**\n")
	budget := render.AppMaxBytes - len(foot) - 120 // the foot, its markup and the "more" line
	for i, it := range list {
		m := itemLine(i+1, it, names, today, true)
		if md.Len()+len(m)+1 > budget {
			more := fmt.Sprintf("……另有%d项（第%d–%d项）未列出，可按月份查看，例如“%d月”。\n", len(list)-i, i+1, len(list), int(today.Month))
			plain.WriteString(more)
			md.WriteString(more)
			break
		}
		plain.WriteString(itemLine(i+1, it, names, today, false) + "\n")
		md.WriteString(m + "\n")
	}
	plain.WriteString(foot)
	md.WriteString("<font color=\"comment\">" + foot + "</font>")
	return bot.Reply{Plain: plain.String(), Markdown: md.String()}, nil
}

// listNames is names restricted to the assignees and completers of list, the only names its
// lines show: a list names a few people, the map of the whole team (hundreds) cost more than
// the lines themselves.
func listNames(list []bot.AgendaItem, names namer) (map[string]string, error) {
	ids := make([]string, 0, 2*len(list))
	for _, it := range list {
		ids = append(ids, it.Assignee, it.DoneBy)
	}
	return names(ids)
}

// namesOf is names restricted to ids (empty ids ignored): the same display names for them,
// without a map of the whole team. With no id to name (a list nobody is assigned to or has
// completed anything in) it reads no members.
func (x h) namesOf(ctx context.Context, req *bot.Request, ids []string) (map[string]string, error) {
	if !slices.ContainsFunc(ids, func(id string) bool { return id != "" }) {
		return map[string]string{}, nil
	}
	ms, err := x.Store.Members(ctx, req.Team.ID)
	if err != nil {
		return nil, err
	}
	return namesIn(ms, ids), nil
}

// namesIn is namesOf over members already read (Store.TeamView).
func namesIn(ms []bot.Member, ids []string) map[string]string {
	names := map[string]string{}
	for _, id := range ids {
		if id != "" {
			names[id] = ""
		}
	}
	if len(names) == 0 {
		return names
	}
	for _, m := range ms {
		if _, ok := names[m.UserID]; ok {
			names[m.UserID] = cmp.Or(m.Name, m.UserID)
		}
	}
	return names
}

// namer names the people of a reply: namesOf, or namesIn over members already read.
type namer func(ids []string) (map[string]string, error)

// readNames is namesOf as a namer.
func (x h) readNames(ctx context.Context, req *bot.Request) namer {
	return func(ids []string) (map[string]string, error) { return x.namesOf(ctx, req, ids) }
}

// knownNames is namesIn over ms as a namer.
func knownNames(ms []bot.Member) namer {
	return func(ids []string) (map[string]string, error) { return namesIn(ms, ids), nil }
}

// itemLine renders one numbered item as the digest does (render.ItemLine: title, deadline and
// effective date, assignee) followed by its state: done (by whom), overdue, or due today.
func itemLine(n int, it bot.AgendaItem, names map[string]string, today bot.Date, md bool) string {
	var b strings.Builder
	b.WriteString(render.ItemLine(n, it, names, md))
	eff := it.EffectiveDue
	warn := func(s string) string {
		if md {
			return `<font color="warning">` + s + `</font>`
		}
		return s
	}
	switch {
	case it.DoneBy != "":
		s := "✅已完成"
		if who := cmp.Or(names[it.DoneBy], it.DoneBy); who != "" {
			s += "（" + who + "）"
		}
		b.WriteString(" " + s)
	case !eff.IsZero() && eff.Before(today):
		b.WriteString(" ⚠" + warn(fmt.Sprintf("逾期%d天", eff.DaysUntil(today))))
	case eff == today:
		b.WriteString(" " + warn("今天到期"))
	}
	return b.String()
}
