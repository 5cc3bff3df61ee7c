package handlers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/planbot/planbot/bot"
)

// doneName is the name of the 完成 command; its dialog carries it.
const doneName = "完成"

func registerDone(r *bot.Router, d Deps) {
	x := h{d}
	r.Add(bot.Command{Name: doneName, Aliases: []string{"done", "finish", "finished", "complete", "做完", "办完", "搞定", "办结", "弄完", "处理完", "完工"},
		Usage: "完成 编号… [备注]", Example: "完成 3 已报送市局",
		Summary: "把列表里的事项标记为已完成（不写编号会列出你本周的待办）", NumbersFirst: true, Acts: true,
		Handler: x.done, Continue: x.doneContinue})
	r.Add(bot.Command{Name: "撤销", Aliases: []string{"undo", "撤回", "撤消", "取消完成", "撤销完成", "恢复"}, Acts: true,
		Usage: "撤销 编号…", Example: "撤销 3",
		Summary: "撤销自己的完成记录（主管可撤销任何人的；记录保留）", NumbersFirst: true, Handler: x.undo})
}

// done marks the numbered items (or #key) done with the rest of the line as the note.
func (x h) done(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	if strings.TrimSpace(req.Args) == "" {
		return x.startDoneDialog(ctx, req)
	}
	items, members, err := x.view(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("done", err)
	}
	targets, note, err := x.resolve(ctx, req, items, req.Args, "完成")
	if err != nil {
		return bot.Reply{}, err
	}
	if doneEcho(note) {
		note = "" // "第一项完成，第二项完成": the verb again, not a note
	}
	return x.complete(ctx, req, targets, bot.RawSuffix(req.Text, note), members)
}

// doneEcho reports whether a note is only the done verb repeated (完成, 已完成, 都完成了).
func doneEcho(note string) bool {
	n := strings.Trim(note, " ,.;:!?、，。；：！？")
	n = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(n, "都"), "已经"), "已")
	n = strings.TrimSuffix(strings.TrimSuffix(n, "了"), "啦")
	switch n {
	case "完成", "做完", "办完", "搞定", "办结", "弄完", "处理完", "完工", "done":
		return true
	}
	return false
}

