package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

const figureText = "记录 中职国家助学金 春季 1200人 240万元"

// figuresOf returns the team's live figures.
func figuresOf(t *testing.T, a *app) []bot.Figure {
	t.Helper()
	figs, err := a.store.Figures(context.Background(), a.team.ID, bot.FigureFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return figs
}

// forgetRedis deletes every key of the app's Redis prefix: what a Redis restart without
// persistence (or a failover to a replica that had not caught up) does to planbot.
func forgetRedis(t *testing.T, a *app, prefix string) {
	t.Helper()
	ctx := context.Background()
	keys, err := a.redis.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) == 0 {
		t.Fatal("no Redis keys to forget: the test does not test what it says")
	}
	if err := a.redis.Del(ctx, keys...).Err(); err != nil {
		t.Fatal(err)
	}
}

var figureNo = regexp.MustCompile(`已记录第(\d+)条数据`)

// Finding 1: WeCom retries a message whose answer it did not get; Redis, which remembered the
// id, lost it in between (a restart). The retry records no second figure and answers with the
// first one's number.
func TestRetryAfterRedisLossAppliesOnce(t *testing.T) {
	env, fake := newTestEnv(t)
	a := startTestApp(t, env, appOptions{})
	seedTestApp(t, a)
	cfg := fake.Config()
	h := a.Handler()
	msg := wecomtest.TextXML(cfg, "lisi", figureText, "3001", serveNow)
	first := replyText(t, a, fake, cfg, post(h, wecomtest.EncryptedPostAt(cfg, msg, serveNow)), 0)
	m := figureNo.FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("the figure was not recorded: %q", first)
	}
	forgetRedis(t, a, env["REDIS_PREFIX"])
	again := replyText(t, a, fake, cfg, post(h, wecomtest.EncryptedPostAt(cfg, msg, serveNow)), len(fake.Requests("message/send")))
	if figs := figuresOf(t, a); len(figs) != 1 {
		t.Fatalf("%d figures after a retry that followed a Redis restart, want 1", len(figs))
	}
	if m2 := figureNo.FindStringSubmatch(again); m2 == nil || m2[1] != m[1] {
		t.Fatalf("the retry answered %q, want the first answer's number %s", again, m[1])
	}
	// A completion and an undo the same way: each once.
	for _, c := range []struct{ text, id string }{{"完成 1", "3002"}, {"撤销 1", "3003"}} {
		msg := wecomtest.TextXML(cfg, "lisi", c.text, c.id, serveNow)
		post(h, wecomtest.EncryptedPostAt(cfg, msg, serveNow))
		a.callback.Wait()
		forgetRedis(t, a, env["REDIS_PREFIX"])
		post(h, wecomtest.EncryptedPostAt(cfg, msg, serveNow))
		a.callback.Wait()
	}
	all, err := a.store.Completions(context.Background(), a.team.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].UndoneAt.IsZero() {
		t.Fatalf("completions after retried 完成 and 撤销: %+v, want one, undone", all)
	}
}

