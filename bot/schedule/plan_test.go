package schedule

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

func keys(msgs []DeliverArgs) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Key+"→"+m.To)
	}
	sort.Strings(out)
	return out
}

func input(day bot.Date, items ...bot.Tracked) planInput {
	st := sampleStore()
	return planInput{Team: st.teams[0], Day: day, Items: items, Members: st.members, Cal: calendar2026{}, Config: DefaultTeamConfig()}
}

func d(m time.Month, day int) bot.Date { return bot.NewDate(2026, m, day) }

func done(t bot.Tracked, at time.Time) bot.Tracked {
	t.DoneBy, t.DoneAt = "li", at
	return t
}

func TestPlan(t *testing.T) {
	var (
		a     = item("a", "上报名单", d(2, 13), "li")    // 3 workdays after 02-10
		b     = item("b", "更新数据", d(2, 11), "")      // 1 workday after 02-10, unassigned
		c     = item("c", "报送月报", d(2, 10), "zhang") // due 02-10
		sun   = item("sun", "节后报送", d(2, 15), "li")  // Sunday in the holiday: effective 02-14 (make-up Saturday)
		over  = item("over", "逾期事项", d(2, 10), "li")
		mar   = item("mar", "发放助学金", d(3, 20), "li")
		retir = item("r", "已撤销", d(2, 13), "li")
	)
	retir.Retired = true
	tests := []struct {
		name string
		kind Kind
		in   planInput
		want []string
	}{
		{"remind ahead, group for unassigned, due-day mention", KindRemind, input(d(2, 10), a, b, c, sun, retir),
			[]string{"remind/default/2026-02-10/due→@group", "remind/default/2026-02-10/group→@group", "remind/default/2026-02-10/li→li"}},
		{"remind 3 workdays before an effective deadline moved by the holiday", KindRemind, input(d(2, 11), sun),
			[]string{"remind/default/2026-02-11/li→li"}},
		{"remind quiet", KindRemind, input(d(2, 10), mar), nil},
		{"remind done items quiet", KindRemind, input(d(2, 10), done(a, d(2, 9).Time(bot.Shanghai))), nil},
		{"escalate the day after", KindEscalate, input(d(2, 11), over), []string{"escalate/default/2026-02-11/boss→boss"}},
		{"escalate not two days after", KindEscalate, input(d(2, 12), over), nil},
		{"escalate a week after the first", KindEscalate, input(d(2, 25), over), []string{"escalate/default/2026-02-25/boss→boss"}},
		{"escalate nothing on a holiday", KindEscalate, input(d(2, 18), over), nil},
		{"escalate not before the deadline", KindEscalate, input(d(2, 10), over), nil},
		{"monthly on the first workday", KindMonthly, input(d(3, 2), mar), []string{"monthly/default/2026-03-02/group/1→@group"}},
		{"monthly not the second workday", KindMonthly, input(d(3, 3), mar), nil},
		{"monthly quiet with nothing due", KindMonthly, input(d(2, 2), mar), nil},
		{"weekly to supervisors", KindWeekly, input(d(2, 13), over, done(a, d(2, 12).Time(bot.Shanghai).Add(10*time.Hour))),
			[]string{"weekly/default/2026-02-13/boss→boss"}},
		{"weekly quiet", KindWeekly, input(d(2, 13), mar), nil},
		{"digest quiet", KindDigest, input(d(2, 13)), nil},
		{"digest on the make-up Saturday", KindDigest, input(d(2, 14), sun),
			// "sun" is due today (effective) and li's: li gets a card, the supervisor the team's summary.
			[]string{"digest/default/2026-02-14/card/boss→boss", "digest/default/2026-02-14/card/li→li", "digest/default/2026-02-14/group/1→@group"}},
		{"nothing on a holiday", KindDigest, input(d(2, 16), a, b, c, over), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := keys(plan(tt.kind, tt.in))
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestPlanContent(t *testing.T) {
	msgs := plan(KindRemind, input(d(2, 10), item("c", "报送月报", d(2, 10), "zhang")))
	if len(msgs) != 1 || !strings.Contains(msgs[0].Markdown, "<@zhang> 报送月报") {
		t.Fatalf("due-day mention %+v", msgs)
	}
	msgs = plan(KindRemind, input(d(2, 10), item("m", "<@all> 报送", d(2, 10), "zhang")))
	if len(msgs) != 1 || strings.Contains(msgs[0].Markdown, "<@all>") || !strings.Contains(msgs[0].Markdown, "<@zhang> ＜@all＞ 报送") {
		t.Fatalf("title not escaped: %+v", msgs)
	}
	msgs = plan(KindEscalate, input(d(2, 11), item("o", "逾期事项", d(2, 10), "li")))
	if len(msgs) != 1 || !strings.Contains(msgs[0].Markdown, "逾期事项（2月10日截止，逾期 1 天，李四）") {
		t.Fatalf("escalation %+v", msgs)
	}
}

func TestCardsAtMostSixAndOwnOrUnassigned(t *testing.T) {
	var items []bot.Tracked
	for i := range 8 {
		items = append(items, item(fmt.Sprintf("u%d", i), fmt.Sprintf("事项%d", i), d(2, 13), ""))
	}
	items = append(items, item("z", "张三的", d(2, 12), "zhang"))
	in := input(d(2, 13), items...)
	var li, zhang *bot.Card
	for _, m := range plan(KindDigest, in) {
		switch m.To {
		case "li":
			li = m.Card
		case "zhang":
			zhang = m.Card
		}
	}
	if li == nil || len(li.Items) != MaxCardItems {
		t.Fatalf("li's card %+v", li)
	}
	for _, it := range li.Items {
		if it.Key == "z" || it.EventKey != "done:"+it.Key {
			t.Fatalf("li's card item %+v", it)
		}
	}
	if zhang == nil || zhang.Items[0].Key != "z" || !strings.Contains(zhang.Items[0].Text, "逾期") {
		t.Fatalf("zhang's card %+v", zhang)
	}
	if len(li.TaskID) > 128 || strings.ContainsFunc(li.TaskID, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '-' || r == '@')
	}) || li.TaskID == zhang.TaskID {
		t.Fatalf("task ids %q %q", li.TaskID, zhang.TaskID)
	}
	in.Config.Cards = false
	for _, m := range plan(KindDigest, in) {
		if m.Card != nil {
			t.Fatal("card sent with Cards off")
		}
	}
}

func TestTeamConfigCron(t *testing.T) {
	s := &Scheduler{d: Deps{DigestCron: "5 9 * * 1-5"}}
	if c := s.teamConfig(bot.Team{Name: bot.DefaultTeam, DigestCron: "0 7 * * *"}); c.DigestCron != "5 9 * * 1-5" {
		t.Fatalf("default team digest cron %q, want PLANBOT_DIGEST_CRON", c.DigestCron)
	}
	if c := s.teamConfig(bot.Team{Name: "南区", DigestCron: "0 7 * * *"}); c.DigestCron != "0 7 * * *" {
		t.Fatalf("other team digest cron %q", c.DigestCron)
	}
	c := DefaultTeamConfig()
	c.Off = map[Kind]bool{KindWeekly: true}
	if c.Cron(KindWeekly) != "" || c.Cron(KindDigest) != DefaultDigestCron {
		t.Fatal("Off switch")
	}
	if _, err := ParseCron("61 8 * * *", bot.Shanghai); err == nil {
		t.Fatal("bad cron accepted")
	}
	// The schedule is read in the team's zone: 08:30 Shanghai is 00:30 UTC.
	sc := mustCron(t, "30 8 * * *")
	next := sc.Next(time.Date(2026, 2, 13, 0, 0, 0, 0, time.UTC))
	if !next.Equal(time.Date(2026, 2, 13, 0, 30, 0, 0, time.UTC)) {
		t.Fatalf("next %v", next)
	}
}

func FuzzParseCron(f *testing.F) {
	for _, s := range []string{"30 8 * * *", "@daily", "*/5 * * * 1-5", "CRON_TZ=Asia/Shanghai 0 9 * * *", "", "61 * * * *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		c, err := ParseCron(spec, bot.Shanghai)
		if err != nil {
			return
		}
		_, _ = c.FirstOn(bot.NewDate(2026, 2, 14))
	})
}

