package main

import (
	"context"
	"time"

	"github.com/planbot/planbot/bot"
)

// demoOverdue is how many past items the demo office has left undone.
const demoOverdue = 4

// sampleProgress brings a team that tracks the sample plan from January to a believable state
// on today, the way an office in the middle of its year looks: items are assigned in turn to
// the staff (every fifth left unassigned); every item whose effective deadline has passed was
// completed by its holder (the supervisor for unassigned ones) on the workday before it, except
// a handful (demoOverdue) among the last two months'; and two figures are recorded. The same
// input gives the same state (the demo, the goldens).
func sampleProgress(ctx context.Context, st bot.Store, team bot.Team, staff []string, boss string, today bot.Date, cal bot.Calendar) error {
	items, err := st.Obligations(ctx, team.ID, false)
	if err != nil {
		return err
	}
	at := today.Time(bot.Shanghai).Add(-30 * 24 * time.Hour)
	open := 0
	for i, t := range items {
		holder := ""
		if i%5 != 4 && len(staff) > 0 {
			holder = staff[i%len(staff)]
			if err := st.Assign(ctx, team.ID, boss, t.Key, holder, at, bot.Effect{}); err != nil {
				return err
			}
		}
		eff := cal.EffectiveDue(t.Due)
		if t.BeforeTracking || !eff.Before(today) {
			continue
		}
		if open < demoOverdue && today.AddDays(-61).Before(eff) && i%3 == 0 {
			open++ // left undone: the handful overdue
			continue
		}
		by := holder
		if by == "" {
			by = boss
		}
		doneAt := cal.AddWorkdays(eff, -1).Time(bot.Shanghai).Add(16 * time.Hour)
		if err := st.Complete(ctx, team.ID, by, t.Key, "", doneAt, bot.Effect{}); err != nil {
			return err
		}
	}
	if len(staff) == 0 || today.Month < time.April {
		return nil
	}
	for _, f := range []bot.Figure{
		{Programme: "国家助学金", Stage: "中职", Term: "春季", Persons: 1200, AmountFen: 1200 * 100000},
		{Programme: "免学费", Stage: "普通高中", Term: "春季", Persons: 860, AmountFen: 860 * 80000},
	} {
		f.TeamID, f.Year, f.By, f.At = team.ID, today.Year, staff[0], bot.NewDate(today.Year, time.March, 31).Time(bot.Shanghai).Add(10*time.Hour)
		if _, err := st.AddFigure(ctx, f, bot.Effect{}); err != nil {
			return err
		}
	}
	return nil
}
