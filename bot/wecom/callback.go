package wecom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/planbot/planbot/bot"
)

// MaxBodyBytes caps callback request bodies; larger ones get 413.
const MaxBodyBytes = 64 << 10

// MaxTextBytes is WeCom's limit for one text or markdown message.
const MaxTextBytes = 2048

// Dispatcher turns an inbound message into a reply; the lead wires it to (*bot.Router).Handle.
// For a card click (in.IsCardClick()) a nil error means "the click was applied (or was already
// applied)": the card's button is then replaced; return an error to leave the card as it is.
type Dispatcher interface {
	Dispatch(ctx context.Context, in Inbound) (bot.Reply, error)
}

// DispatcherFunc adapts a function to Dispatcher.
type DispatcherFunc func(ctx context.Context, in Inbound) (bot.Reply, error)

// Dispatch calls f.
func (f DispatcherFunc) Dispatch(ctx context.Context, in Inbound) (bot.Reply, error) {
	return f(ctx, in)
}

// Deduper remembers inbound ids; bot.State satisfies it.
type Deduper interface {
	// FirstSeen records id for ttl; false when it was recorded before.
	FirstSeen(ctx context.Context, id string, ttl time.Duration) (bool, error)
}

// Sender delivers what cannot go into a passive reply; *Client satisfies it.
type Sender interface {
	// SendReply sends r to one user as app message(s) (markdown, split at 2048 bytes).
	SendReply(ctx context.Context, userID string, r bot.Reply) error
	// UpdateTemplateCard replaces the buttons of a clicked card with replaceName.
	UpdateTemplateCard(ctx context.Context, userIDs []string, responseCode, replaceName string) error
}

// CardReplacer is implemented by senders that can replace a whole clicked card (*Client does).
type CardReplacer interface {
	ReplaceTemplateCard(ctx context.Context, userIDs []string, responseCode string, card TemplateCard) error
}

// Callback is the http.Handler for the self-built app's callback URL (GET verification, POST
// messages and events). Create it with NewCallback.
type Callback struct {
	cfg          Config
	cr           *crypter
	d            Dispatcher
	dedup        Deduper
	sender       Sender
	now          func() time.Time
	log          *slog.Logger
	m            *Metrics
	timeout      time.Duration // how long to wait for Dispatch before answering empty
	asyncTimeout time.Duration // how long a late dispatch and its sends may take
	dedupTTL     time.Duration
	replaceName  string
	markdown     bool // send every reply as markdown through the sender, never passive text
	refresh      func(ctx context.Context, in Inbound) (*TemplateCard, error)
	wg           sync.WaitGroup
}

// CallbackOption configures a Callback.
type CallbackOption func(*Callback)

// WithDeduper sets the de-duplication store (without one, WeCom's retries are dispatched again).
func WithDeduper(d Deduper) CallbackOption { return func(c *Callback) { c.dedup = d } }

// WithSender sets where slow replies, long replies and card updates go.
func WithSender(s Sender) CallbackOption { return func(c *Callback) { c.sender = s } }

// WithClock injects the clock used for the replay window and reply timestamps.
func WithClock(now func() time.Time) CallbackOption { return func(c *Callback) { c.now = now } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) CallbackOption { return func(c *Callback) { c.log = l } }

// WithMetrics records callback outcomes.
func WithMetrics(m *Metrics) CallbackOption { return func(c *Callback) { c.m = m } }

// WithDispatchTimeout sets how long the handler waits for Dispatch before answering an empty 200
// and sending the reply later (default 3.5 s; WeCom gives up after 5 s).
func WithDispatchTimeout(d time.Duration) CallbackOption {
	return func(c *Callback) { c.timeout = d }
}

// WithAsyncTimeout bounds a late dispatch plus its sends (default 2 min).
func WithAsyncTimeout(d time.Duration) CallbackOption {
	return func(c *Callback) { c.asyncTimeout = d }
}

// WithDedupTTL sets how long inbound ids are remembered (default 1 h).
func WithDedupTTL(d time.Duration) CallbackOption { return func(c *Callback) { c.dedupTTL = d } }

