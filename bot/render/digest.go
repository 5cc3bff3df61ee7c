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

func build(teamName string, a bot.Agenda, o Options, md bool, l level) string {
	var b strings.Builder
	switch {
	case o.Head != "" && md:
		b.WriteString("**" + mdEscape(o.Head) + "**")
	case o.Head != "":
		b.WriteString(o.Head)
	case md:
		b.WriteString("### " + mdEscape(heading(teamName)) + "\n" + dayLine(a))
	default:
		b.WriteString(heading(teamName) + "  " + dayLine(a))
	}
	if a.Len() == 0 {
		b.WriteString("\n\n" + emptyText)
		return b.String()
	}
	nums := o.Numbers
	if nums == nil {
		nums = a.Numbers()
	}
	line := func(it bot.AgendaItem, warn bool) string {
		s := clippedLine(nums[it.Key], it, o.Names, md, a.Date, l.clip)
		if it.DoneBy != "" {
			s += " ✅已完成"
		}
		switch {
		case !md:
			return "  " + s
		case warn:
			return `<font color="warning">` + s + `</font>`
		}
		return s
	}
	title := func(name string, items []bot.AgendaItem, warn bool) string {
		open, done := counts(items)
		n := fmt.Sprint(open)
		if done > 0 {
			n = fmt.Sprintf("%d，今天已完成%d项", open, done)
		}
		if !md {
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
	more := func(k int, what, cmd string) string {
		s := fmt.Sprintf("…%s%d项：发送「%s」查看", what, k, cmd)
		if md {
			return `<font color="comment">` + s + `</font>`
		}
		return "  " + s
	}
	section := func(name string, items []bot.AgendaItem, limit int, rest, cmd string, warn, all bool) {
		if len(items) == 0 {
			return
		}
		b.WriteString("\n\n" + title(name, items, warn))
		if open, _ := counts(items); limit >= 0 && !all && open == limit+1 {
			limit++ // one more line rather than a line saying there is one more
		}
		shown := 0
		for _, it := range items {
			if !all && it.DoneBy != "" {
				continue // done today: no longer part of the backlog
			}
			if limit >= 0 && shown >= limit {
				break
			}
			b.WriteString("\n" + line(it, warn))
			shown++
		}
		open, _ := counts(items)
		if left := countLeft(items, shown, all, open); left > 0 {
			b.WriteString("\n" + more(left, rest, cmd))
		}
	}
	if len(a.DueToday) == 0 {
		if md {
			b.WriteString("\n\n**今日到期**：无")
		} else {
			b.WriteString("\n\n【今日到期】无")
		}
	}
	section("今日到期", a.DueToday, l.today, "另有", "本周", false, true)
	section(fmt.Sprintf("近%d个工作日", bot.UpcomingWorkdays), a.Upcoming, l.upcoming, "另有", "本周", false, true)
	section("逾期", a.Overdue, l.named, "其余", "逾期", true, false)
	section("本月其他待办", a.MonthOpen, l.named, "其余", "本月", false, false)
	foot := o.Foot
	if foot == "" {
		foot = FootApp
	}
	if foot != "-" {
		if md {
			b.WriteString("\n\n> " + foot)
		} else {
			b.WriteString("\n\n" + foot)
		}
	}
	return b.String()
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
