package render

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
)

// Options shape one digest.
type Options struct {
	// Max is the channel's limit in bytes (GroupMaxBytes, AppMaxBytes); 0: no limit (terminal).
	// The digest is always one message: lists shorten, never split.
	Max int
	// Foot is the closing line (where to answer); "": FootApp; "-": none.
	Foot string
	// Names maps userids to display names (the userid is shown when it has none).
	Names map[string]string
	// Head replaces the heading and date lines (今天's answer in chat); a Head renders a
	// non-workday's agenda too instead of the RestDay sentence.
	Head string
	// Named is how many overdue and other-this-month items are named; 0: 3.
	Named int
	// Numbers maps item keys to the numbers shown; nil: the agenda's own (a.Numbers()).
	Numbers map[string]int
}

// level is one degree of shortening: how many items of each list are shown and how long a
// title may be. Negative caps show everything.
type level struct{ today, upcoming, named, clip int }

// Digest renders the agenda as ONE WeCom markdown message of at most o.Max bytes, ordered by
// what the team must do: due today, the next workdays, then the overdue backlog as a count
// with the most recent named and how to see the rest (逾期), then the rest of the month as a
// count. Item numbers are the agenda's Numbered positions (the team's numbering of the day).
// Items completed during the day (DayAgenda) keep their number and are marked ✅. A
// non-workday gives the RestDay sentence unless o.Head is set.
func Digest(teamName string, a bot.Agenda, o Options) string { return fitted(teamName, a, o, true) }

// DigestText is Digest as plain text (terminal, personal-WeChat plugin).
func DigestText(teamName string, a bot.Agenda, o Options) string {
	return fitted(teamName, a, o, false)
}

// DigestMarkdown is Digest for the group robot, assignees by userid, as a one-message slice.
func DigestMarkdown(teamName string, a bot.Agenda) []string {
	return []string{Digest(teamName, a, Options{Max: GroupMaxBytes})}
}

// DigestMarkdownNames is DigestMarkdown with assignees shown by name.
func DigestMarkdownNames(teamName string, a bot.Agenda, names map[string]string) []string {
	return []string{Digest(teamName, a, Options{Max: GroupMaxBytes, Names: names})}
}

// DigestPlain renders the agenda as plain text for a terminal, assignees by userid.
func DigestPlain(teamName string, a bot.Agenda) string { return DigestPlainNames(teamName, a, nil) }

// DigestPlainNames is DigestPlain with assignees shown by name.
func DigestPlainNames(teamName string, a bot.Agenda, names map[string]string) string {
	return DigestText(teamName, a, Options{Names: names}) + "\n"
}

func fitted(teamName string, a bot.Agenda, o Options, md bool) string {
	if !a.Workday && o.Head == "" {
		return RestDay(a)
	}
	named := o.Named
	if named <= 0 {
		named = 3
	}
	levels := []level{
		{-1, -1, named, 60}, {-1, -1, named, 36}, {-1, -1, 1, 30}, {-1, 5, 1, 30},
		{-1, 3, 0, 24}, {10, 3, 0, 24}, {6, 2, 0, 20}, {4, 1, 0, 16}, {2, 0, 0, 12}, {1, 0, 0, 8},
	}
	var s string
	for _, l := range levels {
		s = build(teamName, a, o, md, l)
		if o.Max <= 0 || len(s) <= o.Max {
			return s
		}
	}
	return bot.SplitBytes(s, o.Max)[0]
}

// build renders the agenda at one level of shortening.
func build(teamName string, a bot.Agenda, o Options, md bool, l level) string {
	d := &digest{a: a, o: o, md: md, l: l, nums: o.Numbers}
	d.head(teamName)
	if a.Len() == 0 {
		d.b.WriteString("\n\n" + emptyText)
		return d.b.String()
	}
	if d.nums == nil {
		d.nums = a.Numbers()
	}
	if len(a.DueToday) == 0 {
		if md {
			d.b.WriteString("\n\n**今日到期**：无")
		} else {
			d.b.WriteString("\n\n【今日到期】无")
		}
	}
	d.section("今日到期", a.DueToday, l.today, "另有", "本周", false, true)
	d.section(fmt.Sprintf("近%d个工作日", bot.UpcomingWorkdays), a.Upcoming, l.upcoming, "另有", "本周", false, true)
	d.section("逾期", a.Overdue, l.named, "其余", "逾期", true, false)
	d.section("本月其他待办", a.MonthOpen, l.named, "其余", "本月", false, false)
	d.foot()
	return d.b.String()
}

// digest is one rendering of an agenda: markdown or plain text, at one level of shortening.
type digest struct {
	b    strings.Builder
	a    bot.Agenda
	o    Options
	md   bool
	l    level
	nums map[string]int // item key -> the number shown
}

