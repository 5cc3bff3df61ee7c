package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/util"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/planbot/planbot/store/storetest"
)

// benchOptions are the settings of BenchmarkCallbackPath (its -bench.* flags).
type benchOptions struct {
	Messages     int
	Concurrency  int
	Users        int
	Duration     time.Duration
	CPUProfile   string
	Seed         uint64
	SkipBaseline bool
	Now          time.Time // the bot's clock (fixed, so the plan's March items are current)
}

func defaultBenchOptions() benchOptions {
	return benchOptions{Messages: 20000, Concurrency: 32, Users: 200, Duration: 60 * time.Second, Seed: 1,
		Now: time.Date(2026, 3, 18, 9, 0, 0, 0, bot.Shanghai)}
}

// latency summarises one phase.
type latency struct {
	N, Failed          int
	Elapsed            time.Duration
	PerSec             float64
	P50, P90, P99, Max time.Duration
}

func summarise(durs []time.Duration, failed int, elapsed time.Duration) latency {
	slices.Sort(durs)
	l := latency{N: len(durs), Failed: failed, Elapsed: elapsed}
	if len(durs) == 0 {
		return l
	}
	q := func(p float64) time.Duration { return durs[min(len(durs)-1, int(p*float64(len(durs))))] }
	l.P50, l.P90, l.P99, l.Max = q(.50), q(.90), q(.99), durs[len(durs)-1]
	l.PerSec = float64(len(durs)) / elapsed.Seconds()
	return l
}

func (l latency) String() string {
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64) }
	return fmt.Sprintf("%6d msgs in %6.2fs = %7.0f msg/s   p50 %s ms  p90 %s ms  p99 %s ms  max %s ms  failed %d",
		l.N, l.Elapsed.Seconds(), l.PerSec, ms(l.P50), ms(l.P90), ms(l.P99), ms(l.Max), l.Failed)
}

// benchReport is the outcome of one run.
type benchReport struct {
	Options                           benchOptions
	Baseline, Full                    latency
	Lists, Completes, Undos           int // messages sent, by kind
	CompletedOK, UndoneOK, NoEffect   int // replies to 完成/撤销: applied, or refused/no-op
	Async                             int // answered empty (reply sent later through message/send)
	UnknownEffect                     int // 完成/撤销 answered empty: their effect is not known to the client
	LiveCompletions, DoubleCompletion int
	Consistent                        bool
	CPU, BaselineCPU                  cpuTimes // CPU used during the full and the baseline phase
}

// cpuTimes is CPU time used by this process and, machine-wide, by every postgres and
// redis-server process (other users of those servers count too).
type cpuTimes struct{ Self, Postgres, Redis time.Duration }

func (a cpuTimes) sub(b cpuTimes) cpuTimes {
	return cpuTimes{a.Self - b.Self, a.Postgres - b.Postgres, a.Redis - b.Redis}
}

