package schedule

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/planbot/planbot/bot"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// countJobs counts jobs of a kind in a state ("" any) whose args match where (SQL on args).
func countJobs(t *testing.T, s *Scheduler, kind string, states ...rivertype.JobState) []*rivertype.JobRow {
	t.Helper()
	if len(states) == 0 {
		states = rivertype.JobStates()
	}
	r, err := s.Client().JobList(context.Background(), river.NewJobListParams().Kinds(kind).States(states...).First(1000))
	if err != nil {
		t.Fatal(err)
	}
	return r.Jobs
}

// waitDeliveriesDone waits until no delivery of origin is unfinished, by polling with a ticker.
func waitDeliveriesDone(t *testing.T, s *Scheduler, origin string) []*rivertype.JobRow {
	t.Helper()
	ctx := ctxT(t)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		jobs, err := s.deliveries(ctx, origin)
		if err != nil {
			t.Fatal(err)
		}
		done := len(jobs) > 0
		for _, j := range jobs {
			if j.FinalizedAt == nil {
				done = false
			}
		}
		if done {
			return jobs
		}
		select {
		case <-ctx.Done():
			t.Fatalf("deliveries of %s not finished", origin)
		case <-tick.C:
		}
	}
}

// Two replicas on one database send one group digest and one card per member, both with the
// digest due in two seconds (30 8 * * *) and with a one-minute schedule (* * * * *), which
// fires on start and again at 08:30.
func TestTwoReplicasOneDigest(t *testing.T) {
	for _, spec := range []string{DefaultDigestCron, "* * * * *"} {
		t.Run(spec, func(t *testing.T) {
			pool, schema := testPool(t)
			st, _ := sample(t)
			snd := newSender()
			clock := offsetClock(shanghai(2026, 2, 13, 8, 29, 58))
			var reps []*Scheduler
			for range 2 {
				d := testDeps(pool, schema, st, snd, clock)
				d.Periodic = true
				d.DigestCron = spec
				reps = append(reps, startScheduler(t, d))
			}
			snd.wait(t)
			jobs := waitDeliveriesDone(t, reps[0], "digest/default/2026-02-13")
			if spec == "* * * * *" { // wait for the 08:30 fire: its run is a duplicate, skipped
				waitFor(t, func() bool { return clock().After(shanghai(2026, 2, 13, 8, 30, 1)) })
			}
			digestRuns := 0
			for _, r := range countJobs(t, reps[0], RunArgs{}.Kind()) {
				if strings.Contains(string(r.EncodedArgs), `"digest"`) {
					digestRuns++
					if !strings.Contains(string(r.Metadata), `"periodic"`) {
						t.Errorf("digest run not from the periodic scheduler: %s", r.Metadata)
					}
				}
			}
			if digestRuns != 1 {
				t.Fatalf("digest runs = %d, want 1", digestRuns)
			}
			if got := snd.groups(); got != 1 {
				t.Fatalf("group digests sent = %d, want 1", got)
			}
			// Cards: li (overdue + unassigned due today), boss and zhang (unassigned due today).
			if len(jobs) != 4 || len(snd.all()) != 4 {
				t.Fatalf("deliveries = %d, sent = %d, want 4 (group + 3 cards)", len(jobs), len(snd.all()))
			}
		})
	}
}

// waitFor polls cond with a ticker until it holds, failing after a timeout.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	timeout := time.After(20 * time.Second)
	for !cond() {
		select {
		case <-tick.C:
		case <-timeout:
			t.Fatal("condition not met in time")
		}
	}
}

// A replica that comes back after the digest time on a workday morning sends the missed digest.
func TestCatchUpAfterDowntime(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	snd := newSender()
	d := testDeps(pool, schema, st, snd, offsetClock(shanghai(2026, 2, 13, 9, 10, 0)))
	d.Periodic = true
	d.TeamConfig = func(bot.Team) TeamConfig { return TeamConfig{DigestCron: DefaultDigestCron} }
	s := startScheduler(t, d)
	msg := snd.wait(t)
	if msg.To != ToGroup || !strings.Contains(msg.Markdown, "上报资助名单") {
		t.Fatalf("first message = %+v, want the group digest", msg)
	}
	waitDeliveriesDone(t, s, "digest/default/2026-02-13")
	if snd.groups() != 1 {
		t.Fatalf("group digests = %d", snd.groups())
	}
}

