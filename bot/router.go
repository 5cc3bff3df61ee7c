package bot

import (
	"context"
	"sync"
	"time"
)

// Request is one inbound message, after the edge (WeCom, terminal, stdin) has identified the sender.
type Request struct {
	Team   Team
	UserID string
	Member Member    // zero when the sender is not a member of Team
	Text   string    // the raw text as typed
	Args   string    // the normalised text after the command word, set by the router
	Now    time.Time // the injected clock's reading for this message
	Dialog *Dialog   // the pending dialog when the router hands the message to Command.Continue
	// Access, when the edge has resolved it (serve's routing to the sender's unit), is the
	// sender's standing in Team: the router takes its Member instead of looking the sender up,
	// so a supervisor of a unit above works in the units below with their role. nil: looked up.
	Access *Access
	// MsgID is the inbound message's durable id (the edge's de-duplication key, set by the
	// dispatcher from wecom.Inbound.ID); "" where a message has none (the terminal, the pages).
	// With it, the store records each effect of the message (Effect) and a retry of the
	// message applies none of them twice.
	MsgID string
	// Effects numbers the message's effects (see Effect); nil until the first one.
	Effects *Effects
	// OwnOnly lets the message undo only the sender's own completions, whatever their role: a
	// correction of their own last change (撤回, 点错了), checked by the store in the undo
	// (Effect.OnlyOwn). See Own.
	OwnOnly bool
}

// Own is a copy of req for acting on the sender's own completions only (OwnOnly); it numbers
// its effects with req's.
func (r *Request) Own() *Request {
	if r.MsgID != "" && r.Effects == nil {
		r.Effects = &Effects{}
	}
	own := *r
	own.OwnOnly = true
	return &own
}

// Today is the request's date in the team's time zone.
func (r *Request) Today() Date { return DateOf(r.Now.In(r.Team.Location())) }

// zones caches loaded time zones: time.LoadLocation reads the zoneinfo database each call.
var zones sync.Map // name -> *time.Location

// Location is the team's time zone (Asia/Shanghai when unset or unknown).
func (t Team) Location() *time.Location {
	if t.TimeZone == "" {
		return Shanghai
	}
	if l, ok := zones.Load(t.TimeZone); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		l = Shanghai
	}
	zones.Store(t.TimeZone, l)
	return l
}

// Reply is what the bot answers: markdown for WeCom and plain text for terminals and the
// personal-WeChat plugin. Either may be empty; Plain falls back to Markdown and vice versa.
type Reply struct {
	Markdown string
	Plain    string
}

// Text returns the plain form of the reply.
func (r Reply) Text() string {
	if r.Plain != "" {
		return r.Plain
	}
	return r.Markdown
}

// MD returns the markdown form of the reply.
func (r Reply) MD() string {
	if r.Markdown != "" {
		return r.Markdown
	}
	return r.Plain
}

// TextReply is a reply with the same plain and markdown text.
func TextReply(s string) Reply { return Reply{Plain: s, Markdown: s} }

// HandlerFunc is the one handler shape.
type HandlerFunc func(ctx context.Context, req *Request) (Reply, error)

// Command is one row of the command table; 帮助 is generated from the table.
type Command struct {
	Name    string   // Chinese name, e.g. 完成
	Aliases []string // other Chinese and English names, e.g. done, 已完成
	Usage   string   // e.g. 完成 N… [备注]
	Example string   // e.g. 完成 3 已报送
	Summary string   // one line for 帮助
	Role    Role     // minimum role; "" means anyone who is a member
	Public  bool     // true when non-members may use it (帮助)
	Handler HandlerFunc
	// Continue, when set, takes the next message of a dialog this command started (State.SetDialog
	// with Dialog.Command = Name); req.Args is the whole normalised message, req.Dialog the dialog.
	Continue HandlerFunc
	// NumbersFirst lets users write the numbers before the command word: 3完成了, 第3项已完成.
	NumbersFirst bool
	// AnswersCommands makes Continue see every message of the dialog, even one naming another
	// command ("5月" answering "哪个月？"); Continue returns ErrLeaveDialog for those that are not
	// answers. Without it, a message naming another command leaves the dialog and runs that command.
	AnswersCommands bool
	// Acts marks a command that changes the store (完成, 撤销, 分配, 新增, 记录 …): the
	// understanding step never routes a question, a negation, a future or chit-chat to one.
	Acts bool
	// Hidden keeps the command out of 帮助 (the confirmation dialog's owner).
	Hidden bool
}

// MaxMessageBytes is WeCom's limit for one text or markdown message.
const MaxMessageBytes = 2048

// MarkdownParts returns the markdown form split at line ends into messages of at most
// MaxMessageBytes each (WeCom edges send them in order).
func (r Reply) MarkdownParts() []string { return SplitBytes(r.MD(), MaxMessageBytes) }

// PlainParts returns the plain form split the same way.
func (r Reply) PlainParts() []string { return SplitBytes(r.Text(), MaxMessageBytes) }
