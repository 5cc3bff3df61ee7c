package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// routeState is a hand-written State for router tests.
type routeState struct {
	mu      sync.Mutex
	dialogs map[string]Dialog
	seen    map[string]bool
	allow   bool
	failAll bool
}

func newRouteState() *routeState {
	return &routeState{dialogs: map[string]Dialog{}, seen: map[string]bool{}, allow: true}
}

var errRedisDown = errors.New("redis down")

func (s *routeState) Dialog(_ context.Context, team, user string) (Dialog, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failAll {
		return Dialog{}, false, errRedisDown
	}
	d, ok := s.dialogs[team+user]
	return d, ok, nil
}
func (s *routeState) SetDialog(_ context.Context, team, user string, d Dialog) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dialogs[team+user] = d
	return nil
}
func (s *routeState) ClearDialog(_ context.Context, team, user string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.dialogs, team+user)
	return nil
}
func (s *routeState) SaveList(context.Context, string, string, []string) error { return nil }
func (s *routeState) List(context.Context, string, string) ([]string, bool, error) {
	return nil, false, nil
}
func (s *routeState) Seen(_ context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failAll {
		return false, errRedisDown
	}
	return s.seen[id], nil
}
func (s *routeState) FirstSeen(_ context.Context, id string, _ time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failAll {
		return false, errRedisDown
	}
	if s.seen[id] {
		return false, nil
	}
	s.seen[id] = true
	return true, nil
}
func (s *routeState) Allow(context.Context, string, string) (bool, error) {
	if s.failAll {
		return false, errRedisDown
	}
	return s.allow, nil
}
func (s *routeState) Turn(ctx context.Context, team, user string) Turn {
	return TurnOf(ctx, s, team, user)
}

// members is a MemberLookup over a map; err, when set, is returned for every lookup.
type members struct {
	m   map[string]Member
	err error
}

func (f members) Member(_ context.Context, _ int64, id string) (Member, error) {
	if f.err != nil {
		return Member{}, f.err
	}
	m, ok := f.m[id]
	if !ok {
		return Member{}, fmt.Errorf("member %s: %w", id, ErrNotFound)
	}
	return m, nil
}

type testRouter struct {
	*Router
	state *routeState
	calls []string // "name:args" of every handler call
}

func newTestRouter(t *testing.T) *testRouter {
	tr := &testRouter{state: newRouteState()}
	ms := members{m: map[string]Member{
		"staff": {UserID: "staff", Name: "李", Role: RoleStaff, Active: true},
		"boss":  {UserID: "boss", Name: "王", Role: RoleSupervisor, Active: true},
		"old":   {UserID: "old", Name: "赵", Role: RoleStaff, Active: false},
	}}
	tr.Router = NewRouter(tr.state, ms, nil)
	rec := func(name string) HandlerFunc {
		return func(_ context.Context, req *Request) (Reply, error) {
			tr.calls = append(tr.calls, name+":"+req.Args)
			return TextReply("ok " + name), nil
		}
	}
	tr.Add(Command{Name: "完成", Aliases: []string{"done"}, Usage: "完成 N", Summary: "标记完成", NumbersFirst: true, AnswersCommands: true,
		Handler: func(ctx context.Context, req *Request) (Reply, error) {
			if req.Args == "" {
				tr.calls = append(tr.calls, "完成:dialog")
				return TextReply("请回复编号"), tr.state.SetDialog(ctx, req.TeamKey(), req.UserID, Dialog{Command: "完成"})
			}
			return rec("完成")(ctx, req)
		},
		Continue: func(ctx context.Context, req *Request) (Reply, error) {
			if _, _, ok := ParseNumbers(req.Args); !ok {
				return Reply{}, &Error{Code: EINVALID, Message: "请回复编号", Err: ErrLeaveDialog}
			}
			tr.calls = append(tr.calls, "continue:"+req.Args)
			return TextReply("ok"), tr.state.ClearDialog(ctx, req.TeamKey(), req.UserID)
		}})
	tr.Add(Command{Name: "今天", Aliases: []string{"today"}, Usage: "今天", Summary: "今天", Handler: rec("今天")})
	tr.Add(Command{Name: "新增", Aliases: []string{"add"}, Usage: "新增 日期 事项", Summary: "新增", Role: RoleSupervisor, Handler: rec("新增")})
	tr.Add(Command{Name: "崩溃", Usage: "崩溃", Summary: "panics", Handler: func(context.Context, *Request) (Reply, error) {
		panic("boom")
	}})
	tr.Add(Command{Name: "存储", Usage: "存储", Summary: "store down", Handler: func(context.Context, *Request) (Reply, error) {
		return Reply{}, fmt.Errorf("complete: %w", ErrUnavailable)
	}})
	tr.Add(Command{Name: "长", Usage: "长", Summary: "long", Handler: func(context.Context, *Request) (Reply, error) {
		return TextReply(strings.Repeat("一二三四五六七八九十\n", 300)), nil
	}})
	tr.Add(tr.HelpCommand())
	return tr
}

