package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/planbot/planbot/bot/schedule"
)

// jobsDatabaseURL returns a DATABASE_URL on a fresh schema (dropped at cleanup).
func jobsDatabaseURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("PLANBOT_TEST_DATABASE_URL")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, base)
	if err == nil {
		err = admin.Ping(ctx)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL unreachable: %v", err)
		}
		t.Skipf("PostgreSQL unreachable: %v", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "jobs_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func jobsCmd(t *testing.T, dbURL string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	err := runJobs(context.Background(), args, func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}, &out, &errb)
	return out.String(), err
}

func TestJobsCommand(t *testing.T) {
	if _, err := jobsCmd(t, ""); err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("without DATABASE_URL: %v", err)
	}
	dbURL := jobsDatabaseURL(t)
	out, err := jobsCmd(t, dbURL)
	if err != nil || !strings.Contains(out, "没有失败或待发送的任务") {
		t.Fatalf("empty list: %q, %v", out, err)
	}
	// A pending and a failed delivery, as the scheduler leaves them.
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{SkipUnknownJobCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	pending, err := c.Insert(ctx, schedule.DeliverArgs{Key: "digest/default/2026-02-13/group/1", Team: "default", To: schedule.ToGroup, Markdown: "x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	failed, err := c.Insert(ctx, schedule.DeliverArgs{Key: "digest/default/2026-02-13/card/li", Team: "default", To: "li", Markdown: "y"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE river_job SET state = 'discarded', attempt = 10, finalized_at = now(),
		errors = ARRAY['{"at":"2026-02-13T00:30:00Z","attempt":10,"error":"wecom message/send: errcode 81013: user invalid"}'::jsonb]
		WHERE id = $1`, failed.Job.ID); err != nil {
		t.Fatal(err)
	}
	out, err = jobsCmd(t, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], fmt.Sprint(failed.Job.ID)) || !strings.Contains(lines[1], "失败") ||
		!strings.Contains(lines[1], "card/li") || !strings.Contains(lines[1], "81013") ||
		!strings.Contains(lines[2], "待发送") || !strings.Contains(lines[2], "group/1") {
		t.Fatalf("list:\n%s", out)
	}
	out, err = jobsCmd(t, dbURL, "retry", fmt.Sprint(failed.Job.ID))
	if err != nil || !strings.Contains(out, "已重新排队") {
		t.Fatalf("retry: %q, %v", out, err)
	}
	var state string
	if err := pool.QueryRow(ctx, "SELECT state FROM river_job WHERE id = $1", failed.Job.ID).Scan(&state); err != nil {
		t.Fatal(err)
	}
	if state != "available" {
		t.Fatalf("state after retry %q", state)
	}
	for _, bad := range [][]string{{"retry"}, {"retry", "x"}, {"retry", "999999"}, {"frob"}} {
		if _, err := jobsCmd(t, dbURL, bad...); err == nil {
			t.Fatalf("%q accepted", bad)
		}
	}
	_ = pending
}
