package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/handlers"
	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/redisstate"
)

// TestRobotSameCommandsAsApp: typed in a group to the smart robot, the commands reach the same
// router as the app callback (wired as serve wires it) and answer the same; a completion that
// WeCom delivers three times is recorded once.
func TestRobotSameCommandsAsApp(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 6, 15, 9, 0, 0, 0, bot.Shanghai) // a Monday
	clock := func() time.Time { return at }
	log := slog.New(slog.DiscardHandler)

	st := memory.New()
	st.Now = clock
	rc, stop, err := redisstate.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	state := redisstate.New(rc, redisstate.Options{Prefix: "robot-e2e:", RatePerMinute: -1})
	team, _ := st.EnsureTeam(ctx, bot.DefaultTeam)
	for _, m := range demoMembers {
		m.TeamID = team.ID
		if err := st.PutMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if _, err := st.ImportPlan(ctx, team.ID, p, bot.ImportOptions{Source: name, Hash: hex.EncodeToString(sum[:]),
		Actor: "test", Today: bot.NewDate(2026, time.January, 1), TrackPast: true, At: at}); err != nil {
		t.Fatal(err)
	}
	r := bot.NewRouter(state, st, log)
	handlers.Register(r, handlers.Deps{Store: st, State: state, Calendar: workday.New(), Log: log})
	// As (*app).dispatch in serve.go.
	dispatch := wecom.DispatcherFunc(func(ctx context.Context, in wecom.Inbound) (bot.Reply, error) {
		req := in.Request(clock())
		req.Team = team
		return r.Handle(ctx, req)
	})
	cfg := wecomtest.RobotConfig()
	h, err := wecom.NewRobotCallback(cfg, dispatch, wecom.WithRobotDeduper(state), wecom.WithRobotClock(clock), wecom.WithRobotLogger(log))
	if err != nil {
		t.Fatal(err)
	}
	post := func(msgID, text string) wecomtest.RobotReply {
		t.Helper()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, wecomtest.RobotPost(cfg, wecomtest.RobotText(msgID, "zhangsan", "chat-1", text, ""), at))
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", text, w.Code)
		}
		if w.Body.Len() == 0 {
			return wecomtest.RobotReply{}
		}
		return wecomtest.OpenRobotReply(t, cfg, w.Body.Bytes())
	}

	// The same question typed to the router directly (as in the app chat) answers the same.
	direct := mdOf(r.Handle(ctx, &bot.Request{Team: team, UserID: "zhangsan", Text: "本月", Now: at}))
	got := post("m-1", "@资助小助手\u2005本月")
	if got.MsgType != "stream" || !got.Stream.Finish || got.Stream.Content == "" || got.Stream.Content != wecom.StreamMarkdown(direct) {
		t.Fatalf("group 本月:\n%q\nwant the app's answer\n%q", got.Stream.Content, direct)
	}

	// 完成 1, delivered three times: one completion.
	first := post("m-2", "@资助小助手 完成 1")
	for range 2 {
		if again := post("m-2", "@资助小助手 完成 1"); again.MsgType != "" {
			t.Fatalf("a retried msgid was answered again: %+v", again)
		}
	}
	cs, err := st.Completions(ctx, team.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("%d completions after one 完成 delivered three times (reply %q)", len(cs), first.Stream.Content)
	}
}