func (tr *testRouter) say(user, text string) string {
	return textOf(tr.Handle(context.Background(), &Request{Team: Team{ID: 1, Name: "t"}, UserID: user, Text: text, Now: time.Now()}))
}

func TestRouterRoutes(t *testing.T) {
	tests := []struct {
		user, text string
		call       string // "" = no handler call
		reply      string
	}{
		{"staff", "完成 3", "完成:3", "ok"},
		{"staff", "完成3", "完成:3", "ok"},
		{"staff", "DONE 3", "完成:3", "ok"},
		{"staff", "done3", "完成:3", "ok"},
		{"staff", "donex 3", "", "最接近的命令"},
		{"staff", "3完成了", "完成:3", "ok"},
		{"staff", "第3项已完成", "完成:第3项", "ok"},
		{"staff", "已完成 4", "完成:4", "ok"},
		{"staff", "完成了3", "完成:3", "ok"},
		{"staff", "3、5完成了 备注", "完成:3、5 备注", "ok"},
		{"staff", "@机器人 today", "今天:", "ok"},
		{"staff", "@机器人today", "今天:", "ok"},
		{"staff", "Today", "今天:", "ok"},
		{"staff", "新增 6月1日 x", "", "需要主管权限"},
		{"boss", "新增 6月1日 x", "新增:6月1日 x", "ok"},
		{"old", "完成 3", "", "不是本团队的成员"},
		{"nobody", "完成 3", "", "不是本团队的成员"},
		{"nobody", "帮助", "", "planbot 命令"},
		{"nobody", "瞎写", "", "不是本团队的成员"},
		{"staff", "崩溃", "", EINTERNALText},
		{"staff", "存储", "", "暂时无法保存，请稍后再试"},
		{"staff", "完城 3", "", "最接近的命令是“完成”"},
		{"staff", "todya", "", "最接近的命令是“今天”"},
		{"staff", "xyz", "", "常用的有“今天”"},
		{"staff", "3", "", "请发送“完成 3”"},
		{"staff", "3、5", "", "请发送“完成 3、5”"},
		{"staff", "帮助 完成", "", "用法：完成 N"},
		{"staff", "帮助", "", "今天 — 今天"},
		{"staff", strings.Repeat("字", 501), "", "消息太长"},
		{"staff", strings.Repeat("字", 500), "", "没看懂"},
	}
	for _, tt := range tests {
		tr := newTestRouter(t)
		got := tr.say(tt.user, tt.text)
		if !strings.Contains(got, tt.reply) {
			t.Errorf("%s %q: reply %q, want it to contain %q", tt.user, tt.text, got, tt.reply)
		}
		call := strings.Join(tr.calls, ",")
		if call != tt.call {
			t.Errorf("%s %q: calls %q, want %q", tt.user, tt.text, call, tt.call)
		}
	}
}

func TestRouterHelpPerRole(t *testing.T) {
	tr := newTestRouter(t)
	if got := tr.say("staff", "帮助 全部"); strings.Contains(got, "新增") {
		t.Errorf("staff help lists a supervisor command:\n%s", got)
	}
	if got := tr.say("boss", "help all"); !strings.Contains(got, "新增 日期 事项") {
		t.Errorf("supervisor help lacks 新增:\n%s", got)
	}
	// 帮助 alone: the common commands and how to see the rest, a few lines.
	if got := tr.say("boss", "帮助"); strings.Contains(got, "新增 日期 事项") || !strings.Contains(got, "帮助 全部") || strings.Count(got, "\n") > 10 {
		t.Errorf("short help:\n%s", got)
	}
}

