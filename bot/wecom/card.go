package wecom

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/planbot/planbot/bot"
)

// MaxCardButtons is WeCom's limit of buttons on a button_interaction card.
const MaxCardButtons = 6

// maxTaskID is WeCom's limit for template_card.task_id in bytes.
const maxTaskID = 128

// TemplateCard is the template_card of message/send for card_type button_interaction (the
// fields planbot uses; WeCom has more).
type TemplateCard struct {
	CardType              string        `json:"card_type"` // button_interaction
	Source                *CardSource   `json:"source,omitempty"`
	MainTitle             CardTitle     `json:"main_title"`
	SubTitleText          string        `json:"sub_title_text,omitempty"`
	HorizontalContentList []CardKV      `json:"horizontal_content_list,omitempty"`
	TaskID                string        `json:"task_id"`
	ButtonList            []CardButton  `json:"button_list"`
	CardAction            *CardAction   `json:"card_action,omitempty"`
	ReplaceText           string        `json:"replace_text,omitempty"`
	QuoteArea             *CardQuote    `json:"quote_area,omitempty"`
	EmphasisContent       *CardTitle    `json:"emphasis_content,omitempty"`
	ButtonSelection       *CardSelectOp `json:"button_selection,omitempty"`
	JumpList              []CardJump    `json:"jump_list,omitempty"`
}

