package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/planbot/planbot/bot"
)

// pageNames are the templates beside layout.html, one per page.
var pageNames = []string{"message", "login", "me", "team", "plan", "data", "import", "preview", "log"}

var funcs = template.FuncMap{
	"short": func(d bot.Date) string {
		if d.IsZero() {
			return ""
		}
		return fmt.Sprintf("%d月%d日", d.Month, d.Day)
	},
	"yuan":  yuan,
	"arr":   func(v ...any) []any { return v },
	"lines": func(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") },
}

// yuan writes fen as yuan, exact to the 分: 123456 -> 1,234.56.
func yuan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	whole := fmt.Sprintf("%d", fen/100)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	s := fmt.Sprintf("%s.%02d", b.String(), fen%100)
	if neg {
		s = "-" + s
	}
	return s
}

func parsePages() (map[string]*template.Template, error) {
	out := make(map[string]*template.Template, len(pageNames))
	for _, n := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+n+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		out[n] = t
	}
	return out, nil
}

// render writes a page; a template failure is logged and answered with a short message.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	if v.r == nil {
		v.r = r
	}
	if v.Page == "" {
		v.Page = page
	}
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.opt.Log.Error("web: render", "page", page, "err", err)
		http.Error(w, bot.EINTERNALText, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail answers with a page that says what went wrong and what to do instead.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, v *view, status int, msg string) {
	if v == nil {
		v = &view{r: r}
	}
	nv := *v
	nv.Title, nv.Data, nv.Page = "提示", msg, "message"
	s.render(w, r, status, "message", &nv)
}
