// Package render turns an agenda into the messages people read: WeCom markdown (split into
// messages of at most MaxMessageBytes) and plain text for the terminal.
package render

import (
	"fmt"
	"strings"

	"github.com/planbot/planbot/bot"
)

// MaxMessageBytes is WeCom's limit for one text or markdown message.
const MaxMessageBytes = 2048

// Hint is the closing line of a digest: how to mark an item done.
const Hint = "回复「完成 编号」标记完成，例如：完成 1"

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// DayLabel formats a day as 2026年2月14日 星期六.
func DayLabel(d bot.Date) string {
	return fmt.Sprintf("%d年%d月%d日 %s", d.Year, int(d.Month), d.Day, weekdays[d.Weekday()])
}

// DueLabel shows an item's due date: the written one, and the effective one beside it where they
// differ, e.g. 2月20日(提前至2月14日). A date in another year than ref's carries its year.
func DueLabel(it bot.AgendaItem, ref bot.Date) string {
	s := dateShort(it.Due, ref)
	if !it.EffectiveDue.IsZero() && it.EffectiveDue != it.Due {
		s += "(提前至" + dateShort(it.EffectiveDue, ref) + ")"
	}
	return s
}

func dateShort(d, ref bot.Date) string {
	if d.Year != ref.Year && !ref.IsZero() {
		return fmt.Sprintf("%d年%s", d.Year, d.Short())
	}
	return d.Short()
}

// ItemLine renders one numbered agenda item: "3. 标题 — 截止2月20日(提前至2月14日)，负责人 张三".
// names maps WeCom userids to display names (the userid is shown when it has none). With md, text
// that would break WeCom markdown (< and >) is replaced by full-width forms.
func ItemLine(n int, it bot.AgendaItem, names map[string]string, md bool) string {
	return itemLine(n, it, names, md, bot.Date{})
}

