package wecom_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

func seeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	cfg := wecomtest.TestConfig("")
	f.Add(wecomtest.TextXML(cfg, "u", "今天", "1", now))
	f.Add(wecomtest.CardClickXML(cfg, "u", "完成 #k", "t", "rc", now))
	f.Add(wecomtest.EventXML(cfg, "u", "enter_agent", "", now))
	f.Add("<xml><MsgType>event</MsgType></xml>")
	f.Add("<xml><a><b><c></c></b></a>")
}

// FuzzParseMessage: the decrypted XML parser never panics, and what it accepts is well formed.
func FuzzParseMessage(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		in, err := wecom.ParseMessage([]byte(s))
		if err != nil {
			return
		}
		if in.MsgType == "" || in.FromUserName == "" {
			t.Fatalf("accepted %q as %+v", s, in)
		}
		_ = in.Text()
		_ = in.DedupID()
	})
}

// FuzzCallback: whatever plaintext arrives encrypted and signed, the handler answers 200 or a
// 4xx, never panics, and dispatches only parsed, supported messages.
func FuzzCallback(f *testing.F) {
	seeds(f)
	cfg := wecomtest.TestConfig("")
	d := &recorder{reply: bot.TextReply("ok")}
	h, err := wecom.NewCallback(cfg, d, wecom.WithLogger(slog.New(slog.DiscardHandler)), wecom.WithClock(fixed(now)))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, wecomtest.EncryptedPostAt(cfg, s, now))
		if w.Code != http.StatusOK && (w.Code < 400 || w.Code > 499) {
			t.Fatalf("status %d", w.Code)
		}
		// The raw body too.
		w = httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/cb?msg_signature=x&timestamp=1&nonce=2", strings.NewReader(s)))
		if w.Code < 400 || w.Code > 499 {
			t.Fatalf("unsigned body: status %d", w.Code)
		}
	})
}
