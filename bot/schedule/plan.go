package schedule

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/planbot/planbot/bot"
)

// MaxCardItems is WeCom's limit of buttons on a button_interaction card.
const MaxCardItems = 6

type planInput struct {
	Team         bot.Team
	Day          bot.Date
	Items        []bot.Tracked
	Members      []bot.Member
	Cal          bot.Calendar
	Config       TeamConfig
	BuildAgenda  func(bot.Date, []bot.Tracked, bot.Calendar) bot.Agenda
	RenderDigest func(string, bot.Agenda) []string
	Robot        bool // the smart robot takes @mentions in the group: the digest says so
	// Numbers is the team's numbering of the day (key to number); nil: the agenda's own.
	Numbers map[string]int
	// Below is, for escalations only, the live units directly below Team.
	Below []unitItems
}

func keysOf(items []bot.AgendaItem) []string {
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.Key
	}
	return keys
}

func numbersOf(keys []string) map[string]int {
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		m[k] = i + 1
	}
	return m
}

func (in planInput) key(k Kind, parts ...string) string {
	return strings.Join(append([]string{string(k), in.Team.Name, in.Day.String()}, parts...), "/")
}

// open is an item still to do and tracked (not done, retired or from before tracking).
func open(t bot.Tracked) bool { return t.Status() == bot.StatusOpen }

func (in planInput) names() map[string]string {
	m := make(map[string]string, len(in.Members))
	for _, mb := range in.Members {
		m[mb.UserID] = mb.Name
	}
	return m
}

func (in planInput) supervisors() []bot.Member {
	var out []bot.Member
	for _, m := range in.Members {
		if m.Active && m.Role.Rank() >= bot.RoleSupervisor.Rank() {
			out = append(out, m)
		}
	}
	return out
}

// Morning is what the morning digest run sends for a team and day, without a queue: the group
// digest (one message) and the personal cards, in the order the run inserts them. robot says the
// smart robot takes @mentions in the group. For goldens and `planbot digest`.
func Morning(team bot.Team, day bot.Date, items []bot.Tracked, members []bot.Member, cal bot.Calendar, robot bool) []DeliverArgs {
	return plan(KindDigest, planInput{Team: team, Day: day, Items: items, Members: members, Cal: cal,
		Config: DefaultTeamConfig(), Robot: robot})
}

// plan returns the messages of kind k for the input's day.
func plan(k Kind, in planInput) []DeliverArgs {
	if !in.Cal.IsWorkday(in.Day) {
		return nil
	}
	switch k {
	case KindDigest:
		return planDigest(in)
	case KindRemind:
		return planRemind(in)
	case KindEscalate:
		return planEscalate(in)
	case KindWeekly:
		return planWeekly(in)
	case KindMonthly:
		return planMonthly(in)
	}
	return nil
}

// agenda is the day's agenda as it stood in the morning (bot.DayAgenda): its numbering is the
// team's for the whole day.
func (in planInput) agenda() bot.Agenda {
	if in.BuildAgenda != nil {
		return in.BuildAgenda(in.Day, in.Items, in.Cal)
	}
	return bot.DayAgenda(in.Day, in.Items, in.Cal, TeamLocation(in.Team))
}

func planDigest(in planInput) []DeliverArgs {
	a := in.agenda()
	if len(a.Overdue)+len(a.DueToday)+len(a.Upcoming)+len(a.MonthOpen) == 0 {
		return nil
	}
	out := []DeliverArgs{Chain(in.key(KindDigest, "group"), ToGroup, in.digestParts(a))}
	if !in.Config.Cards {
		return out
	}
	for _, m := range in.Members {
		if !m.Active {
			continue
		}
		card, ok := MemberCardNumbered(in.Team.ID, in.Day, a, m, in.names(), in.Numbers)
		if !ok {
			continue
		}
		out = append(out, DeliverArgs{Key: in.key(KindDigest, "card", m.UserID), To: m.UserID, Card: &card})
	}
	return out
}

// MemberCard returns member m's personal card for day, chosen from the day's agenda a (built by
// bot.DayAgenda, so an item done during the day keeps its place and number). A staff member's
// card lists, at most MaxCardItems, their own items due today, then their own overdue ones (the
// most recent first), then the unassigned ones due today (nobody holds them); items due today
// are kept before overdue ones are (own overdue keep at least half the card). Each line carries
// the item's number in the team's numbering (the group digest's). ok is false when there is
// none. A supervisor's (or admin's) card is SummaryCard (names: userid to name). The morning
// digest sends it; a card click rebuilds it (cmd/planbot) with the same rule.
func MemberCard(teamID int64, day bot.Date, a bot.Agenda, m bot.Member, names map[string]string) (card bot.Card, ok bool) {
	return MemberCardNumbered(teamID, day, a, m, names, nil)
}

