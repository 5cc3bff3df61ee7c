// Package handlers holds the chat commands, one file per family, and registers them in the
// router's command table (from which 帮助 is generated).
//
// Numbering: one numbering per team and day, bot.DayAgenda(today).Numbered() — the numbers of
// the morning group digest, the personal cards, 今天 and 逾期 — which an item keeps all day
// however much is done meanwhile. Lists with their own numbering (本周, 本月, 6月, 我的, the 完成
// dialog, the items 新增 adds) say so in their first line. Every list a user is shown is saved
// per user with State.SaveList (今天 and 逾期 save the day's numbering), and 完成/撤销/分配 N
// refer to it on the same day; a user with no list shown today refers to the day's numbering.
// The saved list starts with a "@day:YYYY-MM-DD" entry; the obligation keys follow.
package handlers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/workday"
)

// Deps are what the commands need. Store is required; State (dialogs, numbering) may be nil (no
// dialogs, numbers refer to today's digest); a nil Calendar counts Monday to Friday as workdays.
type Deps struct {
	Store    bot.Store
	State    bot.State
	Calendar bot.Calendar
	Log      *slog.Logger
	// Export, when set, makes 导出 build the team's workbook and send it to userID as a file
	// (serve sets it; demo and chat leave it nil and 导出 points at planbot export --xlsx).
	Export func(ctx context.Context, team bot.Team, userID string, now time.Time) error
	// Notify, when set, tells another member about a change that concerns them (serve sends it
	// as a durable delivery; nil: nobody is told, and the replies do not claim it).
	Notify func(ctx context.Context, n Notice) error
}

// Register adds every command family to r in the order 帮助 lists them, and 帮助 last.
func Register(r *bot.Router, d Deps) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Calendar == nil {
		d.Calendar = workday.Weekdays{}
	}
	registerLists(r, d)   // 今天 and the other lists
	registerDone(r, d)    // 完成, 撤销
	registerStatus(r, d)  // 进度
	RegisterFigures(r, d) // 记录, 撤销记录, 数据, 汇总, 导出
	registerManage(r, d)  // 新增 and the other changes
	registerDialog(r, d)  // 取消
	registerUnits(r, d)   // 切换
	registerUnderstand(r, d)
	r.Add(r.HelpCommand())
}

// h is the shared receiver of the command handlers.
type h struct{ Deps }

// items returns the team's tracked obligations that are not retired.
func (x h) items(ctx context.Context, req *bot.Request) ([]bot.Tracked, error) {
	return x.Store.Obligations(ctx, req.Team.ID, false)
}

// view returns what items returns and the team's members, read together (Store.TeamView): for
// the commands whose replies name who did what.
func (x h) view(ctx context.Context, req *bot.Request) ([]bot.Tracked, []bot.Member, error) {
	return x.Store.TeamView(ctx, req.Team.ID, false)
}

// names maps userids to display names for the team.
func (x h) names(ctx context.Context, req *bot.Request) (map[string]string, []bot.Member, error) {
	ms, err := x.Store.Members(ctx, req.Team.ID)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(ms))
	for _, m := range ms {
		names[m.UserID] = cmp.Or(m.Name, m.UserID)
	}
	return names, ms, nil
}

// effective is the effective deadline of t: the last workday on or before its due date.
func (x h) effective(due bot.Date) bot.Date {
	if due.IsZero() {
		return due
	}
	return x.Calendar.EffectiveDue(due)
}

// agendaItem wraps t with its effective date.
func (x h) agendaItem(t bot.Tracked) bot.AgendaItem {
	return bot.AgendaItem{Tracked: t, EffectiveDue: x.effective(t.Due)}
}

// saveList remembers the numbering the user was just shown; failures only cost the numbering.
func (x h) saveList(ctx context.Context, req *bot.Request, list []bot.AgendaItem) {
	keys := make([]string, len(list))
	for i, it := range list {
		keys[i] = it.Key
	}
	x.saveKeys(ctx, req, keys)
}

