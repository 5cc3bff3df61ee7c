package bot

import (
	"strconv"
	"strings"
)

// Plans down the tree: `planbot import FILE --team PARENT --cascade` gives every unit below the
// parent the plan's obligations, each due a few workdays before the same obligation of the unit
// above it (a county reports to the city before the city reports to the province).

// CascadeKeyPrefix starts the key of an obligation a unit was given by the unit above: the rest
// of the key is the key of the parent unit's obligation it is linked to.
const CascadeKeyPrefix = "up:"

// DefaultLead is how many workdays before the parent's effective deadline a unit below is due.
const DefaultLead = 3

// CascadeOrigin is the ImportOptions.Origin of the plans a cascade started at unit root gives.
func CascadeOrigin(root int64) string { return "cascade:" + strconv.FormatInt(root, 10) }

// ParentKey is the key of the parent unit's obligation that key is linked to; ok is false for
// an obligation of the unit's own.
func ParentKey(key string) (string, bool) { return strings.CutPrefix(key, CascadeKeyPrefix) }

// CascadePlan derives the plan of a unit directly below the unit holding parent: every
// obligation keyed up:KEY, due lead workdays before the parent's effective deadline on cal. A
// start date after the new due date is dropped. parent is not changed.
func CascadePlan(parent Plan, lead int, cal Calendar) Plan {
	out := parent
	out.Obligations = make([]Obligation, len(parent.Obligations))
	for i, o := range parent.Obligations {
		o.Key = CascadeKeyPrefix + o.Key
		eff := cal.EffectiveDue(o.Due)
		if lead > 0 {
			eff = cal.AddWorkdays(eff, -lead)
		}
		o.Due = eff
		if !o.Start.IsZero() && o.Start.After(o.Due) {
			o.Start = Date{}
		}
		out.Obligations[i] = o
	}
	return out
}
