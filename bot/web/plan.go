package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/planbot/planbot/bot"
)

// day is one day of the 计划 calendar: its items, and whether it is a holiday or a 调休 workday.
type day struct {
	Date    bot.Date
	Week    string
	Holiday string // the holiday's name
	Makeup  bool   // a weekend day worked (调休)
	Items   []item
}

// planData is the 计划 page.
type planData struct {
	Year, Month int // Month 0: the whole year
	Person      string
	Status      string
	Members     []bot.Member
	Months      []int
	Days        []day
	Count       int
}

var weekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// planPage is the year as a calendar: each item on its effective date (the date as written when
// moved), holidays and 调休 workdays marked; filters by month, person and status (GET form).
func (s *Server) planPage(w http.ResponseWriter, v *view) {
	ctx := v.r.Context()
	q := v.r.URL.Query()
	d := planData{Year: v.Today.Year, Month: int(v.Today.Month), Person: q.Get("p"), Status: q.Get("s")}
	if m := q.Get("m"); m != "" {
		if n, err := strconv.Atoi(m); err == nil && n >= 0 && n <= 12 {
			d.Month = n
		}
	}
	if y, err := strconv.Atoi(q.Get("y")); err == nil && y >= 2000 && y <= 2100 {
		d.Year = y
	}
	for i := 1; i <= 12; i++ {
		d.Months = append(d.Months, i)
	}
	items, _, err := s.items(ctx, v)
	if err != nil {
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	ms, err := s.opt.Store.Members(ctx, v.Unit.Team.ID)
	if err != nil {
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	for _, m := range ms {
		if m.Active {
			d.Members = append(d.Members, m)
		}
	}
	byDay := map[bot.Date][]item{}
	for _, it := range items {
		if it.Eff.IsZero() || it.Eff.Year != d.Year || (d.Month != 0 && int(it.Eff.Month) != d.Month) {
			continue
		}
		switch d.Person {
		case "":
		case "-":
			if !it.Unassigned {
				continue
			}
		default:
			if it.Assignee != d.Person {
				continue
			}
		}
		switch d.Status {
		case "open":
			if !it.Open {
				continue
			}
		case "done":
			if it.DoneBy == "" {
				continue
			}
		case "overdue":
			if !it.Overdue {
				continue
			}
		}
		byDay[it.Eff] = append(byDay[it.Eff], it)
		d.Count++
	}
	first, last := bot.NewDate(d.Year, time.January, 1), bot.NewDate(d.Year, time.December, 31)
	if d.Month != 0 {
		first = bot.NewDate(d.Year, time.Month(d.Month), 1)
		last = first.LastOfMonth()
	}
	for day0 := first; !day0.After(last); day0 = day0.AddDays(1) {
		wd := day0.Weekday()
		dd := day{Date: day0, Week: weekdays[wd], Holiday: s.opt.Calendar.Holiday(day0), Items: byDay[day0]}
		dd.Makeup = (wd == time.Saturday || wd == time.Sunday) && s.opt.Calendar.IsWorkday(day0)
		if len(dd.Items) > 0 || dd.Holiday != "" || dd.Makeup {
			slices.SortStableFunc(dd.Items, func(a, b item) int { return a.Due.Compare(b.Due) })
			d.Days = append(d.Days, dd)
		}
	}
	v.Title, v.Data = fmt.Sprintf("计划 %d年", d.Year), d
	s.render(w, v.r, http.StatusOK, "plan", v)
}