// Finding 2: the process dies while applying a message (kill -9 or an OOM kill, here a crash
// point it never leaves); WeCom retries it to the restarted process, which applies it and
// answers. When the first dispatch comes back to life after all (a slow command, not a dead
// one), it applies nothing a second time.
func TestRetryAfterCrashMidDispatchAppliedOnce(t *testing.T) {
	env, fake := newTestEnv(t)
	cfg := fake.Config()
	reached, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	dead := startTestApp(t, env, appOptions{crash: func(point string) {
		if point == "dispatch" {
			once.Do(func() { close(reached) })
			<-release
		}
	}})
	seedTestApp(t, dead)
	msg := wecomtest.TextXML(cfg, "lisi", figureText, "3101", serveNow)
	go post(dead.Handler(), wecomtest.EncryptedPostAt(cfg, msg, serveNow))
	<-reached // the first delivery is verified and about to be applied when the process "dies"

	restarted := startTestApp(t, env, appOptions{})
	got := replyText(t, restarted, fake, cfg, post(restarted.Handler(), wecomtest.EncryptedPostAt(cfg, msg, serveNow)), 0)
	if !figureNo.MatchString(got) {
		t.Fatalf("the retry after the crash was not applied: %q", got)
	}
	if figs := figuresOf(t, restarted); len(figs) != 1 {
		t.Fatalf("%d figures after the retry, want 1", len(figs))
	}
	close(release) // the first dispatch was only slow: it finishes now
	dead.callback.Wait()
	if figs := figuresOf(t, restarted); len(figs) != 1 {
		t.Fatalf("%d figures after the slow first dispatch finished too, want 1", len(figs))
	}
	// And a third delivery, now that the message was answered, is dropped at the edge.
	before := len(fake.Requests("message/send"))
	w := post(restarted.Handler(), wecomtest.EncryptedPostAt(cfg, msg, serveNow))
	restarted.callback.Wait()
	if w.Body.Len() != 0 || len(fake.Requests("message/send")) != before {
		t.Fatalf("an answered message was answered again: %q", w.Body.String())
	}
	if strings.Count(got, "已记录") != 1 {
		t.Fatalf("reply %q", got)
	}
}

// Finding 4: WeCom answers HTTP 500 to a card click's update and to its confirmation. Both are
// queued as durable deliveries (listed by planbot jobs, keyed by the click), a retry of the
// click queues nothing more, and the deliver queue gets both through, once each.
func TestClickUpdateAndReplySurviveWeCom500(t *testing.T) {
	a, fake, cfg := newTestApp(t)
	h := a.Handler()
	ctx := context.Background()
	obs, err := a.store.Obligations(ctx, a.team.ID, false)
	if err != nil || len(obs) == 0 {
		t.Fatal(obs, err)
	}
	key := obs[0].Key
	fake.FailHTTPNext("message/update_template_card", http.StatusInternalServerError, 1)
	fake.FailHTTPNext("message/send", http.StatusInternalServerError, 1)
	click := wecomtest.CardClickXML(cfg, "lisi", wecom.CardButtonKey(key), "task-5", "rc-5", serveNow)
	for range 2 { // the click and WeCom's retry of it
		if w := post(h, wecomtest.EncryptedPostAt(cfg, click, serveNow)); w.Code != http.StatusOK {
			t.Fatalf("click: status %d", w.Code)
		}
		a.callback.Wait()
	}
	if live := liveCompletions(t, a); len(live) != 1 || live[0].Key != key {
		t.Fatalf("completions: %+v", live)
	}
	jobs, err := schedule.ListJobs(ctx, a.store.Pool())
	if err != nil {
		t.Fatal(err)
	}
	var queued []string
	for _, j := range jobs {
		if j.Kind == (schedule.DeliverArgs{}).Kind() {
			queued = append(queued, j.Summary)
		}
	}
	if len(queued) != 2 {
		t.Fatalf("queued after WeCom's 500s: %v, want the card update and the reply", queued)
	}

	if err := a.sched.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.sched.Stop(context.Background()) })
	replies := func() int {
		n := 0
		for _, r := range fake.Requests("message/send") {
			if strings.Contains(string(r.Body), `"touser":"lisi"`) && strings.Contains(string(r.Body), "完成") {
				n++
			}
		}
		return n
	}
	waitUntil(t, 30*time.Second, "the queued card update and reply", func() bool {
		return len(fake.Requests("message/update_template_card")) >= 2 && replies() >= 2
	})
	waitUntil(t, 30*time.Second, "the deliveries to finish", func() bool {
		jobs, err := schedule.ListJobs(ctx, a.store.Pool())
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if j.Kind == (schedule.DeliverArgs{}).Kind() && (strings.HasPrefix(j.Summary, "card/") || strings.HasPrefix(j.Summary, "reply/")) {
				return false
			}
		}
		return true
	})
	// One refused and one taken of each: never doubled.
	if n := len(fake.Requests("message/update_template_card")); n != 2 {
		t.Fatalf("card updates sent %d times, want 2 (the refused one and its retry)", n)
	}
	if n := replies(); n != 2 {
		t.Fatalf("the click's reply sent %d times, want 2 (the refused one and its retry)", n)
	}
}

