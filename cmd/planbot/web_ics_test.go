package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	goical "github.com/emersion/go-ical"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/web"
)

// The calendar feed parses with golang-ical and with emersion's go-ical (two independent
// parsers); every live, tracked obligation is one all-day event on its effective deadline with
// a stable UID; a reset token stops the old URL at once.
func TestWebCalendarFeed(t *testing.T) {
	e := newWebEnv(t)
	b := e.browser(t)
	me := b.login("lisi")
	feed, err := feedURL(me)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(me.Body, `href="webcal://`+strings.TrimPrefix(feed, "http://")+`"`) {
		t.Errorf("我的 has no webcal:// link for %s", feed)
	}
	if !strings.Contains(me.Body, `src="data:image/png;base64,`) {
		t.Error("我的 has no QR code of the feed")
	}
	anon := e.browser(t) // a phone's calendar: no cookie
	p := anon.get(feed)
	if p.Code != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", p.Code, p.Header.Get("Content-Type"))
	}

	if strings.Count(p.Body, "\n") != strings.Count(p.Body, "\r\n") {
		t.Error("feed lines do not all end in CRLF (RFC 5545)")
	}

	items, err := e.a.store.Obligations(context.Background(), e.a.team.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bot.Date{} // UID -> effective deadline
	moved := 0
	for _, it := range items {
		if it.BeforeTracking || it.Due.IsZero() {
			continue
		}
		eff := e.a.cal.EffectiveDue(it.Due)
		if eff != it.Due {
			moved++
		}
		want[web.EventUID(e.a.team.ID, it.Key)] = eff
	}
	if moved == 0 {
		t.Fatal("the sample plan has no deadline on a holiday or weekend: the test shows nothing")
	}

	// Parser 1: golang-ical.
	cal, err := ics.ParseCalendar(strings.NewReader(p.Body))
	if err != nil {
		t.Fatalf("golang-ical: %v", err)
	}
	got1 := map[string]bot.Date{}
	for _, ev := range cal.Events() {
		start, err := ev.GetAllDayStartAt()
		if err != nil {
			t.Fatalf("golang-ical DTSTART of %s: %v", ev.Id(), err)
		}
		if v := ev.GetProperty(ics.ComponentPropertyDtStart); v == nil || v.ICalParameters["VALUE"][0] != "DATE" {
			t.Errorf("%s: DTSTART is not an all-day DATE", ev.Id())
		}
		got1[ev.Id()] = bot.NewDate(start.Year(), start.Month(), start.Day())
	}
	// Parser 2: emersion/go-ical.
	cal2, err := goical.NewDecoder(strings.NewReader(p.Body)).Decode()
	if err != nil {
		t.Fatalf("go-ical: %v", err)
	}
	got2 := map[string]bot.Date{}
	for _, ev := range cal2.Events() {
		uid, err := ev.Props.Text(goical.PropUID)
		if err != nil {
			t.Fatal(err)
		}
		start, err := ev.DateTimeStart(bot.Shanghai)
		if err != nil {
			t.Fatalf("go-ical DTSTART of %s: %v", uid, err)
		}
		end, err := ev.DateTimeEnd(bot.Shanghai)
		if err != nil || end.Sub(start) != 24*time.Hour {
			t.Errorf("%s: not one whole day (%v .. %v, %v)", uid, start, end, err)
		}
		if ev.Props.Get(goical.PropDateTimeStart).ValueType() != goical.ValueDate {
			t.Errorf("%s: DTSTART value type %v, want DATE", uid, ev.Props.Get(goical.PropDateTimeStart).ValueType())
		}
		desc, _ := ev.Props.Text(goical.PropDescription)
		if !strings.Contains(desc, "原定截止") {
			t.Errorf("%s: description %q lacks the date as written", uid, desc)
		}
		got2[uid] = bot.NewDate(start.Year(), start.Month(), start.Day())
	}
	for name, got := range map[string]map[string]bot.Date{"golang-ical": got1, "go-ical": got2} {
		if len(got) != len(want) {
			t.Errorf("%s: %d events, want %d", name, len(got), len(want))
		}
		for uid, d := range want {
			if got[uid] != d {
				t.Errorf("%s: %s on %v, want the effective deadline %v", name, uid, got[uid], d)
			}
		}
	}
	// Stable: the same UIDs on the next fetch.
	again, _ := ics.ParseCalendar(strings.NewReader(anon.get(feed).Body))
	if len(again.Events()) != len(cal.Events()) || again.Events()[0].Id() != cal.Events()[0].Id() {
		t.Error("UIDs changed between two fetches")
	}

	// Reset: the old URL is gone, the new one works.
	reset := b.post("/app/me/feed", url.Values{"csrf": {csrfOf(t, me)}})
	if reset.Code != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", reset.Code, reset.Body)
	}
	if p := anon.get(feed); p.Code != http.StatusNotFound || !strings.Contains(p.Body, "已失效") {
		t.Errorf("old feed after reset: %d %s", p.Code, p.Body)
	}
	fresh, err := feedURL(b.get("/app/me"))
	if err != nil || fresh == feed {
		t.Fatalf("new feed %q (old %q): %v", fresh, feed, err)
	}
	if p := anon.get(fresh); p.Code != http.StatusOK {
		t.Errorf("new feed: %d", p.Code)
	}
	if p := anon.get("/ics/not-a-token.ics"); p.Code != http.StatusNotFound {
		t.Errorf("unknown token: %d", p.Code)
	}
}