// saveKeys is saveList for obligation keys.
func (x h) saveKeys(ctx context.Context, req *bot.Request, keys []string) {
	if x.State == nil {
		return
	}
	saved := make([]string, 0, len(keys)+1)
	saved = append(saved, dayMark+req.Today().String())
	saved = append(saved, keys...)
	if err := x.State.SaveList(ctx, req.TeamKey(), req.UserID, saved); err != nil {
		x.Log.Warn("save list numbering", "err", err, "user", req.UserID)
	}
}

// teamDay is the pseudo-user under which the team's numbering of the day is kept (WeCom
// userids never start with @).
const teamDay = "@day"

// dayNumbering returns the team's numbering of the day (item n is keys[n-1]), see DayNumbering.
func (x h) dayNumbering(ctx context.Context, req *bot.Request, ag bot.Agenda) []string {
	list := ag.Numbered()
	fresh := make([]string, len(list))
	for i, it := range list {
		fresh[i] = it.Key
	}
	return DayNumbering(ctx, x.State, req.TeamKey(), req.Today(), fresh)
}

// DayNumbering returns a team's numbering of day (item n is keys[n-1]): the first one computed
// that day — fresh is the agenda's own, bot.DayAgenda(day).Numbered() keys — kept in st, with
// items new since appended at the end, so an item added at 10:00 does not renumber what the
// group digest showed at 08:30. The morning digest run (serve wires it into the schedule) and
// every chat list about today go through it. Without st (or when it fails) it is fresh.
func DayNumbering(ctx context.Context, st bot.State, teamKey string, day bot.Date, fresh []string) []string {
	if st == nil {
		return fresh
	}
	mark := dayMark + day.String()
	saved, ok, err := st.List(ctx, teamKey, teamDay)
	if err != nil {
		return fresh
	}
	if !ok || len(saved) == 0 || saved[0] != mark {
		_ = st.SaveList(ctx, teamKey, teamDay, append([]string{mark}, fresh...))
		return fresh
	}
	keys := slices.Clone(saved[1:])
	known := make(map[string]bool, len(keys))
	for _, k := range keys {
		known[k] = true
	}
	added := false
	for _, k := range fresh {
		if !known[k] {
			keys = append(keys, k)
			added = true
		}
	}
	if added {
		_ = st.SaveList(ctx, teamKey, teamDay, append([]string{mark}, keys...))
	}
	return keys
}

// numbersOf maps keys to their 1-based positions.
func numbersOf(keys []string) map[string]int {
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		m[k] = i + 1
	}
	return m
}

// dayMark starts the first entry of a saved list: the day it was shown. Numbers refer to a list
// only on the day it was shown; the next morning they mean the new digest.
const dayMark = "@day:"

// numbering returns the keys the user's numbers refer to: the last list shown to the user today,
// or today's digest numbering when there is none (which is then saved as the user's list).
func (x h) numbering(ctx context.Context, req *bot.Request, items []bot.Tracked) ([]string, error) {
	if x.State != nil {
		keys, ok, err := x.State.List(ctx, req.TeamKey(), req.UserID)
		switch {
		case errors.Is(err, bot.ErrUnavailable):
			// Redis is down: the list this user last saw is unknown, and today's digest
			// numbering may not be it. Refuse rather than mark the wrong item.
			return nil, &bot.Error{Code: bot.EUNAVAILABLE, Err: err,
				Message: "暂时无法按编号操作（会话服务故障，记不住你刚看过的列表）。请稍后再试，或点早间卡片上的“完成”按钮。"}
		case err != nil:
			x.Log.Warn("read list numbering", "err", err, "user", req.UserID)
		case ok && len(keys) > 0 && strings.HasPrefix(keys[0], dayMark):
			if keys[0] == dayMark+req.Today().String() && len(keys) > 1 {
				return keys[1:], nil
			}
			// a list from an earlier day, or an empty one: numbers come from today's digest
		case ok:
			return keys, nil
		}
	}
	keys := x.dayNumbering(ctx, req, x.dayAgenda(req, items))
	// Keep this numbering as the user's list, so "撤销 1" right after "完成 1" means the same item.
	x.saveKeys(ctx, req, keys)
	return keys, nil
}

