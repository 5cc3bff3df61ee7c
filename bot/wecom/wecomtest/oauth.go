package wecomtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// CodeTTL is how long an OAuth code of the fake works (WeCom: five minutes, once).
const CodeTTL = 5 * time.Minute

// SetOAuthUser makes the fake's authorize page log in userID, as WeCom does for the person
// whose phone opened the page; "" makes it refuse.
func (s *Server) SetOAuthUser(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oauthUser = userID
}

// IssueCode returns a fresh OAuth code for userID, as the authorize page would.
func (s *Server) IssueCode(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueLocked(userID)
}

func (s *Server) issueLocked(userID string) string {
	s.codeSerial++
	code := fmt.Sprintf("code%06d", s.codeSerial)
	s.codes[code] = oauthCode{user: userID, issued: time.Now()}
	return code
}

// authorize is WeCom's /connect/oauth2/authorize: it checks the app's parameters and sends
// the browser back to redirect_uri with a code for the OAuth user and the state.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	s.requests = append(s.requests, Request{API: "oauth2/authorize", Method: r.Method, Query: q})
	user := s.oauthUser
	s.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("appid") != CorpID || q.Get("agentid") != strconv.Itoa(AgentID):
		http.Error(w, "wecomtest: wrong appid or agentid", http.StatusBadRequest)
		return
	case q.Get("scope") != "snsapi_base" || q.Get("response_type") != "code":
		http.Error(w, "wecomtest: want scope=snsapi_base&response_type=code", http.StatusBadRequest)
		return
	case err != nil || !back.IsAbs():
		http.Error(w, "wecomtest: redirect_uri must be an absolute URL", http.StatusBadRequest)
		return
	case user == "":
		http.Error(w, "wecomtest: nobody is logged in (SetOAuthUser)", http.StatusForbidden)
		return
	}
	s.mu.Lock()
	code := s.issueLocked(user)
	s.mu.Unlock()
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// getUserInfo is auth/getuserinfo: a code answers its userid once, within CodeTTL.
func (s *Server) getUserInfo(w http.ResponseWriter, code string) {
	s.mu.Lock()
	c, ok := s.codes[code]
	delete(s.codes, code)
	s.mu.Unlock()
	if !ok || time.Since(c.issued) > CodeTTL {
		errJSON(w, 40029, "invalid code")
		return
	}
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "userid": c.user})
}
