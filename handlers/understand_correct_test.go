package handlers

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

// racingStore lets someone else re-make the completion between the handler's read and its
// undo: at the first Undo, the item's completion is undone and made again by zhangsan.
type racingStore struct {
	bot.Store
	once    sync.Once
	onlyOwn []bool // Effect.OnlyOwn of each Undo the handlers asked for
}

func (r *racingStore) Undo(ctx context.Context, team int64, actor, key string, at time.Time, eff bot.Effect) error {
	r.once.Do(func() {
		_ = r.Store.Undo(ctx, team, "admin", key, at, bot.Effect{})
		_ = r.Store.Complete(ctx, team, "zhangsan", key, "", at, bot.Effect{})
	})
	r.onlyOwn = append(r.onlyOwn, eff.OnlyOwn)
	return r.Store.Undo(ctx, team, actor, key, at, eff)
}

// #16 item 3: a correction (撤回, 点错了, 不对，是第4项) undoes only the sender's own completion —
// a staff member's and a supervisor's alike, since it corrects their own last change — and the
// store checks it in the undo itself: when someone else's completion took its place after the
// correction read the list, it is left alone. (A supervisor's typed 撤销 may undo anyone's.)
func TestCorrectionUndoesOnlyOwn(t *testing.T) {
	for _, c := range []struct{ user, text string }{
		{"lisi", "撤回"}, {"lisi", "第三项刚才点错了"}, {"lisi", "不对，是第4项"},
		{"wangzr", "撤回"}, {"wangzr", "第三项刚才点错了"}, {"wangzr", "不对，是第4项"},
	} {
		text := c.text
		t.Run(c.user+"/"+text, func(t *testing.T) {
			race := &racingStore{}
			e := newEnvWith(t, func(s bot.Store) bot.Store { race.Store = s; return race }, nil)
			_ = e.state.SaveList(context.Background(), bot.DefaultTeam, c.user, defaultList)
			if got := e.say(c.user, "完成 3"); !strings.Contains(got, "已标记完成") {
				t.Fatalf("完成 3: %q", got)
			}
			got := e.say(c.user, text)
			if len(race.onlyOwn) == 0 || !race.onlyOwn[0] {
				t.Fatalf("%s: undo asked with OnlyOwn %v, want true (reply %q)", text, race.onlyOwn, got)
			}
			if by := e.snap().items["k3"].DoneBy; by != "zhangsan" {
				t.Fatalf("%s undid someone else's completion: k3 done by %q (reply %q)", text, by, got)
			}
			if !strings.Contains(got, "张老师") {
				t.Fatalf("%s: reply %q does not say whose completion it now is", text, got)
			}
			if strings.Contains(text, "第4项") && e.snap().items["k4"].DoneBy != "" {
				t.Fatalf("%s completed 4 although the undo of 3 was refused", text)
			}
		})
	}
}
