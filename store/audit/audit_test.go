package audit

import (
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

// The shapes are what store/memory and store/postgres write and what readers of the audit trail
// parse: a change here is a change of the stored format.
func TestShapes(t *testing.T) {
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	var noPlan Snapshot
	before, after := FigureVoid("wang", at)
	cases := []struct {
		name string
		v    any
		want string
	}{
		{"nil", nil, ""},
		{"nil snapshot is null", noPlan, "null"},
		{"obligation", Obligation(bot.Tracked{Obligation: bot.Obligation{Key: "k", Title: "报表", Due: bot.NewDate(2026, 6, 15), Rule: bot.RuleOnce, Line: 3}}),
			`{"before_tracking":false,"due":"2026-06-15","key":"k","line":3,"period":"","retired":false,"rule":"once","start":null,"title":"报表"}`},
		{"completion", Completion(bot.Completion{By: "wang", At: at, Note: "ok"}), `{"at":"2026-03-02T01:00:00Z","by":"wang","note":"ok"}`},
		{"completion undone", Completion(bot.Completion{By: "wang", At: at, UndoneBy: "li", UndoneAt: at}),
			`{"at":"2026-03-02T01:00:00Z","by":"wang","note":"","undone_at":"2026-03-02T01:00:00Z","undone_by":"li"}`},
		{"unassigned", Assignee(""), `{"assignee":null}`},
		{"assigned", Assignee("wang"), `{"assignee":"wang"}`},
		{"plan", Plan("计划", 2026, "a.txt", "ab"), `{"hash":"ab","source":"a.txt","title":"计划","year":2026}`},
		{"team", Team(bot.Team{Name: "资助中心", TimeZone: "Asia/Shanghai", ParentID: 3}), `{"digest_cron":"","group_target":"","name":"资助中心","parent_id":3,"removed":false,"time_zone":"Asia/Shanghai"}`},
		{"member", Member(bot.Member{UserID: "wang", Role: bot.RoleStaff, Active: true}), `{"active":true,"name":"","role":"staff","userid":"wang"}`},
		{"void before", before, `{"void":false}`},
		{"void after", after, `{"void":true,"voided_at":"2026-03-02T01:00:00Z","voided_by":"wang"}`},
	}
	for _, c := range cases {
		if got := Text(c.v); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}
