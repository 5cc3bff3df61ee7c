package schedule

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/planbot/planbot/bot"
)

// uniqueStates are River's default unique states plus discarded: a message that failed for good
// is retried with `planbot jobs retry`, never re-created beside it.
var uniqueStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStateCompleted, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	rivertype.JobStateDiscarded,
}

// RunArgs renders the messages of one kind for one team and day. Unique by all its fields.
type RunArgs struct {
	Team string `json:"team"`
	What Kind   `json:"kind"`
	Date string `json:"date"` // YYYY-MM-DD in the team's zone
}

// Kind implements river.JobArgs.
func (RunArgs) Kind() string { return "planbot_run" }

// InsertOpts makes each (team, kind, date) unique.
func (RunArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueRun, MaxAttempts: 5,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: uniqueStates}}
}

// Origin names the run in its deliver jobs: "digest/default/2026-02-14".
func (a RunArgs) Origin() string { return string(a.What) + "/" + a.Team + "/" + a.Date }

// DeliverArgs is one outgoing message. Key is its idempotency key: unique among all deliver jobs.
type DeliverArgs struct {
	Key      string    `json:"key" river:"unique"`
	Origin   string    `json:"origin"` // the run that rendered it, or "" for event messages
	Team     string    `json:"team"`
	To       string    `json:"to"` // ToGroup or a member's userid
	Markdown string    `json:"markdown,omitempty"`
	Card     *bot.Card `json:"card,omitempty"`
	// Part and Rest make a chain of a message that takes several (see Chain): Part is this
	// one's number (1-based; its Key ends in "/Part") and Rest the markdown of the parts after
	// it. The next part's job is inserted in the transaction that completes this one.
	Part int      `json:"part,omitempty"`
	Rest []string `json:"rest,omitempty"`
	// CardUpdate, when set, updates a card the user clicked instead of sending a message (a
	// card click's update that WeCom refused at first, see CardUpdater).
	CardUpdate *CardUpdate `json:"card_update,omitempty"`
}

// ToGroup addresses the team's group.
const ToGroup = "@group"

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return "planbot_deliver" }

// InsertOpts makes deliveries unique by key.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueDeliver,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: uniqueStates}}
}

func (s *Scheduler) team(ctx context.Context, name string) (bot.Team, error) {
	if st, ok := s.d.Store.(teamByName); ok { // one row, not every unit per delivery
		t, err := st.TeamByName(ctx, name)
		if errors.Is(err, bot.ErrNotFound) {
			return bot.Team{}, river.JobCancel(fmt.Errorf("team %q: %w", name, err))
		}
		return t, err
	}
	teams, err := s.d.Store.Teams(ctx)
	if err != nil {
		return bot.Team{}, err
	}
	for _, t := range teams {
		if t.Name == name {
			return t, nil
		}
	}
	return bot.Team{}, river.JobCancel(fmt.Errorf("team %q: %w", name, bot.ErrNotFound))
}

// teamByName is a store that reads one team by name (store/postgres and store/memory do): with a
// thousand units, reading them all for every delivery was most of a fan-out's database work.
type teamByName interface {
	TeamByName(ctx context.Context, name string) (bot.Team, error)
}

type runWorker struct {
	river.WorkerDefaults[RunArgs]
	s *Scheduler
}

