package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

// webEnv is serve with the pages on: a real listener whose address is PLANBOT_PUBLIC_URL, the
// fake WeCom as API and OAuth base, the sample plan and two members (lisi staff, wangzr
// supervisor).
type webEnv struct {
	a    *app
	fake *wecomtest.Server
	srv  *httptest.Server
	base string
}

func newWebEnv(t *testing.T) *webEnv {
	t.Helper()
	env, fake := newTestEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	env["PLANBOT_PUBLIC_URL"] = base
	env["WECOM_OAUTH_BASE"] = fake.URL
	a := startTestApp(t, env, appOptions{})
	seedTestApp(t, a)
	if a.web == nil {
		t.Fatal("PLANBOT_PUBLIC_URL set, no pages")
	}
	srv := httptest.NewUnstartedServer(a.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return &webEnv{a: a, fake: fake, srv: srv, base: base}
}

// browser is an HTTP client with cookies that does not follow redirects by itself.
type browser struct {
	t   *testing.T
	c   *http.Client
	env *webEnv
}

func (e *webEnv) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, env: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	Code     int
	Location string
	Body     string
	Header   http.Header
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{Code: res.StatusCode, Location: res.Header.Get("Location"), Body: string(body), Header: res.Header}
}

func (b *browser) get(u string) page {
	b.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = b.env.base + u
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.env.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// follow GETs through redirects (WeCom's authorize page included) and returns the last page.
func (b *browser) follow(u string) page {
	b.t.Helper()
	for range 10 {
		p := b.get(u)
		if p.Location == "" {
			return p
		}
		next, err := url.Parse(p.Location)
		if err != nil {
			b.t.Fatal(err)
		}
		if !next.IsAbs() {
			next = (&url.URL{Scheme: "http", Host: strings.TrimPrefix(b.env.base, "http://")}).ResolveReference(next)
		}
		u = next.String()
	}
	b.t.Fatal("too many redirects")
	return page{}
}

// login logs userID in through the fake WeCom's OAuth and returns 我的.
func (b *browser) login(userID string) page {
	b.t.Helper()
	b.env.fake.SetOAuthUser(userID)
	p := b.follow("/app/me")
	if p.Code != http.StatusOK {
		b.t.Fatalf("login as %s: %d %s", userID, p.Code, p.Body)
	}
	return p
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, p page) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no csrf field in %s", p.Body)
	}
	return m[1]
}

var keyRE = regexp.MustCompile(`name="key" value="([^"]+)"`)

func (e *webEnv) completions(t *testing.T) int { return len(liveCompletions(t, e.a)) }

func (e *webEnv) chat(t *testing.T, userID, text string) string {
	t.Helper()
	rep, _ := e.a.router.Handle(context.Background(), &bot.Request{Team: e.a.team, UserID: userID, Text: text, Now: serveNow})
	return rep.Text()
}

// No cookie: WeCom's authorize URL with the corp id, agent id, snsapi_base, a state and the
// redirect_uri on PLANBOT_PUBLIC_URL; the code comes back, is exchanged through
// auth/getuserinfo, and the session cookie is HttpOnly, SameSite=Lax, 8 h (not Secure: http).
func TestWebOAuthLogin(t *testing.T) {
	e := newWebEnv(t)
	b := e.browser(t)
	p := b.get("/app/me")
	if p.Code != http.StatusFound || !strings.HasPrefix(p.Location, e.fake.URL+"/connect/oauth2/authorize?") || !strings.HasSuffix(p.Location, "#wechat_redirect") {
		t.Fatalf("no cookie: %d %q, want a redirect to the authorize URL", p.Code, p.Location)
	}
	au, _ := url.Parse(p.Location)
	q := au.Query()
	if q.Get("appid") != wecomtest.CorpID || q.Get("agentid") != "1000002" || q.Get("scope") != "snsapi_base" ||
		q.Get("response_type") != "code" || q.Get("state") == "" || q.Get("redirect_uri") != e.base+"/app/auth" {
		t.Fatalf("authorize query %v", q)
	}
	e.fake.SetOAuthUser("lisi")
	back := b.get(p.Location)
	if back.Code != http.StatusFound || !strings.HasPrefix(back.Location, e.base+"/app/auth?") {
		t.Fatalf("fake authorize: %d %q", back.Code, back.Location)
	}
	done := b.get(back.Location)
	if done.Code != http.StatusSeeOther || done.Location != "/app/me" {
		t.Fatalf("auth: %d %q %s", done.Code, done.Location, done.Body)
	}
	var cookie string
	for _, c := range done.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "planbot_session=") {
			cookie = c
		}
	}
	for _, want := range []string{"planbot_session=", "HttpOnly", "SameSite=Lax", "Max-Age=28800", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("session cookie %q is Secure on an http public URL", cookie)
	}
	if n := len(e.fake.Requests("auth/getuserinfo")); n != 1 {
		t.Errorf("getuserinfo calls = %d, want 1", n)
	}
	me := b.get("/app/me")
	if me.Code != http.StatusOK || !strings.Contains(me.Body, "李老师") || !strings.Contains(me.Body, "逾期") {
		t.Fatalf("我的: %d %s", me.Code, me.Body)
	}

	// The same code again, on a fresh login round (its own state): refused, no session.
	code := mustQuery(t, back.Location, "code")
	b2 := e.browser(t)
	start := b2.get("/app/me")
	state := mustQuery(t, start.Location, "state")
	again := b2.get("/app/auth?code=" + url.QueryEscape(code) + "&state=" + url.QueryEscape(state))
	if again.Code != http.StatusForbidden || !strings.Contains(again.Body, "授权码无效") || strings.Contains(strings.Join(again.Header.Values("Set-Cookie"), ";"), "planbot_session=") {
		t.Fatalf("reused code: %d %q %s", again.Code, again.Header.Get("Set-Cookie"), again.Body)
	}
	// A state that is not this browser's: refused before WeCom is asked.
	calls := len(e.fake.Requests("auth/getuserinfo"))
	forged := b2.get("/app/auth?code=" + url.QueryEscape(e.fake.IssueCode("wangzr")) + "&state=forged")
	if forged.Code != http.StatusForbidden || len(e.fake.Requests("auth/getuserinfo")) != calls {
		t.Fatalf("forged state: %d, getuserinfo asked", forged.Code)
	}
	// Someone WeCom knows but planbot does not: a polite refusal, no session.
	b3 := e.browser(t)
	e.fake.SetOAuthUser("stranger")
	out := b3.follow("/app/me")
	if out.Code != http.StatusForbidden || !strings.Contains(out.Body, "还不是本系统的成员") {
		t.Fatalf("non-member: %d %s", out.Code, out.Body)
	}
}

