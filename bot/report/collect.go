package report

import (
	"cmp"
	"context"

	"github.com/planbot/planbot/bot"
)

// Source is what Collect reads; bot.Store satisfies it.
type Source interface {
	Obligations(ctx context.Context, teamID int64, includeRetired bool) ([]bot.Tracked, error)
	Completions(ctx context.Context, teamID int64) ([]bot.Completion, error)
	Figures(ctx context.Context, teamID int64, f bot.FigureFilter) ([]bot.Figure, error)
	Members(ctx context.Context, teamID int64) ([]bot.Member, error)
}

// Collect gathers a team's workbook data from a store: every obligation (retired ones too), the
// whole completion history, every figure (voided ones too) and the members' names. year limits
// the 数据 sheet (0: every year); cal and today are set on the result as given.
func Collect(ctx context.Context, src Source, team bot.Team, year int, cal bot.Calendar, today bot.Date) (Data, error) {
	d := Data{Team: team.Name, Year: year, Calendar: cal, Today: today, Names: map[string]string{}}
	var err error
	if d.Obligations, err = src.Obligations(ctx, team.ID, true); err != nil {
		return Data{}, err
	}
	if d.Completions, err = src.Completions(ctx, team.ID); err != nil {
		return Data{}, err
	}
	if d.Figures, err = src.Figures(ctx, team.ID, bot.FigureFilter{IncludeVoid: true}); err != nil {
		return Data{}, err
	}
	ms, err := src.Members(ctx, team.ID)
	if err != nil {
		return Data{}, err
	}
	for _, m := range ms {
		d.Names[m.UserID] = cmp.Or(m.Name, m.UserID)
	}
	return d, nil
}