// cpuNow reads utime+stime from /proc (Linux; zero elsewhere). Clock ticks are 1/100 s.
func cpuNow() cpuTimes {
	var c cpuTimes
	self := os.Getpid()
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if open < 0 || end < open {
			continue
		}
		comm := string(b[open+1 : end])
		f := strings.Fields(string(b[end+1:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		t := time.Duration(ut+st) * 10 * time.Millisecond
		switch {
		case pid == self:
			c.Self += t
		case comm == "postgres":
			c.Postgres += t
		case strings.HasPrefix(comm, "redis-server"):
			c.Redis += t
		}
	}
	return c
}

func (r benchReport) print(w io.Writer) {
	o := r.Options
	fmt.Fprintf(w, "planbot bench: %d users, concurrency %d, up to %d messages or %s per phase, GOMAXPROCS %d\n",
		o.Users, o.Concurrency, o.Messages, o.Duration, runtime.GOMAXPROCS(0))
	if r.Baseline.N > 0 {
		fmt.Fprintf(w, "baseline (verify+decrypt, empty reply): %s\n", r.Baseline)
	}
	fmt.Fprintf(w, "full (PostgreSQL+Redis, router):        %s\n", r.Full)
	if r.Baseline.PerSec > 0 {
		fmt.Fprintf(w, "ratio full/baseline: throughput %.2f, p99 latency %.1fx\n",
			r.Full.PerSec/r.Baseline.PerSec, float64(r.Full.P99)/float64(max(r.Baseline.P99, 1)))
	}
	fmt.Fprintf(w, "mix: %d lists, %d 完成, %d 撤销; applied %d completions, %d undos, %d without effect; %d answered later (async)\n",
		r.Lists, r.Completes, r.Undos, r.CompletedOK, r.UndoneOK, r.NoEffect, r.Async)
	if n := r.Full.N; n > 0 && r.CPU.Self > 0 {
		per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
		total := per(r.CPU.Self + r.CPU.Postgres + r.CPU.Redis)
		fmt.Fprintf(w, "CPU per message (full phase): bench process %.3f ms (server and clients), postgres %.3f ms, redis %.3f ms; total %.3f ms = at most %.0f msg/s on %d idle cores\n",
			per(r.CPU.Self), per(r.CPU.Postgres), per(r.CPU.Redis), total, float64(runtime.NumCPU())*1000/total, runtime.NumCPU())
		if b := r.Baseline.N; b > 0 && r.BaselineCPU.Self > 0 {
			base := float64(r.BaselineCPU.Self.Microseconds()) / 1000 / float64(b)
			fmt.Fprintf(w, "CPU per message (baseline): bench process %.3f ms; so the bot's own work costs about %.3f ms of CPU per message\n",
				base, total-base)
		}
	}
	verdict := "OK"
	if !r.Consistent {
		verdict = "MISMATCH"
	}
	fmt.Fprintf(w, "check: live completions in the store %d, applied completions - undos %d, doubled %d, unknown %d: %s\n",
		r.LiveCompletions, r.CompletedOK-r.UndoneOK, r.DoubleCompletion, r.UnknownEffect, verdict)
}

// benchTB lets the bench reuse the test fake WeCom outside `go test`: it only needs Cleanup.
type benchTB struct {
	testing.TB
	mu       sync.Mutex
	cleanups []func()
}

func (t *benchTB) Helper() {}
func (t *benchTB) Cleanup(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanups = append(t.cleanups, f)
}
func (t *benchTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *benchTB) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *benchTB) Logf(string, ...any)               {}
func (t *benchTB) close() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// benchSchema creates a throwaway schema on base and returns its URL and the drop function.
func benchSchema(ctx context.Context, base string) (string, func(), error) {
	admin := withoutPoolParams(base)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", nil, fmt.Errorf("PostgreSQL: %w", err)
	}
	defer conn.Close(context.Background())
	schema := "planbot_bench_" + randomHex(6)
	if _, err := conn.Exec(ctx, "create schema "+schema); err != nil {
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err == nil {
			_, err = c.Exec(ctx, "drop schema "+schema+" cascade")
			c.Close(ctx)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "planbot bench: drop schema %s: %v\n", schema, err)
		}
	}
	return storetest.WithSearchPath(base, schema), drop, nil
}

// withoutPoolParams drops pgxpool's pool_* URL parameters, which a single connection refuses.
func withoutPoolParams(s string) string {
	u, err := neturl.Parse(s)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return s
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// benchRedis checks Redis and returns a fresh prefix and the function deleting its keys.
func benchRedis(ctx context.Context, url string) (string, func(), error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return "", nil, fmt.Errorf("Redis URL: %w", err)
	}
	c := redis.NewClient(opt)
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return "", nil, fmt.Errorf("Redis: %w", err)
	}
	prefix := "planbot-bench-" + randomHex(6) + ":"
	clean := func() {
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		it := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var batch []string
		for it.Next(ctx) {
			if batch = append(batch, it.Val()); len(batch) == 500 {
				c.Unlink(ctx, batch...)
				batch = batch[:0]
			}
		}
		if len(batch) > 0 {
			c.Unlink(ctx, batch...)
		}
		if err := it.Err(); err != nil {
			fmt.Fprintf(os.Stderr, "planbot bench: delete keys %s*: %v\n", prefix, err)
		}
	}
	return prefix, clean, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// loopback listens on a random port of 127.0.0.1 only.
