package schedule

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Two replicas with the same chore run it once: only the leader enqueues, at its start.
func TestChoreRunsOnceAcrossReplicas(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	var runs atomic.Int32
	chore := Chore{Name: "prune", Every: 24 * time.Hour, Run: func(context.Context) error { runs.Add(1); return nil }}
	var reps []*Scheduler
	for range 2 {
		d := testDeps(pool, schema, st, newSender(), offsetClock(shanghai(2026, 2, 13, 12, 0, 0)))
		d.Periodic = true
		d.Chores = []Chore{chore}
		reps = append(reps, startScheduler(t, d))
	}
	ctx := ctxT(t)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for len(countJobs(t, reps[0], ChoreArgs{}.Kind(), rivertype.JobStateCompleted)) == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("the chore never ran")
		case <-tick.C:
		}
	}
	if n := runs.Load(); n != 1 {
		t.Fatalf("chore ran %d times, want once", n)
	}
	if jobs := countJobs(t, reps[0], ChoreArgs{}.Kind()); len(jobs) != 1 {
		t.Fatalf("%d chore jobs enqueued, want 1", len(jobs))
	}
}

// A chore job naming a chore this process does not have is cancelled, not retried; a chore
// without a name or interval is refused when the scheduler is built.
func TestChoreUnknownAndInvalid(t *testing.T) {
	pool, schema := testPool(t)
	st, _ := sample(t)
	d := testDeps(pool, schema, st, newSender(), offsetClock(shanghai(2026, 2, 13, 12, 0, 0)))
	s := startScheduler(t, d)
	w := &choreWorker{s: s}
	err := w.Work(context.Background(), &river.Job[ChoreArgs]{Args: ChoreArgs{Name: "gone"}, JobRow: &rivertype.JobRow{}})
	var cancel *river.JobCancelError
	if err == nil || !errors.As(err, &cancel) {
		t.Fatalf("unknown chore: %v, want a cancel", err)
	}
	d.Periodic = true
	d.Chores = []Chore{{Name: "", Every: time.Hour, Run: func(context.Context) error { return nil }}}
	if _, err := New(context.Background(), d); err == nil {
		t.Fatal("a chore without a name was accepted")
	}
}
