package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/store/storetest"
)

// TestProvinceScale is the scale check, run on demand (it takes minutes):
//
//	PLANBOT_SCALE=1 go test ./cmd/planbot -run TestProvinceScale -v -timeout 30m
//
// A province of PLANBOT_SCALE_UNITS units (default 1,000: 安徽省, 16 cities, the rest counties)
// with 10 members each is imported through the CLI paths (team import, member import, the sample
// plan cascaded from the root), then `planbot serve` starts (on a workday) and at the next minute the morning
// fan-out (a group digest per unit to its own app chat and the personal cards) runs against the
// fake WeCom until the queues drain. It logs the times, the sends and the memory.
func TestProvinceScale(t *testing.T) {
	if os.Getenv("PLANBOT_SCALE") == "" {
		t.Skip("set PLANBOT_SCALE=1 to run the province benchmark")
	}
	n := 1000
	if v := os.Getenv("PLANBOT_SCALE_UNITS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	dbURL := storetest.PostgresURL(t)
	redisURL, prefix := storetest.RedisURL(t)
	fake := wecomtest.NewServer(t)
	cfg := fake.Config()
	env := map[string]string{
		"DATABASE_URL": dbURL, "REDIS_URL": redisURL, "REDIS_PREFIX": prefix,
		"WECOM_CORP_ID": cfg.CorpID, "WECOM_AGENT_ID": fmt.Sprint(cfg.AgentID), "WECOM_SECRET": cfg.Secret,
		"WECOM_TOKEN": cfg.Token, "WECOM_AES_KEY": cfg.AESKey, "WECOM_API_BASE": cfg.APIBase,
		"PLANBOT_LISTEN": "127.0.0.1:0",
	}
	appCfg := envConfig(t, env)
	// The wall clock: River's rescuer measures stuck jobs on it, so a test clock far from it
	// would rescue (and send again) every job running while it looks. Skipped on a rest day.
	clock := time.Now
	day := clock()
	if !workday.New().IsWorkday(bot.DateOf(day.In(bot.Shanghai))) {
		t.Skip("run on a workday (Shanghai time): digests are not sent on rest days")
	}
	c := &cli{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, now: clock, cfg: appCfg}
	defer c.close()
	ctx := context.Background()

	// The files an office keeps.
	var units, members strings.Builder
	units.WriteString("name,parent,group,cron\n")
	members.WriteString("team,userid,name,role\n")
	names := []string{"安徽省"}
	// Every unit's digest fires each minute ("* * * * *"): the next minute is the tick; a run is
	// unique per unit, kind and day, so each unit still gets one digest.
	fmt.Fprintf(&units, "安徽省,,appchat:C0,* * * * *\n")
	cities := 16
	for i := 1; i <= cities && len(names) < n; i++ {
		name := fmt.Sprintf("市%02d", i)
		names = append(names, name)
		fmt.Fprintf(&units, "%s,安徽省,appchat:C%d,* * * * *\n", name, len(names)-1)
	}
	for i := 0; len(names) < n; i++ {
		name := fmt.Sprintf("市%02d县%03d", i%cities+1, i)
		names = append(names, name)
		fmt.Fprintf(&units, "%s,市%02d,appchat:C%d,* * * * *\n", name, i%cities+1, len(names)-1)
	}
	for i, u := range names {
		for j := range 10 {
			role := "staff"
			if j == 0 {
				role = "supervisor"
			}
			fmt.Fprintf(&members, "%s,u%04d_%d,成员%d_%d,%s\n", u, i, j, i, j, role)
		}
	}
	step := func(what string, fn func() error) {
		t.Helper()
		start := time.Now()
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		t.Logf("%-28s %v", what, time.Since(start).Round(time.Millisecond))
	}
	step("team import ("+fmt.Sprint(len(names))+" units)", func() error {
		return runTeam(ctx, c, []string{"import", writeFile(t, "units.csv", units.String())})
	})
	step("member import ("+fmt.Sprint(10*len(names))+" members)", func() error {
		return runMember(ctx, c, []string{"import", writeFile(t, "members.csv", members.String())})
	})
	step("cascade of the sample plan", func() error {
		return runImport(ctx, c, []string{writeSample(t, "", ""), "--team", "安徽省", "--cascade", "--year", "2026"})
	})
	// One item due today, unassigned, in every unit: each staff member's card lists it and each
	// supervisor gets the unit's summary card, so the morning is a group digest per unit and a
	// card per member.
	step("an item due today in every unit", func() error {
		st, err := c.store(ctx)
		if err != nil {
			return err
		}
		teams, err := st.Teams(ctx)
		if err != nil {
			return err
		}
		today := bot.DateOf(day.In(bot.Shanghai))
		for _, u := range teams {
			if _, err := st.AddObligation(ctx, u.ID, "cli", bot.Obligation{Key: "today/1", Title: "今日报送资助数据",
				Due: today, Period: fmt.Sprintf("%04d-%02d", today.Year, int(today.Month)), Rule: bot.RuleOnce}, day, bot.Effect{}); err != nil {
				return err
			}
		}
		return nil
	})
	c.close()

	workers, _ := strconv.Atoi(os.Getenv("PLANBOT_SCALE_WORKERS")) // 0: the default
	a, err := newAppWith(ctx, appCfg, slog.New(slog.DiscardHandler), clock, appOptions{workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	root, _ := a.units.Tree().ByName("安徽省")
	city, _ := a.units.Tree().ByName("市01")
	for i, u := range []bot.Team{city, root} {
		start := time.Now()
		who := []string{"u0001_0", "u0000_0"}[i] // each unit's supervisor
		rep, err := a.router.Handle(ctx, &bot.Request{Team: u, UserID: who, Text: "进度", Now: day})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("进度 at %s (%d units below): %v, %d bytes", u.Name, len(a.units.Tree().Subtree(u.ID))-1, time.Since(start).Round(time.Millisecond), len(rep.MD()))
	}

	pool := a.store.Pool()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.serveOn(serveCtx, ln) }()
	// The tick is the leader's first enqueue of the digest runs (RunOnStart, or the next minute):
	// timed from the jobs' own timestamps, the first run inserted to the last delivery finished.
	waitUntil(t, 10*time.Minute, "every digest run enqueued", func() bool {
		var runs int
		if err := pool.QueryRow(ctx, `select count(*) from river_job where kind = 'planbot_run' and args->>'kind' = 'digest'`).Scan(&runs); err != nil {
			t.Fatal(err)
		}
		return runs >= len(names)
	})
	waitUntil(t, 30*time.Minute, "the queues to drain", func() bool {
		var left int
		if err := pool.QueryRow(ctx, `select count(*) from river_job where state in ('available', 'running', 'retryable', 'scheduled', 'pending')`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		return left == 0
	})
	var enqueued, total time.Duration
	if err := pool.QueryRow(ctx, `select
		(select max(created_at) - min(created_at) from river_job where kind = 'planbot_run' and args->>'kind' = 'digest'),
		(select max(finalized_at) from river_job where kind = 'planbot_deliver') - (select min(created_at) from river_job where kind = 'planbot_run' and args->>'kind' = 'digest')`).Scan(&enqueued, &total); err != nil {
		t.Fatal(err)
	}
	groups, sends := len(fake.Requests("appchat/send")), len(fake.Requests("message/send"))
	var dup, deliveries int
	if err := pool.QueryRow(ctx, `select count(*) - count(distinct args->>'key'), count(*) from river_job where kind = 'planbot_deliver'`).Scan(&dup, &deliveries); err != nil {
		t.Fatal(err)
	}
	t.Logf("fan-out: %d digest runs enqueued within %v of the tick; last of %d deliveries done %v after it; %d group digests (appchat), %d app messages/cards at the fake; %d duplicate delivery keys",
		len(names), enqueued.Round(time.Millisecond), deliveries, total.Round(time.Millisecond), groups, sends, dup)
	status, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmHWM") || strings.HasPrefix(l, "VmRSS") {
			t.Logf("process %s", strings.Join(strings.Fields(l), " "))
		}
	}
	if out, err := exec.Command("sh", "-c", "ps -C postgres -o rss= | awk '{s+=$1} END {print s}'").Output(); err == nil {
		t.Logf("postgres processes RSS total: %s kB", strings.TrimSpace(string(out)))
	}
	stop()
	<-done
}
