package wecom

import (
	"testing"
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
