package handlers

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

// ---- 3. corrections ----

var (
	undoWords     = []string{"撤回", "撤销", "撤消", "撤掉", "撤了", "点错", "弄错", "搞错", "发错", "错了", "undo", "取消刚才", "删掉", "删除", "不算", "作废"}
	replaceLeads  = []string{"不对", "错了", "点错了", "弄错了", "搞错了", "发错了", "不是", "应该是", "改成", "改为", "换成"}
	noteEditLeads = []string{"备注写错了", "备注错了", "备注不对", "备注有误", "备注改一下", "备注改下", "备注修改一下", "备注修改为", "备注换成", "备注更正为", "改一下备注", "修改备注", "备注改成", "备注改为", "备注应该是", "备注是", "备注一下", "补个备注", "加个备注", "备注:", "备注"}
)

// lastChange is the sender's latest batch of completions (same instant) within recentChange;
// none when the sender undid something after it (撤回, then 撤回 again or 不对，是第4项: the undo
// was the last change, and what came before it is not to be undone too).
func (u ux) lastChange(ctx context.Context, req *bot.Request) (last []bot.Completion, afterUndo bool, err error) {
	cs, err := u.Store.Completions(ctx, req.Team.ID)
	if err != nil {
		return nil, false, err
	}
	var at, undone time.Time
	for _, c := range cs {
		if c.By == req.UserID && c.UndoneAt.IsZero() && req.Now.Sub(c.At) <= recentChange && c.At.After(at) {
			at = c.At
		}
		if c.UndoneBy == req.UserID && req.Now.Sub(c.UndoneAt) <= recentChange && c.UndoneAt.After(undone) {
			undone = c.UndoneAt
		}
	}
	if at.IsZero() || undone.After(at) {
		return nil, !undone.IsZero(), nil
	}
	for _, c := range cs {
		if c.By == req.UserID && c.UndoneAt.IsZero() && c.At.Equal(at) {
			last = append(last, c)
		}
	}
	return last, false, nil
}

// lastAssign is the sender's latest assignment within recentChange (from the audit trail).
func (u ux) lastAssign(ctx context.Context, req *bot.Request) (bot.AuditEntry, bool) {
	al, err := u.Store.AuditLog(ctx, req.Team.ID)
	if err != nil {
		return bot.AuditEntry{}, false
	}
	for i := len(al) - 1; i >= 0; i-- {
		a := al[i]
		if req.Now.Sub(a.At) > recentChange {
			break
		}
		if a.Actor != req.UserID {
			continue
		}
		if a.Action == "assign" {
			return a, true
		}
		return bot.AuditEntry{}, false // a later change of another kind is the last one
	}
	return bot.AuditEntry{}, false
}

// corr is a message read as a possible correction of the sender's last change.
type corr struct {
	s, low    string
	hasUndo   bool   // 撤回, 点错了 …
	lead      string // 不对, 错了, 不是 … at the start: a replacement may follow
	noteLead  string // 备注改成 …: a note edit
	noteNums  []int  // 第三项备注改成…: the items named before the note edit
	stillOpen bool   // 3还没弄完
	nums      []int
	numbered  bool
}

// readCorrection reads t as a correction; ok is false when it is none (or a typed command, or a
// question, or a refusal to undo).
func (u ux) readCorrection(req *bot.Request, t string, pol bot.Polarity) (corr, bool) {
	c := corr{s: bot.StripFillers(bot.StripCourtesy(t))}
	if rest, ok := strings.CutPrefix(c.s, "不对不对"); ok {
		c.s = "不对" + rest // not the question 对不对
		pol, _ = bot.ReadPolarity(strings.Replace(req.Text, "不对不对", "不对", 1), c.s)
	}
	c.low = strings.ToLower(c.s)
	c.hasUndo = containsWord(c.low, undoWords) && !negatedUndo(c.low)
	for _, l := range replaceLeads {
		if strings.HasPrefix(c.low, l) {
			c.lead = l
			break
		}
	}
	for _, l := range noteEditLeads {
		if strings.HasPrefix(c.low, l) {
			c.noteLead = l
			break
		}
		// "第三项备注改成已报送": the item, then the new note
		if i := strings.Index(c.low, l); i > 0 && l != "备注" && l != "备注:" && l != "备注是" {
			if ns, ok := sentenceNumbers(c.low[:i]); ok {
				c.s, c.low, c.noteLead, c.noteNums = c.s[i:], c.low[i:], l, ns
				break
			}
		}
	}
	if strings.HasPrefix(c.low, "是") && strings.Contains(c.low, "不是") {
		c.lead = "是" // 是4不是3
	}
	c.stillOpen = containsWord(c.low, []string{"还没", "没弄完", "没做完", "没完成", "未完成"})
	if !c.hasUndo && c.lead == "" && c.noteLead == "" && !c.stillOpen {
		return c, false
	}
	if cmd, args, ok := u.r.Match(c.s); ok && (cmd.Name != "撤销" && cmd.Name != doneName && cmd.Name != "取消" || strings.HasPrefix(args, "#")) {
		return c, false // 撤销记录 1, 新增 …, 撤销 #k3: a typed command of its own
	}
	if pol == bot.PolarityQuestion || strings.HasPrefix(c.low, "别") || strings.HasPrefix(c.low, "不用") || strings.HasPrefix(c.low, "不要") || negatedUndo(c.low) && c.lead == "" {
		return c, false
	}
	c.nums, c.numbered = sentenceNumbers(c.s)
	return c, true
}

