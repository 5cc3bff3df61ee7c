package handlers

import (
	"cmp"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
)

func registerManage(r *bot.Router, d Deps) {
	x := h{d}
	r.Add(bot.Command{Name: "新增", Aliases: []string{"add", "添加", "增加", "加一项"}, Usage: "新增 日期 事项",
		Example: "新增 6月15日 报送春季资助资金发放进度", Role: bot.RoleSupervisor, Acts: true,
		Summary: "新增一项工作（日期可写 6月15日、下周五、每月10日、月底）", Handler: x.add, Continue: x.addContinue})
	r.Add(bot.Command{Name: "分配", Aliases: []string{"assign", "指派", "交给"}, Usage: "分配 编号… 姓名或@userid",
		Example: "分配 3 李老师", Role: bot.RoleSupervisor, NumbersFirst: true, Acts: true,
		Summary: "把事项分配给某人（“分配 3 无”取消分配）", Handler: x.assign})
}

// maxTitleRunes bounds a hand-added title.
const maxTitleRunes = 100

// addName is the name of the 新增 command; its confirmation dialog carries it.
const addName = "新增"

// add creates one obligation per date the date expression yields, with stable generated keys.
// A date already past is asked about first (addContinue takes the answer).
func (x h) add(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	return x.addArgs(ctx, req, strings.TrimSpace(req.Args), false)
}

// addContinue takes the answer to "确定要新增吗？": 是 adds, 不 (or 取消) adds nothing.
func (x h) addContinue(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	args := ""
	if req.Dialog != nil {
		args = req.Dialog.Data["args"]
	}
	answer := strings.Trim(strings.ToLower(strings.TrimSpace(req.Args)), "。！!.， ")
	switch answer {
	case "是", "是的", "确定", "确认", "对", "好", "好的", "嗯", "要", "加", "新增", "y", "yes", "ok":
		x.clearDialog(ctx, req)
		return x.addArgs(ctx, req, args, true)
	case "否", "不", "不用", "不要", "不加", "算了", "n", "no":
		x.clearDialog(ctx, req)
		return bot.TextReply("好的，没有新增。"), nil
	}
	return bot.Reply{}, &bot.Error{Code: bot.EINVALID, Err: bot.ErrLeaveDialog,
		Message: "请回复“是”新增这一项，或回复“取消”放弃。"}
}

func (x h) clearDialog(ctx context.Context, req *bot.Request) {
	if x.State == nil {
		return
	}
	if err := x.State.ClearDialog(ctx, req.TeamKey(), req.UserID); err != nil {
		x.Log.Warn("clear dialog", "err", err)
	}
}

// addition is what 新增's arguments ask for: one title on one or more dates.
type addition struct {
	title string
	rule  bot.Rule
	dates []bot.Date
}

// readAddition reads 新增's arguments: a date expression first, then the title; a refusal
// says what to write instead.
func readAddition(args string, today bot.Date) (addition, error) {
	if args == "" {
		return addition{}, bot.Errorf(bot.EINVALID, "请写日期和事项，例如“新增 6月15日 报送春季资金发放进度”。")
	}
	if msg := impossibleDate(args, today); msg != "" {
		return addition{}, bot.Errorf(bot.EINVALID, "%s", msg)
	}
	when, title, ok := splitWhen(args, today)
	if !ok {
		return addition{}, bot.Errorf(bot.EINVALID, "没看懂日期。请把日期写在前面，例如“新增 6月15日 报送材料”“新增 下周五 开会”“新增 每月10日 更新数据”。")
	}
	title = strings.TrimSpace(strings.TrimLeft(title, ",:;、 "))
	if title == "" {
		return addition{}, bot.Errorf(bot.EINVALID, "请在日期后写上事项内容，例如“新增 6月15日 报送材料”。")
	}
	if utf8.RuneCountInString(title) > maxTitleRunes {
		return addition{}, bot.Errorf(bot.EINVALID, "事项内容太长了（最多%d字）。", maxTitleRunes)
	}
	dates := when.Dates
	if len(dates) == 0 && !when.Start.IsZero() {
		dates = []bot.Date{when.Start}
	}
	if len(dates) == 0 {
		return addition{}, bot.Errorf(bot.EINVALID, "这个日期没有落在任何一天上，请换一种写法，例如“6月15日”。")
	}
	return addition{title: title, rule: cmp.Or(when.Rule, bot.RuleOnce), dates: dates}, nil
}