// Work renders the run's messages and inserts their deliver jobs in the transaction that
// completes the run: both happen, or neither.
func (w *runWorker) Work(ctx context.Context, job *river.Job[RunArgs]) error {
	s := w.s
	day, err := bot.ParseDate(job.Args.Date)
	if err != nil {
		return river.JobCancel(err)
	}
	team, err := s.team(ctx, job.Args.Team)
	if err != nil {
		return err
	}
	msgs, err := s.Render(ctx, team, job.Args.What, day)
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(msgs))
	for i, m := range msgs {
		m.Origin = job.Args.Origin()
		m.Team = team.Name
		params[i] = river.InsertManyParams{Args: m}
	}
	return pgx.BeginFunc(ctx, s.d.Pool, func(tx pgx.Tx) error {
		client := river.ClientFromContext[pgx.Tx](ctx)
		if _, err := client.InsertManyTx(ctx, tx, params); err != nil {
			return err
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}

// Render builds the messages of one kind for a team and day (nothing on a non-workday, nothing
// when there is nothing to say). Keys are set; Origin and Team are filled in by the run.
func (s *Scheduler) Render(ctx context.Context, team bot.Team, k Kind, day bot.Date) ([]DeliverArgs, error) {
	if !s.d.Calendar.IsWorkday(day) {
		return nil, nil
	}
	items, err := s.d.Store.Obligations(ctx, team.ID, false)
	if err != nil {
		return nil, err
	}
	members, err := s.d.Store.Members(ctx, team.ID)
	if err != nil {
		return nil, err
	}
	in := planInput{
		Team: team, Day: day, Items: items, Members: members, Cal: s.d.Calendar,
		Config: s.teamConfig(team), BuildAgenda: s.d.BuildAgenda, RenderDigest: s.d.RenderDigest,
		Robot: s.d.Robot,
	}
	if k == KindDigest && s.d.DayNumbering != nil {
		in.Numbers = numbersOf(s.d.DayNumbering(ctx, team, day, keysOf(in.agenda().Numbered())))
	}
	if k == KindEscalate {
		if in.Below, err = s.below(ctx, team); err != nil {
			return nil, err
		}
	}
	return plan(k, in), nil
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	s *Scheduler
}

// Timeout bounds one send, with room for bot/wecom's own back-off and pacing waits; it stays
// below Deps.RescueAfter so a running send is never taken for a dead one.
func (w *deliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return 3 * time.Minute }

// Work paces and sends one message. Rate limits snooze; other errors retry with backoff until
// the job is discarded. Errors with Retryable() or Temporary() true (as *wecom.APIError on
// 45009/45033/-1/40014/42001) count as rate limits unless Deps.Retryable says otherwise.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	s := w.s
	a := job.Args
	team, err := s.team(ctx, a.Team)
	if err != nil {
		return err
	}
	if m, marked := markOf(job.Metadata); s.d.Pacer != nil && (!marked || m.State == markFailed) {
		// paced only when this attempt sends: a part sent before (by Staged.Send, or an attempt
		// whose completion a crash cut off) or cut off mid-send is not sent again (sendOnce)
		perMinute, perHour := paceLimits(a.To)
		wait, err := s.d.Pacer.Pace(ctx, paceKey(team, a.To), perMinute, perHour, s.d.now())
		if err != nil {
			s.d.log().WarnContext(ctx, "pacer unavailable, sending unpaced", "error", err)
		} else if wait > 0 {
			return river.JobSnooze(wait)
		}
	}
	// Each send is recorded before and after (sendOnce, delivery.go): a restart neither repeats
	// one that went out nor blindly repeats one cut off mid-request.
	err = s.sendOnce(ctx, job.ID, job.Attempt, job.Metadata, a.Key, func() error {
		switch {
		case a.CardUpdate != nil:
			cu, ok := s.d.Sender.(CardUpdater)
			if !ok {
				return river.JobCancel(errors.New("schedule: the sender cannot update cards"))
			}
			return cu.UpdateCard(ctx, a.To, *a.CardUpdate)
		case a.To == ToGroup:
			return s.d.Sender.SendGroup(ctx, team, a.Markdown)
		case a.Card != nil:
			return s.d.Sender.SendUserCard(ctx, a.To, *a.Card)
		default:
			return s.d.Sender.SendUserMarkdown(ctx, a.To, a.Markdown)
		}
	})
	if err == nil && len(a.Rest) > 0 {
		return s.nextPart(ctx, job)
	}
	if err != nil && s.retryable(err) {
		n := snoozes(job.Metadata)
		if n > 5 {
			n = 5
		}
		d := s.d.RateLimitSnooze
		if d <= 0 {
			d = time.Minute
		}
		s.d.log().InfoContext(ctx, "rate limited, snoozing", "key", a.Key, "error", err, "snooze", d<<n)
		return river.JobSnooze(d << n)
	}
	return err
}

// nextPart completes a sent part of a chain and inserts the next one in the same transaction:
// the parts go out one after another, whatever the number of workers, a part that is snoozed
// (rate limit) holds back the rest, and a part is never inserted twice (its key is unique).
func (s *Scheduler) nextPart(ctx context.Context, job *river.Job[DeliverArgs]) error {
	next := NextPart(job.Args)
	return pgx.BeginFunc(ctx, s.d.Pool, func(tx pgx.Tx) error {
		client := river.ClientFromContext[pgx.Tx](ctx)
		if _, err := client.InsertTx(ctx, tx, next, nil); err != nil {
			return err
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}

// paceKey is the pacing key of a recipient, in its own "deliver:" namespace (bot/wecom paces
// its calls under "member:" and "webhook:"; separate keys never count one send twice). The
// group target holds a webhook secret, so it is hashed.
func paceKey(team bot.Team, to string) string {
	if to != ToGroup {
		return "deliver:member:" + to
	}
	target := team.GroupTarget
	if target == "" {
		target = "team:" + team.Name
	}
	sum := sha256.Sum256([]byte(target))
	return "deliver:group:" + hex.EncodeToString(sum[:8])
}

// paceLimits returns WeCom's per-minute and per-hour limits (0: none) for a recipient.
func paceLimits(to string) (perMinute, perHour int) {
	if to == ToGroup {
		return 20, 0 // group robot webhook: 20 a minute
	}
	return 30, 1000 // one member: 30 a minute, 1000 an hour
}

func (s *Scheduler) retryable(err error) bool {
	if s.d.Retryable != nil {
		return s.d.Retryable(err)
	}
	var r interface{ Retryable() bool }
	if errors.As(err, &r) {
		return r.Retryable()
	}
	var t interface{ Temporary() bool } // *wecom.APIError
	return errors.As(err, &t) && t.Temporary()
}

// RateLimited reports whether a WeCom errcode asks to back off: 45009 (rate), 45033
// (concurrency), -1 (busy). For wiring Deps.Retryable over *wecom.APIError.
func RateLimited(code int) bool { return code == 45009 || code == 45033 || code == -1 }