// CardJump is a link under the card (type 1: a URL, opened inside WeCom with OAuth).
type CardJump struct {
	Type  int    `json:"type"`
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

// linkPage makes tapping the card, and its 查看全部 link, open card.URL.
func linkPage(c *TemplateCard, card bot.Card) {
	if card.URL == "" {
		return
	}
	c.CardAction = &CardAction{Type: 1, URL: card.URL}
	c.JumpList = []CardJump{{Type: 1, Title: "查看全部", URL: card.URL}}
}

// WithPages sets the page a card opens from the pages' public origin (PLANBOT_PUBLIC_URL;
// "" leaves the card as it is): 团队 for a supervisor's summary card, 我的 for the others.
func WithPages(card bot.Card, origin string) bot.Card {
	if origin == "" || card.URL != "" {
		return card
	}
	if len(card.Items) == 0 && len(card.Links) > 0 {
		card.URL = origin + "/app/team"
	} else {
		card.URL = origin + "/app/me"
	}
	return card
}

// CardSource is the card's source line.
type CardSource struct {
	IconURL   string `json:"icon_url,omitempty"`
	Desc      string `json:"desc,omitempty"`
	DescColor int    `json:"desc_color,omitempty"`
}

// CardTitle is a title with a description.
type CardTitle struct {
	Title string `json:"title,omitempty"`
	Desc  string `json:"desc,omitempty"`
}

// CardKV is one line of horizontal_content_list.
type CardKV struct {
	KeyName string `json:"keyname"`
	Value   string `json:"value,omitempty"`
}

// CardButton is one button; Key comes back as EventKey in the template_card_event.
type CardButton struct {
	Text  string `json:"text"`
	Style int    `json:"style,omitempty"` // 1 blue … 4
	Key   string `json:"key"`
}

// CardAction is what tapping the card body does.
type CardAction struct {
	Type int    `json:"type"`
	URL  string `json:"url,omitempty"`
}

// CardQuote is the quote area.
type CardQuote struct {
	Type      int    `json:"type,omitempty"`
	Title     string `json:"title,omitempty"`
	QuoteText string `json:"quote_text,omitempty"`
}

// CardSelectOp is a drop-down selection (unused by planbot, kept for completeness).
type CardSelectOp struct {
	QuestionKey string `json:"question_key"`
	Title       string `json:"title,omitempty"`
}

// CardButtonKey is the button key of the 完成 button for an obligation: the command text the
// router sees when it is clicked (see Inbound.Text).
func CardButtonKey(obligationKey string) string { return "完成 #" + obligationKey }

// CardDoneText marks a done item on a refreshed card; CardAllDoneText is the grey button of a
// card whose items are all done.
const (
	CardDoneText    = "已完成"
	CardAllDoneText = "全部完成"
)

// TemplateCardOf is WeCom's card for a planbot card: SummaryCard when it has links and no
// items, DigestCard otherwise.
func TemplateCardOf(card bot.Card) TemplateCard {
	if len(card.Items) == 0 && len(card.Links) > 0 {
		return SummaryCard(card)
	}
	return DigestCard(card)
}

// DigestCard builds a card of items (the personal morning card, an assignment notice): up to 6
// items, each open one with a 完成 button numbered like its line (the item's Num, the number the
// group digest and 今天 show; else its position). Items beyond 6 are left out.
//
// Rebuilt after a click (see WithCardRefresh), done items are listed as 已完成 without a
// button while the open ones keep theirs; when every item is done the card says 全部完成 and
// its only button is grey (replace_text). A card with an open item never sets replace_text:
// WeCom shows the buttons of a card with replace_text as not clickable.
func DigestCard(card bot.Card) TemplateCard {
	items := card.Items
	if len(items) > MaxCardButtons {
		items = items[:MaxCardButtons]
	}
	c := TemplateCard{
		CardType:  "button_interaction",
		MainTitle: CardTitle{Title: clip(card.Title, 36), Desc: clip(card.Desc, 44)},
		TaskID:    card.TaskID,
	}
	for i, it := range items {
		n := fmt.Sprint(i + 1)
		if it.Num > 0 {
			n = fmt.Sprint(it.Num)
		}
		if it.Done {
			c.HorizontalContentList = append(c.HorizontalContentList, CardKV{KeyName: n, Value: clip("（"+CardDoneText+"）"+it.Text, 30)})
			continue
		}
		c.HorizontalContentList = append(c.HorizontalContentList, CardKV{KeyName: n, Value: clip(it.Text, 30)})
		c.ButtonList = append(c.ButtonList, CardButton{Text: "完成" + n, Style: 1, Key: CardButtonKey(it.Key)})
	}
	if len(c.ButtonList) == 0 && len(items) > 0 {
		// button_interaction needs a button: one grey 全部完成 (a click on it could only repeat
		// a completion, which changes nothing).
		c.MainTitle.Desc = CardAllDoneText
		c.ButtonList = []CardButton{{Text: CardAllDoneText, Style: 2, Key: CardButtonKey(items[len(items)-1].Key)}}
		c.ReplaceText = CardAllDoneText
	}
	linkPage(&c, card)
	return c
}

// SummaryCard builds a supervisor's morning card: a few "key: value" facts and buttons whose
// keys are commands (查看逾期 sends 逾期), so a click answers like the typed command.
func SummaryCard(card bot.Card) TemplateCard {
	links := card.Links
	if len(links) > MaxCardButtons {
		links = links[:MaxCardButtons]
	}
	c := TemplateCard{
		CardType:  "button_interaction",
		MainTitle: CardTitle{Title: clip(card.Title, 36), Desc: clip(card.Desc, 44)},
		TaskID:    card.TaskID,
	}
	for _, f := range card.Facts {
		c.HorizontalContentList = append(c.HorizontalContentList, CardKV{KeyName: clip(f.Key, 5), Value: clip(f.Value, 30)})
	}
	for _, l := range links {
		c.ButtonList = append(c.ButtonList, CardButton{Text: l.Text, Style: 1, Key: l.Command})
	}
	linkPage(&c, card)
	return c
}

// refreshMark separates a task_id from the suffix RefreshTaskID adds.
const refreshMark = "_r"

// RefreshTaskID returns the task_id for the card that replaces a clicked card: WeCom does not
// take a task_id twice, so the clicked card's own id (taskID) gets a suffix made from the
// click's single-use response code. A suffix from an earlier refresh is replaced, not stacked.
func RefreshTaskID(taskID, responseCode string) string {
	base := BaseTaskID(taskID)
	h := sha256.Sum256([]byte(responseCode))
	suffix := refreshMark + hex.EncodeToString(h[:4])
	if len(base) > maxTaskID-len(suffix) {
		base = base[:maxTaskID-len(suffix)]
	}
	return base + suffix
}

// BaseTaskID is the task_id of the card as first sent: taskID without RefreshTaskID's suffix.
func BaseTaskID(taskID string) string {
	if i := strings.LastIndex(taskID, refreshMark); i >= 0 && len(taskID)-i == len(refreshMark)+8 && isHex(taskID[i+len(refreshMark):]) {
		return taskID[:i]
	}
	return taskID
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// clip shortens s to at most n runes, marking the cut with "…".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// TaskID builds a template card task_id for a team, a day and a user: unique per app, only
// [0-9A-Za-z_-@], at most 128 bytes. Characters outside the set become '_' and, when anything
// was changed or cut, a short hash of the original keeps ids distinct.
func TaskID(team string, day bot.Date, user string) string {
	raw := "pb_" + team + "_" + fmt.Sprintf("%04d%02d%02d", day.Year, int(day.Month), day.Day) + "_" + user
	var b strings.Builder
	changed := false
	for i := 0; i < len(raw); i++ {
		ch := raw[i]
		if ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || ch == '-' || ch == '@' {
			b.WriteByte(ch)
		} else {
			b.WriteByte('_')
			changed = true
		}
	}
	s := b.String()
	if !changed && len(s) <= maxTaskID {
		return s
	}
	h := sha256.Sum256([]byte(raw))
	suffix := "_" + hex.EncodeToString(h[:5])
	if len(s) > maxTaskID-len(suffix) {
		s = s[:maxTaskID-len(suffix)]
	}
	return s + suffix
}

// ValidTaskID reports whether s is a usable task_id.
func ValidTaskID(s string) bool {
	if s == "" || len(s) > maxTaskID {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || ch == '-' || ch == '@') {
			return false
		}
	}
	return true
}
