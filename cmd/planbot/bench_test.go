package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/store/storetest"
)

// The flags of BenchmarkCallbackPath (go test only reads them when it runs).
var (
	benchMessages    = flag.Int("bench.messages", defaultBenchOptions().Messages, "messages per phase (baseline and full), at most")
	benchConcurrency = flag.Int("bench.concurrency", defaultBenchOptions().Concurrency, "concurrent HTTP clients")
	benchUsers       = flag.Int("bench.users", defaultBenchOptions().Users, "team members sending messages (one message in flight per user)")
	benchDuration    = flag.Duration("bench.duration", defaultBenchOptions().Duration, "time bound of each phase")
	benchCPUProfile  = flag.String("bench.cpuprofile", "", "write a CPU profile of the full phase to this file")
	benchSeed        = flag.Uint64("bench.seed", defaultBenchOptions().Seed, "seed of the message mix")
	benchNoBaseline  = flag.Bool("bench.no-baseline", false, "skip the baseline phase")
)

// BenchmarkCallbackPath is the load test that was `planbot bench`, kept out of the production
// binary: it loads the WeCom callback path over loopback HTTP against real PostgreSQL and Redis
// (throwaway schema and key prefix) and prints the report once. Run it with
//
//	go test ./cmd/planbot -run '^$' -bench CallbackPath -benchtime 1x [-bench.messages N ...]
func BenchmarkCallbackPath(b *testing.B) {
	storetest.PostgresURL(b)
	storetest.RedisURL(b)
	o := defaultBenchOptions()
	o.Messages, o.Concurrency, o.Users, o.Duration = *benchMessages, *benchConcurrency, *benchUsers, *benchDuration
	o.CPUProfile, o.Seed, o.SkipBaseline = *benchCPUProfile, *benchSeed, *benchNoBaseline
	for range b.N {
		rep, err := runBench(context.Background(), o, os.Getenv, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		rep.print(os.Stdout)
		if !rep.Consistent {
			b.Fatal("the store does not match the replies (see above)")
		}
	}
}

// A short run of the callback-path benchmark on the real services: both phases answer every message, the
// mix has completions and undos, and the store matches the replies exactly.
func TestBenchShortRun(t *testing.T) {
	storetest.PostgresURL(t) // skips (or fails with CI=true) when PostgreSQL is unreachable
	storetest.RedisURL(t)
	o := defaultBenchOptions()
	o.Messages, o.Concurrency, o.Users, o.Duration = 600, 4, 12, 30*time.Second
	rep, err := runBench(context.Background(), o, os.Getenv, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.print(&out)
	t.Log("\n" + out.String())
	if rep.Baseline.N != o.Messages || rep.Full.N != o.Messages || rep.Full.Failed != 0 || rep.Baseline.Failed != 0 {
		t.Fatalf("not every message was answered: baseline %+v, full %+v", rep.Baseline, rep.Full)
	}
	if rep.CompletedOK == 0 || rep.Undos == 0 || rep.Lists < o.Messages/2 {
		t.Fatalf("the mix lacks completions or undos: %+v", rep)
	}
	if !rep.Consistent || rep.LiveCompletions != rep.CompletedOK-rep.UndoneOK {
		t.Fatalf("store and replies disagree: %+v", rep)
	}
	if rep.Full.P50 <= 0 || rep.Full.Max < rep.Full.P99 || rep.Full.PerSec <= 0 {
		t.Fatalf("implausible latency summary: %+v", rep.Full)
	}
}

func TestParseList(t *testing.T) {
	items, ok := parseList("本月共3项，已完成1项：\n1. 甲 — 截止3月5日\n2. 乙 — 截止3月6日 ⚠逾期2天\n3. 丙 ✅已完成（用户0001）\n回复“完成 编号”标记完成")
	if !ok || len(items) != 3 || items[0].done || items[1].done || !items[2].done || items[2].by != "用户0001" {
		t.Fatalf("parseList: %+v %v", items, ok)
	}
	if _, ok := parseList("消息太频繁了，请稍等一分钟再试。"); ok {
		t.Fatal("an error reply was taken for a list")
	}
}