// Finding 9: right-to-left overrides and zero-width characters typed (or pasted) into a note
// are not stored; the note reads as it looks.
func TestInvisibleCharactersNotStored(t *testing.T) {
	a, fake, cfg := newTestApp(t)
	h := a.Handler()
	msg := wecomtest.TextXML(cfg, "lisi", "完成 1 已\u202e报送\u200b\u2066（\ufeff市局）\u2069", "3201", serveNow)
	got := replyText(t, a, fake, cfg, post(h, wecomtest.EncryptedPostAt(cfg, msg, serveNow)), 0)
	live := liveCompletions(t, a)
	if len(live) != 1 || live[0].Note != "已报送（市局）" {
		t.Fatalf("completions %+v (reply %q), want one with the note 已报送（市局）", live, got)
	}
}

// Finding 9: opening the app (enter_agent) greets once a day, not every time.
func TestEnterAgentGreetsOnceADay(t *testing.T) {
	a, _, cfg := newTestApp(t)
	h := a.Handler()
	greetings := 0
	for i := range 3 {
		ev := wecomtest.EventXML(cfg, "lisi", wecom.EventEnterAgent, "", serveNow.Add(time.Duration(i)*time.Minute))
		w := post(h, wecomtest.EncryptedPostAt(cfg, ev, serveNow))
		a.callback.Wait()
		if w.Body.Len() > 0 {
			greetings++
		}
	}
	if greetings != 1 {
		t.Fatalf("%d greetings for three openings on one day, want 1", greetings)
	}
}

// Finding 9: a click refused by the rate limit applies nothing and leaves the card as it was
// (its buttons still work once the minute is over).
func TestRateLimitedClickLeavesCard(t *testing.T) {
	env, fake := newTestEnv(t)
	env["PLANBOT_RATE_PER_MINUTE"] = "1"
	a := startTestApp(t, env, appOptions{})
	seedTestApp(t, a)
	cfg := fake.Config()
	h := a.Handler()
	post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "lisi", "今天", "3301", serveNow), serveNow))
	a.callback.Wait()
	obs, err := a.store.Obligations(context.Background(), a.team.ID, false)
	if err != nil || len(obs) == 0 {
		t.Fatal(obs, err)
	}
	before := len(fake.Requests("message/send"))
	click := wecomtest.CardClickXML(cfg, "lisi", wecom.CardButtonKey(obs[0].Key), "task-7", "rc-7", serveNow)
	post(h, wecomtest.EncryptedPostAt(cfg, click, serveNow))
	a.callback.Wait()
	if ups := fake.Requests("message/update_template_card"); len(ups) != 0 {
		t.Fatalf("a rate-limited click updated the card: %s", ups[0].Body)
	}
	if live := liveCompletions(t, a); len(live) != 0 {
		t.Fatalf("a rate-limited click completed %+v", live)
	}
	sends := fake.Requests("message/send")
	if len(sends) != before+1 || !strings.Contains(string(sends[len(sends)-1].Body), "频繁") {
		t.Fatalf("the user was not told to wait: %d sends", len(sends)-before)
	}
}

