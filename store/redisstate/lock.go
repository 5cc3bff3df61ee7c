package redisstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// WeCom's sending limits (wecom.md). Beyond them WeCom drops messages silently, so senders pace
// themselves with (*State).Pace, preferably a little under these numbers.
const (
	WeComMemberPerMinute  = 30   // app messages to one member per minute
	WeComMemberPerHour    = 1000 // app messages to one member per hour
	WeComWebhookPerMinute = 20   // messages through one group-robot webhook per minute
)

// paceScript keeps a sliding log of send instants (ms) in a sorted set and admits a send only
// if it keeps at most perMinute sends in every 60 s and perHour in every 3600 s. Sliding windows
// are stricter than any fixed calendar window WeCom may use, so staying under them is safe.
//
// KEYS[1] the log; ARGV: now ms, perMinute, perHour, unique member.
// Returns 0 when the send was admitted and recorded, else the ms to wait.
var paceScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local limits = {{tonumber(ARGV[2]), 60000}, {tonumber(ARGV[3]), 3600000}}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 3600000)
local wait = 0
for _, l in ipairs(limits) do
  local max, win = l[1], l[2]
  if max > 0 then
    local floor = '(' .. string.format('%d', now - win)
    local n = redis.call('ZCOUNT', KEYS[1], floor, '+inf')
    if n >= max then
      local e = redis.call('ZRANGEBYSCORE', KEYS[1], floor, '+inf', 'WITHSCORES', 'LIMIT', n - max, 1)
      local w = tonumber(e[2]) + win - now
      if w > wait then wait = w end
    end
  end
end
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], 3660000)
return 0
`)

// Pace is a limiter shared by all replicas for sending to one recipient (key: a member's userid,
// a webhook key, a chat id). It returns 0 when a send may go now, and then counts it; otherwise
// it counts nothing and returns how long to wait before asking again. perMinute or perHour <= 0
// leaves that window unlimited. now is the caller's clock (instants are kept in ms).
//
// Use it as: for { w, err := st.Pace(ctx, "member:"+uid, 25, 900, clock()); if w == 0 { send } else
// { sleep w or re-schedule the delivery job } }. An instant earlier than already recorded ones
// (clock skew between replicas) is handled conservatively: the later sends still count.
func (s *State) Pace(ctx context.Context, key string, perMinute, perHour int, now time.Time) (time.Duration, error) {
	if perMinute <= 0 && perHour <= 0 {
		return 0, nil
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	ms := now.UnixMilli()
	member := strconv.FormatInt(ms, 10) + "-" + hex.EncodeToString(b[:])
	w, err := paceScript.Run(ctx, s.c, []string{s.key("pace", key)}, ms, perMinute, perHour, member).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisstate: pace %q: %w", key, err)
	}
	return time.Duration(w) * time.Millisecond, nil
}
