// Package schedule runs planbot's timed messages — morning digests and personal cards, deadline
// reminders, due-day mentions, escalations, weekly summaries and month overviews — as durable
// River jobs on PostgreSQL.
//
// Two job kinds do the work. A run job (RunArgs: team, kind, date; unique by its args) renders
// the messages for one team, one kind and one day and inserts one deliver job per message in the
// same transaction that completes it. A deliver job (DeliverArgs; unique by its idempotency key)
// sends one message through the Sender, paced by the Pacer, snoozed on WeCom rate limits and
// retried with backoff on other errors. A crash between rendering and sending therefore leaves
// deliver jobs behind that the next replica sends, once.
//
// Periodic jobs come from robfig/cron schedules in each team's time zone; only River's elected
// leader enqueues them, and uniqueness makes every (team, kind, date) run at most once.
package schedule

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/planbot/planbot/bot"
)

// Queue names used by the scheduler.
const (
	QueueRun     = "planbot_run"     // rendering jobs (RunArgs)
	QueueDeliver = "planbot_deliver" // sending jobs (DeliverArgs)
)

// Store is the part of bot.Store the scheduler reads. Any bot.Store satisfies it.
type Store interface {
	Teams(ctx context.Context) ([]bot.Team, error)
	Members(ctx context.Context, teamID int64) ([]bot.Member, error)
	Obligations(ctx context.Context, teamID int64, includeRetired bool) ([]bot.Tracked, error)
}

// Sender sends one message. Implemented over bot/wecom by the caller.
type Sender interface {
	// SendGroup posts markdown to the team's group (team.GroupTarget).
	SendGroup(ctx context.Context, team bot.Team, markdown string) error
	// SendUserMarkdown sends a markdown app message to one member.
	SendUserMarkdown(ctx context.Context, userID, markdown string) error
	// SendUserCard sends a template card to one member.
	SendUserCard(ctx context.Context, userID string, card bot.Card) error
}

// Pacer spaces sends so WeCom's silent per-member and per-webhook limits are never exceeded,
// across replicas (store/redisstate implements it on Redis). Pace counts one send under key
// when it may go now (wait 0), or returns how long to wait before trying again.
type Pacer interface {
	Pace(ctx context.Context, key string, perMinute, perHour int, now time.Time) (wait time.Duration, err error)
}

