package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/postgres"
)

// jobsDatabaseURL returns a DATABASE_URL on a fresh schema (dropped at cleanup).
func jobsDatabaseURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("PLANBOT_TEST_DATABASE_URL")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, base)
	if err == nil {
		err = admin.Ping(ctx)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL unreachable: %v", err)
		}
		t.Skipf("PostgreSQL unreachable: %v", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "jobs_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func jobsCmd(t *testing.T, dbURL string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	err := runJobs(context.Background(), Config{DatabaseURL: dbURL}, args, &out, &errb)
	return out.String(), err
}

func TestJobsCommand(t *testing.T) {
	if _, err := jobsCmd(t, ""); err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("without DATABASE_URL: %v", err)
	}
	dbURL := jobsDatabaseURL(t)
	out, err := jobsCmd(t, dbURL)
	if err != nil || !strings.Contains(out, "没有失败或待发送的任务") {
		t.Fatalf("empty list: %q, %v", out, err)
	}
	// A pending and a failed delivery, as the scheduler leaves them.
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{SkipUnknownJobCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	pending, err := c.Insert(ctx, schedule.DeliverArgs{Key: "digest/default/2026-02-13/group/1", Team: "default", To: schedule.ToGroup, Markdown: "x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	failed, err := c.Insert(ctx, schedule.DeliverArgs{Key: "digest/default/2026-02-13/card/li", Team: "default", To: "li", Markdown: "y"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE river_job SET state = 'discarded', attempt = 10, finalized_at = now(),
		errors = ARRAY['{"at":"2026-02-13T00:30:00Z","attempt":10,"error":"wecom message/send: errcode 81013: user invalid"}'::jsonb]
		WHERE id = $1`, failed.Job.ID); err != nil {
		t.Fatal(err)
	}
	out, err = jobsCmd(t, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], fmt.Sprint(failed.Job.ID)) || !strings.Contains(lines[1], "失败") ||
		!strings.Contains(lines[1], "card/li") || !strings.Contains(lines[1], "81013") ||
		!strings.Contains(lines[2], "待发送") || !strings.Contains(lines[2], "group/1") {
		t.Fatalf("list:\n%s", out)
	}
	out, err = jobsCmd(t, dbURL, "retry", fmt.Sprint(failed.Job.ID))
	if err != nil || !strings.Contains(out, "已重新排队") {
		t.Fatalf("retry: %q, %v", out, err)
	}
	var state string
	if err := pool.QueryRow(ctx, "SELECT state FROM river_job WHERE id = $1", failed.Job.ID).Scan(&state); err != nil {
		t.Fatal(err)
	}
	if state != "available" {
		t.Fatalf("state after retry %q", state)
	}
	for _, bad := range [][]string{{"retry"}, {"retry", "x"}, {"retry", "999999"}, {"frob"}} {
		if _, err := jobsCmd(t, dbURL, bad...); err == nil {
			t.Fatalf("%q accepted", bad)
		}
	}
	_ = pending
}

// digest --send's path end to end against the fake WeCom: two runs at once while the webhook
// answers the first sends with 45009, then a third run: one group digest, one card per member.
func TestSendDigestThroughWeCom(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pool, srv, wc := deliveryRig(ctx, t)
	srv.FailNext("webhook/send", 45009, 3) // the client tries twice, the job snoozes, then 45009 once more

	st := memory.New()
	team, _ := st.EnsureTeam(ctx, bot.DefaultTeam)
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, bot.Shanghai)
	_ = st.PutMember(ctx, "test", bot.Member{TeamID: team.ID, UserID: "li", Name: "李四", Role: bot.RoleStaff, Active: true})
	_ = st.PutMember(ctx, "test", bot.Member{TeamID: team.ID, UserID: "boss", Name: "王主任", Role: bot.RoleSupervisor, Active: true})
	for _, o := range []bot.Obligation{
		{Key: "k1", Title: "上报资助名单", Due: bot.NewDate(2026, 2, 10), Rule: bot.RuleOnce},
		{Key: "k2", Title: "更新系统数据", Due: bot.NewDate(2026, 2, 13), Rule: bot.RuleOnce},
	} {
		if _, err := st.AddObligation(ctx, team.ID, "test", o, at, bot.Effect{}); err != nil {
			t.Fatal(err)
		}
	}
	_ = st.Assign(ctx, team.ID, "test", "k1", "li", at, bot.Effect{})

	start, t0 := time.Date(2026, 2, 13, 10, 0, 0, 0, bot.Shanghai), time.Now()
	deps := schedule.Deps{
		Pool: pool, Store: st, Calendar: workday.New(),
		Sender:    wecomSender{wecom.ScheduleSender{C: wc, DefaultGroup: "webhook:" + srv.Config().WebhookKey}},
		Retryable: wecomRetryable, Clock: func() time.Time { return start.Add(time.Since(t0)) },
		Poll: 20 * time.Millisecond, RateLimitSnooze: 30 * time.Millisecond,
		Retention: -1, RescueAfter: 1000 * 24 * time.Hour, // River's wall-clock services vs 2026-02 test dates
	}
	day := bot.NewDate(2026, 2, 13)
	var wg sync.WaitGroup
	res := make([]schedule.SendResult, 3)
	errs := make([]error, 3)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i], errs[i] = schedule.SendDigestNowResult(ctx, deps, team, day)
		}()
	}
	wg.Wait()
	res[2], errs[2] = schedule.SendDigestNowResult(ctx, deps, team, day)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	if !res[2].AlreadySent || res[0].AlreadySent == res[1].AlreadySent {
		t.Fatalf("results %+v", res)
	}
	hooks := srv.Requests("webhook/send")
	if len(hooks) != 4 {
		t.Fatalf("webhook calls = %d, want 4 (3 answered 45009, 1 delivered)", len(hooks))
	}
	var body struct {
		Markdown struct{ Content string } `json:"markdown"`
	}
	hooks[3].JSON(t, &body)
	if !strings.Contains(body.Markdown.Content, "上报资助名单") {
		t.Fatalf("group digest %q", body.Markdown.Content)
	}
	cards := 0
	for _, r := range srv.Requests("message/send") {
		if strings.Contains(string(r.Body), "button_interaction") {
			cards++
			// li's card has the item with its 完成 button; the supervisor's is the team summary
			// with a button to the overdue list.
			if !strings.Contains(string(r.Body), "完成 #k2") && !strings.Contains(string(r.Body), `"key":"逾期"`) {
				t.Fatalf("card without a 完成 button for k2 or a summary: %s", r.Body)
			}
		}
	}
	if cards != 2 {
		t.Fatalf("cards = %d, want 2 (li, boss)", cards)
	}
}

// `planbot digest --send` from the environment, twice: one group digest and one card.
func TestDigestSendCommand(t *testing.T) {
	dbURL := jobsDatabaseURL(t)
	ctx := context.Background()
	if err := postgres.Migrate(ctx, dbURL); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	team, _ := st.EnsureTeam(ctx, bot.DefaultTeam)
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, bot.Shanghai)
	if err := st.PutMember(ctx, "test", bot.Member{TeamID: team.ID, UserID: "li", Name: "李四", Role: bot.RoleStaff, Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddObligation(ctx, team.ID, "test", bot.Obligation{Key: "k2", Title: "更新系统数据", Due: bot.NewDate(2026, 2, 13), Rule: bot.RuleOnce}, at, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	srv := wecomtest.NewServer(t)
	cfg := srv.Config()
	env := envConfig(t, map[string]string{
		"DATABASE_URL": dbURL, "REDIS_URL": "", "WECOM_CORP_ID": cfg.CorpID, "WECOM_AGENT_ID": fmt.Sprint(cfg.AgentID),
		"WECOM_SECRET": cfg.Secret, "WECOM_TOKEN": cfg.Token, "WECOM_AES_KEY": cfg.AESKey,
		"WECOM_API_BASE": cfg.APIBase, "WECOM_WEBHOOK_KEY": cfg.WebhookKey,
	})
	var outs []string
	for range 2 {
		var out, errb bytes.Buffer
		if err := runDigest(ctx, env, []string{"--send", "--date", "2026-02-13"}, &out, &errb, time.Now); err != nil {
			t.Fatalf("digest --send: %v\n%s", err, errb.String())
		}
		outs = append(outs, out.String())
	}
	if !strings.Contains(outs[0], "已发送 2 条") || !strings.Contains(outs[1], "已发送过") {
		t.Fatalf("outputs %q", outs)
	}
	if n := len(srv.Requests("webhook/send")); n != 1 {
		t.Fatalf("webhook calls = %d, want 1", n)
	}
	if n := len(srv.Requests("message/send")); n != 1 {
		t.Fatalf("message/send calls = %d, want 1 (li's card)", n)
	}
}

func TestScheduleDepsConfig(t *testing.T) {
	if _, err := scheduleDeps(context.Background(), Config{}, nil, nil, nil, nil, nil); err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("without DATABASE_URL: %v", err)
	}
	// A malformed cron is refused when the configuration is read, before anything opens.
	_, err := loadConfig(func(k string) string {
		return map[string]string{"DATABASE_URL": "postgres://x", "PLANBOT_DIGEST_CRON": "30 25 * * *"}[k]
	})
	if err == nil || !strings.Contains(err.Error(), "PLANBOT_DIGEST_CRON") {
		t.Fatalf("bad PLANBOT_DIGEST_CRON: %v", err)
	}
}

// deliveryRig is what a delivery test through the fake WeCom needs: a PostgreSQL pool on a
// fresh schema with River's tables (closed at the end of the test), the fake WeCom and a client
// for it that retries once without sleeping.
func deliveryRig(ctx context.Context, t *testing.T) (*pgxpool.Pool, *wecomtest.Server, *wecom.Client) {
	t.Helper()
	pool, err := pgxpool.New(ctx, jobsDatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := schedule.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	srv := wecomtest.NewServer(t)
	wc, err := wecom.NewClient(srv.Config(), nil, nil, wecom.WithRetries(1),
		wecom.WithSleep(func(context.Context, time.Duration) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	return pool, srv, wc
}