// negatedUndo reports an undo word said not to apply: 没点错, 没有弄错, 不用撤回.
func negatedUndo(low string) bool {
	for _, w := range undoWords {
		for _, neg := range []string{"没", "没有", "不", "别", "不用", "不要", "无需", "不必"} {
			if strings.Contains(low, neg+w) {
				return true
			}
		}
	}
	return false
}

func (u ux) correction(ctx context.Context, req *bot.Request, t string, pol bot.Polarity) (bot.Understanding, bool) {
	c, ok := u.readCorrection(req, t, pol)
	if !ok {
		return pass()
	}
	last, afterUndo, err := u.lastChange(ctx, req)
	if err != nil {
		return refuse(storeErr("corrections", err), "correction")
	}
	if len(last) == 0 && afterUndo && c.lead != "" && (c.numbered || replacementWording(c) != "") {
		// 撤回, then 不对，是第4项: the undo is done, what is meant instead is completed
		return u.replace(ctx, req, c, nil)
	}
	if len(last) == 0 {
		return u.correctionNone(ctx, req, c)
	}
	keys := make([]string, len(last))
	for i, l := range last {
		keys[i] = l.Key
	}
	items, err := u.items(ctx, req)
	if err != nil {
		return refuse(storeErr("corrections", err), "correction")
	}
	listKeys, err := u.numbering(ctx, req, items)
	if err != nil {
		return refuse(err, "correction")
	}
	// the numbers named that were part of the last change
	var named []string
	for _, n := range c.nums {
		if n >= 1 && n <= len(listKeys) && slices.Contains(keys, listKeys[n-1]) {
			named = append(named, strconv.Itoa(n))
		}
	}
	switch {
	case c.noteLead != "" && len(c.noteNums) > 0:
		// 完成 1, then 第三项备注改成已报送: only an item of the last change gets the new note
		var mine []bot.Completion
		var mineKeys []string
		for _, n := range c.noteNums {
			if n >= 1 && n <= len(listKeys) {
				if i := slices.IndexFunc(last, func(l bot.Completion) bool { return l.Key == listKeys[n-1] }); i >= 0 {
					mine, mineKeys = append(mine, last[i]), append(mineKeys, last[i].Key)
				}
			}
		}
		if len(mine) == 0 {
			return answer("没有做任何更改：第"+joinNums(c.noteNums)+"项不是你刚才完成的。要改它的备注，请发送“完成 编号 新备注”。", "note edit other item")
		}
		return u.editNote(ctx, req, c, mine, items, mineKeys)
	case c.noteLead != "":
		return u.editNote(ctx, req, c, last, items, keys)
	case c.stillOpen && c.numbered && len(named) > 0:
		return ownRouteTo("撤销 "+strings.Join(named, ","), "correction still open")
	case c.stillOpen:
		return pass()
	case c.lead != "" && (c.numbered || replacementWording(c) != ""):
		return u.replace(ctx, req, c, keys)
	case c.hasUndo || c.lead != "":
		if c.numbered {
			if _, _, ok := u.r.Match(c.s); ok || len(named) == 0 {
				return pass() // "撤回 3": the command
			}
			// "第三项刚才点错了": the numbers of the last change named
			return ownRouteTo("撤销 "+strings.Join(named, ","), "correction undo numbers")
		}
		rep, err := u.undoKeys(ctx, req, keys)
		if err != nil {
			return refuse(err, "correction undo")
		}
		return answer(rep, "correction undo")
	}
	return pass()
}

