package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is the demo's terminal, read while it writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits (bounded) until the terminal shows re, and returns its first match group.
func (s *syncBuffer) waitFor(t *testing.T, re *regexp.Regexp, after int) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		out := s.String()
		if len(out) >= after {
			if m := re.FindStringSubmatch(out[after:]); m != nil {
				return m[len(m)-1]
			}
		}
	}
	t.Fatalf("the terminal never showed %s: %s", re, s.String())
	return ""
}

// planbot demo serves the pages on the same store as the terminal chat: a completion on the page
// shows in the terminal, and one in the terminal shows on the page.
func TestDemoServesPages(t *testing.T) {
	in, feed := io.Pipe()
	term := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- runDemo(context.Background(), []string{"--date", "2026-06-08", "--web", "127.0.0.1:0"}, in, term, io.Discard, fixedClock(time.Now()))
	}()
	defer func() {
		feed.Close()
		if err := <-done; err != nil {
			t.Errorf("demo: %v", err)
		}
	}()
	base := term.waitFor(t, regexp.MustCompile(`(http://127\.0\.0\.1:\d+)/app/`), 0)

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(path string) string {
		t.Helper()
		res, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	login := get("/app/login")
	for _, who := range []string{"王主任", "李老师", "张老师"} {
		if !strings.Contains(login, who) {
			t.Errorf("the demo login page does not list %s", who)
		}
	}
	tok := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(login)[1]
	res, err := c.PostForm(base+"/app/login", url.Values{"csrf": {tok}, "user": {"lisi"}, "next": {"/app/me"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	me := get("/app/me")
	keys := regexp.MustCompile(`name="key" value="([^"]+)"`).FindAllStringSubmatch(me, -1)
	if len(keys) < 2 {
		t.Fatalf("我的 in the demo has %d items to complete: %s", len(keys), me)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(me)[1]
	res, err = c.PostForm(base+"/app/me/done", url.Values{"csrf": {csrf}, "key": {keys[0][1]}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()

	// The terminal sees the page's completion...
	mark := len(term.String())
	io.WriteString(feed, "/as 王主任\n完成 #"+keys[0][1]+"\n")
	term.waitFor(t, regexp.MustCompile(`(早已由李老师完成)`), mark)
	// ...and the page sees the terminal's.
	mark = len(term.String())
	io.WriteString(feed, "/as 李老师\n完成 #"+keys[1][1]+" 终端里完成\n")
	term.waitFor(t, regexp.MustCompile(`(已标记完成)`), mark)
	if after := get("/app/me"); !strings.Contains(after, "终端里完成") || !strings.Contains(after, "本月我完成的（2）") {
		t.Errorf("我的 does not show the terminal's completion: %s", after)
	}
}
