package handlers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

// failingStore is the memory store with chosen writes failing as when PostgreSQL is down.
type failingStore struct {
	bot.Store
	failAfter int // writes that succeed before the failures start
	writes    int
}

func (f *failingStore) fail() error {
	f.writes++
	if f.writes > f.failAfter {
		return fmt.Errorf("postgres: connection refused: %w", bot.ErrUnavailable)
	}
	return nil
}

func (f *failingStore) Complete(ctx context.Context, team int64, actor, key, note string, at time.Time, eff bot.Effect) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.Complete(ctx, team, actor, key, note, at, eff)
}

func (f *failingStore) Undo(ctx context.Context, team int64, actor, key string, at time.Time, eff bot.Effect) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.Undo(ctx, team, actor, key, at, eff)
}

func (f *failingStore) Assign(ctx context.Context, team int64, actor, key, to string, at time.Time, eff bot.Effect) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.Assign(ctx, team, actor, key, to, at, eff)
}

func (f *failingStore) AddObligation(ctx context.Context, team int64, actor string, o bot.Obligation, at time.Time, eff bot.Effect) (bot.Tracked, error) {
	if err := f.fail(); err != nil {
		return bot.Tracked{}, err
	}
	return f.Store.AddObligation(ctx, team, actor, o, at, eff)
}

func TestStoreUnavailable(t *testing.T) {
	tests := []struct {
		user, text string
		failAfter  int
		want       string
		changed    int // audit entries that must appear (writes before the failure)
	}{
		{"lisi", "完成 3", 0, "暂时无法保存，请稍后再试", 0},
		{"wangzr", "分配 3 李老师", 0, "暂时无法保存，请稍后再试", 0},
		{"wangzr", "新增 6月15日 报送材料", 0, "暂时无法保存，请稍后再试", 0},
		{"lisi", "完成 1-3", 1, "已标记完成：第1项“更新维护资助系统数据”。其余的暂时无法保存", 1},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var fs *failingStore
			e := newEnvWith(t, func(s bot.Store) bot.Store {
				fs = &failingStore{Store: s, failAfter: tt.failAfter}
				return fs
			}, nil)
			_ = e.state.SaveList(context.Background(), bot.DefaultTeam, tt.user, defaultList)
			before := e.snap()
			got := e.say(tt.user, tt.text)
			if !strings.Contains(got, tt.want) {
				t.Errorf("reply %q, want %q", got, tt.want)
			}
			if after := e.snap(); after.audit-before.audit != tt.changed {
				t.Errorf("audit grew by %d, want %d", after.audit-before.audit, tt.changed)
			}
		})
	}
	// Undo with the store down: the completion stays.
	e := newEnvWith(t, func(s bot.Store) bot.Store { return &failingStore{Store: s, failAfter: 1} }, nil)
	_ = e.state.SaveList(context.Background(), bot.DefaultTeam, "lisi", defaultList)
	e.say("lisi", "完成 3")
	if got := e.say("lisi", "撤销 3"); !strings.Contains(got, "暂时无法保存") {
		t.Errorf("undo reply %q", got)
	}
	if e.snap().items["k3"].DoneBy != "lisi" {
		t.Error("completion lost when undo failed")
	}
}

// FuzzNonMember checks that nothing a non-member types changes the store, and that no input
// panics a member's conversation.
func FuzzNonMember(f *testing.F) {
	for _, p := range phrasings {
		f.Add(p.text)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := newEnv(t)
		before := e.snap()
		e.say("stranger", s)
		e.say("gone", s)
		if after := e.snap(); after.audit != before.audit {
			t.Fatalf("non-member input %q changed the store", s)
		}
		if got := e.say("lisi", s); got == "" {
			t.Fatalf("empty reply to %q", s)
		}
	})
}

// With Redis down the numbering of the list a user last saw is unknown: "完成 1" is refused with
// a sentence a phone user understands, and nothing is marked (not today's item 1 by guess).
func TestNumbersRefusedWhileListUnknown(t *testing.T) {
	e := newEnv(t)
	before := e.snap()
	e.state.listErr = fmt.Errorf("redis: connection refused: %w", bot.ErrUnavailable)
	for _, text := range []string{"完成 1", "撤销 1", "分配 1 李老师"} {
		user := "lisi"
		if text != "完成 1" {
			user = "wangzr"
		}
		if got := e.say(user, text); !strings.Contains(got, "暂时无法按编号操作") {
			t.Errorf("%s: reply %q, want the numbering-unavailable sentence", text, got)
		}
	}
	if after := e.snap(); after.completions != before.completions || after.audit != before.audit {
		t.Fatalf("a refused numbered command changed the store: %+v -> %+v", before, after)
	}
	// A card button names its item by key and still works.
	if got := e.say("lisi", "完成 #k3"); !strings.Contains(got, "寄送一封信") {
		t.Errorf("完成 #k3 while Redis is down: %q", got)
	}
}