// target is an obligation picked by number (N > 0) or by key (N == 0).
type target struct {
	N int
	T bot.Tracked
}

// label names the target in a reply: "第3项“标题”" or "“标题”".
func (t target) label() string {
	if t.N > 0 {
		return fmt.Sprintf("第%d项“%s”", t.N, t.T.Title)
	}
	return fmt.Sprintf("“%s”", t.T.Title)
}

// resolve turns the args of 完成/撤销/分配 into targets. It accepts "#key rest" and "N… rest".
// Every number must exist, or nothing is done.
func (x h) resolve(ctx context.Context, req *bot.Request, items []bot.Tracked, args, verb string) ([]target, string, error) {
	byKey := make(map[string]int, len(items)) // index in items: no copy of every item
	for i, t := range items {
		byKey[t.Key] = i
	}
	if strings.HasPrefix(args, "#") {
		key, rest, _ := strings.Cut(strings.TrimPrefix(args, "#"), " ")
		i, ok := byKey[key]
		if !ok {
			return nil, "", bot.Errorf(bot.ENOTFOUND, "没有找到这项工作（可能已从计划中移除）。发送“今天”查看当前事项。")
		}
		return []target{{0, items[i]}}, strings.TrimSpace(rest), nil
	}
	nums, rest, ok := bot.ParseNumbers(args)
	if !ok && tooLongRange(args) {
		return nil, "", bot.Errorf(bot.EINVALID, "一次最多%s%d项。请分几次发送，例如“%s 1-%d”。", verb, maxAtOnce, verb, maxAtOnce)
	}
	if !ok {
		return nil, "", bot.Errorf(bot.EINVALID, "请写要%s的编号，例如“%s 3”或“%s 1,2”。先发送“今天”或“本周”可以看到编号。", verb, verb, verb)
	}
	keys, err := x.numbering(ctx, req, items)
	if err != nil {
		return nil, "", err
	}
	var out []target
	for _, n := range nums {
		if n < 1 || n > len(keys) {
			if len(keys) == 0 {
				return nil, "", bot.Errorf(bot.ENOTFOUND, "没有第%d项：当前列表是空的。先发送“今天”或“本周”查看编号。", n)
			}
			return nil, "", bot.Errorf(bot.ENOTFOUND, "没有第%d项（列表共%d项）。先发送“今天”或“本周”查看编号。", n, len(keys))
		}
		i, ok := byKey[keys[n-1]]
		if !ok {
			return nil, "", bot.Errorf(bot.ENOTFOUND, "第%d项已从计划中移除。请重新发送“今天”或“本周”查看编号。", n)
		}
		out = append(out, target{n, items[i]})
	}
	return out, rest, nil
}

// maxAtOnce is how many items one 完成/撤销/分配 may name (bot.ParseNumbers' range limit).
const maxAtOnce = 50

// tooLongRange reports whether args start with a range of more than maxAtOnce numbers
// ("1-200"), which bot.ParseNumbers refuses.
func tooLongRange(args string) bool {
	var a, b int
	var sep string
	if n, _ := fmt.Sscanf(strings.NewReplacer("—", "-", "–", "-", "~", "-", "到", "-", "至", "-").Replace(args), "%d%1s%d", &a, &sep, &b); n == 3 && sep == "-" {
		return b-a+1 > maxAtOnce
	}
	return false
}

// weekOf returns Monday and Sunday of d's week.
func weekOf(d bot.Date) (bot.Date, bot.Date) {
	mon := d.AddDays(-((int(d.Weekday()) + 6) % 7))
	return mon, mon.AddDays(6)
}

var weekdayNames = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// storeErr passes application errors through and wraps the rest so the router logs them.
func storeErr(op string, err error) error {
	var be *bot.Error
	if errors.As(err, &be) {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}