// complete records the completions; items already done are reported, not recorded twice. An
// item assigned to someone else is marked too, and the confirmation says whose it was (its
// holder is told). Many items are confirmed by count and numbers, not by title. members are
// the team's, read with the items (Store.TeamView): they name who did what.
func (x h) complete(ctx context.Context, req *bot.Request, targets []target, note string, members []bot.Member) (bot.Reply, error) {
	ids := doneBy(targets)
	for _, t := range targets {
		ids = append(ids, t.T.Assignee)
	}
	names := namesIn(members, ids)
	var marked, already []string
	var markedNums, alreadyNums []int
	var others []string // 第3项是张老师负责的
	for _, t := range targets {
		if t.T.DoneBy != "" {
			already = append(already, fmt.Sprintf("%s早已由%s完成", t.label(), cmp.Or(names[t.T.DoneBy], t.T.DoneBy)))
			alreadyNums = append(alreadyNums, t.N)
			continue
		}
		err := x.Store.Complete(ctx, req.Team.ID, req.UserID, t.T.Key, note, req.Now, req.Effect("complete", t.T.Key))
		switch {
		case err == nil:
			marked = append(marked, t.label())
			markedNums = append(markedNums, t.N)
			if owner := t.T.Assignee; owner != "" && owner != req.UserID {
				who := cmp.Or(names[owner], owner)
				me := cmp.Or(req.Member.Name, req.UserID)
				told := x.notify(ctx, Notice{Team: req.Team, To: owner, At: req.Now,
					Key:  noticeKey("done", req, t.T.Key, owner),
					Text: fmt.Sprintf("%s把你负责的“%s”标记为已完成。如有误，请%s或主管发送“撤销”更正。", me, t.T.Title, me)})
				s := fmt.Sprintf("%s是%s负责的", t.label(), who)
				if told {
					s += "，已告诉" + who
				}
				others = append(others, s)
			}
		case errors.Is(err, bot.ErrAlreadyDone):
			already = append(already, t.label()+"已经完成过")
			alreadyNums = append(alreadyNums, t.N)
		case errors.Is(err, bot.ErrNotFound):
			already = append(already, t.label()+"已不在计划中")
			alreadyNums = append(alreadyNums, t.N)
		default:
			return bot.Reply{}, partial(marked, "标记完成", err)
		}
	}
	var b strings.Builder
	if len(marked) > 0 {
		if len(marked) > bulkTitles && !slices.Contains(markedNums, 0) {
			fmt.Fprintf(&b, "✅ 已完成%d项：第%s项", len(marked), numberRanges(markedNums))
		} else {
			b.WriteString("✅ 已标记完成：" + strings.Join(marked, "、"))
		}
		if note != "" {
			b.WriteString("\n备注：" + note)
		}
	}
	if len(others) > 0 {
		if len(others) > bulkTitles {
			others = append(others[:bulkTitles], fmt.Sprintf("另有%d项是别人负责的", len(others)-bulkTitles))
		}
		b.WriteString("\n注意：" + strings.Join(others, "；") + "。")
	}
	if len(already) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		if len(already) > bulkTitles && !slices.Contains(alreadyNums, 0) {
			fmt.Fprintf(&b, "第%s项（%d项）早已完成或不在计划中，没有重复记录。", numberRanges(alreadyNums), len(already))
		} else {
			b.WriteString(strings.Join(already, "；") + "，没有重复记录。")
		}
	}
	if len(marked) > 0 {
		b.WriteString("\n记错了可以发送“撤销 编号”。")
	}
	return bot.TextReply(b.String()), nil
}

// bulkTitles: a confirmation names at most this many items by title; more are counted.
const bulkTitles = 3

// partial reports a store failure after some changes were saved, so the user knows which.
func partial(done []string, what string, err error) error {
	if len(done) == 0 {
		return err
	}
	return &bot.Error{Code: bot.ErrorCode(err), Err: err,
		Message: fmt.Sprintf("已%s：%s。其余的%s", what, strings.Join(done, "、"), bot.ErrorMessage(err))}
}

// startDoneDialog lists the user's open items of the week (due this week and unassigned or
// assigned to the user, plus the user's own overdue items) and waits for a number.
func (x h) startDoneDialog(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	if x.State == nil {
		return bot.Reply{}, bot.Errorf(bot.EINVALID, "请写要完成的编号，例如“完成 3”。先发送“今天”可以看到编号。")
	}
	items, err := x.items(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("done", err)
	}
	monday, sunday := weekOf(req.Today())
	var list []bot.AgendaItem
	for _, t := range items {
		it := x.agendaItem(t)
		if t.DoneBy != "" || t.BeforeTracking || it.EffectiveDue.After(sunday) {
			continue
		}
		mine := t.Assignee == req.UserID
		if t.Assignee != "" && !mine {
			continue // someone else's
		}
		if it.EffectiveDue.Before(monday) && !mine {
			continue // overdue from earlier weeks: only the user's own
		}
		list = append(list, it)
	}
	sortMineFirst(list, req.UserID)
	if len(list) == 0 {
		return bot.TextReply("本周没有你的待办事项。发送“本月”查看本月全部事项。"), nil
	}
	if err := x.State.SetDialog(ctx, req.TeamKey(), req.UserID, bot.Dialog{Command: doneName, Step: "pick"}); err != nil {
		x.Log.Warn("set dialog", "err", err)
		return bot.Reply{}, bot.Errorf(bot.EINVALID, "请写要完成的编号，例如“完成 3”。先发送“今天”可以看到编号。")
	}
	return x.renderListFoot(ctx, req, fmt.Sprintf("你本周待办共%d项", len(list)), list,
		"请回复要完成的编号（可加备注，例如“1 已报送”），发送“取消”退出。")
}

