package bot

import (
	"fmt"
	"strings"
)

// UnitSpec is one unit as an office's file lists it (planbot team import): parent by name, ""
// for a root. Empty settings keep an existing unit's settings and give a new one the defaults.
type UnitSpec struct {
	Row         int // the file's row number, for messages
	Name        string
	Parent      string
	GroupTarget string
	DigestCron  string
	TimeZone    string
}

// UnitChange is one change PlanUnits asks for, in an order a store can apply: a unit's parent
// is created before it. New units have ID 0 and name their parent in Parent.
type UnitChange struct {
	Team   Team   // the unit as it will be (ParentID set when the parent exists already)
	Parent string // the parent's name ("" a root)
	New    bool
}

// RowErrors are the problems of an import file, each naming its row; nothing is changed.
type RowErrors []string

// Error implements error.
func (e RowErrors) Error() string { return strings.Join(e, "\n") }

// PlanUnits checks specs against the units that exist and returns the changes that make the tree
// match them, or every problem (an unknown parent, a cycle, a removed parent, a name twice). A
// unit that already exists is updated; one not listed is left as it is.
func PlanUnits(existing []Team, specs []UnitSpec) ([]UnitChange, error) {
	p := &unitPlan{tree: NewTree(existing), specs: specs, byName: map[string]UnitSpec{}, limit: len(specs) + len(existing)}
	p.index()
	p.checkParents()
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return p.changes(), nil
}

// unitPlan is PlanUnits at work: the tree as it is, the file's units by name and the problems
// found so far.
type unitPlan struct {
	tree   *Tree
	specs  []UnitSpec
	byName map[string]UnitSpec // the first valid row of each name
	limit  int                 // more steps than any chain of parents can take
	errs   RowErrors
}

// bad records a problem of row s.
func (p *unitPlan) bad(s UnitSpec, format string, args ...any) {
	p.errs = append(p.errs, fmt.Sprintf("第%d行（%s）：", s.Row, s.Name)+fmt.Sprintf(format, args...))
}

// index fills byName, refusing bad names and a name listed twice.
func (p *unitPlan) index() {
	for _, s := range p.specs {
		if err := ValidUnitName(s.Name); err != nil {
			p.bad(s, "%s", ErrorMessage(err))
			continue
		}
		if prev, dup := p.byName[s.Name]; dup {
			p.bad(s, "单位名称与第%d行重复。", prev.Row)
			continue
		}
		p.byName[s.Name] = s
	}
}

// parentOf is the parent of a unit as it will be: from the file, else as it is; ok is false
// for a unit neither the file nor the tree has.
func (p *unitPlan) parentOf(name string) (string, bool) {
	if s, ok := p.byName[name]; ok {
		return s.Parent, true
	}
	if u, ok := p.tree.ByName(name); ok {
		if parent, ok := p.tree.Unit(u.ParentID); ok {
			return parent.Name, true
		}
		return "", true
	}
	return "", false
}

// checkParents refuses a parent that is the unit itself, unknown, removed (and not listed
// again) or that makes a cycle.
func (p *unitPlan) checkParents() {
	for _, s := range p.specs {
		if p.byName[s.Name] != s || s.Parent == "" {
			continue
		}
		if s.Parent == s.Name {
			p.bad(s, "上级单位不能是它自己。")
			continue
		}
		if _, ok := p.parentOf(s.Parent); !ok {
			p.bad(s, "上级单位“%s”不存在（文件和系统里都没有）。", s.Parent)
			continue
		}
		if u, ok := p.tree.ByName(s.Parent); ok && u.Removed {
			if _, relisted := p.byName[s.Parent]; !relisted {
				p.bad(s, "上级单位“%s”已移除。", s.Parent)
				continue
			}
		}
		// walk up from the parent: meeting the unit again is a cycle
		seen := map[string]bool{s.Name: true}
		for up := s.Parent; up != ""; {
			if seen[up] {
				p.bad(s, "上级关系形成循环（%s）。", up)
				break
			}
			seen[up] = true
			up, _ = p.parentOf(up)
		}
	}
}

// depth is a unit's depth in the tree as it will be.
func (p *unitPlan) depth(name string) int {
	n := 0
	for up, _ := p.parentOf(name); up != "" && n <= p.limit; up, _ = p.parentOf(up) {
		n++
	}
	return n
}

// changes lists the changes, parents first (by depth), leaving out units the file does not
// change.
func (p *unitPlan) changes() []UnitChange {
	var out []UnitChange
	for d := 0; len(out) < len(p.byName) && d <= p.limit; d++ {
		for _, s := range p.specs {
			if p.byName[s.Name] != s || p.depth(s.Name) != d {
				continue
			}
			if c, ok := p.change(s); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// change is the change row s asks for; ok is false when the unit is already as s says.
func (p *unitPlan) change(s UnitSpec) (UnitChange, bool) {
	old, exists := p.tree.ByName(s.Name)
	u := old
	if !exists {
		u = Team{Name: s.Name}
	}
	u.Removed = false
	if s.GroupTarget != "" || !exists {
		u.GroupTarget = s.GroupTarget
	}
	if s.DigestCron != "" || !exists {
		u.DigestCron = s.DigestCron
	}
	if s.TimeZone != "" || !exists {
		u.TimeZone = s.TimeZone
	}
	u.ParentID = 0
	if parent, ok := p.tree.ByName(s.Parent); ok {
		u.ParentID = parent.ID
	}
	u = TeamUpdate(u, u)
	if exists && u == old {
		return UnitChange{}, false
	}
	return UnitChange{Team: u, Parent: s.Parent, New: !exists}, true
}
