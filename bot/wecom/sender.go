package wecom

import (
	"context"
	"errors"
	"fmt"

	"github.com/planbot/planbot/bot"
)

// ClientSender is the callback's Sender straight through a Client: nothing is recorded, the
// card's update and the reply are sent once each.
type ClientSender struct{ C *Client }

var _ Sender = ClientSender{}

// Stage implements Sender: send updates the card, then sends the reply.
func (s ClientSender) Stage(_ context.Context, a Answer) (func(context.Context) error, error) {
	return func(ctx context.Context) error {
		var errs []error
		if err := s.C.ChangeCard(ctx, a.To, a.Card); err != nil {
			errs = append(errs, err)
		}
		if a.Reply.Text() != "" {
			errs = append(errs, s.C.SendReply(ctx, a.To, a.Reply))
		}
		return errors.Join(errs...)
	}, nil
}

// ChangeCard applies ch to the card userID clicked (nil: nothing): the whole card replaced when
// ch.Card is set, else its buttons.
func (c *Client) ChangeCard(ctx context.Context, userID string, ch *CardChange) error {
	switch {
	case ch == nil:
		return nil
	case ch.Card != nil:
		return c.ReplaceTemplateCard(ctx, []string{userID}, ch.ResponseCode, *ch.Card)
	default:
		return c.UpdateTemplateCard(ctx, []string{userID}, ch.ResponseCode, ch.ReplaceName)
	}
}

// ScheduleSender delivers the scheduler's messages (bot/schedule's Sender) through a Client: a
// team's group digest to its GroupTarget (or DefaultGroup, "webhook:KEY" from
// WECOM_WEBHOOK_KEY, when a top unit has none), markdown and cards to members. A unit below
// another without a group of its own gets no group digest: the deployment's one group belongs to
// the office that runs it, not to every county and school (their members still get cards).
type ScheduleSender struct {
	C            *Client
	DefaultGroup string
	// Pages is PLANBOT_PUBLIC_URL: cards open 我的 (a supervisor's, 团队) when tapped; "" for none.
	Pages string
}

// SendGroup posts markdown to the team's group.
func (w ScheduleSender) SendGroup(ctx context.Context, team bot.Team, md string) error {
	target := team.GroupTarget
	if target == "" && team.ParentID != 0 {
		return nil // no group of its own: nothing to post
	}
	if target == "" {
		target = w.DefaultGroup
	}
	if target == "" {
		return fmt.Errorf("团队 %s 没有设置群（GroupTarget 或 WECOM_WEBHOOK_KEY）", team.Name)
	}
	return w.C.SendGroup(ctx, target, md)
}

// SendUserMarkdown sends a markdown app message to one member.
func (w ScheduleSender) SendUserMarkdown(ctx context.Context, userID, md string) error {
	return w.C.SendMarkdown(ctx, ToUser(userID), md)
}

// SendUserCard sends a card to one member.
func (w ScheduleSender) SendUserCard(ctx context.Context, userID string, card bot.Card) error {
	_, err := w.C.SendCard(ctx, ToUser(userID), TemplateCardOf(WithPages(card, w.Pages)))
	return err
}