func loopback() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

// runBench sets everything up, runs the baseline and the full phase, checks the store and tears
// everything down again.
func runBench(ctx context.Context, o benchOptions, getenv func(string) string, log *slog.Logger) (rep benchReport, err error) {
	rep.Options = o
	if o.Messages < 1 || o.Concurrency < 1 || o.Users < 1 || o.Duration <= 0 {
		return rep, errors.New("--messages, --concurrency, --users and --duration must be positive")
	}
	if o.Users < o.Concurrency {
		return rep, fmt.Errorf("--users %d < --concurrency %d: each user has one message in flight at a time", o.Users, o.Concurrency)
	}
	pgBase := cmp.Or(getenv("DATABASE_URL"), getenv("PLANBOT_TEST_DATABASE_URL"), storetest.DefaultPostgresURL)
	redisURL := cmp.Or(getenv("REDIS_URL"), getenv("PLANBOT_TEST_REDIS_URL"), storetest.DefaultRedisURL)
	setup, cancelSetup := context.WithTimeout(ctx, 60*time.Second)
	defer cancelSetup()
	dbURL, drop, err := benchSchema(setup, pgBase)
	if err != nil {
		return rep, err
	}
	defer drop()
	prefix, clean, err := benchRedis(setup, redisURL)
	if err != nil {
		return rep, err
	}
	defer clean()
	tb := &benchTB{}
	defer tb.close()
	fake := wecomtest.NewServer(tb)
	cfg := fake.Config()
	env := map[string]string{
		"DATABASE_URL": dbURL, "REDIS_URL": redisURL, "REDIS_PREFIX": prefix,
		"WECOM_CORP_ID": cfg.CorpID, "WECOM_AGENT_ID": strconv.FormatInt(cfg.AgentID, 10), "WECOM_SECRET": cfg.Secret,
		"WECOM_TOKEN": cfg.Token, "WECOM_AES_KEY": cfg.AESKey, "WECOM_API_BASE": cfg.APIBase,
		"WECOM_REPLAY_WINDOW": "300",
		// Far above what the bench sends per user, so the limit is checked (one Redis call) but never hit.
		"PLANBOT_RATE_PER_MINUTE": "100000000",
	}
	now := o.Now
	a, err := newApp(setup, envConfig(tb, env), log, func() time.Time { return now })
	if err != nil {
		return rep, err
	}
	defer a.Close()
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: now.Year()})
	if err != nil {
		return rep, err
	}
	if _, err := a.store.ImportPlan(setup, a.team.ID, p, bot.ImportOptions{Source: name, Actor: "bench",
		Today: bot.NewDate(now.Year(), 1, 1), At: now}); err != nil {
		return rep, fmt.Errorf("import the sample plan: %w", err)
	}
	users := make([]*benchUser, o.Users)
	for i := range users {
		u := &benchUser{id: fmt.Sprintf("bench%04d", i), name: fmt.Sprintf("用户%04d", i), boss: i%4 == 0}
		role := bot.RoleStaff
		if u.boss {
			role = bot.RoleSupervisor
		}
		if err := a.store.PutMember(setup, "bench", bot.Member{TeamID: a.team.ID, UserID: u.id, Name: u.name, Role: role, Active: true}); err != nil {
			return rep, fmt.Errorf("add member: %w", err)
		}
		users[i] = u
	}

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConns: o.Concurrency * 2, MaxIdleConnsPerHost: o.Concurrency * 2, IdleConnTimeout: time.Minute,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}}
	defer client.CloseIdleConnections()
	run := &benchRun{cfg: cfg, now: now, client: client, msgPrefix: strconv.FormatUint(mrand.Uint64()%1e9, 10)}

	// Baseline: the same callback handler and crypto, a dispatcher that answers nothing.
	if !o.SkipBaseline {
		empty, err := wecom.NewCallback(cfg, wecom.DispatcherFunc(func(context.Context, wecom.Inbound) (bot.Reply, error) {
			return bot.Reply{}, nil
		}), wecom.WithClock(func() time.Time { return now }), wecom.WithLogger(log))
		if err != nil {
			return rep, err
		}
		stop, url, err := startServer(empty)
		if err != nil {
			return rep, err
		}
		run.url = url
		run.phase(ctx, users, min(o.Messages, 500), o.Concurrency, o.Duration, o.Seed+1, true) // warm up connections
		cpu0 := cpuNow()
		rep.Baseline = run.phase(ctx, users, o.Messages, o.Concurrency, o.Duration, o.Seed, true).lat
		rep.BaselineCPU = cpuNow().sub(cpu0)
		stop()
	}

	// Full: the app's own server on a loopback port.
	sctx, stopApp := context.WithCancel(ctx)
	ln, err := loopback()
	if err != nil {
		stopApp()
		return rep, err
	}
	served := make(chan error, 1)
	go func() { served <- a.serveOn(sctx, ln) }()
	defer func() {
		stopApp()
		if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
	}()
	run.url = "http://" + ln.Addr().String() + a.cfg.CallbackPath
	// Every user looks at the month once (untimed): it warms the pools and gives each a list.
	for _, u := range users {
		u.next = "本月"
	}
	warm := run.phase(ctx, users, len(users), o.Concurrency, o.Duration, o.Seed+2, false)
	if warm.lat.Failed > 0 {
		return rep, fmt.Errorf("warm-up: %d of %d requests failed: %v", warm.lat.Failed, len(users), warm.firstErr)
	}
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return rep, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return rep, err
		}
	}
	cpu0 := cpuNow()
	full := run.phase(ctx, users, o.Messages, o.Concurrency, o.Duration, o.Seed, false)
	if o.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	rep.CPU = cpuNow().sub(cpu0)
	rep.Full = full.lat
	if full.firstErr != nil {
		log.Error("bench request failed", "err", full.firstErr)
	}
	c := full.counts
	rep.Lists, rep.Completes, rep.Undos = c.lists, c.completes, c.undos
	rep.CompletedOK, rep.UndoneOK, rep.NoEffect, rep.Async, rep.UnknownEffect = c.completedOK, c.undoneOK, c.noEffect, c.async, c.unknown

	// Check the store against the replies, after late replies have gone out.
	stopApp()
	if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return rep, serr
	}
	served <- nil
	all, err := a.store.Completions(context.WithoutCancel(ctx), a.team.ID)
	if err != nil {
		return rep, err
	}
	live := map[string]int{}
	for _, cp := range all {
		if cp.UndoneAt.IsZero() {
			rep.LiveCompletions++
			if live[cp.Key]++; live[cp.Key] == 2 {
				rep.DoubleCompletion++
			}
		}
	}
	rep.Consistent = rep.DoubleCompletion == 0 && rep.UnknownEffect == 0 && rep.Full.Failed == 0 &&
		rep.LiveCompletions == rep.CompletedOK-rep.UndoneOK
	return rep, nil
}