// doneContinue takes the number typed in the 完成 dialog.
func (x h) doneContinue(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	if _, _, ok := bot.ParseNumbers(req.Args); !ok && !strings.HasPrefix(req.Args, "#") {
		return bot.Reply{}, &bot.Error{Code: bot.EINVALID, Err: bot.ErrLeaveDialog,
			Message: "请回复列表里的编号，例如“1”；发送“取消”退出。"}
	}
	rep, err := x.done(ctx, req)
	if err != nil && bot.ErrorCode(err) == bot.ENOTFOUND {
		return rep, err // a wrong number: keep the dialog for another try
	}
	if cerr := x.State.ClearDialog(ctx, req.TeamKey(), req.UserID); cerr != nil {
		x.Log.Warn("clear dialog", "err", cerr)
	}
	return rep, err
}

// undo marks the live completion of the numbered items undone: the user's own, or anyone's for
// supervisors and admins. The history keeps both.
func (x h) undo(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	items, members, err := x.view(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("undo", err)
	}
	targets, _, err := x.resolve(ctx, req, items, req.Args, "撤销")
	if err != nil {
		return bot.Reply{}, err
	}
	names := namesIn(members, doneBy(targets))
	// Staff undo their own completions; supervisors anyone's, except in a correction of their
	// own last change (req.OwnOnly).
	ownOnly := req.OwnOnly || req.Member.Role.Rank() < bot.RoleSupervisor.Rank()
	var notDone []string
	var todo []target
	for _, t := range targets {
		switch {
		case t.T.DoneBy == "":
			notDone = append(notDone, t.label())
		case t.T.DoneBy != req.UserID && ownOnly:
			return bot.Reply{}, bot.Errorf(bot.EFORBIDDEN, "%s是%s完成的，只有本人或主管可以撤销。",
				t.label(), cmp.Or(names[t.T.DoneBy], t.T.DoneBy))
		default:
			todo = append(todo, t)
		}
	}
	var undone []string
	for _, t := range todo {
		eff := req.Effect("undo", t.T.Key)
		eff.OnlyOwn = ownOnly // checked again by the store, in the undo itself
		err := x.Store.Undo(ctx, req.Team.ID, req.UserID, t.T.Key, req.Now, eff)
		switch {
		case err == nil:
			undone = append(undone, t.label())
		case errors.Is(err, bot.ErrNotDone):
			notDone = append(notDone, t.label())
		default:
			return bot.Reply{}, partial(undone, "撤销", x.notOwn(ctx, req, t, err))
		}
	}
	var b strings.Builder
	if len(undone) > 0 {
		b.WriteString("↩️ 已撤销完成：" + strings.Join(undone, "、") + "（记录保留）")
	}
	if len(notDone) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(strings.Join(notDone, "、") + "还没有完成记录，无需撤销。")
	}
	return bot.TextReply(b.String()), nil
}

// notOwn names the person whose completion the store refused to undo (someone else completed
// the item again after the list was read); other errors are returned as they are.
func (x h) notOwn(ctx context.Context, req *bot.Request, t target, err error) error {
	var no *bot.NotOwnError
	if !errors.As(err, &no) {
		return err
	}
	who := no.By
	if names, nerr := x.namesOf(ctx, req, []string{no.By}); nerr == nil {
		who = cmp.Or(names[no.By], no.By)
	}
	return bot.Errorf(bot.EFORBIDDEN, "%s现在是%s完成的，只有本人或主管可以撤销。", t.label(), who)
}

// doneBy lists who completed each target (the only names complete and undo show).
func doneBy(targets []target) []string {
	ids := make([]string, len(targets))
	for i, t := range targets {
		ids[i] = t.T.DoneBy
	}
	return ids
}
