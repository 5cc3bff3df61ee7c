package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/web"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/handlers"
	"github.com/planbot/planbot/store/postgres"
	"github.com/planbot/planbot/store/redisstate"
)

// cmdServe runs `planbot serve`.
func cmdServe(ctx context.Context, cfg Config, args []string, _ io.Reader, _, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	app, err := newApp(ctx, cfg, log, time.Now)
	if err != nil {
		return err
	}
	defer app.Close()
	return app.Serve(ctx)
}

// app is the running bot: the stores, the WeCom edge and the router, wired once.
type app struct {
	cfg      Config
	log      *slog.Logger
	now      bot.Clock
	store    *postgres.Store
	redis    redis.UniversalClient
	state    *redisstate.State
	conv     bot.State // state with the degraded-mode fallback
	cal      bot.Calendar
	team     bot.Team // the default unit: answers senders who belong to no unit
	router   *bot.Router
	client   *wecom.Client
	callback *wecom.Callback
	robot    *wecom.RobotCallback // nil when the smart robot is not configured
	web      *web.Server          // the pages under /app/ and /ics/; nil without PLANBOT_PUBLIC_URL
	sched    *schedule.Scheduler
	registry *prometheus.Registry
	metrics  *wecom.Metrics
	cmdSecs  prometheus.Histogram
	closers  []func()

	units *units             // routes each message to the sender's unit
	crash func(point string) // appOptions.crash
	// unitsTick re-reads the units and syncs the schedules; nil: every unitsEvery
	unitsTick <-chan time.Time
}

// serveWorkers is the job workers per queue of planbot serve (see newAppWith).
const serveWorkers = 16

// newApp checks the configuration, migrates the database and wires every part.
func newApp(ctx context.Context, cfg Config, log *slog.Logger, now bot.Clock) (*app, error) {
	return newAppWith(ctx, cfg, log, now, appOptions{})
}

// appOptions are test-only seams of newAppWith; production passes the zero value.
type appOptions struct {
	// scheduleClock is the schedules' clock, which is also River's (its periodic jobs fire by
	// it); nil: the wall clock. Production must never set River's test clock.
	scheduleClock bot.Clock
	// unitsTick, when set, replaces the half-minute re-read of the units (tests tick it).
	unitsTick <-chan time.Time
	// workers per job queue; 0: schedule's default (TestProvinceScale compares).
	workers int
	// crash, when set, is called at the named crash points ("dispatch": a verified message
	// about to be applied; "dispatched": applied, its reply recorded, nothing answered yet;
	// "answer": a reply staged for the API, not sent yet); a test blocks there for good to
	// stand for a process killed then.
	crash func(point string)
	// stageGrace is schedule.Deps.StageGrace, holdGrace its HoldGrace; 0: their defaults.
	stageGrace, holdGrace time.Duration
	// dispatchTimeout is the callback's wait before an empty 200 (wecom.WithDispatchTimeout);
	// 0: its default.
	dispatchTimeout time.Duration
}

// newAppWith is newApp with test seams. The parts are wired in the order they depend on each
// other: stores, calendar and units, metrics, the chat (client, router, commands), the
// schedules, then the edges; a failure closes what was opened.
func newAppWith(ctx context.Context, cfg Config, log *slog.Logger, now bot.Clock, opt appOptions) (*app, error) {
	if err := cfg.checkServe(); err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, now: now, unitsTick: opt.unitsTick, crash: opt.crash}
	ok := false
	defer func() {
		if !ok {
			a.Close()
		}
	}()
	if err := a.openStores(ctx); err != nil {
		return nil, err
	}
	if err := a.loadUnits(ctx); err != nil {
		return nil, err
	}
	a.newMetrics()
	if err := a.wireChat(); err != nil {
		return nil, err
	}
	if err := a.startSchedules(ctx, opt); err != nil {
		return nil, err
	}
	if err := a.wireEdges(opt); err != nil {
		return nil, err
	}
	ok = true
	return a, nil
}

