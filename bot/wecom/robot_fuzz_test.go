package wecom_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

func robotSeeds(f *testing.F) {
	f.Add(wecomtest.RobotText("m1", "zhang", "chat", "@资助小助手\u2005今天", "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=x"))
	f.Add(wecomtest.RobotText("m2", "li", "", "完成 3", ""))
	f.Add(wecomtest.RobotEnterChat("e1", "zhang"))
	f.Add(`{"msgid":"r","from":{"userid":"u"},"msgtype":"stream","stream":{"id":"s"}}`)
	f.Add(`{"msgtype":"text","from":{"userid":"u"},"create_time":"17"}`)
	f.Add(`{"msgtype":"text","from":{"userid":"u"},"create_time":1e99}`)
	f.Add(`{"msgtype":1}`)
	f.Add(`[]`)
	f.Add(`null`)
	f.Add(`{"from":null,"text":null}`)
}

// FuzzParseRobotMessage: the robot's JSON parser never panics, what it accepts has a type and a
// sender, and the stripped text is valid UTF-8 when the input is.
func FuzzParseRobotMessage(f *testing.F) {
	robotSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := wecom.ParseRobotMessage([]byte(s))
		if err != nil {
			return
		}
		if m.MsgType == "" || m.UserID == "" {
			t.Fatalf("accepted %q as %+v", s, m)
		}
		in := m.Inbound(wecomtest.RobotName, now)
		if utf8.ValidString(m.Content) && !utf8.ValidString(in.Content) {
			t.Fatalf("stripping broke UTF-8: %q -> %q", m.Content, in.Content)
		}
		if len(in.Content) > len(m.Content) {
			t.Fatalf("stripping grew the text: %q -> %q", m.Content, in.Content)
		}
		_ = m.DedupID()
	})
}

// FuzzRobotCallback: whatever plaintext arrives encrypted and signed, the robot handler answers
// 200 or a 4xx and never panics; an unsigned body is always a 4xx; a signed garbage
// ciphertext is rejected without a panic.
func FuzzRobotCallback(f *testing.F) {
	robotSeeds(f)
	cfg := wecomtest.RobotConfig()
	d := &recorder{reply: bot.TextReply("ok")}
	h, err := wecom.NewRobotCallback(cfg, d, wecom.WithRobotLogger(slog.New(slog.DiscardHandler)), wecom.WithRobotClock(fixed(now)))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, wecomtest.RobotPost(cfg, s, now))
		if w.Code != http.StatusOK && (w.Code < 400 || w.Code > 499) {
			t.Fatalf("status %d", w.Code)
		}
		w = httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/wecom/robot?msg_signature=x&timestamp=1&nonce=2", strings.NewReader(s)))
		if w.Code < 400 || w.Code > 499 {
			t.Fatalf("unsigned body: status %d", w.Code)
		}
		// s as a signed ciphertext: the decryption must reject garbage without panicking.
		body, _ := json.Marshal(map[string]string{"encrypt": s})
		w = httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/wecom/robot?"+wecomtest.RobotQuery(cfg, now, strings.TrimSpace(s)), bytes.NewReader(body)))
		if w.Code != http.StatusOK && (w.Code < 400 || w.Code > 499) {
			t.Fatalf("signed ciphertext: status %d", w.Code)
		}
	})
}
