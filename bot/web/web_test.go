package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/store/memory"
)

var t0 = time.Date(2026, 6, 8, 9, 0, 0, 0, bot.Shanghai)

func TestSessionSealOpen(t *testing.T) {
	s := signer{key: []byte("0123456789abcdef0123456789abcdef")}
	se := session{UserID: "lisi", Expires: t0.Add(SessionTTL), ID: "abc"}
	v := s.sealSession(se)
	got, err := s.openSession(v, t0)
	if err != nil || got.UserID != "lisi" || got.ID != "abc" {
		t.Fatalf("open: %+v %v", got, err)
	}
	if _, err := s.openSession(v, t0.Add(SessionTTL)); err == nil {
		t.Error("a session is still good at its expiry")
	}
	if _, err := s.openSession(v, t0.Add(SessionTTL-time.Second)); err != nil {
		t.Errorf("a second before expiry: %v", err)
	}
	payload, mac, _ := strings.Cut(v, ".")
	for _, bad := range []string{"", v + "x", payload + ".", "." + mac, strings.Replace(payload, "b", "c", 1) + "." + mac,
		signer{key: []byte("another key of thirty-two bytes!")}.sealSession(se)} {
		if _, err := s.openSession(bad, t0); err == nil {
			t.Errorf("forged %q accepted", bad)
		}
	}
	if s.checkCSRF(se, "") || !s.checkCSRF(se, s.csrf(se)) || s.checkCSRF(session{UserID: "lisi", ID: "other"}, s.csrf(se)) {
		t.Error("csrf tokens are not bound to the session")
	}
}

func FuzzOpenSession(f *testing.F) {
	s := signer{key: []byte("0123456789abcdef0123456789abcdef")}
	f.Add(s.sealSession(session{UserID: "lisi", Expires: t0.Add(time.Hour), ID: "x"}))
	f.Add("a|b|c.d")
	f.Fuzz(func(t *testing.T, v string) {
		se, err := s.openSession(v, t0)
		if err == nil && s.sealSession(se) != v {
			t.Fatalf("%q opened but is not what sealing %+v gives", v, se)
		}
	})
}

// testServer is the pages on the memory store with the demo login, a clock the test moves and a
// Chat that records what it was asked.
type testServer struct {
	*Server
	st   *memory.Store
	team bot.Team
	now  time.Time
	said []string
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	ctx := context.Background()
	ts := &testServer{st: memory.New(), now: t0}
	team, err := ts.st.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	ts.team = team
	members := []bot.Member{{TeamID: team.ID, UserID: "lisi", Name: "李老师", Role: bot.RoleStaff, Active: true}}
	for _, m := range members {
		if err := ts.st.PutMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(Options{PublicURL: "https://bot.example.cn", Secret: DeriveSecret("test"), DemoUsers: members,
		Store: ts.st, Feeds: ts.st, Calendar: workday.New(), Now: func() time.Time { return ts.now },
		Access: func(ctx context.Context, userID string) (bot.Access, []bot.Access, error) {
			m, err := ts.st.Member(ctx, team.ID, userID)
			if err != nil {
				return bot.Access{}, nil, nil
			}
			a := bot.Access{Team: team, Member: m, Direct: true}
			return a, []bot.Access{a}, nil
		},
		Chat: func(_ context.Context, _ bot.Access, text string) (bot.Reply, error) {
			ts.said = append(ts.said, text)
			return bot.TextReply("已标记完成"), nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	ts.Server = s
	return ts
}

type client struct {
	t       *testing.T
	s       http.Handler
	cookies map[string]*http.Cookie
}

func (c *client) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, "https://bot.example.cn"+path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, ck := range c.cookies {
		r.AddCookie(ck)
	}
	w := httptest.NewRecorder()
	c.s.ServeHTTP(w, r)
	for _, ck := range w.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return w
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) login(user string) string {
	c.t.Helper()
	w := c.do("GET", "/app/login", nil)
	tok := csrfField.FindStringSubmatch(w.Body.String())[1]
	if w := c.do("POST", "/app/login", url.Values{"csrf": {tok}, "user": {user}}); w.Code != http.StatusSeeOther {
		c.t.Fatalf("login: %d %s", w.Code, w.Body)
	}
	me := c.do("GET", "/app/me", nil)
	if me.Code != http.StatusOK {
		c.t.Fatalf("我的: %d", me.Code)
	}
	return csrfField.FindStringSubmatch(me.Body.String())[1]
}

// An expired session: GET goes to the login, POST is refused and nothing is asked of chat.
func TestExpiredSessionRefused(t *testing.T) {
	ts := newTestServer(t)
	c := &client{t: t, s: ts, cookies: map[string]*http.Cookie{}}
	csrf := c.login("lisi")
	sess := c.cookies[sessionCookie]
	if !sess.Secure || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.MaxAge != int(SessionTTL/time.Second) {
		t.Errorf("session cookie on an https public URL: %+v", sess)
	}
	ts.now = t0.Add(SessionTTL)
	if w := c.do("GET", "/app/me", nil); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/app/login") {
		t.Errorf("expired GET: %d %q", w.Code, w.Header().Get("Location"))
	}
	w := c.do("POST", "/app/me/done", url.Values{"csrf": {csrf}, "key": {"k"}})
	if w.Code != http.StatusForbidden || len(ts.said) != 0 {
		t.Errorf("expired POST: %d, chat asked %q", w.Code, ts.said)
	}
	ts.now = t0.Add(time.Hour)
	if w := c.do("POST", "/app/me/done", url.Values{"csrf": {csrf}, "key": {"k"}, "note": {"已报送"}}); w.Code != http.StatusSeeOther || len(ts.said) != 1 || ts.said[0] != "完成 #k 已报送" {
		t.Errorf("within the session: %d, chat asked %q", w.Code, ts.said)
	}
}
