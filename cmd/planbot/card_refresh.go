package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/handlers"
)

// cardRefresher is wecom.WithCardRefresh for serve: schedule.RefreshCard rebuilds the clicked
// morning card from the current state (the open items keep their 完成 buttons, the done ones are
// listed as 已完成, a card with nothing left says 全部完成), sent under a fresh task_id.
type cardRefresher struct {
	store   schedule.Store
	cal     bot.Calendar
	numbers schedule.DayNumbers // the team's numbering of the day (handlers.DayNumbering); may be nil
	pages   string              // PLANBOT_PUBLIC_URL: the rebuilt card still opens 我的
}

// refresh implements wecom.WithCardRefresh; it runs after the click's completion went through.
func (r cardRefresher) refresh(ctx context.Context, in wecom.Inbound) (*wecom.TemplateCard, error) {
	card, err := schedule.RefreshCard(ctx, r.store, r.cal, r.numbers, wecom.BaseTaskID(in.TaskID), in.FromUserName)
	if err != nil {
		return nil, err
	}
	card.TaskID = wecom.RefreshTaskID(in.TaskID, in.ResponseCode)
	tc := wecom.TemplateCardOf(wecom.WithPages(card, r.pages))
	return &tc, nil
}

// noticeDelivery is the delivery of a chat notice: a card with the item and its 完成 button for
// an assignment, a markdown message otherwise. Its task_id ("nt_…", from the notice's key) is
// not a digest card's, so a click greys the button instead of rebuilding a morning card.
func noticeDelivery(n handlers.Notice) schedule.DeliverArgs {
	m := schedule.DeliverArgs{Key: n.Key, Team: n.Team.Name, To: n.To, Markdown: n.Text}
	if n.Item != nil {
		sum := sha256.Sum256([]byte(n.Key))
		m.Markdown = ""
		m.Card = &bot.Card{
			TaskID: "nt_" + hex.EncodeToString(sum[:16]),
			Title:  "分配给你的工作",
			Desc:   n.Text,
			Items: []bot.CardItem{{Key: n.Item.Key, EventKey: "done:" + n.Item.Key,
				Text: fmt.Sprintf("%s（%s截止）", n.Item.Title, n.Item.EffectiveDue.Short())}},
		}
	}
	return m
}
