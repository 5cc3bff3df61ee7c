package wecom_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// The official sample of WeCom's doc 90968 (also in WXBizMsgCrypt's samples).
var official = wecom.Config{
	CorpID: "wx5823bf96d3bd56c7", AgentID: 218, Secret: "unused",
	Token: "QDG6eK", AESKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
}

const (
	officialEchostr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
	officialEncrypt = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
)

// recorder is a Dispatcher that records what it got and answers with reply.
type recorder struct {
	mu    sync.Mutex
	got   []wecom.Inbound
	reply bot.Reply
	err   error
	gate  chan struct{} // when set, Dispatch waits for it to close
}

func (r *recorder) Dispatch(ctx context.Context, in wecom.Inbound) (bot.Reply, error) {
	if r.gate != nil {
		<-r.gate
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, in)
	return r.reply, r.err
}

func (r *recorder) calls() []wecom.Inbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]wecom.Inbound(nil), r.got...)
}

// seen is an in-memory Deduper.
type seen struct {
	mu  sync.Mutex
	ids map[string]bool
}

func (s *seen) Seen(_ context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[id], nil
}

func (s *seen) FirstSeen(_ context.Context, id string, _ time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]bool{}
	}
	if s.ids[id] {
		return false, nil
	}
	s.ids[id] = true
	return true, nil
}

// fakeSender records late replies, card button updates and replaced cards.
type fakeSender struct {
	mu      sync.Mutex
	replies []string
	updates []string
	cards   []wecom.TemplateCard
}

func (f *fakeSender) Stage(_ context.Context, a wecom.Answer) (func(context.Context) error, error) {
	return func(context.Context) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		switch {
		case a.Card == nil:
		case a.Card.Card != nil:
			f.cards = append(f.cards, *a.Card.Card)
		default:
			f.updates = append(f.updates, a.To+" "+a.Card.ResponseCode+" "+a.Card.ReplaceName)
		}
		if a.Reply.Text() != "" {
			f.replies = append(f.replies, a.To+": "+a.Reply.MD())
		}
		return nil
	}, nil
}

func fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestOfficialURLVerification(t *testing.T) {
	d := &recorder{}
	h, err := wecom.NewCallback(official, d, wecom.WithClock(fixed(time.Unix(1409659589, 0))), wecom.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	for name, echo := range map[string]string{
		"encoded": url.QueryEscape(officialEchostr),
		"raw '+'": officialEchostr, // a proxy that does not escape '+': it decodes as ' '
	} {
		t.Run(name, func(t *testing.T) {
			q := "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=" + echo
			w := serve(h, httptest.NewRequest(http.MethodGet, "/wecom/callback?"+q, nil))
			if w.Code != http.StatusOK || w.Body.String() != "1616140317555161061" {
				t.Fatalf("got %d %q, want 200 %q", w.Code, w.Body.String(), "1616140317555161061")
			}
		})
	}
	t.Run("bad signature", func(t *testing.T) {
		q := "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4&timestamp=1409659589&nonce=263014780&echostr=" + url.QueryEscape(officialEchostr)
		w := serve(h, httptest.NewRequest(http.MethodGet, "/wecom/callback?"+q, nil))
		if w.Code != http.StatusForbidden || strings.Contains(w.Body.String(), "1616140317555161061") {
			t.Fatalf("got %d %q, want 403 without the echo", w.Code, w.Body.String())
		}
	})
}

func TestOfficialPOSTSample(t *testing.T) {
	if got := wecomtest.Sign(official, "1409659813", "1372623149", officialEncrypt); got != "477715d11cdb4164915debcba66cb864d751f3e6" {
		t.Fatalf("signature %s", got)
	}
	d := &recorder{}
	h, err := wecom.NewCallback(official, d, wecom.WithClock(fixed(time.Unix(1409659813, 0))))
	if err != nil {
		t.Fatal(err)
	}
	body := "<xml>\n<ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[" + officialEncrypt + "]]></Encrypt>\n<AgentID><![CDATA[218]]></AgentID>\n</xml>"
	r := httptest.NewRequest(http.MethodPost, "/wecom/callback?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149", strings.NewReader(body))
	w := serve(h, r)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d %q", w.Code, w.Body.String())
	}
	got := d.calls()
	if len(got) != 1 {
		t.Fatalf("dispatched %d times", len(got))
	}
	in := got[0]
	if in.FromUserName != "mycreate" || in.Content != "hello" || in.MsgID != "4561255354251345929" || in.MsgType != "text" || in.CreateTime != 1409659813 {
		t.Fatalf("parsed %+v", in)
	}
}

