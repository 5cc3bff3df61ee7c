package schedule

import (
	"slices"
	"testing"

	"github.com/planbot/planbot/bot"
)

// A message of several parts, sent to three recipients at once by eight delivery workers, with
// WeCom rate-limiting the first send to each: every part arrives, once, in order, labelled.
func TestChainArrivesCompleteOnceInOrder(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	snd := newSender()
	snd.Fail = func(to string, n int) error {
		if n == 1 {
			return &apiError{Code: 45009, Msg: "api freq out of limit"}
		}
		return nil
	}
	d := testDeps(pool, schema, st, snd, offsetClock(shanghai(2026, 2, 13, 10, 0, 0)))
	d.Workers = 8
	s := startScheduler(t, d)
	parts := []string{"第一部分", "第二部分", "第三部分", "第四部分", "第五部分"}
	want := []string{"（1/5）第一部分", "（2/5）第二部分", "（3/5）第三部分", "（4/5）第四部分", "（5/5）第五部分"}
	recipients := []string{"li", "zhang", ToGroup}
	for _, to := range recipients {
		m := Chain("reply/default/2026-02-13/"+to, to, parts)
		m.Origin, m.Team = "test/chain", bot.DefaultTeam
		for range 2 { // enqueued twice (a retried request): sent once
			if err := s.Enqueue(ctxT(t), m); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitFor(t, func() bool { return len(snd.all()) >= len(recipients)*len(parts) })
	waitDeliveriesDone(t, s, "test/chain")
	got := map[string][]string{}
	for _, m := range snd.all() {
		got[m.To] = append(got[m.To], m.Markdown)
	}
	for _, to := range recipients {
		if !slices.Equal(got[to], want) {
			t.Errorf("%s received %q, want %q", to, got[to], want)
		}
	}
	if n := len(countJobs(t, s, DeliverArgs{}.Kind())); n != len(recipients)*len(parts) {
		t.Errorf("%d delivery jobs, want %d (one per part)", n, len(recipients)*len(parts))
	}
}

// Chain and NextPart: keys end in the part number, the last part carries no rest.
func TestChainKeys(t *testing.T) {
	m := Chain("k", "li", []string{"a", "b"})
	if m.Key != "k/1" || m.Part != 1 || len(m.Rest) != 1 {
		t.Fatalf("first %+v", m)
	}
	n := NextPart(m)
	if n.Key != "k/2" || n.Part != 2 || n.Rest != nil || n.Markdown != "（2/2）b" || n.To != "li" {
		t.Fatalf("next %+v", n)
	}
	if one := Chain("k", "li", []string{"a"}); one.Key != "k/1" || one.Part != 0 || one.Rest != nil || one.Markdown != "a" {
		t.Fatalf("single %+v", one)
	}
}
