package redisstate

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

// benchRoundTrip is the state work of one inbound list command: de-duplicate the message,
// look for a pending dialog, remember the list shown.
func benchRoundTrip(b *testing.B, be backend) {
	s, ctx := be.state(Options{}), context.Background()
	keys := []string{"m06-01", "m06-02", "每月20日-06", "m06-04", "m06-05", "m06-06", "m06-07", "m06-08"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		user := "u" + strconv.Itoa(i%200)
		if first, err := s.FirstSeen(ctx, "msg-"+strconv.Itoa(i), time.Hour); err != nil || !first {
			b.Fatalf("FirstSeen = %v, %v", first, err)
		}
		if _, _, err := s.Dialog(ctx, "default", user); err != nil {
			b.Fatal(err)
		}
		if err := s.SaveList(ctx, "default", user, keys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoundTrip: go test -run - -bench RoundTrip ./store/redisstate/
func BenchmarkRoundTrip(b *testing.B) {
	b.Run("ping-baseline", func(b *testing.B) { // one bare round trip, for scale on a busy machine
		be := newReal(b)
		for b.Loop() {
			if err := be.c.Ping(context.Background()).Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("redis", func(b *testing.B) { benchRoundTrip(b, newReal(b)) })
	b.Run("redis-parallel", func(b *testing.B) {
		be := newReal(b)
		s, ctx := be.state(Options{}), context.Background()
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			id := randomHex(4)
			for i := 0; pb.Next(); i++ {
				user := id + strconv.Itoa(i%50)
				_, _ = s.FirstSeen(ctx, id+"-"+strconv.Itoa(i), time.Hour)
				_, _, _ = s.Dialog(ctx, "default", user)
				_ = s.SaveList(ctx, "default", user, []string{"a", "b", "c"})
			}
		})
	})
	b.Run("miniredis", func(b *testing.B) { benchRoundTrip(b, newMini(b)) })
	b.Run("degraded-redis", func(b *testing.B) {
		be := newReal(b)
		be.prefix += "d:"
		d := Degrade(be.state(Options{}), nil, nil)
		s, ctx := d, context.Background()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_, _ = s.FirstSeen(ctx, "m"+strconv.Itoa(i), time.Hour)
			_, _, _ = s.Dialog(ctx, "default", "u")
			_ = s.SaveList(ctx, "default", "u", []string{"a"})
		}
	})
	b.Run("degraded-down", func(b *testing.B) {
		st, c, _ := Open("redis://127.0.0.1:1/0", Options{})
		defer c.Close()
		seen := func(context.Context, string) (bool, error) { return true, nil }
		var s bot.State = Degrade(st, seen, nil)
		ctx := context.Background()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_, _ = s.FirstSeen(ctx, "m"+strconv.Itoa(i), time.Hour)
			_, _, _ = s.Dialog(ctx, "default", "u")
			_ = s.SaveList(ctx, "default", "u", []string{"a"})
		}
	})
}
