package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/render"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/handlers"
	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/redisstate"
)

var updateMorning = flag.Bool("update", false, "rewrite the golden files in testdata/")

// morningOffice is the demo office (wangzr supervises lisi and zhangsan) tracking the sample
// plan from January, on day at 09:00: nothing done, or realistic (sampleProgress).
type morningOffice struct {
	st     *memory.Store
	team   bot.Team
	router *bot.Router
	cal    bot.Calendar
	day    bot.Date
}

func newMorningOffice(t *testing.T, day bot.Date, realistic bool) *morningOffice {
	t.Helper()
	ctx := context.Background()
	o := &morningOffice{st: memory.New(), cal: workday.New(), day: day}
	var err error
	if o.team, err = o.st.EnsureTeam(ctx, bot.DefaultTeam); err != nil {
		t.Fatal(err)
	}
	o.team.GroupTarget = "webhook:k" // the group robot: 4096 bytes of markdown
	for _, m := range demoMembers {
		m.TeamID = o.team.ID
		if err := o.st.PutMember(ctx, "test", m); err != nil {
			t.Fatal(err)
		}
	}
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: day.Year})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if _, err := o.st.ImportPlan(ctx, o.team.ID, p, bot.ImportOptions{Source: name, Hash: hex.EncodeToString(sum[:]), Actor: "cli",
		Today: bot.NewDate(day.Year, time.January, 1), TrackPast: true, At: day.Time(bot.Shanghai)}); err != nil {
		t.Fatal(err)
	}
	if realistic {
		if err := sampleProgress(ctx, o.st, o.team, []string{"lisi", "zhangsan"}, "wangzr", day, o.cal); err != nil {
			t.Fatal(err)
		}
	}
	client, stop, err := redisstate.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	state := redisstate.New(client, redisstate.Options{Prefix: "morning:", RatePerMinute: -1})
	o.router = bot.NewRouter(state, o.st, nil)
	handlers.Register(o.router, handlers.Deps{Store: o.st, State: state, Calendar: o.cal})
	return o
}

func (o *morningOffice) say(t *testing.T, user, text string) bot.Reply {
	t.Helper()
	rep, _ := o.router.Handle(context.Background(), &bot.Request{Team: o.team, UserID: user, Text: text,
		Now: o.day.Time(bot.Shanghai).Add(9*time.Hour + 10*time.Minute)})
	return rep
}

// numbered finds "N. title" lines (with or without markup and indentation).
var numbered = regexp.MustCompile(`(?m)^(?:\s*|<font color="warning">)(\d+)\. ([^—\n]+?)(?: — |…|$)`)

func numbersIn(s string) map[int]string {
	m := map[int]string{}
	for _, sub := range numbered.FindAllStringSubmatch(s, -1) {
		n, _ := strconv.Atoi(sub[1])
		m[n] = strings.TrimSuffix(strings.TrimSpace(sub[2]), "…")
	}
	return m
}

// screens estimates how many phone screens a message takes: about 18 full-width characters a
// row and 16 rows a screen in WeCom's chat view.
func screens(s string) float64 {
	rows := 0
	for _, line := range strings.Split(s, "\n") {
		w := 0
		for _, r := range line {
			if r < 0x80 {
				w++
			} else {
				w += 2
			}
		}
		rows += 1 + w/36
	}
	return float64(rows) / 16
}

// TestMorningGoldens pins the group digest, every personal card and 今天 (as 李老师 sees it) for
// the sample plan on 2026-05-20 and 2026-12-02, with nothing done and in a realistic state:
// each one message within its channel's limit, and the same number for the same item in the
// group, on a card and in chat.
func TestMorningGoldens(t *testing.T) {
	for _, day := range []string{"2026-05-20", "2026-12-02", "2026-05-29"} { // 05-29: month end, several due today
		for _, realistic := range []bool{false, true} {
			state := "nothing-done"
			if realistic {
				state = "realistic"
			}
			t.Run(day+"-"+state, func(t *testing.T) {
				d, _ := bot.ParseDate(day)
				o := newMorningOffice(t, d, realistic)
				items, err := o.st.Obligations(context.Background(), o.team.ID, false)
				if err != nil {
					t.Fatal(err)
				}
				members, _ := o.st.Members(context.Background(), o.team.ID)
				msgs := schedule.Morning(o.team, d, items, members, o.cal, false)
				var b strings.Builder
				var group string
				groups := 0
				for _, m := range msgs {
					if m.To == schedule.ToGroup {
						group = m.Markdown
						groups++
						fmt.Fprintf(&b, "===== 群消息（机器人 markdown，%d/%d 字节，约%.1f屏）=====\n%s\n", len(m.Markdown), render.GroupMaxBytes, screens(m.Markdown), m.Markdown)
					}
				}
				if groups != 1 || len(group) > render.GroupMaxBytes || !utf8.ValidString(group) {
					t.Fatalf("%d group messages, %d bytes", groups, len(group))
				}
				inGroup := numbersIn(group)
				agenda := bot.DayAgenda(d, items, o.cal, bot.Shanghai)
				for _, it := range agenda.DueToday {
					n := agenda.Numbers()[it.Key]
					if !strings.HasPrefix(it.Title, inGroup[n]) || inGroup[n] == "" {
						t.Errorf("item due today %d %q not in the group digest", n, it.Title)
					}
				}
				for _, m := range msgs {
					if m.Card == nil {
						continue
					}
					js, _ := json.Marshal(wecom.TemplateCardOf(*m.Card))
					fmt.Fprintf(&b, "===== 卡片 → %s（%d 字节）=====\n%s | %s\n", m.To, len(js), m.Card.Title, m.Card.Desc)
					for _, it := range m.Card.Items {
						fmt.Fprintf(&b, "  %d. %s [完成%d]\n", it.Num, it.Text, it.Num)
						if want := agenda.Numbered()[it.Num-1]; want.Key != it.Key {
							t.Errorf("card of %s: number %d is %s, the day's %d is %s", m.To, it.Num, it.Key, it.Num, want.Key)
						}
						if g, ok := inGroup[it.Num]; ok && !strings.HasPrefix(it.Text, g) {
							t.Errorf("card of %s: %d. %q, the group digest's %d. %q", m.To, it.Num, it.Text, it.Num, g)
						}
					}
					for _, f := range m.Card.Facts {
						fmt.Fprintf(&b, "  %s：%s\n", f.Key, f.Value)
					}
					for _, l := range m.Card.Links {
						fmt.Fprintf(&b, "  [%s → %s]\n", l.Text, l.Command)
					}
				}
				rep := o.say(t, "lisi", "今天")
				md, plain := rep.MD(), rep.Text()
				fmt.Fprintf(&b, "===== 今天（李老师，应用 markdown，%d/%d 字节，约%.1f屏）=====\n%s\n", len(md), render.AppMaxBytes, screens(md), md)
				if len(md) > render.AppMaxBytes || len(plain) > render.AppMaxBytes || len(rep.MarkdownParts()) != 1 {
					t.Errorf("今天: %d/%d bytes", len(md), len(plain))
				}
				for n, title := range numbersIn(md) {
					if g, ok := inGroup[n]; ok && g != title {
						t.Errorf("今天 %d. %q, the group digest's %d. %q", n, title, n, g)
					}
				}
				path := filepath.Join("testdata", "morning", day+"-"+state+".txt")
				if *updateMorning {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (go test ./cmd/planbot -run TestMorningGoldens -update)", err)
				}
				if b.String() != string(want) {
					t.Errorf("%s differs (go test ./cmd/planbot -run TestMorningGoldens -update):\n%s", path, b.String())
				}
			})
		}
	}
}