// MemberCardNumbered is MemberCard with the team's numbering of the day (nil: a.Numbers()).
func MemberCardNumbered(teamID int64, day bot.Date, a bot.Agenda, m bot.Member, names map[string]string, nums map[string]int) (card bot.Card, ok bool) {
	if m.Role.Rank() >= bot.RoleSupervisor.Rank() {
		return SummaryCard(teamID, day, a, m, names)
	}
	if nums == nil {
		nums = a.Numbers()
	}
	var ownToday, ownOver, freeToday []bot.AgendaItem
	for _, it := range a.DueToday {
		switch it.Assignee {
		case m.UserID:
			ownToday = append(ownToday, it)
		case "":
			freeToday = append(freeToday, it)
		}
	}
	for _, it := range a.Overdue {
		if it.Assignee == m.UserID {
			ownOver = append(ownOver, it)
		}
	}
	today, overdue := len(ownToday)+len(freeToday), len(ownOver)
	// What is due today has a place before one's overdue items take the rest (a card titled
	// 今日待办 does not leave out today's item for older ones), except that one's own overdue
	// items keep up to half the card on a day with more due today than fits.
	overRoom := max(MaxCardItems-today, min(len(ownOver), MaxCardItems/2))
	shownOver := ownOver[:min(len(ownOver), overRoom)]
	var items []bot.CardItem
	for _, s := range [][]bot.AgendaItem{ownToday, shownOver, freeToday} {
		for _, it := range s {
			if len(items) < MaxCardItems {
				items = append(items, bot.CardItem{Key: it.Key, Num: nums[it.Key], Text: cardLine(it, day), EventKey: "done:" + it.Key})
			}
		}
	}
	left := today + overdue - len(items)
	if len(items) == 0 {
		return bot.Card{}, false
	}
	var parts []string
	if today > 0 {
		parts = append(parts, fmt.Sprintf("今天到期%d项", today))
	}
	if overdue > 0 {
		parts = append(parts, fmt.Sprintf("你名下逾期%d项", overdue))
	}
	desc := fmt.Sprintf("%s：%s", nameOf(m), strings.Join(parts, "，"))
	if left > 0 {
		desc += fmt.Sprintf("（另有%d项，发送「我的」查看）", left)
	}
	return bot.Card{
		TaskID: taskID(teamID, day, m.UserID),
		Title:  fmt.Sprintf("今日待办（%s）", day.Short()),
		Desc:   desc,
		Items:  items,
	}, true
}

// SummaryCard is a supervisor's morning card: the team's day in a few lines — due today,
// overdue (how many unassigned), who is behind — with buttons to the lists. names maps userids
// to names (nil: userids). ok is false when the team has nothing due today and nothing overdue.
func SummaryCard(teamID int64, day bot.Date, a bot.Agenda, m bot.Member, names map[string]string) (card bot.Card, ok bool) {
	openToday, _ := openCount(a.DueToday)
	openOver, unassigned := openCount(a.Overdue)
	if openToday == 0 && openOver == 0 {
		return bot.Card{}, false
	}
	behind := map[string]int{}
	var who []string
	for _, it := range a.Overdue {
		if it.DoneBy == "" && it.Assignee != "" {
			if behind[it.Assignee] == 0 {
				who = append(who, it.Assignee)
			}
			behind[it.Assignee]++
		}
	}
	sort.SliceStable(who, func(i, j int) bool { return behind[who[i]] > behind[who[j]] })
	facts := []bot.CardFact{
		{Key: "今天到期", Value: fmt.Sprintf("%d项", openToday)},
		{Key: "逾期", Value: fmt.Sprintf("%d项，其中未分配%d项", openOver, unassigned)},
	}
	if len(who) > 0 {
		var ps []string
		for i, u := range who {
			if i == 3 {
				ps = append(ps, "…")
				break
			}
			ps = append(ps, fmt.Sprintf("%s %d项", nameOr(names, u), behind[u]))
		}
		facts = append(facts, bot.CardFact{Key: "逾期较多", Value: strings.Join(ps, "、")})
	}
	if own := ownCount(a.DueToday, m.UserID) + ownCount(a.Overdue, m.UserID); own > 0 {
		facts = append(facts, bot.CardFact{Key: "你名下", Value: fmt.Sprintf("今天到期%d项，逾期%d项（发送“我的”查看）",
			ownCount(a.DueToday, m.UserID), ownCount(a.Overdue, m.UserID))})
	}
	if nobodyHolds(a) {
		// A plan just imported, nothing assigned yet: say how, until something is.
		facts = append(facts, bot.CardFact{Key: "提示", Value: "还没有分配负责人，发送“分配 编号 姓名”"})
	}
	return bot.Card{
		TaskID: taskID(teamID, day, m.UserID),
		Title:  fmt.Sprintf("团队今日概况（%s）", day.Short()),
		Desc:   fmt.Sprintf("%s：今天到期%d项，逾期%d项", nameOf(m), openToday, openOver),
		Facts:  facts,
		Links:  []bot.CardLink{{Text: "查看逾期", Command: "逾期"}, {Text: "查看今天", Command: "今天"}},
	}, true
}

