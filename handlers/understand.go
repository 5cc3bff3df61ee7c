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
//
// Courtesy words: a sentence (the item first, or words: 第三项完成了，谢谢王主任) and every form the
// step rewrites drop trailing thanks, particles and whom they are for; they are never a note.
// The typed command form 完成 N 备注 keeps its note as typed (完成3，谢谢 -> note 谢谢), because
// the earlier test TestMorePhrasings asserts exactly that for 完成第三项，谢谢 and stays unchanged.

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
	r.Add(bot.Command{Name: confirmName, Hidden: true, AnswersCommands: true, Usage: "确认", Summary: "确认上一个问题",
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
	t = foldDoneTypo(t)
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
	if cmd, ok := typoWording(t); ok {
		// 完城一封信: the item by its wording, asked like 完成 一封信
		if c, args, ok := u.r.Match(cmd); ok && c.Name == doneName {
			if got, ok := u.typed(ctx, req, cmd, c, args); ok {
				return got, true
			}
		}
	}
	if rest, ok := addClause(t); ok && req.Member.Role.Rank() >= bot.RoleSupervisor.Rank() {
		return routeTo("新增 "+rest, "add sentence")
	}
	pol, cue := bot.ReadPolarity(req.Text, t)
	if pol == bot.PolarityNegation || pol == bot.PolarityFuture || pol == bot.PolarityQuestion {
		// "第三项完成了，第四项还没有" (明天完成, 什么时候截止？): the clauses that state a completion of
		// their own items act
		if pos, ok := positiveClauses(req.Text, t); ok {
			// read the positive clauses alone, as if typed so; what passes is routed as rewritten
			alone := *req
			alone.Text = pos
			if got, ok := u.understandText(ctx, &alone, pos, pos); ok {
				return got, true
			}
			return routeTo(pos, "positive clauses")
		}
	}
	if got, ok := u.correction(ctx, req, t, pol); ok {
		return got, true
	}
	if got, ok := u.also(ctx, req, t); ok {
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
		// a read-only command word naming an item ("总结应该写好了吧": 汇总) is no command here
		namesItem := args != "" && bot.HasDoneWord(args) && !containsWord(args, []string{"几", "多少", "哪", "什么", "谁", "情况", "怎么", "如何"})
		if matched && !cmd.Acts && !namesItem {
			if t != text {
				return routeTo(t, "read-only "+pol.String())
			}
			return pass()
		}
		return u.noChange(ctx, req, t, pol, cue)
	}
	if matched && !isAddSentence(t) {
		if cmd.Acts {
			return u.typed(ctx, req, t, cmd, args)
		}
		// "今天到期的那个弄好了", "4月份的月巡视已经开展了": a list word naming an item;
		// "总结让张老师负责": a command word (汇总) naming the item given to someone
		if args != "" && (bot.HasDoneWord(args) && slices.Contains(listCommands, cmd.Name) || containsWord(args, assignWords)) {
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

// positiveClauses keeps, of a message with a negation, the clauses that state a completion
// without one, when every clause names its own items: "第三项完成了，第四项还没有" -> "第三项完成了".
func positiveClauses(raw, t string) (string, bool) {
	clauses := strings.FieldsFunc(raw, func(r rune) bool { return strings.ContainsRune(",，。;；!！", r) })
	if len(clauses) < 2 {
		return "", false
	}
	var pos []string
	for _, rc := range clauses {
		c := bot.FoldItemDigits(bot.Normalize(rc))
		if _, chat := bot.ChitChat(c); chat && !containsAny(rc, "吗", "吧", "么", "呢", "？", "?") {
			continue // 王主任好。第三项已经完成了。: a greeting
		}
		p, _ := bot.ReadPolarity(rc, c)
		if _, ok := sentenceNumbers(c); !ok && !(p != bot.PolarityNone && len(pos) > 0 && bareNumeralLead(c)) {
			return "", false
		}
		switch {
		case p == bot.PolarityNone && bot.HasDoneWord(c):
			pos = append(pos, c)
		case p == bot.PolarityNegation, p == bot.PolarityFuture, p == bot.PolarityQuestion:
			// 第四项还没有 / 明天完成 / 第四项什么时候截止？: a clause about its own item
		default:
			return "", false
		}
	}
	if len(pos) == 0 {
		return "", false
	}
	return strings.Join(pos, "，"), true
}

// bareNumeralLead reports a clause that begins with one unmarked Chinese numeral and goes on with
// what is not done: 五还没, 五明天弄. After a clause that named its items by number (三四都完成了)
// it names an item too; it is only ever read to leave that item alone.
func bareNumeralLead(c string) bool {
	rs := []rune(c)
	return len(rs) > 1 && strings.ContainsRune("一二三四五六七八九十", rs[0]) && strings.ContainsRune("还没也未明下等要", rs[1])
}

func containsAny(s string, words ...string) bool { return containsWord(s, words) }

// assignWords give an item to someone in a sentence.
var assignWords = []string{"让", "交给", "负责", "分配给", "安排给", "分给", "转给", "派给", "牵头"}

// listCommands are the lists whose words may also name an item in a sentence (今天到期的那个弄好了).
var listCommands = []string{"今天", "明天", "本周", "下周", "本月", "下月", "月份", "逾期", "我的", "汇总", "数据"}

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
	if v, ok := pinyinWords[strings.ToLower(strings.ReplaceAll(t, " ", ""))]; ok {
		return v
	}
	return t
}

// doneTypos are misspellings of 完成 (wrong character, homophones of the pinyin keyboard, pinyin).
var doneTypos = []string{"wancheng", "wan cheng", "完城", "晚成", "玩成", "完程", "完承", "万成", "wc"}

// foldDoneTypo reads a typo of 完成 as 完成 where a sentence states it (已经完城了, 玩成了): the
// words around it leave no doubt; a typo before numbers (完城3) is asked instead (typoDone).
func foldDoneTypo(t string) string {
	for _, w := range doneTypos {
		if w[0] < utf8.RuneSelf || !strings.Contains(t, w) {
			continue
		}
		if strings.Contains(t, "已"+w) || strings.Contains(t, "经"+w) || strings.Contains(t, w+"了") || strings.Contains(t, w+"啦") {
			return strings.ReplaceAll(t, w, "完成")
		}
	}
	return t
}

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

// typoWording reads "完城一封信": a typo of 完成 before words (no numbers); cmd is "完成 一封信".
func typoWording(t string) (string, bool) {
	low := strings.ToLower(t)
	for _, w := range doneTypos {
		if rest, ok := strings.CutPrefix(low, w); ok && w[0] >= utf8.RuneSelf {
			rest = strings.TrimSpace(rest)
			if _, _, ok := bot.ParseNumbers(rest); !ok && contentOf(rest) != "" {
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

// routeAll runs several command lines (one 完成 #key each) and joins their replies; it stops at
// the first failure, whose message follows what was done.
func (u ux) routeAll(ctx context.Context, req *bot.Request, cmds []string) (bot.Reply, error) {
	var parts []string
	for _, c := range cmds {
		rep, err := u.r.Route(ctx, req, c)
		if err != nil {
			if len(parts) == 0 {
				return bot.Reply{}, err
			}
			parts = append(parts, bot.ErrorMessage(err))
			break
		}
		parts = append(parts, strings.TrimSuffix(rep.Text(), "\n记错了可以发送“撤销 编号”。"))
	}
	return bot.TextReply(strings.Join(parts, "\n") + "\n记错了可以发送“撤回”。"), nil
}

// describe says what cmd would do, as a question: 是要把第3项“寄送一封信”标记完成吗？ (cmd may be
// several lines, one command each).
func (u ux) describe(ctx context.Context, req *bot.Request, cmd string) (string, error) {
	if lines := strings.Split(cmd, "\n"); len(lines) > 1 {
		var b strings.Builder
		for i, l := range lines {
			d, err := u.describe(ctx, req, l)
			if err != nil {
				return "", err
			}
			d = strings.TrimSuffix(strings.TrimPrefix(d, "是要把"), "标记完成吗？")
			fmt.Fprintf(&b, "\n%d. %s", i+1, d)
		}
		return fmt.Sprintf("是要把以下%d项都标记完成吗？%s\n", len(lines), b.String()), nil
	}
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
		clear()
		return u.pickAnswer(ctx, req, ans)
	}
	switch {
	case slices.Contains(yesWords, ans):
		clear()
		if cmds := strings.Split(d.Data["cmd"], "\n"); len(cmds) > 1 {
			return u.routeAll(ctx, req, cmds)
		}
		return u.r.Route(ctx, req, d.Data["cmd"])
	case slices.Contains(noWords, ans):
		clear()
		return bot.TextReply("好的，没有做任何更改。"), nil
	}
	// not an answer: the question is dropped and the message read afresh
	clear()
	return u.r.Understood(ctx, req, bot.Normalize(req.Text))
}

// pickRef is a short answer naming one listed item: 4月那个, 大走访那项, 6月的 (not a sentence of
// its own: 一封信打算月底寄 is read afresh).
var pickRef = regexp.MustCompile(`^\S{1,8}?(那个|那项|那条|那一项|那一个|的)$`)

// allAnswers pick every item of a numbered question.
var allAnswers = []string{"两个都是", "都是", "全部", "全都是", "都", "两个都", "俩都是", "全部都是", "都完成了", "全部完成"}

// pickAnswer reads the answer to a numbered question (the candidates were saved as the user's
// list): a bare number picks ("2", "第2个吧", "1,3"), 都是 picks all, words that fit one of the
// listed items pick it (4月那个); anything else is a message of its own ("第三项的第2部分完成了").
func (u ux) pickAnswer(ctx context.Context, req *bot.Request, ans string) (bot.Reply, error) {
	bare := strings.TrimRight(ans, "吧啊呀哈嘛")
	if nums, rest, ok := bot.ParseNumbers(bare); ok && strings.TrimSpace(bot.StripCourtesy(rest)) == "" {
		return u.r.Route(ctx, req, "完成 "+joinNums(nums))
	}
	if slices.Contains(noWords, ans) || ans == "都不是" || ans == "都不对" {
		return bot.TextReply("好的，没有做任何更改。"), nil
	}
	items, err := u.items(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("pick", err)
	}
	keys, err := u.numbering(ctx, req, items)
	if err == nil && len(keys) > 0 && slices.Contains(allAnswers, bare) {
		return u.r.Route(ctx, req, fmt.Sprintf("完成 1-%d", len(keys)))
	}
	if err == nil && len(keys) > 0 && pickRef.MatchString(ans) {
		if nums, ok := u.pickEach(req, items, keys, ans); ok {
			return u.r.Route(ctx, req, "完成 "+joinNums(nums))
		}
		var listed []bot.Tracked
		for _, it := range items {
			if slices.Contains(keys, it.Key) {
				listed = append(listed, it)
			}
		}
		opts := readRestriction(ans, req.Today())
		if cands := u.match(req, listed, opts.rest, opts); len(cands) == 1 {
			return u.r.Route(ctx, req, "完成 #"+cands[0].Key)
		}
	}
	return u.r.Understood(ctx, req, bot.Normalize(req.Text))
}

// pickParts splits an answer that picks several listed items: 5月和6月的, 4月、5月那两个.
var pickParts = regexp.MustCompile(`和|、|跟|与|及|以及|还有|,|，`)

// pickTail is the end of a picking answer: 的, 那个, 那两个.
var pickTail = regexp.MustCompile(`(那个|那项|那条|那一项|那一个|那两个|那两项|两个|的)$`)

// pickEach reads an answer whose parts each fit exactly one listed item (5月和6月的) as the
// numbers of those items; any part that fits none or several picks nothing.
func (u ux) pickEach(req *bot.Request, items []bot.Tracked, keys []string, ans string) ([]int, bool) {
	parts := pickParts.Split(pickTail.ReplaceAllString(ans, ""), -1)
	if len(parts) < 2 {
		return nil, false
	}
	var listed []bot.Tracked
	for _, it := range items {
		if slices.Contains(keys, it.Key) {
			listed = append(listed, it)
		}
	}
	var nums []int
	for _, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, false
		}
		opts := readRestriction(part, req.Today())
		cands := u.match(req, listed, opts.rest, opts)
		if len(cands) != 1 {
			return nil, false
		}
		n := slices.Index(keys, cands[0].Key) + 1
		if slices.Contains(nums, n) {
			return nil, false
		}
		nums = append(nums, n)
	}
	return nums, true
}

// confirmBare answers "确认" typed with no question pending.
func (u ux) confirmBare(context.Context, *bot.Request) (bot.Reply, error) {
	return bot.TextReply("当前没有需要确认的操作，没有做任何更改。"), nil
}

// ---- 5. no change ----

func (u ux) noChange(ctx context.Context, req *bot.Request, t string, pol bot.Polarity, cue string) (bot.Understanding, bool) {
	s := bot.StripFillers(t)
	nums, numbered := sentenceNumbers(s)
	if pol == bot.PolarityQuestion && (bot.HasDoneWord(s) || strings.Contains(s, "谁")) {
		if got, ok := u.statusQuestion(ctx, req, s, nums, numbered); ok {
			return got, true
		}
	}
	if pol == bot.PolarityQuestion {
		if got, ok := u.dueQuestion(ctx, req, s); ok {
			return got, true
		}
	}
	switch pol {
	case bot.PolarityQuestion:
		return answer("这是一个问题，我没有做任何更改。发送“今天”“本周”查看事项，“进度”查看完成情况，“帮助”查看全部命令。", "question")
	case bot.PolarityReported:
		if numbered {
			return answer("这是转述，我没有做任何更改。如果确实完成了，请完成的同事发送“完成 "+joinNums(nums)+"”。", "reported")
		}
		return answer("这是转述，我没有做任何更改。如果确实完成了，请完成的同事告诉我或发送“完成 编号”。", "reported")
	case bot.PolarityNegation:
		if numbered && !containsWord(s, []string{"分配", "负责", "交给", "安排"}) {
			return answer("好的，先不标记（没有做任何更改）。完成后发送“完成 "+joinNums(nums)+"”。", "negation")
		}
		return answer("好的，没有做任何更改。", "negation")
	}
	if numbered {
		return answer("好的，等完成后再发送“完成 "+joinNums(nums)+"”（现在没有做任何更改）。", pol.String())
	}
	return answer("好的，等办完后再告诉我（现在没有做任何更改）。", pol.String())
}

// statusQuestion answers "第三项完成了吗", "一封信谁弄的": whether the item (by number, or the one
// its words name) is done and by whom; "能帮我把第三项标记完成吗" asks to confirm instead.
func (u ux) statusQuestion(ctx context.Context, req *bot.Request, s string, nums []int, numbered bool) (bot.Understanding, bool) {
	if numbered && (strings.Contains(s, "帮") || strings.Contains(s, "可以") || strings.Contains(s, "能")) && strings.Contains(s, "标记") {
		return u.confirm(ctx, req, "完成 "+joinNums(nums), "", "", "request question")
	}
	items, err := u.items(ctx, req)
	if err != nil {
		return pass()
	}
	var targets []target
	hint := "完成后请发送“完成 编号”"
	if numbered {
		if targets, _, err = u.resolve(ctx, req, items, joinNums(nums), "完成"); err != nil {
			return pass()
		}
		hint = "完成后请发送“完成 " + joinNums(nums) + "”"
	} else {
		opts := readRestriction(s, req.Today())
		cands := u.nearest(req, u.match(req, items, opts.rest, opts))
		if len(cands) > 1 && len(opts.months) == 0 {
			// 系统数据更新了吗: of a recurring item, this month's (done or not: the open ones of
			// earlier months do not hide it)
			opts.month, opts.months = int(req.Today().Month), []int{int(req.Today().Month)}
			cands = slices.DeleteFunc(u.nearest(req, u.match(req, items, opts.rest, opts)), func(c bot.Tracked) bool { return c.Due.Year != req.Today().Year })
		}
		if len(cands) != 1 {
			return pass()
		}
		targets = []target{{T: cands[0]}}
	}
	who := doneBy(targets)
	for _, tg := range targets {
		who = append(who, tg.T.Assignee)
	}
	names, _ := u.namesOf(ctx, req, who)
	asksWho := strings.Contains(s, "谁") || strings.Contains(s, "负责")
	var lines []string
	for _, tg := range targets {
		switch {
		case tg.T.DoneBy != "":
			lines = append(lines, fmt.Sprintf("%s已由%s完成。", tg.label(), cmp.Or(names[tg.T.DoneBy], tg.T.DoneBy)))
		case tg.T.Assignee != "":
			// 执行报告谁负责的: the person it is assigned to
			lines = append(lines, fmt.Sprintf("%s还没有完成，负责人：%s。", tg.label(), cmp.Or(names[tg.T.Assignee], tg.T.Assignee)))
		case asksWho:
			lines = append(lines, fmt.Sprintf("%s还没有完成，还没有分配负责人。", tg.label()))
		default:
			lines = append(lines, fmt.Sprintf("%s还没有完成。", tg.label()))
		}
	}
	return answer(strings.Join(lines, "\n")+"\n（这是一个问题，没有做任何更改；"+hint+"。）", "status question")
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
			if strings.Contains(note, "除了") || laterItemClause(note) {
				return u.sentence(ctx, req, t) // 第三项完成。第五项完成: the note names items of its own
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
		cands := u.nearest(req, openOnly(u.match(req, items, args, matchOpts{})))
		if len(cands) == 1 {
			return u.confirm(ctx, req, "完成 #"+cands[0].Key, "", "", "typed wording")
		}
		return pass()
	case "撤销":
		if rest, ok := strings.CutPrefix(args, "一下"); ok {
			return routeTo("撤销 "+strings.TrimLeft(rest, ",:;、 "), "undo sentence")
		}
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
		if a != args {
			return routeTo("记录 "+looseFigure(a), "record sentence")
		}
	}
	return pass()
}

// laterItemClause reports a note whose clauses name items and their completion: 。第五项完成.
func laterItemClause(note string) bool {
	for _, c := range splitClauses(note) {
		if _, ok := sentenceNumbers(c); ok && bot.HasDoneWord(c) && strings.ContainsAny(c, "第项号") {
			return true
		}
	}
	return false
}

func startsWithNumber(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return r >= '0' && r <= '9' || r == '第' || strings.ContainsRune("一二三四五六七八九十两", r)
}
