package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) bot.Store { return memory.New() })
}

// Each kind of row is numbered from 1 by its own counter, as PostgreSQL's per-table sequences
// number them: the first figure recorded after a plan import is 第1条, not 第128条.
func TestIDsPerKind(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, bot.Shanghai)
	s := memory.New()
	s.Now = func() time.Time { return at }
	team, err := s.EnsureTeam(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.EnsureTeam(ctx, "其他")
	if err != nil {
		t.Fatal(err)
	}
	if team.ID != 1 || other.ID != 2 {
		t.Errorf("team IDs %d %d, want 1 2", team.ID, other.ID)
	}
	name, data := plan.Sample()
	pl, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportPlan(ctx, team.ID, pl, bot.ImportOptions{Source: name, Actor: "cli", Today: bot.DateOf(at), At: at}); err != nil {
		t.Fatal(err)
	}
	obs, err := s.Obligations(ctx, team.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]bool{}
	for _, o := range obs {
		ids[o.ID] = true
	}
	for id := int64(1); id <= int64(len(pl.Obligations)); id++ {
		if !ids[id] {
			t.Errorf("obligation IDs are not 1…%d: %d missing", len(pl.Obligations), id)
			break
		}
	}
	for i := 1; i <= 2; i++ {
		f, err := s.AddFigure(ctx, bot.Figure{TeamID: team.ID, Programme: "国家助学金", Year: 2026, Term: "春季", Persons: 10, By: "wang", At: at}, bot.Effect{})
		if err != nil {
			t.Fatal(err)
		}
		if f.ID != int64(i) {
			t.Errorf("figure %d has ID %d", i, f.ID)
		}
	}
	if err := s.Complete(ctx, team.ID, "wang", obs[3].Key, "", at, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	cs, err := s.Completions(ctx, team.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].ID != 1 {
		t.Errorf("completions %+v, want one with ID 1", cs)
	}
}
