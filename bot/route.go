package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxTextRunes is the longest message the router reads; longer ones are refused politely.
const MaxTextRunes = 500

// MemberLookup finds the sender in a team. bot.Store satisfies it.
type MemberLookup interface {
	// Member returns one member (active or not); an error wrapping ErrNotFound when unknown.
	Member(ctx context.Context, teamID int64, userID string) (Member, error)
}

// Router turns an inbound message into a reply through a table of commands. It is the one entry
// point for every edge (terminal, WeCom callback, card click): see Handle.
type Router struct {
	state   State
	members MemberLookup
	log     *slog.Logger
	cmds    []*Command
	names   map[string]*Command // lower-cased name or alias -> command
	words   []string            // all names and aliases, longest first
	// understand, when set, reads a member's message before the command table (see SetUnderstand).
	understand UnderstandFunc
}

// UnderstandFunc is the understanding step between normalisation and the command table: from a
// member's normalised message it either answers (reply, without acting), or rewrites the message
// into the command text a user would have typed (routed through the table like a typed command),
// or passes (ok false: the message goes to the table unchanged).
type UnderstandFunc func(ctx context.Context, req *Request, text string) (u Understanding, ok bool)

// Understanding is what the understanding step made of a message.
type Understanding struct {
	Command string // the command text to route, as typed ("完成 3", "完成 #k5 已报送")
	Reply   Reply  // the answer when Command is empty
	Err     error  // a refusal when Command is empty
	Why     string // the decision, for the log ("question", "wording", "correction" …)
	// OwnOnly routes Command for the sender's own completions only (Request.OwnOnly): a
	// correction of the sender's last change.
	OwnOnly bool
}

// SetUnderstand installs the understanding step (handlers.Register does).
func (r *Router) SetUnderstand(f UnderstandFunc) { r.understand = f }

// NewRouter returns a router that keeps dialogs and the rate limit in st (nil: none) and looks
// senders up in members (nil: every sender is taken as given in Request.Member), unless the
// request carries the sender's resolved Access. Membership, roles and the rate limit are the
// router's own steps for every command (see route), and Handle recovers from a panic in any of
// them (the one recovery of a message's way: see Safely).
func NewRouter(st State, members MemberLookup, log *slog.Logger) *Router {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Router{state: st, members: members, log: log, names: map[string]*Command{}}
}

// Add registers a command. It panics when a name or alias is already taken (a programming error
// found at start-up).
func (r *Router) Add(c Command) {
	cmd := c
	for _, w := range append([]string{c.Name}, c.Aliases...) {
		k := strings.ToLower(w)
		if k == "" {
			continue
		}
		if old, dup := r.names[k]; dup {
			panic(fmt.Sprintf("bot: command word %q of %s already used by %s", w, c.Name, old.Name))
		}
		r.names[k] = &cmd
		r.words = append(r.words, k)
	}
	sort.SliceStable(r.words, func(i, j int) bool { return len(r.words[i]) > len(r.words[j]) })
	r.cmds = append(r.cmds, &cmd)
}

// Lookup finds a command by name or alias (case-insensitive).
func (r *Router) Lookup(word string) (Command, bool) {
	c, ok := r.names[strings.ToLower(strings.TrimSpace(word))]
	if !ok {
		return Command{}, false
	}
	return *c, true
}

// TeamKey is the team part of State keys for this request's team.
func (req *Request) TeamKey() string {
	if req.Team.Name != "" {
		return req.Team.Name
	}
	return DefaultTeam
}

// Handle answers one message. It never fails: errors and panics become a short Chinese reply
// (rendered once, by ErrorMessage) and are logged with detail. The edge fills Team, UserID, Text
// and Now, and has already dropped a repeated message (WeCom retries are de-duplicated once, at
// the edge, with the message id in Request.MsgID for the store: Request.Effect); Member is taken
// from Access when the edge resolved it, else looked up here when a MemberLookup was given. Send
// the reply with MarkdownParts or PlainParts.
//
// The error is the command's failure, already rendered into the reply (ErrorMessage): a refusal
// (not a member, a bad argument) or a failure (a store down). A caller that acts on success (the
// card click's button update) must check it; a caller that only shows the reply may ignore it.
func (r *Router) Handle(ctx context.Context, req *Request) (reply Reply, err error) {
	defer r.recovered(req, &reply, &err)
	if req.MsgID != "" && req.Effects == nil {
		req.Effects = &Effects{} // before any copy of req, so that copies number together
	}
	rep, err := r.route(ctx, req)
	if err != nil {
		code := ErrorCode(err)
		switch code {
		case EINTERNAL, EUNAVAILABLE:
			r.log.Error("command failed", "err", err, "user", req.UserID, "text", req.Text)
		default:
			r.log.Info("command refused", "err", err, "user", req.UserID, "text", req.Text)
		}
		return TextReply(ErrorMessage(err)), err
	}
	return rep, nil
}

