package handlers

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

// Notice tells another member about a change that concerns them: an item of theirs marked done
// by someone else, an item assigned to them.
type Notice struct {
	Team bot.Team
	To   string // the member's userid
	Text string // what happened, in a line or two
	// Item, when set, is the item the notice is about and can be completed from it: sent as a
	// card with the item and its 完成 button (an assignment).
	Item *bot.AgendaItem
	// Key is the notice's idempotency key: the same change never notifies twice.
	Key string
	At  time.Time
}

// notify sends n through Deps.Notify; a failure is logged and costs only the notice (the change
// itself is saved). It reports whether the notice was handed over.
func (x h) notify(ctx context.Context, n Notice) bool {
	if x.Notify == nil || n.To == "" {
		return false
	}
	if err := x.Notify(ctx, n); err != nil {
		x.Log.Warn("notify", "err", err, "to", n.To, "key", n.Key)
		return false
	}
	return true
}

// noticeKey is a notice's idempotency key: what, the team, the item, the recipient and the
// message that made the change (req.MsgID: a WeCom retry of it, answered again, queues no
// second notice), or without one the instant of the change.
func noticeKey(what string, req *bot.Request, itemKey, to string) string {
	if req.MsgID != "" {
		return fmt.Sprintf("%s/%s/%s/%s/%s", what, req.Team.Name, itemKey, to, req.MsgID)
	}
	return fmt.Sprintf("%s/%s/%s/%s/%d", what, req.Team.Name, itemKey, to, req.Now.UnixNano())
}

// numberRanges writes numbers as ranges: 1–3、5、7–9.
func numberRanges(nums []int) string {
	s := append([]int(nil), nums...)
	sort.Ints(s)
	var parts []string
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] == s[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d–%d", s[i], s[j]))
		} else {
			parts = append(parts, fmt.Sprint(s[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, "、")
}