// #16 item 2: 新增 and 分配 are keyed by the message like the other effects. A 新增 retried
// after Redis lost the id adds one obligation and answers as the first delivery did (it used
// to say 已经有了); a 分配 retried after a later 分配 does not take the item back.
func TestRetryAfterRedisLossAddsAndAssignsOnce(t *testing.T) {
	env, fake := newTestEnv(t)
	a := startTestApp(t, env, appOptions{})
	seedTestApp(t, a)
	cfg := fake.Config()
	h := a.Handler()
	ctx := context.Background()
	say := func(text, id string) string {
		msg := wecomtest.TextXML(cfg, "wangzr", text, id, serveNow)
		return replyText(t, a, fake, cfg, post(h, wecomtest.EncryptedPostAt(cfg, msg, serveNow)), len(fake.Requests("message/send")))
	}
	const add = "新增 3月20日 报送春季资助数据"
	first := say(add, "3201")
	forgetRedis(t, a, env["REDIS_PREFIX"])
	again := say(add, "3201")
	obs, err := a.store.Obligations(ctx, a.team.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	var added []bot.Tracked
	for _, o := range obs {
		if o.Title == "报送春季资助数据" {
			added = append(added, o)
		}
	}
	if len(added) != 1 {
		t.Fatalf("%d obligations after a retried 新增, want 1", len(added))
	}
	if !strings.Contains(first, "已新增") || again != first {
		t.Fatalf("the retried 新增 answered %q, want the first answer %q", again, first)
	}

	key := added[0].Key
	say("分配 #"+key+" 李老师", "3202")
	say("分配 #"+key+" 王主任", "3203")
	forgetRedis(t, a, env["REDIS_PREFIX"])
	say("分配 #"+key+" 李老师", "3202") // WeCom retries the first 分配 after the second
	obs, err = a.store.Obligations(ctx, a.team.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		if o.Key == key && o.Assignee != "wangzr" {
			t.Fatalf("assignee after a retried 分配 = %q, want wangzr (the later 分配)", o.Assignee)
		}
	}
}

// #16 item 4: the process dies after a message took effect and before its answer went out (a
// crash point after the dispatch). WeCom's retry to the restarted process gets the answer the
// first delivery would have given — 已标记完成, not 早已由李老师完成 from the state the first
// delivery changed — and the completion is made once.
func TestRetryAfterCrashBeforeAnswerGetsTheReply(t *testing.T) {
	env, fake := newTestEnv(t)
	cfg := fake.Config()
	reached := make(chan struct{})
	var once sync.Once
	dead := startTestApp(t, env, appOptions{crash: func(point string) {
		if point == "dispatched" {
			once.Do(func() { close(reached) })
			select {} // killed here: nothing answered
		}
	}})
	seedTestApp(t, dead)
	// WeCom retries 5 s after it sent the message; the clock of both processes reads serveNow.
	msg := wecomtest.TextXML(cfg, "lisi", "完成 1", "3301", serveNow.Add(-6*time.Second))
	go post(dead.Handler(), wecomtest.EncryptedPostAt(cfg, msg, serveNow))
	<-reached

	restarted := startTestApp(t, env, appOptions{})
	got := replyText(t, restarted, fake, cfg, post(restarted.Handler(), wecomtest.EncryptedPostAt(cfg, msg, serveNow)), 0)
	if !strings.Contains(got, "已标记完成") || strings.Contains(got, "早已") {
		t.Fatalf("the retry after the crash answered %q, want the first delivery's 已标记完成", got)
	}
	if live := liveCompletions(t, restarted); len(live) != 1 {
		t.Fatalf("%d completions, want 1", len(live))
	}
}

// #16 item 4, through the API: the process dies after it answered WeCom's click (an empty 200)
// and before it sent the card's update and the confirmation (a crash point in the send). WeCom
// does not retry an answered click, so the answer was staged as deliveries before the 200; a
// restarted replica hands them to the queue after the stage grace, and each goes out once.
func TestClickAnswerSentAfterCrashBeforeSend(t *testing.T) {
	env, fake := newTestEnv(t)
	cfg := fake.Config()
	reached := make(chan struct{})
	var once sync.Once
	dead := startTestApp(t, env, appOptions{crash: func(point string) {
		if point == "answer" {
			once.Do(func() { close(reached) })
			select {} // killed here: the 200 went out, nothing was sent
		}
	}})
	seedTestApp(t, dead)
	ctx := context.Background()
	obs, err := dead.store.Obligations(ctx, dead.team.ID, false)
	if err != nil || len(obs) == 0 {
		t.Fatal(obs, err)
	}
	click := wecomtest.CardClickXML(cfg, "lisi", wecom.CardButtonKey(obs[0].Key), "task-7", "rc-7", serveNow)
	if w := post(dead.Handler(), wecomtest.EncryptedPostAt(cfg, click, serveNow)); w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("click: status %d body %q", w.Code, w.Body.String())
	}
	<-reached
	if n := len(fake.Requests("message/update_template_card")) + len(fake.Requests("message/send")); n != 0 {
		t.Fatalf("%d requests reached WeCom before the crash, want none", n)
	}

	restarted := startTestApp(t, env, appOptions{stageGrace: time.Nanosecond})
	if err := restarted.sched.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = restarted.sched.Stop(context.Background()) })
	confirmations := func() int {
		n := 0
		for _, r := range fake.Requests("message/send") {
			if strings.Contains(string(r.Body), `"touser":"lisi"`) && strings.Contains(string(r.Body), "完成") {
				n++
			}
		}
		return n
	}
	waitUntil(t, 30*time.Second, "the staged card update and confirmation", func() bool {
		return len(fake.Requests("message/update_template_card")) >= 1 && confirmations() >= 1
	})
	waitUntil(t, 30*time.Second, "the deliveries to finish", func() bool {
		jobs, err := schedule.ListJobs(ctx, restarted.store.Pool())
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if j.Kind == (schedule.DeliverArgs{}).Kind() {
				return false
			}
		}
		return true
	})
	if n, c := len(fake.Requests("message/update_template_card")), confirmations(); n != 1 || c != 1 {
		t.Fatalf("card updates %d, confirmations %d; want 1 each", n, c)
	}
	if live := liveCompletions(t, restarted); len(live) != 1 {
		t.Fatalf("%d completions, want 1", len(live))
	}
}

