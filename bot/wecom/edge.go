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

// edge is what the app callback (Callback) and the smart robot's callback (RobotCallback) share:
// the method switch, rejections, the replay window, URL verification, the capped and signed
// body, de-duplication, and dispatch with a timeout that hands a late reply to the background.
// Both embed it; their options set its fields.
type edge struct {
	name         string // log prefix: "wecom callback" or "wecom robot callback"
	cr           *crypter
	d            Dispatcher
	dedup        Deduper
	now          func() time.Time
	log          *slog.Logger
	window       time.Duration // replay window; 0 disables
	timeout      time.Duration // how long to wait for Dispatch before answering empty
	asyncTimeout time.Duration // how long a late dispatch and its sends may take
	dedupTTL     time.Duration
	wg           sync.WaitGroup
	idle         chan func() // hands a dispatch to a waiting worker (runWorker)
	hold         Holder      // keeps a message whose dispatch outlives the answer (WithHolder)

	mu       sync.Mutex
	inflight map[string]bool // message ids being dispatched by this process
}

// workerIdle is how long a dispatch goroutine waits for the next dispatch before it ends.
const workerIdle = 10 * time.Second

// goDispatch runs f on a goroutine: an idle worker's if one is waiting, else a new one that
// then stays for further dispatches for up to workerIdle. A dispatch runs the whole router,
// whose stack a fresh goroutine grows by copying every time (about 5% of the server's CPU per
// message); a worker keeps its grown stack.
func (e *edge) goDispatch(f func()) {
	select {
	case e.idle <- f:
	default:
		go e.runWorker(f)
	}
}

func (e *edge) runWorker(f func()) {
	t := time.NewTimer(workerIdle)
	defer t.Stop()
	for {
		f()
		t.Reset(workerIdle)
		select {
		case f = <-e.idle:
		case <-t.C:
			return
		}
	}
}

// init checks what both constructors check (the configuration's own Validate result, a
// Dispatcher, the key) and sets the shared part with its defaults.
func (e *edge) init(name string, valid error, token, aesKey string, d Dispatcher, window time.Duration) error {
	if valid != nil {
		return valid
	}
	if d == nil {
		return errors.New("wecom: nil Dispatcher")
	}
	cr, err := newCrypter(token, aesKey)
	if err != nil {
		return err
	}
	e.name, e.cr, e.d, e.window = name, cr, d, window
	e.now = time.Now
	e.log = slog.Default()
	e.timeout = 3500 * time.Millisecond
	e.asyncTimeout = 2 * time.Minute
	e.dedupTTL = DefaultDedupTTL
	e.idle = make(chan func())
	e.inflight = map[string]bool{}
	return nil
}

// DefaultDedupTTL is how long both edges (app callback and smart robot) remember a message id:
// WeCom retries within seconds, but one policy for both keeps a late replay from applying.
const DefaultDedupTTL = 24 * time.Hour

