package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
)

// MessageIDRetention is how long inbound WeCom message ids are kept for de-duplication in
// PostgreSQL (WeCom retries within seconds; a week leaves room for a Redis outage and replays).
const MessageIDRetention = 7 * 24 * time.Hour

// messagePruner is the part of the store the pruning chore needs.
type messagePruner interface {
	PruneMessages(ctx context.Context, before time.Time) (int64, error)
}

// pruneChore deletes inbound message ids older than MessageIDRetention, daily, once across
// replicas (a River periodic job), and at the start of a leader.
func pruneChore(st messagePruner, now bot.Clock, log *slog.Logger) schedule.Chore {
	return schedule.Chore{Name: "prune-message-ids", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
		n, err := st.PruneMessages(ctx, now().Add(-MessageIDRetention))
		if n > 0 {
			log.Info("pruned inbound message ids", "removed", n)
		}
		return err
	}}
}

// memberSyncChore syncs team's members from WeCom department dept daily, once across replicas.
func memberSyncChore(dir wecom.Directory, st wecom.MemberStore, team bot.Team, dept int, log *slog.Logger) schedule.Chore {
	sync := wecom.MemberSync{Dir: dir, Store: st, Team: team, DeptID: dept, Actor: syncActor, Log: log}
	return schedule.Chore{Name: "sync-members", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
		_, err := sync.Once(ctx)
		return err
	}}
}

// chores are the upkeep jobs of planbot serve: pruning always, the member sync when
// WECOM_SYNC_DEPT is set.
func (a *app) chores() []schedule.Chore {
	out := []schedule.Chore{pruneChore(a.store, a.now, a.log)}
	if a.cfg.SyncDept > 0 {
		out = append(out, memberSyncChore(a.client, a.store, a.team, a.cfg.SyncDept, a.log))
	}
	return out
}