func TestRouterDialog(t *testing.T) {
	tr := newTestRouter(t)
	tr.say("staff", "完成")
	tr.say("staff", "第二项")
	if got := strings.Join(tr.calls, ","); got != "完成:dialog,continue:第二项" {
		t.Fatalf("calls %q", got)
	}
	tr.calls = nil
	tr.say("staff", "完成")
	if got := tr.say("staff", "取消"); got != "已取消。" {
		t.Errorf("cancel reply %q", got)
	}
	tr.say("staff", "2")
	if got := strings.Join(tr.calls, ","); got != "完成:dialog" {
		t.Errorf("after cancel calls %q", got)
	}
	tr.calls = nil
	tr.say("staff", "完成")
	tr.say("staff", "今天") // another command leaves the dialog
	tr.say("staff", "2")
	if got := strings.Join(tr.calls, ","); got != "完成:dialog,今天:" {
		t.Errorf("calls %q", got)
	}
	tr.calls = nil
	tr.say("staff", "完成")
	if got := tr.say("staff", "什么"); got != "请回复编号" { // not an answer, not a command: asked again
		t.Errorf("reply %q", got)
	}
	tr.say("staff", "完成 2") // the owner's own word inside its dialog
	if got := strings.Join(tr.calls, ","); got != "完成:dialog,continue:2" {
		t.Errorf("calls %q", got)
	}
}

// The rate limit refuses without calling the handler; with Redis down the router keeps answering
// (no dialogs, no limit). Repeated WeCom messages are dropped once, at the edge (bot/wecom), not
// here.
func TestRouterRateLimit(t *testing.T) {
	tr := newTestRouter(t)
	tr.state.allow = false
	if got := tr.say("staff", "今天"); !strings.Contains(got, "太频繁") || len(tr.calls) != 0 {
		t.Errorf("rate limited: reply %q calls %v", got, tr.calls)
	}
	tr.state.allow = true
	if got := tr.say("staff", "完成 3"); got != "ok 完成" || len(tr.calls) != 1 {
		t.Errorf("allowed: reply %q, calls %v", got, tr.calls)
	}
	tr.state.failAll = true
	if got := tr.say("staff", "完成 4"); got != "ok 完成" {
		t.Errorf("redis down: %q", got)
	}
}

func TestRouterMemberLookupDown(t *testing.T) {
	r := NewRouter(nil, members{err: fmt.Errorf("db: %w", ErrUnavailable)}, nil)
	r.Add(Command{Name: "今天", Usage: "今天", Handler: func(context.Context, *Request) (Reply, error) {
		t.Fatal("handler called")
		return Reply{}, nil
	}})
	got := textOf(r.Handle(context.Background(), &Request{UserID: "x", Text: "今天"}))
	if got != ErrorMessage(ErrUnavailable) {
		t.Errorf("reply %q", got)
	}
}

func TestReplyParts(t *testing.T) {
	tr := newTestRouter(t)
	rep, _ := tr.Handle(context.Background(), &Request{Team: Team{ID: 1}, UserID: "staff", Text: "长", Now: time.Now()})
	parts := rep.MarkdownParts()
	if len(parts) < 2 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if len(p) > MaxMessageBytes {
			t.Errorf("part of %d bytes", len(p))
		}
	}
	if strings.Join(parts, "\n") != rep.MD() {
		t.Error("parts lose text")
	}
}

func TestAddDuplicatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("duplicate alias accepted")
		}
	}()
	r := NewRouter(nil, nil, nil)
	r.Add(Command{Name: "完成", Aliases: []string{"done"}})
	r.Add(Command{Name: "做完", Aliases: []string{"DONE"}})
}

func FuzzRouter(f *testing.F) {
	for _, s := range []string{"完成 3", "3完成了", "@机器人完成3", "第一、二项已完成。", "帮助 完成", "完成 1-3 备注", "@", "已", "1-"} {
		f.Add(s)
	}
	tr := newTestRouter(&testing.T{})
	f.Fuzz(func(t *testing.T, s string) {
		tr.calls = nil
		rep, _ := tr.Handle(context.Background(), &Request{Team: Team{ID: 1}, UserID: "staff", Text: s, Now: time.Now()})
		if rep.Text() == "" && !strings.Contains(s, "完成") {
			// every message gets an answer (only the dialog-less test handlers may answer "ok")
			t.Fatalf("empty reply for %q", s)
		}
		_ = tr.say("nobody", s)
	})
}

