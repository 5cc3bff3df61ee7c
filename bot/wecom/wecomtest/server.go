// Package wecomtest is a fake WeCom for tests: an httptest server speaking WeCom's wire format
// (gettoken, media/upload, message/send, message/update_template_card, webhook/send, appchat/send,
// auth/getuserinfo and the OAuth authorize page,
// user/get, user/list, user/simplelist, department/list) that records every request and lets tests inject
// errcodes, delays and token expiry; plus helpers that build encrypted, signed callbacks.
package wecomtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/bot/wecom"
)

// Test credentials of the fake; Config() returns them with the server's URL as API base.
const (
	CorpID     = "wwplanbottest0001"
	AgentID    = 1000002
	Secret     = "test-secret-0123456789"
	Token      = "QDG6eK"
	AESKey     = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	WebhookKey = "test-webhook-key"
)

// Request is one recorded call.
type Request struct {
	API    string     // path under /cgi-bin/, e.g. message/send
	Method string     // GET or POST
	Query  url.Values // including access_token or key
	Body   []byte     // the JSON body of POSTs (the multipart body of media/upload)
}

// Upload is one file media/upload accepted.
type Upload struct {
	Type        string // the type query parameter: file, image, voice, video
	Filename    string // the filename of the media part
	ContentType string // the Content-Type of the media part
	Data        []byte
	MediaID     string // the media_id the fake answered
}

// JSON decodes the request body into v, failing the test on error.
func (r Request) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("wecomtest: %s body %q: %v", r.API, r.Body, err)
	}
}

// User is a member of the fake address book.
type User struct {
	UserID         string `json:"userid"`
	Name           string `json:"name"`
	Department     []int  `json:"department"`
	IsLeaderInDept []int  `json:"is_leader_in_dept"`
	Status         int    `json:"status"`
}

// Department is a department of the fake address book.
type Department struct {
	ID               int      `json:"id"`
	Name             string   `json:"name"`
	ParentID         int      `json:"parentid"`
	DepartmentLeader []string `json:"department_leader"`
}

type failure struct {
	code int
	n    int
}

// Server is the fake WeCom. All methods are safe for concurrent use.
type Server struct {
	*httptest.Server

	mu          sync.Mutex
	token       string
	expired     map[string]bool
	tokenSerial int
	requests    []Request
	fails       map[string]*failure
	delays      map[string]time.Duration
	statuses    map[string]*failure // HTTP error statuses to answer (code is the status)
	users       []User
	departments []Department
	msgSerial   int
	uploads     []Upload
	oauthUser   string               // who the authorize page logs in ("" refuses)
	codes       map[string]oauthCode // issued OAuth codes, until used
	codeSerial  int
}

// oauthCode is an OAuth code the fake issued.
type oauthCode struct {
	user   string
	issued time.Time
}

// NewServer starts a fake WeCom, closed when the test ends.
func NewServer(t testing.TB) *Server {
	s := &Server{expired: map[string]bool{}, fails: map[string]*failure{}, delays: map[string]time.Duration{}, statuses: map[string]*failure{},
		codes: map[string]oauthCode{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Config is a valid wecom.Config for this server (the official test vector's Token and
// EncodingAESKey, our own CorpID and AgentID).
func (s *Server) Config() wecom.Config { return TestConfig(s.URL) }

// TestConfig is the fake's credentials with apiBase ("" for WeCom's default), which also
// serves the OAuth authorize page.
func TestConfig(apiBase string) wecom.Config {
	return wecom.Config{
		CorpID: CorpID, AgentID: AgentID, Secret: Secret, Token: Token, AESKey: AESKey,
		APIBase: apiBase, OAuthBase: apiBase, WebhookKey: WebhookKey,
	}
}

// FailNext makes the next n calls to api answer errcode code.
func (s *Server) FailNext(api string, code, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails[api] = &failure{code: code, n: n}
}

// FailHTTPNext makes the next n calls to api answer HTTP status (a 500 from WeCom's gateway)
// without taking the request; the request is still listed by Requests.
func (s *Server) FailHTTPNext(api string, status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statuses[api] = &failure{code: status, n: n}
}

// Delay makes every call to api wait d before answering (or until the client gives up).
func (s *Server) Delay(api string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays[api] = d
}

// ExpireToken makes the current access token answer 42001 from now on; gettoken issues a new one.
func (s *Server) ExpireToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" {
		s.expired[s.token] = true
		s.token = ""
	}
}

// SetUsers replaces the address book's users.
func (s *Server) SetUsers(u ...User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = append([]User(nil), u...)
}

// SetDepartments replaces the address book's departments.
func (s *Server) SetDepartments(d ...Department) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.departments = append([]Department(nil), d...)
}

// Requests returns the recorded calls to api ("" for all), oldest first.
func (s *Server) Requests(api string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if api == "" || r.API == api {
			out = append(out, r)
		}
	}
	return out
}