// addArgs is add of args; confirmed says the user already agreed to dates in the past.
func (x h) addArgs(ctx context.Context, req *bot.Request, args string, confirmed bool) (bot.Reply, error) {
	a, err := readAddition(args, req.Today())
	if err != nil {
		return bot.Reply{}, err
	}
	if !confirmed && x.State != nil {
		if reply, ask, err := x.confirmPast(ctx, req, args, a); ask || err != nil {
			return reply, err
		}
	}
	items, err := x.items(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("add", err)
	}
	exists := map[string]bool{}
	for _, t := range items {
		exists[t.Key] = true
	}
	obs, replayed, err := x.toAdd(ctx, req, a, exists)
	if err != nil {
		return bot.Reply{}, err
	}
	var added []bot.AgendaItem
	for _, o := range obs {
		t, again := replayed[o.Key]
		var err error
		if !again {
			t, err = x.Store.AddObligation(ctx, req.Team.ID, req.UserID, o, req.Now, req.Effect("add", o.Key))
		}
		if err != nil {
			var done []string
			for _, a := range added {
				done = append(done, a.Due.Short())
			}
			return bot.Reply{}, partial(done, "新增", err)
		}
		added = append(added, x.agendaItem(t))
	}
	head := fmt.Sprintf("已新增%d项“%s”", len(added), a.title)
	if len(added) == 1 {
		head = fmt.Sprintf("已新增“%s”，%s截止", a.title, added[0].Due.Short())
	}
	return x.renderListFoot(ctx, req, head, added, "可以接着发送“分配 1 姓名”指定负责人。")
}

// toAdd builds the obligations 新增 adds, one per date. A date whose key exists is refused
// before anything is added, unless this very message added it (a WeCom retry: the store
// answers with that obligation, in replayed).
func (x h) toAdd(ctx context.Context, req *bot.Request, a addition, exists map[string]bool) ([]bot.Obligation, map[string]bot.Tracked, error) {
	var obs []bot.Obligation
	replayed := map[string]bot.Tracked{} // added by an earlier delivery of this very message
	for _, d := range a.dates {
		o := bot.Obligation{
			Key:    AddedKey(d, a.title),
			Title:  a.title,
			Due:    d,
			Period: fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)),
			Rule:   a.rule,
		}
		if exists[o.Key] {
			// The store answers a WeCom retry of the message that added it with that obligation
			// (the effect is keyed by the message); anyone else's is refused before anything is added.
			t, err := x.Store.AddObligation(ctx, req.Team.ID, req.UserID, o, req.Now, req.Effect("add", o.Key))
			if errors.Is(err, bot.ErrAlreadyDone) {
				return nil, nil, bot.Errorf(bot.ECONFLICT, "%s的“%s”已经有了，没有重复添加。", d.Short(), a.title)
			}
			if err != nil {
				return nil, nil, storeErr("add", err)
			}
			replayed[o.Key] = t
		}
		obs = append(obs, o)
	}
	return obs, replayed, nil
}

// confirmPast asks before adding dates already past (they would show as overdue at once): ask
// is true when it opened the dialog whose question is reply.
func (x h) confirmPast(ctx context.Context, req *bot.Request, args string, a addition) (reply bot.Reply, ask bool, err error) {
	today := req.Today()
	var past []bot.Date
	for _, d := range a.dates {
		if x.effective(d).Before(today) {
			past = append(past, d)
		}
	}
	if len(past) == 0 {
		return bot.Reply{}, false, nil
	}
	if err := x.State.SetDialog(ctx, req.TeamKey(), req.UserID, bot.Dialog{Command: addName, Step: "past",
		Data: map[string]string{"args": args}}); err != nil {
		return bot.Reply{}, false, bot.Errorf(bot.EUNAVAILABLE, "暂时无法确认过去的日期，请稍后再试。")
	}
	what := fmt.Sprintf("%s已经过去了（%d天前）", past[0].Short(), x.effective(past[0]).DaysUntil(today))
	if len(a.dates) > 1 {
		what = fmt.Sprintf("其中%d个日期已经过去（最早%s）", len(past), past[0].Short())
	}
	return bot.TextReply(fmt.Sprintf("%s，新增后会马上显示为逾期。确定要新增“%s”吗？回复“是”新增，回复“取消”放弃。", what, a.title)), true, nil
}

