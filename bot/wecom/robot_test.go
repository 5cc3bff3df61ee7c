package wecom_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func newRobot(t *testing.T, d wecom.Dispatcher, opts ...wecom.RobotOption) (*wecom.RobotCallback, *wecom.Metrics) {
	t.Helper()
	m := wecom.NewMetrics(prometheus.NewRegistry())
	h, err := wecom.NewRobotCallback(wecomtest.RobotConfig(), d, append([]wecom.RobotOption{
		wecom.WithRobotDeduper(&seen{}), wecom.WithRobotClock(fixed(now)), wecom.WithRobotMetrics(m),
		wecom.WithRobotLogger(slog.New(slog.DiscardHandler)),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return h, m
}

func TestRobotURLVerification(t *testing.T) {
	h, _ := newRobot(t, &recorder{})
	cfg := wecomtest.RobotConfig()
	w := serve(h, wecomtest.RobotGet(cfg, "8219440186735419905", now))
	if w.Code != http.StatusOK || w.Body.String() != "8219440186735419905" {
		t.Fatalf("GET: %d %q", w.Code, w.Body.String())
	}
	bad := cfg
	bad.Token = "another-token"
	if w := serve(h, wecomtest.RobotGet(bad, "1", now)); w.Code != http.StatusForbidden || strings.Contains(w.Body.String(), "1\n") {
		t.Fatalf("GET with a bad signature: %d %q", w.Code, w.Body.String())
	}
	// Signed right but sealed for a corp id: not our robot.
	other := cfg
	other.ReceiveID = "wwsomecorp"
	if w := serve(h, wecomtest.RobotGet(other, "1", now)); w.Code != http.StatusForbidden {
		t.Fatalf("GET for another receive id: %d", w.Code)
	}
}

func TestRobotGroupMention(t *testing.T) {
	d := &recorder{reply: bot.Reply{Markdown: "**今天** 1. 报表", Plain: "今天 1. 报表"}}
	h, m := newRobot(t, d)
	cfg := wecomtest.RobotConfig()
	msg := wecomtest.RobotText("msg-1", "zhang", "chat-9", "@资助小助手\u2005今天", "")
	w := serve(h, wecomtest.RobotPost(cfg, msg, now))
	if w.Code != http.StatusOK {
		t.Fatalf("POST: %d %s", w.Code, w.Body.String())
	}
	rep := wecomtest.OpenRobotReply(t, cfg, w.Body.Bytes())
	if rep.MsgType != "stream" || !rep.Stream.Finish || rep.Stream.ID == "" || rep.Stream.Content != "**今天** 1. 报表" {
		t.Fatalf("reply %+v", rep)
	}
	calls := d.calls()
	if len(calls) != 1 {
		t.Fatalf("dispatched %d times", len(calls))
	}
	in := calls[0]
	if in.Text() != "今天" || in.FromUserName != "zhang" || in.ChatID != "chat-9" || in.ChatType != "group" ||
		in.MsgID != "msg-1" || in.MsgType != wecom.MsgTypeText || in.CreateTime != now.Unix() || !in.NoCreateTime {
		t.Fatalf("inbound %+v", in)
	}
	if got := testutil.ToFloat64(m.Callbacks.WithLabelValues("robot_replied")); got != 1 {
		t.Fatalf("robot_replied = %v", got)
	}
}

func TestRobotDuplicateMsgID(t *testing.T) {
	d := &recorder{reply: bot.TextReply("已完成")}
	h, _ := newRobot(t, d)
	cfg := wecomtest.RobotConfig()
	msg := wecomtest.RobotText("msg-dup", "li", "chat-9", "@资助小助手 完成 3", "")
	codes := []int{}
	for range 3 {
		w := serve(h, wecomtest.RobotPost(cfg, msg, now))
		codes = append(codes, w.Code)
	}
	if n := len(d.calls()); n != 1 {
		t.Fatalf("dispatched %d times, want 1 (codes %v)", n, codes)
	}
	for _, c := range codes {
		if c != http.StatusOK {
			t.Fatalf("codes %v", codes)
		}
	}
	// Another msgid is another message.
	serve(h, wecomtest.RobotPost(cfg, wecomtest.RobotText("msg-2", "li", "chat-9", "@资助小助手 完成 3", ""), now))
	if n := len(d.calls()); n != 2 {
		t.Fatalf("dispatched %d times, want 2", n)
	}
}

func TestRobotRejects(t *testing.T) {
	cfg := wecomtest.RobotConfig()
	msg := wecomtest.RobotText("msg-x", "zhang", "chat-9", "@资助小助手 今天", "")
	appCfg := wecomtest.TestConfig("")
	cases := []struct {
		name string
		req  func() *http.Request
		code int
	}{
		{"bad signature", func() *http.Request {
			r := wecomtest.RobotPost(cfg, msg, now)
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "msg_signature=", "msg_signature=0", 1)
			return r
		}, http.StatusForbidden},
		{"other robot's token", func() *http.Request {
			other := cfg
			other.Token = "not-our-token"
			return wecomtest.RobotPost(other, msg, now)
		}, http.StatusForbidden},
		{"sealed for a corp id", func() *http.Request {
			other := cfg
			other.ReceiveID = "wwcorp"
			return wecomtest.RobotPost(other, msg, now)
		}, http.StatusForbidden},
		{"app XML envelope", func() *http.Request { return wecomtest.EncryptedPost(appCfg, "<xml/>") }, http.StatusBadRequest},
		{"garbage", func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/wecom/robot?msg_signature=a&timestamp=1&nonce=2", strings.NewReader("{{{"))
		}, http.StatusBadRequest},
		{"not JSON inside", func() *http.Request { return wecomtest.RobotPost(cfg, "<xml>今天</xml>", now) }, http.StatusBadRequest},
		{"no sender", func() *http.Request {
			return wecomtest.RobotPost(cfg, `{"msgid":"m","msgtype":"text","text":{"content":"今天"}}`, now)
		}, http.StatusBadRequest},
		{"too large", func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/wecom/robot", strings.NewReader(`{"encrypt":"`+strings.Repeat("A", wecom.MaxBodyBytes)+`"}`))
		}, http.StatusRequestEntityTooLarge},
		{"PUT", func() *http.Request { return httptest.NewRequest(http.MethodPut, "/wecom/robot", nil) }, http.StatusMethodNotAllowed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := &recorder{reply: bot.TextReply("x")}
			h, _ := newRobot(t, d)
			w := serve(h, tc.req())
			if w.Code != tc.code {
				t.Fatalf("code %d, want %d (%s)", w.Code, tc.code, w.Body.String())
			}
			if n := len(d.calls()); n != 0 {
				t.Fatalf("dispatched %d times", n)
			}
		})
	}
}

func TestRobotReplayWindow(t *testing.T) {
	d := &recorder{reply: bot.TextReply("x")}
	cfg := wecomtest.RobotConfig()
	cfg.ReplayWindow = 5 * time.Minute
	h, err := wecom.NewRobotCallback(cfg, d, wecom.WithRobotClock(fixed(now)), wecom.WithRobotLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	msg := wecomtest.RobotText("m", "u", "", "今天", "")
	if w := serve(h, wecomtest.RobotPost(cfg, msg, now.Add(-time.Hour))); w.Code != http.StatusForbidden {
		t.Fatalf("old timestamp: %d", w.Code)
	}
	if w := serve(h, wecomtest.RobotPost(cfg, msg, now.Add(-time.Minute))); w.Code != http.StatusOK || len(d.calls()) != 1 {
		t.Fatalf("recent timestamp: %d, %d calls", w.Code, len(d.calls()))
	}
}

func TestRobotSlowReplyGoesToResponseURL(t *testing.T) {
	d := &recorder{reply: bot.Reply{Markdown: "**汇总** 完成", Plain: "汇总 完成"}, gate: make(chan struct{})}
	h, _ := newRobot(t, d, wecom.WithRobotDispatchTimeout(time.Millisecond))
	ru := wecomtest.NewResponseURL(t)
	cfg := wecomtest.RobotConfig()
	w := serve(h, wecomtest.RobotPost(cfg, wecomtest.RobotText("slow-1", "zhang", "chat-9", "@资助小助手 汇总", ru.URL+"/cgi-bin/aibot/response?response_code=abc"), now))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("slow dispatch answered %d %q, want an empty 200", w.Code, w.Body.String())
	}
	close(d.gate)
	h.Wait()
	posts := ru.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts to response_url", len(posts))
	}
	var body struct {
		MsgType  string `json:"msgtype"`
		Markdown struct {
			Content string `json:"content"`
		} `json:"markdown"`
	}
	if err := json.Unmarshal(posts[0], &body); err != nil || body.MsgType != "markdown" || body.Markdown.Content != "**汇总** 完成" {
		t.Fatalf("late reply %s (%v)", posts[0], err)
	}
}

func TestRobotEnterChatAndOthers(t *testing.T) {
	d := &recorder{reply: bot.TextReply("您好，发送 帮助 查看命令")}
	h, _ := newRobot(t, d)
	cfg := wecomtest.RobotConfig()
	w := serve(h, wecomtest.RobotPost(cfg, wecomtest.RobotEnterChat("ev-1", "zhang"), now))
	rep := wecomtest.OpenRobotReply(t, cfg, w.Body.Bytes())
	if rep.MsgType != "text" || rep.Text.Content != "您好，发送 帮助 查看命令" {
		t.Fatalf("welcome %+v", rep)
	}
	if calls := d.calls(); len(calls) != 1 || calls[0].Event != wecom.EventEnterAgent || calls[0].Text() != "" || calls[0].CreateTime != 1700000000 || calls[0].NoCreateTime {
		t.Fatalf("calls %+v", calls)
	}
	// A stream refresh is closed without a dispatch; an image is acknowledged and ignored.
	w = serve(h, wecomtest.RobotPost(cfg, `{"msgid":"r1","from":{"userid":"zhang"},"msgtype":"stream","stream":{"id":"s-1"}}`, now))
	rep = wecomtest.OpenRobotReply(t, cfg, w.Body.Bytes())
	if rep.MsgType != "stream" || rep.Stream.ID != "s-1" || !rep.Stream.Finish {
		t.Fatalf("refresh answer %+v", rep)
	}
	w = serve(h, wecomtest.RobotPost(cfg, `{"msgid":"i1","from":{"userid":"zhang"},"msgtype":"image","image":{"url":"https://x"}}`, now))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("image: %d %q", w.Code, w.Body.String())
	}
	if n := len(d.calls()); n != 1 {
		t.Fatalf("dispatched %d times, want 1", n)
	}
}

