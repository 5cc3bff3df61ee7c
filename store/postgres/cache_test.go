package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/postgres"
	"github.com/planbot/planbot/store/storetest"
)

// The cached reads see every write at once: through this store, through another store on the same
// database (another replica), and by plain SQL that bypasses the store.
func TestCachedReadsSeeEveryWrite(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	if err := postgres.Migrate(ctx, url); err != nil {
		t.Fatal(err)
	}
	open := func() *postgres.Store {
		s, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	a, b := open(), open()
	team, err := a.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, bot.Shanghai)
	if _, err := a.AddObligation(ctx, team.ID, "t", bot.Obligation{Key: "k1", Title: "甲", Due: bot.NewDate(2026, 3, 20)}, at, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	doneBy := func(s *postgres.Store) string {
		t.Helper()
		obs, err := s.Obligations(ctx, team.ID, false)
		if err != nil || len(obs) != 1 {
			t.Fatalf("Obligations: %v %v", obs, err)
		}
		return obs[0].DoneBy
	}
	names := func(s *postgres.Store) []string {
		t.Helper()
		ms, err := s.Members(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, m.UserID+"="+m.Name)
		}
		return out
	}
	for range 2 { // fill both caches
		if doneBy(a) != "" || doneBy(b) != "" || len(names(a)) != 0 || len(names(b)) != 0 {
			t.Fatal("a fresh team has completions or members")
		}
	}

	// A completion through a is seen by b; an undo through b by a.
	if err := a.Complete(ctx, team.ID, "lisi", "k1", "", at, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	if got := doneBy(b); got != "lisi" {
		t.Fatalf("b after a's completion: done by %q", got)
	}
	if err := b.Undo(ctx, team.ID, "lisi", "k1", at, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	if got := doneBy(a); got != "" {
		t.Fatalf("a after b's undo: done by %q", got)
	}

	// Plain SQL, past both stores.
	if _, err := a.Pool().Exec(ctx, `update obligations set assignee = 'wang' where key = 'k1'`); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*postgres.Store{a, b} {
		if obs, _ := s.Obligations(ctx, team.ID, false); obs[0].Assignee != "wang" {
			t.Fatalf("an SQL update is not seen: %+v", obs[0])
		}
	}
	if err := a.PutMember(ctx, "t", bot.Member{TeamID: team.ID, UserID: "lisi", Name: "李", Role: bot.RoleStaff, Active: true}); err != nil {
		t.Fatal(err)
	}
	if got := names(b); len(got) != 1 || got[0] != "lisi=李" {
		t.Fatalf("b after a's PutMember: %v", got)
	}
	if _, err := b.Pool().Exec(ctx, `update members set name = '李老师'`); err != nil {
		t.Fatal(err)
	}
	if got := names(a); len(got) != 1 || got[0] != "lisi=李老师" {
		t.Fatalf("a after an SQL update of members: %v", got)
	}

	// What a caller does to its slice does not reach the next caller.
	obs, _ := a.Obligations(ctx, team.ID, false)
	obs[0].Title = "changed by the caller"
	if again, _ := a.Obligations(ctx, team.ID, false); again[0].Title != "甲" {
		t.Fatalf("the cache shares its slice: %q", again[0].Title)
	}
}

// A slice Obligations or Members handed out is the caller's own: later writes do not change it
// and what the caller does to it does not reach the cache; a hit answers what a miss answered.
func TestCachedRowsAreCopies(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	if err := postgres.Migrate(ctx, url); err != nil {
		t.Fatal(err)
	}
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	team, err := s.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, bot.Shanghai)
	if _, err := s.AddObligation(ctx, team.ID, "t", bot.Obligation{Key: "k1", Title: "甲", Due: bot.NewDate(2026, 3, 20)}, at, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	var before []bot.Tracked
	for range 2 { // a miss, then a hit
		got, err := s.Obligations(ctx, team.ID, false)
		if err != nil || len(got) != 1 || got[0].Key != "k1" || got[0].Title != "甲" {
			t.Fatalf("Obligations %v %v", got, err)
		}
		before = got
	}
	if err := s.Complete(ctx, team.ID, "lisi", "k1", "", at, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	after, err := s.Obligations(ctx, team.ID, false)
	if err != nil || len(after) != 1 || after[0].DoneBy != "lisi" {
		t.Fatalf("after Complete: %v %v", after, err)
	}
	if before[0].DoneBy != "" {
		t.Fatalf("a slice handed out earlier changed: %+v", before[0])
	}

	if err := s.PutMember(ctx, "t", bot.Member{TeamID: team.ID, UserID: "lisi", Name: "李老师", Role: bot.RoleStaff, Active: true}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got, err := s.Members(ctx, team.ID)
		if err != nil || len(got) != 1 || got[0].Name != "李老师" {
			t.Fatalf("Members: %v %v", got, err)
		}
	}
	ms, _ := s.Members(ctx, team.ID)
	ms[0].Name = "changed by the caller"
	if got, _ := s.Members(ctx, team.ID); got[0].Name != "李老师" {
		t.Fatalf("Members shares the cache's slice: %q", got[0].Name)
	}
	if _, err := s.Member(ctx, team.ID, "nobody"); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("Member(nobody): %v, want ErrNotFound", err)
	}
}
