package redisstate

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

// Within one command Allow fetches the dialog and the list with it; the command still sees its
// own writes, still counts against the limit, and the next command reads afresh.
func TestCommandMemo(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.state(Options{RatePerMinute: 3})
		if err := s.SaveList(ctx, "t", "u", []string{"a", "b"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetDialog(ctx, "t", "u", bot.Dialog{Command: "完成", Step: "pick"}); err != nil {
			t.Fatal(err)
		}
		for i := range 5 { // the first Allow may load the script; the rest use the pipeline
			cmd := WithCommandMemo(ctx)
			ok, err := s.Allow(cmd, "t", "u")
			if err != nil || ok != (i < 3) {
				t.Fatalf("Allow #%d: %v %v, want %v", i+1, ok, err, i < 3)
			}
		}
		cmd := WithCommandMemo(ctx)
		if _, err := s.Allow(cmd, "t", "other"); err != nil {
			t.Fatal(err)
		}
		// Changed by someone else after the Allow: this command answers from the memo...
		other := b.state(Options{})
		if err := other.SaveList(ctx, "t", "other", []string{"x"}); err != nil {
			t.Fatal(err)
		}
		if keys, ok, err := s.List(cmd, "t", "other"); err != nil || ok || keys != nil {
			t.Fatalf("List from the memo: %v %v %v, want absent as of the Allow", keys, ok, err)
		}
		// ...but sees its own writes,
		if err := s.SaveList(cmd, "t", "other", []string{"y", "z"}); err != nil {
			t.Fatal(err)
		}
		if keys, _, _ := s.List(cmd, "t", "other"); !slices.Equal(keys, []string{"y", "z"}) {
			t.Fatalf("List after the command's SaveList: %v", keys)
		}
		if err := s.SetDialog(cmd, "t", "other", bot.Dialog{Command: "新增"}); err != nil {
			t.Fatal(err)
		}
		if d, ok, _ := s.Dialog(cmd, "t", "other"); !ok || d.Command != "新增" {
			t.Fatalf("Dialog after the command's SetDialog: %+v %v", d, ok)
		}
		// and another user's state is not taken from this memo.
		if d, ok, _ := s.Dialog(cmd, "t", "u"); !ok || d.Command != "完成" {
			t.Fatalf("Dialog of u in other's command: %+v %v", d, ok)
		}
		next := WithCommandMemo(ctx)
		if _, err := s.Allow(next, "t", "u"); err != nil {
			t.Fatal(err)
		}
		if keys, _, _ := s.List(next, "t", "u"); !slices.Equal(keys, []string{"a", "b"}) {
			t.Fatalf("prefetched list: %v", keys)
		}
		if d, ok, _ := s.Dialog(next, "t", "u"); !ok || d.Command != "完成" || d.Step != "pick" {
			t.Fatalf("prefetched dialog: %+v %v", d, ok)
		}
		if err := s.ClearDialog(next, "t", "u"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.Dialog(next, "t", "u"); ok {
			t.Fatal("the dialog survives the command's ClearDialog")
		}
	})
}

// A command that saves the very list its Allow prefetched writes nothing (the stored list keeps
// its expiry); a changed list, or one under a ListTTL shorter than a day, is written as before.
func TestSaveListUnchanged(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		for _, tt := range []struct {
			name      string
			ttl       time.Duration
			keys      []string
			rewritten bool
		}{
			{"same list", 24 * time.Hour, []string{"@day:2026-06-10", "a", "b"}, false},
			{"changed list", 24 * time.Hour, []string{"@day:2026-06-10", "b", "a"}, true},
			{"same list, short TTL", time.Hour, []string{"@day:2026-06-10", "a", "b"}, true},
		} {
			s := b.state(Options{ListTTL: tt.ttl, RatePerMinute: 100})
			user := "u" + randomHex(3)
			if err := s.SaveList(ctx, "t", user, []string{"@day:2026-06-10", "a", "b"}); err != nil {
				t.Fatal(err)
			}
			if err := b.c.PExpire(ctx, b.prefix+"list:t:"+user, 10*time.Minute).Err(); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Allow(WithCommandMemo(ctx), "t", "warm"+user); err != nil { // may load the script
				t.Fatal(err)
			}
			cmd := WithCommandMemo(ctx)
			if _, err := s.Allow(cmd, "t", user); err != nil {
				t.Fatal(err)
			}
			if err := s.SaveList(cmd, "t", user, tt.keys); err != nil {
				t.Fatal(err)
			}
			if got := b.ttl(t, "list:t:"+user); (got > 10*time.Minute) != tt.rewritten {
				t.Errorf("%s: TTL after SaveList %v, rewritten want %v", tt.name, got, tt.rewritten)
			}
			if keys, ok, err := s.List(ctx, "t", user); err != nil || !ok || !slices.Equal(keys, tt.keys) {
				t.Errorf("%s: List = %v %v %v, want %v", tt.name, keys, ok, err, tt.keys)
			}
		}
	})
}
