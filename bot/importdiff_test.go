package bot

import (
	"slices"
	"testing"
)

// The one import diff: every kind of change, in the plan's order then retirements by key, with
// IDs and assignees kept and BeforeTracking set as both stores always did.
func TestDiffImport(t *testing.T) {
	ob := func(key, title string, due Date, line int) Obligation {
		return Obligation{Key: key, Title: title, Due: due, Rule: RuleOnce, Line: line}
	}
	today := NewDate(2026, 3, 1)
	stored := map[string]StoredObligation{
		"same":    {Tracked: Tracked{Obligation: ob("same", "甲", NewDate(2026, 4, 1), 3), ID: 1, Assignee: "li"}, PlanID: 7},
		"moved":   {Tracked: Tracked{Obligation: ob("moved", "乙", NewDate(2026, 4, 2), 4), ID: 2}, PlanID: 7},
		"edited":  {Tracked: Tracked{Obligation: ob("edited", "丙", NewDate(2026, 4, 3), 5), ID: 3, Assignee: "wang"}, PlanID: 7},
		"back":    {Tracked: Tracked{Obligation: ob("back", "丁", NewDate(2026, 2, 1), 6), ID: 4, Retired: true, BeforeTracking: false}, PlanID: 7},
		"gone-b":  {Tracked: Tracked{Obligation: ob("gone-b", "戊", NewDate(2026, 5, 1), 7), ID: 5}, PlanID: 7},
		"gone-a":  {Tracked: Tracked{Obligation: ob("gone-a", "己", NewDate(2026, 5, 2), 8), ID: 6}, PlanID: 7},
		"other":   {Tracked: Tracked{Obligation: ob("other", "庚", NewDate(2026, 5, 3), 9), ID: 7}, PlanID: 8},
		"by-hand": {Tracked: Tracked{Obligation: ob("by-hand", "辛", NewDate(2026, 5, 4), 0), ID: 8}, PlanID: 0},
	}
	obls := []Obligation{
		ob("new-past", "新一", NewDate(2026, 2, 10), 1),
		ob("same", "甲", NewDate(2026, 4, 1), 3),
		ob("moved", "乙", NewDate(2026, 4, 2), 14),
		ob("edited", "丙改", NewDate(2026, 4, 3), 5),
		ob("back", "丁", NewDate(2026, 2, 1), 6),
	}
	changes, res := DiffImport(stored, obls, 7, ImportOptions{Today: today})
	if res != (ImportResult{PlanID: 7, New: 2, Changed: 1, Retired: 2, Unchanged: 2}) {
		t.Fatalf("result %+v", res)
	}
	var got []string
	for _, c := range changes {
		got = append(got, c.Action+" "+c.Key)
	}
	want := []string{"obligation.add new-past", " moved", "obligation.update edited", "obligation.restore back",
		"obligation.retire gone-a", "obligation.retire gone-b"}
	if !slices.Equal(got, want) {
		t.Fatalf("changes %q, want %q", got, want)
	}
	if c := changes[0]; !c.After.BeforeTracking || c.After.ID != 0 {
		t.Errorf("an add due before today: %+v", c.After)
	}
	if c := changes[1]; c.After.Line != 14 || c.After.ID != 2 {
		t.Errorf("a line-only move: %+v", c.After)
	}
	if c := changes[2]; c.After.Title != "丙改" || c.After.ID != 3 || c.After.Assignee != "wang" || c.Before.Title != "丙" {
		t.Errorf("an update keeps ID and assignee: %+v", c)
	}
	if c := changes[3]; c.After.Retired || c.After.BeforeTracking {
		t.Errorf("a restore with the same content keeps its flag (false), not the past-due one: %+v", c.After)
	}
	if c := changes[4]; !c.After.Retired || c.Before.Retired || c.After.ID != 6 {
		t.Errorf("a retirement: %+v", c)
	}
	// TrackPast tracks what is already due; a plan of another id updates what came from plan 7.
	changes, res = DiffImport(stored, obls[:1], 8, ImportOptions{Today: today, TrackPast: true})
	if changes[0].After.BeforeTracking || res.Retired != 1 || changes[1].Key != "other" {
		t.Fatalf("TrackPast / other plan: %+v %+v", changes, res)
	}
}