// TestRouterDialogOtherCommand: a dialog whose command answers commands is told which other
// command the message names (Dialog.Other), on a copy that is never saved.
func TestRouterDialogOtherCommand(t *testing.T) {
	tr := newTestRouter(t)
	tr.Add(Command{Name: "问", Usage: "问", Summary: "asks", AnswersCommands: true,
		Handler: func(ctx context.Context, req *Request) (Reply, error) {
			tr.calls = append(tr.calls, "问:dialog")
			return TextReply("哪个月？"), tr.state.SetDialog(ctx, req.TeamKey(), req.UserID, Dialog{Command: "问", Data: map[string]string{"a": "1"}})
		},
		Continue: func(ctx context.Context, req *Request) (Reply, error) {
			other := req.Dialog.Other
			tr.calls = append(tr.calls, "other="+other+",a="+req.Dialog.Data["a"])
			if other != "" {
				return Reply{}, &Error{Code: EINVALID, Message: "哪个月？", Err: ErrLeaveDialog}
			}
			return TextReply("哪个月？"), nil
		}})
	tr.say("staff", "问")
	tr.say("staff", "什么")
	d, open, err := tr.state.Dialog(context.Background(), "t", "staff")
	if err != nil || !open {
		t.Fatalf("dialog %v %v", open, err)
	}
	if d.Other != "" || len(d.Data) != 1 || d.Data["a"] != "1" {
		t.Errorf("saved dialog %+v", d)
	}
	tr.say("staff", "今天")
	tr.say("staff", "什么")
	if got := strings.Join(tr.calls, ","); got != "问:dialog,other=,a=1,other=今天,a=1,今天:" {
		t.Errorf("calls %q", got)
	}
}

// Input that shares less than half of every command word gets the help hint, not a random
// "closest" command.
func TestRouterNoWildSuggestion(t *testing.T) {
	tr := newTestRouter(t)
	for _, text := range []string{"xyz", "哈哈哈", "qwertyuiop"} {
		if got := tr.say("staff", text); strings.Contains(got, "最接近") {
			t.Errorf("%q: reply %q suggests a command it does not resemble", text, got)
		}
	}
}

// textOf is the text of Handle's reply (its error is already rendered into it).
func textOf(rep Reply, _ error) string { return rep.Text() }

// TestRouterResolvedAccess: a request carrying the sender's resolved access for its team is
// answered with that access's member (a supervisor of the unit above, unknown to the lookup);
// access for another team or another sender is ignored and the sender looked up.
func TestRouterResolvedAccess(t *testing.T) {
	above := Member{TeamID: 1, UserID: "county", Name: "县主任", Role: RoleSupervisor, Active: true}
	tests := []struct {
		name   string
		access *Access
		reply  string
	}{
		{"resolved", &Access{Team: Team{ID: 1, Name: "t"}, Member: above}, "ok"},
		{"other team", &Access{Team: Team{ID: 2, Name: "u"}, Member: above}, "不是本团队的成员"},
		{"other sender", &Access{Team: Team{ID: 1, Name: "t"}, Member: Member{TeamID: 1, UserID: "boss", Role: RoleSupervisor, Active: true}}, "不是本团队的成员"},
		{"none", nil, "不是本团队的成员"},
	}
	for _, tt := range tests {
		tr := newTestRouter(t)
		req := &Request{Team: Team{ID: 1, Name: "t"}, UserID: "county", Text: "新增 6月1日 x", Now: time.Now(), Access: tt.access}
		if got := textOf(tr.Handle(context.Background(), req)); !strings.Contains(got, tt.reply) {
			t.Errorf("%s: reply %q, want it to contain %q", tt.name, got, tt.reply)
		}
	}
}

// TestSafelyRecovers: a panic in an edge's work before the router (routing to a unit) gets the
// same Chinese reply and internal error as a panic in a command.
func TestSafelyRecovers(t *testing.T) {
	tr := newTestRouter(t)
	req := &Request{UserID: "staff", Text: "进度"}
	rep, err := tr.Safely(req, func() (Reply, error) { panic("unit routing broke") })
	if rep.Text() != EINTERNALText || ErrorCode(err) != EINTERNAL {
		t.Fatalf("Safely after a panic = %q, %v; want %q and an internal error", rep.Text(), err, EINTERNALText)
	}
	rep, err = tr.Safely(req, func() (Reply, error) {
		return tr.Handle(context.Background(), &Request{Team: Team{ID: 1, Name: "t"}, UserID: "staff", Text: "今天"})
	})
	if rep.Text() != "ok 今天" || err != nil {
		t.Fatalf("Safely without a panic = %q, %v; want the router's answer", rep.Text(), err)
	}
}
