package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/util"
)

// WeCom error codes the client acts on.
const (
	CodeInvalidToken   = 40014 // drop the cached token, fetch a new one, retry once
	CodeExpiredToken   = 42001 // same
	CodeRateLimited    = 45009 // minute-level API limit: back off and retry
	CodeConcurrency    = 45033 // concurrency limit: back off and retry
	CodeBusy           = -1    // system busy: back off and retry
	CodeAllInvalidUser = 81013 // every recipient invalid
)

// APIError is a non-zero errcode from WeCom.
type APIError struct {
	API  string // e.g. message/send
	Code int
	Msg  string
}

// Error implements error.
func (e *APIError) Error() string {
	return fmt.Sprintf("wecom %s: errcode %d: %s", e.API, e.Code, e.Msg)
}

// Temporary reports whether trying again later may succeed.
func (e *APIError) Temporary() bool {
	switch e.Code {
	case CodeRateLimited, CodeConcurrency, CodeBusy, CodeInvalidToken, CodeExpiredToken:
		return true
	}
	return false
}

// TransportError is a failed HTTP exchange with WeCom (network error, timeout, non-200 status).
// It never carries the URL, which holds the token or the webhook key.
type TransportError struct {
	API    string
	Status int   // HTTP status, 0 when there was no answer
	Err    error // the cause, nil for a bad status
}

// Error implements error.
func (e *TransportError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("wecom %s: %v", e.API, e.Err)
	}
	return fmt.Sprintf("wecom %s: HTTP %d", e.API, e.Status)
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// MaybeDelivered reports whether WeCom may have taken the request although the exchange failed:
// no HTTP answer after the connection was made (a timeout, a connection cut after the request
// was written, the caller's context ending mid-request), or a 200 whose body could not be read.
// A failed dial or DNS lookup, and an HTTP error status, mean WeCom did not take it. A durable
// delivery uses this to avoid sending a message twice (bot/schedule).
func (e *TransportError) MaybeDelivered() bool {
	if e.Status != 0 {
		return e.Status == http.StatusOK
	}
	var op *net.OpError
	if errors.As(e.Err, &op) && op.Op == "dial" {
		return false
	}
	var dns *net.DNSError
	return !errors.As(e.Err, &dns)
}

// Temporary reports true: trying again later may succeed (unless the context was cancelled).
func (e *TransportError) Temporary() bool {
	return !errors.Is(e.Err, context.Canceled)
}

