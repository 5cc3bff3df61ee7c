package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/store/postgres"
	"github.com/planbot/planbot/store/storetest"
)

// newStore returns a migrated store in a fresh schema of its own.
func newStore(t *testing.T) bot.Store {
	t.Helper()
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	if err := postgres.Migrate(ctx, url); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, newStore)
}

func TestMigrateTwiceAndConcurrently(t *testing.T) {
	ctx := context.Background()
	t.Run("sequential", func(t *testing.T) {
		t.Parallel()
		url := storetest.PostgresURL(t)
		for i := range 2 {
			if err := postgres.Migrate(ctx, url); err != nil {
				t.Fatalf("Migrate #%d: %v", i+1, err)
			}
		}
		checkSchema(t, url)
	})
	t.Run("concurrent", func(t *testing.T) {
		t.Parallel()
		url := storetest.PostgresURL(t)
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = postgres.Migrate(ctx, url)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("concurrent Migrate #%d: %v", i+1, err)
			}
		}
		checkSchema(t, url)
	})
}

// checkSchema shows the migrated schema works and is at version 1 exactly once.
func checkSchema(t *testing.T, url string) {
	t.Helper()
	ctx := context.Background()
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var rows, version int
	if err := s.Pool().QueryRow(ctx, "select count(*), max(version) from "+postgres.VersionTable).Scan(&rows, &version); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v %v", files, err)
	}
	if rows != 1 || version != len(files) {
		t.Fatalf("version table: %d rows, version %d; want 1 row at version %d", rows, version, len(files))
	}
	if _, err := s.EnsureTeam(ctx, bot.DefaultTeam); err != nil {
		t.Fatalf("EnsureTeam on migrated schema: %v", err)
	}
}

func TestUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const closed = "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2"
	if err := postgres.Migrate(ctx, closed); !errors.Is(err, bot.ErrUnavailable) {
		t.Fatalf("Migrate on a closed port: %v, want ErrUnavailable", err)
	}
	s, err := postgres.Open(ctx, closed)
	if err != nil {
		t.Fatalf("Open must not need the server: %v", err)
	}
	defer s.Close()
	checks := map[string]error{
		"Ping":     s.Ping(ctx),
		"Complete": s.Complete(ctx, 1, "u", "k", "", time.Now(), bot.Effect{}),
	}
	_, checks["EnsureTeam"] = s.EnsureTeam(ctx, "default")
	_, checks["Obligations"] = s.Obligations(ctx, 1, false)
	_, checks["SeenMessage"] = s.SeenMessage(ctx, "m", time.Now())
	_, checks["AddFigure"] = s.AddFigure(ctx, bot.Figure{TeamID: 1, Programme: "x", Year: 2026, By: "u"}, bot.Effect{})
	_, checks["Members"] = s.Members(ctx, 1)
	_, checks["Figures"] = s.Figures(ctx, 1, bot.FigureFilter{})
	// A read says it could not read (issue #16 finding 9), a write that it could not save.
	reads := map[string]bool{"Obligations": true, "Members": true, "Figures": true}
	for name, err := range checks {
		if !errors.Is(err, bot.ErrUnavailable) {
			t.Errorf("%s: %v, want ErrUnavailable", name, err)
		}
		want := "暂时无法保存，请稍后再试。"
		if reads[name] {
			want = "暂时无法读取数据，请稍后再试。"
		}
		if bot.ErrorMessage(err) != want {
			t.Errorf("%s: user sees %q, want %q", name, bot.ErrorMessage(err), want)
		}
	}
}