// ownCount counts the open items of a section that user holds.
func ownCount(items []bot.AgendaItem, user string) int {
	n := 0
	for _, it := range items {
		if it.DoneBy == "" && it.Assignee == user {
			n++
		}
	}
	return n
}

// nobodyHolds reports whether no item on the agenda has an assignee.
func nobodyHolds(a bot.Agenda) bool {
	for _, it := range a.Numbered() {
		if it.Assignee != "" {
			return false
		}
	}
	return a.Len() > 0
}

// openCount counts a section's open items and, of those, the unassigned ones.
func openCount(items []bot.AgendaItem) (open, unassigned int) {
	for _, it := range items {
		if it.DoneBy != "" {
			continue
		}
		open++
		if it.Assignee == "" {
			unassigned++
		}
	}
	return open, unassigned
}

func nameOf(m bot.Member) string {
	if m.Name != "" {
		return m.Name
	}
	return m.UserID
}

// taskID is a WeCom card task id: [0-9A-Za-z_-@], at most 128 bytes, unique per app.
func taskID(teamID int64, d bot.Date, userID string) string {
	h := fnv.New64a()
	h.Write([]byte(userID))
	return fmt.Sprintf("dg_%d_%04d%02d%02d_%x", teamID, d.Year, int(d.Month), d.Day, h.Sum64())
}

func planRemind(in planInput) []DeliverArgs {
	names := in.names()
	ahead := map[string][]string{} // recipient -> lines
	var dueToday []string
	for _, t := range in.Items {
		if !open(t) {
			continue
		}
		eff := in.Cal.EffectiveDue(t.Due)
		for _, n := range []int{3, 1} {
			if in.Cal.AddWorkdays(in.Day, n) == eff {
				to := t.Assignee
				if to == "" {
					to = ToGroup
				}
				ahead[to] = append(ahead[to], fmt.Sprintf("- %s（%s截止，还有 %d 个工作日）", mdText(t.Title), eff.Short(), n))
			}
		}
		if eff == in.Day && t.Assignee != "" {
			dueToday = append(dueToday, fmt.Sprintf("- <@%s> %s", t.Assignee, mdText(t.Title)))
		}
	}
	var out []DeliverArgs
	for _, to := range sortedKeys(ahead) {
		md := "**截止提醒**\n" + strings.Join(ahead[to], "\n")
		if to != ToGroup {
			md = fmt.Sprintf("**截止提醒**（%s）\n%s", mdText(nameOr(names, to)), strings.Join(ahead[to], "\n"))
		}
		who := to
		if to == ToGroup {
			who = "group"
		}
		out = append(out, DeliverArgs{Key: in.key(KindRemind, who), To: to, Markdown: md})
	}
	if len(dueToday) > 0 {
		out = append(out, DeliverArgs{Key: in.key(KindRemind, "due"), To: ToGroup,
			Markdown: fmt.Sprintf("**今天（%s）截止**\n%s", in.Day.Short(), strings.Join(dueToday, "\n"))})
	}
	return out
}

// escalateToday: the first workday after the effective deadline, then every 7 days after it.
func escalateToday(eff, day bot.Date, cal bot.Calendar) bool {
	first := cal.AddWorkdays(eff, 1)
	if day == first {
		return true
	}
	return day.After(first) && first.DaysUntil(day)%7 == 0
}

