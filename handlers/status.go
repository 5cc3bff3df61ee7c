package handlers

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/planbot/planbot/bot"
)

func registerStatus(r *bot.Router, d Deps) {
	x := h{d}
	r.Add(bot.Command{Name: "进度", Aliases: []string{"status", "进展", "完成情况"}, Usage: "进度",
		Example: "进度", Summary: "本月完成情况、逾期数和下一个截止日期（主管可看每人和下级单位）", Handler: x.status})
}

// tally counts one person's (or the team's) items.
type tally struct {
	done, total, overdue int
}

// statusCounts is what 进度 reports, counted before anything is written: this month's done and
// total and the overdue items, for the team and per assignee ("" is unassigned), and the next
// open deadline.
type statusCounts struct {
	team tally
	per  map[string]*tally
	next *bot.AgendaItem
}

// countStatus counts items as of today (by effective date); items from before tracking began
// are left out.
func (x h) countStatus(items []bot.Tracked, today bot.Date) statusCounts {
	c := statusCounts{per: map[string]*tally{}}
	for _, t := range items {
		if t.BeforeTracking {
			continue
		}
		it := x.agendaItem(t)
		p := c.per[t.Assignee]
		if p == nil {
			p = &tally{}
			c.per[t.Assignee] = p
		}
		eff := it.EffectiveDue
		if eff.Year == today.Year && eff.Month == today.Month {
			c.team.total++
			p.total++
			if t.DoneBy != "" {
				c.team.done++
				p.done++
			}
		}
		if t.DoneBy == "" && eff.Before(today) {
			c.team.overdue++
			p.overdue++
		}
		if t.DoneBy == "" && !eff.Before(today) && (c.next == nil || eff.Before(c.next.EffectiveDue)) {
			n := it
			c.next = &n
		}
	}
	return c
}

// status answers: this month done/total, overdue, next deadline; per person for supervisors.
func (x h) status(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	items, err := x.items(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("status", err)
	}
	names, members, err := x.names(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("names", err)
	}
	today := req.Today()
	c := x.countStatus(items, today)
	var b strings.Builder
	staff := req.Member.Role.Rank() < bot.RoleSupervisor.Rank()
	writeStatusTeam(&b, c, today, staff)
	switch p := c.per[req.UserID]; {
	case !staff:
		writeStatusPeople(&b, c.per, members, names)
	case p != nil:
		fmt.Fprintf(&b, "\n你负责的：本月 %d/%d，逾期 %d", p.done, p.total, p.overdue)
	case req.Member.Role.Valid():
		b.WriteString("\n你负责的：目前没有分配给你的事项")
	}
	if r, ok, err := x.rollupOf(ctx, req); err != nil {
		return bot.Reply{}, err
	} else if ok {
		if err := x.writeRollup(ctx, &b, r, req); err != nil {
			return bot.Reply{}, err
		}
	}
	return bot.TextReply(b.String()), nil
}

// writeStatusTeam writes the team's lines of 进度: the month's rate, the overdue count (staff are
// told it is the team's, and how many of it nobody holds) and the next deadline.
func writeStatusTeam(b *strings.Builder, c statusCounts, today bot.Date, staff bool) {
	team, unassigned := c.team, c.per[""]
	fmt.Fprintf(b, "%d月进度：已完成 %d/%d 项", int(today.Month), team.done, team.total)
	if team.total > 0 {
		fmt.Fprintf(b, "（%d%%）", team.done*100/team.total)
	}
	if staff && team.overdue > 0 && unassigned != nil && unassigned.overdue > 0 {
		// staff read the team's line next to their own (你负责的 below): say it is the team's
		fmt.Fprintf(b, "\n团队逾期未完成：%d 项，其中未分配%d项", team.overdue, unassigned.overdue)
	} else if staff {
		fmt.Fprintf(b, "\n团队逾期未完成：%d 项", team.overdue)
	} else {
		fmt.Fprintf(b, "\n逾期未完成：%d 项", team.overdue)
	}
	if next := c.next; next != nil {
		fmt.Fprintf(b, "\n下一个截止：%s%s “%s”", next.EffectiveDue.Short(), weekdayNames[next.EffectiveDue.Weekday()], next.Title)
		if d := today.DaysUntil(next.EffectiveDue); d == 0 {
			b.WriteString("（今天）")
		} else {
			fmt.Fprintf(b, "（还有%d天）", d)
		}
	} else {
		b.WriteString("\n没有待截止的事项")
	}
}

// writeStatusPeople writes a supervisor's per-person lines: everyone with items, and active staff
// with none, by name, unassigned last.
func writeStatusPeople(b *strings.Builder, per map[string]*tally, members []bot.Member, names map[string]string) {
	b.WriteString("\n\n按人员（本月完成/本月总数，逾期）：")
	users := make([]string, 0, len(per))
	for u := range per {
		users = append(users, u)
	}
	for _, m := range members {
		if m.Active && per[m.UserID] == nil && m.Role == bot.RoleStaff {
			per[m.UserID] = &tally{}
			users = append(users, m.UserID)
		}
	}
	slices.SortFunc(users, func(a, b string) int {
		if (a == "") != (b == "") {
			if a == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(names[a]+a, names[b]+b)
	})
	for _, u := range users {
		p := per[u]
		who := cmp.Or(names[u], u)
		if u == "" {
			who = "未分配"
		}
		fmt.Fprintf(b, "\n· %s：%d/%d，逾期%d", who, p.done, p.total, p.overdue)
	}
}