// A replica that comes back late in the evening sends none of the day's morning runs (digest,
// cards, reminders, escalations): they are stale; tomorrow's come on time.
func TestNoCatchUpLateInTheDay(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	snd := newSender()
	d := testDeps(pool, schema, st, snd, offsetClock(shanghai(2026, 2, 13, 23, 39, 0)))
	d.Periodic = true
	// The reminders fire every minute: their run at 23:39 is the schedule's own, and shows that
	// the leader has run the start-up constructors of every kind.
	d.TeamConfig = func(bot.Team) TeamConfig {
		c := DefaultTeamConfig()
		c.RemindCron = "* * * * *"
		return c
	}
	s := startScheduler(t, d)
	runs := func() []string {
		var out []string
		for _, r := range countJobs(t, s, RunArgs{}.Kind()) {
			out = append(out, string(r.EncodedArgs))
		}
		return out
	}
	waitFor(t, func() bool {
		return slices.ContainsFunc(runs(), func(r string) bool { return strings.Contains(r, `"remind"`) })
	})
	for _, r := range runs() {
		if !strings.Contains(r, `"remind"`) {
			t.Errorf("a stale run was inserted at 23:39: %s", r)
		}
	}
	for _, m := range snd.all() {
		if m.To == ToGroup && strings.Contains(m.Markdown, "工作清单") || m.Card != nil {
			t.Errorf("morning message sent at 23:39: %+v", m)
		}
	}
}

// due: at the schedule's own fire, within the morning catch-up window, not after it.
func TestCatchUpWindow(t *testing.T) {
	c := mustCron(t, DefaultDigestCron)
	day := bot.NewDate(2026, 2, 13)
	for _, tc := range []struct {
		at    time.Time
		until time.Duration
		want  bool
	}{
		{shanghai(2026, 2, 13, 8, 30, 0), 0, true},
		{shanghai(2026, 2, 13, 9, 10, 0), 0, true},
		{shanghai(2026, 2, 13, 11, 59, 0), 0, true},
		{shanghai(2026, 2, 13, 12, 1, 0), 0, false},
		{shanghai(2026, 2, 13, 23, 39, 0), 0, false},
		{shanghai(2026, 2, 13, 15, 0, 0), 18 * time.Hour, true}, // a team working till 18:00
		{shanghai(2026, 2, 13, 9, 10, 0), 9 * time.Hour, false},
	} {
		got, ok := due(c, calendar2026{}, tc.at, tc.until)
		if ok != tc.want || ok && got != day {
			t.Errorf("due at %s (until %v) = %v %v, want %v", tc.at.Format("15:04"), tc.until, got, ok, tc.want)
		}
	}
	// A late schedule's own fire is never "too late": a weekly summary at 15:30.
	weekly := mustCron(t, "30 15 * * 5")
	if _, ok := due(weekly, calendar2026{}, shanghai(2026, 2, 13, 15, 30, 5), 0); !ok {
		t.Error("the weekly summary's own 15:30 fire is not due")
	}
	if _, ok := due(weekly, calendar2026{}, shanghai(2026, 2, 13, 16, 30, 0), 0); ok {
		t.Error("the weekly summary caught up at 16:30")
	}
}

// Before the digest time, a starting replica sends nothing yet.
func TestNoCatchUpBeforeTime(t *testing.T) {
	if _, ok := due(mustCron(t, DefaultDigestCron), calendar2026{}, shanghai(2026, 2, 13, 8, 0, 0), 0); ok {
		t.Fatal("due before 08:30")
	}
	if d, ok := due(mustCron(t, DefaultDigestCron), calendar2026{}, shanghai(2026, 2, 13, 8, 30, 0), 0); !ok || d != bot.NewDate(2026, 2, 13) {
		t.Fatal("not due at 08:30")
	}
	for day := 16; day <= 20; day++ {
		if _, ok := due(mustCron(t, DefaultDigestCron), calendar2026{}, shanghai(2026, 2, day, 9, 0, 0), 0); ok {
			t.Fatalf("due on holiday 02-%d", day)
		}
	}
	if _, ok := due(mustCron(t, DefaultDigestCron), calendar2026{}, shanghai(2026, 2, 14, 9, 0, 0), 0); !ok {
		t.Fatal("not due on make-up Saturday 02-14")
	}
}