func planEscalate(in planInput) []DeliverArgs {
	names := in.names()
	var lines []string
	for _, t := range in.Items {
		if !open(t) {
			continue
		}
		eff := in.Cal.EffectiveDue(t.Due)
		if !eff.Before(in.Day) || !escalateToday(eff, in.Day, in.Cal) {
			continue
		}
		who := "未分配"
		if t.Assignee != "" {
			who = nameOr(names, t.Assignee)
		}
		lines = append(lines, fmt.Sprintf("- %s（%s截止，逾期 %d 天，%s）", mdText(t.Title), eff.Short(), eff.DaysUntil(in.Day), mdText(who)))
	}
	lines = append(lines, belowLines(in)...)
	if len(lines) == 0 {
		return nil
	}
	md := fmt.Sprintf("**逾期未完成（%s）**\n%s", in.Day.Short(), strings.Join(lines, "\n"))
	var out []DeliverArgs
	for _, m := range in.supervisors() {
		out = append(out, DeliverArgs{Key: in.key(KindEscalate, m.UserID), To: m.UserID, Markdown: md})
	}
	return out
}

func planWeekly(in planInput) []DeliverArgs {
	weekStart := in.Day.AddDays(-((int(in.Day.Weekday()) + 6) % 7)) // Monday
	nextEnd := weekStart.AddDays(13)
	var done, overdue, coming int
	for _, t := range in.Items {
		if t.Status() == bot.StatusDone {
			d := bot.DateOf(t.DoneAt.In(TeamLocation(in.Team)))
			if !d.Before(weekStart) && !d.After(in.Day) {
				done++
			}
			continue
		}
		if !open(t) {
			continue
		}
		eff := in.Cal.EffectiveDue(t.Due)
		switch {
		case eff.Before(in.Day):
			overdue++
		case !eff.After(nextEnd):
			coming++
		}
	}
	if done+overdue+coming == 0 {
		return nil
	}
	md := fmt.Sprintf("**本周小结（%s–%s）**\n- 本周完成：%d 项\n- 逾期未完成：%d 项\n- 下周末前到期：%d 项",
		weekStart.Short(), in.Day.Short(), done, overdue, coming)
	var out []DeliverArgs
	for _, m := range in.supervisors() {
		out = append(out, DeliverArgs{Key: in.key(KindWeekly, m.UserID), To: m.UserID, Markdown: md})
	}
	return out
}

func planMonthly(in planInput) []DeliverArgs {
	first := in.Cal.AddWorkdays(bot.NewDate(in.Day.Year, in.Day.Month, 1).AddDays(-1), 1)
	if first != in.Day {
		return nil
	}
	var month []bot.AgendaItem
	for _, t := range in.Items {
		if !open(t) {
			continue
		}
		eff := in.Cal.EffectiveDue(t.Due)
		if eff.Year != in.Day.Year || eff.Month != in.Day.Month {
			continue
		}
		month = append(month, bot.AgendaItem{Tracked: t, EffectiveDue: eff})
	}
	n := len(month)
	if n == 0 {
		return nil
	}
	sort.SliceStable(month, func(i, j int) bool { return month[i].EffectiveDue.Before(month[j].EffectiveDue) })
	names := in.names()
	lines := make([]string, n)
	for i, it := range month {
		lines[i] = itemLine(i+1, it, names)
	}
	team := in.Team.Name
	if team == bot.DefaultTeam {
		team = ""
	}
	head := fmt.Sprintf("**%s%d月工作概览**（共 %d 项）\n", mdText(team), int(in.Day.Month), n)
	parts := splitBytes(head+strings.Join(lines, "\n"), maxMessageBytes-chainLabelBytes)
	return []DeliverArgs{Chain(in.key(KindMonthly, "group"), ToGroup, parts)}
}

// mdText keeps user text from breaking WeCom markdown (as bot/render does).
func mdText(s string) string { return mdReplacer.Replace(s) }

var mdReplacer = strings.NewReplacer("<", "＜", ">", "＞", "\n", " ", "\r", " ")

func nameOr(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n
	}
	return id
}

func sortedKeys(m map[string][]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func snoozes(metadata []byte) uint {
	var m struct {
		Snoozes uint `json:"snoozes"`
	}
	_ = json.Unmarshal(metadata, &m)
	return m.Snoozes
}
