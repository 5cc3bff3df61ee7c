package schedule

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// What a chat message is answered through the API (a long reply, a card click's update and
// confirmation) is a delivery from the start: Stage inserts it as a deliver job before the
// callback tells WeCom it got the message, and the first send is made at once, outside the
// queue, as that job's first attempt (Staged.Send, marked as every attempt is, see markKey).
// So a process killed after the answer to WeCom and before the send leaves the job, which any
// replica then delivers; one killed in the middle of the send leaves it in doubt (listed,
// never resent blindly); and a WeCom retry of the message finds the job by its key and stages
// nothing twice.
//
// A staged job waits in River's pending state, which no worker takes: only Send, or the sweep
// after Deps.StageGrace (releaseStaged, at Start and as a periodic job), makes it available.

// defaultStageGrace is Deps.StageGrace's default: far longer than a send (the client's timeout
// is 10 s), short enough for a reply cut off by a crash to come within the minute.
const defaultStageGrace = 30 * time.Second

func (d *Deps) stageGrace() time.Duration {
	if d.StageGrace > 0 {
		return d.StageGrace
	}
	return defaultStageGrace
}

// defaultHoldGrace is Deps.HoldGrace's default: longer than anything a live process does with
// a held message or a first send (the callback gives a late dispatch and its sends 2 minutes;
// the client may pace a member's send for up to a minute), as River's rescue of running jobs.
const defaultHoldGrace = 5 * time.Minute

func (d *Deps) holdGrace() time.Duration {
	if d.HoldGrace > 0 {
		return d.HoldGrace
	}
	return defaultHoldGrace
}

// Staged is a delivery inserted before its first send (Stage).
type Staged struct {
	s   *Scheduler
	id  int64
	key string
}

// Stage inserts m, unsent, for Send to send at once. It returns nil (and no error) when a
// delivery with m's key exists: a WeCom retry of a message whose answer was staged before;
// that job delivers it, nothing is to be sent now.
func (s *Scheduler) Stage(ctx context.Context, m DeliverArgs) (*Staged, error) {
	if m.Key == "" {
		return nil, fmt.Errorf("schedule: message without idempotency key")
	}
	res, err := s.client.Insert(ctx, m, s.stagedOpts())
	if err != nil {
		return nil, err
	}
	if res.UniqueSkippedAsDuplicate {
		s.d.log().InfoContext(ctx, "answer staged before (a retried message); not sent again now", "key", m.Key)
		return nil, nil
	}
	return &Staged{s: s, id: res.Job.ID, key: m.Key}, nil
}

// Send makes the staged delivery's first attempt: marked "sending" before send and "sent" or
// "failed" after it (a send cut off without an answer stays "sending": in doubt), and then
// handed to the queue, which completes it, retries it when WeCom did not take it, or sends a
// chain's later parts. It sends nothing when the sweep released the job before (a send that
// came after Deps.StageGrace): the queue delivers it then. send's error is returned.
func (st *Staged) Send(ctx context.Context, send func() error) error {
	s := st.s
	b, err := json.Marshal(map[string]sendMark{markKey: {State: markSending, At: s.d.now(), Attempt: 1}})
	if err != nil {
		return err
	}
	ctx = context.WithoutCancel(ctx)
	tag, err := s.d.Pool.Exec(ctx, `UPDATE `+s.jobTable()+` SET metadata = metadata || $2::jsonb
		WHERE id = $1 AND state = 'pending' AND NOT metadata ? '`+markKey+`'`, st.id, b)
	if err != nil {
		return fmt.Errorf("schedule: record the first send of %s: %w", st.key, err)
	}
	if tag.RowsAffected() == 0 {
		return nil // released to the queue already: it sends
	}
	serr := send()
	m := sendMark{State: markSent, At: s.d.now(), Attempt: 1}
	switch {
	case serr != nil && maybeDelivered(serr):
		m.State, m.Error = markSending, serr.Error() // in doubt: the queue's attempt cancels it, listed
	case serr != nil:
		m.State, m.Error = markFailed, serr.Error()
	}
	if b, err = json.Marshal(map[string]sendMark{markKey: m}); err != nil {
		return err
	}
	if _, err := s.d.Pool.Exec(ctx, `UPDATE `+s.jobTable()+` SET metadata = metadata || $2::jsonb,
		state = 'available', scheduled_at = $3 WHERE id = $1 AND state = 'pending'`, st.id, b, s.d.now()); err != nil {
		s.d.log().WarnContext(ctx, "first send not recorded; the sweep hands the job to the queue", "key", st.key, "sent", serr == nil, "error", err)
	}
	return serr
}

// stagedOpts insert a job pending, with the replica that staged it in its metadata: a restart
// of this replica releases it at once (releaseStaged).
func (s *Scheduler) stagedOpts() *river.InsertOpts {
	opts := &river.InsertOpts{Pending: true}
	if s.d.ID != "" {
		md, _ := json.Marshal(map[string]string{stagedByKey: s.d.ID}) // a string map always marshals
		opts.Metadata = md
	}
	return opts
}

