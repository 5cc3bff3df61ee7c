package wecom

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

// webhookMarkdownMax is the group robot's markdown limit in bytes.
const webhookMarkdownMax = 4096

// Recipient says who gets an app message: users, departments and tags (WeCom joins each with |).
type Recipient struct {
	Users   []string // userids; "@all" for everyone in the app's visible range
	Parties []string // department ids
	Tags    []string // tag ids
}

// ToUser is a Recipient of some users.
func ToUser(ids ...string) Recipient { return Recipient{Users: ids} }

func (r Recipient) empty() bool { return len(r.Users)+len(r.Parties)+len(r.Tags) == 0 }

// SendResult is message/send's answer.
type SendResult struct {
	InvalidUser  string `json:"invaliduser"`
	InvalidParty string `json:"invalidparty"`
	InvalidTag   string `json:"invalidtag"`
	MsgID        string `json:"msgid"`
	// ResponseCode of a sent card with buttons: update_template_card accepts it for 72 h.
	ResponseCode string `json:"response_code"`
}

type content struct {
	Content string `json:"content"`
}

type appMessage struct {
	ToUser                 string        `json:"touser,omitempty"`
	ToParty                string        `json:"toparty,omitempty"`
	ToTag                  string        `json:"totag,omitempty"`
	MsgType                string        `json:"msgtype"`
	AgentID                int64         `json:"agentid"`
	Text                   *content      `json:"text,omitempty"`
	Markdown               *content      `json:"markdown,omitempty"`
	TemplateCard           *TemplateCard `json:"template_card,omitempty"`
	File                   *mediaRef     `json:"file,omitempty"`
	EnableDuplicateCheck   int           `json:"enable_duplicate_check,omitempty"`
	DuplicateCheckInterval int           `json:"duplicate_check_interval,omitempty"`
}

// SendText sends text, split at line ends into parts of at most 2048 bytes.
func (c *Client) SendText(ctx context.Context, to Recipient, text string) error {
	return c.sendParts(ctx, to, "text", text)
}

// SendMarkdown sends markdown, split at line ends into parts of at most 2048 bytes.
func (c *Client) SendMarkdown(ctx context.Context, to Recipient, md string) error {
	return c.sendParts(ctx, to, "markdown", md)
}

