package main

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/store/storetest"
)

// A short run of `planbot bench` on the real services: both phases answer every message, the
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
