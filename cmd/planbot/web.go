package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/report"
	"github.com/planbot/planbot/bot/web"
	"github.com/planbot/planbot/store/memory"
)

// webDeps are the parts the pages share with chat: the store, the calendar, the router and
// the lookup of the units a person may work in.
type webDeps struct {
	store  bot.Store
	feeds  web.FeedTokens
	cal    bot.Calendar
	router *bot.Router
	access func(ctx context.Context, userID string) (bot.Access, []bot.Access, error)
	now    bot.Clock
	log    *slog.Logger
}

// options are web.Options over d for pages at publicURL.
func (d webDeps) options(publicURL string, secret []byte) web.Options {
	return web.Options{
		PublicURL: publicURL, Secret: secret,
		Store: d.store, Feeds: d.feeds, Calendar: d.cal, Access: d.access, Now: d.now, Log: d.log,
		// A page's action is the member's chat message in the unit the page shows.
		Chat: func(ctx context.Context, a bot.Access, text string) (bot.Reply, error) {
			req := &bot.Request{Team: a.Team, UserID: a.Member.UserID, Text: text, Now: d.now(), Access: &a}
			return d.router.Handle(ctx, req)
		},
		ParsePlan: func(name string, data []byte) (bot.Plan, error) {
			return plan.Parse(name, data, plan.Options{Today: bot.DateOf(d.now().In(bot.Shanghai))})
		},
		Workbook: func(ctx context.Context, team bot.Team, today bot.Date, w io.Writer) error {
			data, err := report.Collect(ctx, d.store, team, today.Year, d.cal, today)
			if err != nil {
				return err
			}
			return report.WriteXLSX(w, data)
		},
	}
}

// newServeWeb builds serve's pages (nil when PLANBOT_PUBLIC_URL is unset): WeCom OAuth login.
func (a *app) newServeWeb() (*web.Server, error) {
	if a.cfg.PublicURL == "" {
		return nil, nil
	}
	d := webDeps{store: a.store, feeds: a.store, cal: a.cal, router: a.router, access: a.units.access, now: a.now, log: a.log}
	opt := d.options(a.cfg.PublicURL, web.DeriveSecret(cmp.Or(a.cfg.WebSecret, a.cfg.WeCom.Secret)))
	opt.OAuth = &web.OAuth{AuthorizeURL: a.cfg.WeCom.AuthorizeURL, UserID: a.client.UserIDByCode}
	return web.New(opt)
}

// access lists the units userID may work in and the one their messages go to.
func (u *units) access(ctx context.Context, userID string) (bot.Access, []bot.Access, error) {
	ms, current, err := u.st.Memberships(ctx, userID)
	if err != nil {
		return bot.Access{}, nil, err
	}
	tree := u.Tree()
	for _, m := range ms {
		if _, ok := tree.Unit(m.TeamID); !ok { // a unit added since the last read
			if _, err := u.refresh(ctx); err != nil {
				return bot.Access{}, nil, err
			}
			tree = u.Tree()
			break
		}
	}
	all := tree.Accessible(ms)
	primary, _ := tree.PrimaryUnit(all, current)
	return primary, all, nil
}

// demoWeb serves the pages for planbot demo on addr (127.0.0.1 only), with a login page that
// lists the demo users, on the demo's store and router: a completion on a page shows in the
// terminal chat and back. stop shuts the server down.
func demoWeb(ctx context.Context, addr string, st *memory.Store, team bot.Team, cal bot.Calendar, r *bot.Router, now bot.Clock, log *slog.Logger, out io.Writer) (stop func(), err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || (host != "127.0.0.1" && host != "localhost" && host != "::1") {
		return nil, fmt.Errorf("--web %q: the demo serves its pages on this machine only (127.0.0.1:PORT, or off)", addr)
	}
	u, err := newUnits(ctx, st, team, log)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil { // a busy port costs the pages, not the chat
		fmt.Fprintf(out, "页面没有启动（%s 无法监听：%v）；可用 --web 127.0.0.1:端口 换一个端口。\n", addr, err)
		return func() {}, nil
	}
	d := webDeps{store: st, feeds: st, cal: cal, router: r, access: u.access, now: now, log: log}
	opt := d.options("http://"+ln.Addr().String(), web.DeriveSecret(randomSecret()))
	ms, err := st.Members(ctx, team.ID)
	if err != nil {
		ln.Close()
		return nil, err
	}
	opt.DemoUsers = ms
	ws, err := web.New(opt)
	if err != nil {
		ln.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/app/", ws)
	mux.Handle("/ics/", ws)
	mux.Handle("/{$}", http.RedirectHandler("/app/", http.StatusSeeOther))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	fmt.Fprintf(out, "页面（手机宽度，和终端共用同一份数据）：http://%s/app/\n", ln.Addr())
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}, nil
}

// randomSecret is a fresh signing secret for a process that keeps nothing (the demo).
func randomSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return string(b)
}