// writtenDate is a date written with its month and day at the start of 新增's arguments:
// 2月30日, 二月三十号, 2026年2月30日, 2026-02-30.
var writtenDate = regexp.MustCompile(`^(?:(\d{4})年)?([0-9一二三四五六七八九十两]+)月([0-9一二三四五六七八九十两]+)[日号]|^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`)

// impossibleDate returns the refusal for a written date that does not exist (2月30日, 4月31日),
// which a date reader would otherwise move to the month's end; "" when there is none.
func impossibleDate(args string, today bot.Date) string {
	m := writtenDate.FindStringSubmatch(args)
	if m == nil {
		return ""
	}
	y, ms, ds := m[1], m[2], m[3]
	if m[4] != "" {
		y, ms, ds = m[4], m[5], m[6]
	}
	year := today.Year
	if y != "" {
		year, _ = strconv.Atoi(y)
	}
	month, ok1 := bot.ChineseNumber(ms)
	day, ok2 := bot.ChineseNumber(ds)
	if !ok1 || !ok2 || month < 1 || month > 12 || day < 1 {
		return ""
	}
	if n := bot.DaysIn(year, time.Month(month)); day > n {
		return fmt.Sprintf("%d年%d月没有%d日（只有%d天），没有新增。请写一个存在的日期，例如“新增 %d月%d日 %s”。",
			year, month, day, n, month, n, "报送材料")
	}
	return ""
}

// splitWhen finds the longest leading date expression plan.ParseWhen accepts: the first word,
// or a prefix of it when the title follows without a space ("6月15日报送材料").
func splitWhen(args string, today bot.Date) (plan.When, string, bool) {
	first, rest, _ := strings.Cut(args, " ")
	if w, err := plan.ParseWhen(first, today); err == nil {
		return w, rest, true
	}
	// two words: "2026-06-15 10:00" is not supported, but "6月 15日" is
	if second, rest2, ok := strings.Cut(rest, " "); ok || rest != "" {
		if !ok {
			second, rest2 = rest, ""
		}
		if w, err := plan.ParseWhen(first+second, today); err == nil && rest2 != "" {
			return w, rest2, true
		}
	}
	rs := []rune(first)
	for n := min(len(rs)-1, 16); n >= 2; n-- {
		if w, err := plan.ParseWhen(string(rs[:n]), today); err == nil {
			return w, strings.TrimSpace(string(rs[n:]) + " " + rest), true
		}
	}
	return plan.When{}, "", false
}

// AddedKey is the stable key of an obligation added in chat: its date and a hash of its title,
// so adding the same thing twice is noticed.
func AddedKey(due bot.Date, title string) string {
	sum := sha1.Sum([]byte(strings.Join(strings.Fields(title), " ")))
	return fmt.Sprintf("add-%04d%02d%02d-%s", due.Year, int(due.Month), due.Day, hex.EncodeToString(sum[:])[:10])
}