func TestRobotLongReplyIsClipped(t *testing.T) {
	long := strings.Repeat("第一行内容很长很长\n", 3000)
	d := &recorder{reply: bot.TextReply(long)}
	h, _ := newRobot(t, d)
	cfg := wecomtest.RobotConfig()
	w := serve(h, wecomtest.RobotPost(cfg, wecomtest.RobotText("long", "u", "", "列表", ""), now))
	rep := wecomtest.OpenRobotReply(t, cfg, w.Body.Bytes())
	c := rep.Stream.Content
	if len(c) > 20480 || !strings.HasSuffix(c, "\n…") || !strings.HasPrefix(long, strings.TrimSuffix(c, "\n…")) {
		t.Fatalf("clipped to %d bytes, suffix %q", len(c), c[len(c)-10:])
	}
}

func TestStripMention(t *testing.T) {
	for _, tc := range []struct{ in, name, want string }{
		{"@资助小助手 今天", "", "今天"},
		{"@资助小助手\u2005完成 3", "", "完成 3"},
		{"  @资助小助手\u3000本周", "", "本周"},
		{"今天 @资助小助手", "资助小助手", "今天"},
		{"@资助小助手 分配 3 @张三", "资助小助手", "分配 3 @张三"},
		{"@资助小助手", "", ""},
		{"今天", "", "今天"},
		{"@别人 今天", "资助小助手", "今天"},
		{"", "", ""},
	} {
		if got := wecom.StripMention(tc.in, tc.name); got != tc.want {
			t.Errorf("StripMention(%q, %q) = %q, want %q", tc.in, tc.name, got, tc.want)
		}
	}
}

