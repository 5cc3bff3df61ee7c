package schedule

import (
	"context"
	"fmt"
	"strings"

	"github.com/planbot/planbot/bot"
)

// Escalation upward: an obligation a unit was given by the unit above (a cascaded one, linked
// by its key) that is still open the workday after its deadline appears in the escalation of the
// parent unit's supervisors, once and then weekly (escalateToday), naming the unit and who is
// responsible there.

// unitItems is one unit below, with what its escalation lines need.
type unitItems struct {
	Team    bot.Team
	Items   []bot.Tracked
	Members []bot.Member
}

// below reads the live units directly below team with their obligations and members.
func (s *Scheduler) below(ctx context.Context, team bot.Team) ([]unitItems, error) {
	teams, err := s.d.Store.Teams(ctx)
	if err != nil {
		return nil, err
	}
	var out []unitItems
	for _, u := range bot.NewTree(teams).Children(team.ID) {
		if u.Removed {
			continue
		}
		items, err := s.d.Store.Obligations(ctx, u.ID, false)
		if err != nil {
			return nil, err
		}
		members, err := s.d.Store.Members(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, unitItems{Team: u, Items: items, Members: members})
	}
	return out, nil
}

// belowLines are the escalation lines of the units below in.Team.
func belowLines(in planInput) []string {
	var lines []string
	for _, u := range in.Below {
		sub := planInput{Members: u.Members}
		names := sub.names()
		var heads []string
		for _, m := range sub.supervisors() {
			heads = append(heads, nameOr(names, m.UserID))
		}
		for _, t := range u.Items {
			if _, linked := bot.ParentKey(t.Key); !linked || !open(t) {
				continue
			}
			eff := in.Cal.EffectiveDue(t.Due)
			if !eff.Before(in.Day) || !escalateToday(eff, in.Day, in.Cal) {
				continue
			}
			who := "负责人：" + strings.Join(heads, "、")
			switch {
			case t.Assignee != "":
				who = "负责人：" + nameOr(names, t.Assignee)
			case len(heads) == 0:
				who = "未指定负责人"
			}
			lines = append(lines, fmt.Sprintf("- 【%s】%s（%s截止，逾期 %d 天，%s）", mdText(u.Team.Name), mdText(t.Title), eff.Short(), eff.DaysUntil(in.Day), mdText(who)))
		}
	}
	return lines
}