// The digest and the cards show the team's numbering of the day when one is given (the one
// chat already uses), not the agenda's own.
func TestDigestUsesTheDayNumbering(t *testing.T) {
	in := input(d(2, 13), item("a", "上报名单", d(2, 13), "li"), item("b", "更新数据", d(2, 13), "li"))
	in.Numbers = map[string]int{"b": 1, "a": 7} // "a" was added after the numbering was made
	var group string
	var li *bot.Card
	for _, m := range plan(KindDigest, in) {
		if m.To == ToGroup {
			group = m.Markdown
		}
		if m.To == "li" {
			li = m.Card
		}
	}
	if !strings.Contains(group, "7. 上报名单") || !strings.Contains(group, "1. 更新数据") {
		t.Fatalf("group digest:\n%s", group)
	}
	if li == nil || len(li.Items) != 2 {
		t.Fatalf("li's card %+v", li)
	}
	for _, it := range li.Items {
		if it.Num != in.Numbers[it.Key] {
			t.Errorf("card item %s numbered %d, want %d", it.Key, it.Num, in.Numbers[it.Key])
		}
	}
}

// A team whose group is an app chat gets its digest within 2048 bytes, the group robot 4096;
// either way one message.
func TestDigestFitsTheGroupChannel(t *testing.T) {
	var items []bot.Tracked
	for i := range 60 {
		items = append(items, item(fmt.Sprintf("o%d", i), strings.Repeat("审核汇总国家助学金名单", 4), d(1, 5+i%20), ""))
	}
	items = append(items, item("today", "今天到期的事", d(2, 13), "li"))
	for _, tc := range []struct {
		target string
		max    int
	}{{"webhook:k", 4096}, {"appchat:c1", 2048}} {
		in := input(d(2, 13), items...)
		in.Team.GroupTarget = tc.target
		var groups []string
		for _, m := range plan(KindDigest, in) {
			if m.To == ToGroup {
				groups = append(groups, m.Markdown)
			}
		}
		if len(groups) != 1 || len(groups[0]) > tc.max || !strings.Contains(groups[0], "今天到期的事") {
			t.Fatalf("%s: %d messages, %d bytes (max %d)", tc.target, len(groups), len(groups[0]), tc.max)
		}
	}
}