// openStores migrates the database and opens PostgreSQL and Redis, with the conversation state
// that falls back to PostgreSQL's de-duplication when Redis is down.
func (a *app) openStores(ctx context.Context) error {
	var err error
	if err := postgres.Migrate(ctx, a.cfg.DatabaseURL); err != nil {
		return fmt.Errorf("数据库迁移失败 (migrate DATABASE_URL): %w", err)
	}
	if a.store, err = postgres.Open(ctx, a.cfg.DatabaseURL); err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	a.closers = append(a.closers, a.store.Close)

	redis.SetLogger(redisstate.DriverLog(a.log))
	if a.state, a.redis, err = redisstate.Open(a.cfg.RedisURL, redisstate.Options{Prefix: a.cfg.RedisPrefix, RatePerMinute: a.cfg.RatePerMin}); err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	a.closers = append(a.closers, func() { a.redis.Close() })
	a.conv = redisstate.Degrade(a.state, func(ctx context.Context, id string) (bool, error) {
		return a.store.SeenMessage(ctx, id, a.now())
	}, a.log)
	return nil
}

// loadUnits loads the holiday calendar, the default unit and the tree of units.
func (a *app) loadUnits(ctx context.Context) error {
	var err error
	if a.cfg.Holidays != "" {
		if a.cal, err = workday.LoadFile(a.cfg.Holidays); err != nil {
			return fmt.Errorf("PLANBOT_HOLIDAYS: %w", err)
		}
	} else {
		a.cal = workday.New()
	}
	if a.team, err = a.store.EnsureTeam(ctx, bot.DefaultTeam); err != nil {
		return fmt.Errorf("team %q: %w", bot.DefaultTeam, err)
	}
	if a.units, err = newUnits(ctx, a.store, a.team, a.log); err != nil {
		return fmt.Errorf("units: %w", err)
	}
	return nil
}

// newMetrics sets up the Prometheus registry: Go and process metrics, the edge's, and the time
// to answer one command.
func (a *app) newMetrics() {
	a.registry = prometheus.NewRegistry()
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a.metrics = wecom.NewMetrics(a.registry)
	a.cmdSecs = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "planbot_command_seconds",
		Help:    "Time to answer one chat command (router only).",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	})
	a.registry.MustRegister(a.cmdSecs)
}

// wireChat builds the WeCom API client and the router with every command registered.
func (a *app) wireChat() error {
	var err error
	httpc := &http.Client{Timeout: 10 * time.Second}
	if a.client, err = wecom.NewClient(a.cfg.WeCom, tokenCache(a.redis, a.state), httpc,
		wecom.WithPacer(a.state), wecom.WithClientMetrics(a.metrics),
		// A send cut off by a restart is retried; WeCom drops the repeat within 30 minutes.
		wecom.WithDuplicateCheck(30*time.Minute)); err != nil {
		return err
	}
	a.router = bot.NewRouter(a.conv, a.store, a.log)
	handlers.Register(a.router, handlers.Deps{Store: a.store, State: a.conv, Calendar: a.cal, Log: a.log,
		Export: chatExporter(a.store, a.cal, a.client),
		// Notices (an assignment, a completion by someone else) go out as durable deliveries.
		Notify: func(ctx context.Context, n handlers.Notice) error { return a.sched.Enqueue(ctx, noticeDelivery(n)) }})
	return nil
}

// startSchedules builds the scheduler (digests, reminders, deliveries and chores as River jobs
// on the store's pool).
func (a *app) startSchedules(ctx context.Context, opt appOptions) error {
	deps, err := scheduleDeps(ctx, a.cfg, a.store, a.cal, a.client, a.state, a.log)
	if err != nil {
		return err
	}
	deps.Periodic = true
	deps.ID = replicaID(a.cfg)
	deps.Robot = a.cfg.RobotOn         // the digest may tell people to @ the smart robot in the group
	deps.DayNumbering = a.dayNumbering // the digest's numbers are the ones 完成 N means in chat
	deps.Chores = a.chores()
	// River fetches a queue's free slots at most every 100 ms (FetchCooldown), so workers/0.1 s
	// bounds the sends per second: 16 gives ~160/s, a province's morning (1,000 digests and
	// 10,000 cards) in about 70 s, under WeCom's ~10,000 calls a minute per API for one replica.
	deps.Workers = serveWorkers
	deps.StageGrace, deps.HoldGrace = opt.stageGrace, opt.holdGrace
	deps.Redispatch = func(ctx context.Context, raw json.RawMessage) error {
		var in wecom.Inbound
		if err := json.Unmarshal(raw, &in); err != nil {
			return fmt.Errorf("held message: %w", err)
		}
		return a.callback.Redeliver(ctx, in)
	}
	if opt.workers > 0 {
		deps.Workers = opt.workers
	}
	if opt.scheduleClock != nil {
		deps.Clock = opt.scheduleClock
		// River's cleaner measures retention on the wall clock while jobs finish on this one: a
		// clock months behind would delete the day's finished run at once, its uniqueness too.
		deps.Retention = -1
	}
	if a.sched, err = schedule.New(ctx, deps); err != nil {
		return fmt.Errorf("schedules: %w", err)
	}
	a.registry.MustRegister(queueDepth{pool: deps.Pool})
	return nil
}