// stagedByKey names, in a staged job's metadata, the replica (Deps.ID) that staged it.
const stagedByKey = "planbot_staged_by"

// releaseStaged hands to the queue the staged deliveries whose first send did not start
// within Deps.StageGrace (their process died before it: the queue sends them), the first sends
// under way and the held messages older than Deps.HoldGrace (their process died during them: a
// send is in doubt, a message is dispatched again), and at once all of those staged by owner
// (at Start: this replica's Deps.ID, staged before its restart; no live process has its ID).
// A first send or a held message younger than the hold grace is left to its process, which
// may still be waiting for WeCom or the pacer, or dispatching: released, a send under way
// would be cancelled as in doubt (a long reply's later parts lost) and a held message
// dispatched twice at once.
func (s *Scheduler) releaseStaged(ctx context.Context, owner string) error {
	now := s.d.now()
	tag, err := s.d.Pool.Exec(ctx, `UPDATE `+s.jobTable()+` SET state = 'available', scheduled_at = $1
		WHERE state = 'pending' AND kind = ANY($2)
		AND (($4 <> '' AND metadata->>'`+stagedByKey+`' = $4) OR created_at < $5
			OR (kind = $6 AND created_at < $3 AND coalesce(metadata->'`+markKey+`'->>'state', '') <> '`+markSending+`'))`,
		now, []string{DeliverArgs{}.Kind(), RedispatchArgs{}.Kind()}, now.Add(-s.d.stageGrace()), owner,
		now.Add(-s.d.holdGrace()), DeliverArgs{}.Kind())
	if err != nil {
		return fmt.Errorf("schedule: release staged deliveries: %w", err)
	}
	if n := tag.RowsAffected(); n > 0 {
		s.d.log().WarnContext(ctx, "staged answers not sent by their process (it died?); handed to the queue", "jobs", n)
	}
	return nil
}

// releaseArgs is the job of one sweep of staged answers (releaseStaged), run by the leader
// every StageGrace.
type releaseArgs struct{}

// Kind implements river.JobArgs.
func (releaseArgs) Kind() string { return "planbot_release_staged" }

type releaseWorker struct {
	river.WorkerDefaults[releaseArgs]
	s *Scheduler
}

// Work sweeps the staged answers.
func (w *releaseWorker) Work(ctx context.Context, _ *river.Job[releaseArgs]) error {
	return w.s.releaseStaged(ctx, "") // a live replica's own may still be sent by it
}

// releaseJob is the periodic sweep of staged answers.
func (s *Scheduler) releaseJob() *river.PeriodicJob {
	every := max(s.d.stageGrace(), time.Second)
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return releaseArgs{}, &river.InsertOpts{Queue: QueueRun, MaxAttempts: 1,
			UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: every}}
	}, &river.PeriodicJobOpts{RunOnStart: true})
}

// RedispatchArgs is an inbound message whose dispatch outlived the callback's answer (an empty
// 200 went to WeCom before it finished: WeCom will not retry it). It is held pending while its
// process works on it (Hold) and dispatched again by the queue (Deps.Redispatch) when that
// process died: released by the replica's restart or after StageGrace, like a staged answer.
type RedispatchArgs struct {
	ID      string          `json:"id" river:"unique"` // the message's id (wecom.Inbound.ID)
	Message json.RawMessage `json:"message"`           // the message as the edge parsed it
}

// Kind implements river.JobArgs.
func (RedispatchArgs) Kind() string { return "planbot_redispatch" }

// InsertOpts makes a held message unique by id, on the deliver queue.
func (RedispatchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueDeliver, MaxAttempts: 10,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: uniqueStates}}
}

// Hold keeps m pending until release (its dispatch finished here); a held message whose process
// died is released to the queue (releaseStaged) and dispatched again.
func (s *Scheduler) Hold(ctx context.Context, m RedispatchArgs) (release func(), err error) {
	res, err := s.client.Insert(ctx, m, s.stagedOpts())
	if err != nil {
		return nil, err
	}
	if res.UniqueSkippedAsDuplicate {
		return func() {}, nil // held before (a retry): that one stands
	}
	id := res.Job.ID
	return func() {
		if _, err := s.d.Pool.Exec(context.WithoutCancel(ctx), `DELETE FROM `+s.jobTable()+` WHERE id = $1 AND state = 'pending'`, id); err != nil {
			s.d.log().WarnContext(ctx, "held message not released; it may be dispatched again (applied once)", "id", m.ID, "error", err)
		}
	}, nil
}

type redispatchWorker struct {
	river.WorkerDefaults[RedispatchArgs]
	s *Scheduler
}

// Work dispatches the held message again (Deps.Redispatch).
func (w *redispatchWorker) Work(ctx context.Context, job *river.Job[RedispatchArgs]) error {
	if w.s.d.Redispatch == nil {
		return river.JobCancel(fmt.Errorf("schedule: no Redispatch for held message %s", job.Args.ID))
	}
	return w.s.d.Redispatch(ctx, job.Args.Message)
}