// #16 finding 2's slow half: a command slower than the dispatch timeout is answered with an
// empty 200 first (WeCom will not retry it), and the process dies before it finishes. The
// message was held in the queue before that 200; the restarted replica dispatches it again,
// records the figure once and sends the answer once.
func TestSlowMessageCutOffAfterEmpty200(t *testing.T) {
	env, fake := newTestEnv(t)
	cfg := fake.Config()
	reached := make(chan struct{})
	var once sync.Once
	dead := startTestApp(t, env, appOptions{dispatchTimeout: 20 * time.Millisecond, crash: func(point string) {
		if point == "dispatch" {
			once.Do(func() { close(reached) })
			select {} // a slow command, then the process is killed
		}
	}})
	seedTestApp(t, dead)
	msg := wecomtest.TextXML(cfg, "lisi", figureText, "3401", serveNow)
	if w := post(dead.Handler(), wecomtest.EncryptedPostAt(cfg, msg, serveNow)); w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("slow message: %d %q, want an empty 200", w.Code, w.Body.String())
	}
	<-reached

	// The restart has no replica ID of its own (port 0): the sweep finds the message held
	// longer than a live process holds one.
	restarted := startTestApp(t, env, appOptions{stageGrace: time.Nanosecond, holdGrace: time.Nanosecond})
	ctx := context.Background()
	if err := restarted.sched.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = restarted.sched.Stop(context.Background()) })
	waitUntil(t, 30*time.Second, "the held message's answer", func() bool { return sentTo(fake, "lisi", "已记录") >= 1 })
	restarted.callback.Wait()
	if figs := figuresOf(t, restarted); len(figs) != 1 {
		t.Fatalf("%d figures, want 1", len(figs))
	}
	if n := sentTo(fake, "lisi", "已记录"); n != 1 {
		t.Fatalf("%d answers, want 1", n)
	}
}