// Uploads returns the files media/upload accepted, oldest first.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Upload(nil), s.uploads...)
}

// TokenFetches counts successful gettoken calls.
func (s *Server) TokenFetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenSerial
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func errJSON(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, map[string]any{"errcode": code, "errmsg": msg})
}

// serve answers one call as WeCom would: it records the call, applies what the test injected
// (an HTTP status, a delay, an errcode), checks the token (the webhook's key) and answers the API.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/connect/oauth2/authorize" {
		s.authorize(w, r)
		return
	}
	api, ok := strings.CutPrefix(r.URL.Path, "/cgi-bin/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	q := r.URL.Query()
	if !s.record(w, r, Request{API: api, Method: r.Method, Query: q, Body: body}) {
		return
	}
	if api == "gettoken" {
		s.getToken(w, q)
		return
	}
	if !s.authorized(w, api, q) {
		return
	}
	s.answer(w, r, api, q, body)
}

// record keeps the call, then answers an injected HTTP status or waits an injected delay; false
// when the call is answered (or the client went away).
func (s *Server) record(w http.ResponseWriter, r *http.Request, req Request) bool {
	s.mu.Lock()
	s.requests = append(s.requests, req)
	delay := s.delays[req.API]
	if f := s.statuses[req.API]; f != nil && f.n > 0 {
		f.n--
		s.mu.Unlock()
		http.Error(w, "injected", f.code)
		return false
	}
	s.mu.Unlock()
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return false
		}
	}
	return true
}

// authorized checks the access token (the key of webhook/send) and answers an injected errcode;
// false when the call is answered.
func (s *Server) authorized(w http.ResponseWriter, api string, q url.Values) bool {
	if api == "webhook/send" {
		if q.Get("key") != WebhookKey {
			errJSON(w, 93000, "invalid webhook url")
			return false
		}
	} else if code, msg := s.checkToken(q.Get("access_token")); code != 0 {
		errJSON(w, code, msg)
		return false
	}
	s.mu.Lock()
	if f := s.fails[api]; f != nil && f.n > 0 {
		f.n--
		s.mu.Unlock()
		errJSON(w, f.code, fmt.Sprintf("injected errcode %d", f.code))
		return false
	}
	s.mu.Unlock()
	return true
}

// answer answers an authorized call to api.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, api string, q url.Values, body []byte) {
	switch api {
	case "media/upload":
		s.mediaUpload(w, r.Header.Get("Content-Type"), q.Get("type"), body)
	case "message/send":
		s.messageSend(w, body)
	case "message/update_template_card":
		var req struct {
			ResponseCode string `json:"response_code"`
		}
		if json.Unmarshal(body, &req) != nil || req.ResponseCode == "" {
			errJSON(w, 40001, "invalid response_code")
			return
		}
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "invaliduser": []string{}})
	case "webhook/send", "appchat/send":
		if !json.Valid(body) {
			errJSON(w, 40058, "invalid json")
			return
		}
		errJSON(w, 0, "ok")
	case "user/get":
		s.userGet(w, q.Get("userid"))
	case "user/list", "user/simplelist":
		s.userList(w, q.Get("department_id"), api == "user/simplelist")
	case "department/list":
		s.departmentList(w, q.Get("id"))
	case "auth/getuserinfo":
		s.getUserInfo(w, q.Get("code"))
	default:
		errJSON(w, 60011, "no privilege to access/modify contact/party/agent")
	}
}

func (s *Server) getToken(w http.ResponseWriter, q url.Values) {
	if q.Get("corpid") != CorpID || q.Get("corpsecret") != Secret {
		errJSON(w, 40001, "invalid credential")
		return
	}
	s.mu.Lock()
	if f := s.fails["gettoken"]; f != nil && f.n > 0 {
		f.n--
		s.mu.Unlock()
		errJSON(w, f.code, "injected")
		return
	}
	s.tokenSerial++
	s.token = fmt.Sprintf("token-%d", s.tokenSerial)
	tok := s.token
	s.mu.Unlock()
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "access_token": tok, "expires_in": 7200})
}

func (s *Server) checkToken(tok string) (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case tok != "" && tok == s.token:
		return 0, ""
	case s.expired[tok]:
		return 42001, "access_token expired"
	}
	return 40014, "invalid access_token"
}

