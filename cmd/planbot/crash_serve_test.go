package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

// serveProc is `planbot serve` as a child process on a fixed address, so that a restart is the
// same replica (PLANBOT_REPLICA_ID).
type serveProc struct {
	t    *testing.T
	env  map[string]string
	addr string
	cmd  *exec.Cmd
	out  *bytes.Buffer
}

func newServeProc(t *testing.T, env map[string]string) *serveProc {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	env["PLANBOT_LISTEN"] = addr
	env["PLANBOT_REPLICA_ID"] = "serve-crash-test/" + addr
	env["PLANBOT_DIGEST_CRON"] = "0 3 1 1 *" // the test inserts the run; no schedule of its own fires
	return &serveProc{t: t, env: env, addr: addr}
}

// start runs serve and waits until it answers /healthz.
func (p *serveProc) start(ctx context.Context) {
	p.t.Helper()
	p.cmd, p.out = planbotProcess(ctx, p.env, "serve")
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	waitUntil(p.t, 60*time.Second, "serve to answer /healthz", func() bool {
		r, err := http.Get("http://" + p.addr + "/healthz")
		if err != nil {
			return false
		}
		r.Body.Close()
		return r.StatusCode == http.StatusOK
	})
}

// kill is kill -9.
func (p *serveProc) kill() {
	p.t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		p.t.Fatal(err)
	}
	_ = p.cmd.Wait()
}

// post sends a signed, encrypted callback to serve; async posts do not wait for the answer.
func (p *serveProc) post(cfg wecom.Config, xml string) (*http.Response, []byte, error) {
	r := wecomtest.EncryptedPostAt(cfg, xml, time.Now())
	req, err := http.NewRequest(http.MethodPost, "http://"+p.addr+r.URL.RequestURI(), r.Body)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(resp.Body)
	return resp, b.Bytes(), err
}

