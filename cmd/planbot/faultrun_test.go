package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

// TestFaultRun is #16's load run with outages, in the style of the held-out check (not part of
// the normal run: it takes a minute and starts its own redis-server):
//
//	PLANBOT_FAULT_RUN=20000 [PLANBOT_FAULT_RATE=400 PLANBOT_FAULT_OUTAGE=12s] go test ./cmd/planbot -run TestFaultRun -v -timeout 30m
//
// N messages go through the callback at PLANBOT_FAULT_RATE a second (default 400, so that the
// load spans both outages; a fake WeCom that retries an unanswered or failed
// delivery up to three times in all, and delivers a tenth of the messages twice), from 32
// senders at once: each of the first messages completes one item (完成 #key), the rest record
// one figure each, with its own number of persons. During the run a private redis-server
// (another port, no persistence) is killed and restarted empty PLANBOT_FAULT_OUTAGE later
// (default 12 s), after which half the messages answered before are delivered again; then
// every PostgreSQL connection is dropped and new ones are refused as long (a TCP proxy in front
// of PostgreSQL). /readyz and /metrics are
// probed throughout. At the end the store is counted against the answers: lost (answered as
// done, not stored), doubled (stored twice), applied although the answer said it failed.
func TestFaultRun(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("PLANBOT_FAULT_RUN"))
	if n <= 0 {
		t.Skip("set PLANBOT_FAULT_RUN=N to run N messages with outages")
	}
	rate := 400 // messages per second offered (PLANBOT_FAULT_RATE)
	if r, err := strconv.Atoi(os.Getenv("PLANBOT_FAULT_RATE")); err == nil && r > 0 {
		rate = r
	}
	outage := 12 * time.Second // each outage, as long as the held-out check's
	if d, err := time.ParseDuration(os.Getenv("PLANBOT_FAULT_OUTAGE")); err == nil {
		outage = d
	}
	redisSrv := startPrivateRedis(t)
	env, fake := newTestEnv(t)
	proxy := newTCPProxy(t, env)
	env["REDIS_URL"] = "redis://" + redisSrv.addr + "/0"
	env["PLANBOT_RATE_PER_MINUTE"] = "-1"
	a := startTestApp(t, env, appOptions{})
	seedTestApp(t, a)
	cfg := fake.Config()
	h := a.Handler()
	ctx := context.Background()
	obs, err := a.store.Obligations(ctx, a.team.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	keys := len(obs)
	if keys > n/10 {
		keys = n / 10
	}
	text := func(i int) string {
		if i < keys {
			return "完成 #" + obs[i].Key
		}
		return fmt.Sprintf("记录 中职国家助学金 春季 %d人 %d元", i+1, i+1)
	}
	run := &faultRun{t: t, h: h, cfg: cfg, answers: make([]string, n)}
	var done atomic.Int64
	stage := func(frac float64) {
		waitUntil(t, 10*time.Minute, "progress", func() bool { return done.Load() >= int64(frac*float64(n)) })
	}

	var probes []string
	var pmu sync.Mutex
	probe := func(when string) {
		for _, path := range []string{"/readyz", "/metrics"} {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			first, _, _ := strings.Cut(w.Body.String(), "\n")
			if path == "/metrics" {
				first = strconv.FormatBool(strings.Contains(w.Body.String(), "go_goroutines"))
			}
			pmu.Lock()
			probes = append(probes, fmt.Sprintf("%s %s %d %s", when, path, w.Code, first))
			pmu.Unlock()
		}
	}
	outages := make(chan struct{})
	var again sync.WaitGroup
	var redisDown, pgDown time.Duration
	go func() {
		defer close(outages)
		stage(0.2)
		start := time.Now()
		redisSrv.kill()
		probe("redis down")
		<-time.After(outage)
		probe("redis down, later")
		redisSrv.start(t)
		redisDown = time.Since(start)
		probe("redis back")
		again.Go(func() { run.redeliver(0, int(done.Load())/2, text) }) // answered before the restart: Redis forgot them
		stage(0.55)
		start = time.Now()
		proxy.down()
		probe("postgres down")
		<-time.After(outage)
		probe("postgres down, later")
		proxy.up()
		pgDown = time.Since(start)
		probe("postgres back")
	}()

	began := time.Now()
	var wg sync.WaitGroup
	next := make(chan int)
	for range 32 {
		wg.Go(func() {
			for i := range next {
				run.deliver(i, text(i), i%10 == 0)
				done.Add(1)
			}
		})
	}
	pace := time.NewTicker(time.Second / time.Duration(rate)) // the load spans both outages
	defer pace.Stop()
	for i := range n {
		<-pace.C
		next <- i
	}
	close(next)
	wg.Wait()
	<-outages
	again.Wait()
	a.callback.Wait()
	took := time.Since(began)
	waitUntil(t, time.Minute, "PostgreSQL through the pool again", func() bool { return a.store.Ping(ctx) == nil })
	probe("after")

	r := run.count(a, obs[:keys], keys)
	t.Logf("%d messages in %v (%.0f/s), Redis down %v, PostgreSQL down %v, %d deliveries (%d retries, %d re-deliveries)",
		n, took.Round(time.Millisecond), float64(n)/took.Seconds(), redisDown.Round(time.Millisecond), pgDown.Round(time.Millisecond),
		run.posts.Load(), run.retries.Load(), run.redelivered.Load())
	t.Logf("answered done %d, answered failed %d, unanswered %d; lost %d, doubled %d, applied although said failed %d",
		r.confirmed, r.failed, r.unanswered, r.lost, r.doubled, r.failedApplied)
	for _, p := range probes {
		t.Log("probe: " + p)
	}
	if r.lost != 0 || r.doubled != 0 || r.failedApplied != 0 {
		t.Errorf("lost %d, doubled %d, applied although said failed %d; want 0", r.lost, r.doubled, r.failedApplied)
	}
	for _, p := range probes {
		if strings.Contains(p, "/metrics") && !strings.Contains(p, " 200 true") {
			t.Errorf("metrics not served: %s", p)
		}
		if strings.HasPrefix(p, "redis down /readyz") && !strings.Contains(p, " 200 ") {
			t.Errorf("/readyz should stay ready (degraded) with only Redis down: %s", p)
		}
		if strings.HasPrefix(p, "after /readyz") && !strings.Contains(p, " 200 ") {
			t.Errorf("/readyz not ready after the outages: %s", p)
		}
	}
}

