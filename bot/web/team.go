package web

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/planbot/planbot/bot"
)

// tally counts a set of obligations of one year.
type tally struct {
	Name    string
	Total   int // tracked (not before tracking), due in the year
	Done    int
	Overdue int
}

// Pct is the share done, in whole percent.
func (t tally) Pct() int {
	if t.Total == 0 {
		return 0
	}
	return t.Done * 100 / t.Total
}

func (t *tally) add(it item) {
	t.Total++
	if it.DoneBy != "" {
		t.Done++
	}
	if it.Overdue {
		t.Overdue++
	}
}

// teamData is the 团队 page.
type teamData struct {
	Year       int
	All        tally
	People     []tally
	Months     []tally
	PeopleSVG  template.HTML
	MonthsSVG  template.HTML
	Overdue    []item
	Unassigned []item // open, unassigned, due by the end of next month
	Members    []bot.Member
	Units      []unitRow
}

// unitRow is one unit below, over its subtree.
type unitRow struct {
	ID int64
	tally
}

// tracked reports whether an item counts in the year's figures.
func tracked(it item, year int) bool { return !it.Eff.IsZero() && it.Eff.Year == year }

func (s *Server) teamPage(w http.ResponseWriter, v *view) {
	ctx := v.r.Context()
	ts, err := s.opt.Store.Obligations(ctx, v.Unit.Team.ID, false)
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
	d := teamData{Year: v.Today.Year, All: tally{Name: "全部"}}
	for _, m := range ms {
		names[m.UserID] = cmp.Or(m.Name, m.UserID)
		if m.Active {
			d.Members = append(d.Members, m)
		}
	}
	people := map[string]*tally{}
	for _, m := range d.Members {
		people[m.UserID] = &tally{Name: names[m.UserID]}
	}
	unassigned := &tally{Name: "未分配"}
	d.Months = make([]tally, 12)
	for i := range d.Months {
		d.Months[i].Name = fmt.Sprintf("%d月", i+1)
	}
	horizon := bot.NewDate(v.Today.Year, v.Today.Month+2, 0) // end of next month
	loc := v.Unit.Team.Location()
	for _, t := range ts {
		it := s.item(t, names, v.Today, loc)
		if t.BeforeTracking {
			continue
		}
		if it.Overdue {
			d.Overdue = append(d.Overdue, it)
		}
		if it.Open && it.Unassigned && !it.Overdue && !it.Eff.After(horizon) {
			d.Unassigned = append(d.Unassigned, it)
		}
		if !tracked(it, d.Year) {
			continue
		}
		d.All.add(it)
		d.Months[it.Eff.Month-1].add(it)
		who := people[t.Assignee]
		switch {
		case t.Assignee == "":
			who = unassigned
		case who == nil: // someone who left
			who = &tally{Name: names[t.Assignee] + "（已离开）"}
			people[t.Assignee] = who
		}
		who.add(it)
	}
	for _, p := range people {
		d.People = append(d.People, *p)
	}
	slices.SortFunc(d.People, func(a, b tally) int { return cmp.Or(b.Total-a.Total, strings.Compare(a.Name, b.Name)) })
	if unassigned.Total > 0 {
		d.People = append(d.People, *unassigned)
	}
	d.PeopleSVG = barsSVG("每人完成情况", d.People)
	d.MonthsSVG = columnsSVG(fmt.Sprintf("%d年逐月完成情况", d.Year), d.Months)
	if d.Units, err = s.unitRows(ctx, v); err != nil {
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	v.Title, v.Data = "团队", d
	s.render(w, v.r, http.StatusOK, "team", v)
}

// unitRows tallies each unit directly below the page's unit over its subtree (the units the
// supervisor may see).
func (s *Server) unitRows(ctx context.Context, v *view) ([]unitRow, error) {
	teams := make([]bot.Team, 0, len(v.Units))
	for _, a := range v.Units {
		teams = append(teams, a.Team)
	}
	tree := bot.NewTree(teams)
	var rows []unitRow
	for _, child := range tree.Children(v.Unit.Team.ID) {
		if child.Removed {
			continue
		}
		row := unitRow{ID: child.ID, tally: tally{Name: child.Name}}
		for _, u := range tree.Subtree(child.ID) {
			ts, err := s.opt.Store.Obligations(ctx, u.ID, false)
			if err != nil {
				return nil, err
			}
			for _, t := range ts {
				it := s.item(t, nil, v.Today, u.Location())
				if !t.BeforeTracking && tracked(it, v.Today.Year) {
					row.add(it)
				}
			}
		}
		rows = append(rows, row)
	}
	// Behind first: most overdue, then the lowest share done.
	slices.SortStableFunc(rows, func(a, b unitRow) int { return cmp.Or(b.Overdue-a.Overdue, a.Pct()-b.Pct()) })
	return rows, nil
}

// teamAssign assigns an item through chat's 分配 (the holder is told as in chat).
func (s *Server) teamAssign(w http.ResponseWriter, v *view) {
	key := strings.TrimSpace(v.r.PostFormValue("key"))
	to := strings.TrimSpace(v.r.PostFormValue("to"))
	if key == "" || to == "" || strings.ContainsAny(key+to, " \t\r\n#@") {
		s.fail(w, v.r, v, http.StatusBadRequest, "请选择事项和负责人，什么也没有改。")
		return
	}
	target := "@" + to
	if to == "-" {
		target = "无"
	}
	rep, _ := s.opt.Chat(v.r.Context(), v.Unit, "分配 #"+key+" "+target)
	s.redirect(w, v, "/app/team", rep.Text())
}