// wireEdges builds what receives messages: the app's callback, the smart robot's (when
// configured) and the pages (when PLANBOT_PUBLIC_URL is set).
func (a *app) wireEdges(opt appOptions) error {
	var err error
	timeout := []wecom.CallbackOption{}
	if opt.dispatchTimeout > 0 {
		timeout = append(timeout, wecom.WithDispatchTimeout(opt.dispatchTimeout))
	}
	if a.callback, err = wecom.NewCallback(a.cfg.WeCom, wecom.DispatcherFunc(a.dispatch), append(timeout,
		// A slow message answered with an empty 200 is held in the queue until it finished: a
		// crash before that leaves it to be dispatched again (Callback.Redeliver).
		wecom.WithHolder(holder{a.sched}),
		wecom.WithSender(durableReplies{c: a.client.WithoutDuplicateCheck(),
			sched: func() *schedule.Scheduler { return a.sched }, team: a.team.Name, log: a.log, crash: a.crash}), wecom.WithDeduper(a.conv), wecom.WithMetrics(a.metrics),
		wecom.WithLogger(a.log), wecom.WithClock(a.now), wecom.WithDedupTTL(bot.DedupTTL),
		// A click on a personal card rebuilds that card: the other items keep their buttons.
		wecom.WithCardRefresh(cardRefresher{store: a.store, cal: a.cal, numbers: a.dayNumbering, pages: a.cfg.PublicURL}.refresh))...); err != nil {
		return err
	}
	if a.cfg.RobotOn {
		if a.robot, err = wecom.NewRobotCallback(a.cfg.Robot, wecom.DispatcherFunc(a.dispatch),
			wecom.WithRobotDeduper(a.conv), wecom.WithRobotMetrics(a.metrics),
			wecom.WithRobotLogger(a.log), wecom.WithRobotClock(a.now)); err != nil {
			return err
		}
	}
	a.web, err = a.newServeWeb()
	return err
}

// dispatch turns one verified WeCom message into a router request for the sender's unit.
// The callback has already de-duplicated it on MsgId (or sender+time for events). All of it runs
// under the router's recovery (Router.Safely), the only one on a message's way.
//
// A message that took effect has its reply kept in the store before the callback answers
// (RecordReply): WeCom's retry of it after a crash cut the answer off gets that reply again,
// not one from the state the first delivery changed (早已完成 for the completion it made).
func (a *app) dispatch(ctx context.Context, in wecom.Inbound) (bot.Reply, error) {
	req := in.Request(a.now())
	return a.router.Safely(req, func() (bot.Reply, error) {
		if rep, ok := a.recordedReply(ctx, in, req); ok {
			return rep, nil
		}
		rep, err := a.dispatchUnit(ctx, in, req)
		if err == nil && req.Effects.Count() > 0 {
			if rerr := a.store.RecordReply(ctx, req.MsgID, rep, req.Now); rerr != nil {
				a.log.Warn("reply not recorded; a retry after a crash is answered afresh", "err", rerr, "user", req.UserID)
			}
		}
		if a.crash != nil {
			a.crash("dispatched")
		}
		return rep, err
	})
}

