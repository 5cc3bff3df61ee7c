package main

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/store/memory"
)

// A message of four parts to the group and to a member, through the real WeCom client against
// the fake WeCom, on PostgreSQL with eight delivery workers, while WeCom rate-limits the first
// sends (45009): each recipient gets all four parts, once each, in order.
func TestChainThroughWeCom(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pool, srv, wc := deliveryRig(ctx, t)
	srv.FailNext("webhook/send", 45009, 3) // the client tries twice, the job snoozes, 45009 once more
	srv.FailNext("message/send", 45009, 2)

	st := memory.New()
	team, _ := st.EnsureTeam(ctx, bot.DefaultTeam)
	start, t0 := time.Date(2026, 2, 13, 10, 0, 0, 0, bot.Shanghai), time.Now()
	s, err := schedule.New(ctx, schedule.Deps{
		Pool: pool, Store: st, Calendar: workday.New(), Workers: 8,
		Sender:    wecomSender{wecom.ScheduleSender{C: wc, DefaultGroup: "webhook:" + srv.Config().WebhookKey}},
		Retryable: wecomRetryable, Clock: func() time.Time { return start.Add(time.Since(t0)) },
		Poll: 20 * time.Millisecond, RateLimitSnooze: 30 * time.Millisecond,
		Retention: -1, RescueAfter: 1000 * 24 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Stop(context.Background()) }()
	parts := []string{"甲部分", "乙部分", "丙部分", "丁部分"}
	want := []string{"（1/4）甲部分", "（2/4）乙部分", "（3/4）丙部分", "（4/4）丁部分"}
	for _, to := range []string{schedule.ToGroup, "li"} {
		m := schedule.Chain("test/default/2026-02-13/"+to, to, parts)
		m.Team, m.Origin = team.Name, "test/chain"
		if err := s.Enqueue(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	delivered := func(api string, failed int) []string {
		var out []string
		for i, r := range srv.Requests(api) {
			if i < failed {
				continue // answered 45009
			}
			var body struct {
				Markdown struct{ Content string } `json:"markdown"`
			}
			_ = json.Unmarshal(r.Body, &body)
			out = append(out, body.Markdown.Content)
		}
		return out
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for len(delivered("webhook/send", 3)) < 4 || len(delivered("message/send", 2)) < 4 {
		select {
		case <-ctx.Done():
			t.Fatalf("group got %q, li got %q", delivered("webhook/send", 3), delivered("message/send", 2))
		case <-tick.C:
		}
	}
	// Every part's job is final (so no send is still to come) before the count is checked.
	for {
		jobs, err := s.Client().JobList(ctx, river.NewJobListParams().Kinds(schedule.DeliverArgs{}.Kind()).First(100))
		if err != nil {
			t.Fatal(err)
		}
		final := 0
		for _, j := range jobs.Jobs {
			if j.FinalizedAt != nil {
				final++
			}
		}
		if len(jobs.Jobs) == 8 && final == 8 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d of %d part jobs final", final, len(jobs.Jobs))
		case <-tick.C:
		}
	}
	if got := delivered("webhook/send", 3); !slices.Equal(got, want) {
		t.Errorf("group received %q, want %q", got, want)
	}
	if got := delivered("message/send", 2); !slices.Equal(got, want) {
		t.Errorf("li received %q, want %q", got, want)
	}
}
