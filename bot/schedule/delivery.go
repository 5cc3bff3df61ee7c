package schedule

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
)

// A deliver job records its own send in its River metadata (markKey), committed before the
// request goes out and again after the answer:
//
//   - "sending": the request is (or may be) on its way. A later attempt that finds it knows an
//     earlier one was cut off mid-send: its process was killed (kill -9, OOM, a lost machine)
//     after WeCom may have taken the message, or WeCom did not answer before the client timeout.
//   - "sent": WeCom accepted it. A later attempt (River had not recorded the completion before
//     the crash) sends nothing.
//   - "failed": WeCom answered that it did not take it (an errcode, an HTTP error status), or the
//     request never left (no connection): a later attempt sends it again, as River retries do.
//
// An attempt that finds "sending" cannot know whether the message arrived: the group robot's
// webhook has no idempotency key and no way to ask what it received, and the app API's
// enable_duplicate_check cannot be relied on for template cards, whose task_id WeCom refuses
// twice. Planbot chooses at most once there: the job is cancelled with ErrInDoubt, logged as
// an error and listed by `planbot jobs` with the command that sends it again (`planbot jobs
// retry ID`, which clears the mark). Why: a crash or a timeout in the middle of a request
// almost always comes after WeCom received it (the request is small; the wait is for the
// answer), so a blind resend mostly doubles a message everyone already saw — the morning's
// group parts and cards in the issue — while a rare lost one is visible to the operator.
const markKey = "planbot_send"

// Mark states.
const (
	markSending = "sending"
	markSent    = "sent"
	markFailed  = "failed"
)

type sendMark struct {
	State   string    `json:"state"`
	At      time.Time `json:"at"`
	Attempt int       `json:"attempt"`
	Error   string    `json:"error,omitempty"`
}

// ErrInDoubt is the cause of a deliver job cancelled because an earlier attempt was cut off
// mid-send (see markKey): WeCom may or may not have the message.
var ErrInDoubt = errors.New("发送中断（进程退出或企业微信超时未答复），无法确认对方是否已收到；为免重复未自动重发。确认没有收到后运行 planbot jobs retry 任务ID 重发")

// markOf reads a job's send mark.
func markOf(metadata []byte) (sendMark, bool) {
	var md map[string]json.RawMessage
	if json.Unmarshal(metadata, &md) != nil {
		return sendMark{}, false
	}
	raw, ok := md[markKey]
	if !ok || string(raw) == "null" {
		return sendMark{}, false
	}
	var m sendMark
	if json.Unmarshal(raw, &m) != nil {
		return sendMark{}, false
	}
	return m, true
}

// jobTable is River's job table in the scheduler's schema.
func (s *Scheduler) jobTable() string {
	if s.d.Schema == "" {
		return "river_job"
	}
	return pgx.Identifier{s.d.Schema, "river_job"}.Sanitize()
}

// mark commits the send mark of job id, merged into its metadata (River merges its own updates
// the same way, so neither overwrites the other).
func (s *Scheduler) mark(ctx context.Context, id int64, m sendMark) error {
	b, err := json.Marshal(map[string]sendMark{markKey: m})
	if err != nil {
		return err
	}
	_, err = s.d.Pool.Exec(context.WithoutCancel(ctx), `UPDATE `+s.jobTable()+` SET metadata = metadata || $2::jsonb WHERE id = $1`, id, b)
	if err != nil {
		return fmt.Errorf("schedule: record delivery %d: %w", id, err)
	}
	return nil
}