// A supervisor who holds items himself sees them counted on his summary card.
func TestSummaryCardCountsTheSupervisorsOwn(t *testing.T) {
	in := input(d(2, 13), item("a", "上报名单", d(2, 13), "boss"), item("b", "更新数据", d(2, 10), "boss"), item("c", "报送月报", d(2, 13), "li"))
	for _, m := range plan(KindDigest, in) {
		if m.To != "boss" {
			continue
		}
		for _, f := range m.Card.Facts {
			if f.Key == "你名下" && strings.Contains(f.Value, "今天到期1项，逾期1项") {
				return
			}
		}
		t.Fatalf("boss's card %+v", m.Card)
	}
	t.Fatal("no card for boss")
}

// The item due today is on the card even when the member holds more overdue items than fit.
func TestCardKeepsTodayOverOldItems(t *testing.T) {
	var items []bot.Tracked
	for i := range 8 {
		items = append(items, item(fmt.Sprintf("old%d", i), fmt.Sprintf("一月的事%d", i), d(1, 5+i), "li"))
	}
	items = append(items, item("today", "更新维护系统数据", d(2, 13), ""))
	for _, m := range plan(KindDigest, input(d(2, 13), items...)) {
		if m.To != "li" {
			continue
		}
		keys := []string{}
		for _, it := range m.Card.Items {
			keys = append(keys, it.Key)
		}
		if len(keys) != MaxCardItems || !slices.Contains(keys, "today") || !strings.Contains(m.Card.Desc, "另有3项") {
			t.Fatalf("li's card %v, desc %q", keys, m.Card.Desc)
		}
		return
	}
	t.Fatal("no card for li")
}
