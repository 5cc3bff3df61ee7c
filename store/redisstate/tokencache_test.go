package redisstate

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/util"
)

// fakeGettoken is WeCom's gettoken endpoint: each call issues a new token.
func fakeGettoken(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/cgi-bin/gettoken" || r.URL.Query().Get("corpid") != "wwcorp" || r.URL.Query().Get("corpsecret") != "s3cret" {
			http.Error(w, "unexpected "+r.URL.String(), http.StatusNotFound)
			return
		}
		k := n.Add(1)
		fmt.Fprintf(w, `{"errcode":0,"errmsg":"ok","access_token":"TOKEN-%d","expires_in":7200}`, k)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// pointSilenceperAt sends silenceper's WeCom calls to base. util.SetURIModifier is a global:
// tests using it must not run in parallel.
func pointSilenceperAt(t *testing.T, base string) {
	util.SetURIModifier(func(uri string) string {
		return strings.Replace(uri, "https://qyapi.weixin.qq.com", base, 1)
	})
	t.Cleanup(func() { util.SetURIModifier(nil) })
}

// TestTokenSharedByReplicas: two token providers (two replicas, each with its own cache adapter
// and its own in-process mutex) sharing one Redis fetch the token from WeCom once.
func TestTokenSharedByReplicas(t *testing.T) {
	for _, mk := range []func(testing.TB) backend{newMini, newReal} {
		b := mk(t)
		t.Run(b.name, func(t *testing.T) { // not parallel: the URI modifier is global
			srv, fetches := fakeGettoken(t)
			pointSilenceperAt(t, srv.URL)
			replica1 := credential.NewWorkAccessToken("wwcorp", "s3cret", "1000002", credential.CacheKeyWorkPrefix, NewTokenCache(b.c, b.prefix+"token:"))
			replica2 := credential.NewWorkAccessToken("wwcorp", "s3cret", "1000002", credential.CacheKeyWorkPrefix, NewTokenCache(b.c, b.prefix+"token:"))
			for i, p := range []credential.AccessTokenHandle{replica1, replica2, replica1, replica2} {
				tok, err := p.GetAccessToken()
				if err != nil || tok != "TOKEN-1" {
					t.Fatalf("call %d: token %q, %v; want TOKEN-1", i, tok, err)
				}
			}
			if got := fetches.Load(); got != 1 {
				t.Fatalf("gettoken called %d times, want 1", got)
			}
			key := "token:gowechat_work__access_token_wwcorp_1000002"
			within(t, "token", b.ttl(t, key), 5690*time.Second, 5700*time.Second) // expires_in - 1500

			// WeCom said 40014: one replica drops the token; the other then fetches a new one.
			if err := NewTokenCache(b.c, b.prefix+"token:").Delete(strings.TrimPrefix(key, "token:")); err != nil {
				t.Fatal(err)
			}
			if tok, _ := replica2.GetAccessToken(); tok != "TOKEN-2" {
				t.Fatalf("after Delete token = %q, want TOKEN-2", tok)
			}
			if tok, _ := replica1.GetAccessToken(); tok != "TOKEN-2" || fetches.Load() != 2 {
				t.Fatalf("replica1 token %q after %d fetches, want TOKEN-2 after 2", tok, fetches.Load())
			}
		})
	}
}

func TestTokenCacheContract(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		c := NewTokenCache(b.c, b.prefix)
		if v := c.Get("absent"); v != nil {
			t.Fatalf("Get(absent) = %#v, want untyped nil", v)
		}
		if c.IsExist("absent") {
			t.Fatal("IsExist(absent)")
		}
		if err := c.Set("k", "v", time.Minute); err != nil {
			t.Fatal(err)
		}
		if v, ok := c.Get("k").(string); !ok || v != "v" {
			t.Fatalf("Get(k) = %#v, want the string v", c.Get("k"))
		}
		if !c.IsExist("k") {
			t.Fatal("IsExist(k) false after Set")
		}
		within(t, "k", b.ttl(t, "k"), 50*time.Second, time.Minute)
		if err := c.Set("n", 42, time.Minute); err != nil || c.Get("n") != "42" {
			t.Fatalf("non-string value: %v, Get = %#v", err, c.Get("n"))
		}
		if err := c.Set("forever", "v", 0); err == nil {
			t.Fatal("Set without a timeout accepted; every key must expire")
		}
		if err := c.Delete("k"); err != nil || c.Get("k") != nil {
			t.Fatalf("after Delete: %v, Get = %#v", err, c.Get("k"))
		}
		if err := cache.SetContext(context.Background(), c, "ctx", "v", time.Minute); err != nil || cache.GetContext(context.Background(), c, "ctx") != "v" {
			t.Fatal("ContextCache path broken")
		}
	})
}

// TestTokenCacheOutage (not parallel: URI modifier): with Redis down, the last token this process knew is served until it
// expires, instead of a gettoken per WeCom call; a key deleted in Redis is not resurrected.
func TestTokenCacheOutage(t *testing.T) {
	b := newMini(t)
	clk := newClock()
	c := NewTokenCache(b.c, b.prefix).(*TokenCache)
	c.Now = clk.Now
	_ = c.Set("tok", "T1", time.Hour)
	_ = c.Set("gone", "G", time.Hour)
	_ = b.c.Del(context.Background(), b.prefix+"gone").Err() // another replica dropped it
	if v := c.Get("gone"); v != nil {
		t.Fatalf("deleted elsewhere, Get = %#v", v)
	}
	b.m.Close()
	if v := c.Get("tok"); v != "T1" {
		t.Fatalf("during outage Get = %#v, want the local copy T1", v)
	}
	if v := c.Get("gone"); v != nil {
		t.Fatalf("during outage a key deleted before came back: %#v", v)
	}
	// A token fetched during the outage is kept locally: silenceper gets no error from Set
	// (which would make it discard the token) and the next call does not fetch again.
	srv, fetches := fakeGettoken(t)
	pointSilenceperAt(t, srv.URL)
	p := credential.NewWorkAccessToken("wwcorp", "s3cret", "1000002", credential.CacheKeyWorkPrefix, c)
	for i := range 3 {
		if tok, err := p.GetAccessToken(); tok != "TOKEN-1" || err != nil {
			t.Fatalf("call %d during outage: %q, %v", i, tok, err)
		}
	}
	if fetches.Load() != 1 {
		t.Fatalf("gettoken called %d times during the outage, want 1", fetches.Load())
	}
	clk.Add(time.Hour)
	if v := c.Get("tok"); v != nil {
		t.Fatalf("expired local copy served: %#v", v)
	}
}
