package schedule

// Local stand-ins for bot.BuildAgenda and render.DigestMarkdown (H2), used when Deps leaves
// BuildAgenda / RenderDigest nil, so this package does not wait on bot/render.

import (
	"fmt"
	"strings"

	"github.com/planbot/planbot/bot"
)

// buildAgenda sorts the team's open, tracked items into the day's agenda.
func buildAgenda(day bot.Date, items []bot.Tracked, cal bot.Calendar) bot.Agenda {
	a := bot.Agenda{Date: day, Workday: cal.IsWorkday(day), Holiday: cal.Holiday(day)}
	horizon := cal.AddWorkdays(day, 5)
	for _, t := range items {
		if !open(t) {
			continue
		}
		it := bot.AgendaItem{Tracked: t, EffectiveDue: cal.EffectiveDue(t.Due)}
		switch e := it.EffectiveDue; {
		case e.Before(day):
			a.Overdue = append(a.Overdue, it)
		case e == day:
			a.DueToday = append(a.DueToday, it)
		case !e.After(horizon):
			a.Upcoming = append(a.Upcoming, it)
		case e.Year == day.Year && e.Month == day.Month:
			a.MonthOpen = append(a.MonthOpen, it)
		}
	}
	return a
}

func itemLine(n int, it bot.AgendaItem, names map[string]string) string {
	s := fmt.Sprintf("%d. %s（%s截止", n, it.Title, it.EffectiveDue.Short())
	if it.EffectiveDue != it.Due {
		s += "，原定" + it.Due.Short()
	}
	s += "）"
	if it.Assignee != "" {
		s += " " + nameOr(names, it.Assignee)
	}
	return s
}

func cardLine(it bot.AgendaItem, day bot.Date) string {
	if it.EffectiveDue.Before(day) {
		return fmt.Sprintf("%s（逾期，%s截止）", it.Title, it.EffectiveDue.Short())
	}
	return fmt.Sprintf("%s（今天截止）", it.Title)
}

// digestMarkdown renders the group digest in parts of at most 2048 bytes.
func digestMarkdown(team string, a bot.Agenda, names map[string]string) []string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s 今日工作（%s）**\n", team, a.Date.Short())
	n := 0
	section := func(title, color string, items []bot.AgendaItem) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n<font color=\"%s\">%s %d 项</font>\n", color, title, len(items))
		for _, it := range items {
			n++
			b.WriteString(itemLine(n, it, names) + "\n")
		}
	}
	section("逾期", "warning", a.Overdue)
	section("今天截止", "warning", a.DueToday)
	section("近期", "info", a.Upcoming)
	section("本月其余", "comment", a.MonthOpen)
	b.WriteString("\n回复「完成 N」标记完成。")
	return splitBytes(b.String(), 2048)
}

// splitBytes splits s at line ends into parts of at most max bytes (a longer line is cut at a
// rune boundary).
func splitBytes(s string, max int) []string {
	var parts []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			parts = append(parts, strings.TrimRight(cur.String(), "\n"))
			cur.Reset()
		}
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		for len(line) > max {
			cut := max
			for cut > 0 && !isRuneStart(line[cut]) {
				cut--
			}
			flush()
			parts = append(parts, line[:cut])
			line = line[cut:]
		}
		if cur.Len()+len(line) > max {
			flush()
		}
		cur.WriteString(line)
	}
	flush()
	return parts
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