func mustQuery(t *testing.T, u, key string) string {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil || pu.Query().Get(key) == "" {
		t.Fatalf("no %s in %q", key, u)
	}
	return pu.Query().Get(key)
}

// 我的's 完成 goes through chat's 完成: recorded once, seen in chat, a second press changes
// nothing; a missing or wrong csrf, a forged cookie, another unit: refused, nothing changed.
func TestWebCompleteAndRefusals(t *testing.T) {
	e := newWebEnv(t)
	b := e.browser(t)
	me := b.login("lisi")
	csrf := csrfOf(t, me)
	m := keyRE.FindStringSubmatch(me.Body)
	if m == nil {
		t.Fatalf("no 完成 button on 我的: %s", me.Body)
	}
	key := m[1]
	before := e.completions(t)

	refuse := func(name string, p page) {
		t.Helper()
		if p.Code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403: %s", name, p.Code, p.Body)
		}
		if !strings.Contains(p.Body, "什么也没有改") {
			t.Errorf("%s: the refusal does not say nothing changed: %s", name, p.Body)
		}
		if n := e.completions(t); n != before {
			t.Fatalf("%s: completions %d -> %d", name, before, n)
		}
	}
	refuse("no csrf", b.post("/app/me/done", url.Values{"key": {key}}))
	refuse("wrong csrf", b.post("/app/me/done", url.Values{"key": {key}, "csrf": {csrf[:len(csrf)-2] + "xx"}}))

	forged := e.browser(t)
	u, _ := url.Parse(e.base)
	var sess *http.Cookie
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "planbot_session" {
			sess = c
		}
	}
	if sess == nil {
		t.Fatal("no session cookie")
	}
	payload, _, _ := strings.Cut(sess.Value, ".")
	forged.c.Jar.SetCookies(u, []*http.Cookie{{Name: "planbot_session", Value: payload + ".AAAA" + sess.Value[len(payload)+5:]}})
	refuse("forged cookie", forged.post("/app/me/done", url.Values{"key": {key}, "csrf": {csrf}}))
	if p := forged.get("/app/me"); p.Code != http.StatusFound || !strings.Contains(p.Location, "/connect/oauth2/authorize") {
		t.Errorf("forged cookie GET: %d %q, want the login", p.Code, p.Location)
	}
	// A unit lisi is not in.
	other, err := e.a.store.AddTeam(context.Background(), "test", bot.Team{Name: "濉溪县"})
	if err != nil {
		t.Fatal(err)
	}
	refuse("another unit", b.post("/app/me/done", url.Values{"key": {key}, "csrf": {csrf}, "u": {itoa(other.ID)}}))
	if p := b.get("/app/me?u=" + itoa(other.ID)); p.Code != http.StatusForbidden {
		t.Errorf("another unit's 我的: %d", p.Code)
	}
	// A staff member posting a supervisor's form.
	refuse("staff assigns", b.post("/app/team/assign", url.Values{"key": {key}, "csrf": {csrf}, "to": {"lisi"}}))

	done := b.post("/app/me/done", url.Values{"key": {key}, "csrf": {csrf}, "note": {"已报送市局"}})
	if done.Code != http.StatusSeeOther {
		t.Fatalf("完成: %d %s", done.Code, done.Body)
	}
	after := b.get("/app/me")
	if !strings.Contains(after.Body, "已标记完成") || !strings.Contains(after.Body, "已报送市局") {
		t.Fatalf("我的 after 完成 does not show chat's confirmation: %s", after.Body)
	}
	if n := e.completions(t); n != before+1 {
		t.Fatalf("completions %d -> %d, want one more", before, n)
	}
	if got := e.chat(t, "lisi", "完成 #"+key); !strings.Contains(got, "早已由李老师完成") {
		t.Errorf("chat does not see the page's completion: %q", got)
	}
	again := b.post("/app/me/done", url.Values{"key": {key}, "csrf": {csrf}})
	if again.Code != http.StatusSeeOther {
		t.Fatalf("second 完成: %d", again.Code)
	}
	if p := b.get("/app/me"); !strings.Contains(p.Body, "没有重复记录") {
		t.Errorf("second press: %s", p.Body)
	}
	if n := e.completions(t); n != before+1 {
		t.Fatalf("a second press recorded again: %d -> %d", before, n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var errNoFeed = errors.New("no feed url on 我的")

var feedRE = regexp.MustCompile(`<code>(http[^<]+\.ics)</code>`)

func feedURL(p page) (string, error) {
	m := feedRE.FindStringSubmatch(p.Body)
	if m == nil {
		return "", errNoFeed
	}
	return m[1], nil
}

// 团队's assign goes through chat's 分配; 计划 marks holidays and 调休; 数据 totals to the 分 and
// downloads the workbook; 记录 lists who did what, filtered by person.
func TestWebSupervisorPages(t *testing.T) {
	e := newWebEnv(t)
	ctx := context.Background()
	b := e.browser(t)
	b.login("wangzr")
	team := b.get("/app/team")
	if team.Code != http.StatusOK || strings.Count(team.Body, "<svg") != 2 || !strings.Contains(team.Body, "逾期") {
		t.Fatalf("团队: %d %s", team.Code, team.Body)
	}
	m := regexp.MustCompile(`action="/app/team/assign".*?name="key" value="([^"]+)"`).FindStringSubmatch(team.Body)
	if m == nil {
		t.Fatal("no assign control on 团队")
	}
	p := b.post("/app/team/assign", url.Values{"csrf": {csrfOf(t, team)}, "key": {m[1]}, "to": {"lisi"}})
	if p.Code != http.StatusSeeOther {
		t.Fatalf("assign: %d %s", p.Code, p.Body)
	}
	items, _ := e.a.store.Obligations(ctx, e.a.team.ID, false)
	for _, it := range items {
		if it.Key == m[1] && it.Assignee != "lisi" {
			t.Errorf("assigned to %q", it.Assignee)
		}
	}
	if after := b.get("/app/team"); !strings.Contains(after.Body, "李老师") || !strings.Contains(after.Body, "分配") {
		t.Errorf("团队 after assign: %s", after.Body)
	}
	year := b.get("/app/plan?m=0")
	for _, want := range []string{"劳动节", "调休上班", "原定"} {
		if !strings.Contains(year.Body, want) {
			t.Errorf("计划 (whole year) lacks %q", want)
		}
	}
	if od := b.get("/app/plan?m=0&s=overdue&p=lisi"); !strings.Contains(od.Body, "共1项") {
		t.Errorf("计划 filtered to lisi's overdue: %s", regexp.MustCompile(`共\d+项`).FindString(od.Body))
	}
	for _, f := range []bot.Figure{
		{TeamID: e.a.team.ID, Programme: "国家助学金", Stage: "中职", Term: "春季", Year: 2026, Persons: 120, AmountFen: 12345601, By: "lisi", At: serveNow},
		{TeamID: e.a.team.ID, Programme: "国家助学金", Stage: "中职", Term: "春季", Year: 2026, Persons: 3, AmountFen: 99, By: "lisi", At: serveNow},
	} {
		if _, err := e.a.store.AddFigure(ctx, f, bot.Effect{}); err != nil {
			t.Fatal(err)
		}
	}
	data := b.get("/app/data")
	if !strings.Contains(data.Body, "123,457.00") || !strings.Contains(data.Body, ">123<") || !strings.Contains(data.Body, "2条记录") {
		t.Errorf("数据: totals not exact to the 分: %s", data.Body)
	}
	wb := b.get("/app/data/workbook")
	if wb.Code != http.StatusOK || !strings.HasPrefix(wb.Body, "PK") || !strings.Contains(wb.Header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("workbook: %d %s", wb.Code, wb.Header.Get("Content-Type"))
	}
	log := b.get("/app/log?p=wangzr")
	if !strings.Contains(log.Body, "王主任 <b>分配</b>") {
		t.Errorf("记录 lacks the assignment: %s", log.Body)
	}
	if l := b.get("/app/log?p=lisi&from=2026-03-02&to=2026-03-02"); strings.Contains(l.Body, "<b>分配</b>") {
		t.Error("记录's person filter lets wangzr's entries through")
	}
}
