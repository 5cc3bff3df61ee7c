package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/planbot/planbot/bot"
)

// wireSender stands for WeCom at the other end of the wire: it receives every request (got),
// and then, per request, answers, or never answers (hang: the process sending it is killed
// while it waits), or answers nothing before the client timeout (noAnswer).
type wireSender struct {
	mu       sync.Mutex
	got      map[string]int // recipient -> requests received
	hang     func(to string, n int) bool
	noAnswer func(to string, n int) bool
	reached  chan string
	release  chan struct{}
}

func newWire() *wireSender {
	return &wireSender{got: map[string]int{}, reached: make(chan string, 100), release: make(chan struct{})}
}

// errNoAnswer is a send whose request went out and whose answer never came (the client's
// timeout), as *wecom.TransportError without a status reports it.
type errNoAnswer struct{}

func (errNoAnswer) Error() string {
	return "wecom webhook/send: context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
}
func (errNoAnswer) MaybeDelivered() bool { return true }

func (w *wireSender) send(to string) error {
	w.mu.Lock()
	w.got[to]++
	n := w.got[to]
	hang, noAnswer := w.hang, w.noAnswer
	w.mu.Unlock()
	if hang != nil && hang(to, n) {
		w.reached <- to
		<-w.release // the process is dead: this send never returns to it
		return nil
	}
	if noAnswer != nil && noAnswer(to, n) {
		return errNoAnswer{}
	}
	return nil
}

func (w *wireSender) SendGroup(_ context.Context, _ bot.Team, _ string) error { return w.send(ToGroup) }
func (w *wireSender) SendUserMarkdown(_ context.Context, user, _ string) error {
	return w.send(user)
}
func (w *wireSender) SendUserCard(_ context.Context, user string, _ bot.Card) error {
	return w.send(user)
}

func (w *wireSender) received() map[string]int {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]int{}
	for k, v := range w.got {
		out[k] = v
	}
	return out
}

// Finding 3: the process is killed (kill -9) while the morning fan-out is under way, in the
// middle of the group message's request. Its restart (same replica ID) resumes its unfinished
// deliveries at once, not after River's rescue delay (1000 days here, 5 minutes in production),
// sends every other message once, and does not repeat the one cut off mid-request: that one
// is cancelled as in doubt, listed, and sent again only when the operator retries it.
func TestKilledMidFanOutResumesPromptlyWithoutDoubles(t *testing.T) {
	pool, schema := testPool(t)
	st, team := sample(t)
	clock := offsetClock(shanghai(2026, 2, 13, 8, 30, 0))
	wire := newWire()
	wire.hang = func(to string, n int) bool { return to == ToGroup && n == 1 }

	d := testDeps(pool, schema, st, wire, clock)
	d.ID, d.Workers = "replica-1", 1 // its one sender is stuck from the crash on: it fetches nothing more
	dead := startScheduler(t, d)
	t.Cleanup(func() { close(wire.release) }) // runs before dead's Stop
	if _, err := dead.Client().Insert(ctxT(t), RunArgs{Team: bot.DefaultTeam, What: KindDigest, Date: "2026-02-13"}, nil); err != nil {
		t.Fatal(err)
	}
	<-wire.reached // WeCom has the group message; the process "dies" before the answer

	restarted := startScheduler(t, testDeps(pool, schema, st, wire, clock).withID("replica-1"))
	jobs := waitDeliveriesDone(t, restarted, "digest/default/2026-02-13")
	got := wire.received()
	for to, n := range got {
		if n != 1 {
			t.Errorf("%s received %d messages, want 1 (received: %v)", to, n, got)
		}
	}
	if len(got) != len(jobs) {
		t.Errorf("recipients %v, deliveries %d: every delivery must reach its recipient once", got, len(jobs))
	}
	var doubt *rivertype.JobRow
	for _, j := range jobs {
		if j.State == rivertype.JobStateCancelled {
			doubt = j
		} else if j.State != rivertype.JobStateCompleted {
			t.Errorf("delivery %d %s, want completed", j.ID, j.State)
		}
	}
	if doubt == nil || len(doubt.Errors) == 0 || !strings.Contains(doubt.Errors[len(doubt.Errors)-1].Error, "无法确认") {
		t.Fatalf("the delivery cut off mid-request is not cancelled as in doubt: %+v", doubt)
	}
	// The operator checked the group and retries it: it goes out.
	if _, err := restarted.RetryJob(ctxT(t), doubt.ID); err != nil {
		t.Fatal(err)
	}
	waitDeliveriesDone(t, restarted, "digest/default/2026-02-13")
	if n := wire.received()[ToGroup]; n != 2 {
		t.Fatalf("after the operator's retry the group received %d, want 2 (the retry sends)", n)
	}
	_ = team
}

