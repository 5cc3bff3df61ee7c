package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

// updatedCard is the part of an update_template_card body the card tests look at.
type updatedCard struct {
	ResponseCode string    `json:"response_code"`
	Button       *struct{} `json:"button"`
	TemplateCard *struct {
		TaskID    string `json:"task_id"`
		MainTitle struct {
			Desc string `json:"desc"`
		} `json:"main_title"`
		Lines []struct {
			KeyName string `json:"keyname"`
			Value   string `json:"value"`
		} `json:"horizontal_content_list"`
		Buttons []struct {
			Text string `json:"text"`
			Key  string `json:"key"`
		} `json:"button_list"`
		ReplaceText string `json:"replace_text"`
	} `json:"template_card"`
}

// threeItemCard gives lisi a morning card of exactly three items: overdue items are assigned
// to her until she holds three, the rest of her card's items go to wangzr.
func threeItemCard(t *testing.T, a *app, day bot.Date) bot.Card {
	t.Helper()
	ctx := context.Background()
	lisi := bot.Member{UserID: "lisi", Name: "李老师"}
	for range 50 {
		items, err := a.store.Obligations(ctx, a.team.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		ag := bot.DayAgenda(day, items, a.cal, bot.Shanghai)
		spec, _ := schedule.MemberCard(a.team.ID, day, ag, lisi, nil)
		if len(spec.Items) == 3 {
			return spec
		}
		move, to := []string{}, "wangzr"
		if len(spec.Items) < 3 {
			for _, it := range ag.Overdue {
				if it.Assignee == "" {
					move, to = append(move, it.Key), "lisi"
					break
				}
			}
		} else {
			for _, it := range spec.Items[3:] {
				move = append(move, it.Key)
			}
		}
		if len(move) == 0 {
			t.Fatalf("lisi's card of %s has %d items and nothing to move", day, len(spec.Items))
		}
		for _, k := range move {
			if err := a.store.Assign(ctx, a.team.ID, "test", k, to, serveNow, bot.Effect{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Fatal("could not narrow the card to three items")
	return bot.Card{}
}

// A click on one of three items completes it once and replaces the card: the clicked item is
// listed as done, the other two keep clickable buttons; a second click changes nothing in the
// store; when all three are done the card says 全部完成.
func TestServeCardClickRefreshesCard(t *testing.T) {
	a, fake, cfg := newTestApp(t)
	h := a.Handler()
	day := bot.DateOf(serveNow)
	spec := threeItemCard(t, a, day)
	keys := []string{spec.Items[0].Key, spec.Items[1].Key, spec.Items[2].Key}

	at := serveNow
	click := func(key, taskID, code string) updatedCard {
		t.Helper()
		at = at.Add(time.Second)
		n := len(fake.Requests("message/update_template_card"))
		xml := wecomtest.CardClickXML(cfg, "lisi", wecom.CardButtonKey(key), taskID, code, at)
		if w := post(h, wecomtest.EncryptedPostAt(cfg, xml, serveNow)); w.Code != 200 {
			t.Fatalf("click: status %d", w.Code)
		}
		a.callback.Wait()
		ups := fake.Requests("message/update_template_card")
		if len(ups) != n+1 {
			t.Fatalf("click on %s: %d card updates, want 1", key, len(ups)-n)
		}
		var u updatedCard
		ups[n].JSON(t, &u)
		if u.ResponseCode != code || u.Button != nil || u.TemplateCard == nil {
			t.Fatalf("update is not a whole card for %s: %s", code, ups[n].Body)
		}
		if u.TemplateCard.TaskID != wecom.RefreshTaskID(taskID, code) || u.TemplateCard.TaskID == spec.TaskID || !wecom.ValidTaskID(u.TemplateCard.TaskID) {
			t.Fatalf("refreshed card's task_id %q (first card %q)", u.TemplateCard.TaskID, spec.TaskID)
		}
		return u
	}
	buttons := func(u updatedCard) string {
		var b []string
		for _, x := range u.TemplateCard.Buttons {
			b = append(b, x.Key)
		}
		return strings.Join(b, ",")
	}
	completions := func() map[string]int {
		m := map[string]int{}
		for _, c := range liveCompletions(t, a) {
			m[c.Key]++
		}
		return m
	}

	// Click the middle item.
	u := click(keys[1], spec.TaskID, "rc-1")
	if c := completions(); len(c) != 1 || c[keys[1]] != 1 {
		t.Fatalf("completions after one click: %v, want one of %s", c, keys[1])
	}
	want := wecom.CardButtonKey(keys[0]) + "," + wecom.CardButtonKey(keys[2])
	if got := buttons(u); got != want || u.TemplateCard.ReplaceText != "" {
		t.Fatalf("buttons %q (replace_text %q), want the other two clickable: %q", got, u.TemplateCard.ReplaceText, want)
	}
	if l := u.TemplateCard.Lines; len(l) != 3 || !strings.Contains(l[1].Value, "已完成") || strings.Contains(l[0].Value, "已完成") || strings.Contains(l[2].Value, "已完成") {
		t.Fatalf("lines %+v: want the second marked 已完成", l)
	}

	// The same item again, from the refreshed card: no new completion, the same card.
	refreshed := u.TemplateCard.TaskID
	u = click(keys[1], refreshed, "rc-2")
	if c := completions(); len(c) != 1 || c[keys[1]] != 1 {
		t.Fatalf("completions after a second click: %v", c)
	}
	if got := buttons(u); got != want {
		t.Fatalf("buttons after a second click %q, want %q", got, want)
	}

	// The other two: nothing left, the card says so and its one button is grey.
	u = click(keys[0], u.TemplateCard.TaskID, "rc-3")
	if got := buttons(u); got != wecom.CardButtonKey(keys[2]) {
		t.Fatalf("buttons with one left %q", got)
	}
	u = click(keys[2], u.TemplateCard.TaskID, "rc-4")
	if c := completions(); len(c) != 3 {
		t.Fatalf("completions %v, want all three", c)
	}
	if u.TemplateCard.ReplaceText != "全部完成" || u.TemplateCard.MainTitle.Desc != "全部完成" || len(u.TemplateCard.Buttons) != 1 {
		t.Fatalf("all-done card: desc %q, replace_text %q, %d buttons", u.TemplateCard.MainTitle.Desc, u.TemplateCard.ReplaceText, len(u.TemplateCard.Buttons))
	}
}

// A click on a card that is not the clicking user's digest card (another user's, or no digest
// card at all) still completes the item but falls back to greying the buttons.
func TestCardRefreshRefusesOtherCards(t *testing.T) {
	a, _, _ := newTestApp(t)
	day := bot.DateOf(serveNow)
	spec := threeItemCard(t, a, day)
	r := cardRefresher{store: a.store, cal: a.cal}
	for _, tc := range []struct{ user, task string }{
		{"wangzr", spec.TaskID},     // lisi's card, clicked by someone else
		{"lisi", "task-1"},          // not a digest card
		{"lisi", "dg_x_20260302_1"}, // malformed
	} {
		if card, err := r.refresh(context.Background(), wecom.Inbound{FromUserName: tc.user, TaskID: tc.task, ResponseCode: "rc"}); err == nil {
			t.Errorf("%s clicking %s: refreshed to %+v, want an error", tc.user, tc.task, card)
		}
	}
	card, err := r.refresh(context.Background(), wecom.Inbound{FromUserName: "lisi", TaskID: spec.TaskID, ResponseCode: "rc"})
	if err != nil || len(card.ButtonList) != 3 {
		t.Fatalf("lisi's own card: %v, %+v", err, card)
	}
}

func TestParseCardTaskID(t *testing.T) {
	id, day, err := schedule.ParseCardTaskID("dg_7_20260302_abc")
	if err != nil || id != 7 || day != bot.NewDate(2026, 3, 2) {
		t.Fatalf("got %d %v %v", id, day, err)
	}
	for _, bad := range []string{"", "dg_7_2026032_abc", "pb_7_20260302_abc", "dg_7_20261302_abc", "dg_7_20260302"} {
		if _, _, err := schedule.ParseCardTaskID(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzParseCardTaskID: any task_id from a callback is read without panicking, and what is
// accepted names a real day.
func FuzzParseCardTaskID(f *testing.F) {
	f.Add("dg_1_20260302_5d41402abc4b2a76")
	f.Add("dg_1_20260302_5d41402abc4b2a76_r0011aabb")
	f.Add("pb_default_20260615_u1")
	f.Fuzz(func(t *testing.T, s string) {
		_, day, err := schedule.ParseCardTaskID(wecom.BaseTaskID(s))
		if err == nil && (day.Month < 1 || day.Month > 12 || day.Day < 1 || day.Day > 31) {
			t.Fatalf("%q: day %v", s, day)
		}
	})
}

// A click on the supervisor's summary card (查看逾期) answers like the command and refreshes
// the summary: its buttons stay, they are not turned into 已完成.
func TestSummaryCardRefreshKeepsItsButtons(t *testing.T) {
	a, _, _ := newTestApp(t)
	day := bot.DateOf(serveNow)
	items, err := a.store.Obligations(context.Background(), a.team.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	boss := bot.Member{UserID: "wangzr", Name: "王主任", Role: bot.RoleSupervisor}
	spec, ok := schedule.MemberCard(a.team.ID, day, bot.DayAgenda(day, items, a.cal, bot.Shanghai), boss, nil)
	if !ok || len(spec.Links) == 0 {
		t.Fatalf("supervisor's card %+v", spec)
	}
	r := cardRefresher{store: a.store, cal: a.cal}
	card, err := r.refresh(context.Background(), wecom.Inbound{FromUserName: "wangzr", TaskID: spec.TaskID, ResponseCode: "rc", EventKey: "逾期"})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, b := range card.ButtonList {
		keys = append(keys, b.Key)
	}
	if strings.Join(keys, ",") != "逾期,今天" || card.ReplaceText != "" || card.TaskID == spec.TaskID {
		t.Fatalf("refreshed summary card: %+v", card)
	}
}