// WithCardReplaceName sets the text that replaces a clicked card's buttons (default 已完成).
func WithCardReplaceName(s string) CallbackOption { return func(c *Callback) { c.replaceName = s } }

// WithMarkdownReplies sends every reply as markdown through the sender instead of a passive
// text reply (passive replies cannot carry markdown).
func WithMarkdownReplies(on bool) CallbackOption { return func(c *Callback) { c.markdown = on } }

// WithCardRefresh replaces the whole clicked card with the one refresh returns (say, the same
// day's items with the done ones' buttons gone, under the same task_id) instead of replacing all
// its buttons with the done text. A nil card, an error, or a sender that is not a CardReplacer
// falls back to the button replacement.
func WithCardRefresh(refresh func(ctx context.Context, in Inbound) (*TemplateCard, error)) CallbackOption {
	return func(c *Callback) { c.refresh = refresh }
}

// NewCallback returns the callback handler. cfg must be valid.
func NewCallback(cfg Config, d Dispatcher, opts ...CallbackOption) (*Callback, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if d == nil {
		return nil, errors.New("wecom: nil Dispatcher")
	}
	cr, err := newCrypter(cfg.Token, cfg.AESKey)
	if err != nil {
		return nil, err
	}
	c := &Callback{
		cfg: cfg, cr: cr, d: d,
		now:          time.Now,
		log:          slog.Default(),
		timeout:      3500 * time.Millisecond,
		asyncTimeout: 2 * time.Minute,
		dedupTTL:     time.Hour,
		replaceName:  "已完成",
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Wait blocks until background work (late replies, card updates) has finished. Call it after
// the HTTP server has shut down, and in tests before looking at the fake's requests.
func (c *Callback) Wait() { c.wg.Wait() }

// ServeHTTP implements http.Handler.
func (c *Callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := c.now()
	var outcome string
	switch r.Method {
	case http.MethodGet:
		outcome = c.verifyURL(w, r)
	case http.MethodPost:
		outcome = c.receive(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		outcome = OutcomeBadBody
	}
	c.m.callback(outcome, c.now().Sub(start))
}

// reject answers a 4xx and logs why; it never logs secrets or message content.
func (c *Callback) reject(w http.ResponseWriter, r *http.Request, status int, outcome string, err error) string {
	c.log.Warn("wecom callback rejected", "status", status, "outcome", outcome,
		"remote", r.RemoteAddr, "method", r.Method, "err", err)
	http.Error(w, http.StatusText(status), status)
	return outcome
}

// checkTime applies the replay window to the query's timestamp.
func (c *Callback) checkTime(ts string) error {
	if c.cfg.ReplayWindow <= 0 {
		return nil
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q", ts)
	}
	d := c.now().Sub(time.Unix(n, 0))
	if d < 0 {
		d = -d
	}
	if d > c.cfg.ReplayWindow {
		return fmt.Errorf("timestamp off by %s", d.Round(time.Second))
	}
	return nil
}

// verifyURL answers WeCom's GET: verify, decrypt echostr, answer the plaintext as is.
func (c *Callback) verifyURL(w http.ResponseWriter, r *http.Request) string {
	q := r.URL.Query()
	sig, ts, nonce := q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce")
	// A raw '+' in the query decodes as a space; base64 has no spaces.
	echo := strings.ReplaceAll(q.Get("echostr"), " ", "+")
	if echo == "" || sig == "" {
		return c.reject(w, r, http.StatusBadRequest, OutcomeBadBody, errors.New("missing echostr or msg_signature"))
	}
	if !c.cr.verify(sig, ts, nonce, echo) {
		return c.reject(w, r, http.StatusForbidden, OutcomeBadSig, errors.New("signature mismatch"))
	}
	if err := c.checkTime(ts); err != nil {
		return c.reject(w, r, http.StatusForbidden, OutcomeReplay, err)
	}
	msg, recv, err := c.cr.open(echo)
	if err != nil {
		return c.reject(w, r, http.StatusBadRequest, OutcomeBadBody, err)
	}
	if recv != c.cfg.CorpID {
		return c.reject(w, r, http.StatusForbidden, OutcomeWrongRecv, fmt.Errorf("receive id %q", recv))
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(msg)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(msg)
	return OutcomeVerified
}

// open verifies, decrypts and parses a POST; a non-empty outcome means it was rejected.
func (c *Callback) open(w http.ResponseWriter, r *http.Request) (Inbound, string) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return Inbound{}, c.reject(w, r, http.StatusRequestEntityTooLarge, OutcomeTooLarge, err)
		}
		return Inbound{}, c.reject(w, r, http.StatusBadRequest, OutcomeBadBody, err)
	}
	env, err := parseEnvelope(body)
	if err != nil {
		return Inbound{}, c.reject(w, r, http.StatusBadRequest, OutcomeBadBody, err)
	}
	q := r.URL.Query()
	sig, ts, nonce := q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce")
	if !c.cr.verify(sig, ts, nonce, env.Encrypt) {
		return Inbound{}, c.reject(w, r, http.StatusForbidden, OutcomeBadSig, errors.New("signature mismatch"))
	}
	if err := c.checkTime(ts); err != nil {
		return Inbound{}, c.reject(w, r, http.StatusForbidden, OutcomeReplay, err)
	}
	if env.ToUserName != "" && strings.TrimSpace(env.ToUserName) != c.cfg.CorpID {
		return Inbound{}, c.reject(w, r, http.StatusForbidden, OutcomeWrongRecv, fmt.Errorf("ToUserName %q", env.ToUserName))
	}
	if s := strings.TrimSpace(env.AgentID); s != "" && s != strconv.FormatInt(c.cfg.AgentID, 10) {
		return Inbound{}, c.reject(w, r, http.StatusForbidden, OutcomeWrongRecv, fmt.Errorf("AgentID %q", s))
	}
	plain, recv, err := c.cr.open(env.Encrypt)
	if err != nil {
		return Inbound{}, c.reject(w, r, http.StatusBadRequest, OutcomeBadBody, err)
	}
	if recv != c.cfg.CorpID {
		return Inbound{}, c.reject(w, r, http.StatusForbidden, OutcomeWrongRecv, fmt.Errorf("receive id %q", recv))
	}
	in, err := ParseMessage(plain)
	if err != nil {
		return Inbound{}, c.reject(w, r, http.StatusBadRequest, OutcomeBadBody, err)
	}
	if in.AgentID != 0 && in.AgentID != c.cfg.AgentID {
		return Inbound{}, c.reject(w, r, http.StatusForbidden, OutcomeWrongRecv, fmt.Errorf("AgentID %d", in.AgentID))
	}
	if in.ToUserName != "" && in.ToUserName != c.cfg.CorpID {
		return Inbound{}, c.reject(w, r, http.StatusForbidden, OutcomeWrongRecv, fmt.Errorf("ToUserName %q", in.ToUserName))
	}
	return in, ""
}

type dispatchResult struct {
	reply bot.Reply
	err   error
}

// receive handles a POST.
func (c *Callback) receive(w http.ResponseWriter, r *http.Request) string {
	in, outcome := c.open(w, r)
	if outcome != "" {
		return outcome
	}
	if !in.Supported() {
		w.WriteHeader(http.StatusOK)
		return OutcomeIgnored
	}
	if c.dedup != nil {
		first, err := c.dedup.FirstSeen(r.Context(), c.dedupKey(in), c.dedupTTL)
		switch {
		case err != nil:
			// Fail open: bot.State is expected to degrade to the store's SeenMessage itself.
			c.log.Error("wecom dedup failed; dispatching anyway", "err", err, "user", in.FromUserName)
		case !first:
			w.WriteHeader(http.StatusOK)
			return OutcomeDuplicate
		}
	}

	// Dispatch runs detached from the request so that a slow command still finishes.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), c.asyncTimeout)
	res := make(chan dispatchResult, 1)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		rep, err := c.safeDispatch(ctx, in)
		res <- dispatchResult{rep, err}
	}()
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	select {
	case d := <-res:
		return c.answer(ctx, cancel, w, in, d)
	case <-timer.C:
	case <-r.Context().Done():
	}
	w.WriteHeader(http.StatusOK)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer cancel()
		d := <-res
		c.deliver(ctx, in, c.replyOf(in, d), d.err == nil)
	}()
	return OutcomeAsync
}