// newCallback builds a handler for the fake's config with a fixed clock, a deduper and a sender.
func newCallback(t *testing.T, d wecom.Dispatcher, now time.Time, opts ...wecom.CallbackOption) (*wecom.Callback, wecom.Config, *fakeSender) {
	t.Helper()
	cfg := wecomtest.TestConfig("")
	s := &fakeSender{}
	h, err := wecom.NewCallback(cfg, d, append([]wecom.CallbackOption{
		wecom.WithClock(fixed(now)), wecom.WithDeduper(&seen{}), wecom.WithSender(s),
		wecom.WithLogger(slog.New(slog.DiscardHandler)),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return h, cfg, s
}

var now = time.Date(2026, 6, 15, 8, 31, 0, 0, bot.Shanghai)

func TestPassiveReply(t *testing.T) {
	d := &recorder{reply: bot.Reply{Plain: "今天：1. 更新资助系统数据", Markdown: "**今天**"}}
	h, cfg, s := newCallback(t, d, now)
	w := serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "zhangsan", "今天", "1001", now), now))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	p := wecomtest.OpenReply(t, cfg, w.Body.Bytes())
	if p.Content != "今天：1. 更新资助系统数据" || p.ToUserName != "zhangsan" || p.FromUserName != cfg.CorpID || p.MsgType != "text" {
		t.Fatalf("reply %+v", p)
	}
	if got := d.calls(); len(got) != 1 || got[0].Text() != "今天" {
		t.Fatalf("dispatched %+v", got)
	}
	h.Wait()
	if len(s.replies) != 0 {
		t.Fatalf("also sent %v", s.replies)
	}
}

func TestRejections(t *testing.T) {
	big := strings.Repeat("x", wecom.MaxBodyBytes+1)
	tests := []struct {
		name   string
		req    func(cfg wecom.Config) *http.Request
		status int
	}{
		{"bad signature", func(cfg wecom.Config) *http.Request {
			r := wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "u", "今天", "1", now), now)
			q := r.URL.Query()
			q.Set("msg_signature", strings.Repeat("0", 40))
			r.URL.RawQuery = q.Encode()
			return r
		}, http.StatusForbidden},
		{"no signature", func(cfg wecom.Config) *http.Request {
			r := wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "u", "今天", "1", now), now)
			r.URL.RawQuery = ""
			return r
		}, http.StatusForbidden},
		{"oversized body", func(cfg wecom.Config) *http.Request {
			return httptest.NewRequest(http.MethodPost, "/wecom/callback", strings.NewReader(big))
		}, http.StatusRequestEntityTooLarge},
		{"garbage", func(cfg wecom.Config) *http.Request {
			return httptest.NewRequest(http.MethodPost, "/wecom/callback", strings.NewReader("not xml"))
		}, http.StatusBadRequest},
		{"garbage ciphertext, signed", func(cfg wecom.Config) *http.Request {
			enc := "AAAA"
			return httptest.NewRequest(http.MethodPost, "/wecom/callback?"+wecomtest.CallbackQuery(cfg, now, enc),
				strings.NewReader(wecomtest.EnvelopeXML(cfg, enc)))
		}, http.StatusBadRequest},
		{"wrong CorpID", func(cfg wecom.Config) *http.Request {
			c2 := cfg
			c2.CorpID = "wwsomeoneelse"
			enc := wecomtest.Encrypt(c2, wecomtest.TextXML(c2, "u", "今天", "1", now))
			return httptest.NewRequest(http.MethodPost, "/wecom/callback?"+wecomtest.CallbackQuery(cfg, now, enc),
				strings.NewReader(wecomtest.EnvelopeXML(cfg, enc)))
		}, http.StatusForbidden},
		{"wrong AgentID", func(cfg wecom.Config) *http.Request {
			c2 := cfg
			c2.AgentID = 999
			return wecomtest.EncryptedPostAt(c2, wecomtest.TextXML(c2, "u", "今天", "1", now), now)
		}, http.StatusForbidden},
		{"wrong token", func(cfg wecom.Config) *http.Request {
			c2 := cfg
			c2.Token = "other"
			return wecomtest.EncryptedPostAt(c2, wecomtest.TextXML(c2, "u", "今天", "1", now), now)
		}, http.StatusForbidden},
		{"message without sender", func(cfg wecom.Config) *http.Request {
			return wecomtest.EncryptedPostAt(cfg, "<xml><MsgType>text</MsgType></xml>", now)
		}, http.StatusBadRequest},
		{"PUT", func(cfg wecom.Config) *http.Request {
			return httptest.NewRequest(http.MethodPut, "/wecom/callback", nil)
		}, http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &recorder{reply: bot.TextReply("x")}
			reg := prometheus.NewRegistry()
			m := wecom.NewMetrics(reg)
			h, cfg, s := newCallback(t, d, now, wecom.WithMetrics(m))
			w := serve(h, tt.req(cfg))
			h.Wait()
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if n := len(d.calls()); n != 0 {
				t.Fatalf("dispatched %d times", n)
			}
			if len(s.replies)+len(s.updates) != 0 {
				t.Fatalf("sent %v %v", s.replies, s.updates)
			}
			if ok := testutil.ToFloat64(m.Callbacks.WithLabelValues(wecom.OutcomeReplied)); ok != 0 {
				t.Fatalf("counted as replied")
			}
		})
	}
}

