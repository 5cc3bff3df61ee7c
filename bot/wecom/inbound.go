package wecom

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

// Message and event types the callback handles; anything else is acknowledged and ignored.
const (
	MsgTypeText         = "text"
	MsgTypeEvent        = "event"
	EventEnterAgent     = "enter_agent"
	EventClick          = "click"
	EventTemplateCard   = "template_card_event"
	maxInboundFieldSize = 8 << 10
)

// Inbound is one decrypted, parsed callback message or event.
type Inbound struct {
	ToUserName   string // the CorpID
	FromUserName string // the sender's userid
	CreateTime   int64  // unix seconds
	MsgType      string // text or event
	Content      string // text messages
	MsgID        string // text messages
	AgentID      int64
	Event        string // enter_agent, click, template_card_event
	EventKey     string // click: the menu key; template_card_event: the button key
	TaskID       string // template_card_event
	CardType     string // template_card_event, e.g. button_interaction
	ResponseCode string // template_card_event: single use, for update_template_card
	ChatID       string // smart robot (RobotCallback): the group chat's id; "" in a single chat
	ChatType     string // smart robot: "group" or "single"; "" for the app callback
	// NoCreateTime: WeCom sent no time with the message (the smart robot's text messages), so
	// CreateTime is when the edge received it, which cannot tell WeCom's retry of the message
	// from its first delivery.
	NoCreateTime bool
	// ID is the message's durable id, the edge's de-duplication key (corp, agent or robot and
	// DedupID), set by the edge before Dispatch. It becomes bot.Request.MsgID, by which the
	// store keys the message's effects, and keys the deliveries that answer it.
	ID string
}

// Supported reports whether the handler dispatches this message: text, enter_agent, click and
// template_card_event. Others (images, subscribe, location, …) are acknowledged and ignored.
func (in Inbound) Supported() bool {
	switch in.MsgType {
	case MsgTypeText:
		return true
	case MsgTypeEvent:
		switch in.Event {
		case EventEnterAgent, EventClick, EventTemplateCard:
			return true
		}
	}
	return false
}

// IsCardClick reports whether in is a template card button click.
func (in Inbound) IsCardClick() bool {
	return in.MsgType == MsgTypeEvent && in.Event == EventTemplateCard
}

// Text is what the router should see: the typed text, or the key of the clicked button or menu
// item (card buttons carry the command, e.g. "完成 #KEY"; see CardButtonKey); "" for enter_agent.
func (in Inbound) Text() string {
	if in.MsgType == MsgTypeText {
		return in.Content
	}
	switch in.Event {
	case EventClick, EventTemplateCard:
		return in.EventKey
	}
	return ""
}

// Time is CreateTime as an instant.
func (in Inbound) Time() time.Time { return time.Unix(in.CreateTime, 0) }

// DedupID identifies the message across WeCom's retries: the MsgId for messages, FromUserName and
// CreateTime (plus the event's identity) for events.
func (in Inbound) DedupID() string {
	if in.MsgType != MsgTypeEvent && in.MsgID != "" {
		return "msg:" + in.MsgID
	}
	return "ev:" + in.FromUserName + ":" + strconv.FormatInt(in.CreateTime, 10) + ":" + in.Event + ":" + in.TaskID + ":" + in.EventKey
}

// envelope is the outer XML of a callback POST.
type envelope struct {
	ToUserName string `xml:"ToUserName"`
	AgentID    string `xml:"AgentID"`
	Encrypt    string `xml:"Encrypt"`
}

// parseEnvelope reads the outer <xml><ToUserName/><AgentID/><Encrypt/></xml>.
func parseEnvelope(b []byte) (envelope, error) {
	var e envelope
	if !fastEnvelope(b, &e) {
		e = envelope{}
		if err := xml.Unmarshal(b, &e); err != nil {
			return e, fmt.Errorf("envelope: %w", err)
		}
	}
	e.Encrypt = strings.TrimSpace(e.Encrypt)
	if e.Encrypt == "" {
		return e, errors.New("envelope: no Encrypt element")
	}
	return e, nil
}

