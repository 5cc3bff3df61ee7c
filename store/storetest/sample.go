package storetest

import (
	"bytes"
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
	wantCode(t, s.Complete(ctx, tm.ID, "", "2026-03/2", "", at(1), bot.Effect{}), bot.EINVALID)
	f, err := s.AddFigure(ctx, bot.Figure{TeamID: tm.ID, Programme: "国家助学金", Year: 2026, By: "zhangsan", At: at(2)}, bot.Effect{})
	must(t, err)
	wantCode(t, s.VoidFigure(ctx, tm.ID, f.ID, "", at(3), bot.Effect{}), bot.EINVALID)
	_, err = s.AddFigure(ctx, bot.Figure{TeamID: tm.ID, Programme: "国家助学金", Year: 2026, At: at(2)}, bot.Effect{})
	wantCode(t, err, bot.EINVALID)
	comps, err := s.Completions(ctx, tm.ID)
	must(t, err)
	if len(comps) != 0 {
		t.Fatalf("completions = %+v", comps)
	}
}

// testSampleItemInserted: an office inserts an item at the top of May in next week's copy of
// the plan. Every other obligation keeps its key, so work already done stays done.
func testSampleItemInserted(t *testing.T, s bot.Store) {
	ctx := context.Background()
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	must(t, err)
	tm := team(t, s, bot.DefaultTeam)
	_, err = s.ImportPlan(ctx, tm.ID, p, importOpts(d(1, 1)))
	must(t, err)
	var done string
	for _, o := range p.Obligations {
		if o.Due == bot.NewDate(2026, 5, 25) {
			done = o.Key
		}
	}
	if done == "" {
		t.Fatal("the sample has no May 25 obligation")
	}
	must(t, s.Complete(ctx, tm.ID, "lisi", done, "已发放", at(1), bot.Effect{}))

	edited := bytes.Replace(data, []byte("五月份\n\t1."), []byte("五月份\n\t1.开展资助政策专题培训；\n2."), 1)
	if bytes.Equal(edited, data) {
		t.Fatal("could not insert an item into the sample")
	}
	p2, err := plan.Parse(name, edited, plan.Options{Year: 2026})
	must(t, err)
	res, err := s.ImportPlan(ctx, tm.ID, p2, importOpts(d(1, 1)))
	must(t, err)
	if res.New != 1 || res.Retired != 0 || res.Unchanged != 60 {
		t.Fatalf("re-import with one item inserted = %+v, want 1 new, 60 unchanged", res)
	}
	got := obligations(t, s, tm.ID, false)
	if st := got[done]; st.DoneBy != "lisi" {
		t.Fatalf("the completed May 25 item reopened after an insert: %+v", st)
	}
}