// recordedReply returns the reply kept for an earlier delivery of req's message (a WeCom
// retry); a failing store is logged and the message dispatched (its effects are keyed).
//
// Only a delivery that can be a retry pays the read (it doubled PostgreSQL's CPU per message
// in the callback benchmark): WeCom retries a message 5 s after it sent it without an answer,
// so one younger than retryAge by its CreateTime (WeCom's clock) is a first delivery. A
// message without a time of its own (the smart robot's) always can be a retry: dispatched
// afresh, a correction (不对，是第4项) would undo what its first delivery completed.
func (a *app) recordedReply(ctx context.Context, in wecom.Inbound, req *bot.Request) (bot.Reply, bool) {
	if req.MsgID == "" || (in.CreateTime != 0 && !in.NoCreateTime && req.Now.Sub(time.Unix(in.CreateTime, 0)) < retryAge) {
		return bot.Reply{}, false
	}
	rep, ok, err := a.store.RecordedReply(ctx, req.MsgID)
	if err != nil {
		a.log.Warn("recorded reply unavailable; dispatching", "err", err, "user", req.UserID)
		return bot.Reply{}, false
	}
	return rep, ok
}

// dispatchUnit routes req to the sender's unit (a card's unit, a group's unit, a unit named at
// the start of the text, else their primary unit) and has the router answer it there.
func (a *app) dispatchUnit(ctx context.Context, in wecom.Inbound, req *bot.Request) (bot.Reply, error) {
	start := time.Now()
	if in.MsgType == wecom.MsgTypeEvent && in.Event == wecom.EventEnterAgent && !a.firstEnterToday(ctx, req) {
		return bot.Reply{}, nil // greeted already today: opening the app again says nothing
	}
	var cardTeam int64
	if in.Event == wecom.EventTemplateCard {
		cardTeam, _, _ = schedule.ParseCardTaskID(wecom.BaseTaskID(in.TaskID))
	} else if in.ChatID != "" {
		cardTeam = a.units.groupUnit(in.ChatID) // @ the smart robot in a unit's group: that unit
	}
	rt, err := a.units.resolve(ctx, req.UserID, req.Text, cardTeam, in.ChatID != "")
	if err != nil {
		a.log.Error("route to unit", "err", err, "user", req.UserID)
		return bot.TextReply(bot.ErrorMessage(err)), err
	}
	if rt.Reply != nil {
		return *rt.Reply, nil
	}
	req.Team, req.Text, req.Access = rt.Team, rt.Text, rt.Access
	if a.crash != nil {
		a.crash("dispatch")
	}
	rep, err := a.router.Handle(ctx, req)
	if f := strings.Fields(rt.Text); len(f) > 0 {
		if c, ok := a.router.Lookup(f[0]); ok && c.Name == handlers.SwitchCommand {
			rt.Label = "" // 切换 names the units itself; the label would be the unit just left
		}
	}
	rep = labelled(rep, rt.Label)
	a.cmdSecs.Observe(time.Since(start).Seconds())
	// The error travels with its rendered reply: the edge shows the reply and updates a clicked
	// card only when the command succeeded.
	return rep, err
}

// retryAge is the age (by its CreateTime) from which a delivery may be WeCom's retry: WeCom
// waits 5 s for an answer; 2 s of that are left for the clocks to differ.
const retryAge = 3 * time.Second

// replicaID is the River client ID of this serve replica (schedule.Deps.ID): PLANBOT_REPLICA_ID,
// else hostname/listen address, the same after a restart of the process on the same host
// and port (a container keeps its hostname). A port 0 (tests, ad-hoc runs) gets none: a random
// ID, and a crashed process's jobs wait for River's rescue.
func replicaID(cfg Config) string {
	if cfg.ReplicaID != "" {
		return cfg.ReplicaID
	}
	_, port, err := net.SplitHostPort(cfg.Listen)
	host, herr := os.Hostname()
	if err != nil || port == "0" || port == "" || herr != nil {
		return ""
	}
	return "serve/" + host + "/" + cfg.Listen
}

// firstEnterToday reports whether this is the user's first enter_agent (opening the app) of the
// day in Shanghai: every opening used to get the greeting (issue #16 finding 9), once a day is
// enough. With Redis down the store's message table remembers it (Degrade's fallback).
func (a *app) firstEnterToday(ctx context.Context, req *bot.Request) bool {
	day := req.Now.In(bot.Shanghai).Format(time.DateOnly)
	first, err := a.conv.FirstSeen(ctx, "greet:"+req.UserID+":"+day, 36*time.Hour)
	if err != nil {
		return true // better greet twice than not answer
	}
	return first
}

