package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/report"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/handlers"
	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/redisstate"
)

// exportChatEnv is a router wired like serve's (store, Redis state, calendar, Export through
// the WeCom client) over the memory store, the embedded Redis and the fake WeCom.
type exportChatEnv struct {
	srv  *wecomtest.Server
	r    *bot.Router
	team bot.Team
	now  time.Time
}

func newExportChatEnv(t *testing.T) *exportChatEnv {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 10, 0, 0, 0, bot.Shanghai)
	st := memory.New()
	st.Now = func() time.Time { return now }
	team, err := st.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []bot.Member{
		{TeamID: team.ID, UserID: "boss", Name: "王主任", Role: bot.RoleSupervisor, Active: true},
		{TeamID: team.ID, UserID: "li", Name: "李老师", Role: bot.RoleStaff, Active: true},
	} {
		if err := st.PutMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportPlan(ctx, team.ID, p, bot.ImportOptions{Source: name, Actor: "cli",
		Today: bot.NewDate(2026, 1, 1), TrackPast: true, At: now}); err != nil {
		t.Fatal(err)
	}

	rc, stop, err := redisstate.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	state := redisstate.New(rc, redisstate.Options{Prefix: "export-chat:", RatePerMinute: -1})

	srv := wecomtest.NewServer(t)
	client, err := wecom.NewClient(srv.Config(), nil, &http.Client{Timeout: 10 * time.Second},
		wecom.WithRetries(1), wecom.WithSleep(func(context.Context, time.Duration) error { return nil }),
		wecom.WithClientClock(func() time.Time { return now }), wecom.WithClientLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	cal := workday.New()
	log := slog.New(slog.DiscardHandler)
	r := bot.NewRouter(state, st, log)
	handlers.Register(r, handlers.Deps{Store: st, State: state, Calendar: cal, Log: log,
		Export: chatExporter(st, cal, client)})
	return &exportChatEnv{srv: srv, r: r, team: team, now: now}
}

func (e *exportChatEnv) say(user, text string) string {
	return textOf(e.r.Handle(context.Background(), &bot.Request{Team: e.team, UserID: user, Text: text, Now: e.now}))
}

func TestChatExportSendsWorkbook(t *testing.T) {
	e := newExportChatEnv(t)
	if got := e.say("boss", "记录 中职国家助学金 春季 1200人 240万元"); !strings.Contains(got, "1200") {
		t.Fatalf("记录: %s", got)
	}
	if got := e.say("boss", "导出"); !strings.Contains(got, "已生成并发送给你") {
		t.Fatalf("导出: %s", got)
	}

	ups := e.srv.Uploads()
	if len(ups) != 1 {
		t.Fatalf("%d uploads, want 1", len(ups))
	}
	up := ups[0]
	if up.Type != "file" || up.Filename != "default-20260615-计划执行报表.xlsx" ||
		up.ContentType != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("upload %s %q %s", up.Type, up.Filename, up.ContentType)
	}
	f, err := excelize.OpenReader(bytes.NewReader(up.Data))
	if err != nil {
		t.Fatalf("the uploaded workbook does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(report.SheetTasks)
	if err != nil {
		t.Fatalf("sheet %s: %v", report.SheetTasks, err)
	}
	if len(rows) != 61 { // a header and the 60 obligations of the sample
		t.Errorf("%s has %d rows, want 61", report.SheetTasks, len(rows))
	}
	figs, err := f.GetRows(report.SheetFigures)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(joinRows(figs), "240") {
		t.Errorf("%s does not show the recorded 240万元:\n%s", report.SheetFigures, joinRows(figs))
	}

	sends := e.srv.Requests("message/send")
	var files []wecomtest.Request
	for _, s := range sends {
		var m struct{ MsgType string }
		s.JSON(t, &m)
		if m.MsgType == "file" {
			files = append(files, s)
		}
	}
	if len(files) != 1 {
		t.Fatalf("%d file messages, want 1", len(files))
	}
	var m struct {
		ToUser string
		File   struct {
			MediaID string `json:"media_id"`
		}
	}
	files[0].JSON(t, &m)
	if m.ToUser != "boss" || m.File.MediaID != up.MediaID {
		t.Errorf("file message to %q with %q, want boss with %q", m.ToUser, m.File.MediaID, up.MediaID)
	}

	// Staff are refused and nothing is uploaded.
	if got := e.say("li", "导出"); !strings.Contains(got, "主管") {
		t.Errorf("staff 导出: %s", got)
	}
	if n := len(e.srv.Uploads()); n != 1 {
		t.Errorf("%d uploads after staff 导出, want 1", n)
	}
}

func TestChatExportFailureIsShort(t *testing.T) {
	e := newExportChatEnv(t)
	e.srv.FailNext("media/upload", 48002, 1) // api forbidden: not retried
	if got := e.say("boss", "导出"); got != "报表发送失败，请稍后再试。" {
		t.Fatalf("导出 with upload refused: %q", got)
	}
	if n := len(e.srv.Requests("message/send")); n != 0 {
		t.Fatalf("%d messages sent after a failed upload", n)
	}
}

func TestExportFileName(t *testing.T) {
	at := time.Date(2026, 12, 31, 23, 30, 0, 0, bot.Shanghai)
	for team, want := range map[string]string{
		"资助中心":      "资助中心-20261231-计划执行报表.xlsx",
		"a/b\\c\"d": "a_b_c_d-20261231-计划执行报表.xlsx",
		"  ":        "default-20261231-计划执行报表.xlsx",
	} {
		if got := exportFileName(team, at); got != want {
			t.Errorf("exportFileName(%q) = %q, want %q", team, got, want)
		}
	}
}

func joinRows(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t"))
		b.WriteByte('\n')
	}
	return b.String()
}

// textOf and mdOf are Handle's reply as text or markdown (its error is already rendered into it).
func textOf(rep bot.Reply, _ error) string { return rep.Text() }
func mdOf(rep bot.Reply, _ error) string   { return rep.MD() }
