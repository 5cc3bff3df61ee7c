package handlers

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/figure"
)

// The understanding step: between normalisation and the command table, it reads what staff type
// on phones (whole sentences, voice input with fillers, items named by their wording or due day,
// corrections, questions, loose figures, typos, chit-chat) and either answers without acting, asks
// a one-tap question, or produces the command text a user would have typed, which the router then
// runs through the command table (the one place that acts). Decisions, in order:
//
//  1. chit-chat and thanks: a short answer;
//  2. typos and pinyin of 完成 followed by numbers: a confirmation (回复 是/1);
//  3. corrections of the sender's last change (a few minutes): 撤回, 不对，是第4项, 3还没弄完, 备注改成…;
//  4. questions about progress, people and figures: the answer of 汇总/数据/进度/逾期;
//  5. a question, negation, future or condition never acts: read-only commands still answer;
//  6. typed commands pass (their notes lose fillers; words instead of numbers ask first);
//  7. sentences: 完成/分配/新增/记录 intents with numbers, positions, due days or wording;
//     a figure without 记录 asks first.

// recentChange is how long a change counts as "just made" for 撤回 and 不对，是第4项.
const recentChange = 10 * time.Minute

// confirmName owns the confirmation dialog (是/1 runs the stored command).
const confirmName = "确认"

type ux struct {
	h
	r   *bot.Router
	cat *figure.Catalogue
}

func registerUnderstand(r *bot.Router, d Deps) {
	u := ux{h: h{d}, r: r, cat: figure.Default()}
	r.Add(bot.Command{Name: confirmName, Hidden: true, Usage: "确认", Summary: "确认上一个问题",
		Handler: u.confirmBare, Continue: u.confirmContinue})
	r.SetUnderstand(u.understand)
}

func pass() (bot.Understanding, bool) { return bot.Understanding{}, false }

func routeTo(cmd, why string) (bot.Understanding, bool) {
	return bot.Understanding{Command: cmd, Why: why}, true
}

func answer(text, why string) (bot.Understanding, bool) {
	return bot.Understanding{Reply: bot.TextReply(text), Why: why}, true
}

func refuse(err error, why string) (bot.Understanding, bool) {
	return bot.Understanding{Err: err, Why: why}, true
}

func (u ux) understand(ctx context.Context, req *bot.Request, text string) (bot.Understanding, bool) {
	t := bot.FoldItemDigits(text)
	t = foldPinyin(t)
	if rest, ok := strings.CutPrefix(t, "完 成"); ok {
		t = "完成" + rest
	}
	got, ok := u.understandText(ctx, req, text, t)
	if !ok && t != text {
		return routeTo(t, "folded")
	}
	return got, ok
}

func (u ux) understandText(ctx context.Context, req *bot.Request, text, t string) (bot.Understanding, bool) {
	if rep, ok := bot.ChitChat(cmp.Or(t, strings.TrimSpace(req.Text))); ok {
		return answer(rep, "chit-chat")
	}
	if cmd, ok := typoDone(t); ok {
		return u.confirm(ctx, req, cmd, "没看懂“"+clipText(text, 12)+"”。最接近的命令是“完成”：", "（发送“帮助”查看全部命令）", "typo")
	}
	pol, cue := bot.ReadPolarity(req.Text, t)
	if got, ok := u.correction(ctx, req, t, pol); ok {
		return got, true
	}
	if got, ok := u.question(ctx, req, t, pol); ok {
		return got, true
	}
	cmd, args, matched := u.r.Match(t)
	if pol == bot.PolarityFuture && (matched && cmd.Name == "新增" || isAddSentence(t)) {
		pol = bot.PolarityNone // a date to come is what 新增 is about
	}
	if pol != bot.PolarityNone {
		if matched && !cmd.Acts {
			if t != text {
				return routeTo(t, "read-only "+pol.String())
			}
			return pass()
		}
		return u.noChange(ctx, req, t, pol, cue)
	}
	if matched {
		if cmd.Acts {
			return u.typed(ctx, req, t, cmd, args)
		}
		if args != "" && bot.HasDoneWord(args) && slices.Contains(listCommands, cmd.Name) {
			// "今天到期的那个弄好了", "4月份的月巡视已经开展了": a list word naming an item
			if got, ok := u.sentence(ctx, req, t); ok {
				return got, true
			}
		}
		if t != text {
			return routeTo(t, "folded")
		}
		return pass()
	}
	return u.sentence(ctx, req, t)
}

// listCommands are the lists whose words may also name an item in a sentence (今天到期的那个弄好了).
var listCommands = []string{"今天", "明天", "本周", "下周", "本月", "下月", "月份", "逾期", "我的", "汇总"}

// isAddSentence reports whether a sentence asks to add a task (加一个任务，6月10号之前…): its
// date is in the future by nature.
func isAddSentence(t string) bool {
	s := cutLeads(bot.StripFillers(t), requestLeads)
	for _, v := range addRe {
		if rest, ok := strings.CutPrefix(s, v); ok {
			for _, o := range addObjects {
				if strings.HasPrefix(rest, o) {
					return true
				}
			}
		}
	}
	return false
}

// ---- 2. typos and pinyin ----

// pinyinWords are read-only commands typed in pinyin: shown at once, nothing changes.
var pinyinWords = map[string]string{"jintian": "今天", "mingtian": "明天", "benzhou": "本周", "zhezhou": "本周", "xiazhou": "下周",
	"benyue": "本月", "yuqi": "逾期", "wode": "我的", "jindu": "进度", "bangzhu": "帮助", "huizong": "汇总", "shuju": "数据"}

func foldPinyin(t string) string {
	if v, ok := pinyinWords[strings.ToLower(t)]; ok {
		return v
	}
	return t
}

// doneTypos are misspellings of 完成 (wrong character, homophones of the pinyin keyboard, pinyin).
var doneTypos = []string{"wancheng", "wan cheng", "完城", "晚成", "玩成", "完程", "完承", "万成", "wc"}

// typoDone reads "完城3", "wancheng 3": a typo of 完成 and item numbers; cmd is "完成 3".
func typoDone(t string) (string, bool) {
	low := strings.ToLower(t)
	for _, w := range doneTypos {
		if rest, ok := strings.CutPrefix(low, w); ok {
			rest = strings.TrimSpace(rest)
			if _, note, ok := bot.ParseNumbers(rest); ok && note == "" {
				return "完成 " + rest, true
			}
		}
	}
	return "", false
}

func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// ---- confirmations ----