func (d Deps) withID(id string) Deps { d.ID = id; return d }

// Finding 4: WeCom answers slower than the client's timeout. The group message reached it;
// the send reports no answer. It is not sent again (the issue saw every group part twice);
// a card that got an HTTP 500 (WeCom said no) is retried and arrives once.
func TestSlowWeComNoDoubleGroup(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	clock := offsetClock(shanghai(2026, 2, 13, 8, 30, 0))
	wire := newWire()
	wire.noAnswer = func(to string, n int) bool { return to == ToGroup }
	var once sync.Once
	failing := &failFirst{wireSender: wire, fail: func(to string) bool {
		hit := false
		if to != ToGroup {
			once.Do(func() { hit = true })
		}
		return hit
	}}
	s := startScheduler(t, testDeps(pool, schema, st, failing, clock))
	if _, err := s.Client().Insert(ctxT(t), RunArgs{Team: bot.DefaultTeam, What: KindDigest, Date: "2026-02-13"}, nil); err != nil {
		t.Fatal(err)
	}
	jobs := waitDeliveriesDone(t, s, "digest/default/2026-02-13")
	got := wire.received()
	if got[ToGroup] != 1 {
		t.Fatalf("the group received %d messages from a WeCom slower than the timeout, want 1", got[ToGroup])
	}
	completed := 0
	for _, j := range jobs {
		if j.State == rivertype.JobStateCompleted {
			completed++
		}
	}
	if completed != len(jobs)-1 {
		t.Fatalf("%d of %d deliveries completed, want all but the group one (in doubt)", completed, len(jobs))
	}
	for to, n := range got {
		if n != 1 {
			t.Errorf("%s received %d, want 1", to, n)
		}
	}
}

// failFirst answers an HTTP 500 (before WeCom takes the message) when fail says so.
type failFirst struct {
	*wireSender
	fail func(to string) bool
}

var errHTTP500 = errors.New("wecom message/send: HTTP 500")

func (f *failFirst) SendUserCard(ctx context.Context, user string, c bot.Card) error {
	if f.fail(user) {
		return errHTTP500
	}
	return f.wireSender.SendUserCard(ctx, user, c)
}

