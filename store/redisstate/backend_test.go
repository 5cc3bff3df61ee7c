package redisstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// backend is one Redis the behaviour tests run on, with a key prefix of its own.
type backend struct {
	name   string
	c      redis.UniversalClient
	prefix string
	// ff advances the server's clock (miniredis only; nil on real Redis, where TTLs are
	// asserted with the TTL command instead and nothing sleeps).
	ff func(time.Duration)
	m  *miniredis.Miniredis // nil on real Redis
}

func (b backend) state(o Options) *State {
	o.Prefix = b.prefix
	return New(b.c, o)
}

// ttl returns the remaining TTL of a key (without prefix), failing the test on error.
func (b backend) ttl(t *testing.T, key string) time.Duration {
	t.Helper()
	d, err := b.c.PTTL(context.Background(), b.prefix+key).Result()
	if err != nil {
		t.Fatalf("PTTL %s: %v", key, err)
	}
	return d
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newMini returns a backend on a fresh in-process miniredis.
func newMini(t testing.TB) backend {
	m := miniredis.RunT(t)
	c := testClient(t, "redis://"+m.Addr())
	t.Cleanup(func() { _ = c.Close() })
	return backend{name: "miniredis", c: c, prefix: "t" + randomHex(4) + ":", ff: m.FastForward, m: m}
}

// testClient is a client for url that fails over quickly when the server is gone (one dial,
// one retry) but, unlike Open's, waits up to 5 s for answers: the test machine may be busy, and a
// timeout after the server already applied a command would make the outcome tests flaky.
func testClient(t testing.TB, url string) *redis.Client {
	t.Helper()
	o, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("test Redis URL: %v", err)
	}
	o.DialTimeout, o.ReadTimeout, o.WriteTimeout = 5*time.Second, 5*time.Second, 5*time.Second
	o.MaxRetries, o.DialerRetries = 1, 1
	return redis.NewClient(o)
}

// redisURL is the real Redis of the tests.
func redisURL() string {
	if u := os.Getenv("PLANBOT_TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// newReal returns a backend on the real Redis with a unique prefix whose keys are deleted at
// cleanup. It skips the test when Redis is unreachable, or fails it when CI=true.
func newReal(t testing.TB) backend {
	t.Helper()
	c := testClient(t, redisURL())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		_ = c.Close()
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and Redis at PLANBOT_TEST_REDIS_URL is unreachable: %v", err)
		}
		t.Skipf("Redis unreachable (%v); set PLANBOT_TEST_REDIS_URL", err)
	}
	prefix := "planbottest:" + randomHex(6) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			_ = c.Del(ctx, iter.Val()).Err()
		}
		_ = c.Close()
	})
	return backend{name: "redis", c: c, prefix: prefix}
}

// eachBackend runs f on miniredis and on real Redis, as parallel subtests.
func eachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	t.Helper()
	for _, mk := range []struct {
		name string
		new  func(testing.TB) backend
	}{{"miniredis", newMini}, {"redis", newReal}} {
		t.Run(mk.name, func(t *testing.T) {
			t.Parallel()
			f(t, mk.new(t))
		})
	}
}
