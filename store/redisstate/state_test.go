package redisstate

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

// within fails unless lo < d <= hi.
func within(t *testing.T, what string, d, lo, hi time.Duration) {
	t.Helper()
	if d <= lo || d > hi {
		t.Errorf("%s TTL = %v, want in (%v, %v]", what, d, lo, hi)
	}
}

// behaviours is the shared table: every row runs on miniredis and on real Redis.
var behaviours = []struct {
	name string
	run  func(t *testing.T, b backend)
}{
	{"dialog round trip, TTL and clear", func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.state(Options{})
		if _, ok, err := s.Dialog(ctx, "default", "zhang"); ok || err != nil {
			t.Fatalf("Dialog before set = ok %v, err %v; want absent", ok, err)
		}
		want := bot.Dialog{Command: "完成", Step: "which", Data: map[string]string{"note": "已报送"}}
		if err := s.SetDialog(ctx, "default", "zhang", want); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Dialog(ctx, "default", "zhang")
		if err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Fatalf("Dialog = %+v, %v, %v; want %+v", got, ok, err, want)
		}
		within(t, "dialog", b.ttl(t, "dialog:default:zhang"), 9*time.Minute, 10*time.Minute)
		if b.ff != nil {
			b.ff(9 * time.Minute)
			if _, ok, _ := s.Dialog(ctx, "default", "zhang"); !ok {
				t.Fatal("dialog gone after 9 minutes, want kept for 10")
			}
			b.ff(time.Minute + time.Second)
			if _, ok, _ := s.Dialog(ctx, "default", "zhang"); ok {
				t.Fatal("dialog still there after 10 minutes")
			}
			_ = s.SetDialog(ctx, "default", "zhang", want)
		}
		if err := s.ClearDialog(ctx, "default", "zhang"); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.Dialog(ctx, "default", "zhang"); ok || err != nil {
			t.Fatalf("Dialog after clear = ok %v, err %v", ok, err)
		}
		if err := s.ClearDialog(ctx, "default", "nobody"); err != nil {
			t.Fatalf("clearing an absent dialog: %v", err)
		}
	}},
	{"dialog TTL is configurable", func(t *testing.T, b backend) {
		s := b.state(Options{DialogTTL: 90 * time.Second, ListTTL: time.Hour})
		ctx := context.Background()
		_ = s.SetDialog(ctx, "t", "u", bot.Dialog{Command: "新增"})
		_ = s.SaveList(ctx, "t", "u", []string{"a"})
		within(t, "dialog", b.ttl(t, "dialog:t:u"), 80*time.Second, 90*time.Second)
		within(t, "list", b.ttl(t, "list:t:u"), 59*time.Minute, time.Hour)
	}},
	{"last list round trip, overwrite, empty, TTL", func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.state(Options{})
		if keys, ok, err := s.List(ctx, "default", "li"); ok || err != nil || keys != nil {
			t.Fatalf("List before save = %v, %v, %v", keys, ok, err)
		}
		for _, want := range [][]string{{"m05-a", "m05-b", "每月20日#3"}, {"x"}, {}} {
			if err := s.SaveList(ctx, "default", "li", want); err != nil {
				t.Fatal(err)
			}
			got, ok, err := s.List(ctx, "default", "li")
			if err != nil || !ok || !reflect.DeepEqual(got, want) {
				t.Fatalf("List = %q, %v, %v; want %q", got, ok, err, want)
			}
		}
		within(t, "list", b.ttl(t, "list:default:li"), 23*time.Hour, 24*time.Hour)
		if b.ff != nil {
			b.ff(24*time.Hour + time.Second)
			if _, ok, _ := s.List(ctx, "default", "li"); ok {
				t.Fatal("list still there after 24 hours")
			}
		}
	}},
	{"teams and users never share state", func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.state(Options{})
		who := [][2]string{{"t1", "u1"}, {"t1", "u2"}, {"t2", "u1"}, {"a:b", "c"}, {"a", "b:c"}, {"财务科", "张三"}}
		for i, w := range who {
			_ = s.SaveList(ctx, w[0], w[1], []string{w[0] + "/" + w[1]})
			_ = s.SetDialog(ctx, w[0], w[1], bot.Dialog{Command: "c", Step: string(rune('0' + i))})
		}
		for i, w := range who {
			keys, _, _ := s.List(ctx, w[0], w[1])
			d, _, _ := s.Dialog(ctx, w[0], w[1])
			if len(keys) != 1 || keys[0] != w[0]+"/"+w[1] || d.Step != string(rune('0'+i)) {
				t.Errorf("%q: list %q dialog step %q", w, keys, d.Step)
			}
		}
	}},
	{"prefixes isolate deployments", func(t *testing.T, b backend) {
		ctx := context.Background()
		s1 := b.state(Options{})
		s2 := New(b.c, Options{Prefix: b.prefix + "other:"})
		_ = s1.SaveList(ctx, "t", "u", []string{"one"})
		if _, ok, _ := s2.List(ctx, "t", "u"); ok {
			t.Fatal("a state with another prefix sees the list")
		}
		if first, _ := s1.FirstSeen(ctx, "m", time.Minute); !first {
			t.Fatal("first message not first")
		}
		if first, _ := s2.FirstSeen(ctx, "m", time.Minute); !first {
			t.Fatal("de-dup leaked across prefixes")
		}
	}},
	{"undecodable values count as absent", func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.state(Options{})
		_ = b.c.Set(ctx, b.prefix+"dialog:t:u", "{not json", time.Minute).Err()
		_ = b.c.Set(ctx, b.prefix+"list:t:u", "null", time.Minute).Err()
		if _, ok, err := s.Dialog(ctx, "t", "u"); ok || err != nil {
			t.Errorf("corrupt dialog: ok %v err %v", ok, err)
		}
		if _, ok, err := s.List(ctx, "t", "u"); ok || err != nil {
			t.Errorf("null list: ok %v err %v", ok, err)
		}
	}},
	{"FirstSeen de-duplicates with SET NX EX", func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.state(Options{})
		for i, c := range []struct {
			id   string
			want bool
		}{{"7312345678901", true}, {"7312345678901", false}, {"zhang#1732600000", true}, {"7312345678901", false}} {
			got, err := s.FirstSeen(ctx, c.id, 10*time.Minute)
			if err != nil || got != c.want {
				t.Fatalf("#%d FirstSeen(%s) = %v, %v; want %v", i, c.id, got, err, c.want)
			}
		}
		within(t, "seen", b.ttl(t, "seen:7312345678901"), 9*time.Minute, 10*time.Minute)
		if _, err := s.FirstSeen(ctx, "no-ttl", 0); err != nil {
			t.Fatal(err)
		}
		within(t, "seen (default)", b.ttl(t, "seen:no-ttl"), 23*time.Hour, DefaultSeenTTL)
		if b.ff != nil {
			b.ff(10*time.Minute + time.Second)
			if first, _ := s.FirstSeen(ctx, "7312345678901", 10*time.Minute); !first {
				t.Fatal("id still remembered after its TTL")
			}
		}
	}},
	{"FirstSeen admits exactly one of concurrent retries", func(t *testing.T, b backend) {
		s := b.state(Options{})
		var mu sync.Mutex
		firsts := 0
		var wg sync.WaitGroup
		for range 40 {
			wg.Go(func() {
				if first, err := s.FirstSeen(context.Background(), "retry", time.Minute); err == nil && first {
					mu.Lock()
					firsts++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if firsts != 1 {
			t.Fatalf("%d goroutines saw the message first, want 1", firsts)
		}
	}},
	{"rate limit: N per window, then closed, per user", func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.state(Options{})
		for i := 1; i <= 25; i++ {
			ok, err := s.Allow(ctx, "default", "spammer")
			if err != nil {
				t.Fatal(err)
			}
			if want := i <= DefaultRatePerMinute; ok != want {
				t.Fatalf("message %d allowed = %v, want %v", i, ok, want)
			}
		}
		if ok, _ := s.Allow(ctx, "default", "quiet"); !ok {
			t.Fatal("another user is limited too")
		}
		if ok, _ := s.Allow(ctx, "other", "spammer"); !ok {
			t.Fatal("the same userid in another team is limited too")
		}
		within(t, "rate", b.ttl(t, "rate:default:spammer"), 0, time.Minute)
		if b.ff != nil {
			b.ff(59 * time.Second)
			if ok, _ := s.Allow(ctx, "default", "spammer"); ok {
				t.Fatal("allowed again inside the window (denied messages must not reopen it)")
			}
			b.ff(time.Second + time.Millisecond)
			if ok, _ := s.Allow(ctx, "default", "spammer"); !ok {
				t.Fatal("still limited in the next window")
			}
		}
	}},
	{"rate limit holds under concurrency and custom N", func(t *testing.T, b backend) {
		s := b.state(Options{RatePerMinute: 7})
		var mu sync.Mutex
		allowed := 0
		var wg sync.WaitGroup
		for range 60 {
			wg.Go(func() {
				if ok, err := s.Allow(context.Background(), "t", "u"); err == nil && ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if allowed != 7 {
			t.Fatalf("%d of 60 concurrent messages allowed, want exactly 7", allowed)
		}
	}},
	{"Turn counts like Allow and reads the dialog, also after a script flush", func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.state(Options{RatePerMinute: 3})
		want := bot.Dialog{Command: "完成", Step: "which"}
		if err := s.SetDialog(ctx, "t", "u", want); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Allow(ctx, "t", "u"); !ok {
			t.Fatal("first Allow refused")
		}
		for i := 2; i <= 5; i++ {
			if i == 3 {
				_ = b.c.ScriptFlush(ctx).Err() // a restarted Redis has no scripts: NOSCRIPT
			}
			turn := s.Turn(ctx, "t", "u")
			if turn.AllowErr != nil || turn.DialogErr != nil || turn.Allowed != (i <= 3) {
				t.Fatalf("message %d: Turn = %+v, want allowed %v", i, turn, i <= 3)
			}
			if !turn.HasDialog || !reflect.DeepEqual(turn.Dialog, want) {
				t.Fatalf("message %d: Turn dialog %+v %v, want %+v", i, turn.Dialog, turn.HasDialog, want)
			}
		}
		if turn := s.Turn(ctx, "t", "other"); !turn.Allowed || turn.HasDialog || turn.AllowErr != nil || turn.DialogErr != nil {
			t.Fatalf("Turn of a user without dialog = %+v", turn)
		}
		within(t, "rate", b.ttl(t, "rate:t:u"), 0, time.Minute)
		open := b.state(Options{RatePerMinute: -1})
		for range 10 {
			if turn := open.Turn(ctx, "t", "u"); !turn.Allowed || !turn.HasDialog {
				t.Fatalf("Turn with the limit disabled = %+v", turn)
			}
		}
	}},
	{"rate limit disabled when negative", func(t *testing.T, b backend) {
		s := b.state(Options{RatePerMinute: -1})
		for range 50 {
			if ok, err := s.Allow(context.Background(), "t", "u"); !ok || err != nil {
				t.Fatalf("Allow = %v, %v with the limit disabled", ok, err)
			}
		}
	}},
	{"a counter that lost its TTL is re-armed", func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.state(Options{RatePerMinute: 2})
		_ = b.c.Set(ctx, b.prefix+"rate:t:u", 5, 0).Err() // no TTL, e.g. written by hand
		if ok, _ := s.Allow(ctx, "t", "u"); ok {
			t.Fatal("over-limit counter allowed")
		}
		within(t, "re-armed rate", b.ttl(t, "rate:t:u"), 0, time.Minute)
	}},
	{"every key is under the prefix and expires", func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.state(Options{})
		_ = s.SetDialog(ctx, "t", "u", bot.Dialog{Command: "c"})
		_ = s.SaveList(ctx, "t", "u", []string{"k"})
		_, _ = s.FirstSeen(ctx, "id", time.Hour)
		_, _ = s.Allow(ctx, "t", "u")
		_, _ = s.Pace(ctx, "member:u", 30, 1000, time.Unix(1_780_000_000, 0))
		keys, err := b.c.Keys(ctx, b.prefix+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(keys)
		if len(keys) != 5 {
			t.Fatalf("keys under %s = %q, want 5", b.prefix, keys)
		}
		for _, k := range keys {
			if d := b.ttl(t, strings.TrimPrefix(k, b.prefix)); d <= 0 {
				t.Errorf("%s has no TTL (%v)", k, d)
			}
		}
		if b.m != nil && len(b.m.Keys()) != len(keys) {
			t.Errorf("keys outside the prefix: %q", b.m.Keys())
		}
	}},
}

func TestBehaviours(t *testing.T) {
	for _, bh := range behaviours {
		t.Run(bh.name, func(t *testing.T) {
			t.Parallel()
			eachBackend(t, bh.run)
		})
	}
}

func TestDefaults(t *testing.T) {
	o := New(nil, Options{}).Options()
	want := Options{Prefix: "planbot:", DialogTTL: 10 * time.Minute, ListTTL: 24 * time.Hour, RatePerMinute: 20}
	if o != want {
		t.Fatalf("defaults = %+v, want %+v", o, want)
	}
}

// FuzzKey checks that distinct (team, user) pairs never map to the same key.
func FuzzKey(f *testing.F) {
	f.Add("a:b", "c", "a", "b:c")
	f.Add("%3A", "", ":", "")
	f.Add("财务科", "{x}", "财务科", "%7Bx%7D")
	s := New(nil, Options{})
	f.Fuzz(func(t *testing.T, t1, u1, t2, u2 string) {
		same := t1 == t2 && u1 == u2
		if k1, k2 := s.key("list", t1, u1), s.key("list", t2, u2); (k1 == k2) != same {
			t.Fatalf("key(%q,%q)=%q key(%q,%q)=%q", t1, u1, k1, t2, u2, k2)
		}
	})
}