// Deps is what the scheduler needs. Pool, Store, Calendar and Sender are required.
type Deps struct {
	Pool     *pgxpool.Pool
	Store    Store
	Calendar bot.Calendar
	Sender   Sender
	Pacer    Pacer         // nil: no pacing
	Clock    bot.Clock     // nil: time.Now. A non-nil clock is also River's clock (tests).
	Log      *slog.Logger  // nil: discard
	Schema   string        // River's schema; "" uses search_path
	Queues   []string      // queues this process works; nil: both
	Periodic bool          // register the periodic jobs (planbot serve); false for one-shot use
	Workers  int           // workers per queue; 0: 4
	Poll     time.Duration // fetch poll interval; 0: River's default (1 s)
	// DigestCron overrides the default team's digest schedule (PLANBOT_DIGEST_CRON).
	DigestCron string
	// CatchUpUntil is the default TeamConfig.CatchUpUntil (PLANBOT_CATCHUP_UNTIL); 0: 12:00.
	CatchUpUntil time.Duration
	// TeamConfig returns a team's schedule settings; nil: DefaultTeamConfig with the team's DigestCron.
	TeamConfig func(bot.Team) TeamConfig
	// Retryable reports whether a send error is a WeCom rate limit (45009, 45033, -1) to snooze
	// on; nil: errors implementing interface{ Retryable() bool } decide.
	Retryable func(error) bool
	// RateLimitSnooze is the first snooze after a rate-limit error, doubled per snooze up to
	// 32x; 0: one minute.
	RateLimitSnooze time.Duration
	// MaxAttempts of a deliver job before it is discarded (visible in `planbot jobs`); 0: 10.
	MaxAttempts int
	// Retention of finished jobs (what makes a repeated run "already sent", and failures
	// visible); 0: 40 days; negative: forever. River's cleaner measures it on the wall clock.
	Retention time.Duration
	// ID names this replica's River client, the same across restarts of the replica (a
	// hostname, PLANBOT_REPLICA_ID) and never shared by two live processes: Start then makes the
	// jobs its previous process was running when it died available at once, instead of after
	// RescueAfter. "": a random ID, and such jobs wait for River's rescue.
	ID string
	// RescueAfter is when a running job counts as stuck (its replica died) and runs again;
	// 0: 5 minutes. River's rescuer measures it on the wall clock.
	RescueAfter time.Duration
	// BuildAgenda builds a day's agenda; nil: bot.BuildAgenda.
	BuildAgenda func(day bot.Date, items []bot.Tracked, cal bot.Calendar) bot.Agenda
	// RenderDigest renders the group digest (one message within the group channel's limit);
	// nil: render.Digest with the members' names.
	RenderDigest func(teamName string, a bot.Agenda) []string
	// Chores are periodic upkeep run once across replicas (registered with Periodic).
	Chores []Chore
	// Redispatch dispatches again a held message (Hold) whose process died before its dispatch
	// finished (serve: the callback's Redeliver); nil: such jobs are cancelled.
	Redispatch func(ctx context.Context, message json.RawMessage) error
	// StageGrace is how long a staged answer (Stage) waits for its first send before the queue
	// takes it (its process died); 0: 30 s.
	StageGrace time.Duration
	// HoldGrace is how long a first send under way (Staged.Send) and a held message (Hold)
	// belong to the live process working on them before the sweep counts that process dead;
	// 0: 5 minutes, above the callback's 2 minutes for a late dispatch and its sends. A
	// restart of the replica (Deps.ID) takes its own at once.
	HoldGrace time.Duration
	// DayNumbering, when set, gives the team's numbering of the day (item n is keys[n-1]) from
	// the agenda's own (fresh): the one chat lists already use today, if any (serve wires
	// handlers.DayNumbering), so the digest and cards show the numbers 完成 N means.
	DayNumbering func(ctx context.Context, team bot.Team, day bot.Date, fresh []string) []string
	// Robot: the smart robot (智能机器人) takes @mentions in the teams' groups, so the digest
	// may tell people to answer there; otherwise it points at the app.
	Robot bool
}

func (d *Deps) now() time.Time {
	if d.Clock != nil {
		return d.Clock()
	}
	return time.Now()
}

func (d *Deps) log() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Scheduler owns a River client with the planbot workers and, when Deps.Periodic, the periodic jobs.
type Scheduler struct {
	d      Deps
	client *river.Client[pgx.Tx]
	reg    registry
}

