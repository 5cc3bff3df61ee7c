package wecom_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// These tests set silenceper's globals through NewClient: never t.Parallel.

// sleeper records waits instead of sleeping and advances a fake clock.
type sleeper struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (s *sleeper) Sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	s.now = s.now.Add(d)
	return nil
}

func (s *sleeper) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

func newClient(t *testing.T, opts ...wecom.ClientOption) (*wecom.Client, *wecomtest.Server, *sleeper, *wecom.Metrics) {
	t.Helper()
	srv := wecomtest.NewServer(t)
	sl := &sleeper{now: now}
	m := wecom.NewMetrics(prometheus.NewRegistry())
	c, err := wecom.NewClient(srv.Config(), nil, &http.Client{Timeout: 5 * time.Second}, append([]wecom.ClientOption{
		wecom.WithSleep(sl.Sleep), wecom.WithClientClock(sl.Now), wecom.WithClientMetrics(m),
		wecom.WithClientLogger(slog.New(slog.DiscardHandler)),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv, sl, m
}

func TestSendTextAndToken(t *testing.T) {
	c, srv, _, _ := newClient(t)
	ctx := context.Background()
	if err := c.SendText(ctx, wecom.Recipient{Users: []string{"a", "b"}, Parties: []string{"2"}, Tags: []string{"5"}}, "你好"); err != nil {
		t.Fatal(err)
	}
	if err := c.SendMarkdown(ctx, wecom.ToUser("a"), "**你好**"); err != nil {
		t.Fatal(err)
	}
	if n := srv.TokenFetches(); n != 1 {
		t.Fatalf("token fetched %d times, want 1 (cached)", n)
	}
	reqs := srv.Requests("message/send")
	if len(reqs) != 2 {
		t.Fatalf("%d sends", len(reqs))
	}
	var m struct {
		ToUser, ToParty, ToTag, MsgType string
		AgentID                         int64
		Text                            struct{ Content string }
	}
	reqs[0].JSON(t, &m)
	if m.ToUser != "a|b" || m.ToParty != "2" || m.ToTag != "5" || m.MsgType != "text" || m.AgentID != wecomtest.AgentID || m.Text.Content != "你好" {
		t.Fatalf("body %s", reqs[0].Body)
	}
}

func TestExpiredTokenRefreshedOnce(t *testing.T) {
	c, srv, _, m := newClient(t)
	ctx := context.Background()
	if err := c.SendText(ctx, wecom.ToUser("a"), "1"); err != nil {
		t.Fatal(err)
	}
	srv.ExpireToken()
	if err := c.SendText(ctx, wecom.ToUser("a"), "2"); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := srv.TokenFetches(); n != 2 {
		t.Fatalf("token fetched %d times, want 2", n)
	}
	sends := srv.Requests("message/send")
	if len(sends) != 3 || sends[1].Query.Get("access_token") != "token-1" || sends[2].Query.Get("access_token") != "token-2" {
		t.Fatalf("sends %d: %+v", len(sends), sends)
	}
	if got := testutil.ToFloat64(m.TokenRefreshes); got != 1 {
		t.Fatalf("refreshes %v", got)
	}
	// A token that stays invalid is refreshed only once, then surfaced.
	srv.FailNext("message/send", 40014, 5)
	err := c.SendText(ctx, wecom.ToUser("a"), "3")
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != 40014 {
		t.Fatalf("err %v", err)
	}
	if n := len(srv.Requests("message/send")); n != 5 {
		t.Fatalf("%d sends, want 5", n)
	}
}

func TestBusyRetried(t *testing.T) {
	for _, code := range []int{45009, 45033, -1} {
		c, srv, sl, m := newClient(t)
		srv.FailNext("message/send", code, 2)
		if err := c.SendText(context.Background(), wecom.ToUser("a"), "x"); err != nil {
			t.Fatalf("%d: %v", code, err)
		}
		if n := len(srv.Requests("message/send")); n != 3 {
			t.Fatalf("%d: %d attempts, want 3", code, n)
		}
		if len(sl.waits) != 2 || sl.waits[0] != time.Second || sl.waits[1] != 2*time.Second {
			t.Fatalf("%d: waits %v", code, sl.waits)
		}
		if got := testutil.ToFloat64(m.Sends.WithLabelValues("message/send", "ok", "0")); got != 1 {
			t.Fatalf("ok count %v", got)
		}
	}
	// Past the retries the error is returned, typed and counted.
	c, srv, _, m := newClient(t, wecom.WithRetries(2))
	srv.FailNext("message/send", 45009, 10)
	err := c.SendText(context.Background(), wecom.ToUser("a"), "x")
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != 45009 || !ae.Temporary() {
		t.Fatalf("err %v", err)
	}
	if n := len(srv.Requests("message/send")); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
	if got := testutil.ToFloat64(m.Sends.WithLabelValues("message/send", "error", "45009")); got != 1 {
		t.Fatalf("error count %v", got)
	}
}

func TestOtherErrcodeTyped(t *testing.T) {
	c, srv, _, m := newClient(t)
	srv.FailNext("message/send", 81013, 1)
	err := c.SendText(context.Background(), wecom.ToUser("nobody"), "x")
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != 81013 || ae.API != "message/send" || ae.Temporary() {
		t.Fatalf("err %v", err)
	}
	if n := len(srv.Requests("message/send")); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
	if got := testutil.ToFloat64(m.Sends.WithLabelValues("message/send", "error", "81013")); got != 1 {
		t.Fatalf("counted %v", got)
	}
}

func TestLongTextSplit(t *testing.T) {
	c, srv, _, _ := newClient(t)
	var b strings.Builder
	for b.Len() < 5000 {
		b.WriteString("3. 6月20日前 更新资助管理信息系统数据（逾期）\n")
	}
	if err := c.SendMarkdown(context.Background(), wecom.ToUser("a"), b.String()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests("message/send")
	if len(reqs) != 3 {
		t.Fatalf("%d parts", len(reqs))
	}
	var total int
	for _, r := range reqs {
		var m struct{ Markdown struct{ Content string } }
		r.JSON(t, &m)
		if len(m.Markdown.Content) > wecom.MaxTextBytes || strings.HasSuffix(m.Markdown.Content, "\n") {
			t.Fatalf("part of %d bytes", len(m.Markdown.Content))
		}
		total += strings.Count(m.Markdown.Content, "3. ")
	}
	if want := strings.Count(b.String(), "3. "); total != want {
		t.Fatalf("%d lines arrived, want %d", total, want)
	}
}

func TestCardAndUpdate(t *testing.T) {
	c, srv, _, _ := newClient(t)
	ctx := context.Background()
	items := []bot.CardItem{{Key: "k1", Text: "更新资助系统数据"}, {Key: "k2", Text: "上报月报"}}
	card := wecom.DigestCard(bot.Card{Title: "今日待办", Desc: "6月15日 周一", TaskID: wecom.TaskID("default", bot.NewDate(2026, 6, 15), "wangwu"), Items: items})
	res, err := c.SendCard(ctx, wecom.ToUser("wangwu"), card)
	if err != nil {
		t.Fatal(err)
	}
	if res.ResponseCode == "" {
		t.Fatalf("no response_code in %+v", res)
	}
	var sent struct {
		MsgType      string
		TemplateCard struct {
			CardType   string                       `json:"card_type"`
			TaskID     string                       `json:"task_id"`
			ButtonList []struct{ Text, Key string } `json:"button_list"`
		} `json:"template_card"`
	}
	srv.Requests("message/send")[0].JSON(t, &sent)
	if sent.MsgType != "template_card" || sent.TemplateCard.CardType != "button_interaction" || sent.TemplateCard.TaskID != "pb_default_20260615_wangwu" ||
		len(sent.TemplateCard.ButtonList) != 2 || sent.TemplateCard.ButtonList[1].Key != "完成 #k2" {
		t.Fatalf("card %s", srv.Requests("message/send")[0].Body)
	}

	if err := c.UpdateTemplateCard(ctx, []string{"wangwu"}, "RC9", "已完成"); err != nil {
		t.Fatal(err)
	}
	ups := srv.Requests("message/update_template_card")
	if len(ups) != 1 {
		t.Fatalf("%d updates", len(ups))
	}
	want := `{"userids":["wangwu"],"agentid":1000002,"response_code":"RC9","button":{"replace_name":"已完成"}}`
	if got := strings.TrimSpace(string(ups[0].Body)); got != want {
		t.Fatalf("update body\n got %s\nwant %s", got, want)
	}

	if err := c.ReplaceTemplateCard(ctx, []string{"wangwu"}, "RC10", card); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		ResponseCode string `json:"response_code"`
		TemplateCard struct {
			TaskID string `json:"task_id"`
		} `json:"template_card"`
		Button *struct{} `json:"button"`
	}
	srv.Requests("message/update_template_card")[1].JSON(t, &rep)
	if rep.ResponseCode != "RC10" || rep.TemplateCard.TaskID != card.TaskID || rep.Button != nil {
		t.Fatalf("replace body %s", srv.Requests("message/update_template_card")[1].Body)
	}

	// Seven items: only six buttons.
	var many []bot.CardItem
	for i := range 7 {
		many = append(many, bot.CardItem{Key: string(rune('a' + i)), Text: "x"})
	}
	if n := len(wecom.DigestCard(bot.Card{Title: "t", TaskID: "id", Items: many}).ButtonList); n != wecom.MaxCardButtons {
		t.Fatalf("%d buttons", n)
	}
	bad := card
	bad.TaskID = "has space"
	if _, err := c.SendCard(ctx, wecom.ToUser("x"), bad); err == nil {
		t.Fatal("invalid task_id accepted")
	}
}

func TestWebhookAndAppChat(t *testing.T) {
	c, srv, _, _ := newClient(t)
	ctx := context.Background()
	if err := c.SendGroup(ctx, "", "**今日**"); err != nil {
		t.Fatal(err)
	}
	if err := c.SendGroup(ctx, "appchat:chat1", "**今日**"); err != nil {
		t.Fatal(err)
	}
	hooks := srv.Requests("webhook/send")
	if len(hooks) != 1 || hooks[0].Query.Get("key") != wecomtest.WebhookKey || hooks[0].Query.Get("access_token") != "" {
		t.Fatalf("webhook %+v", hooks)
	}
	var m struct {
		ChatID   string
		MsgType  string
		Markdown struct{ Content string }
	}
	hooks[0].JSON(t, &m)
	if m.MsgType != "markdown" || m.Markdown.Content != "**今日**" {
		t.Fatalf("webhook body %s", hooks[0].Body)
	}
	chats := srv.Requests("appchat/send")
	if len(chats) != 1 {
		t.Fatalf("appchat %d", len(chats))
	}
	chats[0].JSON(t, &m)
	if m.ChatID != "chat1" {
		t.Fatalf("appchat body %s", chats[0].Body)
	}
	// A non-zero errcode from the robot is an error, and the key never shows in it.
	err := c.SendGroup(ctx, "webhook:wrong-key", "x")
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != 93000 || strings.Contains(err.Error(), "wrong-key") {
		t.Fatalf("err %v", err)
	}
	if err := c.SendGroup(ctx, "smoke:signal", "x"); err == nil {
		t.Fatal("unknown target accepted")
	}
}

func TestPacing(t *testing.T) {
	c, srv, sl, _ := newClient(t)
	ctx := context.Background()
	for range wecom.MemberPerMinute + 1 {
		if err := c.SendText(ctx, wecom.ToUser("busy"), "x"); err != nil {
			t.Fatal(err)
		}
	}
	if len(sl.waits) != 1 || sl.waits[0] != time.Minute {
		t.Fatalf("waits %v, want one of 1m", sl.waits)
	}
	if n := len(srv.Requests("message/send")); n != wecom.MemberPerMinute+1 {
		t.Fatalf("%d sends", n)
	}
	for range wecom.WebhookPerMinute + 1 {
		if err := c.WebhookMarkdown(ctx, "", "x"); err != nil {
			t.Fatal(err)
		}
	}
	if len(sl.waits) != 2 {
		t.Fatalf("waits %v, want a second one for the webhook", sl.waits)
	}
}

func TestMemoryPacerHourly(t *testing.T) {
	p := wecom.NewMemoryPacer()
	ctx := context.Background()
	at := now
	sent := 0
	for sent < wecom.MemberPerHour {
		w, err := p.Pace(ctx, "m", wecom.MemberPerMinute, wecom.MemberPerHour, at)
		if err != nil {
			t.Fatal(err)
		}
		if w == 0 {
			sent++
			continue
		}
		at = at.Add(w)
	}
	w, _ := p.Pace(ctx, "m", wecom.MemberPerMinute, wecom.MemberPerHour, at)
	if w <= time.Minute {
		t.Fatalf("after %d in under an hour, wait %v", sent, w)
	}
	if w2, _ := p.Pace(ctx, "other", wecom.MemberPerMinute, wecom.MemberPerHour, at); w2 != 0 {
		t.Fatalf("another key waits %v", w2)
	}
}

func TestDepartmentUsers(t *testing.T) {
	c, srv, _, _ := newClient(t)
	srv.SetUsers(
		wecomtest.User{UserID: "zhang", Name: "张主任", Department: []int{3}, IsLeaderInDept: []int{1}, Status: 1},
		wecomtest.User{UserID: "li", Name: "李科员", Department: []int{3, 4}, IsLeaderInDept: []int{0, 1}, Status: 1},
		wecomtest.User{UserID: "wang", Name: "王科员", Department: []int{3}, Status: 5},
		wecomtest.User{UserID: "zhao", Name: "赵老师", Department: []int{9}, Status: 1},
	)
	srv.SetDepartments(wecomtest.Department{ID: 3, Name: "资助中心", DepartmentLeader: []string{"zhang"}})
	got, err := c.DepartmentUsers(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.Member{
		{UserID: "zhang", Name: "张主任", Role: bot.RoleSupervisor, Active: true},
		{UserID: "li", Name: "李科员", Role: bot.RoleStaff, Active: true},
		{UserID: "wang", Name: "王科员", Role: bot.RoleStaff, Active: false},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("member %d: got %+v want %+v", i, got[i], want[i])
		}
	}
}

func TestTokenErrorHidesSecret(t *testing.T) {
	srv := wecomtest.NewServer(t)
	cfg := srv.Config()
	cfg.Secret = "wrong-secret-value"
	c, err := wecom.NewClient(cfg, nil, nil, wecom.WithClientLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	err = c.SendText(context.Background(), wecom.ToUser("a"), "x")
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != 40001 || strings.Contains(err.Error(), "wrong-secret-value") {
		t.Fatalf("err %v", err)
	}
	// An unreachable API base: the error names neither the secret nor the URL's token.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	cfg.APIBase = dead.URL
	c, _ = wecom.NewClient(cfg, nil, nil, wecom.WithClientLogger(slog.New(slog.DiscardHandler)))
	err = c.SendText(context.Background(), wecom.ToUser("a"), "x")
	if err == nil || strings.Contains(err.Error(), "wrong-secret-value") {
		t.Fatalf("err %v", err)
	}
}

func TestDelayedAPITimesOutWithoutLeakingToken(t *testing.T) {
	srv := wecomtest.NewServer(t)
	c, err := wecom.NewClient(srv.Config(), nil, &http.Client{Timeout: 50 * time.Millisecond},
		wecom.WithClientLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	srv.Delay("message/send", 5*time.Second)
	err = c.SendText(context.Background(), wecom.ToUser("a"), "x")
	var te *wecom.TransportError
	if !errors.As(err, &te) || !te.Temporary() || strings.Contains(err.Error(), "token-") || strings.Contains(err.Error(), "access_token") {
		t.Fatalf("err %v", err)
	}
}

// TestChatReplyClientSkipsDuplicateCheck: durable deliveries ask WeCom to drop repeats, chat
// replies (the client serve hands the callback) do not, so a question asked twice is answered
// twice (issue #16 finding 8).
func TestChatReplyClientSkipsDuplicateCheck(t *testing.T) {
	c, srv, _, _ := newClient(t, wecom.WithDuplicateCheck(30*time.Minute))
	ctx := context.Background()
	if err := c.SendReply(ctx, "lisi", bot.TextReply("投递")); err != nil {
		t.Fatal(err)
	}
	if err := c.WithoutDuplicateCheck().SendReply(ctx, "lisi", bot.TextReply("回复")); err != nil {
		t.Fatal(err)
	}
	sends := srv.Requests("message/send")
	if len(sends) != 2 {
		t.Fatalf("%d sends", len(sends))
	}
	if !strings.Contains(string(sends[0].Body), `"enable_duplicate_check":1`) {
		t.Fatalf("durable delivery lacks the duplicate check: %s", sends[0].Body)
	}
	if strings.Contains(string(sends[1].Body), "enable_duplicate_check") {
		t.Fatalf("chat reply asks WeCom to drop repeats: %s", sends[1].Body)
	}
}

// A send that WeCom answered nothing to before the client's timeout may have been delivered
// (the fake has the request); a 500 and a refused connection were not. Durable deliveries
// resend only the latter (bot/schedule, issue #16 findings 3 and 4).
func TestTransportErrorMaybeDelivered(t *testing.T) {
	srv := wecomtest.NewServer(t)
	c, err := wecom.NewClient(srv.Config(), nil, &http.Client{Timeout: 50 * time.Millisecond},
		wecom.WithClientLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	maybe := func(err error) (bool, bool) {
		var md interface{ MaybeDelivered() bool }
		if !errors.As(err, &md) {
			return false, false
		}
		return md.MaybeDelivered(), true
	}
	srv.Delay("webhook/send", 5*time.Second)
	err = c.SendGroup(context.Background(), "webhook:"+wecomtest.WebhookKey, "x")
	if m, ok := maybe(err); !ok || !m || len(srv.Requests("webhook/send")) != 1 {
		t.Fatalf("timed out send: err %v, maybe delivered %v (%v), want true", err, m, ok)
	}
	srv.Delay("webhook/send", 0)
	srv.FailHTTPNext("webhook/send", http.StatusInternalServerError, 1)
	err = c.SendGroup(context.Background(), "webhook:"+wecomtest.WebhookKey, "x")
	if m, ok := maybe(err); !ok || m {
		t.Fatalf("HTTP 500: err %v, maybe delivered %v (%v), want false", err, m, ok)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	down := srv.Config()
	down.APIBase = "http://" + addr
	dc, err := wecom.NewClient(down, nil, &http.Client{Timeout: time.Second}, wecom.WithClientLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	err = dc.SendGroup(context.Background(), "webhook:"+wecomtest.WebhookKey, "x")
	if m, ok := maybe(err); !ok || m {
		t.Fatalf("refused connection: err %v, maybe delivered %v (%v), want false", err, m, ok)
	}
}

// A chat reply longer than one app message goes out as parts in order, each labelled (1/3)…,
// every part within 2048 bytes and nothing lost.
func TestLongReplyPartsAreLabelled(t *testing.T) {
	c, srv, _, _ := newClient(t)
	var lines []string
	for i := range 60 {
		lines = append(lines, fmt.Sprintf("%d. 更新维护学生资助管理及建档立卡信息系统数据 — 截止%d月20日", i+1, i%12+1))
	}
	reply := strings.Join(lines, "\n")
	if err := c.SendReply(context.Background(), "lisi", bot.TextReply(reply)); err != nil {
		t.Fatal(err)
	}
	sends := srv.Requests("message/send")
	if len(sends) < 2 {
		t.Fatalf("%d sends for %d bytes", len(sends), len(reply))
	}
	var got []string
	for i, s := range sends {
		var body struct {
			Markdown struct{ Content string } `json:"markdown"`
		}
		s.JSON(t, &body)
		label := fmt.Sprintf("（%d/%d）", i+1, len(sends))
		if !strings.HasPrefix(body.Markdown.Content, label) || len(body.Markdown.Content) > wecom.MaxTextBytes {
			t.Fatalf("part %d: %d bytes, starts %q", i+1, len(body.Markdown.Content), body.Markdown.Content[:20])
		}
		got = append(got, strings.TrimPrefix(body.Markdown.Content, label))
	}
	if strings.Join(got, "\n") != reply {
		t.Fatal("the parts do not make the reply")
	}
}
