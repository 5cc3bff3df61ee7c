package figure

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

// Total is the sum of the live (not voided) figures of one programme and stage.
type Total struct {
	Programme   string
	Stage       string
	Persons     int64
	PersonTimes int64
	AmountFen   int64
	Records     int       // live figures added up
	LastBy      string    // who recorded the latest live figure
	LastAt      time.Time // when
}

// Totals adds up the live figures by programme and stage, in catalogue order. Voided figures
// are skipped.
func (c *Catalogue) Totals(figs []bot.Figure) []Total {
	idx := map[[2]string]int{}
	var out []Total
	for _, f := range figs {
		if f.Void() {
			continue
		}
		k := [2]string{f.Programme, f.Stage}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Total{Programme: f.Programme, Stage: f.Stage})
		}
		t := &out[i]
		t.Persons += f.Persons
		t.PersonTimes += f.PersonTimes
		t.AmountFen += f.AmountFen
		t.Records++
		if !f.At.Before(t.LastAt) {
			t.LastBy, t.LastAt = f.By, f.At
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		pi, si := c.order(out[i].Programme, out[i].Stage)
		pj, sj := c.order(out[j].Programme, out[j].Stage)
		if pi != pj {
			return pi < pj
		}
		if si != sj {
			return si < sj
		}
		return out[i].Programme+out[i].Stage < out[j].Programme+out[j].Stage
	})
	return out
}

// Sum adds totals up into one (Programme and Stage empty).
func Sum(ts []Total) Total {
	var s Total
	for _, t := range ts {
		s.Persons += t.Persons
		s.PersonTimes += t.PersonTimes
		s.AmountFen += t.AmountFen
		s.Records += t.Records
		if !t.LastAt.Before(s.LastAt) {
			s.LastBy, s.LastAt = t.LastBy, t.LastAt
		}
	}
	return s
}

// Query selects figures for 数据: a programme (and stage), and a period.
type Query struct {
	Programme string
	Stage     string
	Year      int    // 0: all years
	Term      string // 春季 or 秋季: term figures of that term plus month figures inside it
	Month     int    // month figures of that month only
	Label     string // the period in words, e.g. 2026年春季
}

// Match reports whether f is selected (voided figures are matched too; Totals skips them).
func (q Query) Match(f bot.Figure) bool {
	if q.Programme != "" && f.Programme != q.Programme {
		return false
	}
	if q.Stage != "" && f.Stage != q.Stage {
		return false
	}
	switch {
	case q.Month != 0:
		return f.Month == q.Month && f.Year == q.Year
	case q.Term != "":
		if f.Month != 0 {
			return TermMonths(q.Term, q.Year, f.Year, f.Month)
		}
		return f.Term == q.Term && f.Year == q.Year
	case q.Year != 0:
		return f.Year == q.Year
	}
	return true
}

// ParseQuery reads the arguments of 数据: an optional programme (with stage) and an optional
// period (春季/秋季 with or without a year, N月, 2026年, 全年, 本学期, 全部). Without a period it is
// the current term's year (see TermOf): all of this year's figures.
func (c *Catalogue) ParseQuery(text string, today bot.Date) (Query, error) {
	var q Query
	s := Normalize(text)
	all := false
	for _, w := range []string{"全部", "所有", "历年", "all"} {
		if strings.Contains(s, w) {
			all = true
			s = strings.ReplaceAll(s, w, " ")
		}
	}
	s = relativePeriods(s, today)
	sc, err := c.scan(s, false)
	if err != nil {
		return q, err
	}
	if sc.hasAmount || sc.hasPersons || sc.hasTimes {
		return q, bot.Errorf(bot.EINVALID, "查询数据不需要写人数和金额。例如：数据 国家助学金 春季，或 数据 5月。要记录请用：%s", Example)
	}
	if sc.prog == "" && sc.unknown != "" {
		return q, c.unknownProgramme(sc.unknown)
	}
	q.Programme, q.Stage = sc.prog, sc.stage
	if q.Programme != "" && q.Stage != "" {
		if p, _ := c.Programme(q.Programme); !p.Allows(q.Stage) {
			return q, bot.Errorf(bot.EINVALID, "%s没有%s学段，只有%s。", p.Name, q.Stage, strings.Join(p.Stages, "、"))
		}
	}
	switch {
	case sc.month != 0:
		q.Month, q.Year = sc.month, sc.year
		if q.Year == 0 {
			q.Year = monthYear(sc.month, today)
		}
		q.Label = fmt.Sprintf("%d年%d月", q.Year, q.Month)
	case sc.term != "":
		q.Term, q.Year = sc.term, sc.year
		if q.Year == 0 {
			q.Year = termYear(sc.term, today)
		}
		q.Label = fmt.Sprintf("%d年%s", q.Year, q.Term)
	case sc.year != 0:
		q.Year = sc.year
		q.Label = fmt.Sprintf("%d年", q.Year)
	case all:
		q.Label = "全部"
	default:
		_, q.Year = TermOf(today)
		q.Label = fmt.Sprintf("%d年", q.Year)
	}
	return q, nil
}
