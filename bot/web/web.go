// Package web is the office's pages inside WeCom (the app's 应用主页, links from cards and the
// digest): 我的, 团队, 计划, 数据, 导入计划 and 记录 under /app/, and each member's calendar feed
// under /ics/. Pages are server-rendered html/template, mobile first, and work without
// JavaScript. Login is WeCom's OAuth2 snsapi_base (or, in planbot demo, a list of the demo
// users); the session is a signed cookie and every POST form carries a csrf token.
//
// The pages act through the same paths as chat: a 完成 button sends "完成 #KEY 备注" through
// Options.Chat, which is the router serve and demo use for messages, so the reply, the audit
// entry, the notice to the item's holder and idempotence are the chat's own.
package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

//go:embed templates/*.html
var templateFS embed.FS

// FeedTokens keeps each member's private calendar-feed token (store/postgres, store/memory).
type FeedTokens interface {
	// FeedToken returns userID's token, storing fresh as it when they have none yet.
	FeedToken(ctx context.Context, userID, fresh string) (string, error)
	// ResetFeedToken replaces userID's token with fresh: the old one stops working.
	ResetFeedToken(ctx context.Context, userID, fresh string) error
	// FeedUser returns the userid of a token; an error wrapping bot.ErrNotFound when unknown.
	FeedUser(ctx context.Context, token string) (string, error)
}

// OAuth is WeCom's login: AuthorizeURL sends the browser to WeCom, UserID exchanges the code
// it comes back with (bot/wecom Config.AuthorizeURL and Client.UserIDByCode).
type OAuth struct {
	AuthorizeURL func(redirectURI, state string) string
	UserID       func(ctx context.Context, code string) (string, error)
}

// Options wire the pages.
type Options struct {
	// PublicURL is where WeCom reaches planbot (PLANBOT_PUBLIC_URL), e.g. https://bot.example.cn;
	// the OAuth redirect_uri and the feed URLs are built on it. An http URL drops the Secure flag.
	PublicURL string
	// Secret signs sessions and csrf tokens; every replica needs the same one.
	Secret []byte
	// OAuth logs people in through WeCom; nil with DemoUsers set (planbot demo's login page).
	OAuth     *OAuth
	DemoUsers []bot.Member

	Store    bot.Store
	Feeds    FeedTokens
	Calendar bot.Calendar
	// Access lists the units userID may work in, with the primary one first-class (the unit
	// chat messages go to): the same lookup chat routing uses.
	Access func(ctx context.Context, userID string) (primary bot.Access, all []bot.Access, err error)
	// Chat sends text as userID's message in the unit of a, through the chat router.
	Chat func(ctx context.Context, a bot.Access, text string) (bot.Reply, error)
	// ParsePlan reads an uploaded plan document (bot/plan.Parse).
	ParsePlan func(name string, data []byte) (bot.Plan, error)
	// Workbook writes the team's Excel workbook (nil: no download).
	Workbook func(ctx context.Context, team bot.Team, today bot.Date, w io.Writer) error
	Now      bot.Clock
	Log      *slog.Logger
}

// Server serves /app/ and /ics/.
type Server struct {
	opt    Options
	sign   signer
	secure bool
	base   string // PublicURL without trailing slash
	pages  map[string]*template.Template
	mux    *http.ServeMux
}

// New checks opt and builds the pages.
func New(opt Options) (*Server, error) {
	if opt.Store == nil || opt.Access == nil || opt.Chat == nil {
		return nil, errors.New("web: Store, Access and Chat are required")
	}
	if len(opt.Secret) < 16 {
		return nil, errors.New("web: the session secret must be at least 16 bytes")
	}
	if opt.OAuth == nil && len(opt.DemoUsers) == 0 {
		return nil, errors.New("web: OAuth or DemoUsers is required")
	}
	u, err := url.Parse(opt.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("PLANBOT_PUBLIC_URL: want the http(s) origin WeCom reaches planbot at, e.g. https://bot.example.cn")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Calendar == nil {
		return nil, errors.New("web: Calendar is required")
	}
	s := &Server{opt: opt, sign: signer{key: opt.Secret}, secure: u.Scheme == "https",
		base: strings.TrimRight(opt.PublicURL, "/")}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// DeriveSecret turns a deployment secret (the WeCom app secret) into the pages' signing key,
// so replicas agree without another setting.
func DeriveSecret(from string) []byte {
	sum := sha256.Sum256([]byte("planbot web session v1\x00" + from))
	return sum[:]
}

func (s *Server) now() time.Time { return s.opt.Now() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	// Inline styles only, no scripts: nothing else may run or load.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	s.mux.ServeHTTP(w, r)
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /app/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/app/me", http.StatusSeeOther)
	})
	m.HandleFunc("GET /app/auth", s.oauthBack)
	m.HandleFunc("GET /app/login", s.loginPage)
	m.HandleFunc("POST /app/login", s.demoLogin)
	m.Handle("POST /app/logout", s.authed(s.logout, ""))
	m.Handle("GET /app/me", s.authed(s.mePage, ""))
	m.Handle("POST /app/me/done", s.authed(s.meDone, ""))
	m.Handle("POST /app/me/feed", s.authed(s.feedReset, ""))
	m.Handle("GET /app/team", s.authed(s.teamPage, bot.RoleSupervisor))
	m.Handle("POST /app/team/assign", s.authed(s.teamAssign, bot.RoleSupervisor))
	m.Handle("GET /app/plan", s.authed(s.planPage, ""))
	m.Handle("GET /app/data", s.authed(s.dataPage, ""))
	m.Handle("GET /app/data/workbook", s.authed(s.dataWorkbook, ""))
	m.Handle("GET /app/import", s.authed(s.importForm, bot.RoleSupervisor))
	m.Handle("POST /app/import", s.authed(s.importPreview, bot.RoleSupervisor))
	m.Handle("POST /app/import/confirm", s.authed(s.importConfirm, bot.RoleSupervisor))
	m.Handle("GET /app/log", s.authed(s.logPage, ""))
	m.HandleFunc("GET /ics/{file}", s.feed)
	m.HandleFunc("/app/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, nil, http.StatusNotFound, "没有这个页面。请从“我的”页面进入。")
	})
	s.mux = m
}