// assign sets the assignee of the numbered items.
func (x h) assign(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	items, err := x.items(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("assign", err)
	}
	targets, who, err := x.resolve(ctx, req, items, req.Args, "分配")
	if err != nil {
		return bot.Reply{}, err
	}
	_, members, err := x.names(ctx, req)
	if err != nil {
		return bot.Reply{}, storeErr("names", err)
	}
	if several := severalMembers(members, req.UserID, who); len(several) > 1 {
		return bot.Reply{}, bot.Errorf(bot.EINVALID, "一项工作只能有一位负责人，没有分配。你写了%s：请只写一位，例如“分配 %d %s”；要两人各负责一项，可以先“新增”一项再分别分配。",
			strings.Join(several, "、"), targets[0].N, several[0])
	}
	m, clear, err := findMember(members, req.UserID, who)
	if err != nil {
		return bot.Reply{}, err
	}
	userID, label := m.UserID, cmp.Or(m.Name, m.UserID)
	if clear {
		userID, label = "", ""
	}
	var done []string
	for _, t := range targets {
		if err := x.Store.Assign(ctx, req.Team.ID, req.UserID, t.T.Key, userID, req.Now, req.Effect("assign", t.T.Key)); err != nil {
			if errors.Is(err, bot.ErrNotFound) {
				return bot.Reply{}, partial(done, "分配", bot.Errorf(bot.ENOTFOUND, "%s已不在计划中。", t.label()))
			}
			return bot.Reply{}, partial(done, "分配", err)
		}
		done = append(done, t.label())
	}
	if clear {
		return bot.TextReply("已取消分配：" + strings.Join(done, "、")), nil
	}
	told := false
	if userID != req.UserID {
		me := cmp.Or(req.Member.Name, req.UserID)
		for _, t := range targets {
			it := x.agendaItem(t.T)
			it.Assignee = userID
			text := fmt.Sprintf("%s把“%s”分配给你，%s截止。完成后点“完成”按钮。", me, t.T.Title, it.EffectiveDue.Short())
			if x.notify(ctx, Notice{Team: req.Team, To: userID, At: req.Now, Item: &it, Text: text,
				Key: noticeKey("assign", req, t.T.Key, userID)}) {
				told = true
			}
		}
	}
	tail := "。"
	if told {
		tail = "，已发消息通知" + label + "。"
	}
	return bot.TextReply(fmt.Sprintf("已把%s分配给%s%s", strings.Join(done, "、"), label, tail)), nil
}

// severalMembers returns the names of the members who is made of when it names more than one
// (分配 1 李老师 张老师, 李老师、张老师, 李老师和张老师); nil otherwise.
func severalMembers(members []bot.Member, self, who string) []string {
	fields := strings.FieldsFunc(who, func(r rune) bool {
		return r == ' ' || r == '、' || r == ',' || r == '，' || r == '和' || r == '与' || r == '及' || r == '/'
	})
	if len(fields) < 2 {
		return nil
	}
	var out []string
	for _, f := range fields {
		m, clear, err := findMember(members, self, f)
		if err != nil || clear {
			return nil
		}
		out = append(out, cmp.Or(m.Name, m.UserID))
	}
	return out
}

// findMember finds the assignee by userid (with or without @), name, or 我/自己; clear is true
// for 无/没人/nobody.
func findMember(members []bot.Member, self, who string) (bot.Member, bool, error) {
	who = strings.TrimSpace(who)
	for _, p := range []string{"给", "to ", "to:"} {
		who = strings.TrimSpace(strings.TrimPrefix(who, p))
	}
	who = strings.TrimSpace(strings.TrimPrefix(who, "@"))
	who = strings.TrimRight(who, "负责")
	switch strings.ToLower(who) {
	case "":
		return bot.Member{}, false, bot.Errorf(bot.EINVALID, "请写分配给谁，例如“分配 3 李老师”或“分配 3 @lisi”。")
	case "无", "没人", "nobody", "none", "-", "取消":
		return bot.Member{}, true, nil
	case "我", "自己", "me":
		who = self
	}
	var byName []bot.Member
	for _, m := range members {
		if !m.Active {
			continue
		}
		if strings.EqualFold(m.UserID, who) || m.Name == who {
			return m, false, nil
		}
		if m.Name != "" && (strings.Contains(m.Name, who) || strings.HasPrefix(who, m.Name)) {
			byName = append(byName, m)
		}
	}
	switch len(byName) {
	case 1:
		return byName[0], false, nil
	case 0:
		return bot.Member{}, false, bot.Errorf(bot.ENOTFOUND, "团队里没有“%s”。请写成员的姓名或 @userid。", who)
	}
	var ns []string
	for _, m := range byName {
		ns = append(ns, fmt.Sprintf("%s(@%s)", m.Name, m.UserID))
	}
	return bot.Member{}, false, bot.Errorf(bot.EINVALID, "“%s”有多位成员：%s。请写完整姓名或 @userid。", who, strings.Join(ns, "、"))
}
