package schedule

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/planbot/planbot/bot"
)

// SendResult says what SendDigest did.
type SendResult struct {
	AlreadySent bool // the run for this team and day existed before this call
	Workday     bool // false: a non-workday, nothing is sent
	Messages    int  // deliver jobs of the run (group parts and cards), all delivered
}

// String is a one-line Chinese summary for the CLI.
func (r SendResult) String() string {
	switch {
	case !r.Workday:
		return "非工作日，不发送。"
	case r.AlreadySent:
		return fmt.Sprintf("已发送过（%d 条），本次未重复发送。", r.Messages)
	case r.Messages == 0:
		return "今天没有需要提醒的事项，未发送。"
	}
	return fmt.Sprintf("已发送 %d 条。", r.Messages)
}

// ErrFailed is wrapped by SendDigest when a message failed for good (see `planbot jobs`).
var ErrFailed = errors.New("delivery failed for good")

// SendDigest performs the morning digest run for team and day now, through the same unique jobs
// the schedule uses, and waits until its messages are delivered or have failed for good. The
// scheduler must be started (it works the jobs; another replica may too). A second call for the
// same team and day sends nothing and reports AlreadySent.
func (s *Scheduler) SendDigest(ctx context.Context, team bot.Team, day bot.Date) (SendResult, error) {
	res := SendResult{Workday: s.d.Calendar.IsWorkday(day)}
	args := RunArgs{Team: team.Name, What: KindDigest, Date: day.String()}
	ins, err := s.client.Insert(ctx, args, nil)
	if err != nil {
		return res, fmt.Errorf("schedule: insert digest run: %w", err)
	}
	res.AlreadySent = ins.UniqueSkippedAsDuplicate
	run, err := s.waitFinal(ctx, ins.Job.ID)
	if err != nil {
		return res, err
	}
	if run.State != rivertype.JobStateCompleted {
		return res, fmt.Errorf("schedule: digest run %d %s: %s: %w", run.ID, run.State, lastError(run), ErrFailed)
	}
	// A chained message's later parts appear as the earlier ones are sent: list again until
	// every delivery of the run is final and no new one appeared.
	var failed []string
	final := map[int64]bool{}
	for {
		jobs, err := s.deliveries(ctx, args.Origin())
		if err != nil {
			return res, err
		}
		res.Messages = len(jobs)
		fresh := false
		for _, j := range jobs {
			if final[j.ID] {
				continue
			}
			fresh = true
			j, err := s.waitFinal(ctx, j.ID)
			if err != nil {
				return res, err
			}
			final[j.ID] = true
			if j.State != rivertype.JobStateCompleted {
				failed = append(failed, fmt.Sprintf("job %d %s: %s", j.ID, j.State, lastError(j)))
			}
		}
		if !fresh {
			break
		}
	}
	if len(failed) > 0 {
		return res, fmt.Errorf("schedule: %s: %w", strings.Join(failed, "; "), ErrFailed)
	}
	return res, nil
}

// SendDigestNowResult runs a scheduler for the duration of one SendDigest (`planbot digest
// --send`): it works the jobs itself, so no `planbot serve` needs to be running, and registers
// no periodic jobs. It returns what happened, for printing; the outcome is also logged on d.Log.
func SendDigestNowResult(ctx context.Context, d Deps, team bot.Team, day bot.Date) (SendResult, error) {
	d.Periodic = false
	if d.Poll == 0 {
		d.Poll = 200 * time.Millisecond
	}
	s, err := New(ctx, d)
	if err != nil {
		return SendResult{}, err
	}
	if err := s.Start(ctx); err != nil {
		return SendResult{}, err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = s.Stop(stopCtx)
	}()
	res, err := s.SendDigest(ctx, team, day)
	log := d.log().With("team", team.Name, "date", day.String())
	if err != nil {
		log.ErrorContext(ctx, "digest send failed", "error", err)
	} else {
		log.InfoContext(ctx, "digest send", "result", res.String(), "already_sent", res.AlreadySent, "messages", res.Messages)
	}
	return res, err
}

// deliveries lists the deliver jobs a run inserted.
func (s *Scheduler) deliveries(ctx context.Context, origin string) ([]*rivertype.JobRow, error) {
	p := river.NewJobListParams().Kinds(DeliverArgs{}.Kind()).First(10000).
		States(rivertype.JobStates()...).
		Where("args->>'origin' = @origin", river.NamedArgs{"origin": origin})
	r, err := s.client.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("schedule: list deliveries: %w", err)
	}
	return r.Jobs, nil
}

// waitFinal polls a job until it is completed, discarded or cancelled. Polling, not events:
// another replica may be the one working it.
func (s *Scheduler) waitFinal(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	every := s.d.Poll
	if every <= 0 {
		every = 200 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		j, err := s.client.JobGet(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("schedule: job %d: %w", id, err)
		}
		switch j.State {
		case rivertype.JobStateCompleted, rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
			return j, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("schedule: waiting for job %d (%s): %w", id, j.State, ctx.Err())
		case <-t.C:
		}
	}
}

func lastError(j *rivertype.JobRow) string {
	if len(j.Errors) == 0 {
		return ""
	}
	return j.Errors[len(j.Errors)-1].Error
}