func mustCron(t *testing.T, spec string) CronSchedule {
	t.Helper()
	c, err := ParseCron(spec, bot.Shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A crash after rendering, before sending: the next replica delivers each message once.
func TestCrashBetweenRenderAndSend(t *testing.T) {
	pool, schema := testPool(t)
	st, team := sample(t)
	snd := newSender()
	clock := offsetClock(shanghai(2026, 2, 13, 8, 30, 0))
	d := testDeps(pool, schema, st, snd, clock)
	d.Queues = []string{QueueRun} // this replica renders but "dies" before sending
	a := startScheduler(t, d)
	events, cancel := a.Client().Subscribe(river.EventKindJobCompleted)
	defer cancel()
	if _, err := a.Client().Insert(ctxT(t), RunArgs{Team: bot.DefaultTeam, What: KindDigest, Date: "2026-02-13"}, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-events:
		if ev.Job.Kind != (RunArgs{}).Kind() {
			t.Fatalf("completed %s", ev.Job.Kind)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not complete")
	}
	if err := a.Client().StopAndCancel(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if n := len(snd.all()); n != 0 {
		t.Fatalf("sent %d before restart", n)
	}
	pending := countJobs(t, a, DeliverArgs{}.Kind(), rivertype.JobStateAvailable)
	if len(pending) != 4 {
		t.Fatalf("pending deliveries = %d, want 4", len(pending))
	}
	d2 := testDeps(pool, schema, st, snd, clock)
	b := startScheduler(t, d2)
	waitDeliveriesDone(t, b, "digest/default/2026-02-13")
	// A second run of the same render (say, rescued after the crash) adds nothing.
	res, err := b.SendDigest(ctxT(t), team, bot.NewDate(2026, 2, 13))
	if err != nil || !res.AlreadySent {
		t.Fatalf("SendDigest again = %+v, %v", res, err)
	}
	if snd.groups() != 1 || len(snd.all()) != 4 {
		t.Fatalf("sent %d (group %d), want 4 (group 1)", len(snd.all()), snd.groups())
	}
}

// The Spring Festival week sends nothing; the make-up Saturday before it does.
func TestHolidayWeekAndMakeupDay(t *testing.T) {
	pool, schema := testPool(t)
	st, team := sample(t)
	snd := newSender()
	s := startScheduler(t, testDeps(pool, schema, st, snd, offsetClock(shanghai(2026, 2, 16, 8, 30, 0))))
	for day := 16; day <= 20; day++ {
		for _, k := range Kinds {
			msgs, err := s.Render(ctxT(t), team, k, bot.NewDate(2026, 2, day))
			if err != nil || len(msgs) != 0 {
				t.Fatalf("%s 02-%d: %d messages, %v", k, day, len(msgs), err)
			}
		}
		res, err := s.SendDigest(ctxT(t), team, bot.NewDate(2026, 2, day))
		if err != nil || res.Workday || res.Messages != 0 {
			t.Fatalf("02-%d: %+v, %v", day, res, err)
		}
	}
	if n := len(snd.all()); n != 0 {
		t.Fatalf("sent %d in the holiday week", n)
	}
	res, err := s.SendDigest(ctxT(t), team, bot.NewDate(2026, 2, 14))
	if err != nil || !res.Workday || res.Messages == 0 {
		t.Fatalf("02-14: %+v, %v", res, err)
	}
	if snd.groups() != 1 {
		t.Fatalf("group digests on 02-14 = %d, want 1", snd.groups())
	}
}

// A rate-limited send (45009) is snoozed and arrives later, once.
func TestRateLimitedSnoozedOnce(t *testing.T) {
	pool, schema := testPool(t)
	st, team := sample(t)
	snd := newSender()
	snd.Fail = func(to string, n int) error {
		if to == ToGroup && n <= 2 {
			return &apiError{Code: 45009, Msg: "api freq out of limit"}
		}
		return nil
	}
	s := startScheduler(t, testDeps(pool, schema, st, snd, offsetClock(shanghai(2026, 2, 13, 8, 30, 0))))
	res, err := s.SendDigest(ctxT(t), team, bot.NewDate(2026, 2, 13))
	if err != nil {
		t.Fatal(err)
	}
	if res.AlreadySent || res.Messages != 4 {
		t.Fatalf("result %+v", res)
	}
	if snd.groups() != 1 {
		t.Fatalf("group digests = %d, want 1", snd.groups())
	}
	snd.mu.Lock()
	calls := snd.calls[ToGroup]
	snd.mu.Unlock()
	if calls != 3 {
		t.Fatalf("group send calls = %d, want 3 (two rate-limited)", calls)
	}
	for _, j := range countJobs(t, s, DeliverArgs{}.Kind()) {
		if strings.Contains(string(j.EncodedArgs), `"@group"`) {
			if n := snoozes(j.Metadata); n != 2 {
				t.Fatalf("group delivery snoozes = %d, want 2", n)
			}
			if j.Attempt != 1 {
				t.Fatalf("snoozes counted as attempts: %d of %d", j.Attempt, j.MaxAttempts)
			}
		}
	}
}

// SendDigestNowResult twice in a row sends one group digest; the second reports "already sent".
func TestSendDigestNowTwiceSequential(t *testing.T) {
	pool, schema := testPool(t)
	st, team := sample(t)
	snd := newSender()
	d := testDeps(pool, schema, st, snd, offsetClock(shanghai(2026, 2, 13, 10, 0, 0)))
	day := bot.NewDate(2026, 2, 13)
	r1, err := SendDigestNowResult(ctxT(t), d, team, day)
	if err != nil || r1.AlreadySent || r1.Messages != 4 {
		t.Fatalf("first: %+v, %v", r1, err)
	}
	r2, err := SendDigestNowResult(ctxT(t), d, team, day)
	if err != nil || !r2.AlreadySent {
		t.Fatalf("second: %+v, %v", r2, err)
	}
	if snd.groups() != 1 || len(snd.all()) != 4 {
		t.Fatalf("sent %d (group %d), want 4 (group 1)", len(snd.all()), snd.groups())
	}
	if !strings.Contains(r2.String(), "已发送过") {
		t.Fatalf("second result text %q", r2.String())
	}
}

// Two SendDigestNowResult at once, while WeCom answers the first sends with 45009: one group digest.
func TestSendDigestNowConcurrentRateLimited(t *testing.T) {
	pool, schema := testPool(t)
	st, team := sample(t)
	snd := newSender()
	snd.Fail = func(to string, n int) error {
		if n <= 2 {
			return &apiError{Code: 45009, Msg: "api freq out of limit"}
		}
		return nil
	}
	clock := offsetClock(shanghai(2026, 2, 13, 10, 0, 0))
	day := bot.NewDate(2026, 2, 13)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	res := make([]SendResult, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i], errs[i] = SendDigestNowResult(ctxT(t), testDeps(pool, schema, st, snd, clock), team, day)
		}()
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
	}
	if res[0].AlreadySent == res[1].AlreadySent {
		t.Fatalf("exactly one run should insert: %+v", res)
	}
	if snd.groups() != 1 || len(snd.all()) != 4 {
		t.Fatalf("sent %d (group %d), want 4 (group 1)", len(snd.all()), snd.groups())
	}
}

// A message enqueued in a rolled-back transaction never goes out; a committed one does, once.
func TestEnqueueTx(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	snd := newSender()
	s := startScheduler(t, testDeps(pool, schema, st, snd, offsetClock(shanghai(2026, 2, 13, 10, 0, 0))))
	ctx := ctxT(t)
	msg := DeliverArgs{Key: "assign/default/k-mar/li", Team: bot.DefaultTeam, To: "li", Markdown: "你被分配了：发放助学金"}
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnqueueTx(ctx, tx, DeliverArgs{Key: "rolled/back", Team: bot.DefaultTeam, To: "li", Markdown: "x"}); err != nil {
		t.Fatal(err)
	}
	_ = tx.Rollback(ctx)
	for range 2 { // the same key twice: one message
		if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return s.EnqueueTx(ctx, tx, msg) }); err != nil {
			t.Fatal(err)
		}
	}
	got := snd.wait(t)
	if got.To != "li" || got.Markdown != msg.Markdown {
		t.Fatalf("got %+v", got)
	}
	if n := len(countJobs(t, s, DeliverArgs{}.Kind())); n != 1 {
		t.Fatalf("deliver jobs = %d, want 1", n)
	}
}

