package wecom

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

// MaxBodyBytes caps callback request bodies; larger ones get 413.
const MaxBodyBytes = 64 << 10

// MaxTextBytes is WeCom's limit for one text or markdown message.
const MaxTextBytes = 2048

// Dispatcher turns an inbound message into a reply; the lead wires it to (*bot.Router).Handle.
// It must not panic (the edge runs it on a goroutine of its own and does not recover): serve's
// runs under the router's recovery, bot.Router.Safely, the one recovery on a message's way.
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

// Deduper remembers answered inbound ids; bot.State satisfies it. The edge asks Seen before a
// dispatch and records the id with FirstSeen only after it (the effect committed, the answer
// written), so a retry after a crash mid-dispatch is dispatched again; the store keeps that
// from applying anything twice (Inbound.ID, bot.Request.MsgID).
type Deduper interface {
	// FirstSeen records id for ttl; false when it was recorded before.
	FirstSeen(ctx context.Context, id string, ttl time.Duration) (bool, error)
	// Seen reports whether id was recorded; it records nothing.
	Seen(ctx context.Context, id string) (bool, error)
}

// Sender sends what answers a message through the API instead of the passive reply: a long
// reply, a card click's confirmation and the update of the clicked card. The callback calls
// Stage before it answers WeCom's request and runs the returned send after: a sender that
// queues records the answer durably in Stage (keyed by Answer.MsgID, so a retried message
// stages nothing twice), and a process killed after the callback's answer cannot lose it.
// ClientSender sends straight through a Client.
type Sender interface {
	// Stage prepares a. send, run once afterwards, sends what is to go out now; nil when
	// nothing is (staged before by an earlier delivery of the message).
	Stage(ctx context.Context, a Answer) (send func(ctx context.Context) error, err error)
}

// Answer is what answers one message through the API.
type Answer struct {
	MsgID string    // the message's Inbound.ID
	To    string    // the sender's userid
	Reply bot.Reply // Text() "": no reply
	Card  *CardChange
}

// CardChange is the update of a clicked card: its buttons replaced by ReplaceName, or, when
// Card is set (WithCardRefresh), the whole card. ResponseCode is the click's.
type CardChange struct {
	ResponseCode string
	ReplaceName  string
	Card         *TemplateCard
}