// head writes the heading and the date line, or o.Head in their place.
func (d *digest) head(teamName string) {
	switch {
	case d.o.Head != "" && d.md:
		d.b.WriteString("**" + mdEscape(d.o.Head) + "**")
	case d.o.Head != "":
		d.b.WriteString(d.o.Head)
	case d.md:
		d.b.WriteString("### " + mdEscape(heading(teamName)) + "\n" + dayLine(d.a))
	default:
		d.b.WriteString(heading(teamName) + "  " + dayLine(d.a))
	}
}

// shown picks the items of a section that are listed, at most limit (negative: no cap) and one
// more rather than a line saying there is one more; all lists items done today too (they keep
// their line), otherwise they are no longer part of the backlog. left is what is not listed:
// of all the items (all), or of the open ones.
func shown(items []bot.AgendaItem, limit int, all bool) (list []bot.AgendaItem, left int) {
	open, _ := counts(items)
	if limit >= 0 && !all && open == limit+1 {
		limit++
	}
	for _, it := range items {
		if !all && it.DoneBy != "" {
			continue
		}
		if limit >= 0 && len(list) >= limit {
			break
		}
		list = append(list, it)
	}
	return list, countLeft(items, len(list), all, open)
}

// section writes one list of the digest: its title with the counts, the lines shown and, when
// some are not, how to see them (rest names them: 另有/其余; cmd is the command that lists them).
// warn colours an overdue list.
func (d *digest) section(name string, items []bot.AgendaItem, limit int, rest, cmd string, warn, all bool) {
	if len(items) == 0 {
		return
	}
	d.b.WriteString("\n\n" + d.title(name, items, warn))
	list, left := shown(items, limit, all)
	for _, it := range list {
		d.b.WriteString("\n" + d.line(it, warn))
	}
	if left > 0 {
		d.b.WriteString("\n" + d.more(left, rest, cmd))
	}
}

// title is a section's title: its name, the open count and those done today.
func (d *digest) title(name string, items []bot.AgendaItem, warn bool) string {
	open, done := counts(items)
	n := fmt.Sprint(open)
	if done > 0 {
		n = fmt.Sprintf("%d，今天已完成%d项", open, done)
	}
	if !d.md {
		if done > 0 {
			return fmt.Sprintf("【%s】%d 项（今天已完成%d项）", name, open, done)
		}
		return "【" + name + "】" + n + " 项"
	}
	t := "**" + name + "（" + n + "）**"
	if warn {
		t = `<font color="warning">` + t + `</font>`
	}
	return t
}

// line is one item's line, its title clipped to the level, marked when done today.
func (d *digest) line(it bot.AgendaItem, warn bool) string {
	s := clippedLine(d.nums[it.Key], it, d.o.Names, d.md, d.a.Date, d.l.clip)
	if it.DoneBy != "" {
		s += " ✅已完成"
	}
	switch {
	case !d.md:
		return "  " + s
	case warn:
		return `<font color="warning">` + s + `</font>`
	}
	return s
}

// more is the line saying k items are not listed and which command lists them.
func (d *digest) more(k int, what, cmd string) string {
	s := fmt.Sprintf("…%s%d项：发送「%s」查看", what, k, cmd)
	if d.md {
		return `<font color="comment">` + s + `</font>`
	}
	return "  " + s
}

// foot writes the closing line (o.Foot; FootApp by default; "-": none).
func (d *digest) foot() {
	foot := d.o.Foot
	if foot == "" {
		foot = FootApp
	}
	if foot == "-" {
		return
	}
	if d.md {
		d.b.WriteString("\n\n> " + foot)
	} else {
		d.b.WriteString("\n\n" + foot)
	}
}

// counts returns how many items of a section are open and how many were done today.
func counts(items []bot.AgendaItem) (open, done int) {
	for _, it := range items {
		if it.DoneBy != "" {
			done++
		} else {
			open++
		}
	}
	return open, done
}

// countLeft is how many items a section did not show: of all its items (all), or of its open ones.
func countLeft(items []bot.AgendaItem, shown int, all bool, open int) int {
	if all {
		return len(items) - shown
	}
	return open - shown
}

// clippedLine is itemLine with the title cut to clip runes (…).
func clippedLine(n int, it bot.AgendaItem, names map[string]string, md bool, ref bot.Date, clip int) string {
	t := strings.Join(strings.Fields(it.Title), " ")
	if clip > 0 && utf8.RuneCountInString(t) > clip {
		r := []rune(t)
		t = string(r[:clip-1]) + "…"
	}
	it.Title = t
	return itemLine(n, it, names, md, ref)
}
