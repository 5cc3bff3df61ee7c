package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
)

// durableReplies is the callback's sender in serve: what a chat message is answered through the
// API (a long reply, a card click's confirmation) and the update of a clicked card. Each is sent
// at once, without enable_duplicate_check (a user may ask the same twice); when WeCom does not
// take it (an HTTP 500, an errcode, no connection) it becomes a durable delivery like any other:
// retried by the deliver queue (with the duplicate check), visible in `planbot jobs`, keyed by
// the message's id so that a retry of the message never queues it twice. A send cut off without
// an answer (a WeCom slower than the timeout) is queued as in doubt: not resent blindly, listed
// for `planbot jobs retry`. Parts of a long reply that went out are not sent again.
type durableReplies struct {
	c     *wecom.Client // without duplicate check
	sched func() *schedule.Scheduler
	team  string // the deliveries' team (the default unit; replies need none of its settings)
	log   *slog.Logger
}

var (
	_ wecom.Sender       = durableReplies{}
	_ wecom.CardReplacer = durableReplies{}
)

// SendReply implements wecom.Sender: the reply in parts of at most 2048 bytes, labelled (1/3)
// when there are several (bot.NumberedParts), as Client.SendReply sends it.
func (d durableReplies) SendReply(ctx context.Context, msgID, userID string, r bot.Reply) error {
	parts := bot.NumberedParts(r.MD(), wecom.MaxTextBytes)
	base := "reply/" + deliveryID(msgID)
	for i, p := range parts {
		err := d.c.SendMarkdown(ctx, wecom.ToUser(userID), p)
		if err == nil {
			continue
		}
		m := schedule.DeliverArgs{Key: base + "/" + strconv.Itoa(i+1), Team: d.team, To: userID, Markdown: p}
		if rest := parts[i+1:]; len(rest) > 0 {
			m.Part, m.Rest = i+1, rest
		}
		return d.later(ctx, m, err)
	}
	return nil
}

// UpdateTemplateCard implements wecom.Sender.
func (d durableReplies) UpdateTemplateCard(ctx context.Context, msgID string, userIDs []string, responseCode, replaceName string) error {
	err := d.c.UpdateTemplateCard(ctx, userIDs, responseCode, replaceName)
	if err == nil || len(userIDs) != 1 {
		return err
	}
	return d.later(ctx, schedule.DeliverArgs{Key: "card/" + deliveryID(msgID), Team: d.team, To: userIDs[0],
		CardUpdate: &schedule.CardUpdate{ResponseCode: responseCode, ReplaceName: replaceName}}, err)
}

// ReplaceTemplateCard implements wecom.CardReplacer.
func (d durableReplies) ReplaceTemplateCard(ctx context.Context, msgID string, userIDs []string, responseCode string, card wecom.TemplateCard) error {
	err := d.c.ReplaceTemplateCard(ctx, userIDs, responseCode, card)
	if err == nil || len(userIDs) != 1 {
		return err
	}
	raw, merr := json.Marshal(card)
	if merr != nil {
		return err
	}
	return d.later(ctx, schedule.DeliverArgs{Key: "card/" + deliveryID(msgID), Team: d.team, To: userIDs[0],
		CardUpdate: &schedule.CardUpdate{ResponseCode: responseCode, Card: raw}}, err)
}

// later queues m after its first send failed with err; it returns err when m could not be
// queued either (the callback logs it), else nil.
func (d durableReplies) later(ctx context.Context, m schedule.DeliverArgs, err error) error {
	s := d.sched()
	if s == nil {
		return err
	}
	ctx = context.WithoutCancel(ctx)
	var md interface{ MaybeDelivered() bool }
	var qerr error
	if errors.As(err, &md) && md.MaybeDelivered() {
		qerr = s.EnqueueInDoubt(ctx, m, err)
		d.log.Error("wecom reply in doubt (no answer); listed in planbot jobs, not resent", "key", m.Key, "user", m.To, "err", err)
	} else {
		qerr = s.Enqueue(ctx, m)
		d.log.Warn("wecom reply not taken; queued for retry", "key", m.Key, "user", m.To, "err", err)
	}
	if qerr != nil {
		return errors.Join(err, qerr)
	}
	return nil
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