// Safely runs f, an edge's whole way from req's message to its reply (serve routes it to the
// sender's unit, then calls Handle), under the router's recovery: a panic anywhere in f becomes
// the same short Chinese reply and EINTERNAL error as a panic in a command, logged with its
// stack. It is the one recovery on a message's way, so an edge need not have its own.
func (r *Router) Safely(req *Request, f func() (Reply, error)) (reply Reply, err error) {
	defer r.recovered(req, &reply, &err)
	return f()
}

// recovered, deferred by Handle and Safely, turns a panic into the internal-error reply.
func (r *Router) recovered(req *Request, reply *Reply, err *error) {
	if p := recover(); p != nil {
		r.log.Error("panic in router", "panic", p, "user", req.UserID, "text", req.Text, "stack", string(debug.Stack()))
		*reply, *err = TextReply(EINTERNALText), Errorf(EINTERNAL, "panic: %v", p)
	}
}

// DedupTTL is how long the edge remembers a WeCom message id (WeCom retries within seconds; 24 h
// is ample).
const DedupTTL = 24 * time.Hour

// route runs the router's steps: the sender's membership, the length limit, the rate limit, a
// pending dialog, then the understanding step and the command table (with the role check).
func (r *Router) route(ctx context.Context, req *Request) (Reply, error) {
	if a := req.Access; a != nil && a.Team.ID == req.Team.ID && a.Member.UserID == req.UserID {
		req.Member = a.Member
	} else if r.members != nil {
		m, err := r.members.Member(ctx, req.Team.ID, req.UserID)
		switch {
		case err == nil:
			req.Member = m
		case errors.Is(err, ErrNotFound):
			req.Member = Member{}
		default:
			return Reply{}, err
		}
	}
	member := req.Member.Active && req.Member.UserID != "" && req.Member.Role.Valid()
	if !member {
		req.Member = Member{}
	}
	if utf8.RuneCountInString(req.Text) > MaxTextRunes {
		return Reply{}, Errorf(EINVALID, "消息太长了（超过%d字），请分几次发送，或只发命令，例如“完成 3”。", MaxTextRunes)
	}
	// The rate limit and the pending dialog, read together (State.Turn).
	var turn Turn
	if r.state != nil && member {
		turn = r.state.Turn(ctx, req.TeamKey(), req.UserID)
		if turn.AllowErr != nil {
			r.log.Warn("rate limit unavailable", "err", turn.AllowErr)
		} else if !turn.Allowed {
			return Reply{}, Errorf(ERATELIMITED, "消息太频繁了，请稍等一分钟再试。")
		}
	}
	text := Normalize(req.Text)

	// A pending dialog takes the next message, unless it is 取消 or another command.
	if r.state != nil && member {
		if turn.DialogErr != nil {
			r.log.Warn("dialog state unavailable", "err", turn.DialogErr)
		} else if turn.HasDialog {
			if rep, done, err := r.continueDialog(ctx, req, turn.Dialog, text); done {
				return rep, err
			}
		}
	}

	return r.Understood(ctx, req, text)
}

// Understood answers normalised text as a fresh message of req's sender: the understanding step,
// then the command table (a confirmation dialog hands back a message that was not its answer).
func (r *Router) Understood(ctx context.Context, req *Request, text string) (Reply, error) {
	member := req.Member.Active && req.Member.UserID != "" && req.Member.Role.Valid()
	if r.understand != nil && member {
		if u, ok := r.understand(ctx, req, text); ok {
			r.log.Debug("understood", "why", u.Why, "user", req.UserID, "text", req.Text, "command", u.Command)
			if u.Command == "" {
				return u.Reply, u.Err
			}
			if u.OwnOnly {
				return r.Route(ctx, req.Own(), u.Command)
			}
			return r.Route(ctx, req, u.Command)
		}
	}
	return r.dispatch(ctx, req, text, member)
}

// Route runs normalised command text through the command table for req's sender, with the
// membership and role checks of a typed command (no dialog, no understanding step): the
// understanding step and confirmations act only through it.
func (r *Router) Route(ctx context.Context, req *Request, text string) (Reply, error) {
	member := req.Member.Active && req.Member.UserID != "" && req.Member.Role.Valid()
	return r.dispatch(ctx, req, text, member)
}

// Match reports the command a normalised text names and its arguments.
func (r *Router) Match(text string) (Command, string, bool) {
	c, args, ok := r.match(text)
	if !ok {
		return Command{}, "", false
	}
	return *c, args, true
}