// Client calls WeCom's server API: app messages, template cards, group robot webhook, appchat
// and the address book. It fetches and shares the access token through cache (Redis in
// production: redisstate.NewTokenCache), refreshes it on 40014/42001, backs off on
// 45009/45033/-1 and paces itself below WeCom's silent-drop limits. Safe for concurrent use.
type Client struct {
	cfg      Config
	base     string
	httpc    *http.Client
	cache    cache.Cache
	token    credential.AccessTokenContextHandle
	tokenKey string
	pacer    Pacer
	sleep    func(ctx context.Context, d time.Duration) error
	backoff  func(attempt int) time.Duration
	retries  int
	now      func() time.Time
	log      *slog.Logger
	m        *Metrics
	dupCheck time.Duration
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// WithPacer sets the pacer (default: in-process; use a Redis one with several replicas).
func WithPacer(p Pacer) ClientOption { return func(c *Client) { c.pacer = p } }

// WithSleep injects the sleeper used for back-off and pacing (tests pass one that returns at once).
func WithSleep(f func(ctx context.Context, d time.Duration) error) ClientOption {
	return func(c *Client) { c.sleep = f }
}

// WithRetries sets how many times a busy/rate-limited call is retried (default 3).
func WithRetries(n int) ClientOption { return func(c *Client) { c.retries = n } }

// WithClientClock injects the clock used for pacing.
func WithClientClock(now func() time.Time) ClientOption { return func(c *Client) { c.now = now } }

// WithClientLogger sets the logger (default slog.Default()).
func WithClientLogger(l *slog.Logger) ClientOption { return func(c *Client) { c.log = l } }

// WithClientMetrics records sends by API, outcome and errcode.
func WithClientMetrics(m *Metrics) ClientOption { return func(c *Client) { c.m = m } }

// WithDuplicateCheck asks WeCom to drop an identical app message sent again within interval
// (enable_duplicate_check); useful when a durable job retries a send. 0 disables (default).
func WithDuplicateCheck(interval time.Duration) ClientOption {
	return func(c *Client) { c.dupCheck = interval }
}

// NewClient returns a client for the app in cfg. tokens caches the access token (nil: in
// process); httpc is used for every call (nil: a client with a 10 s timeout).
//
// silenceper fetches tokens through process-wide globals: NewClient sets util.DefaultHTTPClient
// to httpc and points util.SetURIModifier at cfg.APIBase. Use one Client per process (tests that
// build clients must not run in parallel).
func NewClient(cfg Config, tokens cache.Cache, httpc *http.Client, opts ...ClientOption) (*Client, error) {
	if cfg.CorpID == "" || cfg.Secret == "" || cfg.AgentID <= 0 {
		return nil, errors.New("wecom: client needs WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET")
	}
	if httpc == nil {
		httpc = &http.Client{Timeout: 10 * time.Second}
	}
	if tokens == nil {
		tokens = newMemCache()
	}
	agent := strconv.FormatInt(cfg.AgentID, 10)
	c := &Client{
		cfg:      cfg,
		base:     cfg.apiBase(),
		httpc:    httpc,
		cache:    tokens,
		token:    credential.NewWorkAccessToken(cfg.CorpID, cfg.Secret, agent, credential.CacheKeyWorkPrefix, tokens),
		tokenKey: fmt.Sprintf("%s_access_token_%s_%s", credential.CacheKeyWorkPrefix, cfg.CorpID, agent),
		pacer:    NewMemoryPacer(),
		sleep:    sleepCtx,
		backoff:  func(n int) time.Duration { return time.Duration(n) * time.Second },
		retries:  3,
		now:      time.Now,
		log:      slog.Default(),
	}
	for _, o := range opts {
		o(c)
	}
	installGlobals(c.base, httpc)
	return c, nil
}

var globalsMu sync.Mutex

// installGlobals points silenceper's HTTP client and URI hook at httpc and base.
func installGlobals(base string, httpc *http.Client) {
	globalsMu.Lock()
	defer globalsMu.Unlock()
	util.DefaultHTTPClient = httpc
	if base == DefaultAPIBase {
		util.SetURIModifier(nil)
		return
	}
	util.SetURIModifier(func(uri string) string {
		if strings.HasPrefix(uri, DefaultAPIBase) {
			return base + strings.TrimPrefix(uri, DefaultAPIBase)
		}
		return uri
	})
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// accessToken returns the shared token, fetching one when the cache has none.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	tok, err := c.token.GetAccessTokenContext(ctx)
	if err == nil {
		return tok, nil
	}
	var ce *util.CommonError
	if errors.As(err, &ce) {
		return "", &APIError{API: "gettoken", Code: int(ce.ErrCode), Msg: ce.ErrMsg}
	}
	if m := tokenErrRE.FindStringSubmatch(err.Error()); m != nil {
		code, _ := strconv.Atoi(m[1])
		return "", &APIError{API: "gettoken", Code: code, Msg: c.redact(m[2])}
	}
	if ctx.Err() != nil {
		return "", fmt.Errorf("wecom gettoken: %w", ctx.Err())
	}
	// silenceper's errors carry the URL, which carries the secret.
	return "", fmt.Errorf("wecom gettoken: %s", c.redact(err.Error()))
}

// tokenErrRE reads the errcode out of silenceper's gettoken error (a plain fmt error).
var tokenErrRE = regexp.MustCompile(`errcode=(-?\d+) , errormsg=(.*)$`)

// dropToken removes the cached token so that the next call fetches a new one.
func (c *Client) dropToken() {
	if err := c.cache.Delete(c.tokenKey); err != nil {
		c.log.Warn("wecom: could not drop the cached access token", "err", err)
	}
	c.m.refresh()
}

func (c *Client) redact(s string) string {
	for _, secret := range []string{c.cfg.Secret, c.cfg.WebhookKey} {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "REDACTED")
			s = strings.ReplaceAll(s, url.QueryEscape(secret), "REDACTED")
		}
	}
	return s
}

// apiStatus is the errcode/errmsg every WeCom answer carries.
type apiStatus struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// call performs one API call with token refresh and back-off. api is the path under /cgi-bin/
// (e.g. "message/send"); body nil means GET; withToken false is for the robot webhook.
func (c *Client) call(ctx context.Context, api string, q url.Values, body, out any, withToken bool) error {
	var payload []byte
	if body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(body); err != nil {
			return fmt.Errorf("wecom %s: %w", api, err)
		}
		payload = buf.Bytes()
	}
	return c.callBody(ctx, api, q, payload, "application/json; charset=utf-8", out, withToken)
}