// #16 item 4: an answer staged before the callback answers WeCom (Stage) is sent once, as its
// job's first attempt (Send), and the queue never sends it again; a second Stage of the same
// key (a retried message) stages nothing; a first send cut off without an answer is in doubt,
// not resent, until the operator retries it; one whose process died before sending it is sent
// by the queue after the sweep (releaseStaged); and a Send after the sweep sends nothing more.
func TestStagedAnswerSentOnce(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	wire := newWire()
	d := testDeps(pool, schema, st, wire, offsetClock(shanghai(2026, 2, 13, 10, 0, 0)))
	d.StageGrace = time.Nanosecond
	s := startScheduler(t, d)
	ctx := ctxT(t)
	stage := func(origin, to string) *Staged {
		t.Helper()
		st, err := s.Stage(ctx, DeliverArgs{Key: "reply/" + origin + "/1", Origin: origin, Team: bot.DefaultTeam, To: to, Markdown: "已标记完成"})
		if err != nil || st == nil {
			t.Fatalf("Stage %s: %v, %v", origin, st, err)
		}
		return st
	}
	sendTo := func(to string) func() error { return func() error { return wire.send(to) } }

	if err := stage("m1", "li").Send(ctx, sendTo("li")); err != nil {
		t.Fatal(err)
	}
	if again, err := s.Stage(ctx, DeliverArgs{Key: "reply/m1/1", Origin: "m1", Team: bot.DefaultTeam, To: "li", Markdown: "x"}); err != nil || again != nil {
		t.Fatalf("Stage of a staged key = %v, %v; want nothing staged", again, err)
	}
	if jobs := waitDeliveriesDone(t, s, "m1"); len(jobs) != 1 || jobs[0].State != rivertype.JobStateCompleted || wire.received()["li"] != 1 {
		t.Fatalf("sent answer: %d jobs, sent %d; want one completed, sent once", len(jobs), wire.received()["li"])
	}

	if err := stage("m2", "zhang").Send(ctx, func() error { wire.send("zhang"); return errNoAnswer{} }); err == nil {
		t.Fatal("a send without answer reported no error")
	}
	jobs := waitDeliveriesDone(t, s, "m2")
	if jobs[0].State != rivertype.JobStateCancelled || wire.received()["zhang"] != 1 {
		t.Fatalf("in-doubt answer: state %s, sent %d; want cancelled, sent once", jobs[0].State, wire.received()["zhang"])
	}
	if _, err := s.RetryJob(ctx, jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	if jobs = waitDeliveriesDone(t, s, "m2"); jobs[0].State != rivertype.JobStateCompleted || wire.received()["zhang"] != 2 {
		t.Fatalf("after the operator's retry: state %s, sent %d; want completed, sent twice", jobs[0].State, wire.received()["zhang"])
	}

	stage("m3", "wang") // its process dies before the send
	late := stage("m4", "zhao")
	if err := s.releaseStaged(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if err := late.Send(ctx, sendTo("zhao")); err != nil { // the queue has it: nothing sent here
		t.Fatal(err)
	}
	waitDeliveriesDone(t, s, "m3")
	waitDeliveriesDone(t, s, "m4")
	if got := wire.received(); got["wang"] != 1 || got["zhao"] != 1 {
		t.Fatalf("released answers sent %d and %d times, want once each", got["wang"], got["zhao"])
	}
}

// A message held while its dispatch outlives the callback's answer (Hold) is forgotten when
// released, and dispatched again by the queue (Deps.Redispatch) only when its process died
// before releasing it; holding the same id again holds nothing new.
func TestHeldMessageRedispatchedWhenItsProcessDied(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	d := testDeps(pool, schema, st, newWire(), offsetClock(shanghai(2026, 2, 13, 10, 0, 0)))
	d.StageGrace = time.Nanosecond
	d.HoldGrace = time.Nanosecond // the process holding m2 died longer ago than any hold lasts
	got := make(chan string, 10)
	d.Redispatch = func(_ context.Context, raw json.RawMessage) error { got <- string(raw); return nil }
	s := startScheduler(t, d)
	ctx := ctxT(t)
	release, err := s.Hold(ctx, RedispatchArgs{ID: "m1", Message: json.RawMessage(`"finished"`)})
	if err != nil {
		t.Fatal(err)
	}
	release()
	if _, err := s.Hold(ctx, RedispatchArgs{ID: "m2", Message: json.RawMessage(`"cut off"`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Hold(ctx, RedispatchArgs{ID: "m2", Message: json.RawMessage(`"cut off"`)}); err != nil {
		t.Fatal(err)
	}
	if err := s.releaseStaged(ctx, ""); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		if m != `"cut off"` {
			t.Fatalf("redispatched %s, want the message whose process died", m)
		}
	case <-ctx.Done():
		t.Fatal("the held message was not dispatched again")
	}
	jobs := countJobs(t, s, RedispatchArgs{}.Kind())
	if len(jobs) != 1 {
		t.Fatalf("%d held-message jobs, want 1 (m2; m1 released)", len(jobs))
	}
}

// The leader's sweep of staged answers (releaseStaged) comes while a live process is still
// making a staged answer's first send — WeCom slow to answer, the client pacing the member's
// sends (a minute at most) — after the stage grace. It must leave that job alone: released,
// the queue would find the send under way, cancel the answer as in doubt although it went out
// (an operator's `planbot jobs retry` then doubles it), and a long reply's later parts would
// never be sent. Only a first send older than the hold grace is its dead process's.
func TestSweepLeavesFirstSendUnderWay(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	wire := newWire()
	d := testDeps(pool, schema, st, wire, offsetClock(shanghai(2026, 2, 13, 10, 0, 0)))
	d.StageGrace = time.Nanosecond
	s := startScheduler(t, d)
	ctx := ctxT(t)
	m := Chain("reply/slow", "li", []string{"第一部分", "第二部分"})
	m.Origin, m.Team = "slow", bot.DefaultTeam
	staged, err := s.Stage(ctx, m)
	if err != nil || staged == nil {
		t.Fatalf("Stage: %v, %v", staged, err)
	}
	if err := staged.Send(ctx, func() error {
		if err := s.releaseStaged(ctx, ""); err != nil { // the sweep, while WeCom has not answered yet
			t.Error(err)
		}
		return wire.send("li")
	}); err != nil {
		t.Fatal(err)
	}
	jobs := waitDeliveriesDone(t, s, "slow")
	for _, j := range jobs {
		if j.State != rivertype.JobStateCompleted {
			t.Errorf("job %s: %s, want completed (the first send went out)", j.EncodedArgs, j.State)
		}
	}
	if n := wire.received()["li"]; n != 2 || len(jobs) != 2 {
		t.Fatalf("%d sends in %d jobs, want both parts once each", n, len(jobs))
	}
}

// A message held while its slow dispatch runs (Hold) stays held through the sweep within the
// hold grace: its process is alive and may still answer it (a dispatch may take minutes); a
// second dispatch elsewhere would run the command twice at once (an export sent twice).
func TestSweepLeavesHeldMessageOfLiveProcess(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	d := testDeps(pool, schema, st, newWire(), offsetClock(shanghai(2026, 2, 13, 10, 0, 0)))
	d.StageGrace = time.Nanosecond
	d.Redispatch = func(context.Context, json.RawMessage) error {
		t.Error("a held message of a live process was dispatched again")
		return nil
	}
	s := startScheduler(t, d)
	ctx := ctxT(t)
	release, err := s.Hold(ctx, RedispatchArgs{ID: "m1", Message: json.RawMessage(`"slow"`)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.releaseStaged(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if jobs := countJobs(t, s, RedispatchArgs{}.Kind()); len(jobs) != 1 || jobs[0].State != rivertype.JobStatePending {
		t.Fatalf("held message after the sweep: %d jobs (%v), want one, still pending", len(jobs), jobs)
	}
	release()
	if jobs := countJobs(t, s, RedispatchArgs{}.Kind()); len(jobs) != 0 {
		t.Fatalf("%d held-message jobs after release, want none", len(jobs))
	}
}

// countPacer counts the sends it lets go, per key, and never makes one wait.
type countPacer struct {
	mu sync.Mutex
	n  map[string]int
}

func (p *countPacer) Pace(_ context.Context, key string, _, _ int, _ time.Time) (time.Duration, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n[key]++
	return 0, nil
}

// A staged answer's first part went out in Staged.Send (paced by the client); the queue, which
// then only completes that job and sends the later parts, must not count the sent part against
// the member's pacing a second time: each chat answer would take two of the 30 a minute the
// member's cards and notices share.
func TestStagedSentPartNotPacedAgain(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	wire := newWire()
	d := testDeps(pool, schema, st, wire, offsetClock(shanghai(2026, 2, 13, 10, 0, 0)))
	pacer := &countPacer{n: map[string]int{}}
	d.Pacer = pacer
	s := startScheduler(t, d)
	ctx := ctxT(t)
	m := Chain("reply/long", "li", []string{"第一部分", "第二部分"})
	m.Origin, m.Team = "long", bot.DefaultTeam
	staged, err := s.Stage(ctx, m)
	if err != nil || staged == nil {
		t.Fatalf("Stage: %v, %v", staged, err)
	}
	if err := staged.Send(ctx, func() error { return wire.send("li") }); err != nil {
		t.Fatal(err)
	}
	waitDeliveriesDone(t, s, "long")
	pacer.mu.Lock()
	defer pacer.mu.Unlock()
	if n := pacer.n["deliver:member:li"]; n != 1 || wire.received()["li"] != 2 {
		t.Fatalf("queue paced %d sends to li (sent %d), want 1: the second part", n, wire.received()["li"])
	}
}