// The smart robot's messages carry no create_time, so the age by which serve tells a WeCom
// retry (recordedReply) says nothing about them. The process dies after a robot correction
// (不对，是第4项: undo the last completion, complete item 4) took effect and before it was
// answered; WeCom's retry to the restart must get the recorded reply and change nothing more.
// Dispatched afresh, the correction's last change is now item 4's completion, which it undid.
func TestRobotRetryAfterCrashGetsTheReply(t *testing.T) {
	env, _ := newTestEnv(t)
	env["WECOM_ROBOT_TOKEN"], env["WECOM_ROBOT_AES_KEY"] = wecomtest.RobotToken, wecomtest.RobotAESKey
	rcfg := wecomtest.RobotConfig()
	reached := make(chan struct{})
	var dispatched atomic.Int32
	dead := startTestApp(t, env, appOptions{crash: func(point string) {
		if point == "dispatched" && dispatched.Add(1) == 2 {
			close(reached)
			select {} // killed here: the correction applied, nothing answered
		}
	}})
	seedTestApp(t, dead)
	robotPost := func(a *app, msgID, text string) *httptest.ResponseRecorder {
		return post(a.Handler(), wecomtest.RobotPost(rcfg, wecomtest.RobotText(msgID, "lisi", "", text, ""), serveNow))
	}
	if w := robotPost(dead, "r1", "完成 3"); w.Code != http.StatusOK {
		t.Fatalf("完成 3: %d", w.Code)
	}
	first := liveCompletions(t, dead)
	if len(first) != 1 {
		t.Fatalf("%d completions after 完成 3, want 1", len(first))
	}
	go robotPost(dead, "r2", "不对，是第4项")
	<-reached
	if live := liveCompletions(t, dead); len(live) != 1 || live[0].Key == first[0].Key {
		t.Fatalf("after the correction: %+v, want one completion, not item 3's", live)
	}

	restarted := startTestApp(t, env, appOptions{})
	w := robotPost(restarted, "r2", "不对，是第4项")
	if w.Code != http.StatusOK || w.Body.Len() == 0 {
		t.Fatalf("retry: %d %q", w.Code, w.Body.String())
	}
	got := wecomtest.OpenRobotReply(t, rcfg, w.Body.Bytes()).Stream.Content
	live := liveCompletions(t, restarted)
	if len(live) != 1 || live[0].Key == first[0].Key {
		t.Fatalf("after WeCom's retry: %d live completions %+v (answered %q), want item 4's alone", len(live), live, got)
	}
}

// The card's update of a click was staged and the confirmation's insert then failed (here: a
// NUL, which PostgreSQL's jsonb refuses). The confirmation goes out unrecorded, and the card's
// update goes once: as its staged first send, not again directly beside the staged job that the
// queue then also sends.
func TestPartlyStagedAnswerUpdatesCardOnce(t *testing.T) {
	env, fake := newTestEnv(t)
	a := startTestApp(t, env, appOptions{stageGrace: time.Nanosecond})
	ctx := context.Background()
	if err := a.sched.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.sched.Stop(context.Background()) })
	d := durableReplies{c: a.client.WithoutDuplicateCheck(), sched: func() *schedule.Scheduler { return a.sched }, team: a.team.Name, log: a.log}
	send, err := d.Stage(ctx, wecom.Answer{MsgID: "wecom:test:partly", To: "lisi", Reply: bot.TextReply("✅ 已标记完成\x00"),
		Card: &wecom.CardChange{ResponseCode: "rc-9", ReplaceName: "已完成"}})
	if err == nil || send == nil {
		t.Fatalf("Stage = %v, %v; want the reply's insert refused and something to send", send != nil, err)
	}
	if err := send(ctx); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 30*time.Second, "the staged card update to finish", func() bool {
		jobs, err := schedule.ListJobs(ctx, a.store.Pool())
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if j.Kind == (schedule.DeliverArgs{}).Kind() {
				return false
			}
		}
		return true
	})
	if n, m := len(fake.Requests("message/update_template_card")), len(fake.Requests("message/send")); n != 1 || m != 1 {
		t.Fatalf("card updates %d, confirmations %d; want 1 each", n, m)
	}
}