// safeDispatch turns a panic in the dispatcher into an error.
func (c *Callback) safeDispatch(ctx context.Context, in Inbound) (rep bot.Reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("dispatch panic: %v", p)
		}
	}()
	return c.d.Dispatch(ctx, in)
}

func (c *Callback) dedupKey(in Inbound) string {
	return "wecom:" + c.cfg.CorpID + ":" + strconv.FormatInt(c.cfg.AgentID, 10) + ":" + in.DedupID()
}

// replyOf returns what to tell the user: the reply, or the error's user-facing message.
func (c *Callback) replyOf(in Inbound, d dispatchResult) bot.Reply {
	if d.err != nil {
		c.log.Error("wecom dispatch failed", "err", d.err, "user", in.FromUserName, "type", in.MsgType, "event", in.Event)
		if d.reply.Text() == "" {
			return bot.TextReply(bot.ErrorMessage(d.err))
		}
	}
	return d.reply
}

// answer writes the HTTP answer for a dispatch that finished in time.
func (c *Callback) answer(ctx context.Context, cancel context.CancelFunc, w http.ResponseWriter, in Inbound, d dispatchResult) string {
	rep := c.replyOf(in, d)
	text := rep.Text()
	outcome := OutcomeAsync
	switch {
	case in.IsCardClick():
		// The card update and any reply go through the API.
	case text == "":
		cancel()
		w.WriteHeader(http.StatusOK)
		outcome = OutcomeEmpty
	case c.sender == nil || !c.markdown && len(text) <= MaxTextBytes:
		cancel()
		body, err := c.cr.sealReply(c.cfg.CorpID, in.FromUserName, text, c.now().Unix())
		if err != nil {
			c.log.Error("wecom seal reply", "err", err)
			w.WriteHeader(http.StatusOK)
			return OutcomeError
		}
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
		outcome = OutcomeReplied
	}
	if outcome == OutcomeAsync {
		w.WriteHeader(http.StatusOK)
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			defer cancel()
			c.deliver(ctx, in, rep, d.err == nil)
		}()
	}
	if d.err != nil {
		return OutcomeError
	}
	return outcome
}