// New builds a scheduler. With Deps.Periodic it reads the teams to register their periodic jobs;
// SyncTeams brings them in line with units added, changed or removed later.
func New(ctx context.Context, d Deps) (*Scheduler, error) {
	if d.Pool == nil || d.Store == nil || d.Calendar == nil || d.Sender == nil {
		return nil, errors.New("schedule: Pool, Store, Calendar and Sender are required")
	}
	d.ID = clientID(d.ID)
	s := &Scheduler{d: d}
	workers := river.NewWorkers()
	river.AddWorker(workers, &runWorker{s: s})
	river.AddWorker(workers, &deliverWorker{s: s})
	river.AddWorker(workers, &choreWorker{s: s})
	river.AddWorker(workers, &releaseWorker{s: s})
	river.AddWorker(workers, &redispatchWorker{s: s})

	n := d.Workers
	if n <= 0 {
		n = 4
	}
	queues := d.Queues
	if queues == nil {
		queues = []string{QueueRun, QueueDeliver}
	}
	qc := map[string]river.QueueConfig{}
	for _, q := range queues {
		qc[q] = river.QueueConfig{MaxWorkers: n}
	}
	cfg := &river.Config{
		ID:                          d.ID,
		Queues:                      qc,
		Workers:                     workers,
		Schema:                      d.Schema,
		Logger:                      d.log(),
		FetchPollInterval:           d.Poll,
		CompletedJobRetentionPeriod: d.retention(), // "already sent" holds for a month and more
		DiscardedJobRetentionPeriod: d.retention(), // failures stay visible
		CancelledJobRetentionPeriod: d.retention(),
		RescueStuckJobsAfter:        cmp.Or(d.RescueAfter, 5*time.Minute),
		MaxAttempts:                 d.maxAttempts(),
	}
	if d.Poll > 0 && d.Poll < river.FetchCooldownDefault {
		cfg.FetchCooldown = d.Poll
	}
	if d.Clock != nil {
		cfg.Test.Time = clockTime(d.Clock)
	}
	c, err := river.NewClient(riverpgxv5.New(d.Pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("schedule: river client: %w", err)
	}
	s.client = c
	if d.Periodic {
		teams, err := d.Store.Teams(ctx)
		if err != nil {
			return nil, fmt.Errorf("schedule: teams: %w", err)
		}
		if err := s.SyncTeams(teams); err != nil {
			return nil, err
		}
		chores, err := s.choreJobs()
		if err != nil {
			return nil, err
		}
		c.PeriodicJobs().AddMany(append(chores, s.releaseJob()))
	}
	return s, nil
}

func (d *Deps) maxAttempts() int {
	if d.MaxAttempts > 0 {
		return d.MaxAttempts
	}
	return 10
}

func (d *Deps) retention() time.Duration {
	switch {
	case d.Retention < 0:
		return -1
	case d.Retention == 0:
		return 40 * 24 * time.Hour
	}
	return d.Retention
}

// Start starts working jobs (and, on the elected leader, enqueueing periodic ones) until ctx
// ends or Stop is called.
func (s *Scheduler) Start(ctx context.Context) error {
	if _, err := s.resumeOwn(ctx); err != nil {
		s.d.log().WarnContext(ctx, "could not resume this replica's unfinished jobs; River rescues them later", "error", err)
	}
	if err := s.releaseStaged(ctx, s.d.ID); err != nil {
		s.d.log().WarnContext(ctx, "could not release staged answers now; the chore does later", "error", err)
	}
	return s.client.Start(ctx)
}

// Stop stops the client, letting running jobs finish.
func (s *Scheduler) Stop(ctx context.Context) error { return s.client.Stop(ctx) }

// Client is the underlying River client (for tests and `planbot jobs`).
func (s *Scheduler) Client() *river.Client[pgx.Tx] { return s.client }

// EnqueueTx inserts one outgoing message in the caller's transaction, so the message exists if
// and only if the change that caused it commits. m.Key is its idempotency key.
func (s *Scheduler) EnqueueTx(ctx context.Context, tx pgx.Tx, m DeliverArgs) error {
	if m.Key == "" {
		return errors.New("schedule: message without idempotency key")
	}
	_, err := s.client.InsertTx(ctx, tx, m, nil)
	return err
}

// Enqueue inserts one outgoing message outside any transaction, for a notice about a change
// already saved (an assignment, a completion by someone else). m.Key is its idempotency key:
// enqueueing the same key again sends nothing more.
func (s *Scheduler) Enqueue(ctx context.Context, m DeliverArgs) error {
	if m.Key == "" {
		return errors.New("schedule: message without idempotency key")
	}
	_, err := s.client.Insert(ctx, m, nil)
	return err
}

// clockTime adapts a bot.Clock to River's TimeGenerator.
type clockTime bot.Clock

func (c clockTime) Now() time.Time { return c() }

func (c clockTime) NowOrNil() *time.Time {
	t := c()
	return &t
}

var _ rivertype.TimeGenerator = clockTime(nil)
