package handlers

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/store/memory"
)

// update rewrites the golden files under testdata/ (replies and figures), as in every package: go test -update.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestReplyGolden pins the wording of the main replies (plain and markdown).
func TestReplyGolden(t *testing.T) {
	cases := []struct {
		name, user string
		steps      []string
		text       string
	}{
		{"today", "lisi", nil, "今天"},
		{"week", "lisi", []string{"完成 3 已寄出"}, "本周"},
		{"month_mine_first", "lisi", []string{"/assign k4 lisi"}, "本月"},
		{"done_note", "lisi", nil, "完成 3、5 已报送"},
		{"done_dialog", "lisi", nil, "完成"},
		{"status_staff", "lisi", []string{"完成 5"}, "进度"},
		{"status_supervisor", "wangzr", []string{"/assign k4 lisi", "完成 5"}, "进度"},
		{"help_staff", "lisi", nil, "帮助"},
		{"help_supervisor", "wangzr", nil, "帮助"},
		{"help_done", "lisi", nil, "帮助 完成"},
		{"help_nonmember", "stranger", nil, "帮助"},
		{"nonmember", "stranger", nil, "完成 3"},
		{"unknown", "lisi", nil, "完城 3"},
		{"add", "wangzr", nil, "新增 下周五 报送春季资金发放进度"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			for _, u := range []string{"lisi", "wangzr"} {
				_ = e.state.SaveList(ctx, bot.DefaultTeam, u, append([]string{dayMark + "2026-06-10"}, defaultList...))
			}
			for _, s := range c.steps {
				if key, who, ok := strings.Cut(strings.TrimPrefix(s, "/assign "), " "); ok && strings.HasPrefix(s, "/assign ") {
					if err := e.mem.Assign(ctx, e.team.ID, "wangzr", key, who, testNow, bot.Effect{}); err != nil {
						t.Fatal(err)
					}
					continue
				}
				e.say(c.user, s)
			}
			rep, _ := e.r.Handle(ctx, &bot.Request{Team: e.team, UserID: c.user, Text: c.text, Now: e.now})
			got := "--- plain\n" + rep.Text() + "\n--- markdown\n" + rep.MD() + "\n"
			replyGolden(t, filepath.Join("testdata", "replies", c.name+".golden"), got)
		})
	}
}

func replyGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./handlers -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run go test ./handlers -update and review the diff):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestLongListsAreOneMessage: the sample plan tracked from January, seen in December, would give
// lists far over WeCom's 2048 bytes; each answer is one message within it.
func TestLongListsAreOneMessage(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	team, _ := st.EnsureTeam(ctx, bot.DefaultTeam)
	if err := st.PutMember(ctx, "test", bot.Member{TeamID: team.ID, UserID: "lisi", Name: "李老师", Role: bot.RoleStaff, Active: true}); err != nil {
		t.Fatal(err)
	}
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, bot.Shanghai)
	if _, err := st.ImportPlan(ctx, team.ID, p, bot.ImportOptions{Actor: "cli", Today: bot.NewDate(2026, 1, 1), TrackPast: true, At: now}); err != nil {
		t.Fatal(err)
	}
	r := bot.NewRouter(newFakeState(), st, nil)
	Register(r, Deps{Store: st, State: newFakeState(), Calendar: workday.New()})
	// On a bad day (56 items overdue) every answer is still ONE app message: lists collapse
	// or page, they are not split into parts that may arrive out of order.
	for _, text := range []string{"逾期", "逾期 2", "今天", "帮助", "11月", "本月"} {
		rep, _ := r.Handle(ctx, &bot.Request{Team: team, UserID: "lisi", Text: text, Now: now})
		for _, form := range []string{rep.MD(), rep.Text()} {
			if len(form) > bot.MaxMessageBytes || len(rep.MarkdownParts()) != 1 {
				t.Errorf("%s: %d bytes, %d parts: %s", text, len(form), len(rep.MarkdownParts()), form)
			}
		}
		if text == "逾期" && !strings.Contains(rep.Text(), "逾期 2") {
			t.Errorf("逾期 of a whole year does not say how to see the next page:\n%s", rep.Text())
		}
	}
}
