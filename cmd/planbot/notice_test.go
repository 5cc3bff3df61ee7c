package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
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

// The group digest's number is what 完成 N marks in chat: the digest rendered by serve's
// scheduler and a 完成 typed afterwards (after an item was added in between) name the same item.
func TestServeGroupNumberIsChatNumber(t *testing.T) {
	a, fake, cfg := newTestApp(t)
	h := a.Handler()
	ctx := context.Background()
	day := bot.DateOf(serveNow)
	msgs, err := a.sched.Render(ctx, a.team, schedule.KindDigest, day)
	if err != nil {
		t.Fatal(err)
	}
	var group string
	for _, m := range msgs {
		if m.To == schedule.ToGroup {
			group = m.Markdown
		}
	}
	shown := numbersIn(group)
	if len(shown) < 2 {
		t.Fatalf("group digest names %d items:\n%s", len(shown), group)
	}
	n := 0
	for k := range shown {
		if n == 0 || k > n {
			n = k // the last number shown: the one most easily shifted
		}
	}
	// Something new appears before anyone answers: numbers must not move.
	w := post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "wangzr", "新增 3月2日 临时加的事", "3001", serveNow), serveNow))
	if got := replyText(t, a, fake, cfg, w, 0); !strings.Contains(got, "已新增") {
		t.Fatalf("新增: %q", got)
	}
	w = post(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "lisi", fmt.Sprintf("完成 %d", n), "3002", serveNow), serveNow))
	replyText(t, a, fake, cfg, w, 0)
	live := liveCompletions(t, a)
	if len(live) != 1 {
		t.Fatalf("completions %+v", live)
	}
	items, _ := a.store.Obligations(ctx, a.team.ID, false)
	for _, it := range items {
		if it.Key == live[0].Key && !strings.HasPrefix(it.Title, shown[n]) {
			t.Fatalf("完成 %d marked %q; the group digest's %d is %q", n, it.Title, n, shown[n])
		}
	}
}