// correctionNone answers a correction when the sender changed nothing lately: an assignment may
// be the last change, or the message is a typed command or a negation read further on.
func (u ux) correctionNone(ctx context.Context, req *bot.Request, c corr) (bot.Understanding, bool) {
	if a, ok := u.lastAssign(ctx, req); ok && (c.hasUndo || c.lead != "") {
		return u.correctAssign(ctx, req, c.s, c.lead, a)
	}
	if c.numbered && !(c.lead != "" && !c.hasUndo) && !c.stillOpen {
		return pass() // "撤销 3。点错了": a typed command
	}
	if c.stillOpen {
		return pass() // "第三项还没完成": a negation, read below
	}
	if c.noteLead != "" && !strings.HasPrefix(c.low, "备注写错") && !strings.HasPrefix(c.low, "备注改") && !strings.HasPrefix(c.low, "备注错") && !strings.HasPrefix(c.low, "备注不对") {
		return pass()
	}
	return answer("没有找到你刚才（"+strconv.Itoa(int(recentChange/time.Minute))+"分钟内）的完成记录，没有做任何更改。要撤销某一项，请发送“撤销 编号”。", "correction none")
}

// editNote gives the last change a new note: the completion again with it (history keeps both),
// as typed commands.
func (u ux) editNote(ctx context.Context, req *bot.Request, c corr, last []bot.Completion, items []bot.Tracked, keys []string) (bot.Understanding, bool) {
	note := strings.TrimSpace(strings.TrimPrefix(c.low, c.noteLead))
	note = strings.TrimLeft(note, ",:;、 ")
	wrong := strings.HasPrefix(c.noteLead, "备注写错") || strings.HasPrefix(c.noteLead, "备注错") || c.noteLead == "备注不对" || c.noteLead == "备注有误"
	for _, p := range []string{"应该是", "应是", "改成", "改为", "是"} {
		if i := strings.Index(note, p); i >= 0 && wrong {
			note = strings.TrimSpace(note[i+len(p):])
			break
		}
	}
	note = strings.TrimLeft(note, ",:;、 ")
	note = bot.RawSuffix(req.Text, note)
	if note == "" {
		return answer("请写新的备注，例如“备注改成 已报送市局”。", "note edit")
	}
	for _, l := range last {
		if _, err := u.r.Route(ctx, req.Own(), "撤销 #"+l.Key); err != nil {
			return refuse(err, "note edit")
		}
		if _, err := u.r.Route(ctx, req, "完成 #"+l.Key+" "+note); err != nil {
			return refuse(err, "note edit")
		}
	}
	return answer("✏️ 已把备注改为："+note+"（"+u.titles(items, keys)+"）", "note edit")
}

// replace reads "不对，是第4项" (the numbers after the last 是: "不是3，是4") and "不对，是大走访"
// (the one open item the words name): undo keys, the last batch, then complete what is meant.
// When the words fit several items or none, nothing is undone and the user is asked.
func (u ux) replace(ctx context.Context, req *bot.Request, c corr, keys []string) (bot.Understanding, bool) {
	cmd := ""
	if c.numbered {
		nums := c.nums
		if before, _, ok := strings.Cut(c.s, "不是"); ok && c.lead == "是" {
			if ns, ok := sentenceNumbers(before); ok {
				nums = ns // 是4不是3
			}
		} else if i := strings.LastIndex(c.s, "是"); i >= 0 {
			if ns, ok := sentenceNumbers(c.s[i:]); ok {
				nums = ns
			}
		}
		cmd = "完成 " + joinNums(nums)
	} else {
		items, err := u.items(ctx, req)
		if err != nil {
			return refuse(storeErr("corrections", err), "correction")
		}
		w := replacementWording(c)
		cands := u.nearest(req, openOnly(u.match(req, items, w, matchOpts{})))
		switch len(cands) {
		case 0:
			return answer("没有找到和“"+clipText(w, 12)+"”对应的未完成事项，没有做任何更改。可以发送“撤回”，再发送“完成 编号”。", "correction wording none")
		case 1:
			cmd = "完成 #" + cands[0].Key
		default:
			return answer("有几项符合“"+clipText(w, 12)+"”，没有做任何更改。请发送“不对，是第N项”（编号见“本月”）。", "correction wording ambiguous")
		}
	}
	rep := ""
	if len(keys) > 0 {
		var err error
		if rep, err = u.undoKeys(ctx, req, keys); err != nil {
			return refuse(err, "correction replace")
		}
		rep += "\n"
	}
	done, err := u.r.Route(ctx, req, cmd)
	if err != nil {
		return answer(rep+bot.ErrorMessage(err), "correction replace")
	}
	return answer(rep+done.Text(), "correction replace")
}

