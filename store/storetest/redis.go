package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultRedisURL is the test Redis when PLANBOT_TEST_REDIS_URL is unset.
const DefaultRedisURL = "redis://127.0.0.1:6379/0"

// RedisURL returns the test Redis URL and a fresh key prefix for this test, so tests sharing
// one Redis never see each other's keys. When Redis is unreachable the test is skipped, or
// fails when CI=true.
func RedisURL(t testing.TB) (url, prefix string) {
	t.Helper()
	url = os.Getenv("PLANBOT_TEST_REDIS_URL")
	if url == "" {
		url = DefaultRedisURL
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("PLANBOT_TEST_REDIS_URL: %v", err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redis unreachable at %s (CI=true): %v", url, err)
		}
		t.Skipf("Redis unreachable at %s: %v", url, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	return url, "planbot-test-" + hex.EncodeToString(b[:]) + ":"
}