// faultRun delivers messages as WeCom does and keeps the last answer of each.
type faultRun struct {
	t                           *testing.T
	h                           http.Handler
	cfg                         wecom.Config
	mu                          sync.Mutex
	answers                     []string
	posts, retries, redelivered atomic.Int64
}

// deliver posts message i (up to three attempts while WeCom gets no 200 in time), and once more
// after its answer when twice is set (a duplicate delivery).
func (r *faultRun) deliver(i int, text string, twice bool) {
	xml := wecomtest.TextXML(r.cfg, "lisi", text, strconv.Itoa(700000+i), serveNow)
	answer := ""
	for attempt := range 3 {
		if attempt > 0 {
			r.retries.Add(1)
		}
		got, ok := r.post(xml)
		if ok {
			answer = got
			break
		}
	}
	if twice {
		r.redelivered.Add(1)
		if got, ok := r.post(xml); ok && got != "" {
			answer = got
		}
	}
	r.mu.Lock()
	if answer != "" || r.answers[i] == "" {
		r.answers[i] = answer
	}
	r.mu.Unlock()
}

// redeliver delivers messages from..to again (their answers were given before Redis lost them).
func (r *faultRun) redeliver(from, to int, text func(int) string) {
	for i := from; i < to; i++ {
		r.redelivered.Add(1)
		xml := wecomtest.TextXML(r.cfg, "lisi", text(i), strconv.Itoa(700000+i), serveNow)
		r.post(xml)
	}
}