// rawMessage mirrors the decrypted XML of messages and events.
type rawMessage struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string   `xml:"ToUserName"`
	FromUserName string   `xml:"FromUserName"`
	CreateTime   string   `xml:"CreateTime"`
	MsgType      string   `xml:"MsgType"`
	Content      string   `xml:"Content"`
	MsgID        string   `xml:"MsgId"`
	AgentID      string   `xml:"AgentID"`
	Event        string   `xml:"Event"`
	EventKey     string   `xml:"EventKey"`
	TaskID       string   `xml:"TaskId"`
	CardType     string   `xml:"CardType"`
	ResponseCode string   `xml:"ResponseCode"`
}

func decodeStrict(b []byte, v any) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	return dec.Decode(v)
}

// ParseMessage parses the decrypted XML of a callback message or event. It checks the shape
// (a root <xml>, a MsgType, a sender, numeric CreateTime and AgentID) but not the content.
func ParseMessage(b []byte) (Inbound, error) {
	b = stripControl(b)
	var r rawMessage
	if !fastMessage(b, &r) {
		r = rawMessage{}
		if err := decodeStrict(b, &r); err != nil {
			return Inbound{}, fmt.Errorf("message: %w", err)
		}
	}
	in := Inbound{
		ToUserName:   strings.TrimSpace(r.ToUserName),
		FromUserName: strings.TrimSpace(r.FromUserName),
		MsgType:      strings.TrimSpace(r.MsgType),
		Content:      r.Content,
		MsgID:        strings.TrimSpace(r.MsgID),
		Event:        strings.TrimSpace(r.Event),
		EventKey:     r.EventKey,
		TaskID:       strings.TrimSpace(r.TaskID),
		CardType:     strings.TrimSpace(r.CardType),
		ResponseCode: strings.TrimSpace(r.ResponseCode),
	}
	if in.MsgType == "" {
		return Inbound{}, errors.New("message: no MsgType")
	}
	if in.FromUserName == "" {
		return Inbound{}, errors.New("message: no FromUserName")
	}
	for _, f := range []string{in.Content, in.EventKey, in.MsgID, in.FromUserName, in.ResponseCode, in.TaskID} {
		if len(f) > maxInboundFieldSize {
			return Inbound{}, errors.New("message: field too long")
		}
	}
	if s := strings.TrimSpace(r.CreateTime); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return Inbound{}, fmt.Errorf("message: CreateTime %q", s)
		}
		in.CreateTime = n
	}
	if s := strings.TrimSpace(r.AgentID); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return Inbound{}, fmt.Errorf("message: AgentID %q", s)
		}
		in.AgentID = n
	}
	if in.MsgType == MsgTypeEvent && in.Event == "" {
		return Inbound{}, errors.New("message: event without Event")
	}
	return in, nil
}

// Request is the router's view of in: the sender, the text (see Text) and the clock's reading.
// The caller sets Team and Member; the edge has de-duplicated the message (DedupID).
func (in Inbound) Request(now time.Time) *bot.Request {
	return &bot.Request{UserID: in.FromUserName, Text: StripInvisible(in.Text()), Now: now, MsgID: in.ID}
}

// StripInvisible drops what a message may carry that nobody sees and nothing should store:
// control characters (C0 but tab and newline, DEL, C1), right-to-left and other bidirectional
// overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) and zero-width
// characters (U+200B–U+200D, U+2060–U+2064, U+FEFF, U+180E). A note or figure typed with them
// is stored without them (issue #16 finding 9); the app and the robot both pass through here.
func StripInvisible(s string) string {
	if !strings.ContainsFunc(s, invisible) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}

func invisible(r rune) bool {
	switch {
	case r == '\t', r == '\n':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2060 && r <= 0x2064,
		r >= 0x2066 && r <= 0x2069, r == 0x061c, r == 0xfeff, r == 0x180e:
		return true
	}
	return false
}

// stripControl drops C0 control bytes (but tab, newline, carriage return) and DEL, which XML 1.0
// forbids: a message carrying \x07 or \x1b is answered without them instead of refused with a
// 400 that WeCom would retry forever. Safe on UTF-8: these bytes never occur inside a sequence.
func stripControl(b []byte) []byte {
	clean := true
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			continue
		}
		out = append(out, c)
	}
	return out
}