// Callback is the http.Handler for the self-built app's callback URL (GET verification, POST
// messages and events). Create it with NewCallback.
type Callback struct {
	edge
	cfg         Config
	sender      Sender
	m           *Metrics
	replaceName string
	refresh     func(ctx context.Context, in Inbound) (*TemplateCard, error)
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

// WithHolder keeps a message whose dispatch outlives the dispatch timeout (answered with an
// empty 200 first) durably until it finished, so that a crash in between does not lose it.
func WithHolder(h Holder) CallbackOption { return func(c *Callback) { c.hold = h } }

// WithDedupTTL sets how long inbound ids are remembered (default 1 h).
func WithDedupTTL(d time.Duration) CallbackOption { return func(c *Callback) { c.dedupTTL = d } }

// WithCardRefresh replaces the whole clicked card with the one refresh returns (say, the same
// day's items, the done ones marked 已完成 without buttons, see DigestCard) instead of replacing
// all its buttons with the done text, which WeCom applies to every button of the card. refresh
// runs after the click was dispatched without error, so it sees the completion. A card whose
// TaskID is empty, the clicked card's or the first card's (BaseTaskID) gets
// RefreshTaskID(in.TaskID, in.ResponseCode): WeCom does not take a task_id twice. A nil card
// or an error falls back to the button replacement.
func WithCardRefresh(refresh func(ctx context.Context, in Inbound) (*TemplateCard, error)) CallbackOption {
	return func(c *Callback) { c.refresh = refresh }
}

// NewCallback returns the callback handler. cfg must be valid.
func NewCallback(cfg Config, d Dispatcher, opts ...CallbackOption) (*Callback, error) {
	c := &Callback{cfg: cfg, replaceName: "已完成"}
	if err := c.init("wecom callback", cfg.Validate(), cfg.Token, cfg.AESKey, d, cfg.ReplayWindow); err != nil {
		return nil, err
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
	c.m.callback(c.serve(w, r, c.verifyURL, c.receive))
}

// verifyURL answers WeCom's GET: verify, decrypt echostr, answer the plaintext as is.
func (c *Callback) verifyURL(w http.ResponseWriter, r *http.Request) string {
	return c.edge.verifyURL(w, r, c.cr.open, c.cfg.CorpID)
}

// open verifies, decrypts and parses a POST; a non-empty outcome means it was rejected.
func (c *Callback) open(w http.ResponseWriter, r *http.Request) (Inbound, string) {
	body, outcome := c.readBody(w, r)
	if outcome != "" {
		return Inbound{}, outcome
	}
	env, err := parseEnvelope(body)
	if err != nil {
		return Inbound{}, c.reject(w, r, http.StatusBadRequest, OutcomeBadBody, err)
	}
	if outcome := c.checkSigned(w, r, env.Encrypt); outcome != "" {
		return Inbound{}, outcome
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
	in.ID = c.dedupKey(in)
	id := in.ID
	if c.duplicate(w, r, id, in.FromUserName) {
		return OutcomeDuplicate
	}
	ctx, cancel, d, inTime := c.dispatch(w, r, id, in, func(ctx context.Context, d dispatchResult) {
		// WeCom has its empty 200 already: stage and send at once.
		if send := c.stage(ctx, in, c.replyOf(in, d), d.err == nil); send != nil {
			if err := send(ctx); err != nil {
				c.log.Error("wecom late answer through the API", "err", err, "user", in.FromUserName)
			}
		}
	})
	if !inTime {
		return OutcomeAsync
	}
	defer c.answered(ctx, id)
	return c.answer(ctx, cancel, w, in, d)
}

func (c *Callback) dedupKey(in Inbound) string {
	return "wecom:" + c.cfg.CorpID + ":" + strconv.FormatInt(c.cfg.AgentID, 10) + ":" + in.DedupID()
}

// replyOf returns what to tell the user: the reply, or the error's user-facing message.
func (c *Callback) replyOf(in Inbound, d dispatchResult) bot.Reply {
	return c.edge.replyOf(d, "user", in.FromUserName, "type", in.MsgType, "event", in.Event)
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
	case c.sender == nil || len(text) <= MaxTextBytes:
		cancel()
		// Without a sender a long reply can only be cut: WeCom would cut it mid-line itself.
		body, err := c.cr.sealReply(c.cfg.CorpID, in.FromUserName, PassiveText(text), c.now().Unix())
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
		send := c.stage(ctx, in, rep, d.err == nil) // durable before WeCom hears back
		w.WriteHeader(http.StatusOK)
		c.send(ctx, cancel, in, send)
	}
	if d.failed() {
		return OutcomeError
	}
	return outcome
}

// Redeliver dispatches in again and sends its answer through the sender: the work of a slow
// message whose process died after the empty 200 (a Holder kept it). The store applies
// nothing twice and the sender stages nothing twice (both keyed by in.ID).
func (c *Callback) Redeliver(ctx context.Context, in Inbound) error {
	rep, err := c.d.Dispatch(ctx, in)
	d := dispatchResult{rep, err}
	if d.failed() {
		return err // a store still down: the queue tries again later, nothing said yet
	}
	if send := c.stage(ctx, in, c.replyOf(in, d), err == nil); send != nil {
		if serr := send(ctx); serr != nil {
			return serr
		}
	}
	c.answered(ctx, in.ID)
	return nil
}

// stage hands what answers in through the API (rep, and for a click that was applied the
// card's update) to the sender, before the callback answers WeCom; it returns what to send
// after (nil: nothing).
func (c *Callback) stage(ctx context.Context, in Inbound, rep bot.Reply, ok bool) func(context.Context) error {
	if c.sender == nil {
		c.log.Error("wecom: reply dropped, no sender configured", "user", in.FromUserName)
		return nil
	}
	a := Answer{MsgID: in.ID, To: in.FromUserName, Reply: rep}
	if in.IsCardClick() && ok && in.ResponseCode != "" {
		a.Card = c.cardChange(ctx, in)
	}
	if a.Card == nil && rep.Text() == "" {
		return nil
	}
	send, err := c.sender.Stage(ctx, a)
	if err != nil {
		c.log.Error("wecom: answer not staged; sending it unrecorded", "err", err, "user", in.FromUserName)
	}
	return send
}

// send runs what stage returned, in the background of the callback's answer.
func (c *Callback) send(ctx context.Context, cancel context.CancelFunc, in Inbound, send func(context.Context) error) {
	if send == nil {
		cancel()
		return
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer cancel()
		if err := send(ctx); err != nil {
			c.log.Error("wecom answer through the API", "err", err, "user", in.FromUserName, "task_id", in.TaskID)
		}
	}()
}

// cardChange is the update of the clicked card: the whole card refreshed (WithCardRefresh),
// else its buttons replaced.
func (c *Callback) cardChange(ctx context.Context, in Inbound) *CardChange {
	ch := &CardChange{ResponseCode: in.ResponseCode, ReplaceName: c.replaceName}
	if c.refresh == nil {
		return ch
	}
	card, err := c.refresh(ctx, in)
	if err != nil {
		c.log.Warn("wecom card refresh failed; replacing the buttons", "err", err, "task_id", in.TaskID)
	}
	if err == nil && card != nil {
		replaced := *card
		if t := replaced.TaskID; t == "" || t == in.TaskID || t == BaseTaskID(in.TaskID) {
			// WeCom takes a task_id once per app: the new card gets its own.
			replaced.TaskID = RefreshTaskID(in.TaskID, in.ResponseCode)
		}
		ch.Card = &replaced
	}
	return ch
}

// longTail ends a passive reply that had to be cut.
const longTail = "…（内容较长，请发送更具体的命令）"

// PassiveText fits a reply into one passive text message (MaxTextBytes): a longer text is cut
// at a line end (inside a very long line at a character boundary) and ends with a note asking
// for a more specific command.
func PassiveText(s string) string {
	if len(s) <= MaxTextBytes {
		return s
	}
	head := bot.SplitBytes(s, MaxTextBytes-len(longTail)-1)[0]
	return strings.TrimRight(head, "\n") + "\n" + longTail
}