// RobotConfig.Validate names the variable; reading them is cmd/planbot's loadConfig.
func TestRobotConfigValidate(t *testing.T) {
	cfg := wecom.RobotConfig{Token: "t", AESKey: wecomtest.RobotAESKey, Name: "小助手"}
	if err := cfg.Validate(); err != nil || cfg.CallbackPath() != "/wecom/robot" {
		t.Fatalf("set: %+v err=%v", cfg, err)
	}
	if s := cfg.String(); strings.Contains(s, wecomtest.RobotAESKey) || strings.Contains(s, "Token:t ") {
		t.Fatalf("String leaks a secret: %s", s)
	}
	for _, tc := range []struct {
		cfg  wecom.RobotConfig
		want string
	}{
		{wecom.RobotConfig{Token: "t"}, "WECOM_ROBOT_AES_KEY"},
		{wecom.RobotConfig{AESKey: wecomtest.RobotAESKey}, "WECOM_ROBOT_TOKEN"},
		{wecom.RobotConfig{Token: "t", AESKey: "short"}, "WECOM_ROBOT_AES_KEY"},
		{wecom.RobotConfig{Token: "t", AESKey: wecomtest.RobotAESKey, Path: "robot"}, "PLANBOT_ROBOT_PATH"},
		{wecom.RobotConfig{Token: "t", AESKey: wecomtest.RobotAESKey, ReplayWindow: -3 * time.Second}, "WECOM_REPLAY_WINDOW"},
	} {
		if err := tc.cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err %v, want it to name %s", err, tc.want)
		}
	}
}