// replacementWording is the item named after the lead: "不对，是大走访" -> "大走访"; "" when the
// lead is not followed by 是 and words.
func replacementWording(c corr) string {
	rest := strings.TrimLeft(c.s[len(c.lead):], ",，:：;；、 ")
	for _, p := range []string{"应该是", "应是", "是"} {
		if r, ok := strings.CutPrefix(rest, p); ok {
			r = strings.TrimSpace(r)
			if contentOf(r) != "" {
				return r
			}
			return ""
		}
	}
	return ""
}

func (u ux) titles(items []bot.Tracked, keys []string) string {
	var ts []string
	for _, it := range items {
		if slices.Contains(keys, it.Key) {
			ts = append(ts, "“"+it.Title+"”")
		}
	}
	return strings.Join(ts, "、")
}

// undoKeys undoes the sender's completions of keys (their own: the last change).
func (u ux) undoKeys(ctx context.Context, req *bot.Request, keys []string) (string, error) {
	items, err := u.items(ctx, req)
	if err != nil {
		return "", storeErr("undo", err)
	}
	var done []string
	for _, k := range keys {
		// through the command table, like a typed 撤销 #key
		if _, err := u.r.Route(ctx, req.Own(), "撤销 #"+k); err != nil {
			return "", partial(done, "撤销", err)
		}
		done = append(done, u.titles(items, []string{k}))
	}
	return "↩️ 已撤销刚才的完成：" + strings.Join(done, "、") + "（记录保留）", nil
}

// correctAssign undoes or redirects the sender's last assignment.
func (u ux) correctAssign(ctx context.Context, req *bot.Request, s, lead string, a bot.AuditEntry) (bot.Understanding, bool) {
	before := jsonField(a.Before, "assignee")
	if lead != "" {
		who := strings.TrimSpace(s[len(lead):])
		who = strings.TrimLeft(who, ",:;、 ")
		for _, p := range []string{"应该是", "应该给", "应是", "改给", "改成", "换成", "给", "是"} {
			if r, ok := strings.CutPrefix(who, p); ok {
				who = r
				break
			}
		}
		who = strings.TrimSuffix(strings.TrimSuffix(who, "负责"), "吧")
		if who != "" {
			return routeTo("分配 #"+a.Target+" "+who, "correction assign")
		}
	}
	// back to the assignee before, as a typed 分配 (无 clears it)
	return routeTo("分配 #"+a.Target+" "+cmp.Or(before, "无"), "correction assign")
}

// jsonField reads a string field of a small JSON object without a full decode.
func jsonField(js, field string) string {
	i := strings.Index(js, `"`+field+`":"`)
	if i < 0 {
		return ""
	}
	rest := js[i+len(field)+4:]
	j := strings.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return rest[:j]
}

func containsWord(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// ownRouteTo routes a correction's undo for the sender's own completions only, whatever their
// role (bot.Understanding.OwnOnly): a supervisor correcting their last change does not undo a
// completion someone else made in between.
func ownRouteTo(cmd, why string) (bot.Understanding, bool) {
	return bot.Understanding{Command: cmd, Why: why, OwnOnly: true}, true
}

// alsoRe is a number said to go with the last change: 4也是, 还有第4项, 4也一样.
var alsoRe = regexp.MustCompile(`^(?:还有)?(第?[0-9]+(?:[、,，和][0-9]+)*项?)(?:也是|也一样|也|同样)?$`)

// also reads "4也是" after the sender's own completion as "完成 4" too. It names no act, so it
// is asked first (one tap), never done at once; without a recent completion it is no command.
func (u ux) also(ctx context.Context, req *bot.Request, t string) (bot.Understanding, bool) {
	s := strings.TrimSpace(bot.StripCourtesy(t))
	m := alsoRe.FindStringSubmatch(s)
	if m == nil || m[0] == m[1] {
		return pass() // a bare number is read as ever
	}
	nums, ok := sentenceNumbers(m[1])
	if !ok {
		return pass()
	}
	last, _, err := u.lastChange(ctx, req)
	if err != nil || len(last) == 0 {
		return pass()
	}
	return u.confirm(ctx, req, "完成 "+joinNums(nums), "", "", "also")
}
