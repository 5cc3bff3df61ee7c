package redisstate

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
)

// TokenTimeout bounds each Redis call of the TokenCache, whose interface has no context.
const TokenTimeout = time.Second

// TokenCache is silenceper/wechat's cache.Cache (and cache.ContextCache) over go-redis v9, so
// every replica shares one WeCom access token instead of each fetching its own.
//
// Values are stored as strings; Get returns a string or an untyped nil, as silenceper expects
// (it type-asserts val.(string)). When Redis fails (not merely a missing key), Get falls back to
// the last value this process Set or read, while it is unexpired, so a Redis outage does not turn
// every WeCom call into a gettoken call.
type TokenCache struct {
	c      redis.UniversalClient
	prefix string
	// Now is the clock for the local fallback copy's expiry; time.Now by default.
	Now func() time.Time

	mu    sync.Mutex
	local map[string]localToken
}

type localToken struct {
	val     string
	expires time.Time
}

var _ cache.ContextCache = (*TokenCache)(nil)

// NewTokenCache returns a cache.Cache whose keys are silenceper's keys under prefix
// (e.g. "planbot:token:").
func NewTokenCache(c redis.UniversalClient, prefix string) cache.Cache {
	return &TokenCache{c: c, prefix: prefix, Now: time.Now, local: map[string]localToken{}}
}

func (t *TokenCache) ctx(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, TokenTimeout)
}

// Get returns the cached value (a string) or nil.
func (t *TokenCache) Get(key string) interface{} {
	return t.GetContext(context.Background(), key)
}

// GetContext returns the cached value (a string) or nil.
func (t *TokenCache) GetContext(ctx context.Context, key string) interface{} {
	ctx, cancel := t.ctx(ctx)
	defer cancel()
	// One round trip: the value, and the TTL Redis has left for it.
	pipe := t.c.Pipeline()
	get := pipe.Get(ctx, t.prefix+key)
	pttl := pipe.PTTL(ctx, t.prefix+key)
	_, _ = pipe.Exec(ctx)
	v, err := get.Result()
	switch {
	case errors.Is(err, redis.Nil):
		t.forget(key)
		return nil
	case err != nil:
		t.mu.Lock()
		defer t.mu.Unlock()
		if l, ok := t.local[key]; ok && t.Now().Before(l.expires) {
			return l.val
		}
		return nil
	}
	// Remember it, for an outage later.
	if ttl, err := pttl.Result(); err == nil && ttl > 0 {
		t.remember(key, v, ttl)
	}
	return v
}

// Set stores val (a string, []byte or number) for timeout; timeout <= 0 is refused, since every
// planbot key must expire. When Redis is down the value is kept in this process only and Set
// still succeeds.
func (t *TokenCache) Set(key string, val interface{}, timeout time.Duration) error {
	return t.SetContext(context.Background(), key, val, timeout)
}

// SetContext stores val for timeout.
func (t *TokenCache) SetContext(ctx context.Context, key string, val interface{}, timeout time.Duration) error {
	if timeout <= 0 {
		return fmt.Errorf("redisstate: token cache %q: timeout %v must be positive", key, timeout)
	}
	s, ok := val.(string)
	if !ok {
		switch v := val.(type) {
		case []byte:
			s = string(v)
		case fmt.Stringer:
			s = v.String()
		default:
			s = fmt.Sprint(v)
		}
	}
	t.remember(key, s, timeout)
	ctx, cancel := t.ctx(ctx)
	defer cancel()
	// A Redis failure is not reported: the value is kept locally and served by Get, and
	// silenceper would otherwise throw away a token it has just fetched.
	_ = t.c.Set(ctx, t.prefix+key, s, timeout).Err()
	return nil
}

// IsExist reports whether key is cached (in Redis).
func (t *TokenCache) IsExist(key string) bool {
	return t.IsExistContext(context.Background(), key)
}

// IsExistContext reports whether key is cached (in Redis).
func (t *TokenCache) IsExistContext(ctx context.Context, key string) bool {
	ctx, cancel := t.ctx(ctx)
	defer cancel()
	n, err := t.c.Exists(ctx, t.prefix+key).Result()
	return err == nil && n > 0
}

// Delete drops key, here and in Redis (e.g. after WeCom said 40014/42001 about the token).
func (t *TokenCache) Delete(key string) error {
	return t.DeleteContext(context.Background(), key)
}

// DeleteContext drops key.
func (t *TokenCache) DeleteContext(ctx context.Context, key string) error {
	t.forget(key)
	ctx, cancel := t.ctx(ctx)
	defer cancel()
	if err := t.c.Del(ctx, t.prefix+key).Err(); err != nil {
		return fmt.Errorf("redisstate: token cache delete: %w", err)
	}
	return nil
}

func (t *TokenCache) remember(key, val string, ttl time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.local[key] = localToken{val: val, expires: t.Now().Add(ttl)}
}

func (t *TokenCache) forget(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.local, key)
}
