package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/planbot/planbot/bot"
)

// MessageIDRetention is how long inbound WeCom message ids are kept for de-duplication in
// PostgreSQL (WeCom retries within seconds; a week leaves room for a Redis outage and replays).
const MessageIDRetention = 7 * 24 * time.Hour

// messagePruner is the part of the store the pruning loop needs.
type messagePruner interface {
	PruneMessages(ctx context.Context, before time.Time) (int64, error)
}

// startPrune deletes old inbound message ids at start and on every tick, until stop is called.
// Every replica may run it: deleting the same old rows twice is harmless.
func startPrune(ctx context.Context, st messagePruner, now bot.Clock, every time.Duration, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	t := time.NewTicker(every)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runPrune(ctx, st, now, t.C, log)
	}()
	return func() { cancel(); <-done; t.Stop() }
}

// runPrune prunes once, then once per tick, until ctx ends.
func runPrune(ctx context.Context, st messagePruner, now bot.Clock, tick <-chan time.Time, log *slog.Logger) {
	for {
		n, err := st.PruneMessages(ctx, now().Add(-MessageIDRetention))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("prune inbound message ids", "err", err)
		case n > 0:
			log.Info("pruned inbound message ids", "removed", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
	}
}
