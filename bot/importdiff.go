package bot

import "sort"

// Import change actions, also the audit trail's action names.
const (
	ActionAdd     = "obligation.add"
	ActionRestore = "obligation.restore"
	ActionUpdate  = "obligation.update"
	ActionRetire  = "obligation.retire"
)

// StoredObligation is an obligation as a store holds it, with the plan that brought it.
type StoredObligation struct {
	Tracked
	PlanID int64
}

// ImportChange is one thing an import does to one obligation: add, restore, update or retire it
// (Action), or only note that it moved in the document (Action "", After.Line is the new line;
// not a change users see, so not audited).
type ImportChange struct {
	Action string
	Key    string
	Before Tracked // as stored; zero for an add
	After  Tracked // as stored after the import: the ID and assignee are kept
}

// DiffImport is the one import diff both stores apply: the plan's obligations obls (validated,
// ValidPlan) against the team's stored ones (retired included), for the plan planID. New keys are
// added, retired ones restored, changed ones (content, or now from this plan) updated, and
// obligations of this plan that the document no longer has retired. An obligation due before
// opt.Today starts BeforeTracking unless opt.TrackPast; a restored one with the same content
// keeps its old flag. Changes come in the plan's order, then the retirements by key.
func DiffImport(stored map[string]StoredObligation, obls []Obligation, planID int64, opt ImportOptions) ([]ImportChange, ImportResult) {
	res := ImportResult{PlanID: planID}
	seen := make(map[string]bool, len(obls))
	var changes []ImportChange
	for _, o := range obls {
		seen[o.Key] = true
		before := !opt.TrackPast && o.Due.Before(opt.Today)
		cur, ok := stored[o.Key]
		next := Tracked{Obligation: o, ID: cur.ID, Assignee: cur.Assignee, BeforeTracking: before}
		switch {
		case !ok:
			res.New++
			changes = append(changes, ImportChange{Action: ActionAdd, Key: o.Key, After: next})
		case cur.Retired:
			res.New++
			if cur.Obligation.SameContent(o) {
				next.BeforeTracking = cur.BeforeTracking
			}
			changes = append(changes, ImportChange{Action: ActionRestore, Key: o.Key, Before: cur.Tracked, After: next})
		case !cur.Obligation.SameContent(o) || cur.PlanID != planID:
			res.Changed++
			changes = append(changes, ImportChange{Action: ActionUpdate, Key: o.Key, Before: cur.Tracked, After: next})
		default:
			res.Unchanged++
			if cur.Line != o.Line {
				moved := cur.Tracked
				moved.Line = o.Line
				changes = append(changes, ImportChange{Key: o.Key, Before: cur.Tracked, After: moved})
			}
		}
	}
	var gone []StoredObligation
	for k, cur := range stored {
		if cur.PlanID == planID && !cur.Retired && !seen[k] {
			gone = append(gone, cur)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i].Key < gone[j].Key })
	for _, cur := range gone {
		res.Retired++
		next := cur.Tracked
		next.Retired = true
		changes = append(changes, ImportChange{Action: ActionRetire, Key: cur.Key, Before: cur.Tracked, After: next})
	}
	return changes, res
}