// view is one request of a logged-in member: who, the unit the page is about, and the csrf
// token for its forms.
type view struct {
	r       *http.Request
	se      session
	User    bot.Member // the person in Unit (Access.Member)
	Unit    bot.Access
	Units   []bot.Access
	CSRF    string
	Today   bot.Date
	Flash   string
	Page    string // nav key
	Title   string
	Boss    bool // supervisor or admin in Unit
	Now     time.Time
	Data    any
	DemoOut bool
}

// UnitQ is "u=ID" for links that stay in the page's unit.
func (v *view) UnitQ() template.URL {
	return template.URL("u=" + strconv.FormatInt(v.Unit.Team.ID, 10))
}

// handler is a page handler of a logged-in member.
type handler func(w http.ResponseWriter, v *view)

// authed checks the session (GET without one goes to the login), the csrf token of a POST,
// membership of the unit asked for (?u= or the form's u) and the page's minimum role.
func (s *Server) authed(h handler, role bot.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		se, ok := s.session(r)
		if !ok {
			if r.Method == http.MethodGet {
				s.login(w, r)
				return
			}
			s.fail(w, r, nil, http.StatusForbidden, "登录已过期或无效，什么也没有改。请从企业微信重新打开页面。")
			return
		}
		if r.Method == http.MethodPost {
			// The confirmation carries the previewed document back as base64 (4/3 of its size).
			r.Body = http.MaxBytesReader(w, r.Body, maxUpload*3/2+64<<10)
			var perr error
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
				perr = r.ParseMultipartForm(1 << 20)
			} else {
				perr = r.ParseForm()
			}
			var mbe *http.MaxBytesError
			if errors.As(perr, &mbe) {
				s.fail(w, r, nil, http.StatusRequestEntityTooLarge, tooLarge)
				return
			}
			if perr != nil || !s.sign.checkCSRF(se, r.PostFormValue("csrf")) {
				s.fail(w, r, nil, http.StatusForbidden, "页面已过期（校验码不对），什么也没有改。请刷新页面后再试。")
				return
			}
		}
		primary, all, err := s.opt.Access(r.Context(), se.UserID)
		if err != nil {
			s.opt.Log.Error("web: access", "err", err, "user", se.UserID)
			s.fail(w, r, nil, http.StatusServiceUnavailable, bot.ErrorMessage(err))
			return
		}
		if len(all) == 0 {
			s.fail(w, r, nil, http.StatusForbidden, notMemberText)
			return
		}
		unit := primary
		if q := r.FormValue("u"); q != "" {
			id, _ := strconv.ParseInt(q, 10, 64)
			a, ok := bot.FindAccess(all, id)
			if !ok {
				s.fail(w, r, nil, http.StatusForbidden, "你不能查看这个单位：只能查看你所在的单位和所管的下级单位。什么也没有改。")
				return
			}
			unit = a
		}
		v := &view{r: r, se: se, User: unit.Member, Unit: unit, Units: all, CSRF: s.sign.csrf(se),
			Now: s.now(), Boss: unit.Member.Role.Rank() >= bot.RoleSupervisor.Rank()}
		v.Today = bot.DateOf(v.Now.In(unit.Team.Location()))
		if role != "" && unit.Member.Role.Rank() < role.Rank() {
			s.fail(w, r, v, http.StatusForbidden, "这个页面需要"+role.Label()+"权限，你在"+unit.Team.Name+"的角色是"+unit.Member.Role.Label()+"。什么也没有改。")
			return
		}
		if c, err := r.Cookie(flashCookie); err == nil {
			if f, ok := s.sign.open("flash", c.Value, 2); ok && f[0] == se.ID {
				v.Flash = f[1]
			}
			http.SetCookie(w, s.cookie(flashCookie, "", "/app/", -1))
		}
		h(w, v)
	})
}

// notMemberText is the polite refusal for someone who is not a member of any unit.
const notMemberText = "你还不是本系统的成员，暂时不能使用这些页面。请联系主管把你加入单位（planbot member add）。"

// session reads and checks the session cookie.
func (s *Server) session(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, false
	}
	se, err := s.sign.openSession(c.Value, s.now())
	return se, err == nil
}

// startSession sets the session cookie for userID.
func (s *Server) startSession(w http.ResponseWriter, userID string) {
	se := session{UserID: userID, Expires: s.now().Add(SessionTTL), ID: randomID()}
	http.SetCookie(w, s.cookie(sessionCookie, s.sign.sealSession(se), "/", SessionTTL))
}

// redirect goes back to a page of the unit with a message shown once.
func (s *Server) redirect(w http.ResponseWriter, v *view, path, flash string) {
	if flash != "" {
		if len(flash) > 1500 {
			flash = flash[:1500]
		}
		http.SetCookie(w, s.cookie(flashCookie, s.sign.seal("flash", v.se.ID, flash), "/app/", time.Minute))
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	http.Redirect(w, v.r, path+sep+string(v.UnitQ()), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, v *view) {
	http.SetCookie(w, s.cookie(sessionCookie, "", "/", -1))
	s.render(w, v.r, http.StatusOK, "message", &view{r: v.r, Title: "已退出", Data: "已退出登录。从企业微信重新打开即可再次进入。"})
}
