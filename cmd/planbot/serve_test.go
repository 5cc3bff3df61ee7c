package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/planbot/planbot/store/storetest"
)

// serveNow is Monday 2026-03-02 09:00 in Shanghai.
var serveNow = time.Date(2026, 3, 2, 9, 0, 0, 0, bot.Shanghai)

// newTestApp wires the whole bot as `planbot serve` does, on a fresh PostgreSQL schema, a
// fresh Redis prefix and a fake WeCom, with the 2026 sample plan imported and two members.
func newTestApp(t *testing.T) (*app, *wecomtest.Server, wecom.Config) {
	t.Helper()
	env, fake := newTestEnv(t)
	a := startTestApp(t, env, appOptions{})
	seedTestApp(t, a)
	return a, fake, fake.Config()
}

// newTestEnv is the environment of newTestApp: a fresh PostgreSQL schema, a fresh Redis prefix
// and a fake WeCom. Two apps started on one env are two replicas, or one process and its
// restart.
func newTestEnv(t *testing.T) (map[string]string, *wecomtest.Server) {
	t.Helper()
	dbURL := storetest.PostgresURL(t)
	redisURL, prefix := storetest.RedisURL(t)
	fake := wecomtest.NewServer(t)
	cfg := fake.Config()
	return map[string]string{
		"DATABASE_URL": dbURL, "REDIS_URL": redisURL, "REDIS_PREFIX": prefix,
		"WECOM_CORP_ID": cfg.CorpID, "WECOM_AGENT_ID": fmt.Sprint(cfg.AgentID), "WECOM_SECRET": cfg.Secret,
		"WECOM_TOKEN": cfg.Token, "WECOM_AES_KEY": cfg.AESKey, "WECOM_API_BASE": cfg.APIBase,
		"WECOM_REPLAY_WINDOW": "300",
	}, fake
}

// startTestApp wires an app on env as `planbot serve` does, the clock at serveNow.
func startTestApp(t *testing.T, env map[string]string, opt appOptions) *app {
	t.Helper()
	a, err := newAppWith(context.Background(), envConfig(t, env), slog.New(slog.DiscardHandler), func() time.Time { return serveNow }, opt)
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	t.Cleanup(a.Close)
	return a
}

// seedTestApp imports the 2026 sample plan and adds two members.
func seedTestApp(t *testing.T, a *app) {
	t.Helper()
	ctx := context.Background()
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.ImportPlan(ctx, a.team.ID, p, bot.ImportOptions{Source: name, Actor: "test", Today: bot.NewDate(2026, 1, 1), At: serveNow}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []bot.Member{{UserID: "lisi", Name: "李老师", Role: bot.RoleStaff, Active: true}, {UserID: "wangzr", Name: "王主任", Role: bot.RoleSupervisor, Active: true}} {
		m.TeamID = a.team.ID
		if err := a.store.PutMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}
}

func post(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// liveCompletions counts the completions of the team that are not undone.
func liveCompletions(t *testing.T, a *app) []bot.Completion {
	t.Helper()
	all, err := a.store.Completions(context.Background(), a.team.ID)
	if err != nil {
		t.Fatal(err)
	}
	var live []bot.Completion
	for _, c := range all {
		if c.UndoneAt.IsZero() {
			live = append(live, c)
		}
	}
	return live
}

// replyText is the reply to one callback: the passive reply, or what went out by message/send.
func replyText(t *testing.T, a *app, fake *wecomtest.Server, cfg wecom.Config, w *httptest.ResponseRecorder, sendsBefore int) string {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body.String())
	}
	if w.Body.Len() > 0 {
		return wecomtest.OpenReply(t, cfg, w.Body.Bytes()).Content
	}
	a.callback.Wait()
	sends := fake.Requests("message/send")
	var b strings.Builder
	for _, s := range sends[sendsBefore:] {
		b.Write(s.Body)
	}
	return b.String()
}

