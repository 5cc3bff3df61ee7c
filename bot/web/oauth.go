package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

// stateTTL bounds a login round trip through WeCom.
const stateTTL = 10 * time.Minute

// login starts a login for a GET without a valid session: WeCom's authorize page (the state
// bound to this browser by a short cookie, with the page to come back to), or the demo list.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	back := r.URL.RequestURI()
	if !strings.HasPrefix(back, "/app/") {
		back = "/app/me"
	}
	if s.opt.OAuth == nil {
		http.Redirect(w, r, "/app/login?next="+url.QueryEscape(back), http.StatusSeeOther)
		return
	}
	state := randomID()
	http.SetCookie(w, s.cookie(stateCookie, s.sign.seal("state", state, back), "/app/", stateTTL))
	http.Redirect(w, r, s.opt.OAuth.AuthorizeURL(s.base+"/app/auth", state), http.StatusFound)
}

// oauthBack is the redirect_uri: WeCom comes back with ?code=&state=.
func (s *Server) oauthBack(w http.ResponseWriter, r *http.Request) {
	if s.opt.OAuth == nil {
		http.Redirect(w, r, "/app/login", http.StatusSeeOther)
		return
	}
	c, err := r.Cookie(stateCookie)
	var f []string
	ok := err == nil
	if ok {
		f, ok = s.sign.open("state", c.Value, 2)
	}
	if !ok || r.URL.Query().Get("state") != f[0] || f[0] == "" {
		s.fail(w, r, nil, http.StatusForbidden, "登录校验失败（链接已失效或不是从本页面发起）。请从企业微信重新打开页面。")
		return
	}
	http.SetCookie(w, s.cookie(stateCookie, "", "/app/", -1))
	code := r.URL.Query().Get("code")
	if code == "" {
		s.fail(w, r, nil, http.StatusForbidden, "企业微信没有给出登录授权。请从企业微信重新打开页面。")
		return
	}
	userID, err := s.opt.OAuth.UserID(r.Context(), code)
	if err != nil {
		s.opt.Log.Info("web: oauth code refused", "err", err)
		s.fail(w, r, nil, http.StatusForbidden, "登录失败：授权码无效、已用过或已过期。请从企业微信重新打开页面。")
		return
	}
	if _, all, err := s.opt.Access(r.Context(), userID); err != nil || len(all) == 0 {
		if err != nil {
			s.fail(w, r, nil, http.StatusServiceUnavailable, bot.ErrorMessage(err))
			return
		}
		s.fail(w, r, nil, http.StatusForbidden, notMemberText)
		return
	}
	s.startSession(w, userID)
	http.Redirect(w, r, f[1], http.StatusSeeOther)
}

// loginPage lists the demo users (planbot demo only).
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if s.opt.OAuth != nil {
		s.login(w, r)
		return
	}
	tok := randomID()
	http.SetCookie(w, s.cookie(loginCookie, tok, "/app/", stateTTL))
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, "/app/") {
		next = "/app/me"
	}
	s.render(w, r, http.StatusOK, "login", &view{r: r, Title: "登录（演示）", CSRF: s.sign.mac("login", tok),
		Data: struct {
			Users []bot.Member
			Next  string
		}{s.opt.DemoUsers, next}})
}

// demoLogin logs a demo user in: the form's csrf is bound to the login cookie.
func (s *Server) demoLogin(w http.ResponseWriter, r *http.Request) {
	if s.opt.OAuth != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	c, err := r.Cookie(loginCookie)
	if err != nil || r.PostFormValue("csrf") != s.sign.mac("login", c.Value) {
		s.fail(w, r, nil, http.StatusForbidden, "页面已过期，请刷新登录页后再试。")
		return
	}
	who := r.PostFormValue("user")
	found := false
	for _, m := range s.opt.DemoUsers {
		found = found || m.UserID == who
	}
	if !found {
		s.fail(w, r, nil, http.StatusForbidden, errors.New("没有这个演示用户。").Error())
		return
	}
	s.startSession(w, who)
	next := r.PostFormValue("next")
	if !strings.HasPrefix(next, "/app/") || strings.HasPrefix(next, "//") {
		next = "/app/me"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