func (s *Server) messageSend(w http.ResponseWriter, body []byte) {
	var m struct {
		ToUser, ToParty, ToTag string
		MsgType                string          `json:"msgtype"`
		AgentID                json.RawMessage `json:"agentid"`
		TemplateCard           *struct {
			TaskID     string            `json:"task_id"`
			ButtonList []json.RawMessage `json:"button_list"`
		} `json:"template_card"`
		File *struct {
			MediaID string `json:"media_id"`
		} `json:"file"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		errJSON(w, 40058, "invalid json")
		return
	}
	if fmt.Sprint(AgentID) != strings.Trim(string(m.AgentID), `"`) {
		errJSON(w, 40056, "invalid agentid")
		return
	}
	if m.ToUser == "" && m.ToParty == "" && m.ToTag == "" {
		errJSON(w, 40058, "touser, toparty, totag all empty")
		return
	}
	if m.MsgType == "file" && (m.File == nil || !s.knownMedia(m.File.MediaID)) {
		errJSON(w, 40007, "invalid media_id")
		return
	}
	s.mu.Lock()
	s.msgSerial++
	n := s.msgSerial
	s.mu.Unlock()
	res := map[string]any{"errcode": 0, "errmsg": "ok", "msgid": fmt.Sprintf("msg-%d", n)}
	if m.MsgType == "template_card" && m.TemplateCard != nil {
		if m.TemplateCard.TaskID == "" || len(m.TemplateCard.ButtonList) > 6 {
			errJSON(w, 40058, "invalid template_card")
			return
		}
		res["response_code"] = fmt.Sprintf("rc-%d", n)
	}
	writeJSON(w, res)
}

func (s *Server) userGet(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.UserID == id {
			writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "userid": u.UserID, "name": u.Name,
				"department": u.Department, "is_leader_in_dept": u.IsLeaderInDept, "status": u.Status})
			return
		}
	}
	errJSON(w, 60111, "invalid string value `userid`")
}

func (s *Server) userList(w http.ResponseWriter, dept string, simple bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []map[string]any{}
	for _, u := range s.users {
		for _, d := range u.Department {
			if fmt.Sprint(d) == dept {
				e := map[string]any{"userid": u.UserID, "name": u.Name, "department": u.Department}
				if !simple {
					e["is_leader_in_dept"] = u.IsLeaderInDept
					e["status"] = u.Status
				}
				list = append(list, e)
				break
			}
		}
	}
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "userlist": list})
}

func (s *Server) departmentList(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []Department{}
	for _, d := range s.departments {
		if id == "" || fmt.Sprint(d.ID) == id || fmt.Sprint(d.ParentID) == id {
			list = append(list, d)
		}
	}
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "department": list})
}

// maxBody is the largest request body the fake reads: a 20 MB file and its multipart envelope.
const maxBody = 21 << 20

// mediaUpload accepts one multipart part named media, as WeCom does (doc 90253).
func (s *Server) mediaUpload(w http.ResponseWriter, contentType, kind string, body []byte) {
	limits := map[string]int{"file": 20 << 20, "image": 10 << 20, "voice": 2 << 20, "video": 10 << 20}
	limit, ok := limits[kind]
	if !ok {
		errJSON(w, 40004, "invalid media type")
		return
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		errJSON(w, 41008, "missing media")
		return
	}
	form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(maxBody)
	if err != nil {
		errJSON(w, 41008, "missing media")
		return
	}
	defer form.RemoveAll()
	files := form.File["media"]
	if len(files) != 1 || files[0].Filename == "" {
		errJSON(w, 41008, "missing media")
		return
	}
	fh := files[0]
	f, err := fh.Open()
	if err != nil {
		errJSON(w, 41008, "missing media")
		return
	}
	data, err := io.ReadAll(f)
	f.Close()
	switch {
	case err != nil:
		errJSON(w, 41008, "missing media")
		return
	case len(data) > limit:
		errJSON(w, 40006, "invalid media size")
		return
	case len(data) <= 5:
		errJSON(w, 40005, "invalid file size")
		return
	}
	s.mu.Lock()
	id := fmt.Sprintf("media-%d", len(s.uploads)+1)
	s.uploads = append(s.uploads, Upload{Type: kind, Filename: fh.Filename,
		ContentType: fh.Header.Get("Content-Type"), Data: data, MediaID: id})
	s.mu.Unlock()
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "type": kind, "media_id": id,
		"created_at": fmt.Sprint(time.Now().Unix())})
}

// knownMedia reports whether media/upload issued id.
func (s *Server) knownMedia(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.uploads {
		if u.MediaID == id {
			return true
		}
	}
	return false
}
