package handlers

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

// exportCall is one call of Deps.Export.
type exportCall struct {
	team string
	user string
	now  time.Time
}

func TestExportSendsWorkbook(t *testing.T) {
	e := newEnv(t)
	var calls []exportCall
	var fail error
	r := bot.NewRouter(e.state, e.store, nil)
	Register(r, Deps{Store: e.store, State: e.state, Export: func(_ context.Context, team bot.Team, user string, now time.Time) error {
		calls = append(calls, exportCall{team.Name, user, now})
		return fail
	}})
	say := func(user, text string) string {
		return textOf(r.Handle(context.Background(), &bot.Request{Team: e.team, UserID: user, Text: text, Now: e.now}))
	}

	if got := say("wangzr", "导出"); !strings.Contains(got, "已生成并发送给你") || strings.Contains(got, "planbot export") {
		t.Errorf("导出 reply: %s", got)
	}
	want := exportCall{e.team.Name, "wangzr", e.now}
	if len(calls) != 1 || calls[0] != want {
		t.Fatalf("Export calls %+v, want [%+v]", calls, want)
	}

	// Staff are refused before anything is built.
	if got := say("lisi", "导出"); !strings.Contains(got, "主管") {
		t.Errorf("staff 导出: %s", got)
	}
	if len(calls) != 1 {
		t.Fatalf("staff 导出 called Export: %+v", calls)
	}

	// A failed send is a short Chinese sentence, without the cause.
	fail = errors.New("wecom media/upload: errcode 45009: api freq out of limit")
	got := say("wangzr", "export")
	if got != "报表发送失败，请稍后再试。" {
		t.Errorf("failed 导出 reply: %q", got)
	}
	if len(calls) != 2 {
		t.Fatalf("Export calls %d, want 2", len(calls))
	}
}

func TestExportWithoutSenderPointsAtCLI(t *testing.T) {
	if got := newEnv(t).say("wangzr", "导出"); !strings.Contains(got, "planbot export --xlsx") {
		t.Errorf("导出 without Export: %s", got)
	}
}
