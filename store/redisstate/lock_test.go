package redisstate

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 6, 15, 8, 29, 30, 0, time.UTC)

func TestPaceMinuteWindow(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, ctx := b.state(Options{}), context.Background()
		for i, c := range []struct {
			at   time.Duration // since t0
			want time.Duration
		}{
			{0, 0}, {time.Second, 0}, {2 * time.Second, 0},
			{3 * time.Second, 57 * time.Second}, // the 4th in a minute waits for the 1st to age out
			{3 * time.Second, 57 * time.Second}, // a refused attempt is not counted
			{59999 * time.Millisecond, time.Millisecond},
			{60 * time.Second, 0},                              // the 1st aged out exactly
			{60500 * time.Millisecond, 500 * time.Millisecond}, // now the 2nd (at 1 s) must age out
			{61 * time.Second, 0},
		} {
			w, err := s.Pace(ctx, "member:zhang", 3, 0, t0.Add(c.at))
			if err != nil || w != c.want {
				t.Fatalf("#%d at +%v: wait %v, %v; want %v", i, c.at, w, err, c.want)
			}
		}
		if w, _ := s.Pace(ctx, "member:li", 3, 0, t0.Add(3*time.Second)); w != 0 {
			t.Fatalf("another member paced by zhang's sends: wait %v", w)
		}
		within(t, "pace log", b.ttl(t, "pace:member%3Azhang"), time.Hour, 61*time.Minute)
	})
}

func TestPaceHourWindow(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, ctx := b.state(Options{}), context.Background()
		for i := range 5 { // one every 10 minutes
			if w, err := s.Pace(ctx, "hook", 0, 5, t0.Add(time.Duration(i)*10*time.Minute)); w != 0 || err != nil {
				t.Fatalf("send %d: wait %v %v", i, w, err)
			}
		}
		if w, _ := s.Pace(ctx, "hook", 0, 5, t0.Add(45*time.Minute)); w != 15*time.Minute {
			t.Fatalf("6th in the hour: wait %v, want 15m (until the first is an hour old)", w)
		}
		// Both limits: the longer wait wins.
		if w, _ := s.Pace(ctx, "hook", 1, 5, t0.Add(45*time.Minute)); w != 15*time.Minute {
			t.Fatalf("both limits: wait %v, want 15m", w)
		}
		if w, _ := s.Pace(ctx, "hook", 0, 5, t0.Add(time.Hour)); w != 0 {
			t.Fatalf("after an hour: wait %v", w)
		}
		if w, err := s.Pace(ctx, "none", 0, 0, t0); w != 0 || err != nil {
			t.Fatalf("unlimited: %v %v", w, err)
		}
	})
}

// TestPaceWeComLimits drives three "replicas" sending to one member as fast as Pace lets them,
// on a simulated clock, and checks the sends against WeCom's rules: no 60 s window holds more
// than 30 and no hour more than 1000 — and the pacing is not needlessly slow.
func TestPaceWeComLimits(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s, ctx := b.state(Options{}), context.Background()
		var (
			mu    sync.Mutex
			clock = t0
			sends []time.Time
		)
		const total = 1100
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				for {
					mu.Lock()
					if len(sends) >= total {
						mu.Unlock()
						return
					}
					now := clock
					w, err := s.Pace(ctx, "member:wang", WeComMemberPerMinute, WeComMemberPerHour, now)
					if err != nil {
						mu.Unlock()
						t.Error(err)
						return
					}
					if w == 0 {
						sends = append(sends, now)
						clock = clock.Add(100 * time.Millisecond) // a send takes a moment
					} else {
						clock = clock.Add(w) // sleep as told (simulated)
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		sort.Slice(sends, func(i, j int) bool { return sends[i].Before(sends[j]) })
		if len(sends) < total {
			t.Fatalf("%d sends", len(sends))
		}
		maxIn := func(win time.Duration) int {
			most, j := 0, 0
			for i := range sends {
				for sends[i].Sub(sends[j]) >= win {
					j++
				}
				most = max(most, i-j+1)
			}
			return most
		}
		if m := maxIn(time.Minute); m != WeComMemberPerMinute {
			t.Errorf("busiest minute has %d sends, want exactly %d", m, WeComMemberPerMinute)
		}
		if m := maxIn(time.Hour); m != WeComMemberPerHour {
			t.Errorf("busiest hour has %d sends, want exactly %d", m, WeComMemberPerHour)
		}
		// 1000 sends at 30/min need ~33 minutes; the 1001st waits for the first hour to end.
		if d := sends[999].Sub(sends[0]); d > 34*time.Minute {
			t.Errorf("1000 sends took %v, want about 33 minutes", d)
		}
		if d := sends[1000].Sub(sends[0]); d != time.Hour {
			t.Errorf("1001st send after %v, want exactly 1h", d)
		}
	})
}

// TestPaceConcurrent: replicas racing at the same instant never admit more than the limit.
func TestPaceConcurrent(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.state(Options{})
		var mu sync.Mutex
		admitted := 0
		var wg sync.WaitGroup
		for range 80 {
			wg.Go(func() {
				if w, err := s.Pace(context.Background(), "webhook:k", WeComWebhookPerMinute, 0, t0); err == nil && w == 0 {
					mu.Lock()
					admitted++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if admitted != WeComWebhookPerMinute {
			t.Fatalf("%d of 80 racing sends admitted, want %d", admitted, WeComWebhookPerMinute)
		}
	})
}