// startServer serves h on a loopback port and returns its stop function and callback URL.
func startServer(h http.Handler) (stop func(), url string, err error) {
	ln, err := loopback()
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 15 * time.Second}
	go srv.Serve(ln)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, "http://" + ln.Addr().String() + "/wecom/callback", nil
}

// benchUser is one simulated member: what the last list showed it, and what it sends next.
type benchUser struct {
	id, name string
	boss     bool
	items    []listItem // the last numbered list the user saw
	next     string     // forced next message (warm-up)
}

// listItem is one numbered line of a list reply.
type listItem struct {
	done bool
	by   string // display name of who completed it
}

var listLine = regexp.MustCompile(`^(\d+)\. `)

// parseList reads the numbered lines of a list reply; ok is false when the reply is no list.
func parseList(text string) (items []listItem, ok bool) {
	for line := range strings.SplitSeq(text, "\n") {
		m := listLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		it := listItem{}
		if _, after, found := strings.Cut(line, "✅已完成"); found {
			it.done = true
			if s, ok := strings.CutPrefix(after, "（"); ok {
				it.by, _, _ = strings.Cut(s, "）")
			}
		}
		items = append(items, it)
	}
	return items, len(items) > 0 || strings.Contains(text, "共0项") || strings.Contains(text, "没有逾期") || strings.Contains(text, "今天 ")
}