// TestAppendOnly shows the schema itself refuses to delete completions or rewrite the audit log.
func TestAppendOnly(t *testing.T) {
	s := newStore(t).(*postgres.Store)
	ctx := context.Background()
	tm, err := s.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	o := bot.Obligation{Key: "k", Title: "t", Due: bot.NewDate(2026, 3, 5), Rule: bot.RuleOnce}
	if _, err := s.AddObligation(ctx, tm.ID, "u", o, time.Now(), bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Complete(ctx, tm.ID, "u", "k", "", time.Now(), bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"delete from completions",
		"update completions set done_by = 'x'",
		"delete from audit_log",
		"update audit_log set actor = 'x'",
		"insert into completions (obligation_id, done_by, done_at) select id, 'v', now() from obligations",
		"insert into figures (team_id, programme, year, amount_fen, recorded_by, recorded_at) values (" +
			"(select id from teams limit 1), 'p', 2026, -1, 'u', now())",
		"insert into members (team_id, userid, role) values ((select id from teams limit 1), 'u', 'boss')",
	} {
		if _, err := s.Pool().Exec(ctx, q); err == nil {
			t.Errorf("%q succeeded; the schema must refuse it", q)
		}
	}
}

// BenchmarkImportSample measures importing the 60-obligation sample: a first import into an
// empty team, and an identical re-import (the diff with nothing to write).
func BenchmarkImportSample(b *testing.B) {
	url := storetest.PostgresURL(b)
	ctx := context.Background()
	if err := postgres.Migrate(ctx, url); err != nil {
		b.Fatal(err)
	}
	s, err := postgres.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		b.Fatal(err)
	}
	opt := bot.ImportOptions{Source: name, Hash: "h", Actor: "bench", Today: bot.NewDate(2026, 1, 1), At: time.Now()}
	b.Run("first", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			tm, err := s.EnsureTeam(ctx, fmt.Sprint("t", i))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.ImportPlan(ctx, tm.ID, p, opt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("identical", func(b *testing.B) {
		tm, _ := s.EnsureTeam(ctx, "same")
		if _, err := s.ImportPlan(ctx, tm.ID, p, opt); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := s.ImportPlan(ctx, tm.ID, p, opt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("obligations", func(b *testing.B) {
		tm, _ := s.EnsureTeam(ctx, "same")
		for b.Loop() {
			if _, err := s.Obligations(ctx, tm.ID, false); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A figure message delivered again (a WeCom retry the de-duplication did not catch) is answered
// from its effect's record, in the claim's own statement, with no read of the team's figures
// after it: that read scanned every figure of the team on each retry, and when PostgreSQL went
// away between the two the retry of a recorded figure answered 暂时无法读取 (a fault run: the
// user, told it failed, types it again). Here the figures table is locked by another
// transaction: the retry must not need it.
func TestFigureRetryNeedsNoRead(t *testing.T) {
	s := newStore(t).(*postgres.Store)
	ctx := context.Background()
	tm, err := s.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	f := bot.Figure{TeamID: tm.ID, Programme: "国家助学金", Stage: "中职", Term: "春季", Year: 2026,
		Persons: 1200, AmountFen: 240_0000_00, By: "lisi", At: time.Now()}
	eff := bot.Effect{Key: "wecom:msg:7001|figure|#1"}
	first, err := s.AddFigure(ctx, f, eff)
	if err != nil {
		t.Fatal(err)
	}
	lock, err := s.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback(ctx)
	if _, err := lock.Exec(ctx, "lock table figures in access exclusive mode"); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second) // a read would wait for the lock
	defer cancel()
	again, err := s.AddFigure(rctx, f, eff)
	if err != nil || again.ID != first.ID || again.Persons != 1200 || again.Programme != "国家助学金" {
		t.Fatalf("retry: %+v, %v; want figure %d again without a read", again, err, first.ID)
	}
}

// A 新增 delivered again is answered from its effect's record too, with no read after the claim
// (the obligations table is locked by another transaction here).
func TestAddRetryNeedsNoRead(t *testing.T) {
	s := newStore(t).(*postgres.Store)
	ctx := context.Background()
	tm, err := s.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	o := bot.Obligation{Key: "k", Title: "上报资助数据", Due: bot.NewDate(2026, 3, 5), Rule: bot.RuleOnce}
	eff := bot.Effect{Key: "wecom:msg:7002|add|k#1"}
	first, err := s.AddObligation(ctx, tm.ID, "wangzr", o, time.Now(), eff)
	if err != nil {
		t.Fatal(err)
	}
	lock, err := s.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback(ctx)
	if _, err := lock.Exec(ctx, "lock table obligations in access exclusive mode"); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second) // a read would wait for the lock
	defer cancel()
	again, err := s.AddObligation(rctx, tm.ID, "wangzr", o, time.Now(), eff)
	if err != nil || again.ID != first.ID || again.Key != "k" || again.Title != o.Title {
		t.Fatalf("retry: %+v, %v; want obligation %d again without a read", again, err, first.ID)
	}
}
