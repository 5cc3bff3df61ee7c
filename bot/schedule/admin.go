package schedule

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// migrateLock is the advisory lock key held while River's schema is migrated ("planbot_river").
const migrateLock = int64(0x706c616e72697672)

// Migrate applies River's own schema (river_job, river_leader, …) to the pool's search_path,
// holding a session advisory lock on a dedicated connection, so concurrent or repeated runs are
// safe. (River's migrations cannot share one transaction: version 006 adds an enum value.)
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("schedule: migrator: %w", err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("schedule: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
		return fmt.Errorf("schedule: migrate lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLock)
	}()
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("schedule: migrate river: %w", err)
	}
	return nil
}

// JobInfo is one job as `planbot jobs` shows it.
type JobInfo struct {
	ID          int64
	State       string
	Kind        string
	Summary     string // team/kind/date of a run, the key of a delivery
	Attempt     int
	MaxAttempts int
	LastError   string
	At          time.Time // scheduled (pending) or finalized (failed)
}

// adminClient is an insert-only River client for listing and retrying.
func adminClient(pool *pgxpool.Pool) (*river.Client[pgx.Tx], error) {
	return river.NewClient(riverpgxv5.New(pool), &river.Config{SkipUnknownJobCheck: true})
}

// ListJobs lists failed (discarded, cancelled) and pending (available, scheduled, retryable,
// running) planbot jobs, failed first.
func ListJobs(ctx context.Context, pool *pgxpool.Pool) ([]JobInfo, error) {
	c, err := adminClient(pool)
	if err != nil {
		return nil, err
	}
	return listJobs(ctx, c)
}

// ListJobs is the package-level ListJobs through the scheduler's client.
func (s *Scheduler) ListJobs(ctx context.Context) ([]JobInfo, error) { return listJobs(ctx, s.client) }

func listJobs(ctx context.Context, c *river.Client[pgx.Tx]) ([]JobInfo, error) {
	var out []JobInfo
	for _, states := range [][]rivertype.JobState{
		{rivertype.JobStateDiscarded, rivertype.JobStateCancelled},
		{rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStatePending},
	} {
		p := river.NewJobListParams().States(states...).Kinds(RunArgs{}.Kind(), DeliverArgs{}.Kind()).First(1000)
		r, err := c.JobList(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("schedule: list jobs: %w", err)
		}
		for _, j := range r.Jobs {
			at := j.ScheduledAt
			if j.FinalizedAt != nil {
				at = *j.FinalizedAt
			}
			out = append(out, JobInfo{ID: j.ID, State: string(j.State), Kind: j.Kind, Summary: summary(j),
				Attempt: j.Attempt, MaxAttempts: j.MaxAttempts, LastError: lastError(j), At: at})
		}
	}
	return out, nil
}

func summary(j *rivertype.JobRow) string {
	switch j.Kind {
	case RunArgs{}.Kind():
		var a RunArgs
		if json.Unmarshal(j.EncodedArgs, &a) == nil {
			return a.Origin()
		}
	case DeliverArgs{}.Kind():
		var a DeliverArgs
		if json.Unmarshal(j.EncodedArgs, &a) == nil {
			return a.Key
		}
	}
	s := string(j.EncodedArgs)
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}

// RetryJob makes a job available to run again now (a failed delivery, say).
func RetryJob(ctx context.Context, pool *pgxpool.Pool, id int64) (JobInfo, error) {
	c, err := adminClient(pool)
	if err != nil {
		return JobInfo{}, err
	}
	if err := clearInDoubt(ctx, pool, "river_job", id); err != nil {
		return JobInfo{}, fmt.Errorf("schedule: retry job %d: %w", id, err)
	}
	return retryJob(ctx, c, id)
}

// RetryJob is the package-level RetryJob through the scheduler's client (and its clock).
func (s *Scheduler) RetryJob(ctx context.Context, id int64) (JobInfo, error) {
	if err := clearInDoubt(ctx, s.d.Pool, s.jobTable(), id); err != nil {
		return JobInfo{}, fmt.Errorf("schedule: retry job %d: %w", id, err)
	}
	return retryJob(ctx, s.client, id)
}

func retryJob(ctx context.Context, c *river.Client[pgx.Tx], id int64) (JobInfo, error) {
	j, err := c.JobRetry(ctx, id)
	if err != nil {
		return JobInfo{}, fmt.Errorf("schedule: retry job %d: %w", id, err)
	}
	return JobInfo{ID: j.ID, State: string(j.State), Kind: j.Kind, Summary: summary(j),
		Attempt: j.Attempt, MaxAttempts: j.MaxAttempts, LastError: lastError(j), At: j.ScheduledAt}, nil
}

// QueueDepth counts unfinished planbot jobs (available, scheduled, retryable, running) per
// queue, and failed ones (discarded) under "failed", for the /metrics queue-depth gauge.
func QueueDepth(ctx context.Context, pool *pgxpool.Pool) (map[string]int, error) {
	rows, err := pool.Query(ctx, `SELECT CASE WHEN state = 'discarded' THEN 'failed' ELSE queue END, count(*)
		FROM river_job
		WHERE kind IN ($1, $2) AND state IN ('available', 'scheduled', 'retryable', 'running', 'discarded')
		GROUP BY 1`, RunArgs{}.Kind(), DeliverArgs{}.Kind())
	if err != nil {
		return nil, fmt.Errorf("schedule: queue depth: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var q string
		var n int
		if err := rows.Scan(&q, &n); err != nil {
			return nil, err
		}
		out[q] = n
	}
	return out, rows.Err()
}
