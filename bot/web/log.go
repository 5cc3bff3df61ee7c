package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/planbot/planbot/bot"
)

// maxLogRows bounds one page of the audit trail.
const maxLogRows = 300

// actionNames are the audit actions in Chinese.
var actionNames = map[string]string{
	"complete": "完成", "undo": "撤销完成", "assign": "分配", "import": "导入计划",
	"obligation.add": "新增事项", "obligation.update": "修改事项", "obligation.retire": "移除事项",
	"obligation.restore": "恢复事项", "figure.add": "记录数据", "figure.void": "作废数据",
	"member.add": "添加成员", "member.update": "修改成员", "member.remove": "移除成员",
	"member.switch": "切换单位", "team.create": "新建单位", "team.update": "修改单位",
	"team.remove": "移除单位", "team.restore": "恢复单位",
}

// logRow is one audit entry as shown.
type logRow struct {
	When, Who, Action, What string
}

// logData is the 记录 page.
type logData struct {
	Person, Item, From, To string
	Members                []bot.Member
	Rows                   []logRow
	More                   int // entries past maxLogRows
}

// logPage is the audit trail, newest first, filterable by person, item (words of its title or
// its key) and dates (for inspections, 迎检).
func (s *Server) logPage(w http.ResponseWriter, v *view) {
	ctx := v.r.Context()
	q := v.r.URL.Query()
	d := logData{Person: q.Get("p"), Item: strings.TrimSpace(q.Get("i")), From: q.Get("from"), To: q.Get("to")}
	from, _ := bot.ParseDate(d.From)
	to, _ := bot.ParseDate(d.To)
	entries, err := s.opt.Store.AuditLog(ctx, v.Unit.Team.ID)
	if err != nil {
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	ms, err := s.opt.Store.Members(ctx, v.Unit.Team.ID)
	if err != nil {
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	names := map[string]string{}
	for _, m := range ms {
		names[m.UserID] = cmp.Or(m.Name, m.UserID)
		d.Members = append(d.Members, m)
	}
	ts, err := s.opt.Store.Obligations(ctx, v.Unit.Team.ID, true)
	if err != nil {
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	titles := map[string]string{}
	for _, t := range ts {
		titles[t.Key] = t.Title
	}
	loc := v.Unit.Team.Location()
	for _, e := range slices.Backward(entries) {
		day := bot.DateOf(e.At.In(loc))
		what := cmp.Or(titles[e.Target], names[e.Target], e.Target)
		switch {
		case d.Person != "" && e.Actor != d.Person:
			continue
		case d.Item != "" && !strings.Contains(what, d.Item) && e.Target != d.Item:
			continue
		case !from.IsZero() && day.Before(from), !to.IsZero() && day.After(to):
			continue
		}
		if len(d.Rows) == maxLogRows {
			d.More++
			continue
		}
		d.Rows = append(d.Rows, logRow{When: when(e.At, loc), Who: cmp.Or(names[e.Actor], e.Actor),
			Action: cmp.Or(actionNames[e.Action], e.Action), What: what})
	}
	v.Title, v.Data = "记录", d
	s.render(w, v.r, http.StatusOK, "log", v)
}
