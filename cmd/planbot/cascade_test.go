package main

import (
	"context"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/workday"
)

// TestImportCascade: `planbot import FILE --team 淮北市 --cascade` gives the city's counties and
// the county's school the plan, each due three workdays before the unit above on the 调休
// calendar and linked to its obligation; editing one date and importing again moves it in
// every unit and keeps the rest (and its completions) as they were.
func TestImportCascade(t *testing.T) {
	for name, newRunner := range runners() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := newRunner(t)
			for _, args := range [][]string{
				{"add", "淮北市"}, {"add", "濉溪县", "--parent", "淮北市"}, {"add", "相山区", "--parent", "淮北市"},
				{"add", "杜集区", "--parent", "淮北市"}, {"add", "濉溪中学", "--parent", "濉溪县"},
			} {
				if _, _, err := run(t, runTeam, args...); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := run(t, runImport, writeSample(t, "", ""), "--team", "无此市", "--cascade", "--year", "2026"); err == nil || !strings.Contains(err.Error(), "没有单位") {
				t.Fatalf("cascade to an unknown unit: %v", err)
			}
			out, _, err := run(t, runImport, writeSample(t, "", ""), "--team", "淮北市", "--cascade", "--year", "2026")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "下级单位 4 个（提前 3 个工作日）") || !strings.Contains(out, "  ↳ 濉溪中学: +") {
				t.Fatalf("cascade output:\n%s", out)
			}
			// withStore runs fn on the store as a command would (the postgres runner opens it per command).
			withStore := func(fn func(ctx context.Context, st bot.Store)) {
				t.Helper()
				if _, _, err := run(t, func(ctx context.Context, c *cli, _ []string) error {
					st, err := c.store(ctx)
					if err != nil {
						return err
					}
					fn(ctx, st)
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			var tree *bot.Tree
			withStore(func(ctx context.Context, st bot.Store) {
				teams, err := st.Teams(ctx)
				if err != nil {
					t.Fatal(err)
				}
				tree = bot.NewTree(teams)
			})
			unit := func(n string) bot.Team { u, _ := tree.ByName(n); return u }
			byKey := func(u string) map[string]bot.Tracked {
				m := map[string]bot.Tracked{}
				withStore(func(ctx context.Context, st bot.Store) {
					items, err := st.Obligations(ctx, unit(u).ID, false)
					if err != nil {
						t.Fatal(err)
					}
					for _, it := range items {
						m[it.Key] = it
					}
				})
				return m
			}
			cal := workday.New()
			city, county, school := byKey("淮北市"), byKey("濉溪县"), byKey("濉溪中学")
			if len(city) == 0 || len(county) != len(city) || len(school) != len(city) || len(byKey("相山区")) != len(city) {
				t.Fatalf("items: city %d, county %d, school %d", len(city), len(county), len(school))
			}
			for k, c := range city {
				cy, ok := county["up:"+k]
				if !ok {
					t.Fatalf("county lacks the linked item of %s", k)
				}
				if want := cal.AddWorkdays(cal.EffectiveDue(c.Due), -3); cy.Due != want || cy.Title != c.Title {
					t.Fatalf("%s: county due %s, want %s", k, cy.Due, want)
				}
				sc := school["up:up:"+k]
				if want := cal.AddWorkdays(cal.EffectiveDue(cy.Due), -3); sc.Due != want {
					t.Fatalf("%s: school due %s, want %s", k, sc.Due, want)
				}
				if pk, ok := bot.ParentKey(sc.Key); !ok || pk != cy.Key {
					t.Fatalf("school item %s is not linked to the county's %s", sc.Key, cy.Key)
				}
			}
			// By hand on the 2026 calendar: 2月29日 is 2月28日 in 2026, a Saturday make-up
			// workday (调休), so the city is due that day; three workdays before it is Wed 25 Feb;
			// three before that skip the Spring Festival (16–23 Feb) and count the make-up
			// Saturday 14 Feb: 24 Feb, 14 Feb, 13 Feb.
			feb := 0
			for k, c := range city {
				if c.Due != bot.NewDate(2026, 2, 28) {
					continue
				}
				feb++
				if cy, sc := county["up:"+k], school["up:up:"+k]; cy.Due != bot.NewDate(2026, 2, 25) || sc.Due != bot.NewDate(2026, 2, 13) {
					t.Fatalf("%s: county %s, school %s; want 2026-02-25 and 2026-02-13", c.Title, cy.Due, sc.Due)
				}
			}
			if feb == 0 {
				t.Fatal("no city item due 2026-02-28 in the sample")
			}
			// The school finishes one item; the county adds its own plan, which the cascade never retires.
			var done string
			for k := range school {
				done = k
				break
			}
			withStore(func(ctx context.Context, st bot.Store) {
				if err := st.Complete(ctx, unit("濉溪中学").ID, "sun", done, "", importClock(), bot.Effect{}); err != nil {
					t.Fatal(err)
				}
				if _, err := st.ImportPlan(ctx, unit("濉溪县").ID, bot.Plan{Title: "濉溪县自定计划", Year: 2026, Obligations: []bot.Obligation{
					{Key: "own-1", Title: "县里自己的事", Due: bot.NewDate(2026, 6, 10), Period: "2026-06", Rule: bot.RuleOnce},
				}}, bot.ImportOptions{Source: "own.txt", Actor: "cli", Today: bot.NewDate(2026, 1, 5), At: importClock()}); err != nil {
					t.Fatal(err)
				}
			})
			// 5月25日 becomes 5月10日 (a Sunday: the city's effective date is Sat 9 May, a make-up
			// workday; the county is due Wed 6 May; the school, past the May Day holiday 1–5 May, Tue 28 Apr).
			out, _, err = run(t, runImport, writeSample(t, "确保5月25日前完成资金发放", "确保5月10日前完成资金发放"), "--team", "淮北市", "--cascade", "--year", "2026")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "~1 changed") || !strings.Contains(out, "下级单位 4 个（提前 3 个工作日）: +0 new, ~4 changed, -0 retired") {
				t.Fatalf("re-import output:\n%s", out)
			}
			city2, county2, school2 := byKey("淮北市"), byKey("濉溪县"), byKey("濉溪中学")
			moved := 0
			for k, c := range city2 {
				if c.Due == city[k].Due {
					if county2["up:"+k].Due != county["up:"+k].Due || school2["up:up:"+k].Due != school["up:up:"+k].Due {
						t.Fatalf("%s moved below but not in the city", k)
					}
					continue
				}
				moved++
				if c.Due != bot.NewDate(2026, 5, 10) || county2["up:"+k].Due != bot.NewDate(2026, 5, 6) || school2["up:up:"+k].Due != bot.NewDate(2026, 4, 28) {
					t.Fatalf("%s: city %s county %s school %s", k, c.Due, county2["up:"+k].Due, school2["up:up:"+k].Due)
				}
				if len(byKey("相山区")) != len(city) || byKey("相山区")["up:"+k].Due != bot.NewDate(2026, 5, 6) {
					t.Fatal("the date did not move in 相山区")
				}
			}
			if moved != 1 {
				t.Fatalf("%d items moved, want 1", moved)
			}
			if school2[done].DoneBy != "sun" {
				t.Fatal("the school's completion was lost by the re-import")
			}
			if _, ok := county2["own-1"]; !ok {
				t.Fatal("the cascade retired the county's own plan")
			}
		})
	}
}
