package wecom_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

// BenchmarkCallback measures the edge alone: verify, decrypt, parse, dispatch to a no-op, and
// answer empty or with an encrypted passive reply. It is the baseline for planbot's load test.
func BenchmarkCallback(b *testing.B) {
	cfg := wecomtest.TestConfig("")
	for _, bc := range []struct {
		name  string
		reply bot.Reply
	}{
		{"empty", bot.Reply{}},
		{"passive", bot.TextReply("今天：\n1. 6月20日前 更新资助管理信息系统数据\n2. 6月25日前 上报月报")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d := wecom.DispatcherFunc(func(context.Context, wecom.Inbound) (bot.Reply, error) { return bc.reply, nil })
			h, err := wecom.NewCallback(cfg, d, wecom.WithLogger(slog.New(slog.DiscardHandler)))
			if err != nil {
				b.Fatal(err)
			}
			r0 := wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "zhangsan", "今天", "1", now), now)
			var body bytes.Buffer
			_, _ = body.ReadFrom(r0.Body)
			target := r0.URL.String()
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body.Bytes())))
					if w.Code != http.StatusOK {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		})
	}
}
