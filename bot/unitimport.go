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
	tree := NewTree(existing)
	var errs RowErrors
	bad := func(s UnitSpec, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("第%d行（%s）：", s.Row, s.Name)+fmt.Sprintf(format, args...))
	}
	byName := map[string]UnitSpec{}
	for _, s := range specs {
		if err := ValidUnitName(s.Name); err != nil {
			bad(s, "%s", ErrorMessage(err))
			continue
		}
		if prev, dup := byName[s.Name]; dup {
			bad(s, "单位名称与第%d行重复。", prev.Row)
			continue
		}
		byName[s.Name] = s
	}
	// parent of every unit as it will be: from the file, else as it is
	parentOf := func(name string) (string, bool) {
		if s, ok := byName[name]; ok {
			return s.Parent, true
		}
		if u, ok := tree.ByName(name); ok {
			if p, ok := tree.Unit(u.ParentID); ok {
				return p.Name, true
			}
			return "", true
		}
		return "", false
	}
	for _, s := range specs {
		if byName[s.Name] != s || s.Parent == "" {
			continue
		}
		if s.Parent == s.Name {
			bad(s, "上级单位不能是它自己。")
			continue
		}
		if _, ok := parentOf(s.Parent); !ok {
			bad(s, "上级单位“%s”不存在（文件和系统里都没有）。", s.Parent)
			continue
		}
		if p, ok := tree.ByName(s.Parent); ok && p.Removed {
			if _, relisted := byName[s.Parent]; !relisted {
				bad(s, "上级单位“%s”已移除。", s.Parent)
				continue
			}
		}
		// walk up from the parent: meeting the unit again is a cycle
		seen := map[string]bool{s.Name: true}
		for p := s.Parent; p != ""; {
			if seen[p] {
				bad(s, "上级关系形成循环（%s）。", p)
				break
			}
			seen[p] = true
			p, _ = parentOf(p)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	// order: parents first (depth in the tree as it will be)
	depth := func(name string) int {
		n := 0
		for p, _ := parentOf(name); p != "" && n <= len(specs)+len(existing); p, _ = parentOf(p) {
			n++
		}
		return n
	}
	var out []UnitChange
	for d := 0; len(out) < len(byName) && d <= len(specs)+len(existing); d++ {
		for _, s := range specs {
			if byName[s.Name] != s || depth(s.Name) != d {
				continue
			}
			old, exists := tree.ByName(s.Name)
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
			if p, ok := tree.ByName(s.Parent); ok {
				u.ParentID = p.ID
			}
			u = TeamUpdate(u, u)
			if exists && u == old {
				continue
			}
			out = append(out, UnitChange{Team: u, Parent: s.Parent, New: !exists})
		}
	}
	return out, nil
}
