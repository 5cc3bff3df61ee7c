package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
)

// durableReplies is the callback's sender in serve: what a chat message is answered through the
// API (a long reply, a card click's confirmation) and the update of a clicked card. Each is a
// durable delivery from the start (schedule.Stage): inserted before the callback answers
// WeCom, keyed by the message's id (a retried message stages nothing twice), and sent at once
// as the job's first attempt, without enable_duplicate_check (a user may ask the same twice).
// When WeCom does not take it (an HTTP 500, an errcode, no connection) the queue retries it
// (with the duplicate check), visible in `planbot jobs`; a send cut off without an answer (a
// WeCom slower than the timeout, a process killed mid-request) is in doubt: not resent
// blindly, listed for `planbot jobs retry`; a process killed before the send leaves the job
// to any replica after the stage grace. A long reply's first part goes out at once, the rest
// through the queue, one part after another.
type durableReplies struct {
	c     *wecom.Client // without duplicate check
	sched func() *schedule.Scheduler
	team  string // the deliveries' team (the default unit; replies need none of its settings)
	log   *slog.Logger
	crash func(point string) // appOptions.crash
}

var _ wecom.Sender = durableReplies{}

// Stage implements wecom.Sender.
func (d durableReplies) Stage(ctx context.Context, a wecom.Answer) (func(context.Context) error, error) {
	direct, _ := wecom.ClientSender{C: d.c}.Stage(ctx, a)
	s := d.sched()
	if s == nil {
		return direct, nil
	}
	ctx = context.WithoutCancel(ctx)
	base := deliveryID(a.MsgID)
	var card, reply *schedule.Staged
	var first string // the reply's first part
	if a.Card != nil {
		m := schedule.DeliverArgs{Key: "card/" + base, Team: d.team, To: a.To,
			CardUpdate: &schedule.CardUpdate{ResponseCode: a.Card.ResponseCode, ReplaceName: a.Card.ReplaceName}}
		if a.Card.Card != nil {
			raw, err := json.Marshal(a.Card.Card)
			if err != nil {
				return direct, err
			}
			m.CardUpdate = &schedule.CardUpdate{ResponseCode: a.Card.ResponseCode, Card: raw}
		}
		var err error
		if card, err = s.Stage(ctx, m); err != nil {
			return direct, err
		}
	}
	if a.Reply.Text() != "" {
		parts := bot.NumberedParts(a.Reply.MD(), wecom.MaxTextBytes)
		m := schedule.DeliverArgs{Key: "reply/" + base + "/1", Team: d.team, To: a.To, Markdown: parts[0]}
		if len(parts) > 1 {
			m.Part, m.Rest = 1, parts[1:]
		}
		first = parts[0]
		var err error
		if reply, err = s.Stage(ctx, m); err != nil {
			if card == nil {
				return direct, err
			}
			// The card's update is staged: it goes as staged (sent once, by it or the queue),
			// the reply unrecorded beside it.
			return d.send(a, card, nil, first, true), err
		}
	}
	return d.send(a, card, reply, first, false), nil
}

// send is what Stage returns: the staged card update and reply sent as their first attempts,
// and with unrecorded set the reply sent directly (its staging failed).
func (d durableReplies) send(a wecom.Answer, card, reply *schedule.Staged, first string, unrecorded bool) func(context.Context) error {
	return func(ctx context.Context) error {
		if d.crash != nil {
			d.crash("answer")
		}
		var errs []error
		if card != nil {
			errs = append(errs, card.Send(ctx, func() error { return d.c.ChangeCard(ctx, a.To, a.Card) }))
		}
		if reply != nil {
			errs = append(errs, reply.Send(ctx, func() error { return d.c.SendMarkdown(ctx, wecom.ToUser(a.To), first) }))
		}
		if unrecorded {
			errs = append(errs, d.c.SendReply(ctx, a.To, a.Reply))
		}
		return errors.Join(errs...)
	}
}

// holder keeps a slow message in the queue while serve works on it (wecom.Holder).
type holder struct{ s *schedule.Scheduler }

// Hold implements wecom.Holder.
func (h holder) Hold(ctx context.Context, in wecom.Inbound) (func(), error) {
	if h.s == nil {
		return func() {}, nil
	}
	raw, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	return h.s.Hold(ctx, schedule.RedispatchArgs{ID: in.ID, Message: raw})
}

// deliveryID names a reply's deliveries after the message it answers (wecom.Inbound.ID), so a
// retried message finds its queued reply instead of adding one.
func deliveryID(msgID string) string {
	if msgID != "" {
		return msgID
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "x" + hex.EncodeToString(b[:])
}

// wecomSender is the scheduler's Sender: bot/wecom's, plus the queued card updates, whose
// schedule.CardUpdate bot/wecom does not know.
type wecomSender struct{ wecom.ScheduleSender }

// UpdateCard implements schedule.CardUpdater for the queued card updates.
func (w wecomSender) UpdateCard(ctx context.Context, userID string, u schedule.CardUpdate) error {
	if len(u.Card) == 0 {
		return w.C.UpdateTemplateCard(ctx, []string{userID}, u.ResponseCode, u.ReplaceName)
	}
	var card wecom.TemplateCard
	if err := json.Unmarshal(u.Card, &card); err != nil {
		return err
	}
	return w.C.ReplaceTemplateCard(ctx, []string{userID}, u.ResponseCode, card)
}