// deliver sends a reply through the sender and, for a click that was applied, updates the card.
func (c *Callback) deliver(ctx context.Context, in Inbound, rep bot.Reply, ok bool) {
	if c.sender == nil {
		c.log.Error("wecom: reply dropped, no sender configured", "user", in.FromUserName)
		return
	}
	if in.IsCardClick() && ok && in.ResponseCode != "" {
		if err := c.updateCard(ctx, in); err != nil {
			c.log.Error("wecom update card", "err", err, "user", in.FromUserName, "task_id", in.TaskID)
		}
	}
	if rep.Text() == "" {
		return
	}
	if err := c.sender.SendReply(ctx, in.FromUserName, rep); err != nil {
		c.log.Error("wecom late reply", "err", err, "user", in.FromUserName)
	}
}

// updateCard replaces the clicked card (WithCardRefresh) or its buttons.
func (c *Callback) updateCard(ctx context.Context, in Inbound) error {
	users := []string{in.FromUserName}
	if cr, ok := c.sender.(CardReplacer); ok && c.refresh != nil {
		card, err := c.refresh(ctx, in)
		if err != nil {
			c.log.Warn("wecom card refresh failed; replacing the buttons", "err", err, "task_id", in.TaskID)
		}
		if err == nil && card != nil {
			return cr.ReplaceTemplateCard(ctx, users, in.ResponseCode, *card)
		}
	}
	return c.sender.UpdateTemplateCard(ctx, users, in.ResponseCode, c.replaceName)
}