// benchCounts tallies the kinds of messages and their effects.
type benchCounts struct {
	lists, completes, undos                         int
	completedOK, undoneOK, noEffect, async, unknown int
}

func (c *benchCounts) add(d benchCounts) {
	c.lists += d.lists
	c.completes += d.completes
	c.undos += d.undos
	c.completedOK += d.completedOK
	c.undoneOK += d.undoneOK
	c.noEffect += d.noEffect
	c.async += d.async
	c.unknown += d.unknown
}

type phaseResult struct {
	lat      latency
	counts   benchCounts
	firstErr error
}

// benchRun sends encrypted callbacks to url.
type benchRun struct {
	cfg       wecom.Config
	now       time.Time
	client    *http.Client
	url       string
	msgPrefix string
	serial    atomic.Int64
}

var listCommands = [...]string{"今天", "本周", "本月", "逾期"}

// phase sends up to n messages with conc clients for at most d and stops by itself. A user has
// at most one message in flight. baseline sends list commands only and ignores the replies.
func (r *benchRun) phase(ctx context.Context, users []*benchUser, n, conc int, d time.Duration, seed uint64, baseline bool) phaseResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	free := make(chan *benchUser, len(users))
	for _, i := range mrand.New(mrand.NewPCG(seed, 7)).Perm(len(users)) {
		free <- users[i]
	}
	var issued atomic.Int64
	var mu sync.Mutex
	var res phaseResult
	var durs []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := mrand.New(mrand.NewPCG(seed, uint64(w)+100))
			mine := make([]time.Duration, 0, n/conc+1)
			var counts benchCounts
			var failed int
			var firstErr error
			for issued.Add(1) <= int64(n) && ctx.Err() == nil {
				var u *benchUser
				select {
				case u = <-free:
				case <-ctx.Done():
				}
				if u == nil {
					break
				}
				t0 := time.Now()
				err := r.one(ctx, u, rng, baseline, &counts)
				el := time.Since(t0)
				free <- u
				if err != nil {
					if ctx.Err() != nil {
						break // the time bound cut this request short: not a failure
					}
					failed++
					if firstErr == nil {
						firstErr = err
					}
					continue
				}
				mine = append(mine, el)
			}
			mu.Lock()
			defer mu.Unlock()
			durs = append(durs, mine...)
			res.counts.add(counts)
			res.lat.Failed += failed
			if res.firstErr == nil {
				res.firstErr = firstErr
			}
		}()
	}
	wg.Wait()
	failed := res.lat.Failed
	res.lat = summarise(durs, failed, time.Since(start))
	return res
}

