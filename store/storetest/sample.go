package storetest

import (
	"context"
	"testing"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
)

// testSamplePlan imports the real sample plan as bot/plan reads it.
func testSamplePlan(t *testing.T, s bot.Store) {
	ctx := context.Background()
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	must(t, err)
	if len(p.Obligations) != 60 {
		t.Fatalf("sample parses to %d obligations, want 60", len(p.Obligations))
	}
	tm := team(t, s, bot.DefaultTeam)
	today := d(3, 15)
	res, err := s.ImportPlan(ctx, tm.ID, p, importOpts(today))
	must(t, err)
	if res.New != 60 || res.Changed+res.Retired+res.Unchanged != 0 {
		t.Fatalf("import = %+v", res)
	}
	got := obligations(t, s, tm.ID, false)
	if len(got) != 60 {
		t.Fatalf("stored %d obligations", len(got))
	}
	for _, o := range p.Obligations {
		st, ok := got[o.Key]
		if !ok || st.Obligation != o {
			t.Fatalf("stored %+v\nwant %+v", st.Obligation, o)
		}
		if st.BeforeTracking != o.Due.Before(today) {
			t.Errorf("%s due %v: BeforeTracking %v", o.Key, o.Due, st.BeforeTracking)
		}
	}
	res, err = s.ImportPlan(ctx, tm.ID, p, importOpts(today))
	must(t, err)
	if res.Unchanged != 60 || res.New+res.Changed+res.Retired != 0 {
		t.Fatalf("re-import = %+v", res)
	}
}

// testActorRequired: a completion or a void without an actor cannot be recorded.
func testActorRequired(t *testing.T, s bot.Store) {
	ctx := context.Background()
	tm := team(t, s, bot.DefaultTeam)
	_, err := s.ImportPlan(ctx, tm.ID, samplePlan(), importOpts(d(3, 1)))
	must(t, err)
	wantCode(t, s.Complete(ctx, tm.ID, "", "2026-03/2", "", at(1)), bot.EINVALID)
	f, err := s.AddFigure(ctx, bot.Figure{TeamID: tm.ID, Programme: "国家助学金", Year: 2026, By: "zhangsan", At: at(2)})
	must(t, err)
	wantCode(t, s.VoidFigure(ctx, tm.ID, f.ID, "", at(3)), bot.EINVALID)
	_, err = s.AddFigure(ctx, bot.Figure{TeamID: tm.ID, Programme: "国家助学金", Year: 2026, At: at(2)})
	wantCode(t, err, bot.EINVALID)
	comps, err := s.Completions(ctx, tm.ID)
	must(t, err)
	if len(comps) != 0 {
		t.Fatalf("completions = %+v", comps)
	}
}