// #16 item 5: kill -9 of `planbot serve` mid-dispatch, mid-answer and mid-fan-out, with a
// restart on the same address (the same replica). Each time WeCom's retry (or the restart) is
// applied once, every message is delivered once, and what was cut off mid-request is
// reported in doubt by `planbot jobs`, not resent.
func TestServeKilled(t *testing.T) {
	env, fake := newTestEnv(t)
	cfg := fake.Config()
	env["WECOM_WEBHOOK_KEY"] = cfg.WebhookKey
	a := startTestApp(t, env, appOptions{}) // the test's own view of the store
	seedTestApp(t, a)
	p := newServeProc(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// 1. Mid-dispatch: a figure's transaction waits on a lock the test holds; serve is killed
	// there. WeCom retries the message to the restarted serve: recorded once, answered.
	p.start(ctx)
	tx, err := a.store.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `select id from teams where id = $1 for update`, a.team.ID); err != nil {
		t.Fatal(err)
	}
	var holder int // the backend holding the lock: serve's transaction waits on it, no other
	if err := tx.QueryRow(ctx, `select pg_backend_pid()`).Scan(&holder); err != nil {
		t.Fatal(err)
	}
	msg := wecomtest.TextXML(cfg, "lisi", figureText, "9001", time.Now())
	go p.post(cfg, msg)
	waitUntil(t, 30*time.Second, "the figure's transaction to wait on the lock", func() bool {
		var n int
		_ = a.store.Pool().QueryRow(ctx, `select count(*) from pg_stat_activity where $1 = any(pg_blocking_pids(pid))`, holder).Scan(&n)
		return n > 0
	})
	p.kill()
	if err := tx.Rollback(ctx); err != nil && err != pgx.ErrTxClosed {
		t.Fatal(err)
	}
	p.start(ctx)
	resp, body, err := p.post(cfg, msg)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("retry after the kill: %v %v\n%s", resp, err, p.out)
	}
	if got := wecomtest.OpenReply(t, cfg, body).Content; !strings.Contains(got, "已记录") {
		t.Fatalf("the retry was answered %q", got)
	}
	if figs := figuresOf(t, a); len(figs) != 1 {
		t.Fatalf("%d figures after the kill and the retry, want 1", len(figs))
	}

	// 2. Mid-answer: WeCom holds the clicked card's update when serve is killed. The card was
	// completed once; its update is in doubt (not resent); the confirmation, staged before the
	// 200 and not yet sent, goes out once from the restarted replica.
	obs, err := a.store.Obligations(ctx, a.team.ID, false)
	if err != nil || len(obs) == 0 {
		t.Fatal(obs, err)
	}
	fake.Delay("message/update_template_card", time.Hour)
	click := wecomtest.CardClickXML(cfg, "lisi", wecom.CardButtonKey(obs[0].Key), "task-9", "rc-9", time.Now())
	if resp, _, err := p.post(cfg, click); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("click: %v %v", resp, err)
	}
	waitUntil(t, 30*time.Second, "the card update at WeCom", func() bool { return len(fake.Requests("message/update_template_card")) >= 1 })
	p.kill()
	fake.Delay("message/update_template_card", 0)

	// 3. Mid-fan-out: the morning run is under way on the restarted serve when it is killed
	// while WeCom holds the group message; restarted again, it finishes at once.
	p.start(ctx)
	waitUntil(t, 60*time.Second, "the click's confirmation", func() bool { return sentTo(fake, "lisi", "完成") >= 1 })
	fake.Delay("webhook/send", time.Hour)
	if _, err := a.sched.Client().Insert(ctx, schedule.RunArgs{Team: a.team.Name, What: schedule.KindDigest, Date: "2026-03-02"}, nil); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 60*time.Second, "the group request at WeCom", func() bool { return len(fake.Requests("webhook/send")) >= 1 })
	p.kill()
	fake.Delay("webhook/send", 0)
	p.start(ctx)
	var last []schedule.JobInfo
	defer func() {
		if t.Failed() {
			t.Logf("jobs: %+v\nrequests: %d group, %d sends", last, len(fake.Requests("webhook/send")), len(fake.Requests("message/send")))
		}
	}()
	waitUntil(t, 60*time.Second, "every delivery to be final", func() bool {
		jobs, err := schedule.ListJobs(ctx, a.store.Pool())
		if err != nil {
			t.Fatal(err)
		}
		last = jobs
		for _, j := range jobs {
			if j.Kind == (schedule.DeliverArgs{}).Kind() && j.State != "cancelled" && j.State != "discarded" {
				return false
			}
		}
		return len(jobs) > 0
	})
	p.kill()

	if n := len(fake.Requests("message/update_template_card")); n != 1 {
		t.Errorf("card updates %d, want 1 (the one cut off is not resent)", n)
	}
	if n := sentTo(fake, "lisi", "完成"); n != 1 {
		t.Errorf("click confirmations %d, want 1", n)
	}
	if live := liveCompletions(t, a); len(live) != 1 {
		t.Errorf("%d completions, want 1", len(live))
	}
	if n := len(fake.Requests("webhook/send")); n != 1 {
		t.Errorf("group messages %d, want 1 (not resent blindly)", n)
	}
	cards := 0
	for _, u := range []string{"lisi", "wangzr"} {
		n := sentTo(fake, u, `"msgtype":"template_card"`)
		if n > 1 {
			t.Errorf("%s received %d morning cards, want at most 1", u, n)
		}
		cards += n
	}
	if cards == 0 {
		t.Error("no morning card was sent")
	}
	jobs, out := planbotProcess(ctx, env, "jobs")
	_ = jobs.Run()
	if strings.Count(out.String(), "无法确认") < 2 {
		t.Errorf("planbot jobs does not list the card update and the group message in doubt:\n%s", out)
	}
	if t.Failed() {
		t.Logf("serve's output:\n%s", p.out)
	}
}

// sentTo counts message/send requests to user whose body contains s.
func sentTo(fake *wecomtest.Server, user, s string) int {
	n := 0
	for _, r := range fake.Requests("message/send") {
		var m struct {
			ToUser string `json:"touser"`
		}
		_ = json.Unmarshal(r.Body, &m)
		if m.ToUser == user && strings.Contains(string(r.Body), s) {
			n++
		}
	}
	return n
}