// one sends one message of u and reads the reply.
func (r *benchRun) one(ctx context.Context, u *benchUser, rng *mrand.Rand, baseline bool, c *benchCounts) error {
	kind, text, n := "list", listCommands[rng.IntN(len(listCommands))], 0
	switch {
	case u.next != "":
		text, u.next = u.next, ""
	case baseline:
	case rng.IntN(5) != 0: // four in five: a list
	case len(u.items) == 0:
		// After an empty list the numbers mean today's digest, which the client has not seen.
		kind, text = "complete", "完成 1"
	default:
		n = 1 + rng.IntN(len(u.items))
		if it := u.items[n-1]; it.done && !u.boss && it.by != u.name {
			// Someone else's completion, which a staff member may not undo: pick an open item.
			var open []int
			for i, it := range u.items {
				if !it.done {
					open = append(open, i+1)
				}
			}
			if len(open) > 0 {
				n = open[rng.IntN(len(open))]
			}
		}
		kind, text = "complete", fmt.Sprintf("完成 %d", n)
		if it := u.items[n-1]; it.done && (u.boss || it.by == u.name) {
			kind, text = "undo", fmt.Sprintf("撤销 %d", n)
		}
	}
	id := r.msgPrefix + strconv.FormatInt(r.serial.Add(1), 10)
	plain := wecomtest.TextXML(r.cfg, u.id, text, id, r.now)
	enc := wecomtest.Encrypt(r.cfg, plain)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url+"?"+wecomtest.CallbackQuery(r.cfg, r.now, enc),
		strings.NewReader(wecomtest.EnvelopeXML(r.cfg, enc)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := r.client.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: status %d: %s", text, resp.StatusCode, bytes.TrimSpace(body))
	}
	if baseline {
		if len(body) != 0 {
			return fmt.Errorf("baseline: unexpected body %q", body)
		}
		return nil
	}
	switch kind {
	case "list":
		c.lists++
	case "complete":
		c.completes++
	case "undo":
		c.undos++
	}
	if len(body) == 0 {
		c.async++
		if kind != "list" {
			c.unknown++
			u.items = nil
		}
		return nil
	}
	reply, err := openBenchReply(r.cfg, body)
	if err != nil {
		return fmt.Errorf("%s: %w", text, err)
	}
	switch kind {
	case "list":
		items, ok := parseList(reply)
		if !ok {
			return fmt.Errorf("%s: not a list: %q", text, reply)
		}
		u.items = items
	case "complete":
		switch {
		case strings.Contains(reply, "已标记完成"):
			c.completedOK++
			if n > 0 {
				u.items[n-1] = listItem{done: true, by: u.name}
			}
		case strings.Contains(reply, "完成"), n == 0 && strings.Contains(reply, "没有第"): // done before, or no such item
			c.noEffect++
			if n > 0 {
				u.items[n-1] = listItem{done: true}
			}
		default:
			return fmt.Errorf("%s: unexpected reply %q", text, reply)
		}
	case "undo":
		switch {
		case strings.Contains(reply, "已撤销完成"):
			c.undoneOK++
			u.items[n-1] = listItem{}
		case strings.Contains(reply, "撤销"): // undone by someone else meanwhile, or not allowed
			c.noEffect++
			u.items[n-1] = listItem{}
		default:
			return fmt.Errorf("%s: unexpected reply %q", text, reply)
		}
	}
	return nil
}

// openBenchReply verifies and decrypts a passive reply and returns its text. It reads the few
// fields by hand (no encoding/xml), so the clients take less of the machine the server runs on.
func openBenchReply(cfg wecom.Config, body []byte) (string, error) {
	enc, sig, ts, nonce := xmlField(body, "Encrypt"), xmlField(body, "MsgSignature"), xmlField(body, "TimeStamp"), xmlField(body, "Nonce")
	if enc == "" {
		return "", fmt.Errorf("reply envelope %q", body)
	}
	if wecomtest.Sign(cfg, ts, nonce, enc) != sig {
		return "", errors.New("reply signature mismatch")
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", err
	}
	key, err := base64.StdEncoding.DecodeString(cfg.AESKey + "=")
	if err != nil {
		return "", err
	}
	_, msg, recv, err := util.AESDecryptMsg(raw, key)
	if err != nil {
		return "", err
	}
	if string(recv) != cfg.CorpID {
		return "", fmt.Errorf("reply receive id %q", recv)
	}
	return xmlField(msg, "Content"), nil
}

// xmlField returns the text of <tag>…</tag> in b, CDATA unwrapped ("" when absent).
func xmlField(b []byte, tag string) string {
	_, rest, ok := bytes.Cut(b, []byte("<"+tag+">"))
	if !ok {
		return ""
	}
	v, _, ok := bytes.Cut(rest, []byte("</"+tag+">"))
	if !ok {
		return ""
	}
	if inner, ok := bytes.CutPrefix(v, []byte("<![CDATA[")); ok {
		v, _ = bytes.CutSuffix(inner, []byte("]]>"))
	}
	return string(v)
}