func TestDuplicateDispatchedOnce(t *testing.T) {
	d := &recorder{reply: bot.TextReply("已完成 1 项")}
	reg := prometheus.NewRegistry()
	m := wecom.NewMetrics(reg)
	h, cfg, _ := newCallback(t, d, now, wecom.WithMetrics(m))
	msg := wecomtest.TextXML(cfg, "lisi", "完成 1", "42", now)
	for i := range 3 {
		// WeCom's retries are encrypted afresh but carry the same MsgId.
		w := serve(h, wecomtest.EncryptedPostAt(cfg, msg, now.Add(time.Duration(i)*5*time.Second)))
		if w.Code != http.StatusOK {
			t.Fatalf("try %d: status %d", i, w.Code)
		}
		if i > 0 && w.Body.Len() != 0 {
			t.Fatalf("try %d: a duplicate got a body %q", i, w.Body.String())
		}
	}
	if n := len(d.calls()); n != 1 {
		t.Fatalf("dispatched %d times, want 1", n)
	}
	if got := testutil.ToFloat64(m.Callbacks.WithLabelValues(wecom.OutcomeDuplicate)); got != 2 {
		t.Fatalf("duplicates counted %v, want 2", got)
	}
	// Events de-duplicate on sender and CreateTime.
	ev := wecomtest.EventXML(cfg, "lisi", "enter_agent", "", now)
	serve(h, wecomtest.EncryptedPostAt(cfg, ev, now))
	serve(h, wecomtest.EncryptedPostAt(cfg, ev, now))
	if n := len(d.calls()); n != 2 {
		t.Fatalf("dispatched %d times after the event twice, want 2", n)
	}
}

func TestReplayWindow(t *testing.T) {
	for _, tt := range []struct {
		name   string
		skew   time.Duration
		window time.Duration
		status int
	}{
		{"inside", 4 * time.Minute, 5 * time.Minute, http.StatusOK},
		{"too old", -6 * time.Minute, 5 * time.Minute, http.StatusForbidden},
		{"future", 6 * time.Minute, 5 * time.Minute, http.StatusForbidden},
		{"disabled", 48 * time.Hour, 0, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := &recorder{}
			cfg := wecomtest.TestConfig("")
			cfg.ReplayWindow = tt.window
			h, err := wecom.NewCallback(cfg, d, wecom.WithClock(fixed(now)), wecom.WithLogger(slog.New(slog.DiscardHandler)))
			if err != nil {
				t.Fatal(err)
			}
			w := serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "u", "今天", "7", now), now.Add(tt.skew)))
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if want := map[bool]int{true: 1, false: 0}[tt.status == http.StatusOK]; len(d.calls()) != want {
				t.Fatalf("dispatched %d, want %d", len(d.calls()), want)
			}
		})
	}
}

func TestIgnoredTypes(t *testing.T) {
	d := &recorder{reply: bot.TextReply("x")}
	h, cfg, _ := newCallback(t, d, now)
	img := "<xml><ToUserName><![CDATA[" + cfg.CorpID + "]]></ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>image</MsgType><MsgId>5</MsgId></xml>"
	w := serve(h, wecomtest.EncryptedPostAt(cfg, img, now))
	if w.Code != http.StatusOK || w.Body.Len() != 0 || len(d.calls()) != 0 {
		t.Fatalf("status %d body %q calls %d", w.Code, w.Body.String(), len(d.calls()))
	}
}