// post is one delivery; ok is false when WeCom would retry (no 200 within 5 s).
func (r *faultRun) post(xml string) (string, bool) {
	r.posts.Add(1)
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.h.ServeHTTP(w, wecomtest.EncryptedPostAt(r.cfg, xml, serveNow))
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second): // WeCom's limit
		return "", false
	}
	if w.Code != http.StatusOK {
		return "", false
	}
	if w.Body.Len() == 0 {
		return "", true // an empty 200: a duplicate, or answered through the API
	}
	return wecomtest.OpenReply(r.t, r.cfg, w.Body.Bytes()).Content, true
}

type faultCounts struct{ confirmed, failed, unanswered, lost, doubled, failedApplied int }

// count compares the store with the answers.
func (r *faultRun) count(a *app, items []bot.Tracked, keys int) faultCounts {
	t := r.t
	ctx := context.Background()
	var figs []bot.Figure
	waitUntil(t, time.Minute, "the figures", func() bool { // the pool drops its dead connections first
		var err error
		figs, err = a.store.Figures(ctx, a.team.ID, bot.FigureFilter{IncludeVoid: true})
		return err == nil
	})
	stored := map[int]int{}
	for _, f := range figs {
		stored[int(f.Persons)-1]++
	}
	comps, err := a.store.Completions(ctx, a.team.ID)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]int{}
	for _, c := range comps {
		byKey[c.Key]++
	}
	for i, it := range items {
		stored[i] = byKey[it.Key]
	}
	var c faultCounts
	for i, ans := range r.answers {
		ok := strings.Contains(ans, "已记录") || strings.Contains(ans, "已标记完成")
		if i < keys && strings.Contains(ans, "早已") {
			ok = true // a duplicate delivery answered from the state it made
		}
		switch {
		case ok:
			c.confirmed++
			if stored[i] == 0 {
				c.lost++
			}
		case ans == "":
			c.unanswered++
		default:
			c.failed++
			if stored[i] > 0 {
				c.failedApplied++
				t.Logf("message %d answered %q but applied", i, ans)
			}
		}
		if stored[i] > 1 {
			c.doubled++
		}
	}
	return c
}

// privateRedis is a redis-server of the test's own (never the shared one on 6379), without
// persistence: killed and started again, it has forgotten every key.
type privateRedis struct {
	addr string
	cmd  *exec.Cmd
}

func startPrivateRedis(t *testing.T) *privateRedis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r := &privateRedis{addr: addr}
	r.start(t)
	t.Cleanup(r.kill)
	return r
}

func (r *privateRedis) start(t *testing.T) {
	_, port, _ := net.SplitHostPort(r.addr)
	r.cmd = exec.Command("redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 10*time.Second, "redis-server to listen", func() bool {
		c, err := net.Dial("tcp", r.addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

func (r *privateRedis) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
	}
}

// tcpProxy stands between the app and PostgreSQL: down drops every connection and refuses
// new ones (accepted and closed at once) until up.
type tcpProxy struct {
	target string
	mu     sync.Mutex
	isDown bool
	conns  map[net.Conn]bool
}

// newTCPProxy starts a proxy to env's DATABASE_URL host and points DATABASE_URL at it.
func newTCPProxy(t *testing.T, env map[string]string) *tcpProxy {
	t.Helper()
	u, err := url.Parse(env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{target: u.Host, conns: map[net.Conn]bool{}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go p.serve(l)
	u.Host = l.Addr().String()
	env["DATABASE_URL"] = u.String()
	return p
}

func (p *tcpProxy) serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.isDown
		if !down {
			p.conns[c] = true
		}
		p.mu.Unlock()
		if down {
			c.Close()
			continue
		}
		go p.pipe(c)
	}
}

func (p *tcpProxy) pipe(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[up] = true
	p.mu.Unlock()
	go func() { _, _ = io.Copy(up, c); up.Close() }()
	_, _ = io.Copy(c, up)
	c.Close()
}

func (p *tcpProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.isDown = true
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func (p *tcpProxy) up() {
	p.mu.Lock()
	p.isDown = false
	p.mu.Unlock()
}
