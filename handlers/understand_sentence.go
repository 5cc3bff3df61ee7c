package handlers

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
)

// ---- 7. sentences ----

var (
	requestLeads = []string{"麻烦帮我", "麻烦你", "麻烦", "帮我", "帮忙", "请帮我", "请", "你帮我", "给我", "我想", "我要"}
	addRe        = []string{"再新增", "再添加", "再加", "新加", "新增", "新建", "增加", "添加", "加上", "加", "建"}
	addObjects   = []string{"一个新任务", "一个任务", "一项任务", "一项工作", "一个工作", "一条任务", "个任务", "项任务", "项工作", "个事项", "一个事项", "任务", "工作", "事项", "一项", "一条"}
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
	if rest, ok := addClause(s); ok {
		return routeTo("新增 "+rest, "add sentence")
	}
	// 新增: 加一个任务，6月10号之前上报…
	for _, v := range addRe {
		if rest, ok := strings.CutPrefix(s, v); ok {
			for _, o := range addObjects {
				if r2, ok := strings.CutPrefix(rest, o); ok {
					r2 = strings.TrimLeft(r2, ",:;、 ：")
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
	// 记录 at the end: 中职国家助学金春季 1200人 240万元 记一下
	for _, l := range recordLeads {
		if rest, ok := strings.CutSuffix(s, l); ok && strings.TrimSpace(rest) != "" && !strings.HasSuffix(rest, "标") {
			return routeTo("记录 "+looseFigure(strings.TrimRight(rest, ",:;、 ")), "record sentence")
		}
	}
	// 撤销/完成 after a lead: 我想撤回第三项, 帮我撤销一下第三项
	if c, args, ok := u.r.Match(s); ok && c.Acts && s != bot.StripFillers(t) {
		if got, ok := u.typed(ctx, req, s, c, args); ok {
			return got, true
		}
		return routeTo(s, "command after a lead")
	}
	if got, ok := u.assignSentence(ctx, req, s); ok {
		return got, true
	}
	if got, ok := u.figureSentence(ctx, req, s); ok {
		return got, true
	}
	if bot.HasDoneWord(s) {
		if who := u.otherDoer(ctx, req, bot.StripCourtesy(s)); who != "" {
			// 请李老师完成第三项, 大家抓紧完成: said to or about others, not the sender's act
			return answer("没有做任何更改：这是说给"+who+"的吧。要指定负责人请发送“分配 编号 姓名”；完成的同事本人发送“完成 编号”即可。", "other doer")
		}
		return u.doneSentence(ctx, req, s)
	}
	return pass()
}

// othersWords name people other than the sender as a group.
var othersWords = []string{"大家", "各位", "你们", "同志们", "老师们"}

// titledRe is a surname and a title: 李老师, 王主任.
var titledRe = regexp.MustCompile(`\p{Han}(老师|主任|科长|校长|处长|局长|组长|书记)`)

// recipientRe is whom the work was handed to, not who did it: 写完交给王主任了, 报给李科长了.
var recipientRe = regexp.MustCompile(`(交给|报给|送给|发给|递给|转给|寄给|交到|报到|报送给|上交给)\p{Han}(老师|主任|科长|校长|处长|局长|组长|书记)`)

// otherDoer is who a completion sentence names other than the sender (a member's name, a
// surname and title, 大家); "" when none.
func (u ux) otherDoer(ctx context.Context, req *bot.Request, s string) string {
	var kept []string
	for _, c := range splitClauses(s) {
		if _, chat := bot.ChitChat(c); !chat {
			kept = append(kept, c) // 大家辛苦了，第三项完成了: the thanks name no doer
		}
	}
	s = recipientRe.ReplaceAllString(strings.Join(kept, "，"), "")
	for _, w := range othersWords {
		if strings.Contains(s, w) {
			return w
		}
	}
	own := req.Member.Name
	if ms, err := u.Store.Members(ctx, req.Team.ID); err == nil {
		for _, m := range ms {
			if m.UserID != req.UserID && m.Name != "" && strings.Contains(s, m.Name) {
				return m.Name
			}
		}
	}
	for _, m := range titledRe.FindAllString(s, -1) {
		if m != own {
			return m
		}
	}
	return ""
}

// looseFigure turns a spoken figure into a 记录 line: commas to spaces, 发了/一共 out.
func looseFigure(s string) string {
	s = thousands(s)
	s = personsWord.ReplaceAllString(s, "${1}人") // 1200名学生 -> 1200人
	r := strings.NewReplacer("惠及", " ", "受助", " ", "，", " ", ",", " ", "、", " ", "。", " ", "发放了", " ", "发了", " ", "发放", " ", "一共", " ", "总共", " ",
		"资助了", " ", "资助", " ")
	out := r.Replace(s)
	// "1,200" was a thousands separator: keep digits together
	out = strings.Join(strings.Fields(out), " ")
	return out
}

// personsWord is a count of students in other words: 1200名学生, 800名幼儿.
var personsWord = regexp.MustCompile(`([0-9])\s*名(学生|幼儿|同学|受助学生)?`)

// figureCount and figureAmount are a count of students and an amount of money in a loose figure.
var (
	figureCount  = regexp.MustCompile(`[0-9]\s*(人次|人)`)
	figureAmount = regexp.MustCompile(`[0-9]\s*(万元|万|元|[wW])`)
)

// figureSentence: a message that is clearly a figure (programme and a count or an amount)
// without 记录 is recorded after a one-tap confirmation.
func (u ux) figureSentence(ctx context.Context, req *bot.Request, s string) (bot.Understanding, bool) {
	line := looseFigure(thousands(s))
	d, err := u.cat.Parse(line, req.Today())
	if err != nil && figureCount.MatchString(line) && figureAmount.MatchString(line) {
		// 幼儿园国家助学金春季 320人 16w: a count and an amount are a figure even when the
		// catalogue refuses its programme or stage; say why, as 记录 would, rather than 没看懂
		return refuse(err, "figure sentence refused")
	}
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
	{"安排给", ""}, {"分配给", ""}, {"指派给", ""}, {"派给", ""}, {"交给", ""}, {"分给", ""}, {"转给", ""}, {"给", "负责"},
	{"让", "负责|做|跟进|跟一下|盯一下|办|弄|处理|牵头|报|寄|交|写"}, {"由", "负责|做|跟进|办|处理|牵头|主抓"}, {"请", "负责|跟进|跟一下|牵头"},
	{"安排", "做|负责|跟进|办"},
}

// titledCome is a person by title and 来/去 before the verb: 让张老师来写, 让李老师去寄.
var titledCome = regexp.MustCompile(`(老师|主任|科长|校长|处长|局长|组长|书记|姐|哥)(来|去)$`)

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
		if i < 0 || bot.HasDoneWord(s[:i]) {
			continue // 上半年总结写完交给王主任了: handed in when done, no assignment
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
		if titledCome.MatchString(who) {
			who = strings.TrimSuffix(strings.TrimSuffix(who, "来"), "去") // 让张老师来写: 张老师
		}
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
		o := readRestriction(ref, req.Today()) // 把12月的月报分给李老师: the month narrows as in 完成
		m := u.match(req, items, o.rest, o)
		cands := openOnly(m)
		if len(cands) == 0 {
			cands = m // an item already done may still be given to someone
		}
		cands = u.nearest(req, cands)
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
	p, ok := readDoneParts(req, s)
	if !ok {
		return pass()
	}
	items, err := u.items(ctx, req)
	if err != nil {
		return refuse(storeErr("done", err), "done sentence")
	}
	if nums, ok := u.positions(ctx, req, items, p.whole, p.target); ok {
		nums = slices.DeleteFunc(nums, func(n int) bool { return slices.Contains(p.except, n) })
		if len(nums) == 0 {
			return pass()
		}
		cmd := strings.TrimSpace("完成 " + joinNums(nums) + " " + p.note)
		if namesPart(p.whole, "") {
			return u.confirm(ctx, req, cmd, "这可能只是其中一部分工作。", "", "done sentence part") // 第三项的名单整理好了
		}
		return routeTo(cmd, "done sentence")
	}
	if p.exceptWords != "" {
		items = exceptNamed(u, req, items, p.exceptWords) // 除了一封信，六月的其他都做完了
	}
	if p.lead != "" {
		// 6月份的系统数据，我刚刚更新完了: the item named first, the act after
		if got, ok := u.doneByWording(ctx, req, items, p.lead+"，"+p.target, p.note); ok && got.Why != "wording none" {
			return got, true
		}
		// 那个诚信宣传月，我们这周已经开展完了: the act's time words say when it was done, not
		// which item; the topic alone names it
		if got, ok := u.doneByWording(ctx, req, items, p.lead, p.note); ok && got.Why != "wording none" {
			return got, true
		}
	}
	return u.doneByWording(ctx, req, items, p.target, p.note)
}

// doneParts are the parts of a sentence stating a completion: the clause naming the items, the
// numbers excepted (除了4), the note (the clauses after, as typed) and the whole sentence.
type doneParts struct {
	target, note, whole string
	lead                string // the clauses before the target naming what was done: 资格认定的工作，我们…上报了
	except              []int
	exceptWords         string // 除了一封信: the item excepted by its wording
}

func readDoneParts(req *bot.Request, s string) (doneParts, bool) {
	var p doneParts
	clauses := splitClauses(s)
	for i, c := range clauses {
		if rest, ok := strings.CutPrefix(c, "除了"); ok && !othersRe.MatchString(rest) {
			if ns, ok := sentenceNumbers(rest); ok {
				p.except = ns
				clauses = slices.Delete(slices.Clone(clauses), i, i+1)
				break
			}
			if i+1 < len(clauses) && othersRe.MatchString(clauses[i+1]) && contentOf(rest) != "" {
				p.exceptWords = rest
				clauses = slices.Delete(slices.Clone(clauses), i, i+1)
				break
			}
		}
	}
	// the target clause: the first one naming something; a clause before it that is only an echo
	// of the verb is fine ("已经完成了，第三项")
	// a clause naming an item (number or done word) is the target before one that only sets the
	// scene: 刚才开会去了。第三项下午已经寄出去了
	first := slices.IndexFunc(clauses, func(c string) bool {
		_, numbered := sentenceNumbers(c)
		return !bot.IsCourtesy(c) && !isEcho(c) && (numbered || bot.HasDoneWord(c))
	})
	target, note := -1, []string{}
	for i, c := range clauses {
		if bot.IsCourtesy(c) || isEcho(c) {
			continue
		}
		if first > 0 && i < first {
			if isTopic(c) {
				p.lead = strings.TrimPrefix(p.lead+"，"+c, "，")
			}
			continue
		}
		if target < 0 {
			target = i
			continue
		}
		note = append(note, c)
	}
	if target < 0 {
		return p, false
	}
	p.target = clauses[target]
	// a clause that only names a period belongs to the target it restricts: 上报通报表，六月的，报完了
	note = slices.DeleteFunc(note, func(c string) bool {
		if isPeriodOnly(c, req.Today()) {
			p.target += "，" + c
			return true
		}
		return false
	})
	// a clause after the target that also names an item is part of the target: 第1项、第2项都
	for len(note) > 0 {
		if _, ok := sentenceNumbers(note[0]); !ok || !bot.HasDoneWord(note[0]) {
			break
		}
		p.target += "，" + note[0]
		note = note[1:]
	}
	note = slices.DeleteFunc(note, isDatedEcho)
	if p.note = strings.Join(note, "，"); p.note != "" {
		p.note = bot.RawSuffix(req.Text, p.note)
	}
	p.whole = strings.Join(clauses, "，")
	return p, true
}

// isTopic reports whether a clause before the act only names what the act was about: a noun
// phrase (资格认定的工作, 6月份的系统数据, 五月份那个资金发放), with no verb of a scene of its own
// (刚才开会去了) and no person doing it (我们).
func isTopic(c string) bool {
	if bot.HasDoneWord(c) || containsWord(c, []string{"我", "你", "他", "她", "们", "去", "来", "在", "了", "过", "吗", "呢", "吧"}) {
		return false
	}
	return contentOf(c) != ""
}

// exceptNamed leaves out of items the one open item the words name; when they name none or
// several, nothing is left out (the list asked next shows them all).
func exceptNamed(u ux, req *bot.Request, items []bot.Tracked, words string) []bot.Tracked {
	o := readRestriction(words, req.Today())
	open := u.nearest(req, openOnly(u.match(req, items, o.rest, o)))
	if len(open) != 1 {
		return items
	}
	return slices.DeleteFunc(slices.Clone(items), func(it bot.Tracked) bool { return it.Key == open[0].Key })
}

// partJoiners join the names of several items in one sentence: 大走访和一封信都弄完了.
var partJoiners = []string{"和", "跟", "与", "以及", "还有", "、"}

// byParts reads a completion naming two or three items joined by 和/、: each part must name
// exactly one open item on its own (restricted like the whole), all different; otherwise the
// sentence is read as one wording.
func (u ux) byParts(req *bot.Request, items []bot.Tracked, tc, noteText string) ([]string, bool) {
	parts := []string{tc}
	for _, j := range partJoiners {
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, j)...)
		}
		parts = next
	}
	if len(parts) < 2 || len(parts) > 3 {
		return nil, false
	}
	whole := readRestriction(tc, req.Today())
	var cmds []string
	seen := map[string]bool{}
	for _, p := range parts {
		o := readRestriction(p, req.Today())
		if o.month == 0 && len(o.months) == 0 {
			o.month, o.months = whole.month, whole.months
		}
		if contentOf(o.rest) == "" {
			return nil, false
		}
		open := u.nearest(req, openOnly(u.match(req, items, o.rest, o)))
		if len(open) != 1 || seen[open[0].Key] {
			return nil, false
		}
		seen[open[0].Key] = true
		cmds = append(cmds, strings.TrimSpace("完成 #"+open[0].Key+" "+noteText))
	}
	return cmds, true
}

// isPeriodOnly reports whether a clause says only which period (六月的, 5月份那个, 这个月的):
// dictated, the period often comes in a clause of its own.
func isPeriodOnly(c string, today bot.Date) bool {
	o := readRestriction(c, today)
	if !o.any() {
		return false
	}
	rest := o.rest
	for _, w := range []string{"那个", "那些", "那项", "的", " "} {
		rest = strings.ReplaceAll(rest, w, "")
	}
	return rest == ""
}

// doneByWording completes the open item the words of tc name, restricted by its period or due
// day; several named by a restriction with 都 are all done; several fitting otherwise are asked.
func (u ux) doneByWording(ctx context.Context, req *bot.Request, items []bot.Tracked, tc, noteText string) (bot.Understanding, bool) {
	if cmds, ok := u.byParts(req, items, tc, noteText); ok {
		rep, err := u.routeAll(ctx, req, cmds) // 大走访和一封信都弄完了: each named on its own
		return bot.Understanding{Reply: rep, Err: err, Why: "wording parts"}, true
	}
	opts := readRestriction(tc, req.Today())
	cands := u.match(req, items, opts.rest, opts)
	// "逾期的两个都处理完了": all the items a restriction names (not "资金都发放完了")
	plural := opts.any() && containsWord(tc, []string{"都", "两个", "两项", "全部", "所有"})
	open := openOnly(cands)
	if !plural {
		all := open
		if open = u.nearest(req, open); len(open) == 1 && len(all) > 1 && lacksDistinctive(items, opts.rest, open[0], all) {
			open = all // 生源地贷款受理: this month's 预申请 lacks 受理, which the others have: ask
		}
		if len(open) == 1 {
			open = append(open, u.nearerFits(req, items, opts, open[0])...)
		}
	}
	var alsoDone []string // other items the note says are done
	if len(open) == 1 {
		alsoDone = u.doneInNote(req, items, noteText, open[0])
	}
	switch {
	case len(cands) == 0:
		if opts.any() || strings.TrimSpace(contentOf(opts.rest)) != "" {
			return answer("没有找到和“"+clipText(tc, 14)+"”对应的未完成事项，没有做任何更改。发送“本月”查看编号，再发送“完成 编号”。", "wording none")
		}
		return pass()
	case len(open) == 0:
		return routeTo("完成 #"+cands[0].Key, "wording done already")
	case len(open) != 2 && containsWord(tc, []string{"两个", "两项", "俩", "两件"}):
		// 今天到期的两个都完成了, and one is due today: the words and the items disagree
		return answer(fmt.Sprintf("符合“%s”的未完成事项有%d项，不是两项，没有做任何更改。请用编号，例如“完成 3”。", clipText(tc, 12), len(open)), "wording count")
	case len(open) == 1 && len(alsoDone) > 0:
		// 一封信寄完了，诚信宣传月也搞完了: the note states another item's completion
		cmds := []string{"完成 #" + open[0].Key}
		for _, k := range alsoDone {
			cmds = append(cmds, "完成 #"+k)
		}
		rep, err := u.routeAll(ctx, req, cmds)
		return bot.Understanding{Reply: rep, Err: err, Why: "wording and note items"}, true
	case len(open) == 1 && namesPart(tc, open[0].Title):
		// 一封信的地址已经核对好了: a part of the item is done, maybe not the item
		return u.confirm(ctx, req, strings.TrimSpace("完成 #"+open[0].Key+" "+noteText), "这可能只是其中一部分工作。", "", "wording part")
	case len(open) == 1 && !opts.any() && u.longOverdue(req, open[0]) && titleCoverage(open[0].Title, opts.rest) < 1.0/3:
		// 年度总结写完了 in December: February's 上年度总结 is the only fit, but a few words of a
		// long title months overdue are as likely this year's work the plan does not list: ask
		return u.confirm(ctx, req, strings.TrimSpace("完成 #"+open[0].Key+" "+noteText), "", "", "wording long overdue")
	case len(open) == 1:
		return routeTo(strings.TrimSpace("完成 #"+open[0].Key+" "+noteText), "wording")
	case plural && (!strings.Contains(tc, "两") || len(open) == 2):
		// several items at once, one 完成 #key each (the user's numbering stays as shown)
		cmds := make([]string, len(open))
		for i, c := range open {
			cmds[i] = strings.TrimSpace("完成 #" + c.Key + " " + noteText)
		}
		if len(open) > 3 {
			return u.confirm(ctx, req, strings.Join(cmds, "\n"), fmt.Sprintf("符合的有%d项。", len(open)), "", "wording plural many")
		}
		rep, err := u.routeAll(ctx, req, cmds)
		return bot.Understanding{Reply: rep, Err: err, Why: "wording plural"}, true
	}
	return u.askWhich(ctx, req, open, tc, noteText)
}

// longOverdueDays is how long past its deadline an item is no longer taken by its wording alone.
const longOverdueDays = 90

// longOverdue reports an open item more than a quarter past its effective deadline.
func (u ux) longOverdue(req *bot.Request, it bot.Tracked) bool {
	return it.DoneBy == "" && u.effective(it.Due).DaysUntil(req.Today()) > longOverdueDays
}

// titleCoverage is the share of the title's content runes the words of text name: each bigram
// of text (and each synonym's title word) found in the title covers its first occurrence.
func titleCoverage(title, text string) float64 {
	rs := []rune(title)
	covered := make([]bool, len(rs))
	mark := func(w string) {
		if i := strings.Index(title, w); i >= 0 {
			start := utf8.RuneCountInString(title[:i])
			for j := start; j < start+utf8.RuneCountInString(w) && j < len(rs); j++ {
				covered[j] = true
			}
		}
	}
	for _, bg := range contentBigrams(mannerWords.Replace(text)) {
		mark(bg)
	}
	for k, v := range synonyms {
		if strings.Contains(text, k) {
			for _, w := range strings.Fields(v) {
				mark(w)
			}
		}
	}
	n, total := 0, 0
	for i, r := range rs {
		if contentOf(string(r)) == "" {
			continue
		}
		total++
		if covered[i] {
			n++
		}
	}
	if total == 0 {
		return 1
	}
	return float64(n) / float64(total)
}

// askWhich lists the items that fit, numbered, and asks which (the 确认 dialog takes the number).
func (u ux) askWhich(ctx context.Context, req *bot.Request, open []bot.Tracked, tc, noteText string) (bot.Understanding, bool) {
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
		return routeTo(strings.TrimSpace("完成 #"+open[0].Key+" "+noteText), "wording")
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
		"请回复编号（例如“1”，几项一起写“1,3”），发送“取消”退出。")
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
var echoWords = []string{"我们这边", "我们", "咱们", "你帮我", "你", "帮我", "麻烦", "请", "帮忙", "标记为", "标记成", "标记", "标一下", "勾掉", "勾一下", "一下", "已经", "已", "都", "也",
	"我", "这边", "了", "啦", "吧", "的", "就", "完成", "做完", "弄完", "搞完", "办完", "弄好", "做好", "搞定", "处理完", "报了", "报完", "报上去", "交了",
	"ok", "好", "嗯", "哈"}

// echoEnds are the resultative endings of a verb that only repeats the act: 部署下去了, 寄出去了.
var echoEnds = []string{"下去", "出去", "上去", "出来", "去", "来"}

// echoVerbs are the act verbs a clause may repeat: 我们已经开展完了.
var echoVerbs = []string{"开展", "部署", "寄送", "寄", "上报", "报送", "报", "交", "发放", "发", "更新", "处理", "落实", "准备", "写", "做", "弄", "办", "搞"}

// timeEcho are times a note clause may add to the act without saying more: 今天上午已寄出.
var timeEcho = strings.NewReplacer("今天", "", "昨天", "", "前天", "", "上午", "", "下午", "", "刚才", "", "刚刚", "", "早上", "", "中午", "", "晚上", "")

// isDatedEcho is isEcho for a note clause: its date and time words out first (6月9日已完成).
func isDatedEcho(c string) bool {
	return echoOf(timeEcho.Replace(strings.TrimSpace(stripPeriods(c))), echoVerbs)
}

func isEcho(c string) bool { return echoOf(c, nil) }

// echoOf reports whether c is made only of echo words, done words, resultative endings and the
// extra words.
func echoOf(c string, extra []string) bool {
	t := strings.TrimSpace(strings.ToLower(c))
	for {
		cut := false
		for _, ws := range [][]string{echoWords, bot.DoneWords, echoEnds, extra} {
			for _, w := range ws {
				if rest, ok := strings.CutPrefix(t, w); ok {
					t, cut = rest, true
					break
				}
			}
			if cut {
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
	s = countAfterList.ReplaceAllString(s, "${1} ") // "3、5两项都完成了": the count of the list
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !(r >= '0' && r <= '9' || r == '第' || strings.ContainsRune("一二三四五六七八九十两", r)) {
			continue
		}
		if i > 0 && (rs[i-1] >= '0' && rs[i-1] <= '9' || isASCIILetter(rs[i-1])) {
			continue // A1, 0001: not an item number
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
			if j < len(rs) && strings.ContainsRune("到至~-", rs[j]) {
				// a range of Chinese numerals: 三到五项
				k := j + 1
				for k < len(rs) && strings.ContainsRune("一二三四五六七八九十", rs[k]) {
					k++
				}
				if k > j+1 && k < len(rs) && strings.ContainsRune("项个号条", rs[k]) {
					j = k
				}
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
		marked := strings.HasPrefix(string(rs[i:]), "第") || strings.ContainsAny(string(rs[i:len(rs)-utf8.RuneCountInString(rest)]), "项号个条")
		if rr, _ := utf8.DecodeRuneInString(rest); !marked && isASCIILetter(rr) && strings.HasPrefix(string(rs[i:]), strings.TrimSpace(string(rs[i:len(rs)-utf8.RuneCountInString(rest)]))) && !strings.HasPrefix(rest, " ") {
			continue // 1A: not an item number
		}
		// a count with a unit is not an item: 1200人, 300万, 5天, 3点, 5所学校, 200多份
		if rr, _ := utf8.DecodeRuneInString(rest); strings.ContainsRune("人万元天份月年次%点所封名位家本张篇场批岁多余", rr) && !strings.HasPrefix(string(rs[i:]), "第") {
			continue
		}
		if isCount(string(rs[:i]), string(rs[i:len(rs)-utf8.RuneCountInString(rest)]), rest) {
			continue
		}
		for r0, _ := utf8.DecodeRuneInString(rest); r0 == '第' || r0 >= '0' && r0 <= '9'; r0, _ = utf8.DecodeRuneInString(rest) {
			// 第一项第二项, 4号5号: one more item right after
			more, r2, ok := bot.ParseNumbers(rest)
			if r1, _ := utf8.DecodeRuneInString(r2); !ok || strings.ContainsRune("人万元天份月年次%", r1) {
				break
			}
			nums, rest = append(nums, more...), r2
		}
		return nums, true
	}
	return nil, false
}

// isCount reports a number of items rather than an item: 完成了3项, 一共8项, 还有3项, 3个学校. before
// is the text before the number, num the number with its marker as read, rest what follows.
func isCount(before, num, rest string) bool {
	if strings.HasPrefix(num, "第") {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(num))
	if !strings.ContainsRune("项个条件", last) {
		return false
	}
	b := strings.TrimSpace(before)
	for _, w := range []string{"了", "共", "有", "剩", "剩下", "完成", "做", "做完", "弄完", "只", "就", "才", "总共", "一共"} {
		if strings.HasSuffix(b, w) {
			return true
		}
	}
	// 3个学校: a count of things
	r, _ := utf8.DecodeRuneInString(rest)
	return last == '个' && unicode.Is(unicode.Han, r) && !strings.ContainsRune("都也已完和及与跟还又是就我已、，", r)
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

var (
	// othersRe ends the exception of "除了第七项其他都完成了"
	othersRe = regexp.MustCompile(`(之外|以外)?[，,]?(其他|其余|其它|别的|剩下)`)
	// allRe names every item of the list just shown: 清单上的全都, 以上几项都, 这几项全部
	allRe = regexp.MustCompile(`(清单|列表|上面|以上|这几[项个条]|这些|所有的?(事项|任务)|全部(事项|任务))[上里中]?(的|几[项个条])?(事项|任务)?(全都|全部|都|全)`)
	// lastNRe is "最后两项", "最后3个"
	lastNRe = regexp.MustCompile(`最后([两二三四五六七八九十0-9]+)[项个条]`)
)

var countAfterList = regexp.MustCompile(`([0-9])[两二三四五六七八九十]+[项个条]`)

// dayOfMonth is a day, not an item: 20号前, 这个月20号, 本月25日之前, 12号到期.
var dayOfMonth = regexp.MustCompile(`(这个月|本月|当月|下个月|下月|上个月|上月|每月)[0-9]{1,2}[号日]|[0-9]{1,2}[号日](之前|以前|前|以后|后|到期|截止)`)

// stripPeriods blanks months and dates (6月, 4月份的, 6月10号) so their digits are not items.
func stripPeriods(s string) string {
	s = dayOfMonth.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", utf8.RuneCountInString(m)) })
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
	if nums, ok, found := u.listPositions(ctx, req, items, whole, low); found {
		return nums, ok
	}
	switch {
	case strings.Contains(low, "最后一"):
		keys, err := u.numbering(ctx, req, items)
		if err != nil || len(keys) == 0 {
			return nil, false
		}
		nums = []int{len(keys)}
	case strings.Contains(low, "前"):
		i := strings.Index(low, "前")
		rest := strings.TrimPrefix(low[i+len("前"):], "面") // 前面三个
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
		// every clause of the target names its own: 第三项完成，第五项完成
		for _, part := range strings.Split(tc, "，") {
			if ns, ok := sentenceNumbers(part); ok {
				for _, n := range ns {
					if !slices.Contains(nums, n) {
						nums = append(nums, n)
					}
				}
			}
		}
		if nums == nil {
			return nil, false
		}
	}
	if len(except) > 0 {
		nums = slices.DeleteFunc(nums, func(n int) bool { return slices.Contains(except, n) })
		if len(nums) == 0 {
			return nil, false
		}
	}
	return nums, true
}

// listPositions reads the positions named against the whole list: 除了第七项其他 (all but those),
// 清单上的全都 (all), 最后两项 (the last n). found is false when the sentence names none of them.
func (u ux) listPositions(ctx context.Context, req *bot.Request, items []bot.Tracked, whole, low string) (nums []int, ok, found bool) {
	keys, err := u.numbering(ctx, req, items)
	if err != nil || len(keys) == 0 {
		return nil, false, false
	}
	all := make([]int, len(keys))
	for i := range keys {
		all[i] = i + 1
	}
	if i := strings.Index(whole, "除了"); i >= 0 {
		if loc := othersRe.FindStringIndex(whole[i:]); loc != nil {
			if ns, ok := sentenceNumbers(whole[i+len("除了") : i+loc[0]]); ok {
				nums = slices.DeleteFunc(all, func(n int) bool { return slices.Contains(ns, n) })
				return nums, len(nums) > 0, true
			}
		}
	}
	if allRe.MatchString(whole) {
		return all, true, true
	}
	if m := lastNRe.FindStringSubmatch(low); m != nil {
		n, ok := bot.ChineseNumber(m[1])
		if !ok || n < 1 || n > len(keys) {
			return nil, false, true
		}
		return all[len(keys)-n:], true, true
	}
	return nil, false, false
}

// matchOpts restricts the wording match: a month, a due day, overdue.
type matchOpts struct {
	rest     string
	month    int   // 1-12: the first month named
	months   []int // every month named (1月份和2月份的)
	due      bot.Date
	overdue  bool
	thisWeek bool
	nextWeek bool // 下周到期的: due Monday to Sunday of next week
}

func (o matchOpts) any() bool {
	return o.month > 0 || !o.due.IsZero() || o.overdue || o.thisWeek || o.nextWeek
}

// narrow reports a restriction that names few items by itself: a due day, overdue, this week.
func (o matchOpts) narrow() bool { return !o.due.IsZero() || o.overdue || o.thisWeek || o.nextWeek }

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
	case cut("今天要做的", "今天的"):
		o.due = today
	case cut("月底到期的", "月底截止的", "月底要交的", "月底到期", "月底截止"):
		o.due = bot.NewDate(today.Year, today.Month, 1).LastOfMonth() // 月底到期的两个: as written (31日), moved or not
	}
	if cut("逾期的", "过期的", "超期的", "逾期", "过期", "超期") {
		o.overdue = true
	}
	if cut("这个月的", "本月的", "这个月", "本月", "当月的", "当月") {
		o.month = int(today.Month)
	}
	if cut("上个月的", "上月的", "上个月", "上月") {
		o.month = int(today.Month) - 1
		if o.month == 0 {
			o.month = 12
		}
	}
	if d, rest, ok := dueDayRef(o.rest, today); ok && o.due.IsZero() {
		o.due, o.rest = d, rest
	}
	if cut("本周要交的", "这周要交的", "本周到期的", "这周到期的", "本周的", "这周的", "这星期的", "本周", "这周") {
		o.thisWeek = true
	} else if cut("下周要交的", "下周到期的", "下周截止的", "下星期到期的", "下周到期", "下周截止") {
		o.nextWeek = true
	}
	o.months, o.rest = monthsOf(o.rest)
	if len(o.months) > 0 && o.month == 0 {
		o.month = o.months[0]
	}
	if o.month > 0 && !slices.Contains(o.months, o.month) {
		o.months = append(o.months, o.month)
	}
	return o
}

// monthsOf cuts every "N月", "N月份的" out of s: "1月份和2月份的系统数据" -> [1 2], "和 系统数据".
func monthsOf(s string) ([]int, string) {
	var months []int
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		j := i
		for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || strings.ContainsRune("一二三四五六七八九十", rs[j])) {
			j++
		}
		if j == i || j >= len(rs) || rs[j] != '月' || i > 0 && rs[i-1] == '第' {
			continue
		}
		n, ok := bot.ChineseNumber(string(rs[i:j]))
		if !ok || n < 1 || n > 12 {
			continue
		}
		months = append(months, n)
		k := j + 1
		if k < len(rs) && rs[k] == '份' {
			k++
		}
		if k < len(rs) && rs[k] == '的' {
			k++
		}
		rs = append(append(rs[:i:i], ' '), rs[k:]...)
	}
	return months, string(rs)
}

// dueDayRe is a due day named by a weekday or a day of the month: 这周五到期的, 下周一要交的,
// 12号截止的.
var dueDayRe = regexp.MustCompile(`(这|本|下)?(周|星期|礼拜)([一二三四五六日天])(到期|截止|要交|要报)的?|([0-9]{1,2})(号|日)(到期|截止|要交|要报)的?`)

// dueDayRef reads a due day named by a weekday (this week's unless 下) or a day of this month.
func dueDayRef(s string, today bot.Date) (bot.Date, string, bool) {
	m := dueDayRe.FindStringSubmatchIndex(s)
	if m == nil {
		return bot.Date{}, s, false
	}
	rest := s[:m[0]] + " " + s[m[1]:]
	if m[6] >= 0 {
		wd := strings.Index("一二三四五六日天", s[m[6]:m[7]]) / len("一")
		if wd == 7 {
			wd = 6 // 天 is 日
		}
		monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
		d := monday.AddDays(wd)
		if m[2] >= 0 && s[m[2]:m[3]] == "下" {
			d = d.AddDays(7)
		}
		return d, rest, true
	}
	n, err := strconv.Atoi(s[m[10]:m[11]])
	if err != nil || n < 1 || n > 31 {
		return bot.Date{}, s, false
	}
	return bot.NewDate(today.Year, today.Month, n), rest, true
}

// functionRunes carry no wording of an item: particles, pronouns, aspect and the act verbs' endings.
const functionRunes = "了的那个这我把都已经也一下帮标记吧啊呀哈完好成掉勾请麻烦就是嗯边两过去出给啦和及还又再在们你他她它今天时候刚才么呢哦噢嘛事情东西些"

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
// The keys are what staff say; the values, words of the titles in the sample plan
// (/work/shared/plans): 月报 is the monthly 月点评季通报表, 系统数据 the 信息系统数据 kept up to date.
var synonyms = map[string]string{
	"月报":   "月点评 季通报 通报表",
	"报表":   "通报表 相关报表",
	"系统数据": "资助系统数据 信息系统数据 更新维护",
	"数据更新": "更新维护 系统数据",
	"资金发放": "资金发放 发放资金 资助资金",
	"发钱":   "资金发放 资助资金",
	"贷款":   "助学贷款 生源地贷款",
	"走访":   "大走访 家访",
	"家访":   "大走访 家庭大走访",
	"一封信":  "一封信 寄送",
	"认定":   "资格认定 比对认定",
	"政策宣传": "资助政策宣传 两节课",
	"巡视":   "月巡视",
	"免学费":  "免学费 免学杂费",
	"迎检":   "迎检 考核",
	"省考核":  "迎接省考核 考核评比",
	"奖学金":  "国家奖学金 评审",
	"新生资助": "新生入学资助",
	"执行报告": "资助执行报告 统计数据报送",
	"实施办法": "资助实施办法",
	"诚信":   "诚信宣传月",
}

// bigramWeights: a bigram weighs less the more titles share it (资助, 工作 are everywhere; 上半,
// 暑期 name one).
func bigramWeights(items []bot.Tracked, bgs []string) []float64 {
	weight := make([]float64, len(bgs))
	for i, bg := range bgs {
		titles := map[string]bool{}
		for _, it := range items {
			if !it.BeforeTracking && strings.Contains(it.Title, bg) {
				titles[it.Title] = true
			}
		}
		if len(titles) > 0 {
			weight[i] = 1 / float64(len(titles))
		}
	}
	return weight
}

// runeWeight is what the rarer rune of a bigram says on its own (1 over the titles holding it): a
// bigram across two common words (年工 of 上半年工作总结, spanning 半年 and 工作) is rare only
// because one title happens to hold it (撰写上年度…年工作计划), not because it names that item.
func runeWeight(items []bot.Tracked, bg string) float64 {
	best := 0.0
	for _, r := range bg {
		titles := map[string]bool{}
		for _, it := range items {
			if !it.BeforeTracking && strings.ContainsRune(it.Title, r) {
				titles[it.Title] = true
			}
		}
		if len(titles) > 0 {
			best = max(best, 1/float64(len(titles)))
		}
	}
	return best
}

// synonymHit is an office abbreviation found in a message: the title words it stands for and
// what a title holding one of them scores (less than the words typed: 月报 typed matches an item
// called …月报 before the 月点评季通报表 it usually means).
type synonymHit struct {
	key    string
	words  []string
	weight float64
}

const synonymWeight = 0.6

func synonymHits(items []bot.Tracked, text string) []synonymHit {
	var out []synonymHit
	for k, v := range synonyms {
		if !strings.Contains(text, k) {
			continue
		}
		sh := synonymHit{key: k, words: strings.Fields(v)}
		titles := map[string]bool{}
		for _, it := range items {
			if !it.BeforeTracking && containsWord(it.Title, sh.words) {
				titles[it.Title] = true
			}
		}
		if len(titles) > 0 {
			sh.weight = synonymWeight / float64(len(titles))
			out = append(out, sh)
		}
	}
	return out
}

// match scores the items against the words of text (Chinese bigram overlap, with synonyms),
// restricted by the options, and returns the best-scoring ones (ties), open items first. An item
// matching only by a restriction (今天到期的那个) scores when the text has no words of its own.
func (u ux) match(req *bot.Request, items []bot.Tracked, text string, o matchOpts) []bot.Tracked {
	sc := newScorer(items, text)
	var best, scored []bot.Tracked
	var scores []float64
	bestScore := 0.0
	for _, it := range items {
		if it.BeforeTracking || !u.within(req, it, o) {
			continue
		}
		score := sc.score(it)
		if len(sc.bgs) == 0 {
			if !o.any() {
				continue
			}
			score = 1
		}
		if score == 0 {
			continue
		}
		if it.DoneBy != "" {
			score *= 0.999 // open items first
		}
		scored, scores = append(scored, it), append(scores, score)
		switch {
		case score > bestScore+1e-9:
			best, bestScore = []bot.Tracked{it}, score
		case score > bestScore-1e-9:
			best = append(best, it)
		}
	}
	if len(best) == 0 && o.narrow() && len(sc.bgs) > 0 {
		// the words name nothing ("逾期的那个已经处理了"): the restriction alone, when it is a due
		// day or overdue (a month alone names too many items to pick from)
		return u.match(req, items, "", o)
	}
	if len(best) == 0 {
		return nil
	}
	// not clearly best: every item within 70% of the best score is a candidate too
	var close []bot.Tracked
	today := req.Today()
	end := today.AddDays(-today.Day + 1).LastOfMonth()
	for i, it := range scored {
		floor := 0.7
		if !u.effective(it.Due).After(end) && u.effective(best[0].Due).After(end) {
			floor = 0.5 // this month's item against a later month's: closer than the words say
		}
		if scores[i] >= floor*bestScore && (it.DoneBy == "" || best[0].DoneBy != "") {
			close = append(close, it)
		}
	}
	return onlyRareHolder(items, sc, close)
}

// onlyRareHolder keeps, of several fitting items, the one holding a rare word of the message (a
// bigram of one title whose runes are rare too: 上半 of 上半年工作总结) when none of the
// others holds any and it lacks no word all the others share (a bigram across two words, 年工 or
// 作总 of 工作总结, is no word: its runes are far commoner than it); otherwise all are kept.
func onlyRareHolder(items []bot.Tracked, sc scorer, cands []bot.Tracked) []bot.Tracked {
	if len(cands) < 2 {
		return cands
	}
	var rare []string
	for i, bg := range sc.bgs {
		if sc.weight[i] == 1 && runeWeight(items, bg) >= 0.5 {
			rare = append(rare, bg)
		}
	}
	holds := func(c bot.Tracked) bool {
		// 大走访的名单整理好了: 名单 is rare, but the others share 走访, which 名单's title lacks
		for i, bg := range sc.bgs {
			if 2*runeWeight(items, bg) >= sc.weight[i] && !strings.Contains(c.Title, bg) &&
				!slices.ContainsFunc(cands, func(o bot.Tracked) bool { return o.Key != c.Key && !strings.Contains(o.Title, bg) }) {
				return false
			}
		}
		for _, bg := range rare {
			if !strings.Contains(c.Title, bg) {
				continue
			}
			// 课宣 of 两节课宣传 against 宣传两节课: the same words in another order name neither
			if !slices.ContainsFunc(cands, func(o bot.Tracked) bool {
				return o.Key != c.Key && !strings.ContainsFunc(bg, func(r rune) bool { return !strings.ContainsRune(o.Title, r) })
			}) {
				return true
			}
		}
		return false
	}
	var holders []bot.Tracked
	for _, c := range cands {
		if holds(c) {
			holders = append(holders, c)
		}
	}
	if len(holders) == 1 {
		return holders
	}
	return cands
}

// within reports whether an item passes the restriction: its month, its due day, overdue.
func (u ux) within(req *bot.Request, it bot.Tracked, o matchOpts) bool {
	eff := u.effective(it.Due)
	switch {
	case len(o.months) > 0 && !slices.Contains(o.months, int(it.Due.Month)):
		return false
	case !o.due.IsZero() && eff != o.due && it.Due != o.due:
		return false
	case o.overdue && !(eff.Before(req.Today()) && it.DoneBy == ""):
		return false
	case o.thisWeek || o.nextWeek:
		monday := req.Today().AddDays(-((int(req.Today().Weekday()) + 6) % 7))
		if o.nextWeek {
			monday = monday.AddDays(7)
		}
		return !eff.Before(monday) && !eff.After(monday.AddDays(6))
	}
	return true
}

// scorer scores titles against the words of a message.
type scorer struct {
	bgs       []string
	weight    []float64
	keyBigram []bool // the bigram is part of an abbreviation found (synonyms)
	syns      []synonymHit
}

// mannerWords say how or when the work was done (十月份的月巡视提前开展了), not which item: their
// bigrams would match a title that happens to hold them (提前做好迎接省考核准备工作).
var mannerWords = strings.NewReplacer("提前", " ", "按时", " ", "及时", " ", "顺利", " ", "终于", " ", "总算", " ", "已按要求", " ", "按要求", " ")

func newScorer(items []bot.Tracked, text string) scorer {
	text = mannerWords.Replace(text)
	sc := scorer{bgs: contentBigrams(text), syns: synonymHits(items, text)}
	sc.weight = bigramWeights(items, sc.bgs)
	sc.keyBigram = make([]bool, len(sc.bgs))
	for i, bg := range sc.bgs {
		for _, sh := range sc.syns {
			sc.keyBigram[i] = sc.keyBigram[i] || strings.Contains(sh.key, bg)
		}
	}
	return sc
}

// nearerFits are the open items due by the end of this month that fit the words well too (at
// least 40% of chosen's score, no distinctive word of chosen missing: 暑期大走访 stays July's), when
// chosen is due in a later month: 两节课宣传搞完了 in June is asked between June's and September's.
func (u ux) nearerFits(req *bot.Request, items []bot.Tracked, o matchOpts, chosen bot.Tracked) []bot.Tracked {
	end := bot.NewDate(req.Today().Year, req.Today().Month, 1).LastOfMonth()
	if !u.effective(chosen.Due).After(end) || len(o.months) > 0 {
		return nil
	}
	sc := newScorer(items, o.rest)
	top := sc.score(chosen)
	var out []bot.Tracked
	for _, it := range items {
		if it.Key != chosen.Key && it.DoneBy == "" && !it.BeforeTracking && !u.effective(it.Due).After(end) &&
			u.within(req, it, o) && top > 0 && sc.score(it) >= 0.4*top && !lacksDistinctive(items, o.rest, it, []bot.Tracked{chosen}) {
			out = append(out, it)
		}
	}
	return out
}

// lacksDistinctive reports whether chosen misses a distinctive word of text (a bigram of at most
// two titles) that another candidate has.
func lacksDistinctive(items []bot.Tracked, text string, chosen bot.Tracked, cands []bot.Tracked) bool {
	sc := newScorer(items, text)
	for i, bg := range sc.bgs {
		if sc.weight[i] < 0.5 || strings.Contains(chosen.Title, bg) || !strings.ContainsFunc(bg, func(r rune) bool { return !strings.ContainsRune(chosen.Title, r) }) {
			continue // 课宣 of 两节课宣传 against 宣传两节课: the same words in another order
		}
		if slices.ContainsFunc(cands, func(c bot.Tracked) bool { return strings.Contains(c.Title, bg) }) {
			return true
		}
	}
	return false
}

func (sc scorer) score(it bot.Tracked) float64 {
	score := 0.0
	for i, bg := range sc.bgs {
		if !strings.Contains(it.Title, bg) {
			continue
		}
		if sc.keyBigram[i] {
			// an abbreviation found as one task of a list (…、异动、月报工作) says less
			score += sc.weight[i] / float64(1+strings.Count(it.Title, "、"))
		} else {
			score += sc.weight[i]
		}
	}
	for _, sh := range sc.syns {
		if containsWord(it.Title, sh.words) {
			score += sh.weight
		}
	}
	return score
}

// openOnly drops the items already done.
func openOnly(items []bot.Tracked) []bot.Tracked {
	var out []bot.Tracked
	for _, it := range items {
		if it.DoneBy == "" {
			out = append(out, it)
		}
	}
	return out
}

// nearest keeps, of several equally fitting items, the one due by the end of this month when
// the others are due in later months (the same recurring item, or this month's 大走访 and July's):
// an item of a later month is rarely the one just done. Otherwise all are kept.
func (u ux) nearest(req *bot.Request, cands []bot.Tracked) []bot.Tracked {
	if len(cands) < 2 {
		return cands
	}
	end := bot.NewDate(req.Today().Year, req.Today().Month, 1).LastOfMonth()
	var near []bot.Tracked
	for _, c := range cands {
		if !u.effective(c.Due).After(end) {
			near = append(near, c)
		}
	}
	if len(near) == 1 {
		return near
	}
	return cands
}

// addClause reads "下周三之前要报送资助数据，帮我加个任务": the request to add is a clause of its
// own (first or last) and the other clauses are the date and the task.
func addClause(s string) (string, bool) {
	clauses := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",，。;；", r) })
	if len(clauses) < 2 {
		return "", false
	}
	for i, c := range clauses {
		if i != 0 && i != len(clauses)-1 {
			continue
		}
		c = cutLeads(strings.TrimSpace(c), requestLeads)
		for _, v := range addRe {
			rest, ok := strings.CutPrefix(c, v)
			if !ok {
				continue
			}
			for _, o := range addObjects {
				if strings.TrimSpace(strings.TrimPrefix(rest, o)) == "" && strings.HasPrefix(rest, o) {
					others := append(append([]string{}, clauses[:i]...), clauses[i+1:]...)
					r := strings.Join(others, " ")
					r = strings.NewReplacer("之前", "前", "以前", "前").Replace(r)
					r = strings.NewReplacer("前要", "前 ", "前需要", "前 ").Replace(r)
					return strings.TrimSpace(r), true
				}
			}
		}
	}
	return "", false
}

