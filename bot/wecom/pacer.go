package wecom

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// WeCom's limits: more than these are dropped silently, so the client waits instead.
const (
	MemberPerMinute  = 30   // app messages to one member per minute
	MemberPerHour    = 1000 // app messages to one member per hour
	WebhookPerMinute = 20   // group robot messages per minute
	AppChatPerMinute = 20   // appchat messages per chat per minute (our own, conservative)
)

// Pacer decides whether one more message may go to key now. It either records the send and
// returns 0, or records nothing and returns how long to wait. perHour 0 means no hourly limit.
// store/redisstate implements it on Redis so that replicas share the budget.
type Pacer interface {
	Pace(ctx context.Context, key string, perMinute, perHour int, now time.Time) (wait time.Duration, err error)
}

// MemoryPacer is the in-process Pacer: a sliding window of send times per key.
type MemoryPacer struct {
	mu    sync.Mutex
	sends map[string][]time.Time
}

// NewMemoryPacer returns an empty in-process pacer.
func NewMemoryPacer() *MemoryPacer { return &MemoryPacer{sends: map[string][]time.Time{}} }

// Pace implements Pacer.
func (p *MemoryPacer) Pace(_ context.Context, key string, perMinute, perHour int, now time.Time) (time.Duration, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	window := time.Minute
	if perHour > 0 {
		window = time.Hour
	}
	ts := p.sends[key]
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-window)) {
		i++
	}
	ts = ts[i:]
	var wait time.Duration
	if perMinute > 0 {
		j := 0
		for j < len(ts) && !ts[j].After(now.Add(-time.Minute)) {
			j++
		}
		if inMinute := ts[j:]; len(inMinute) >= perMinute {
			wait = inMinute[len(inMinute)-perMinute].Add(time.Minute).Sub(now)
		}
	}
	if perHour > 0 && len(ts) >= perHour {
		if w := ts[len(ts)-perHour].Add(time.Hour).Sub(now); w > wait {
			wait = w
		}
	}
	if wait > 0 {
		p.sends[key] = ts
		return wait, nil
	}
	if len(ts) == 0 && len(p.sends) > 10000 {
		p.gc(now)
	}
	p.sends[key] = append(ts, now)
	return 0, nil
}

// gc drops keys with no sends in the last hour.
func (p *MemoryPacer) gc(now time.Time) {
	for k, ts := range p.sends {
		if len(ts) == 0 || !ts[len(ts)-1].After(now.Add(-time.Hour)) {
			delete(p.sends, k)
		}
	}
}

// pace waits until the pacer lets one message go to key. Pacer errors fail open.
func (c *Client) pace(ctx context.Context, key string, perMinute, perHour int) error {
	for range 10000 {
		wait, err := c.pacer.Pace(ctx, key, perMinute, perHour, c.now())
		if err != nil {
			c.log.Warn("wecom pacer failed; sending anyway", "key", key, "err", err)
			return nil
		}
		if wait <= 0 {
			return nil
		}
		c.m.paceWait()
		if err := c.sleep(ctx, wait); err != nil {
			return err
		}
	}
	return nil
}

// secretKey names a webhook in pacing keys without revealing it.
func secretKey(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:6])
}
