package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/planbot/planbot/store/memory"
)

// A run of the prune chore drops ids older than the retention; newer ones stay, so a WeCom
// retry is still caught.
func TestPruneChore(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for id, at := range map[string]time.Time{"old": now.Add(-8 * 24 * time.Hour), "recent": now.Add(-time.Hour)} {
		if _, err := st.SeenMessage(ctx, id, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := pruneChore(st, func() time.Time { return now }, slog.New(slog.DiscardHandler)).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if first, _ := st.SeenMessage(ctx, "old", now); !first {
		t.Error("an id older than the retention was kept")
	}
	if first, _ := st.SeenMessage(ctx, "recent", now); first {
		t.Error("a recent id was pruned: a WeCom retry would be applied twice")
	}
}