// partNouns are the parts of a piece of work a sentence may say are done instead of the work:
// 一封信的地址, 大走访的名单, 月点评的材料.
var partNouns = []string{"地址", "名单", "材料", "资料", "表格", "账号", "通知", "文件", "方案", "初稿", "草稿", "照片",
	"台账", "回执", "信封", "签字", "盖章", "统计表", "登记表", "花名册", "底稿", "数据核对", "打印"}

// namesPart reports a sentence whose words go on after 的 with a part of the work the title does
// not name (一封信的地址已经核对好了): the item may not be done, so it is asked, not done.
func namesPart(tc, title string) bool {
	for rest := tc; ; {
		i := strings.Index(rest, "的")
		if i < 0 {
			return false
		}
		rest = rest[i+len("的"):]
		for _, n := range partNouns {
			if strings.HasPrefix(rest, n) && !strings.Contains(title, n) {
				return true
			}
		}
	}
}

// doneInNote is, when every clause of a completion's note states a completion of one other open
// item by its wording (…，诚信宣传月也搞完了), the keys of those items; else none, and the note
// stays a note.
func (u ux) doneInNote(req *bot.Request, items []bot.Tracked, note string, first bot.Tracked) []string {
	var keys []string
	for _, c := range splitClauses(note) {
		if p, _ := bot.ReadPolarity(c, c); p != bot.PolarityNone || !bot.HasDoneWord(c) {
			return nil
		}
		if _, numbered := sentenceNumbers(c); numbered {
			return nil
		}
		opts := readRestriction(c, req.Today())
		cands := openOnly(u.nearest(req, u.match(req, items, opts.rest, opts)))
		if len(cands) != 1 || cands[0].Key == first.Key || slices.Contains(keys, cands[0].Key) {
			return nil
		}
		keys = append(keys, cands[0].Key)
	}
	return keys
}
