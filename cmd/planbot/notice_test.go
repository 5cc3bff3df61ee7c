package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

// 分配 through serve: the supervisor's command is answered, and the assignee gets a card with
// the item and its 完成 button, through the durable delivery queue.
func TestServeAssignSendsTheAssigneeACard(t *testing.T) {
	a, fake, cfg := newTestApp(t)
	h := a.Handler()
	if err := a.sched.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = a.sched.Stop(ctx)
	})
	w := post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "wangzr", "分配 1 李老师", "2001", serveNow), serveNow))
	if got := replyText(t, a, fake, cfg, w, 0); !strings.Contains(got, "分配给李老师") || !strings.Contains(got, "已发消息通知李老师") {
		t.Fatalf("分配 reply %q", got)
	}
	card := func() string {
		for _, r := range fake.Requests("message/send") {
			if b := string(r.Body); strings.Contains(b, `"touser":"lisi"`) && strings.Contains(b, "template_card") && strings.Contains(b, "分配给你的工作") {
				return b
			}
		}
		return ""
	}
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for card() == "" {
		if time.Now().After(deadline) {
			t.Fatal("the assignee got no card")
		}
		<-tick.C
	}
	if b := card(); !strings.Contains(b, `完成 #`) || !strings.Contains(b, "王主任把") {
		t.Fatalf("card without the item's 完成 button: %s", b)
	}
}
