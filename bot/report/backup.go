package report

import (
	"context"
	"time"

	"github.com/planbot/planbot/bot"
)

// BackupDoc is the JSON export (planbot export --json): the backup and the raw material for
// reports. Its field names are the file format; keep them.
type BackupDoc struct {
	Team        string             `json:"team"`
	Obligations []BackupObligation `json:"obligations"`
	Completions []BackupCompletion `json:"completions"`
	Figures     []BackupFigure     `json:"figures"`
}

// BackupObligation is one obligation of a BackupDoc.
type BackupObligation struct {
	Key          string     `json:"key"`
	Title        string     `json:"title"`
	Period       string     `json:"period"`
	Due          bot.Date   `json:"due"`
	EffectiveDue bot.Date   `json:"effective_due"`
	Status       bot.Status `json:"status"`
	Assignee     *string    `json:"assignee"`
	DoneBy       *string    `json:"done_by"`
	DoneAt       *time.Time `json:"done_at"`
}

// BackupCompletion is one completion (or undone completion) of a BackupDoc.
type BackupCompletion struct {
	Key      string     `json:"key"`
	By       string     `json:"by"`
	At       time.Time  `json:"at"`
	Note     string     `json:"note"`
	UndoneAt *time.Time `json:"undone_at"`
	UndoneBy *string    `json:"undone_by"`
}

// BackupFigure is one recorded figure of a BackupDoc, voided ones included.
type BackupFigure struct {
	ID          int64     `json:"id"`
	Programme   string    `json:"programme"`
	Stage       string    `json:"stage"`
	Term        string    `json:"term"`
	Year        int       `json:"year"`
	Month       int       `json:"month"`
	Persons     int64     `json:"persons"`
	PersonTimes int64     `json:"person_times"`
	AmountFen   int64     `json:"amount_fen"`
	By          string    `json:"by"`
	At          time.Time `json:"at"`
	Note        string    `json:"note"`
	Void        bool      `json:"void"`
}

// Backup reads everything of a team: obligations (retired ones too), the whole completion
// history, and figures including voided ones. Instants are in Asia/Shanghai.
func Backup(ctx context.Context, st Source, team bot.Team, cal bot.Calendar) (BackupDoc, error) {
	doc := BackupDoc{Team: team.Name, Obligations: []BackupObligation{}, Completions: []BackupCompletion{}, Figures: []BackupFigure{}}
	obls, err := st.Obligations(ctx, team.ID, true)
	if err != nil {
		return doc, err
	}
	for _, o := range obls {
		doc.Obligations = append(doc.Obligations, BackupObligation{
			Key: o.Key, Title: o.Title, Period: o.Period, Due: o.Due, EffectiveDue: cal.EffectiveDue(o.Due),
			Status: o.Status(), Assignee: optString(o.Assignee), DoneBy: optString(o.DoneBy), DoneAt: optTime(o.DoneAt),
		})
	}
	comps, err := st.Completions(ctx, team.ID)
	if err != nil {
		return doc, err
	}
	for _, c := range comps {
		doc.Completions = append(doc.Completions, BackupCompletion{
			Key: c.Key, By: c.By, At: c.At.In(bot.Shanghai), Note: c.Note,
			UndoneAt: optTime(c.UndoneAt), UndoneBy: optString(c.UndoneBy),
		})
	}
	figs, err := st.Figures(ctx, team.ID, bot.FigureFilter{IncludeVoid: true})
	if err != nil {
		return doc, err
	}
	for _, f := range figs {
		doc.Figures = append(doc.Figures, BackupFigure{
			ID: f.ID, Programme: f.Programme, Stage: f.Stage, Term: f.Term, Year: f.Year, Month: f.Month,
			Persons: f.Persons, PersonTimes: f.PersonTimes, AmountFen: f.AmountFen,
			By: f.By, At: f.At.In(bot.Shanghai), Note: f.Note, Void: f.Void(),
		})
	}
	return doc, nil
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(bot.Shanghai)
	return &t
}