// Handler is the HTTP surface: the callback, health, readiness and metrics.
func (a *app) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(a.cfg.CallbackPath, a.callback)
	if a.robot != nil {
		mux.Handle(a.cfg.Robot.CallbackPath(), a.robot)
	}
	if a.web != nil {
		mux.Handle("/app/", a.web)
		mux.Handle("/ics/", a.web)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		var bad []string
		if err := a.store.Ping(ctx); err != nil {
			bad = append(bad, "postgresql")
		}
		if len(bad) > 0 {
			http.Error(w, "not ready: "+strings.Join(bad, ", "), http.StatusServiceUnavailable)
			return
		}
		// Without Redis chat keeps working degraded (PostgreSQL fallback): stay in the load
		// balancer and say so, rather than pulling every replica for a Redis blip.
		if err := a.state.Ping(ctx); err != nil {
			io.WriteString(w, "ready (degraded: redis)\n")
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{
		// A failing collector (queue depth during a PostgreSQL outage) drops its own series,
		// not the whole scrape: the other metrics are needed most exactly then.
		ErrorHandling: promhttp.ContinueOnError,
	}))
	return mux
}

// Serve listens until ctx ends, then shuts down gracefully: in-flight callbacks and the
// replies they send asynchronously are finished before the stores close.
func (a *app) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("PLANBOT_LISTEN: %w", err)
	}
	return a.serveOn(ctx, ln)
}

// serveOn is Serve on a listener the caller opened (BenchmarkCallbackPath uses a loopback port).
func (a *app) serveOn(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	// River cancels running jobs when its start context ends, which could cut a send off
	// mid-request; it is stopped explicitly below, after the HTTP side has drained.
	if err := a.sched.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("schedules: %w", err)
	}
	a.log.Info("planbot serving", "addr", ln.Addr().String(), "callback", a.cfg.CallbackPath, "wecom", a.cfg.WeCom)
	tick := a.unitsTick
	if tick == nil {
		t := time.NewTicker(unitsEvery)
		defer t.Stop()
		tick = t.C
	}
	wctx, stopWatch := context.WithCancel(ctx)
	waitWatch := a.units.watch(wctx, a.sched, tick)
	defer func() { stopWatch(); waitWatch() }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		_ = a.sched.Stop(context.Background())
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	a.callback.Wait()
	if a.robot != nil {
		a.robot.Wait()
	}
	if serr := a.sched.Stop(sctx); serr != nil && err == nil {
		err = serr
	}
	return err
}

// Close releases the stores in reverse order of opening.
func (a *app) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

// queueDepth exports the background jobs waiting or failed, per queue, read at scrape time.
type queueDepth struct{ pool *pgxpool.Pool }

var queueDepthDesc = prometheus.NewDesc("planbot_queue_depth",
	"Background jobs (digests, reminders, deliveries) pending per queue; queue=failed counts discarded ones.",
	[]string{"queue"}, nil)

// Describe implements prometheus.Collector.
func (q queueDepth) Describe(ch chan<- *prometheus.Desc) { ch <- queueDepthDesc }

// Collect implements prometheus.Collector.
func (q queueDepth) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	depth, err := schedule.QueueDepth(ctx, q.pool)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queueDepthDesc, err)
		return
	}
	for _, queue := range []string{schedule.QueueRun, schedule.QueueDeliver, "failed"} {
		if _, ok := depth[queue]; !ok {
			depth[queue] = 0 // an empty queue is a zero, not a missing series
		}
	}
	for queue, n := range depth {
		ch <- prometheus.MustNewConstMetric(queueDepthDesc, prometheus.GaugeValue, float64(n), queue)
	}
}

// dayNumbering is the team's numbering of the day, shared by the chat lists, the morning
// digest and the cards (handlers.DayNumbering over the conversation state).
func (a *app) dayNumbering(ctx context.Context, team bot.Team, day bot.Date, fresh []string) []string {
	key := team.Name
	if key == "" {
		key = bot.DefaultTeam
	}
	return handlers.DayNumbering(ctx, a.conv, key, day, fresh)
}