// The end-to-end path through everything `planbot serve` wires: real PostgreSQL and
// Redis, the fake WeCom, the official wire format.
func TestServeEndToEnd(t *testing.T) {
	a, fake, cfg := newTestApp(t)
	h := a.Handler()

	// An encrypted 本月 gets the month's numbered list.
	w := post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "lisi", "本月", "1001", serveNow), serveNow))
	if got := replyText(t, a, fake, cfg, w, 0); !strings.Contains(got, "更新维护学生资助管理") {
		t.Fatalf("本月 reply does not list the month: %q", got)
	}

	// The same MsgId three times (WeCom's retries) completes one item once.
	for i := 0; i < 3; i++ {
		w := post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "lisi", "完成 1 已报送", "1002", serveNow), serveNow))
		if w.Code != http.StatusOK {
			t.Fatalf("retry %d: status %d", i, w.Code)
		}
	}
	a.callback.Wait()
	if live := liveCompletions(t, a); len(live) != 1 || live[0].By != "lisi" || live[0].Note != "已报送" {
		t.Fatalf("completions after three deliveries of one message: %+v", live)
	}

	// A bad signature: 4xx and no effect.
	bad := wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "lisi", "完成 2", "1003", serveNow), serveNow)
	q := bad.URL.Query()
	q.Set("msg_signature", strings.Repeat("0", 40))
	bad.URL.RawQuery = q.Encode()
	if w := post(h, bad); w.Code < 400 || w.Code >= 500 {
		t.Fatalf("bad signature: status %d, want 4xx", w.Code)
	}
	a.callback.Wait()
	if n := len(liveCompletions(t, a)); n != 1 {
		t.Fatalf("a forged message changed the store: %d completions", n)
	}

	// A card click marks its item done and updates the card, after one token refresh.
	obs, err := a.store.Obligations(context.Background(), a.team.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	var key string
	for _, o := range obs {
		if o.DoneBy == "" && o.Due.Month == 3 {
			key = o.Key
			break
		}
	}
	fetches := fake.TokenFetches()
	fake.ExpireToken()
	click := wecomtest.CardClickXML(cfg, "lisi", wecom.CardButtonKey(key), "task-1", "rc-1", serveNow)
	for i := 0; i < 2; i++ { // a second delivery of the same click changes nothing
		if w := post(h, wecomtest.EncryptedPostAt(cfg, click, serveNow)); w.Code != http.StatusOK {
			t.Fatalf("click: status %d", w.Code)
		}
	}
	a.callback.Wait()
	live := liveCompletions(t, a)
	if len(live) != 2 || live[1].Key != key {
		t.Fatalf("after the click: %+v, want a second completion of %s", live, key)
	}
	if ups := fake.Requests("message/update_template_card"); len(ups) != 1 || !strings.Contains(string(ups[0].Body), "rc-1") {
		t.Fatalf("card updates: %d, want one with the click's ResponseCode", len(ups))
	}
	if got := fake.TokenFetches() - fetches; got != 1 {
		t.Fatalf("token fetches after expiry: %d, want exactly one refresh", got)
	}

	// Health and readiness.
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		w := post(h, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusOK {
			t.Errorf("%s: status %d", path, w.Code)
		}
		for _, name := range []string{"planbot_command_seconds", "planbot_queue_depth", "planbot_wecom_callbacks_total"} {
			if path == "/metrics" && !strings.Contains(w.Body.String(), name) {
				t.Errorf("/metrics lacks %s", name)
			}
		}
	}
}

func TestServeConfigNamesTheBadVariable(t *testing.T) {
	good := map[string]string{
		"DATABASE_URL": "postgres://x", "REDIS_URL": "redis://x", "WECOM_CORP_ID": "ww1", "WECOM_AGENT_ID": "1000002",
		"WECOM_SECRET": "s3cret-value", "WECOM_TOKEN": "tok", "WECOM_AES_KEY": wecomtest.AESKey,
	}
	for _, tc := range []struct{ key, value, want string }{
		{"DATABASE_URL", "", "DATABASE_URL"},
		{"REDIS_URL", "", "REDIS_URL"},
		{"PLANBOT_LISTEN", "8080", "PLANBOT_LISTEN"},
		{"WECOM_AES_KEY", "short", "WECOM_AES_KEY"},
		{"WECOM_AGENT_ID", "abc", "WECOM_AGENT_ID"},
		{"WECOM_CORP_ID", "", "WECOM_CORP_ID"},
	} {
		env := map[string]string{}
		for k, v := range good {
			env[k] = v
		}
		env[tc.key] = tc.value
		err := serveConfigErr(env)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%q: error %v, want one naming %s", tc.key, tc.value, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret-value") {
			t.Errorf("the error reveals a secret: %v", err)
		}
	}
	if err := serveConfigErr(good); err != nil {
		t.Fatalf("a good configuration was refused: %v", err)
	}
}