func TestStreamMarkdown(t *testing.T) {
	in := "**本月**\n1. 报表\n<font color=\"comment\">回复“完成 编号”标记完成</font>\n<font color=\"warning\">逾期</font> 2 项"
	want := "**本月**\n1. 报表\n回复“完成 编号”标记完成\n逾期 2 项"
	if got := wecom.StreamMarkdown(in); got != want {
		t.Fatalf("got %q", got)
	}
}

// TestRobotReplayPolicyMatchesApp: with WECOM_REPLAY_WINDOW unset the robot gets the app
// callback's default window, and a validly signed robot callback two days old is refused
// (issue #16 finding 5).
func TestRobotReplayPolicyMatchesApp(t *testing.T) {
	// cmd/planbot's TestLoadConfig checks that an unset WECOM_REPLAY_WINDOW gives both callbacks
	// DefaultReplayWindow; here, that a robot callback with it refuses an old message.
	cfg := wecom.RobotConfig{Token: "t", AESKey: wecomtest.RobotAESKey, ReplayWindow: wecom.DefaultReplayWindow}
	d := &recorder{reply: bot.TextReply("x")}
	h, err := wecom.NewRobotCallback(cfg, d, wecom.WithRobotClock(fixed(now)), wecom.WithRobotLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	if w := serve(h, wecomtest.RobotPost(cfg, wecomtest.RobotText("m", "u", "", "记录 资助 3", ""), now.Add(-48*time.Hour))); w.Code != http.StatusForbidden || len(d.calls()) != 0 {
		t.Fatalf("two-day-old callback: %d, %d dispatched", w.Code, len(d.calls()))
	}
}

// A late reply to response_url is the same markdown the passive stream reply would have been:
// <font> tags, which the robot shows as text, are dropped there too (issue #16 finding 9).
func TestRobotLateReplyDropsFontTags(t *testing.T) {
	d := &recorder{reply: bot.Reply{Markdown: `<font color="warning">逾期</font> 1 项`, Plain: "逾期 1 项"}, gate: make(chan struct{})}
	h, _ := newRobot(t, d, wecom.WithRobotDispatchTimeout(time.Millisecond))
	ru := wecomtest.NewResponseURL(t)
	cfg := wecomtest.RobotConfig()
	serve(h, wecomtest.RobotPost(cfg, wecomtest.RobotText("slow-2", "zhang", "chat-9", "@资助小助手 逾期", ru.URL+"/cgi-bin/aibot/response?response_code=abd"), now))
	close(d.gate)
	h.Wait()
	posts := ru.Posts()
	if len(posts) != 1 || strings.Contains(string(posts[0]), "font") || !strings.Contains(string(posts[0]), "逾期 1 项") {
		t.Fatalf("late reply %q, want the text without <font> tags", posts)
	}
}