// confirm asks before cmd runs: "是要把第3项“…”标记完成吗？回复 是/1". The pending question lives
// in State like every dialog (and expires with it); 取消 or 不是 leaves it.
func (u ux) confirm(ctx context.Context, req *bot.Request, cmd, lead, tail, why string) (bot.Understanding, bool) {
	if u.State == nil {
		return refuse(bot.Errorf(bot.EINVALID, "%s请直接发送“%s”。", lead, cmd), why)
	}
	what, err := u.describe(ctx, req, cmd)
	if err != nil {
		return refuse(err, why)
	}
	if err := u.State.SetDialog(ctx, req.TeamKey(), req.UserID, bot.Dialog{Command: confirmName, Step: "yes",
		Data: map[string]string{"cmd": cmd}}); err != nil {
		u.Log.Warn("set dialog", "err", err)
		return refuse(bot.Errorf(bot.EINVALID, "%s请直接发送“%s”。", lead, cmd), why)
	}
	return answer(lead+what+"回复“是”或“1”确认，回复“取消”放弃。"+tail, why)
}

// describe says what cmd would do, as a question: 是要把第3项“寄送一封信”标记完成吗？
func (u ux) describe(ctx context.Context, req *bot.Request, cmd string) (string, error) {
	c, args, ok := u.r.Match(cmd)
	if !ok {
		return "", bot.Errorf(bot.EINVALID, "没看懂。发送“帮助”查看命令。")
	}
	switch c.Name {
	case doneName:
		items, err := u.items(ctx, req)
		if err != nil {
			return "", storeErr("confirm", err)
		}
		targets, note, err := u.resolve(ctx, req, items, args, "完成")
		if err != nil {
			return "", err
		}
		labels := make([]string, len(targets))
		for i, t := range targets {
			labels[i] = t.label()
		}
		s := "是要把" + strings.Join(labels, "、") + "标记完成吗？"
		if note != "" {
			s = "是要把" + strings.Join(labels, "、") + "标记完成（备注：" + note + "）吗？"
		}
		return s, nil
	case recordName:
		d, err := u.cat.Parse(args, req.Today())
		if err != nil {
			return "", err
		}
		return "是要记录：" + figure.Describe(d.Figure()) + " 吗？", nil
	}
	return "是要执行“" + cmd + "”吗？", nil
}

// yesWords and noWords answer a confirmation.
var (
	yesWords = []string{"是", "是的", "对", "对的", "好", "好的", "确认", "确定", "嗯", "嗯嗯", "1", "ok", "yes", "y", "可以", "行", "没错", "对头", "要", "是滴"}
	noWords  = []string{"不是", "否", "不", "不对", "不用", "不要", "no", "n", "算了", "错了", "2"}
)

func (u ux) confirmContinue(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	ans := strings.ToLower(strings.TrimSpace(bot.StripCourtesy(req.Args)))
	d := req.Dialog
	clear := func() {
		if err := u.State.ClearDialog(ctx, req.TeamKey(), req.UserID); err != nil {
			u.Log.Warn("clear dialog", "err", err)
		}
	}
	if d.Step == "pick" {
		// the numbered candidates were saved as the user's list: a number picks one
		if _, _, ok := bot.ParseNumbers(req.Args); ok {
			clear()
			return u.r.Route(ctx, req, "完成 "+req.Args)
		}
		if slices.Contains(noWords, ans) {
			clear()
			return bot.TextReply("好的，没有做任何更改。"), nil
		}
		clear()
		return u.r.Understood(ctx, req, bot.Normalize(req.Text))
	}
	switch {
	case slices.Contains(yesWords, ans):
		clear()
		return u.r.Route(ctx, req, d.Data["cmd"])
	case slices.Contains(noWords, ans):
		clear()
		return bot.TextReply("好的，没有做任何更改。"), nil
	}
	// not an answer: the question is dropped and the message read afresh
	clear()
	return u.r.Understood(ctx, req, bot.Normalize(req.Text))
}

// confirmBare answers "确认" typed with no question pending.
func (u ux) confirmBare(context.Context, *bot.Request) (bot.Reply, error) {
	return bot.TextReply("当前没有需要确认的操作，没有做任何更改。"), nil
}

// ---- 3. corrections ----