// serve routes GET to verify and POST to receive and returns the outcome and how long it took.
func (e *edge) serve(w http.ResponseWriter, r *http.Request, verify, receive func(http.ResponseWriter, *http.Request) string) (string, time.Duration) {
	start := e.now()
	var outcome string
	switch r.Method {
	case http.MethodGet:
		outcome = verify(w, r)
	case http.MethodPost:
		outcome = receive(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		outcome = OutcomeBadBody
	}
	return outcome, e.now().Sub(start)
}

// reject answers a 4xx and logs why; it never logs secrets or message content.
func (e *edge) reject(w http.ResponseWriter, r *http.Request, status int, outcome string, err error) string {
	e.log.Warn(e.name+" rejected", "status", status, "outcome", outcome,
		"remote", r.RemoteAddr, "method", r.Method, "err", err)
	http.Error(w, http.StatusText(status), status)
	return outcome
}

// checkTime applies the replay window to the query's timestamp.
func (e *edge) checkTime(ts string) error {
	if e.window <= 0 {
		return nil
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q", ts)
	}
	d := e.now().Sub(time.Unix(n, 0))
	if d < 0 {
		d = -d
	}
	if d > e.window {
		return fmt.Errorf("timestamp off by %s", d.Round(time.Second))
	}
	return nil
}

// checkSigned verifies the query's signature over enc and the replay window; a non-empty
// outcome means the request was rejected.
func (e *edge) checkSigned(w http.ResponseWriter, r *http.Request, enc string) string {
	q := r.URL.Query()
	sig, ts, nonce := q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce")
	if !e.cr.verify(sig, ts, nonce, enc) {
		return e.reject(w, r, http.StatusForbidden, OutcomeBadSig, errors.New("signature mismatch"))
	}
	if err := e.checkTime(ts); err != nil {
		return e.reject(w, r, http.StatusForbidden, OutcomeReplay, err)
	}
	return ""
}

// verifyURL answers WeCom's GET: verify, decrypt echostr with open, check the receive id,
// answer the plaintext as is.
func (e *edge) verifyURL(w http.ResponseWriter, r *http.Request, open func(string) ([]byte, string, error), receiveID string) string {
	q := r.URL.Query()
	// A raw '+' in the query decodes as a space; base64 has no spaces.
	echo := strings.ReplaceAll(q.Get("echostr"), " ", "+")
	if echo == "" || q.Get("msg_signature") == "" {
		return e.reject(w, r, http.StatusBadRequest, OutcomeBadBody, errors.New("missing echostr or msg_signature"))
	}
	if outcome := e.checkSigned(w, r, echo); outcome != "" {
		return outcome
	}
	msg, recv, err := open(echo)
	if err != nil {
		return e.reject(w, r, http.StatusBadRequest, OutcomeBadBody, err)
	}
	if recv != receiveID {
		return e.reject(w, r, http.StatusForbidden, OutcomeWrongRecv, fmt.Errorf("receive id %q", recv))
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(msg)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(msg)
	return OutcomeVerified
}

// readBody reads a POST body of at most MaxBodyBytes; a non-empty outcome means it was rejected.
func (e *edge) readBody(w http.ResponseWriter, r *http.Request) ([]byte, string) {
	body, err := readAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes), r.ContentLength)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, e.reject(w, r, http.StatusRequestEntityTooLarge, OutcomeTooLarge, err)
		}
		return nil, e.reject(w, r, http.StatusBadRequest, OutcomeBadBody, err)
	}
	return body, ""
}

// readAll is io.ReadAll starting with room for a declared length (capped at MaxBodyBytes), so a
// callback body is read into one buffer instead of a growing series.
func readAll(rd io.Reader, n int64) ([]byte, error) {
	if n <= 0 || n > MaxBodyBytes {
		return io.ReadAll(rd)
	}
	b := make([]byte, 0, n+1) // +1: the read that sees EOF needs room
	for {
		m, err := rd.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow as io.ReadAll does
		}
	}
}

// duplicate reports (and answers an empty 200) when id was answered before, or is being
// dispatched by this process right now (a WeCom retry of a slow message: the first dispatch
// answers it). Otherwise id is taken in flight and the caller must end with answered(id).
//
// Nothing is recorded before the dispatch: a message whose dispatch a crash (kill -9, OOM)
// cut off is dispatched again when WeCom retries it, and the store, which records a message's
// effects keyed by its id in their own transaction (Inbound.ID, bot.Request.MsgID), applies
// each of them once.
// A failing Deduper fails open for the same reason.
func (e *edge) duplicate(w http.ResponseWriter, r *http.Request, id, user string) bool {
	if e.dedup == nil {
		return false
	}
	e.mu.Lock()
	busy := e.inflight[id]
	e.inflight[id] = true
	e.mu.Unlock()
	if busy {
		w.WriteHeader(http.StatusOK)
		return true
	}
	seen, err := e.dedup.Seen(r.Context(), id)
	switch {
	case err != nil:
		e.log.Error(e.name+" dedup failed; dispatching anyway", "err", err, "user", user)
	case seen:
		e.release(id)
		w.WriteHeader(http.StatusOK)
		return true
	}
	return false
}