// fakePacer makes the first call per key wait.
type fakePacer struct {
	mu   sync.Mutex
	seen map[string]int
}

func (p *fakePacer) Pace(_ context.Context, key string, perMinute, perHour int, _ time.Time) (time.Duration, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen[key]++
	if p.seen[key] == 1 {
		return 40 * time.Millisecond, nil
	}
	return 0, nil
}

// Pacing snoozes; the message still arrives once. A delivery that keeps failing is discarded,
// listed by ListJobs with its error, and RetryJob sends it.
func TestPacingFailureListAndRetry(t *testing.T) {
	pool, schema := testPool(t)
	st, team := sample(t)
	snd := newSender()
	var broken sync.Mutex
	failing := true
	snd.Fail = func(to string, n int) error {
		broken.Lock()
		defer broken.Unlock()
		if to == "li" && failing {
			return errBoom
		}
		return nil
	}
	d := testDeps(pool, schema, st, snd, offsetClock(shanghai(2026, 2, 13, 10, 0, 0)))
	pacer := &fakePacer{seen: map[string]int{}}
	d.Pacer = pacer
	d.MaxAttempts = 1
	s := startScheduler(t, d)
	_, err := s.SendDigest(ctxT(t), team, bot.NewDate(2026, 2, 13))
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("SendDigest err = %v, want ErrFailed", err)
	}
	if pacer.seen[paceKey(team, ToGroup)] != 2 || pacer.seen["deliver:member:li"] != 2 || strings.Contains(paceKey(team, ToGroup), "webhook:k") {
		t.Fatalf("pacer calls %v", pacer.seen)
	}
	if snd.groups() != 1 {
		t.Fatalf("group digests = %d", snd.groups())
	}
	jobs, err := ListJobs(ctxT(t), pool)
	if err != nil {
		t.Fatal(err)
	}
	if depth, err := QueueDepth(ctxT(t), pool); err != nil || depth["failed"] != 1 || depth[QueueDeliver] != 0 {
		t.Fatalf("QueueDepth = %v, %v", depth, err)
	}
	if len(jobs) != 1 || jobs[0].State != "discarded" || jobs[0].Summary != "digest/default/2026-02-13/card/li" || jobs[0].LastError != "boom" {
		t.Fatalf("ListJobs = %+v", jobs)
	}
	broken.Lock()
	failing = false
	broken.Unlock()
	if _, err := s.RetryJob(ctxT(t), jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	for {
		if m := snd.wait(t); m.To == "li" {
			if m.Card == nil || m.Card.Items[0].EventKey != "done:k-over" {
				t.Fatalf("li's card %+v", m.Card)
			}
			break
		}
	}
	waitDeliveriesDone(t, s, "digest/default/2026-02-13")
	if jobs, _ := ListJobs(ctxT(t), pool); len(jobs) != 0 {
		t.Fatalf("after retry ListJobs = %+v", jobs)
	}
}

// Migrate is safe to run concurrently on an empty schema, and again.
func TestMigrateTwiceConcurrently(t *testing.T) {
	pool, _ := emptyPool(t)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = Migrate(ctxT(t), pool) }()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := Migrate(ctxT(t), pool); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctxT(t), "SELECT count(*) FROM river_job").Scan(&n); err != nil {
		t.Fatalf("river_job missing after Migrate: %v", err)
	}
}
