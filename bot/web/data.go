package web

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/planbot/planbot/bot"
)

// total is one programme, stage and term, with the entries behind it.
type total struct {
	Programme, Stage, Term string
	Persons, PersonTimes   int64
	AmountFen              int64
	Entries                []entry
}

// entry is one recorded figure.
type entry struct {
	bot.Figure
	ByName string
	When   string
	Period string
}

// dataData is the 数据 page.
type dataData struct {
	Year     int
	Totals   []total
	Sum      total
	Workbook bool
}

// termOf labels a figure's period: 春季, 秋季, 5月 or 全年.
func termOf(f bot.Figure) string {
	switch {
	case f.Term != "":
		return f.Term
	case f.Month != 0:
		return fmt.Sprintf("%d月", f.Month)
	}
	return "全年"
}

// dataPage is the figure totals by programme, stage and term (exact to the 分), each with its
// entries (a <details>, no JavaScript), and the workbook download.
func (s *Server) dataPage(w http.ResponseWriter, v *view) {
	ctx := v.r.Context()
	d := dataData{Year: v.Today.Year, Workbook: s.opt.Workbook != nil}
	if y, err := strconv.Atoi(v.r.URL.Query().Get("y")); err == nil && y >= 2000 && y <= 2100 {
		d.Year = y
	}
	fs, err := s.opt.Store.Figures(ctx, v.Unit.Team.ID, bot.FigureFilter{Year: d.Year})
	if err != nil {
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	names, err := s.names(ctx, v.Unit.Team.ID)
	if err != nil {
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	idx := map[[3]string]int{}
	for _, f := range fs {
		if f.Void() {
			continue
		}
		k := [3]string{f.Programme, f.Stage, termOf(f)}
		i, ok := idx[k]
		if !ok {
			i = len(d.Totals)
			idx[k] = i
			d.Totals = append(d.Totals, total{Programme: k[0], Stage: k[1], Term: k[2]})
		}
		t := &d.Totals[i]
		t.Persons += f.Persons
		t.PersonTimes += f.PersonTimes
		t.AmountFen += f.AmountFen
		d.Sum.Persons += f.Persons
		d.Sum.PersonTimes += f.PersonTimes
		d.Sum.AmountFen += f.AmountFen
		t.Entries = append(t.Entries, entry{Figure: f, ByName: cmp.Or(names[f.By], f.By), When: when(f.At, v.Unit.Team.Location()), Period: termOf(f)})
	}
	slices.SortStableFunc(d.Totals, func(a, b total) int {
		return cmp.Or(strings.Compare(a.Programme, b.Programme), strings.Compare(a.Stage, b.Stage), strings.Compare(a.Term, b.Term))
	})
	v.Title, v.Data = fmt.Sprintf("数据 %d年", d.Year), d
	s.render(w, v.r, http.StatusOK, "data", v)
}

// dataWorkbook downloads the unit's Excel workbook (the one 导出 and planbot export make).
func (s *Server) dataWorkbook(w http.ResponseWriter, v *view) {
	if s.opt.Workbook == nil {
		s.fail(w, v.r, v, http.StatusNotFound, "这里不提供工作簿下载，请用 planbot export --xlsx。")
		return
	}
	var buf bytes.Buffer
	if err := s.opt.Workbook(v.r.Context(), v.Unit.Team, v.Today, &buf); err != nil {
		s.opt.Log.Error("web: workbook", "err", err)
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	name := fmt.Sprintf("%s-%s.xlsx", v.Unit.Team.Name, v.Today)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename=\"planbot.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}