// answered records id as answered (its dispatch finished: effects committed, the reply written
// or handed to the sender) and lets it out of flight.
func (e *edge) answered(ctx context.Context, id string) {
	if e.dedup == nil {
		return
	}
	if _, err := e.dedup.FirstSeen(context.WithoutCancel(ctx), id, e.dedupTTL); err != nil {
		e.log.Warn(e.name+" could not record an answered message; a retry of it applies nothing twice", "err", err)
	}
	e.release(id)
}

func (e *edge) release(id string) {
	e.mu.Lock()
	delete(e.inflight, id)
	e.mu.Unlock()
}

type dispatchResult struct {
	reply bot.Reply
	err   error
}

// Holder keeps an inbound message durably while its dispatch outlives the callback's answer:
// WeCom, answered with an empty 200, will not retry it, so a process killed before the
// dispatch finished would lose it. Hold records in before that answer; release, called once
// the dispatch finished and its answer was handed on, forgets it. What a holder keeps of a
// process that died is dispatched again elsewhere (see Callback.Redeliver); the store keeps
// that from applying anything twice.
type Holder interface {
	Hold(ctx context.Context, in Inbound) (release func(), err error)
}

// holdLate holds in (Holder) and returns its release; a failing or missing holder leaves the
// message to this process alone.
func (e *edge) holdLate(ctx context.Context, in Inbound) func() {
	if e.hold == nil {
		return func() {}
	}
	release, err := e.hold.Hold(ctx, in)
	if err != nil {
		e.log.Error(e.name+" slow message not held; a crash before it finishes loses it", "err", err, "user", in.FromUserName)
		return func() {}
	}
	return release
}

// dispatch runs the Dispatcher detached from the request, so that a slow command still
// finishes; in.ID, the message's id, goes with in to the dispatcher (bot.Request.MsgID) for
// the store to record with the effects. When it finishes within the timeout, inTime is true and the caller answers
// with d (and owns cancel), then calls answered(id). Otherwise an empty 200 is written and late
// runs in the background with the result once it comes, followed by answered(id); ctx and
// cancel are then late's.
func (e *edge) dispatch(w http.ResponseWriter, r *http.Request, id string, in Inbound, late func(ctx context.Context, d dispatchResult)) (ctx context.Context, cancel context.CancelFunc, d dispatchResult, inTime bool) {
	ctx, cancel = context.WithTimeout(context.WithoutCancel(r.Context()), e.asyncTimeout)
	res := make(chan dispatchResult, 1)
	e.wg.Add(1)
	e.goDispatch(func() {
		defer e.wg.Done()
		rep, err := e.d.Dispatch(ctx, in)
		res <- dispatchResult{rep, err}
	})
	timer := time.NewTimer(e.timeout)
	defer timer.Stop()
	select {
	case d := <-res:
		return ctx, cancel, d, true
	case <-timer.C:
	case <-r.Context().Done():
	}
	release := e.holdLate(ctx, in)
	w.WriteHeader(http.StatusOK)
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		defer cancel()
		late(ctx, <-res)
		release()
		e.answered(ctx, id)
	}()
	return ctx, cancel, dispatchResult{}, false
}

// replyOf returns what to tell the user: the reply, or the error's user-facing message.
// attrs describe the message in the log line of a failure.
func (e *edge) replyOf(d dispatchResult, attrs ...any) bot.Reply {
	if d.failed() {
		e.log.Error(e.name+" dispatch failed", append([]any{"err", d.err}, attrs...)...)
	}
	if d.err != nil {
		if d.reply.Text() == "" {
			return bot.TextReply(bot.ErrorMessage(d.err))
		}
	}
	return d.reply
}

// failed reports a dispatch that broke (a store down, a bug), as opposed to a command the user
// was refused (not a member, a bad argument): both carry an error, only a break is an error
// outcome and an error log. Neither counts as applied (no card update).
func (d dispatchResult) failed() bool {
	if d.err == nil {
		return false
	}
	switch bot.ErrorCode(d.err) {
	case bot.EINTERNAL, bot.EUNAVAILABLE:
		return true
	}
	return false
}
