package wecom

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
)

// With the pages on, tapping a member's card or its 查看全部 opens 我的, a supervisor's summary
// card opens 团队; without them the card is as before (no card_action, no jump_list).
func TestCardsOpenThePages(t *testing.T) {
	member := bot.Card{TaskID: "t1", Title: "今日待办", Items: []bot.CardItem{{Key: "k", Num: 1, Text: "上报月报"}}}
	summary := bot.Card{TaskID: "t2", Title: "团队", Facts: []bot.CardFact{{Key: "逾期", Value: "3项"}}, Links: []bot.CardLink{{Text: "查看逾期", Command: "逾期"}}}
	for _, c := range []struct {
		card bot.Card
		want string
	}{{member, "https://bot.example.cn/app/me"}, {summary, "https://bot.example.cn/app/team"}} {
		tc := TemplateCardOf(WithPages(c.card, "https://bot.example.cn"))
		if tc.CardAction == nil || tc.CardAction.Type != 1 || tc.CardAction.URL != c.want {
			t.Errorf("%s: card_action %+v, want %s", c.card.Title, tc.CardAction, c.want)
		}
		if len(tc.JumpList) != 1 || tc.JumpList[0].Title != "查看全部" || tc.JumpList[0].URL != c.want {
			t.Errorf("%s: jump_list %+v", c.card.Title, tc.JumpList)
		}
		plain, _ := json.Marshal(TemplateCardOf(WithPages(c.card, "")))
		if strings.Contains(string(plain), "card_action") || strings.Contains(string(plain), "jump_list") {
			t.Errorf("%s without pages: %s", c.card.Title, plain)
		}
	}
}