// callBody is call with a ready body of the given Content-Type (payload nil means GET). The body
// is sent again as it is when the call is retried.
func (c *Client) callBody(ctx context.Context, api string, q url.Values, payload []byte, contentType string, out any, withToken bool) error {
	start := time.Now()
	defer func() { c.m.sendTime(api, time.Since(start)) }()
	refreshed, busy := false, 0
	for {
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		if withToken {
			tok, err := c.accessToken(ctx)
			if err != nil {
				c.countErr(api, err)
				return err
			}
			qq.Set("access_token", tok)
		}
		raw, err := c.roundTrip(ctx, api, c.base+"/cgi-bin/"+api+"?"+qq.Encode(), payload, contentType)
		if err != nil {
			c.m.send(api, "error", -2)
			return err
		}
		var st apiStatus
		if err := json.Unmarshal(raw, &st); err != nil {
			c.m.send(api, "error", -3)
			return fmt.Errorf("wecom %s: bad answer: %w", api, err)
		}
		switch {
		case st.ErrCode == 0:
			c.m.send(api, "ok", 0)
			if out != nil {
				if err := json.Unmarshal(raw, out); err != nil {
					return fmt.Errorf("wecom %s: bad answer: %w", api, err)
				}
			}
			return nil
		case withToken && !refreshed && (st.ErrCode == CodeInvalidToken || st.ErrCode == CodeExpiredToken):
			refreshed = true
			c.m.send(api, "retry", st.ErrCode)
			c.log.Info("wecom: access token rejected, fetching a new one", "api", api, "errcode", st.ErrCode)
			c.dropToken()
			continue
		case busy < c.retries && (st.ErrCode == CodeRateLimited || st.ErrCode == CodeConcurrency || st.ErrCode == CodeBusy):
			busy++
			c.m.send(api, "retry", st.ErrCode)
			wait := c.backoff(busy)
			c.log.Warn("wecom: busy, backing off", "api", api, "errcode", st.ErrCode, "wait", wait, "attempt", busy)
			if err := c.sleep(ctx, wait); err != nil {
				return fmt.Errorf("wecom %s: %w", api, err)
			}
			continue
		}
		c.m.send(api, "error", st.ErrCode)
		err = &APIError{API: api, Code: st.ErrCode, Msg: st.ErrMsg}
		c.log.Error("wecom API error", "api", api, "errcode", st.ErrCode, "errmsg", st.ErrMsg)
		return err
	}
}

func (c *Client) countErr(api string, err error) {
	var ae *APIError
	if errors.As(err, &ae) {
		c.m.send(api, "error", ae.Code)
		return
	}
	c.m.send(api, "error", -2)
}

// roundTrip sends one request; errors never carry the URL (it holds the token or webhook key).
func (c *Client) roundTrip(ctx context.Context, api, u string, payload []byte, contentType string) ([]byte, error) {
	method := http.MethodGet
	var rd io.Reader
	if payload != nil {
		method = http.MethodPost
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("wecom %s: %s", api, c.redact(err.Error()))
	}
	if payload != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.httpc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &TransportError{API: api, Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, &TransportError{API: api, Status: resp.StatusCode, Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &TransportError{API: api, Status: resp.StatusCode}
	}
	return raw, nil
}

// memCache is a small concurrency-safe cache.Cache for one process.
type memCache struct {
	mu sync.Mutex
	m  map[string]memEntry
}

type memEntry struct {
	v   any
	exp time.Time
}

func newMemCache() *memCache { return &memCache{m: map[string]memEntry{}} }

// Get implements cache.Cache.
func (m *memCache) Get(key string) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[key]
	if !ok || time.Now().After(e.exp) {
		return nil
	}
	return e.v
}

// Set implements cache.Cache.
func (m *memCache) Set(key string, v any, timeout time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[key] = memEntry{v, time.Now().Add(timeout)}
	return nil
}

// IsExist implements cache.Cache.
func (m *memCache) IsExist(key string) bool { return m.Get(key) != nil }

// Delete implements cache.Cache.
func (m *memCache) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, key)
	return nil
}

// WithoutDuplicateCheck returns a Client sharing c's token, pacer and metrics that never asks
// WeCom to drop repeats: for chat replies, which a user may rightly ask for twice (only
// retried durable deliveries should carry enable_duplicate_check).
func (c *Client) WithoutDuplicateCheck() *Client {
	cp := *c
	cp.dupCheck = 0
	return &cp
}
