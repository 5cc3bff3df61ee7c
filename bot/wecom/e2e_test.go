package wecom_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

// The callback wired to a real Client against the fake WeCom.
func newWired(t *testing.T, d wecom.Dispatcher, opts ...wecom.CallbackOption) (*wecom.Callback, *wecomtest.Server, wecom.Config, *wecom.Client) {
	t.Helper()
	c, srv, _, _ := newClient(t)
	cfg := srv.Config()
	h, err := wecom.NewCallback(cfg, d, append([]wecom.CallbackOption{
		wecom.WithClock(fixed(now)), wecom.WithDeduper(&seen{}), wecom.WithSender(wecom.ClientSender{C: c}),
		wecom.WithLogger(slog.New(slog.DiscardHandler)),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return h, srv, cfg, c
}

func TestSlowDispatchRepliesLater(t *testing.T) {
	d := &recorder{reply: bot.Reply{Markdown: "**本月** 3 项", Plain: "本月 3 项"}, gate: make(chan struct{})}
	h, srv, cfg, _ := newWired(t, d, wecom.WithDispatchTimeout(10*time.Millisecond))
	w := serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "zhaoliu", "本月", "77", now), now))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("status %d body %q, want an empty 200", w.Code, w.Body.String())
	}
	if n := len(srv.Requests("message/send")); n != 0 {
		t.Fatalf("sent %d before the dispatcher finished", n)
	}
	close(d.gate) // the slow command finishes after WeCom got its answer
	h.Wait()
	sends := srv.Requests("message/send")
	if len(sends) != 1 {
		t.Fatalf("%d sends, want 1", len(sends))
	}
	var m struct {
		ToUser, MsgType string
		Markdown        struct{ Content string }
	}
	sends[0].JSON(t, &m)
	if m.ToUser != "zhaoliu" || m.MsgType != "markdown" || m.Markdown.Content != "**本月** 3 项" {
		t.Fatalf("late reply %s", sends[0].Body)
	}
}

func TestEndToEnd(t *testing.T) {
	var done []string
	d := wecom.DispatcherFunc(func(ctx context.Context, in wecom.Inbound) (bot.Reply, error) {
		switch text := in.Text(); {
		case text == "今天":
			return bot.TextReply("今天：1. 更新资助系统数据"), nil
		case strings.HasPrefix(text, "完成 #"):
			done = append(done, strings.TrimPrefix(text, "完成 #"))
			return bot.TextReply("已完成"), nil
		}
		return bot.Reply{}, nil
	})
	h, srv, cfg, c := newWired(t, d)
	if err := c.SendText(context.Background(), wecom.ToUser("u1"), "早上好"); err != nil {
		t.Fatal(err)
	}
	srv.ExpireToken() // the sends after the click must survive an expired token

	// Encrypted 今天 → passive reply.
	w := serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "u1", "今天", "1", now), now))
	if p := wecomtest.OpenReply(t, cfg, w.Body.Bytes()); p.Content != "今天：1. 更新资助系统数据" {
		t.Fatalf("reply %q", p.Content)
	}

	// Card click, delivered three times by WeCom → one effect, one card update.
	click := wecomtest.CardClickXML(cfg, "u1", wecom.CardButtonKey("ob-7"), "pb_default_20260615_u1", "RC-1", now)
	for range 3 {
		if w := serve(h, wecomtest.EncryptedPostAt(cfg, click, now)); w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
	}
	h.Wait()
	if len(done) != 1 || done[0] != "ob-7" {
		t.Fatalf("done %v", done)
	}
	ups := srv.Requests("message/update_template_card")
	if len(ups) != 2 || ups[0].Query.Get("access_token") != "token-1" || ups[1].Query.Get("access_token") != "token-2" {
		t.Fatalf("%d update calls, want the expired one and one retry", len(ups))
	}
	if n := srv.TokenFetches(); n != 2 {
		t.Fatalf("token fetched %d times, want 2", n)
	}
	if n := len(srv.Requests("message/send")); n != 2 {
		t.Fatalf("%d message/send, want the greeting and one 已完成", n)
	}
	var u struct {
		UserIDs      []string `json:"userids"`
		ResponseCode string   `json:"response_code"`
		Button       struct {
			ReplaceName string `json:"replace_name"`
		}
	}
	ups[len(ups)-1].JSON(t, &u)
	if len(u.UserIDs) != 1 || u.UserIDs[0] != "u1" || u.ResponseCode != "RC-1" || u.Button.ReplaceName != "已完成" {
		t.Fatalf("update %s", ups[len(ups)-1].Body)
	}
}
