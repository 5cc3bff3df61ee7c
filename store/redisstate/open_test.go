package redisstate

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestOpenURLs(t *testing.T) {
	for _, c := range []struct {
		url      string
		kind     string // "client", "cluster", "sentinel"
		dial     time.Duration
		wantAddr []string
		protocol int
	}{
		{"redis://127.0.0.1:6379/0", "client", FailFast, []string{"127.0.0.1:6379"}, 2},
		{"redis://127.0.0.1:6379/0?protocol=3", "client", FailFast, []string{"127.0.0.1:6379"}, 3},
		{"rediss://:pw@redis.example:6380/2?dial_timeout=2s", "client", 2 * time.Second, []string{"redis.example:6380"}, 2},
		{"redis://a:7000?addr=b:7001&addr=c:7002", "cluster", FailFast, []string{"a:7000", "b:7001", "c:7002"}, 2},
		{"redis://s1:26379?master_name=mymaster&addr=s2:26379", "sentinel", FailFast, []string{"s1:26379", "s2:26379"}, 2},
	} {
		s, cl, err := Open(c.url, Options{Prefix: "x:"})
		if err != nil {
			t.Errorf("%s: %v", c.url, err)
			continue
		}
		if s.Options().Prefix != "x:" {
			t.Errorf("%s: prefix %q", c.url, s.Options().Prefix)
		}
		switch c.kind {
		case "client":
			o := cl.(*redis.Client).Options()
			if o.DialTimeout != c.dial || o.ReadTimeout != FailFast || o.WriteTimeout != FailFast || o.MaxRetries != 1 {
				t.Errorf("%s: timeouts %v/%v/%v retries %d", c.url, o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.MaxRetries)
			}
			if o.Addr != c.wantAddr[0] {
				t.Errorf("%s: addr %s", c.url, o.Addr)
			}
			if o.Protocol != c.protocol {
				t.Errorf("%s: protocol %d, want %d", c.url, o.Protocol, c.protocol)
			}
		case "cluster":
			o := cl.(*redis.ClusterClient).Options()
			if strings.Join(o.Addrs, ",") != strings.Join(c.wantAddr, ",") || o.DialTimeout != c.dial || o.Protocol != c.protocol {
				t.Errorf("%s: addrs %v dial %v protocol %d", c.url, o.Addrs, o.DialTimeout, o.Protocol)
			}
		case "sentinel":
			if _, ok := cl.(*redis.Client); !ok {
				t.Errorf("%s: %T, want a failover *redis.Client", c.url, cl)
			}
		}
		_ = cl.Close()
	}
}

func TestOpenBadURLHidesPassword(t *testing.T) {
	for _, u := range []string{"redis://:hunter2@[::1", "mysql://:hunter2@host/0", "redis://:hunter2@h:1?bogus=1&addr=h:2"} {
		_, _, err := Open(u, Options{})
		if err == nil {
			t.Errorf("%s: no error", u)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error leaks the password: %v", u, err)
		}
	}
}

// TestOpenDownFailsFast: Open does no I/O, and a Redis that accepts connections but never
// answers (hung, or a black-holing firewall) fails a command within a few FailFast, not after
// go-redis's default 5 s timeouts and retries.
func TestOpenDownFailsFast(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var held []net.Conn // accept and say nothing
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range held {
					c.Close()
				}
				return
			}
			held = append(held, c)
		}
	}()
	start := time.Now()
	s, c, err := Open("redis://"+ln.Addr().String()+"/0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if el := time.Since(start); el > 100*time.Millisecond {
		t.Fatalf("Open took %v; it must not touch the network", el)
	}
	_, _, err = s.Dialog(context.Background(), "t", "u")
	el := time.Since(start)
	if err == nil || el > 4*FailFast {
		t.Fatalf("Dialog on a hung Redis = %v after %v; want an error within %v", err, el, 4*FailFast)
	}
	t.Logf("hung Redis: error after %v", el)
}

func TestEmbedded(t *testing.T) {
	c, closeFn, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := New(c, Options{})
	if first, err := s.FirstSeen(ctx, "m", time.Minute); !first || err != nil {
		t.Fatalf("FirstSeen on embedded = %v, %v", first, err)
	}
	if first, _ := s.FirstSeen(ctx, "m", time.Minute); first {
		t.Fatal("embedded Redis forgot the id")
	}
	closeFn()
	if err := s.Ping(ctx); err == nil {
		t.Fatal("embedded Redis still answers after close")
	}
}