// dispatch runs the command text names, with the membership and role checks.
func (r *Router) dispatch(ctx context.Context, req *Request, text string, member bool) (Reply, error) {
	cmd, args, ok := r.match(text)
	if !ok {
		return r.unknown(req, text, member)
	}
	if !member && !cmd.Public {
		return Reply{}, notMember()
	}
	if cmd.Role != "" && req.Member.Role.Rank() < cmd.Role.Rank() && !cmd.Public {
		return Reply{}, Errorf(EFORBIDDEN, "“%s”需要%s权限。你的角色是%s。", cmd.Name, cmd.Role.Label(), req.Member.Role.Label())
	}
	req.Args = args
	return cmd.Handler(ctx, req)
}

// ErrLeaveDialog is returned (wrapped, e.g. as the Err of a *bot.Error whose Message asks again)
// by a Command.Continue handler of a command with AnswersCommands set, when the message is not an
// answer to its question. When the message names another command, the router drops the dialog and
// runs that command; otherwise the user sees the handler's message and the dialog stays.
var ErrLeaveDialog = errors.New("message is not an answer to the dialog")

// continueDialog routes text to the dialog's owner. done is false when the text should be
// handled as a fresh command instead (the dialog is dropped then).
func (r *Router) continueDialog(ctx context.Context, req *Request, d Dialog, text string) (Reply, bool, error) {
	owner, hasOwner := r.names[strings.ToLower(d.Command)]
	lower := strings.ToLower(text)
	if lower == "取消" || lower == "cancel" || lower == "算了" || lower == "退出" {
		if err := r.state.ClearDialog(ctx, req.TeamKey(), req.UserID); err != nil {
			return Reply{}, true, err
		}
		return TextReply("已取消。"), true, nil
	}
	if !hasOwner || owner.Continue == nil {
		_ = r.state.ClearDialog(ctx, req.TeamKey(), req.UserID)
		return Reply{}, false, nil
	}
	if cmd, _, ok := r.match(text); ok && cmd.Name != owner.Name && !owner.AnswersCommands {
		_ = r.state.ClearDialog(ctx, req.TeamKey(), req.UserID) // another command leaves the dialog
		return Reply{}, false, nil
	}
	args := text
	other := ""
	if cmd, rest, ok := r.match(text); ok && cmd.Name == owner.Name {
		args = rest // "完成 3" inside the 完成 dialog
	} else if ok {
		other = cmd.Name
	}
	req.Args = args
	dd := d
	dd.Other = other
	req.Dialog = &dd
	rep, err := owner.Continue(ctx, req)
	req.Dialog = nil
	if errors.Is(err, ErrLeaveDialog) {
		if cmd, _, ok := r.match(text); ok && cmd.Name != owner.Name {
			_ = r.state.ClearDialog(ctx, req.TeamKey(), req.UserID)
			return Reply{}, false, nil
		}
	}
	return rep, true, err
}

func notMember() error {
	return Errorf(EFORBIDDEN, "你还不是本团队的成员，暂时不能使用这个命令。请联系管理员把你加入团队；发送“帮助”可查看命令说明。")
}

// match finds the command at the start of a normalised text and returns the rest as args. It
// understands 已完成 4, 已经完成4, 完成了3, 3完成了, 第3项已经完成, 1-3都完成了, 3号完成, 把3分配给…
// and commands glued to numbers (完成3).
func (r *Router) match(text string) (*Command, string, bool) {
	if text == "" {
		return nil, "", false
	}
	if c, args, ok := r.matchPrefix(text); ok {
		return c, args, true
	}
	for _, lead := range leadWords {
		if rest, found := strings.CutPrefix(text, lead); found {
			if c, args, ok := r.match(strings.TrimSpace(rest)); ok {
				return c, args, true
			}
		}
	}
	// "3完成了", "第3项已完成", "3、5完成了", "1-2 完成 备注": numbers, then a command word
	if c, args, ok := r.matchNumbersFirst(text); ok {
		return c, args, true
	}
	// "@机器人完成3": a mention glued to the command
	if strings.HasPrefix(text, "@") {
		best := -1
		for _, w := range r.words {
			if i := strings.Index(strings.ToLower(text), w); i > 0 && (best < 0 || i < best) {
				best = i
			}
		}
		if best > 0 {
			return r.match(text[best:])
		}
	}
	return nil, "", false
}

// leadWords may precede a command: 已完成, 已经完成, 把3分配给, 查看本周, 请完成3, 有逾期吗.
var leadWords = []string{"已经", "已", "有没有", "还有什么", "有什么", "还有", "有", "把", "将", "查看", "看看", "看一下", "看下", "查一下", "查下", "查询", "列出", "显示", "请", "帮我", "麻烦"}

