package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/planbot/planbot/store/storetest"
)

// Issue #7, done when: two `planbot serve` replicas on one database with a one-minute schedule
// send one digest for the day. Both replicas are built by newApp's path on one PostgreSQL
// schema, one Redis prefix and one fake WeCom, and serve on their own loopback listener.
//
// The schedules' clock (River's too) reads Tuesday 2026-03-03 09:00:50 in Shanghai at the
// start and advances with real time, so the digest is due at once (RunOnStart on the elected
// leader, ~2 s) and the one-minute schedule fires again at 09:01:00, ~10 s in (09:02:00 if
// startup is slow; the wait allows 90 s). That tick is observed, not slept for: River inserts
// periodic jobs with ON CONFLICT (unique_key) DO UPDATE, so a duplicate of the day's digest run
// rewrites the completed run's row and changes its xmin while adding no row. Only then, with
// the queues drained, are the group digests at webhook/send counted. (Deleting every job before
// the tick, i.e. losing uniqueness, makes this test fail with two digests.)
func TestServeReplicasSendOneDigest(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	redisURL, prefix := storetest.RedisURL(t)
	fake := wecomtest.NewServer(t)
	cfg := fake.Config()
	env := map[string]string{
		"DATABASE_URL": dbURL, "REDIS_URL": redisURL, "REDIS_PREFIX": prefix,
		"WECOM_CORP_ID": cfg.CorpID, "WECOM_AGENT_ID": fmt.Sprint(cfg.AgentID), "WECOM_SECRET": cfg.Secret,
		"WECOM_TOKEN": cfg.Token, "WECOM_AES_KEY": cfg.AESKey, "WECOM_API_BASE": cfg.APIBase,
		"WECOM_WEBHOOK_KEY": cfg.WebhookKey, "PLANBOT_DIGEST_CRON": "* * * * *",
		"PLANBOT_LISTEN": "127.0.0.1:0",
	}
	appCfg := envConfig(t, env)
	base := time.Date(2026, 3, 3, 9, 0, 50, 0, bot.Shanghai) // a workday, after 08:30
	start := time.Now()
	clock := func() time.Time { return base.Add(time.Since(start)) }
	ctx := context.Background()

	var reps []*app
	for i := range 2 {
		a, err := newAppWith(ctx, appCfg, slog.New(slog.DiscardHandler), clock, appOptions{scheduleClock: clock})
		if err != nil {
			t.Fatalf("replica %d: newApp: %v", i, err)
		}
		t.Cleanup(a.Close)
		if i == 0 { // the plan, before either replica starts its schedules
			name, data := plan.Sample()
			p, err := plan.Parse(name, data, plan.Options{Year: 2026})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.store.ImportPlan(ctx, a.team.ID, p, bot.ImportOptions{Source: name, Actor: "test", Today: bot.NewDate(2026, 1, 1), At: base}); err != nil {
				t.Fatal(err)
			}
		}
		reps = append(reps, a)
	}

	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	var done []chan error
	for i, a := range reps {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ch := make(chan error, 1)
		go func() { ch <- a.serveOn(serveCtx, ln) }()
		done = append(done, ch)
		waitHealthy(t, i, ln.Addr().String(), ch)
	}

	// The day's digest arrives (RunOnStart on whichever replica was elected leader).
	waitUntil(t, 45*time.Second, "a group digest at webhook/send", func() bool { return groupDigests(t, fake) > 0 })

	t.Logf("digest at %s (%.1fs)", clock().Format(time.TimeOnly), time.Since(start).Seconds())

	// The next one-minute tick reconsiders the day's digest run; uniqueness must skip it.
	pool := reps[0].store.Pool()
	runXmin := func() (xmin string, rows int) {
		t.Helper()
		r, err := pool.Query(ctx, `SELECT xmin::text FROM river_job WHERE kind = 'planbot_run'
			AND args->>'kind' = 'digest' AND args->>'date' = '2026-03-03' AND state = 'completed'`)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for r.Next() {
			rows++
			if err := r.Scan(&xmin); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		return xmin, rows
	}
	var first string
	waitUntil(t, 10*time.Second, "the digest run completed", func() bool {
		x, n := runXmin()
		first = x
		return n == 1
	})
	waitUntil(t, 90*time.Second, "the next one-minute tick to reconsider the digest run", func() bool {
		x, n := runXmin()
		if n != 1 {
			t.Fatalf("completed digest runs for 2026-03-03 = %d, want 1", n)
		}
		return x != first
	})
	if now := clock(); now.Before(base.Truncate(time.Minute).Add(time.Minute)) {
		t.Fatalf("the digest run changed at %s, before the next tick", now.Format(time.TimeOnly))
	}

	t.Logf("tick seen at %s (%.1fs)", clock().Format(time.TimeOnly), time.Since(start).Seconds())

	// Anything the tick might have enqueued has run before the count.
	waitUntil(t, 30*time.Second, "the job queues to drain", func() bool {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job
			WHERE state IN ('available', 'running', 'retryable', 'scheduled', 'pending')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 0
	})
	var runs int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'planbot_run'
		AND args->>'kind' = 'digest' AND args->>'date' = '2026-03-03'`).Scan(&runs); err != nil {
		t.Fatal(err)
	}
	if runs != 1 {
		t.Errorf("digest runs for 2026-03-03 = %d, want 1", runs)
	}
	if n := groupDigests(t, fake); n != 1 {
		t.Errorf("group digests at webhook/send = %d, want exactly 1", n)
	}

	stop()
	for i, ch := range done {
		select {
		case err := <-ch:
			if err != nil {
				t.Errorf("replica %d: serve after shutdown: %v", i, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("replica %d did not shut down", i)
		}
	}
}

// groupDigests counts the webhook/send requests that carry the digest's heading.
func groupDigests(t *testing.T, fake *wecomtest.Server) int {
	t.Helper()
	n := 0
	for _, r := range fake.Requests("webhook/send") {
		var msg struct {
			Markdown struct {
				Content string `json:"content"`
			} `json:"markdown"`
		}
		if err := json.Unmarshal(r.Body, &msg); err != nil {
			t.Fatalf("webhook/send body: %v: %s", err, r.Body)
		}
		if strings.HasPrefix(msg.Markdown.Content, "### 工作清单") {
			n++
		}
	}
	return n
}

// waitHealthy polls /healthz until the replica answers, failing if its serve ends first.
func waitHealthy(t *testing.T, i int, addr string, done <-chan error) {
	t.Helper()
	waitUntil(t, 10*time.Second, fmt.Sprintf("replica %d /healthz", i), func() bool {
		select {
		case err := <-done:
			t.Fatalf("replica %d: serve ended early: %v", i, err)
		default:
		}
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// waitUntil polls cond every 50 ms until it holds, failing with what after timeout.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(errors.New("timed out waiting for " + what))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