func itemLine(n int, it bot.AgendaItem, names map[string]string, md bool, ref bot.Date) string {
	title := strings.Join(strings.Fields(it.Title), " ")
	if md {
		title = mdEscape(title)
	}
	if ref.IsZero() {
		ref = it.EffectiveDue
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d. %s", n, title)
	if !it.Due.IsZero() {
		b.WriteString(" — 截止" + DueLabel(it, ref))
	}
	if it.Assignee != "" {
		name := names[it.Assignee]
		if name == "" {
			name = it.Assignee
		}
		if md {
			name = mdEscape(name)
		}
		b.WriteString("，负责人 " + name)
	}
	return b.String()
}

var mdReplacer = strings.NewReplacer("<", "＜", ">", "＞", "\n", " ", "\r", " ")

func mdEscape(s string) string { return mdReplacer.Replace(s) }

// section is one titled list of the agenda.
type section struct {
	title   string
	items   []bot.AgendaItem
	warning bool // shown in WeCom's warning colour
	always  bool // shown (as 无) even when empty
}

func sections(a bot.Agenda) []section {
	return []section{
		{title: "逾期", items: a.Overdue, warning: true},
		{title: "今日到期", items: a.DueToday, always: true},
		{title: fmt.Sprintf("近%d个工作日", bot.UpcomingWorkdays), items: a.Upcoming},
		{title: "本月其他待办", items: a.MonthOpen},
	}
}

func heading(teamName string) string {
	if teamName == "" || teamName == bot.DefaultTeam {
		return "工作清单"
	}
	return teamName + " 工作清单"
}

// RestDay is the short text for a day without a digest: 2026年2月16日 星期一 是休息日（春节），不推送工作清单。
func RestDay(a bot.Agenda) string {
	why := a.Holiday
	if why == "" {
		why = "周末"
	}
	return fmt.Sprintf("%s 是休息日（%s），不推送工作清单。", DayLabel(a.Date), why)
}

func dayLine(a bot.Agenda) string {
	s := DayLabel(a.Date)
	if wd := a.Date.Weekday(); wd == 0 || wd == 6 {
		s += "（调休上班）"
	}
	return s
}

const emptyText = "今天没有待办事项。"

// DigestMarkdown renders the agenda as WeCom markdown messages of at most MaxMessageBytes each,
// split cleanly between items with the numbering continued. Assignees are shown by userid; see
// DigestMarkdownNames. A non-workday gives one short RestDay message.
func DigestMarkdown(teamName string, a bot.Agenda) []string {
	return DigestMarkdownNames(teamName, a, nil)
}

// DigestMarkdownNames is DigestMarkdown with assignees shown by name (names maps userid to name).
func DigestMarkdownNames(teamName string, a bot.Agenda, names map[string]string) []string {
	return markdown(teamName, a, names, MaxMessageBytes)
}

func markdown(teamName string, a bot.Agenda, names map[string]string, max int) []string {
	if !a.Workday {
		return []string{RestDay(a)}
	}
	head := "### " + mdEscape(heading(teamName)) + "\n" + dayLine(a)
	if a.Len() == 0 {
		return []string{head + "\n\n" + emptyText}
	}
	p := packer{max: max, cur: head}
	n := 0
	for _, s := range sections(a) {
		if len(s.items) == 0 && !s.always {
			continue
		}
		title := fmt.Sprintf("**%s（%d）**", s.title, len(s.items))
		cont := fmt.Sprintf("**%s（续）**", s.title)
		if s.warning {
			title = `<font color="warning">` + title + `</font>`
			cont = `<font color="warning">` + cont + `</font>`
		}
		if len(s.items) == 0 {
			p.add("\n"+title+"\n无", "")
			continue
		}
		for i, it := range s.items {
			n++
			line := itemLine(n, it, names, true, a.Date)
			if s.warning {
				line = `<font color="warning">` + line + `</font>`
			}
			if i == 0 {
				p.add("\n"+title+"\n"+line, title+"\n"+line)
			} else {
				p.add(line, cont+"\n"+line)
			}
		}
	}
	p.add("\n> "+Hint, "> "+Hint)
	return p.done()
}

// packer fills messages of at most max bytes with blocks, starting a new message when the next
// block does not fit. A block that does not fit even in a fresh message is cut by SplitBytes.
type packer struct {
	max  int
	cur  string
	msgs []string
}

// add appends block to the current message, or starts a new message with fresh (the block as it
// reads at the top of a message, e.g. with a continued section title).
func (p *packer) add(block, fresh string) {
	if len(p.cur)+1+len(block) <= p.max {
		p.cur += "\n" + block
		return
	}
	p.msgs = append(p.msgs, p.cur)
	fresh = strings.TrimLeft(fresh, "\n")
	if len(fresh) <= p.max {
		p.cur = fresh
		return
	}
	parts := bot.SplitBytes(fresh, p.max)
	p.msgs = append(p.msgs, parts[:len(parts)-1]...)
	p.cur = parts[len(parts)-1]
}

func (p *packer) done() []string { return append(p.msgs, p.cur) }

// DigestPlain renders the agenda as plain text for a terminal (no length limit). Assignees are
// shown by userid; see DigestPlainNames.
func DigestPlain(teamName string, a bot.Agenda) string {
	return DigestPlainNames(teamName, a, nil)
}

// DigestPlainNames is DigestPlain with assignees shown by name.
func DigestPlainNames(teamName string, a bot.Agenda, names map[string]string) string {
	if !a.Workday {
		return RestDay(a) + "\n"
	}
	var b strings.Builder
	b.WriteString(heading(teamName) + "  " + dayLine(a) + "\n")
	if a.Len() == 0 {
		return b.String() + "\n" + emptyText + "\n"
	}
	n := 0
	for _, s := range sections(a) {
		if len(s.items) == 0 && !s.always {
			continue
		}
		fmt.Fprintf(&b, "\n【%s】%d 项\n", s.title, len(s.items))
		if len(s.items) == 0 {
			b.WriteString("  无\n")
		}
		for _, it := range s.items {
			n++
			b.WriteString("  " + itemLine(n, it, names, false, a.Date) + "\n")
		}
	}
	b.WriteString("\n" + Hint + "\n")
	return b.String()
}
