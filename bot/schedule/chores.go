package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// Chore is upkeep planbot serve runs on a fixed interval, once across all replicas: a River
// periodic job (only the elected leader enqueues it, and it is unique per interval), run on the
// run queue. Pruning old inbound message ids and syncing members from WeCom are chores; before,
// each replica ran its own ticker for them.
type Chore struct {
	Name  string        // unique among the chores; the job's argument
	Every time.Duration // the interval; the first run is when a leader starts
	Run   func(ctx context.Context) error
}

// ChoreArgs is the job of one run of a chore.
type ChoreArgs struct {
	Name string `json:"name"`
}

// Kind implements river.JobArgs.
func (ChoreArgs) Kind() string { return "planbot_chore" }

type choreWorker struct {
	river.WorkerDefaults[ChoreArgs]
	s *Scheduler
}

// Work runs the named chore; a name this process does not know is cancelled, not retried.
func (w *choreWorker) Work(ctx context.Context, job *river.Job[ChoreArgs]) error {
	for _, c := range w.s.d.Chores {
		if c.Name == job.Args.Name {
			return c.Run(ctx)
		}
	}
	return river.JobCancel(fmt.Errorf("schedule: no chore %q", job.Args.Name))
}

// choreJobs builds the periodic jobs of Deps.Chores.
func (s *Scheduler) choreJobs() ([]*river.PeriodicJob, error) {
	var out []*river.PeriodicJob
	seen := map[string]bool{}
	for _, c := range s.d.Chores {
		if c.Name == "" || c.Every <= 0 || c.Run == nil || seen[c.Name] {
			return nil, fmt.Errorf("schedule: chore %q needs a unique name, an interval and a Run", c.Name)
		}
		seen[c.Name] = true
		name, every := c.Name, c.Every
		out = append(out, river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return ChoreArgs{Name: name}, &river.InsertOpts{
				Queue: QueueRun, MaxAttempts: 3,
				// A second leader starting within the interval (a failover) enqueues nothing new.
				UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: every},
			}
		}, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	return out, nil
}
