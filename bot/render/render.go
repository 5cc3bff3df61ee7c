// Package render turns an agenda into the messages people read: WeCom markdown (one message
// within its channel's limit, see Digest) and plain text for the terminal.
package render

import (
	"fmt"
	"strings"

	"github.com/planbot/planbot/bot"
)

// WeCom's limits for one markdown message, per channel.
const (
	GroupMaxBytes = 4096 // group robot (webhook) markdown
	AppMaxBytes   = 2048 // app message and appchat text/markdown
	// MaxMessageBytes is the app limit, kept for callers that send through the app.
	MaxMessageBytes = AppMaxBytes
)

// The closing line of a digest: where and how to mark an item done. The group robot only
// sends, so a reply in the group reaches nobody unless the smart robot (智能机器人) is set up.
const (
	FootApp   = "标记完成：在应用消息里发送「完成 编号」，例如 完成 1"
	FootRobot = "标记完成：在群里 @机器人 或在应用消息里发送「完成 编号」，例如 完成 1"
	FootChat  = "回复「完成 编号」标记完成，例如 完成 1"
)

// Hint is the default closing line (FootApp).
const Hint = FootApp

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
