package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/redisstate"
)

func TestChatScripted(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	team, err := st.EnsureTeam(ctx, "office")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []bot.Member{
		{TeamID: team.ID, UserID: "lisi", Name: "李老师", Role: bot.RoleStaff, Active: true},
		{TeamID: team.ID, UserID: "wangzr", Name: "王主任", Role: bot.RoleSupervisor, Active: true},
	} {
		if err := st.PutMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 6, 10, 9, 0, 0, 0, bot.Shanghai)
	if _, err := st.AddObligation(ctx, team.ID, "test", bot.Obligation{Key: "x1", Title: "报送月报", Due: bot.NewDate(2026, 6, 12), Period: "2026-06", Rule: bot.RuleOnce}, at, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	client, stop, err := redisstate.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	clock, _ := newChatClock("2026-06-10", time.Now)
	var out, errOut bytes.Buffer
	script := "本周\n完成 1 已报送\n完成\n"
	err = chatWith(ctx, chatSetup{store: st, state: redisstate.New(client, redisstate.Options{RatePerMinute: -1}),
		cal: nil, team: "office", user: "lisi", clock: clock, log: slog.New(slog.DiscardHandler)},
		strings.NewReader(script), &out, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"1. 报送月报", "已标记完成：第1项“报送月报”", "本周没有你的待办事项"} {
		if !strings.Contains(got, want) {
			t.Errorf("chat output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "> ") {
		t.Errorf("chat prints a prompt:\n%s", got)
	}
	items, _ := st.Obligations(ctx, team.ID, false)
	// the second message of the script, one tick of the chat clock after 09:00
	if len(items) != 1 || items[0].DoneBy != "lisi" || items[0].DoneNote != "已报送" || !items[0].DoneAt.Equal(at.Add(time.Second)) {
		t.Errorf("completion not recorded with the chat clock: %+v", items)
	}
}

func TestChatCommandMemoryStore(t *testing.T) {
	var cfg Config // no DATABASE_URL, no REDIS_URL
	var out, errOut bytes.Buffer
	err := runChat(context.Background(), cfg, []string{"--user", "someone", "--date", "2026-06-10"},
		strings.NewReader("完成 1\n帮助\n"), &out, &errOut, time.Now)
	if err != nil {
		t.Fatalf("chat: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "不是本团队的成员") || !strings.Contains(out.String(), "planbot 命令") {
		t.Errorf("output:\n%s", out.String())
	}
	if err := runChat(context.Background(), cfg, nil, strings.NewReader(""), io.Discard, io.Discard, time.Now); err == nil {
		t.Error("missing --user accepted")
	}
}
