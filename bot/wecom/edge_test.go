package wecom

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// A dispatch never waits for a busy worker: with every worker blocked, a new one starts; after
// they finish, later dispatches still run (on the idle workers or new ones).
func TestGoDispatchNeverQueues(t *testing.T) {
	e := &edge{idle: make(chan func())}
	release := make(chan struct{})
	started := make(chan int, 10)
	for i := range 3 {
		e.goDispatch(func() { started <- i; <-release })
	}
	for range 3 {
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			t.Fatal("a dispatch waited for a busy worker")
		}
	}
	close(release)
	done := make(chan struct{})
	for range 5 {
		e.goDispatch(func() { done <- struct{}{} })
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("a dispatch after the first ones never ran")
		}
	}
}

// readAll reads exactly what io.ReadAll reads, whatever length is declared.
func TestReadAll(t *testing.T) {
	body := strings.Repeat("密文abc", 300)
	for _, declared := range []int64{-1, 0, 1, int64(len(body)) - 1, int64(len(body)), int64(len(body)) + 7, MaxBodyBytes + 1} {
		got, err := readAll(iotest.HalfReader(strings.NewReader(body)), declared)
		if err != nil || string(got) != body {
			t.Errorf("declared %d: %d bytes, %v; want %d bytes", declared, len(got), err, len(body))
		}
	}
	if _, err := readAll(iotest.ErrReader(errors.New("boom")), 10); err == nil || err.Error() != "boom" {
		t.Errorf("error not passed on: %v", err)
	}
}
