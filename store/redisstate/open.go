package redisstate

import (
	"fmt"
	"net/url"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// FailFast is the dial, read and write timeout Open uses unless the URL sets one: a Redis that
// is down costs a request at most about this long (once; Degrade then skips Redis for a while).
const FailFast = 500 * time.Millisecond

// Open parses a Redis URL and returns a State and its client (the caller closes the client).
// It does no I/O: go-redis connects lazily, so a down Redis never hangs the start; call
// (*State).Ping to check reachability.
//
// URL forms (those of go-redis):
//   - redis://[user:pass@]host:port/db, rediss://… (TLS), unix:///path.sock — one server;
//   - redis://host1:port?addr=host2:port&addr=host3:port — a cluster (ParseClusterURL);
//   - redis://sentinel1:port?master_name=NAME&addr=sentinel2:port — Sentinel (ParseFailoverURL).
//
// Timeouts given in the URL (dial_timeout, read_timeout, write_timeout) win over FailFast.
// Retries are cut to one so a failure surfaces quickly. The protocol is RESP2 unless the URL
// sets protocol=3.
func Open(rawURL string, o Options) (*State, redis.UniversalClient, error) {
	c, err := newClient(rawURL)
	if err != nil {
		return nil, nil, err
	}
	return New(c, o), c, nil
}

func newClient(rawURL string) (redis.UniversalClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redisstate: REDIS_URL: %w", redactErr(err))
	}
	q := u.Query()
	switch {
	case q.Has("master_name"):
		fo, err := redis.ParseFailoverURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("redisstate: sentinel URL: %w", redactErr(err))
		}
		failFast(&fo.DialTimeout, &fo.ReadTimeout, &fo.WriteTimeout, &fo.MaxRetries, &fo.DialerRetries)
		resp2(&fo.Protocol)
		return redis.NewFailoverClient(fo), nil
	case q.Has("addr"):
		co, err := redis.ParseClusterURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("redisstate: cluster URL: %w", redactErr(err))
		}
		failFast(&co.DialTimeout, &co.ReadTimeout, &co.WriteTimeout, &co.MaxRetries, &co.DialerRetries)
		resp2(&co.Protocol)
		return redis.NewClusterClient(co), nil
	default:
		so, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("redisstate: REDIS_URL: %w", redactErr(err))
		}
		failFast(&so.DialTimeout, &so.ReadTimeout, &so.WriteTimeout, &so.MaxRetries, &so.DialerRetries)
		resp2(&so.Protocol)
		return redis.NewClient(so), nil
	}
}

// resp2 picks RESP2 unless the URL asks for a protocol (protocol=3). Every command planbot sends
// answers the same in both, and under RESP3 go-redis checks each connection for pending push
// notifications around every command and pipeline, about 3% of the server's CPU per message.
func resp2(protocol *int) {
	if *protocol == 0 {
		*protocol = 2
	}
}

// failFast fills unset timeouts with FailFast and limits retries to one.
func failFast(dial, read, write *time.Duration, retries, dialRetries *int) {
	for _, d := range []*time.Duration{dial, read, write} {
		if *d == 0 {
			*d = FailFast
		}
	}
	if *retries == 0 {
		*retries = 1
	}
	if *dialRetries <= 0 {
		*dialRetries = 1
	}
}

// redactErr keeps a password out of logs: url.Parse errors quote the whole URL.
func redactErr(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// Embedded starts an in-process Redis (miniredis) for the demo and tests and returns a client
// for it and a function that closes both. Nothing in it survives the process.
func Embedded() (redis.UniversalClient, func(), error) {
	m, err := miniredis.Run()
	if err != nil {
		return nil, nil, fmt.Errorf("redisstate: embedded redis: %w", err)
	}
	c := redis.NewClient(&redis.Options{Addr: m.Addr()})
	return c, func() {
		_ = c.Close()
		m.Close()
	}, nil
}