func TestCardClick(t *testing.T) {
	d := &recorder{reply: bot.TextReply("已完成：更新资助系统数据")}
	h, cfg, s := newCallback(t, d, now)
	key := wecom.CardButtonKey("2026-06-20/plan-3a")
	w := serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.CardClickXML(cfg, "wangwu", key, "pb_default_20260615_wangwu", "RC123", now), now))
	h.Wait()
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("status %d body %q", w.Code, w.Body.String())
	}
	got := d.calls()
	if len(got) != 1 {
		t.Fatalf("dispatched %d", len(got))
	}
	in := got[0]
	if !in.IsCardClick() || in.EventKey != key || in.TaskID != "pb_default_20260615_wangwu" || in.CardType != "button_interaction" || in.ResponseCode != "RC123" || in.Text() != "完成 #2026-06-20/plan-3a" {
		t.Fatalf("parsed %+v", in)
	}
	if len(s.updates) != 1 || s.updates[0] != "wangwu RC123 已完成" {
		t.Fatalf("updates %q", s.updates)
	}
	if len(s.replies) != 1 || s.replies[0] != "wangwu: 已完成：更新资助系统数据" {
		t.Fatalf("replies %q", s.replies)
	}

	// A click the dispatcher refuses leaves the card alone.
	d2 := &recorder{err: bot.Errorf(bot.ENOTFOUND, "没有这一项")}
	h2, _, s2 := newCallback(t, d2, now)
	serve(h2, wecomtest.EncryptedPostAt(cfg, wecomtest.CardClickXML(cfg, "wangwu", key, "t", "RC124", now), now))
	h2.Wait()
	if len(s2.updates) != 0 || len(s2.replies) != 1 || !strings.Contains(s2.replies[0], "没有这一项") {
		t.Fatalf("updates %q replies %q", s2.updates, s2.replies)
	}
}

func TestLongReplyGoesThroughSender(t *testing.T) {
	long := strings.Repeat("一二三四五六七八九十\n", 100) // 3100 bytes
	d := &recorder{reply: bot.TextReply(long)}
	h, cfg, s := newCallback(t, d, now)
	w := serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "u", "本月", "9", now), now))
	h.Wait()
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("status %d body %d bytes", w.Code, w.Body.Len())
	}
	if len(s.replies) != 1 {
		t.Fatalf("replies %d", len(s.replies))
	}
}

func TestDispatchErrorRendered(t *testing.T) {
	d := &recorder{err: context.DeadlineExceeded}
	h, cfg, _ := newCallback(t, d, now)
	w := serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "u", "今天", "10", now), now))
	if p := wecomtest.OpenReply(t, cfg, w.Body.Bytes()); p.Content != bot.EINTERNALText {
		t.Fatalf("reply %q", p.Content)
	}
}

func TestEventsDispatched(t *testing.T) {
	d := &recorder{}
	h, cfg, _ := newCallback(t, d, now)
	serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.EventXML(cfg, "u", "enter_agent", "", now), now))
	serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.EventXML(cfg, "u", "click", "帮助", now.Add(time.Second)), now))
	serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.EventXML(cfg, "u", "subscribe", "", now.Add(2*time.Second)), now))
	got := d.calls()
	if len(got) != 2 || got[0].Event != "enter_agent" || got[0].Text() != "" || got[1].Event != "click" || got[1].Text() != "帮助" {
		t.Fatalf("dispatched %+v", got)
	}
	req := got[1].Request(now)
	if req.UserID != "u" || req.Text != "帮助" || got[1].DedupID() == "" || !req.Now.Equal(now) {
		t.Fatalf("request %+v", req)
	}
}

// replacingSender is a fakeSender for the tests of whole-card replacement.
type replacingSender struct{ fakeSender }

func TestCardRefresh(t *testing.T) {
	cfg := wecomtest.TestConfig("")
	s := &replacingSender{}
	rest := wecom.DigestCard(bot.Card{Title: "今日待办", TaskID: "pb_t", Items: []bot.CardItem{{Key: "k2", Text: "上报月报"}}})
	refresh := func(_ context.Context, in wecom.Inbound) (*wecom.TemplateCard, error) {
		if in.TaskID != "pb_t" {
			return nil, nil
		}
		return &rest, nil
	}
	h, err := wecom.NewCallback(cfg, &recorder{}, wecom.WithSender(s), wecom.WithCardRefresh(refresh),
		wecom.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.CardClickXML(cfg, "u", "完成 #k1", "pb_t", "RC1", now), time.Now()))
	serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.CardClickXML(cfg, "u", "完成 #k9", "other", "RC2", now.Add(time.Second)), time.Now()))
	h.Wait()
	// WeCom takes a task_id once: the new card has its own, traceable to the clicked one.
	if len(s.cards) != 1 || s.cards[0].TaskID != wecom.RefreshTaskID("pb_t", "RC1") || len(s.cards[0].ButtonList) != 1 {
		t.Fatalf("replaced %+v", s.cards)
	}
	if len(s.updates) != 1 || s.updates[0] != "u RC2 已完成" {
		t.Fatalf("button updates %q", s.updates)
	}
}

// TestControlCharactersAnswered: a text with \x07 and \x1b is parsed with them stripped, not
// refused (issue #16 finding 9).
func TestControlCharactersAnswered(t *testing.T) {
	in, err := wecom.ParseMessage([]byte("<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[本\x07月\x1b]]></Content><MsgId>42</MsgId><AgentID>1</AgentID></xml>"))
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	if in.Content != "本月" {
		t.Fatalf("content %q, want 本月", in.Content)
	}
}