// tailWords may stand between the numbers and the command word: 3号任务完成, 第3项工作已完成,
// 1-3都完成了.
var tailWords = []string{"已经", "已", "都", "也", "的", "任务", "工作", "事项", "事情"}

// matchNumbersFirst finds the first command word (of a NumbersFirst command) after a run of
// item numbers that makes up everything before it.
func (r *Router) matchNumbersFirst(text string) (*Command, string, bool) {
	if r, _ := utf8.DecodeRuneInString(text); !(r >= '0' && r <= '9' || r == '第' || isChineseNumeral(r)) {
		return nil, "", false
	}
	for i := range text {
		if i == 0 {
			continue
		}
		c, args, ok := r.matchPrefix(text[i:])
		if !ok || !c.NumbersFirst {
			continue
		}
		prefix := strings.TrimSpace(text[:i])
		for _, tail := range tailWords {
			prefix = strings.TrimSpace(strings.TrimSuffix(prefix, tail))
		}
		if _, end := parseNumbers(prefix); end == len(prefix) && end > 0 {
			return c, strings.TrimSpace(prefix + " " + args), true
		}
		return nil, "", false
	}
	return nil, "", false
}

func (r *Router) matchPrefix(text string) (*Command, string, bool) {
	lower := strings.ToLower(text)
	for _, w := range r.words {
		if !strings.HasPrefix(lower, w) {
			continue
		}
		rest := text[len(w):]
		if isASCIIWord(w) && rest != "" {
			c, _ := utf8.DecodeRuneInString(rest)
			if c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				continue // "donex" is not "done"
			}
		}
		rest = strings.TrimSpace(rest)
		rest = strings.TrimPrefix(rest, "了")
		rest = strings.TrimLeft(rest, ":,")
		rest = strings.TrimSpace(rest)
		return r.names[w], rest, true
	}
	return nil, "", false
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// unknown answers text that names no command: the closest command and the help hint.
func (r *Router) unknown(req *Request, text string, member bool) (Reply, error) {
	if !member {
		return Reply{}, notMember()
	}
	if text == "" || strings.HasPrefix(text, "@") && !strings.Contains(text, " ") {
		return TextReply("你好！发送“帮助”查看可用命令，例如“今天”“完成 3”。"), nil
	}
	if _, rest, ok := ParseNumbers(text); ok && rest == "" {
		// A bare number: suggest the first command that takes numbers (完成 in the table).
		for _, c := range r.cmds {
			if c.NumbersFirst {
				return Reply{}, Errorf(EINVALID, "要用“%s”吗？请发送“%s %s”。发送“帮助”查看全部命令。", c.Name, c.Name, text)
			}
		}
	}
	if c, ok := r.Closest(text, req.Member.Role); ok {
		return Reply{}, Errorf(EINVALID, "没看懂“%s”。最接近的命令是“%s”，用法：%s\n发送“帮助”查看全部命令。", clip(text, 20), c.Name, c.Usage)
	}
	return Reply{}, Errorf(EINVALID, "没看懂“%s”。发送“帮助”查看全部命令，常用的有“今天”“本周”“完成 3”“进度”。", clip(text, 20))
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n]) + "…"
}

// Closest returns the command whose name or alias is nearest to the start of text by edit
// distance, among the commands role may use. ok is false only when there is no command.
func (r *Router) Closest(text string, role Role) (Command, bool) {
	lower := []rune(strings.ToLower(text))
	first := lower
	if i := indexRune(lower, ' '); i >= 0 {
		first = lower[:i]
	}
	var best *Command
	bestD, bestLen := 1<<30, 0
	for _, c := range r.cmds {
		if c.Role != "" && role.Rank() < c.Role.Rank() {
			continue
		}
		for _, w := range append([]string{c.Name}, c.Aliases...) {
			wr := []rune(strings.ToLower(w))
			d := editDistance(first, wr)
			if len(lower) >= len(wr) {
				if d2 := editDistance(lower[:len(wr)], wr); d2 < d {
					d = d2
				}
			}
			// nearest relative to the word's length: 2 edits of "today" beat 2 of "完成"
			if len(wr) > 0 && (best == nil || d*bestLen < bestD*len(wr)) {
				best, bestD, bestLen = c, d, len(wr)
			}
		}
	}
	// A suggestion that shares less than half of the word is a guess, not a help ("xyz" is
	// not a typo of 我的): then none is made.
	if best == nil || bestD*2 > bestLen {
		return Command{}, false
	}
	return *best, true
}

func indexRune(rs []rune, r rune) int {
	for i, x := range rs {
		if x == r {
			return i
		}
	}
	return -1
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