// Serve listens, answers, runs the schedules and shuts down when its context ends.
func TestServeListensAndShutsDown(t *testing.T) {
	a, _, _ := newTestApp(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a.cfg.Listen = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.serveOn(ctx, ln) }()
	var resp *http.Response
	for i := 0; i < 200; i++ { // wait for the listener, bounded
		if resp, err = http.Get("http://" + a.cfg.Listen + "/healthz"); err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("Serve ended early: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err != nil {
		t.Fatalf("healthz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve after shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not shut down")
	}
}

// TestHealthDuringOutages: with only Redis down /readyz stays 200 and reports degraded; with
// PostgreSQL down /readyz is 503 while /metrics keeps serving the other series (issue #16
// finding 7).
func TestHealthDuringOutages(t *testing.T) {
	a, _, _ := newTestApp(t)
	h := a.Handler()
	_ = a.redis.Close() // Redis unreachable from here on
	w := post(h, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "degraded: redis") {
		t.Fatalf("/readyz with Redis down: %d %q, want 200 reporting degraded", w.Code, w.Body.String())
	}
	a.Close() // every PostgreSQL pool closed (store and schedules): the queue-depth collector fails
	if w := post(h, httptest.NewRequest(http.MethodGet, "/readyz", nil)); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with PostgreSQL down: %d, want 503", w.Code)
	}
	w = post(h, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "go_goroutines") {
		t.Fatalf("/metrics with PostgreSQL down: %d, other series served: %v", w.Code, strings.Contains(w.Body.String(), "go_goroutines"))
	}
}

// A card click whose completion fails (PostgreSQL down) leaves the card's buttons as they are,
// so the item can still be completed later, and tells the user it did not work (issue #15
// item 6: the router's error reaches the edge instead of every click counting as applied).
func TestCardClickFailedLeavesButtons(t *testing.T) {
	a, fake, cfg := newTestApp(t)
	h := a.Handler()
	obs, err := a.store.Obligations(context.Background(), a.team.ID, false)
	if err != nil || len(obs) == 0 {
		t.Fatal(obs, err)
	}
	key := obs[0].Key
	a.store.Close() // PostgreSQL unreachable from here on
	before := len(fake.Requests("message/send"))
	click := wecomtest.CardClickXML(cfg, "lisi", wecom.CardButtonKey(key), "task-9", "rc-9", serveNow)
	if w := post(h, wecomtest.EncryptedPostAt(cfg, click, serveNow)); w.Code != http.StatusOK {
		t.Fatalf("click: status %d", w.Code)
	}
	a.callback.Wait()
	if ups := fake.Requests("message/update_template_card"); len(ups) != 0 {
		t.Fatalf("the card was updated although nothing was applied: %s", ups[0].Body)
	}
	sends := fake.Requests("message/send")
	if len(sends) != before+1 || !strings.Contains(string(sends[len(sends)-1].Body), "稍后") {
		t.Fatalf("the user was not told the click failed: %d sends", len(sends)-before)
	}
}

// TestPanicBeforeRouter: a panic on the way to the router (after the unit is resolved, before
// Router.Handle) is recovered by the router's one recovery: the sender gets the Chinese
// internal-error reply and serve keeps answering.
func TestPanicBeforeRouter(t *testing.T) {
	env, fake := newTestEnv(t)
	var broken atomic.Bool
	broken.Store(true)
	a := startTestApp(t, env, appOptions{crash: func(string) {
		if broken.Load() {
			panic("unit routing broke")
		}
	}})
	seedTestApp(t, a)
	cfg := fake.Config()
	h := a.Handler()
	w := post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "lisi", "本月", "2001", serveNow), serveNow))
	if got := replyText(t, a, fake, cfg, w, 0); !strings.Contains(got, bot.EINTERNALText) {
		t.Fatalf("reply after a panic before the router: %q, want %q", got, bot.EINTERNALText)
	}
	broken.Store(false)
	sends := len(fake.Requests("message/send"))
	w = post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "lisi", "本月", "2002", serveNow), serveNow))
	if got := replyText(t, a, fake, cfg, w, sends); !strings.Contains(got, "更新维护学生资助管理") {
		t.Fatalf("reply after the panic: %q", got)
	}
}