// maybeDelivered reports whether a send error leaves the message in doubt: the request may
// have reached WeCom without an answer coming back (a timeout, a connection cut after it was
// written; errors with MaybeDelivered() true, as *wecom.TransportError without an HTTP status
// and not a failed dial) or the job's own deadline cut the send off.
func maybeDelivered(err error) bool {
	var md interface{ MaybeDelivered() bool }
	if errors.As(err, &md) {
		return md.MaybeDelivered()
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// sendOnce wraps one send of job id (attempt n) in its marks. It returns (nil, true) when an
// earlier attempt already delivered it, and a river.JobCancel(ErrInDoubt) when an earlier
// attempt was cut off mid-send; otherwise send's error.
func (s *Scheduler) sendOnce(ctx context.Context, id int64, n int, metadata []byte, key string, send func() error) error {
	if m, ok := markOf(metadata); ok {
		switch m.State {
		case markSent:
			s.d.log().InfoContext(ctx, "delivery already sent before a restart; not sent again", "key", key)
			return nil
		case markSending:
			s.d.log().ErrorContext(ctx, "delivery cut off mid-send earlier; not resent (planbot jobs retry sends it)",
				"key", key, "job", id, "cut_attempt", m.Attempt, "since", m.At)
			return river.JobCancel(fmt.Errorf("%w (第%d次发送于 %s 中断)", ErrInDoubt, m.Attempt, m.At.Format(time.DateTime)))
		}
	}
	if err := s.mark(ctx, id, sendMark{State: markSending, At: s.d.now(), Attempt: n}); err != nil {
		return err // nothing sent; River retries
	}
	err := send()
	switch {
	case err == nil:
		if merr := s.mark(ctx, id, sendMark{State: markSent, At: s.d.now(), Attempt: n}); merr != nil {
			s.d.log().WarnContext(ctx, "delivery sent but not recorded", "key", key, "error", merr)
		}
		return nil
	case maybeDelivered(err):
		s.d.log().ErrorContext(ctx, "delivery in doubt (no answer from WeCom); not resent", "key", key, "job", id, "error", err)
		return river.JobCancel(fmt.Errorf("%w: %w", ErrInDoubt, err))
	}
	if merr := s.mark(ctx, id, sendMark{State: markFailed, At: s.d.now(), Attempt: n, Error: err.Error()}); merr != nil {
		return fmt.Errorf("%w (and: %w)", err, merr)
	}
	return err
}

// resumeOwn makes the jobs this client (Deps.ID) was running when its process died available
// again at once, instead of after River's rescue delay (Deps.RescueAfter, 5 minutes): no other
// live process has this ID, so they are nobody's. Their send marks decide what a delivery does.
func (s *Scheduler) resumeOwn(ctx context.Context) (int64, error) {
	if s.d.ID == "" {
		return 0, nil
	}
	tag, err := s.d.Pool.Exec(ctx, `UPDATE `+s.jobTable()+` SET state = 'available', scheduled_at = $2
		WHERE state = 'running' AND attempted_by[array_length(attempted_by, 1)] = $1`, s.d.ID, s.d.now())
	if err != nil {
		return 0, fmt.Errorf("schedule: resume this replica's jobs: %w", err)
	}
	if n := tag.RowsAffected(); n > 0 {
		s.d.log().InfoContext(ctx, "resumed jobs left running by this replica's previous process", "id", s.d.ID, "jobs", n)
	}
	return tag.RowsAffected(), nil
}

// clearInDoubt drops the "sending" mark of job id, so that a retry asked for by the operator
// sends it.
func clearInDoubt(ctx context.Context, pool *pgxpool.Pool, table string, id int64) error {
	_, err := pool.Exec(ctx, `UPDATE `+table+` SET metadata = metadata - '`+markKey+`' WHERE id = $1 AND metadata->'`+markKey+`'->>'state' = '`+markSending+`'`, id)
	return err
}

// clientID fits id into River's 100 bytes, keeping it distinct (a hash of the whole).
func clientID(id string) string {
	if len(id) <= 100 {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return id[:83] + "-" + hex.EncodeToString(sum[:8])
}

// CardUpdate is the update of a clicked card: its buttons replaced by ReplaceName, or, when
// Card is set (the API's template_card JSON), the whole card replaced. ResponseCode is the
// click's (valid for 72 hours, once).
type CardUpdate struct {
	ResponseCode string          `json:"response_code"`
	ReplaceName  string          `json:"replace_name,omitempty"`
	Card         json.RawMessage `json:"card,omitempty"`
}

// CardUpdater is implemented by Senders that can update a clicked card (DeliverArgs.CardUpdate).
type CardUpdater interface {
	UpdateCard(ctx context.Context, userID string, u CardUpdate) error
}
