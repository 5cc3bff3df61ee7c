package handlers

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

// ---- 3. corrections ----

var (
	undoWords     = []string{"撤回", "撤销", "撤消", "点错", "弄错", "搞错", "发错", "错了", "undo", "取消刚才", "删掉", "删除"}
	replaceLeads  = []string{"不对", "错了", "点错了", "弄错了", "搞错了", "发错了", "不是", "应该是"}
	noteEditLeads = []string{"备注写错了", "备注错了", "备注不对", "备注有误", "备注改成", "备注改为", "备注应该是", "备注是", "备注:", "备注"}
)

// lastChange is the sender's latest batch of completions (same instant) within recentChange.
func (u ux) lastChange(ctx context.Context, req *bot.Request) ([]bot.Completion, error) {
	cs, err := u.Store.Completions(ctx, req.Team.ID)
	if err != nil {
		return nil, err
	}
	var last time.Time
	for _, c := range cs {
		if c.By == req.UserID && c.UndoneAt.IsZero() && req.Now.Sub(c.At) <= recentChange && c.At.After(last) {
			last = c.At
		}
	}
	if last.IsZero() {
		return nil, nil
	}
	var out []bot.Completion
	for _, c := range cs {
		if c.By == req.UserID && c.UndoneAt.IsZero() && c.At.Equal(last) {
			out = append(out, c)
		}
	}
	return out, nil
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

func (u ux) correction(ctx context.Context, req *bot.Request, t string, pol bot.Polarity) (bot.Understanding, bool) {
	s := bot.StripFillers(bot.StripCourtesy(t))
	if rest, ok := strings.CutPrefix(s, "不对不对"); ok {
		s = "不对" + rest // not the question 对不对
		pol, _ = bot.ReadPolarity(strings.Replace(req.Text, "不对不对", "不对", 1), s)
	}
	low := strings.ToLower(s)
	hasUndo := containsWord(low, undoWords)
	lead := ""
	for _, l := range replaceLeads {
		if strings.HasPrefix(low, l) {
			lead = l
			break
		}
	}
	noteLead := ""
	for _, l := range noteEditLeads {
		if strings.HasPrefix(low, l) {
			noteLead = l
			break
		}
		// "第三项备注改成已报送": the item, then the new note
		if i := strings.Index(low, l); i > 0 && l != "备注" && l != "备注:" && l != "备注是" {
			if _, ok := sentenceNumbers(low[:i]); ok {
				s, low, noteLead = s[i:], low[i:], l
				break
			}
		}
	}
	stillOpen := strings.Contains(low, "还没") || strings.Contains(low, "没弄完") || strings.Contains(low, "没做完") || strings.Contains(low, "没完成")
	if !hasUndo && lead == "" && noteLead == "" && !stillOpen {
		return pass()
	}
	if c, args, ok := u.r.Match(s); ok && (c.Name != "撤销" && c.Name != doneName && c.Name != "取消" || strings.HasPrefix(args, "#")) {
		return pass() // 撤销记录 1, 新增 …, 撤销 #k3: a typed command of its own
	}
	if pol == bot.PolarityQuestion || strings.HasPrefix(low, "别") || strings.HasPrefix(low, "不用") || strings.HasPrefix(low, "不要") {
		return pass()
	}
	last, err := u.lastChange(ctx, req)
	if err != nil {
		return refuse(storeErr("corrections", err), "correction")
	}
	nums, numbered := sentenceNumbers(s)
	if len(last) == 0 {
		if a, ok := u.lastAssign(ctx, req); ok && (hasUndo || lead != "") {
			return u.correctAssign(ctx, req, s, lead, a)
		}
		if numbered && !(lead != "" && !hasUndo) && !stillOpen {
			return pass() // "撤销 3。点错了": a typed command
		}
		if stillOpen {
			return pass() // "第三项还没完成": a negation, read below
		}
		if noteLead != "" && !strings.HasPrefix(low, "备注写错") && !strings.HasPrefix(low, "备注改") && !strings.HasPrefix(low, "备注错") && !strings.HasPrefix(low, "备注不对") {
			return pass()
		}
		return answer("没有找到你刚才（"+strconv.Itoa(int(recentChange/time.Minute))+"分钟内）的完成记录，没有做任何更改。要撤销某一项，请发送“撤销 编号”。", "correction none")
	}
	keys := make([]string, len(last))
	for i, c := range last {
		keys[i] = c.Key
	}
	items, err := u.items(ctx, req)
	if err != nil {
		return refuse(storeErr("corrections", err), "correction")
	}
	listKeys, err := u.numbering(ctx, req, items)
	if err != nil {
		return refuse(err, "correction")
	}
	keyOf := func(n int) string {
		if n >= 1 && n <= len(listKeys) {
			return listKeys[n-1]
		}
		return ""
	}
	switch {
	case noteLead != "":
		note := strings.TrimSpace(strings.TrimPrefix(low, noteLead))
		note = strings.TrimLeft(note, ",:;、 ")
		for _, p := range []string{"应该是", "应是", "改成", "改为", "是"} {
			if i := strings.Index(note, p); i >= 0 && (strings.HasPrefix(noteLead, "备注写错") || strings.HasPrefix(noteLead, "备注错") || noteLead == "备注不对" || noteLead == "备注有误") {
				note = strings.TrimSpace(note[i+len(p):])
				break
			}
		}
		note = strings.TrimLeft(note, ",:;、 ")
		note = bot.RawSuffix(req.Text, note)
		if note == "" {
			return answer("请写新的备注，例如“备注改成 已报送市局”。", "note edit")
		}
		var b strings.Builder
		for _, c := range last {
			// the completion again with the new note (history keeps both), as typed commands
			if _, err := u.r.Route(ctx, req, "撤销 #"+c.Key); err != nil {
				return refuse(err, "note edit")
			}
			if _, err := u.r.Route(ctx, req, "完成 #"+c.Key+" "+note); err != nil {
				return refuse(err, "note edit")
			}
		}
		b.WriteString("✏️ 已把备注改为：" + note + "（" + u.titles(items, keys) + "）")
		return answer(b.String(), "note edit")
	case stillOpen && numbered:
		var undo []string
		for _, n := range nums {
			if k := keyOf(n); slices.Contains(keys, k) {
				undo = append(undo, strconv.Itoa(n))
			}
		}
		if len(undo) == 0 {
			return pass()
		}
		return routeTo("撤销 "+strings.Join(undo, ","), "correction still open")
	case stillOpen:
		return pass()
	case lead != "" && numbered:
		// 不对，是第4项: undo the last batch, complete the new numbers
		rep, err := u.undoKeys(ctx, req, keys)
		if err != nil {
			return refuse(err, "correction replace")
		}
		numsText := make([]string, len(nums))
		for i, n := range nums {
			numsText[i] = strconv.Itoa(n)
		}
		// "不是3，是4": the numbers after the last 是
		if i := strings.LastIndex(s, "是"); i >= 0 {
			if ns, ok := sentenceNumbers(s[i:]); ok {
				numsText = numsText[:0]
				for _, n := range ns {
					numsText = append(numsText, strconv.Itoa(n))
				}
			}
		}
		done, err := u.r.Route(ctx, req, "完成 "+strings.Join(numsText, ","))
		if err != nil {
			return answer(rep+"\n"+bot.ErrorMessage(err), "correction replace")
		}
		return answer(rep+"\n"+done.Text(), "correction replace")
	case hasUndo || lead != "":
		if numbered {
			if _, _, ok := u.r.Match(s); ok {
				return pass() // "撤回 3": the command
			}
			// "第三项刚才点错了": the numbers of the last change named
			var undo []string
			for _, n := range nums {
				if k := keyOf(n); slices.Contains(keys, k) {
					undo = append(undo, strconv.Itoa(n))
				}
			}
			if len(undo) == 0 {
				return pass()
			}
			return routeTo("撤销 "+strings.Join(undo, ","), "correction undo numbers")
		}
		rep, err := u.undoKeys(ctx, req, keys)
		if err != nil {
			return refuse(err, "correction undo")
		}
		return answer(rep, "correction undo")
	}
	return pass()
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
		if _, err := u.r.Route(ctx, req, "撤销 #"+k); err != nil {
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
		who = strings.TrimPrefix(strings.TrimPrefix(who, "应该是"), "是")
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
