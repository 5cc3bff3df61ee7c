package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/planbot/planbot/store/memory"
)

// Ids older than the retention are pruned at start and on each tick; newer ones stay, so a
// WeCom retry is still caught.
func TestRunPrune(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	st := memory.New()
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now := base
	clock := func() time.Time { return now }
	for id, at := range map[string]time.Time{"old": base.Add(-8 * 24 * time.Hour), "recent": base.Add(-time.Hour)} {
		if _, err := st.SeenMessage(ctx, id, at); err != nil {
			t.Fatal(err)
		}
	}
	tick := make(chan time.Time)
	done := make(chan struct{})
	go func() { runPrune(ctx, st, clock, tick, slog.New(slog.DiscardHandler)); close(done) }()
	tick <- now // the start-up prune has run once the loop takes a tick
	if first, _ := st.SeenMessage(ctx, "old", now); !first {
		t.Error("an id older than the retention was kept")
	}
	if first, _ := st.SeenMessage(ctx, "recent", now); first {
		t.Error("a recent id was pruned: a WeCom retry would be applied twice")
	}
	cancel()
	<-done
}