var (
	undoWords     = []string{"撤回", "撤销", "撤消", "点错", "弄错", "搞错", "发错", "错了", "undo", "取消刚才", "删掉", "删除"}
	replaceLeads  = []string{"不对", "错了", "点错了", "弄错了", "搞错了", "发错了", "不是", "应该是"}
	noteEditLeads = []string{"备注写错了", "备注错了", "备注改成", "备注改为", "备注应该是", "备注是", "备注:", "备注"}
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
	}
	stillOpen := strings.Contains(low, "还没") || strings.Contains(low, "没弄完") || strings.Contains(low, "没做完") || strings.Contains(low, "没完成")
	if !hasUndo && lead == "" && noteLead == "" && !stillOpen {
		return pass()
	}
	if c, _, ok := u.r.Match(s); ok && c.Name != "撤销" && c.Name != doneName && c.Name != "取消" {
		return pass() // 撤销记录 1, 新增 …: a typed command of its own
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
		if noteLead != "" && !strings.HasPrefix(low, "备注写错") && !strings.HasPrefix(low, "备注改") && !strings.HasPrefix(low, "备注错") {
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
			if i := strings.Index(note, p); i >= 0 && (strings.HasPrefix(noteLead, "备注写错") || strings.HasPrefix(noteLead, "备注错")) {
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
			if err := u.Store.Undo(ctx, req.Team.ID, req.UserID, c.Key, req.Now); err != nil {
				return refuse(storeErr("note edit", err), "note edit")
			}
			if err := u.Store.Complete(ctx, req.Team.ID, req.UserID, c.Key, note, req.Now); err != nil {
				return refuse(storeErr("note edit", err), "note edit")
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
			return pass() // "撤回 3": the command
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
		if err := u.Store.Undo(ctx, req.Team.ID, req.UserID, k, req.Now); err != nil {
			return "", partial(done, "撤销", storeErr("undo", err))
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
	if err := u.Store.Assign(ctx, req.Team.ID, req.UserID, a.Target, before, req.Now); err != nil {
		return refuse(storeErr("undo assign", err), "correction assign")
	}
	return answer("↩️ 已撤销刚才的分配。", "correction assign")
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

// ---- 5. no change ----

func (u ux) noChange(ctx context.Context, req *bot.Request, t string, pol bot.Polarity, cue string) (bot.Understanding, bool) {
	s := bot.StripFillers(t)
	nums, numbered := sentenceNumbers(s)
	if pol == bot.PolarityQuestion && numbered && bot.HasDoneWord(s) {
		// "能帮我把第三项标记完成吗": a request as a question -> one tap to confirm
		if (strings.Contains(s, "帮") || strings.Contains(s, "可以") || strings.Contains(s, "能")) && strings.Contains(s, "标记") {
			return u.confirm(ctx, req, "完成 "+joinNums(nums), "", "", "request question")
		}
		// "第三项完成了吗": say whether it is done
		items, err := u.items(ctx, req)
		if err == nil {
			if targets, _, err := u.resolve(ctx, req, items, joinNums(nums), "完成"); err == nil {
				names, _ := u.namesOf(ctx, req, doneBy(targets))
				var lines []string
				for _, tg := range targets {
					if tg.T.DoneBy != "" {
						lines = append(lines, fmt.Sprintf("%s已由%s完成。", tg.label(), cmp.Or(names[tg.T.DoneBy], tg.T.DoneBy)))
					} else {
						lines = append(lines, fmt.Sprintf("%s还没有完成。", tg.label()))
					}
				}
				return answer(strings.Join(lines, "\n")+"\n（这是一个问题，没有做任何更改；完成后请发送“完成 "+joinNums(nums)+"”。）", "status question")
			}
		}
	}
	switch pol {
	case bot.PolarityQuestion:
		return answer("这是一个问题，我没有做任何更改。发送“今天”“本周”查看事项，“进度”查看完成情况，“帮助”查看全部命令。", "question")
	case bot.PolarityNegation:
		if numbered {
			return answer("好的，先不标记（没有做任何更改）。完成后发送“完成 "+joinNums(nums)+"”。", "negation")
		}
		return answer("好的，没有做任何更改。", "negation")
	}
	if numbered {
		return answer("好的，等完成后再发送“完成 "+joinNums(nums)+"”（现在没有做任何更改）。", pol.String())
	}
	return answer("好的，等办完后再告诉我（现在没有做任何更改）。", pol.String())
}

func joinNums(nums []int) string {
	s := make([]string, len(nums))
	for i, n := range nums {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

// ---- 6. typed commands ----

// typed handles a typed command that changes something: fillers out of its note, words instead
// of numbers (完成 一封信) asked first, "#4" read as item 4 after asking.
func (u ux) typed(ctx context.Context, req *bot.Request, t string, cmd bot.Command, args string) (bot.Understanding, bool) {
	switch cmd.Name {
	case doneName:
		if args == "" {
			return pass()
		}
		if a := strings.TrimLeft(args, "、,，:：;；"); a != args {
			return routeTo("完成 "+a, "separator")
		}
		if rest, ok := strings.CutPrefix(args, "#"); ok {
			n, err := strconv.Atoi(strings.Fields(rest + " ")[0])
			if err == nil && n > 0 {
				items, err := u.items(ctx, req)
				if err == nil && !slices.ContainsFunc(items, func(it bot.Tracked) bool { return it.Key == strings.Fields(rest)[0] }) {
					return u.confirm(ctx, req, "完成 "+strconv.Itoa(n), "", "", "hash number")
				}
			}
			return pass()
		}
		if nums, note, ok := bot.ParseNumbers(args); ok {
			if strings.Contains(note, "除了") {
				return u.sentence(ctx, req, t)
			}
			if c := bot.StripCourtesy(note); c != "" && (isEcho(c) || c == "任务" || c == "工作" || c == "事项") {
				return routeTo("完成 "+joinNums(nums), "echo note")
			}
			clean := strings.TrimSpace(strings.TrimLeft(strings.TrimPrefix(note, "一下"), ",:;、 "))
			verbFirst := strings.HasPrefix(strings.ToLower(t), strings.ToLower(cmd.Name)) || !startsWithNumber(t)
			if !verbFirst && bot.IsCourtesy(note) && note != "" {
				return routeTo("完成 "+joinNums(nums), "courtesy note")
			}
			if clean != note {
				return routeTo("完成 "+joinNums(nums)+" "+clean, "filler note")
			}
			return pass()
		}
		// words instead of numbers: find the item by its wording, then ask
		items, err := u.items(ctx, req)
		if err != nil {
			return pass()
		}
		cands := u.match(req, items, args, matchOpts{})
		if len(cands) == 1 {
			return u.confirm(ctx, req, "完成 #"+cands[0].Key, "", "", "typed wording")
		}
		return pass()
	case "新增":
		a := args
		for _, p := range []string{"一个任务", "一项任务", "一项工作", "一个工作", "一个事项", "个任务", "任务", "工作"} {
			if rest, ok := strings.CutPrefix(a, p); ok {
				a = strings.TrimLeft(rest, ",:;、 ")
				break
			}
		}
		a = strings.ReplaceAll(strings.ReplaceAll(a, "之前", "前"), "以前", "前")
		if a != args {
			return routeTo("新增 "+a, "add sentence")
		}
	case recordName:
		a := strings.TrimSpace(strings.TrimPrefix(args, "一下"))
		a = strings.TrimLeft(a, ",:;、 ")
		if l := looseAmounts(a); l != a {
			return routeTo("记录 "+l, "loose figure")
		}
		if a != args {
			return routeTo("记录 "+looseFigure(a), "record sentence")
		}
	}
	return pass()
}

func startsWithNumber(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return r >= '0' && r <= '9' || r == '第' || strings.ContainsRune("一二三四五六七八九十两", r)
}

// ---- 7. sentences ----

var (
	requestLeads = []string{"麻烦帮我", "麻烦你", "麻烦", "帮我", "帮忙", "请帮我", "请", "你帮我", "给我"}
	addRe        = []string{"新加", "新增", "新建", "增加", "添加", "加上", "加", "建"}
	addObjects   = []string{"一个新任务", "一个任务", "一项任务", "一项工作", "一个工作", "一条任务", "个任务", "项任务", "项工作", "个事项", "一个事项", "任务", "工作", "事项"}
	recordLeads  = []string{"记录一下", "记一下", "记下来", "记一笔", "记下", "登记一下", "录一下", "录入一下"}
)

func cutLeads(s string, leads []string) string {
	for {
		cut := false
		for _, l := range leads {
			if rest, ok := strings.CutPrefix(s, l); ok && rest != "" {
				s = strings.TrimLeft(rest, ",:;、 ")
				cut = true
				break
			}
		}
		if !cut {
			return s
		}
	}
}

func (u ux) sentence(ctx context.Context, req *bot.Request, t string) (bot.Understanding, bool) {
	s := bot.StripFillers(t)
	s = cutLeads(s, requestLeads)
	// 新增: 加一个任务，6月10号之前上报…
	for _, v := range addRe {
		if rest, ok := strings.CutPrefix(s, v); ok {
			for _, o := range addObjects {
				if r2, ok := strings.CutPrefix(rest, o); ok {
					r2 = strings.TrimLeft(r2, ",:;、 ")
					r2 = strings.ReplaceAll(strings.ReplaceAll(r2, "之前", "前"), "以前", "前")
					return routeTo("新增 "+r2, "add sentence")
				}
			}
		}
	}
	// 记录: 帮我记一下，普高助学金春季发了300万，一共1500人
	for _, l := range recordLeads {
		if rest, ok := strings.CutPrefix(s, l); ok {
			return routeTo("记录 "+looseFigure(strings.TrimLeft(rest, ",:;、 ")), "record sentence")
		}
	}
	if got, ok := u.assignSentence(ctx, req, s); ok {
		return got, true
	}
	if got, ok := u.figureSentence(ctx, req, s); ok {
		return got, true
	}
	if bot.HasDoneWord(s) {
		return u.doneSentence(ctx, req, s)
	}
	return pass()
}

var (
	wanRe   = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?)[wW]`)
	jiaoRe  = regexp.MustCompile(`([0-9][0-9,]*)元([0-9])角(?:([0-9])分)?`)
	fenRe   = regexp.MustCompile(`([0-9][0-9,]*)元([0-9])分`)
	highRe  = regexp.MustCompile(`(普高|普通高中|高中)\s*免学费`)
	zhengRe = regexp.MustCompile(`(元|万)整`)
)

// looseAmounts rewrites loosely typed figures into the 记录 forms: 240w -> 240万, 3004700元5角 ->
// 3004700.5元, 240万元整 -> 240万元, 普高免学费 -> 普高免学杂费 (普通高中 has 免学杂费).
func looseAmounts(s string) string {
	s = wanRe.ReplaceAllString(s, "${1}万")
	s = jiaoRe.ReplaceAllStringFunc(s, func(m string) string {
		g := jiaoRe.FindStringSubmatch(m)
		return g[1] + "." + g[2] + g[3] + "元"
	})
	s = fenRe.ReplaceAllString(s, "${1}.0${2}元")
	s = highRe.ReplaceAllString(s, "${1}免学杂费")
	s = zhengRe.ReplaceAllString(s, "${1}")
	return s
}

// looseFigure turns a spoken figure into a 记录 line: commas to spaces, 发了/一共 out.
func looseFigure(s string) string {
	s = looseAmounts(thousands(s))
	r := strings.NewReplacer("，", " ", ",", " ", "、", " ", "。", " ", "发放了", " ", "发了", " ", "发放", " ", "一共", " ", "总共", " ",
		"资助了", " ", "资助", " ")
	out := r.Replace(s)
	// "1,200" was a thousands separator: keep digits together
	out = strings.Join(strings.Fields(out), " ")
	return out
}

// figureSentence: a message that is clearly a figure (programme and a count or an amount)
// without 记录 is recorded after a one-tap confirmation.
func (u ux) figureSentence(ctx context.Context, req *bot.Request, s string) (bot.Understanding, bool) {
	line := looseFigure(thousands(s))
	d, err := u.cat.Parse(line, req.Today())
	if err != nil || d.Programme == "" || !(d.HasPersons || d.HasAmount || d.HasPersonTimes) {
		return pass()
	}
	return u.confirm(ctx, req, "记录 "+line, "", "", "figure sentence")
}

// thousands removes thousands separators between digits: "1,200" -> "1200".
func thousands(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if (r == ',' || r == '，') && i > 0 && i+3 < len(rs)+0 && unicode.IsDigit(rs[i-1]) && i+3 <= len(rs)-1+1 {
			if i+3 < len(rs)+1 && allDigits(rs[i+1:min(i+4, len(rs))]) && len(rs[i+1:min(i+4, len(rs))]) == 3 &&
				(i+4 >= len(rs) || !unicode.IsDigit(rs[i+4])) {
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return len(rs) > 0
}

// assignVerbs name a person who is to do an item: 让李老师负责, 交给张老师, 安排给李老师 …
var assignVerbs = []struct{ verb, ends string }{
	{"安排给", ""}, {"分配给", ""}, {"交给", ""}, {"分给", ""}, {"转给", ""}, {"给", "负责"},
	{"让", "负责|做|跟进|办|弄|处理"}, {"由", "负责|做|跟进|办|处理"}, {"请", "负责|跟进"}, {"安排", "做|负责|跟进|办"},
}

func (u ux) assignSentence(ctx context.Context, req *bot.Request, s string) (bot.Understanding, bool) {
	if i := strings.Index(s, "负责"); i > 0 {
		// 第三项李老师负责: a member's name right before 负责
		if ms, err := u.Store.Members(ctx, req.Team.ID); err == nil {
			for _, m := range ms {
				if m.Active && m.Name != "" && strings.HasSuffix(s[:i], m.Name) {
					ref := strings.TrimSpace(s[:i-len(m.Name)])
					if nums, ok := sentenceNumbers(ref); ok && ref != "" {
						return routeTo("分配 "+joinNums(nums)+" "+m.Name, "assign sentence")
					}
				}
			}
		}
	}
	for _, av := range assignVerbs {
		i := strings.Index(s, av.verb)
		if i < 0 {
			continue
		}
		after := s[i+len(av.verb):]
		end := len(after)
		endWord := ""
		for _, e := range strings.Split(av.ends, "|") {
			if e == "" {
				continue
			}
			if j := strings.Index(after, e); j > 0 && j < end {
				end, endWord = j, e
			}
		}
		if av.ends != "" && endWord == "" {
			continue
		}
		who := after[:end]
		rest := after[end+len(endWord):]
		if endWord == "" {
			// "交给张老师负责": the person ends at 负责
			if j := strings.Index(who, "负责"); j > 0 {
				who, rest = who[:j], who[j+len("负责"):]
			}
		}
		who = strings.TrimRight(strings.TrimSpace(who), "吧了,")
		ref := strings.TrimSpace(s[:i]) + " " + strings.TrimSpace(strings.Trim(rest, "吧了一下 ,"))
		ref = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(ref), "把"))
		if who == "" || ref == "" || utf8.RuneCountInString(who) > 8 {
			continue
		}
		if nums, ok := sentenceNumbers(ref); ok {
			return routeTo("分配 "+joinNums(nums)+" "+who, "assign sentence")
		}
		items, err := u.items(ctx, req)
		if err != nil {
			return refuse(storeErr("assign", err), "assign sentence")
		}
		cands := u.match(req, items, ref, matchOpts{})
		switch len(cands) {
		case 0:
			continue
		case 1:
			return routeTo("分配 #"+cands[0].Key+" "+who, "assign wording")
		default:
			return answer("有几项符合“"+clipText(ref, 12)+"”，请用编号分配，例如“分配 3 "+who+"”。发送“本月”查看编号。", "assign ambiguous")
		}
	}
	return pass()
}

// doneSentence completes what a sentence names: numbers (第三个, 1和2, 前三项, 最后一项, 除了4),
// the due day (今天到期的那个), overdue items (逾期的两个), or the wording of an open item.
func (u ux) doneSentence(ctx context.Context, req *bot.Request, s string) (bot.Understanding, bool) {
	clauses := splitClauses(s)
	var except []int
	for i, c := range clauses {
		if rest, ok := strings.CutPrefix(c, "除了"); ok {
			if ns, ok := sentenceNumbers(rest); ok {
				except = ns
				clauses = slices.Delete(slices.Clone(clauses), i, i+1)
				break
			}
		}
	}
	target, note := -1, []string{}
	for i, c := range clauses {
		if bot.IsCourtesy(c) || isEcho(c) {
			continue
		}
		if target < 0 {
			target = i
			continue
		}
		note = append(note, c)
	}
	// the target clause: the first one naming something; a clause before it that is only an echo
	// of the verb is fine ("已经完成了，第三项")
	if target < 0 {
		return pass()
	}
	tc := clauses[target]
	// a clause after the target that also names an item is part of the target: 第1项、第2项都
	for len(note) > 0 {
		if _, ok := sentenceNumbers(note[0]); ok && bot.HasDoneWord(note[0]) {
			tc += "，" + note[0]
			note = note[1:]
			continue
		}
		break
	}
	noteText := strings.Join(note, "，")
	if noteText != "" {
		noteText = bot.RawSuffix(req.Text, noteText)
	}
	items, err := u.items(ctx, req)
	if err != nil {
		return refuse(storeErr("done", err), "done sentence")
	}
	whole := strings.Join(clauses, "，")
	if nums, ok := u.positions(ctx, req, items, whole, tc); ok {
		nums = slices.DeleteFunc(nums, func(n int) bool { return slices.Contains(except, n) })
		if len(nums) == 0 {
			return pass()
		}
		cmd := "完成 " + joinNums(nums)
		if noteText != "" {
			cmd += " " + noteText
		}
		return routeTo(cmd, "done sentence")
	}
	opts := readRestriction(tc, req.Today())
	cands := u.match(req, items, opts.rest, opts)
	plural := strings.Contains(tc, "都") || strings.Contains(tc, "两个") || strings.Contains(tc, "两项") || strings.Contains(tc, "全部") || strings.Contains(tc, "所有")
	open := cands[:0:0]
	for _, c := range cands {
		if c.DoneBy == "" {
			open = append(open, c)
		}
	}
	if len(open) > 1 && opts.month == 0 {
		// one of them is due by the end of this month, the others in later months: that one
		end := bot.NewDate(req.Today().Year, req.Today().Month, 1).LastOfMonth()
		var near []bot.Tracked
		for _, c := range open {
			if !u.effective(c.Due).After(end) {
				near = append(near, c)
			}
		}
		if len(near) == 1 && !plural {
			open = near
		}
	}
	switch {
	case len(cands) == 0:
		if opts.any() || strings.TrimSpace(contentOf(opts.rest)) != "" {
			return answer("没有找到和“"+clipText(tc, 14)+"”对应的未完成事项，没有做任何更改。发送“本月”查看编号，再发送“完成 编号”。", "wording none")
		}
		return pass()
	case len(open) == 0:
		return routeTo("完成 #"+cands[0].Key, "wording done already")
	case len(open) == 1 || plural && (!strings.Contains(tc, "两") || len(open) == 2):
		if len(open) > 1 {
			// several items at once: by their keys, one command each would lose the batch; the
			// numbering is saved first so the numbers name exactly these
			list := make([]bot.AgendaItem, len(open))
			for i, c := range open {
				list[i] = u.agendaItem(c)
			}
			u.saveList(ctx, req, list)
			nums := make([]int, len(open))
			for i := range open {
				nums[i] = i + 1
			}
			cmd := "完成 " + joinNums(nums)
			if noteText != "" {
				cmd += " " + noteText
			}
			return routeTo(cmd, "wording plural")
		}
		cmd := "完成 #" + open[0].Key
		if noteText != "" {
			cmd += " " + noteText
		}
		return routeTo(cmd, "wording")
	}
	// several fit: list them numbered and ask which (the 确认 dialog takes the number)
	if len(open) > 9 {
		// a recurring item of every month: the months up to this one, the latest first
		end := bot.NewDate(req.Today().Year, req.Today().Month, 1).LastOfMonth()
		var near []bot.Tracked
		for _, c := range open {
			if !u.effective(c.Due).After(end) {
				near = append(near, c)
			}
		}
		if len(near) > 9 {
			near = near[len(near)-9:]
		}
		if len(near) > 0 {
			open = near
		}
	}
	if len(open) == 1 {
		return routeTo("完成 #"+open[0].Key+strings.TrimRight(" "+noteText, " "), "wording")
	}
	if len(open) > 9 {
		return answer(fmt.Sprintf("有%d项符合“%s”，请说得具体一些，或发送“本月”查看编号后“完成 编号”。", len(open), clipText(tc, 12)), "wording many")
	}
	list := make([]bot.AgendaItem, len(open))
	for i, c := range open {
		list[i] = u.agendaItem(c)
	}
	if u.State == nil {
		return answer("有几项符合，请发送“本月”查看编号，再发送“完成 编号”。", "wording ambiguous")
	}
	if err := u.State.SetDialog(ctx, req.TeamKey(), req.UserID, bot.Dialog{Command: confirmName, Step: "pick"}); err != nil {
		return refuse(err, "wording ambiguous")
	}
	rep, err := u.renderListFoot(ctx, req, fmt.Sprintf("有%d项符合“%s”，是哪一项", len(list), clipText(tc, 12)), list,
		"请回复编号（例如“1”），发送“取消”退出。")
	if err != nil {
		return refuse(err, "wording ambiguous")
	}
	return bot.Understanding{Reply: rep, Why: "wording ambiguous"}, true
}

// splitClauses splits a sentence at commas, full stops and spaces.
func splitClauses(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",，。;；!！ ", r) })
	out := f[:0]
	for _, c := range f {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// echoWords are what a clause that only repeats the act is made of: 已经完成了, 帮我标记一下.
var echoWords = []string{"帮我", "麻烦", "请", "帮忙", "标记为", "标记成", "标记", "标一下", "勾掉", "勾一下", "一下", "已经", "已", "都", "也",
	"我", "这边", "了", "啦", "吧", "的", "就", "完成", "做完", "弄完", "搞完", "办完", "弄好", "做好", "搞定", "处理完", "报了", "报完", "报上去", "交了",
	"ok", "好", "嗯", "哈"}

func isEcho(c string) bool {
	t := strings.ToLower(c)
	for {
		cut := false
		for _, w := range echoWords {
			if rest, ok := strings.CutPrefix(t, w); ok {
				t, cut = rest, true
				break
			}
		}
		if !cut {
			return t == ""
		}
	}
}

// sentenceNumbers finds item numbers in a sentence: 第三个, 3号, 1和2, 一二三; not months (6月),
// days (10号之前 with a month), counts with units (1200人) or money.
func sentenceNumbers(s string) ([]int, bool) {
	s = stripPeriods(s)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !(r >= '0' && r <= '9' || r == '第' || strings.ContainsRune("一二三四五六七八九十两", r)) {
			continue
		}
		if i > 0 && (rs[i-1] >= '0' && rs[i-1] <= '9') {
			continue
		}
		// a run of single Chinese digits: 一二三都完成了
		if j := i; strings.ContainsRune("一二三四五六七八九", r) {
			var ns []int
			for j < len(rs) && strings.ContainsRune("一二三四五六七八九", rs[j]) {
				n, _ := bot.ChineseNumber(string(rs[j]))
				ns = append(ns, n)
				j++
			}
			if len(ns) > 1 && (j == len(rs) || strings.ContainsRune("都也项个条号已完", rs[j])) {
				return ns, true
			}
		}
		if i > 0 && strings.ContainsRune("上这那每同下", rs[i-1]) {
			continue // 上一条, 这一项: not item 1
		}
		if r != '第' && !(r >= '0' && r <= '9') {
			// a Chinese numeral must be marked (第三, 三项, 三号) to be an item: 一封信 is not
			j := i
			for j < len(rs) && strings.ContainsRune("一二三四五六七八九十两", rs[j]) {
				j++
			}
			if j >= len(rs) || !strings.ContainsRune("项个号条", rs[j]) {
				continue
			}
			if rs[j] == '个' && (i == 0 || rs[i-1] != '第') || r == '两' {
				continue // 一个任务, 两个都: a count, not item 2
			}
		}
		nums, rest, ok := bot.ParseNumbers(string(rs[i:]))
		if !ok {
			continue
		}
		// a count with a unit is not an item: 1200人, 300万, 5天
		if rr, _ := utf8.DecodeRuneInString(rest); strings.ContainsRune("人万元天份月年次%", rr) && !strings.HasPrefix(string(rs[i:]), "第") {
			continue
		}
		return nums, true
	}
	return nil, false
}

// stripPeriods blanks months and dates (6月, 4月份的, 6月10号) so their digits are not items.
func stripPeriods(s string) string {
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		j := i
		for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || strings.ContainsRune("一二三四五六七八九十", rs[j])) {
			j++
		}
		if j > i && j < len(rs) && rs[j] == '月' && (i == 0 || rs[i-1] != '第') {
			k := j + 1
			if k < len(rs) && rs[k] == '份' {
				k++
			}
			// a day after the month: 6月10号, 6月10日
			d := k
			for d < len(rs) && rs[d] >= '0' && rs[d] <= '9' {
				d++
			}
			if d > k && d < len(rs) && (rs[d] == '号' || rs[d] == '日') {
				k = d + 1
			}
			for n := i; n < k; n++ {
				out = append(out, ' ')
			}
			i = k - 1
			continue
		}
		out = append(out, rs[i])
	}
	return string(out)
}

// positions reads numbers, 前三项, 最后一项 and 除了4 against the user's numbering.
func (u ux) positions(ctx context.Context, req *bot.Request, items []bot.Tracked, whole, tc string) ([]int, bool) {
	except := []int{}
	if i := strings.Index(whole, "除了"); i >= 0 {
		rest := whole[i+len("除了"):]
		if ns, ok := sentenceNumbers(rest); ok {
			except = ns
			// drop the excepted clause from the target
			tc = strings.Replace(whole, "除了", "", 1)
			for _, n := range ns {
				tc = strings.Replace(tc, "第"+strconv.Itoa(n)+"项", "", 1)
			}
			if j := strings.Index(tc, "，"); j >= 0 {
				a, b := tc[:j], tc[j+len("，"):]
				if _, ok := sentenceNumbers(b); ok {
					tc = b
				} else {
					tc = a
				}
			}
		}
	}
	var nums []int
	low := tc
	switch {
	case strings.Contains(low, "最后一"):
		keys, err := u.numbering(ctx, req, items)
		if err != nil || len(keys) == 0 {
			return nil, false
		}
		nums = []int{len(keys)}
	case strings.Contains(low, "前"):
		i := strings.Index(low, "前")
		rest := low[i+len("前"):]
		rs := []rune(rest)
		j := 0
		for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || strings.ContainsRune("一二三四五六七八九十两", rs[j])) {
			j++
		}
		if j > 0 && j < len(rs) && strings.ContainsRune("项个条", rs[j]) {
			if n, ok := bot.ChineseNumber(string(rs[:j])); ok && n > 0 && n <= 50 {
				for k := 1; k <= n; k++ {
					nums = append(nums, k)
				}
			}
		}
	}
	if nums == nil {
		ns, ok := sentenceNumbers(tc)
		if !ok {
			return nil, false
		}
		nums = ns
	}
	if len(except) > 0 {
		nums = slices.DeleteFunc(nums, func(n int) bool { return slices.Contains(except, n) })
		if len(nums) == 0 {
			return nil, false
		}
	}
	return nums, true
}

// matchOpts restricts the wording match: a month, a due day, overdue.
type matchOpts struct {
	rest     string
	month    int // 1-12
	due      bot.Date
	overdue  bool
	thisWeek bool
}

func (o matchOpts) any() bool { return o.month > 0 || !o.due.IsZero() || o.overdue || o.thisWeek }

func readRestriction(tc string, today bot.Date) matchOpts {
	o := matchOpts{rest: tc}
	cut := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(o.rest, w) {
				o.rest = strings.Replace(o.rest, w, " ", 1)
				return true
			}
		}
		return false
	}
	switch {
	case cut("今天到期的", "今天截止的", "今天要交的", "今天要报的", "今天到期", "今天要交", "今天截止", "今日到期"):
		o.due = today
	case cut("明天到期的", "明天截止的", "明天要交的", "明天到期", "明天要交"):
		o.due = today.AddDays(1)
	}
	if cut("逾期的", "过期的", "超期的", "逾期", "过期", "超期") {
		o.overdue = true
	}
	if cut("这个月的", "本月的", "这个月", "本月", "当月的", "当月") {
		o.month = int(today.Month)
	}
	// N月 / N月份
	rs := []rune(o.rest)
	for i := 0; i < len(rs); i++ {
		j := i
		for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || strings.ContainsRune("一二三四五六七八九十", rs[j])) {
			j++
		}
		if j > i && j < len(rs) && rs[j] == '月' {
			if n, ok := bot.ChineseNumber(string(rs[i:j])); ok && n >= 1 && n <= 12 {
				o.month = n
				k := j + 1
				if k < len(rs) && rs[k] == '份' {
					k++
				}
				if k < len(rs) && rs[k] == '的' {
					k++
				}
				o.rest = string(rs[:i]) + " " + string(rs[k:])
				break
			}
		}
	}
	return o
}

// functionRunes carry no wording of an item: particles, pronouns, aspect and the act verbs' endings.
const functionRunes = "了的那个这我把都已经也一下帮标记吧啊呀哈完好成掉勾请麻烦就是嗯边两过去出上给啦和及还又再在们你他她它今天时候刚才么呢哦噢嘛事情东西些"

// contentOf is the text without function runes and spaces.
func contentOf(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(functionRunes, r) || unicode.IsSpace(r) || unicode.IsPunct(r) || r < utf8.RuneSelf && !unicode.IsLetter(r) {
			return -1
		}
		return r
	}, s)
}

// bigrams of s that are made of two content runes.
func contentBigrams(s string) []string {
	rs := []rune(s)
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		a, b := rs[i], rs[i+1]
		if strings.ContainsRune(functionRunes, a) || strings.ContainsRune(functionRunes, b) || unicode.IsSpace(a) || unicode.IsSpace(b) ||
			unicode.IsPunct(a) || unicode.IsPunct(b) || a < utf8.RuneSelf || b < utf8.RuneSelf {
			continue
		}
		bg := string(rs[i : i+2])
		if !slices.Contains(out, bg) {
			out = append(out, bg)
		}
	}
	return out
}

// synonyms expand office abbreviations into words item titles use.
var synonyms = map[string]string{
	"系统数据": "资助系统数据",
	"资金发放": "资金发放 发放资金",
	"贷款":   "助学贷款 生源地贷款",
	"走访":   "大走访 家访",
}

// match scores the items against the words of text (Chinese bigram overlap, with synonyms),
// restricted by the options, and returns the best-scoring ones (ties), open items first. An item
// matching only by a restriction (今天到期的那个) scores when the text has no words of its own.
func (u ux) match(req *bot.Request, items []bot.Tracked, text string, o matchOpts) []bot.Tracked {
	today := req.Today()
	words := text
	for k, v := range synonyms {
		if strings.Contains(text, k) {
			words += " " + v
		}
	}
	bgs := contentBigrams(words)
	var best []bot.Tracked
	bestScore := 0
	for _, it := range items {
		if it.BeforeTracking {
			continue
		}
		eff := u.effective(it.Due)
		if o.month > 0 && int(it.Due.Month) != o.month {
			continue
		}
		if !o.due.IsZero() && eff != o.due && it.Due != o.due {
			continue
		}
		if o.overdue && !(eff.Before(today) && it.DoneBy == "") {
			continue
		}
		score := 0
		for _, bg := range bgs {
			if strings.Contains(it.Title, bg) {
				score++
			}
		}
		if len(bgs) == 0 {
			if !o.any() {
				continue
			}
			score = 1
		}
		if score == 0 {
			continue
		}
		if it.DoneBy == "" {
			score *= 2 // open items first
		} else {
			score = score*2 - 1
		}
		switch {
		case score > bestScore:
			best, bestScore = []bot.Tracked{it}, score
		case score == bestScore:
			best = append(best, it)
		}
	}
	if len(best) == 0 && o.any() && len(bgs) > 0 {
		// the words name nothing ("逾期的那个已经处理了"): the restriction alone
		return u.match(req, items, "", o)
	}
	return best
}

// ---- 4. questions answered from the data ----

// personQuestion: 李老师这周完成了几项 / 张老师还有什么没做 / 还有谁没交月报.
func (u ux) question(ctx context.Context, req *bot.Request, t string, pol bot.Polarity) (bot.Understanding, bool) {
	s := bot.StripFillers(t)
	low := strings.ToLower(s)
	isQ := pol == bot.PolarityQuestion || strings.Contains(low, "情况") || strings.Contains(low, "汇总") || strings.Contains(low, "完成率") ||
		strings.Contains(low, "怎么样") || strings.Contains(low, "如何")
	if !isQ {
		return pass()
	}
	if c, _, ok := u.r.Match(s); ok && slices.Contains([]string{"汇总", "数据", "进度", "逾期", "帮助", "今天", "我的"}, c.Name) &&
		!(c.Name == "数据" && strings.Contains(low, "完成")) {
		return pass() // typed as the command
	}
	if rest, ok := strings.CutPrefix(s, "我"); ok {
		if c, _, ok := u.r.Match(rest); ok && !c.Acts && slices.Contains(listCommands, c.Name) {
			return routeTo(rest, "my list question") // 我今天有什么任务
		}
	}
	if _, numbered := sentenceNumbers(s); numbered && !strings.Contains(low, "月") {
		return pass() // about an item: read by noChange
	}
	period := ""
	switch {
	case containsWord(low, []string{"这周", "本周", "这星期", "本星期"}):
		period = "本周"
	case containsWord(low, []string{"上个月", "上月"}):
		period = "上月"
	case containsWord(low, []string{"全年", "今年", "本年度"}):
		period = "全年"
	case containsWord(low, []string{"这个月", "本月", "当月"}):
		period = "本月"
	}
	if period == "" {
		o := readRestriction(s, req.Today())
		if o.month > 0 {
			period = strconv.Itoa(o.month) + "月"
		}
	}
	// figures: 发了多少钱, 资助了多少人
	if containsWord(low, []string{"多少钱", "发了多少", "发放了多少", "多少人", "多少学生", "多少万", "金额", "资助了多少", "一共发", "发了几"}) {
		return routeTo("数据 "+figureQuery(s), "figure question")
	}
	// a person: 李老师这周完成了几项, 张老师还有什么没做
	members, err := u.Store.Members(ctx, req.Team.ID)
	if err != nil {
		return refuse(storeErr("members", err), "person question")
	}
	var who *bot.Member
	for i, m := range members {
		if m.Active && m.Name != "" && strings.Contains(s, m.Name) {
			who = &members[i]
			break
		}
	}
	if who == nil && strings.HasPrefix(s, "我") {
		for i, m := range members {
			if m.UserID == req.UserID {
				who = &members[i]
			}
		}
	}
	openQ := containsWord(low, []string{"没做", "没完成", "没弄", "没交", "未完成", "还有什么", "还有哪些", "还剩"})
	if who != nil && containsWord(low, []string{"完成了几", "完成几", "做了几", "完成了多少", "完成多少", "干了", "做了什么", "做了哪些", "完成了什么", "完成了哪些", "完成哪些"}) {
		return u.personDone(ctx, req, *who, period)
	}
	if who != nil && openQ {
		return u.personOpen(ctx, req, *who)
	}
	if strings.Contains(low, "谁") && openQ {
		return u.whoOpen(ctx, req, s)
	}
	switch {
	case strings.Contains(low, "逾期") || strings.Contains(low, "超期") || strings.Contains(low, "过期"):
		return routeTo("逾期", "overdue question")
	case strings.Contains(low, "进度") || strings.Contains(low, "进展"):
		return routeTo("进度", "progress question")
	case strings.Contains(low, "完成率") || strings.Contains(low, "情况") || strings.Contains(low, "汇总") ||
		containsWord(low, []string{"完成了多少", "完成得怎么样", "完成的怎么样", "怎么样", "如何"}) && period != "":
		if req.Member.Role.Rank() < bot.RoleSupervisor.Rank() && period == "" {
			return routeTo("进度", "progress question")
		}
		return routeTo("汇总 "+period, "summary question")
	}
	return pass()
}

// figureQuery keeps the words of a figure question that 数据 reads: programme, stage, term, month.
func figureQuery(s string) string {
	var words []string
	for _, w := range []string{"春季", "秋季", "全年", "上个月"} {
		if strings.Contains(s, w) {
			words = append(words, w)
		}
	}
	prog := ""
	for _, w := range []string{"国家助学金", "国家奖学金", "免学杂费", "免学费", "助学贷款", "生源地贷款", "学前资助", "建档立卡", "新生入学资助", "助学金", "奖学金", "贷款"} {
		if strings.Contains(s, w) {
			prog = w
			break
		}
	}
	stage := ""
	for _, w := range []string{"中职", "普高", "高中", "幼儿园", "学前", "高校"} {
		if strings.Contains(s, w) {
			stage = w
			break
		}
	}
	if prog == "免学费" && (stage == "普高" || stage == "高中") {
		prog = "免学杂费" // 普通高中 has 免学杂费
	}
	q := strings.TrimSpace(stage + prog)
	if q != "" {
		words = append([]string{q}, words...)
	}
	return strings.Join(words, " ")
}

func (u ux) personDone(ctx context.Context, req *bot.Request, m bot.Member, period string) (bot.Understanding, bool) {
	today := req.Today()
	from, to := weekOf(today)
	label := "本周"
	switch period {
	case "本月", "":
		if period == "本月" {
			from, to, label = bot.NewDate(today.Year, today.Month, 1), bot.NewDate(today.Year, today.Month, 1).LastOfMonth(), "本月"
		}
	case "上月":
		p := bot.NewDate(today.Year, today.Month-1, 1)
		from, to, label = p, p.LastOfMonth(), fmt.Sprintf("%d月", int(p.Month))
	case "全年":
		from, to, label = bot.NewDate(today.Year, 1, 1), bot.NewDate(today.Year, 12, 31), "今年"
	}
	cs, err := u.Store.Completions(ctx, req.Team.ID)
	if err != nil {
		return refuse(storeErr("completions", err), "person done")
	}
	items, err := u.items(ctx, req)
	if err != nil {
		return refuse(storeErr("items", err), "person done")
	}
	title := map[string]string{}
	for _, it := range items {
		title[it.Key] = it.Title
	}
	loc := req.Team.Location()
	var done []string
	for _, c := range cs {
		d := bot.DateOf(c.At.In(loc))
		if c.By != m.UserID || !c.UndoneAt.IsZero() || d.Before(from) || d.After(to) {
			continue
		}
		done = append(done, "“"+cmp.Or(title[c.Key], c.Key)+"”")
	}
	name := cmp.Or(m.Name, m.UserID)
	if len(done) == 0 {
		return answer(fmt.Sprintf("%s%s完成0项。发送“汇总 %s”查看全部。", name, label, cmp.Or(period, "本周")), "person done")
	}
	return answer(fmt.Sprintf("%s%s完成%d项：%s。发送“汇总 %s”查看全部。", name, label, len(done), strings.Join(done, "、"), cmp.Or(period, "本周")), "person done")
}

func (u ux) personOpen(ctx context.Context, req *bot.Request, m bot.Member) (bot.Understanding, bool) {
	items, err := u.items(ctx, req)
	if err != nil {
		return refuse(storeErr("items", err), "person open")
	}
	today := req.Today()
	end := bot.NewDate(today.Year, today.Month, 1).LastOfMonth()
	var open []string
	for _, it := range items {
		if it.Assignee != m.UserID || it.DoneBy != "" || it.BeforeTracking || u.effective(it.Due).After(end) {
			continue
		}
		open = append(open, fmt.Sprintf("“%s”（%s）", it.Title, u.effective(it.Due).Short()))
	}
	name := cmp.Or(m.Name, m.UserID)
	if len(open) == 0 {
		return answer(name+"本月没有未完成的事项。", "person open")
	}
	return answer(fmt.Sprintf("%s还有%d项未完成：%s。发送“进度”查看每人情况。", name, len(open), strings.Join(open, "、")), "person open")
}

// whoOpen: 还有谁没交月报 / 还有谁没完成 — the assignees of the open items the words name.
func (u ux) whoOpen(ctx context.Context, req *bot.Request, s string) (bot.Understanding, bool) {
	items, err := u.items(ctx, req)
	if err != nil {
		return refuse(storeErr("items", err), "who open")
	}
	rest := s
	for _, w := range []string{"还有谁", "谁还", "谁", "没交", "没完成", "没做", "没弄", "未完成"} {
		rest = strings.ReplaceAll(rest, w, " ")
	}
	today := req.Today()
	end := bot.NewDate(today.Year, today.Month, 1).LastOfMonth()
	var open []bot.Tracked
	if strings.TrimSpace(contentOf(rest)) != "" {
		open = u.match(req, items, rest, matchOpts{})
	} else {
		for _, it := range items {
			if it.DoneBy == "" && !it.BeforeTracking && !u.effective(it.Due).After(end) {
				open = append(open, it)
			}
		}
	}
	ids := make([]string, 0, len(open))
	for _, it := range open {
		ids = append(ids, it.Assignee)
	}
	names, err := u.namesOf(ctx, req, ids)
	if err != nil {
		return refuse(storeErr("names", err), "who open")
	}
	var lines []string
	for _, it := range open {
		if it.DoneBy != "" || it.BeforeTracking || u.effective(it.Due).After(end.AddDays(31)) {
			continue
		}
		who := "未分配"
		if it.Assignee != "" {
			who = cmp.Or(names[it.Assignee], it.Assignee)
		}
		lines = append(lines, fmt.Sprintf("· %s：“%s”（%s）", who, it.Title, u.effective(it.Due).Short()))
	}
	if len(lines) == 0 {
		return answer("没有找到未完成的相关事项。发送“进度”查看每人情况。", "who open")
	}
	return answer("还没完成的：\n"+strings.Join(lines, "\n")+"\n发送“进度”查看每人情况。", "who open")
}
