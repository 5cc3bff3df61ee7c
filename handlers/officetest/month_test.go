package officetest

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/postgres"
	"github.com/planbot/planbot/store/redisstate"
	"github.com/planbot/planbot/store/storetest"
)

func TestMonthMemoryEmbeddedRedis(t *testing.T) {
	client, stop, err := redisstate.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	Month(t, memory.New(), redisstate.New(client, redisstate.Options{Prefix: "month:", RatePerMinute: -1}))
}

// TestMonthPostgresRedis runs the month on real PostgreSQL (a schema of its own) and Redis (a key
// prefix of its own); skipped when they are unreachable, failed when CI=true.
func TestMonthPostgresRedis(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	if err := postgres.Migrate(ctx, url); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	st, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer st.Close()
	redisURL := cmp.Or(os.Getenv("PLANBOT_TEST_REDIS_URL"), "redis://127.0.0.1:6379/0")
	prefix := fmt.Sprintf("planbot-month-%d:", time.Now().UnixNano())
	state, client, err := redisstate.Open(redisURL, redisstate.Options{Prefix: prefix, RatePerMinute: -1})
	if err == nil {
		err = client.Ping(ctx).Err()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis: %v", err)
		}
		t.Skipf("redis unreachable: %v", err)
	}
	defer func() {
		keys, _ := client.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			client.Del(ctx, keys...)
		}
		client.Close()
	}()
	Month(t, st, state)
}
