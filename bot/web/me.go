package web

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
)

// Path is the page's path (forms that stay on it).
func (v *view) Path() string { return v.r.URL.Path }

// item is an obligation as the pages show it.
type item struct {
	Key        string
	Title      string
	Due        bot.Date // as written
	Eff        bot.Date // effective: the last workday on or before Due
	Moved      bool     // Eff != Due
	Assignee   string
	Holder     string // the assignee's name
	DoneBy     string
	DoneName   string
	DoneAt     time.Time
	DoneWhen   string // DoneAt in the unit's time zone: 6月8日 09:30
	DoneNote   string
	Overdue    bool
	Open       bool
	Unassigned bool
}

// items reads the unit's live obligations with names and effective dates.
func (s *Server) items(ctx context.Context, v *view) ([]item, map[string]string, error) {
	ts, err := s.opt.Store.Obligations(ctx, v.Unit.Team.ID, false)
	if err != nil {
		return nil, nil, err
	}
	names, err := s.names(ctx, v.Unit.Team.ID)
	if err != nil {
		return nil, nil, err
	}
	out := make([]item, 0, len(ts))
	for _, t := range ts {
		out = append(out, s.item(t, names, v.Today, v.Unit.Team.Location()))
	}
	return out, names, nil
}

func (s *Server) item(t bot.Tracked, names map[string]string, today bot.Date, loc *time.Location) item {
	eff := t.Due
	if !eff.IsZero() {
		eff = s.opt.Calendar.EffectiveDue(t.Due)
	}
	open := t.DoneBy == "" && !t.BeforeTracking
	return item{Key: t.Key, Title: t.Title, Due: t.Due, Eff: eff, Moved: eff != t.Due,
		Assignee: t.Assignee, Holder: cmp.Or(names[t.Assignee], t.Assignee), DoneBy: t.DoneBy,
		DoneName: cmp.Or(names[t.DoneBy], t.DoneBy), DoneAt: t.DoneAt, DoneNote: t.DoneNote,
		Open: open, Overdue: open && eff.Before(today), Unassigned: t.Assignee == "", DoneWhen: when(t.DoneAt, loc)}
}

// when is an instant as the pages show it, in the unit's zone ("" for none).
func when(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("1月2日 15:04")
}

func (s *Server) names(ctx context.Context, teamID int64) (map[string]string, error) {
	ms, err := s.opt.Store.Members(ctx, teamID)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(ms))
	for _, m := range ms {
		names[m.UserID] = cmp.Or(m.Name, m.UserID)
	}
	return names, nil
}

// meData is the 我的 page.
type meData struct {
	Overdue, Today, Week []item
	Done                 []item
	FeedURL              template.URL // webcal://…/ics/TOKEN.ics
	FeedHTTPS            string
	QR                   template.URL // data: URL of the feed's QR code ("" when it could not be drawn)
}

// mine: an item of the user's own, or one nobody holds yet (which anyone may take and complete).
func mine(it item, userID string) bool { return it.Assignee == userID || it.Assignee == "" }

func (s *Server) mePage(w http.ResponseWriter, v *view) {
	ctx := v.r.Context()
	items, _, err := s.items(ctx, v)
	if err != nil {
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	_, sunday := week(v.Today)
	var d meData
	for _, it := range items {
		if !it.Open || it.Eff.IsZero() || !mine(it, v.User.UserID) {
			continue
		}
		switch {
		case it.Eff.Before(v.Today):
			d.Overdue = append(d.Overdue, it)
		case it.Eff == v.Today:
			d.Today = append(d.Today, it)
		case !it.Eff.After(sunday):
			d.Week = append(d.Week, it)
		}
	}
	// Mine first within each list, then by date.
	for _, l := range [][]item{d.Overdue, d.Today, d.Week} {
		slices.SortStableFunc(l, func(a, b item) int {
			am, bm := a.Assignee == v.User.UserID, b.Assignee == v.User.UserID
			if am != bm {
				if am {
					return -1
				}
				return 1
			}
			return a.Eff.Compare(b.Eff)
		})
	}
	monthStart := bot.NewDate(v.Today.Year, v.Today.Month, 1)
	for _, it := range items {
		if it.DoneBy == v.User.UserID && !bot.DateOf(it.DoneAt.In(v.Unit.Team.Location())).Before(monthStart) {
			d.Done = append(d.Done, it)
		}
	}
	slices.SortFunc(d.Done, func(a, b item) int { return b.DoneAt.Compare(a.DoneAt) })
	if s.opt.Feeds != nil {
		tok, err := s.opt.Feeds.FeedToken(ctx, v.se.UserID, randomID()+randomID())
		if err != nil {
			s.opt.Log.Warn("web: feed token", "err", err)
		} else {
			d.FeedHTTPS = s.base + "/ics/" + tok + ".ics"
			webcal := "webcal://" + strings.SplitN(d.FeedHTTPS, "://", 2)[1]
			d.FeedURL = template.URL(webcal) // built here from our own origin and a token
			d.QR = qrDataURL(webcal)
		}
	}
	v.Title, v.Data = "我的", d
	s.render(w, v.r, http.StatusOK, "me", v)
}

// maxNoteRunes bounds a note typed on the page (chat's whole message is 500).
const maxNoteRunes = 200

// meDone completes one item through chat's 完成 (the same path as “完成 N”): idempotent, the
// reply shown on the page.
func (s *Server) meDone(w http.ResponseWriter, v *view) {
	key := strings.TrimSpace(v.r.PostFormValue("key"))
	note := strings.Join(strings.Fields(v.r.PostFormValue("note")), " ")
	if key == "" || strings.ContainsAny(key, " \t\r\n#") {
		s.fail(w, v.r, v, http.StatusBadRequest, "没有指明要完成的事项，什么也没有改。请回到“我的”点事项旁的“完成”。")
		return
	}
	if utf8.RuneCountInString(note) > maxNoteRunes {
		s.fail(w, v.r, v, http.StatusBadRequest, fmt.Sprintf("备注太长（最多%d字），什么也没有改。请缩短后再试。", maxNoteRunes))
		return
	}
	text := "完成 #" + key
	if note != "" {
		text += " " + note
	}
	rep, _ := s.opt.Chat(v.r.Context(), v.Unit, text)
	s.redirect(w, v, "/app/me", rep.Text())
}

// feedReset gives the user a new feed token: the old URL stops working at once.
func (s *Server) feedReset(w http.ResponseWriter, v *view) {
	if s.opt.Feeds == nil {
		s.fail(w, v.r, v, http.StatusNotFound, "日历订阅未启用。")
		return
	}
	if err := s.opt.Feeds.ResetFeedToken(v.r.Context(), v.se.UserID, randomID()+randomID()); err != nil {
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	s.redirect(w, v, "/app/me", "已重置日历订阅地址：旧地址已失效，请用下面的新地址重新订阅。")
}

// week returns Monday and Sunday of d's week.
func week(d bot.Date) (bot.Date, bot.Date) {
	mon := d.AddDays(-((int(d.Weekday()) + 6) % 7))
	return mon, mon.AddDays(6)
}
