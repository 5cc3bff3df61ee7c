package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/planbot/planbot/bot"
)

// feed serves /ics/TOKEN.ics: the deadlines of the token's member and of their units, as
// all-day events on the effective date (the date as written in the description), with UIDs
// that stay the same across imports (the obligation key and the unit). A reset token is gone.
func (s *Server) feed(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || tok == "" || s.opt.Feeds == nil {
		http.NotFound(w, r)
		return
	}
	ctx := r.Context()
	userID, err := s.opt.Feeds.FeedUser(ctx, tok)
	if errors.Is(err, bot.ErrNotFound) {
		http.Error(w, "这个日历订阅地址已失效（可能已重置）。请在“我的”页面复制新的地址。", http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, bot.ErrorMessage(err), http.StatusServiceUnavailable)
		return
	}
	_, all, err := s.opt.Access(ctx, userID)
	if err != nil {
		http.Error(w, bot.ErrorMessage(err), http.StatusServiceUnavailable)
		return
	}
	var units []bot.Access
	for _, a := range all {
		if a.Direct { // the units they belong to, not every school below a city
			units = append(units, a)
		}
	}
	if len(units) == 0 {
		http.Error(w, notMemberText, http.StatusForbidden)
		return
	}
	cal, err := s.feedCalendar(ctx, userID, units)
	if err != nil {
		http.Error(w, bot.ErrorMessage(err), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="planbot.ics"`)
	_ = cal.SerializeTo(w, ics.WithNewLine("\r\n")) // RFC 5545 lines end in CRLF
}

// feedCalendar is the calendar of userID's feed: an event for every tracked, dated obligation
// of each of units.
func (s *Server) feedCalendar(ctx context.Context, userID string, units []bot.Access) (*ics.Calendar, error) {
	cal := ics.NewCalendarFor("planbot")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("工作计划截止日")
	cal.SetXWRCalName("工作计划截止日")
	cal.SetXWRTimezone(bot.Shanghai.String())
	cal.SetRefreshInterval("PT6H")
	cal.SetXPublishedTTL("PT6H")
	stamp := s.now().UTC()
	for _, a := range units {
		ts, err := s.opt.Store.Obligations(ctx, a.Team.ID, false)
		if err != nil {
			return nil, err
		}
		names, err := s.names(ctx, a.Team.ID)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if t.Due.IsZero() || t.BeforeTracking {
				continue
			}
			it := s.item(t, names, bot.DateOf(stamp.In(a.Team.Location())), a.Team.Location())
			s.addEvent(cal, a.Team, t, it, userID, stamp)
		}
	}
	return cal, nil
}

// addEvent adds obligation t of team (it as the pages show it) to cal: an all-day event on the
// effective date, marked 【我】 for userID's own and ✓ when done, the date as written, the holder
// and the unit in its description.
func (s *Server) addEvent(cal *ics.Calendar, team bot.Team, t bot.Tracked, it item, userID string, stamp time.Time) {
	e := cal.AddEvent(EventUID(team.ID, t.Key))
	e.SetDtStampTime(stamp)
	day := it.Eff.Time(time.UTC)
	e.SetAllDayStartAt(day)
	e.SetAllDayEndAt(day.AddDate(0, 0, 1))
	summary := it.Title
	switch {
	case t.DoneBy != "":
		summary = "✓ " + summary
	case t.Assignee == userID:
		summary = "【我】" + summary
	}
	e.SetSummary(summary)
	desc := fmt.Sprintf("原定截止：%d年%d月%d日", t.Due.Year, t.Due.Month, t.Due.Day)
	if it.Moved {
		desc += "（遇节假日，提前到" + fmt.Sprintf("%d月%d日", it.Eff.Month, it.Eff.Day) + "）"
	}
	desc += "\n负责人：" + cmp.Or(it.Holder, "未分配") + "\n单位：" + team.Name
	if t.DoneBy != "" {
		desc += "\n已由" + it.DoneName + "完成"
	}
	e.SetDescription(desc)
	e.SetTimeTransparency(ics.TransparencyTransparent)
	e.SetURL(s.base + "/app/me")
}

// EventUID is the feed's stable UID of an obligation of a unit.
func EventUID(teamID int64, key string) string {
	return fmt.Sprintf("%s.%d@planbot", key, teamID)
}