// SendReply sends a bot reply to one user as markdown (ClientSender's Sender). A reply longer
// than one message goes out as parts, one after another, each saying where it stands (（1/2）).
func (c *Client) SendReply(ctx context.Context, userID string, r bot.Reply) error {
	for _, p := range bot.NumberedParts(r.MD(), MaxTextBytes) {
		if err := c.SendMarkdown(ctx, ToUser(userID), p); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) sendParts(ctx context.Context, to Recipient, kind, s string) error {
	for _, part := range bot.SplitBytes(strings.TrimRight(s, "\n"), MaxTextBytes) {
		if strings.TrimSpace(part) == "" {
			continue
		}
		m := appMessage{MsgType: kind}
		if kind == "text" {
			m.Text = &content{part}
		} else {
			m.Markdown = &content{part}
		}
		if _, err := c.send(ctx, to, m); err != nil {
			return err
		}
	}
	return nil
}

// SendCard sends a template card. Its task_id must be valid and not used before by this app.
func (c *Client) SendCard(ctx context.Context, to Recipient, card TemplateCard) (SendResult, error) {
	if !ValidTaskID(card.TaskID) {
		return SendResult{}, fmt.Errorf("wecom: invalid task_id %q", card.TaskID)
	}
	if len(card.ButtonList) > MaxCardButtons {
		return SendResult{}, fmt.Errorf("wecom: %d buttons, at most %d", len(card.ButtonList), MaxCardButtons)
	}
	if card.CardType == "" {
		card.CardType = "button_interaction"
	}
	return c.send(ctx, to, appMessage{MsgType: "template_card", TemplateCard: &card})
}

// send paces per member and calls message/send.
func (c *Client) send(ctx context.Context, to Recipient, m appMessage) (SendResult, error) {
	if to.empty() {
		return SendResult{}, errors.New("wecom: message without recipients")
	}
	for _, u := range to.Users {
		if u == "@all" {
			continue
		}
		if err := c.pace(ctx, "member:"+u, MemberPerMinute, MemberPerHour); err != nil {
			return SendResult{}, err
		}
	}
	m.ToUser = strings.Join(to.Users, "|")
	m.ToParty = strings.Join(to.Parties, "|")
	m.ToTag = strings.Join(to.Tags, "|")
	m.AgentID = c.cfg.AgentID
	if c.dupCheck > 0 {
		m.EnableDuplicateCheck = 1
		m.DuplicateCheckInterval = int(c.dupCheck / time.Second)
	}
	var res SendResult
	if err := c.call(ctx, "message/send", nil, m, &res, true); err != nil {
		return res, err
	}
	if res.InvalidUser != "" || res.InvalidParty != "" || res.InvalidTag != "" {
		c.log.Warn("wecom: some recipients are invalid", "invaliduser", res.InvalidUser,
			"invalidparty", res.InvalidParty, "invalidtag", res.InvalidTag)
	}
	return res, nil
}

type updateCard struct {
	UserIDs      []string      `json:"userids,omitempty"`
	AgentID      int64         `json:"agentid"`
	ResponseCode string        `json:"response_code"`
	Button       *updateButton `json:"button,omitempty"`
	TemplateCard *TemplateCard `json:"template_card,omitempty"`
}

type updateButton struct {
	ReplaceName string `json:"replace_name"`
}

// UpdateTemplateCard replaces the buttons of a card the users clicked with replaceName (e.g.
// 已完成). responseCode is single use: from the click's callback (or message/send) within 72 h.
func (c *Client) UpdateTemplateCard(ctx context.Context, userIDs []string, responseCode, replaceName string) error {
	if responseCode == "" {
		return errors.New("wecom: update_template_card without response_code")
	}
	return c.call(ctx, "message/update_template_card", nil, updateCard{
		UserIDs: userIDs, AgentID: c.cfg.AgentID, ResponseCode: responseCode,
		Button: &updateButton{ReplaceName: replaceName},
	}, nil, true)
}

// ReplaceTemplateCard replaces the whole card the users clicked (e.g. the same items with the
// done one's button removed); responseCode as for UpdateTemplateCard.
func (c *Client) ReplaceTemplateCard(ctx context.Context, userIDs []string, responseCode string, card TemplateCard) error {
	if responseCode == "" {
		return errors.New("wecom: update_template_card without response_code")
	}
	if card.CardType == "" {
		card.CardType = "button_interaction"
	}
	return c.call(ctx, "message/update_template_card", nil, updateCard{
		UserIDs: userIDs, AgentID: c.cfg.AgentID, ResponseCode: responseCode, TemplateCard: &card,
	}, nil, true)
}

type chatMessage struct {
	ChatID   string   `json:"chatid,omitempty"`
	MsgType  string   `json:"msgtype"`
	Markdown *content `json:"markdown,omitempty"`
	Text     *content `json:"text,omitempty"`
}

// WebhookMarkdown posts markdown through the group robot with key ("" = WECOM_WEBHOOK_KEY),
// split into parts of at most 4096 bytes, at most 20 a minute. A non-zero errcode is an error
// (silenceper's robot client would return nil).
func (c *Client) WebhookMarkdown(ctx context.Context, key, md string) error {
	if key == "" {
		key = c.cfg.WebhookKey
	}
	if key == "" {
		return errors.New("wecom: no webhook key (WECOM_WEBHOOK_KEY)")
	}
	for _, part := range bot.SplitBytes(strings.TrimRight(md, "\n"), webhookMarkdownMax) {
		if strings.TrimSpace(part) == "" {
			continue
		}
		if err := c.pace(ctx, "webhook:"+secretKey(key), WebhookPerMinute, 0); err != nil {
			return err
		}
		err := c.call(ctx, "webhook/send", url.Values{"key": {key}},
			chatMessage{MsgType: "markdown", Markdown: &content{part}}, nil, false)
		if err != nil {
			return err
		}
	}
	return nil
}

// AppChatMarkdown posts markdown to a group chat the app created (appchat/send), split at 2048
// bytes.
func (c *Client) AppChatMarkdown(ctx context.Context, chatID, md string) error {
	if chatID == "" {
		return errors.New("wecom: appchat without chatid")
	}
	for _, part := range bot.SplitBytes(strings.TrimRight(md, "\n"), MaxTextBytes) {
		if strings.TrimSpace(part) == "" {
			continue
		}
		if err := c.pace(ctx, "appchat:"+chatID, AppChatPerMinute, 0); err != nil {
			return err
		}
		err := c.call(ctx, "appchat/send", nil,
			chatMessage{ChatID: chatID, MsgType: "markdown", Markdown: &content{part}}, nil, true)
		if err != nil {
			return err
		}
	}
	return nil
}

// ErrNoGroup means a team has no group target and no default webhook is configured.
var ErrNoGroup = errors.New("wecom: no group target")

// SendGroup posts markdown to a team's group: target is bot.Team.GroupTarget ("webhook:KEY",
// "appchat:CHATID", or "" for the default WECOM_WEBHOOK_KEY).
func (c *Client) SendGroup(ctx context.Context, target, md string) error {
	switch {
	case strings.HasPrefix(target, "webhook:"):
		return c.WebhookMarkdown(ctx, strings.TrimPrefix(target, "webhook:"), md)
	case strings.HasPrefix(target, "appchat:"):
		return c.AppChatMarkdown(ctx, strings.TrimPrefix(target, "appchat:"), md)
	case target == "" && c.cfg.WebhookKey != "":
		return c.WebhookMarkdown(ctx, "", md)
	case target == "":
		return ErrNoGroup
	}
	return fmt.Errorf("wecom: group target %q: want webhook:KEY or appchat:CHATID", redactTarget(target))
}

func redactTarget(t string) string {
	if i := strings.IndexByte(t, ':'); i >= 0 {
		return t[:i+1] + "…"
	}
	return "…"
}
