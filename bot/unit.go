package bot

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxUnitNameRunes is the longest unit name: it is typed on a phone (切换 濉溪县, 汇总 濉溪县).
const MaxUnitNameRunes = 30

// ValidUnitName checks a new unit's name: it is typed in chat as a prefix or argument, so it
// cannot hold spaces, and it must not be a bare number (which would read as an item number).
func ValidUnitName(name string) error {
	switch {
	case name == "":
		return Errorf(EINVALID, "单位名称不能为空。")
	case utf8.RuneCountInString(name) > MaxUnitNameRunes:
		return Errorf(EINVALID, "单位名称“%s”太长（最多%d个字）。", name, MaxUnitNameRunes)
	case strings.IndexFunc(name, unicode.IsSpace) >= 0:
		return Errorf(EINVALID, "单位名称“%s”不能含空格。", name)
	case strings.Trim(name, "0123456789０１２３４５６７８９") == "":
		return Errorf(EINVALID, "单位名称“%s”不能只是数字。", name)
	}
	return nil
}

// Tree indexes units by id and parent, for walks down (subtrees) and up (ancestors).
type Tree struct {
	byID     map[int64]Team
	children map[int64][]int64 // parent id (0: roots) -> child ids, by name
}

// NewTree indexes teams. Removed units are kept (for history) and skipped by Live walks.
func NewTree(teams []Team) *Tree {
	t := &Tree{byID: make(map[int64]Team, len(teams)), children: map[int64][]int64{}}
	for _, u := range teams {
		t.byID[u.ID] = u
	}
	for _, u := range teams {
		p := u.ParentID
		if _, ok := t.byID[p]; !ok {
			p = 0
		}
		t.children[p] = append(t.children[p], u.ID)
	}
	for _, ids := range t.children {
		sort.Slice(ids, func(i, j int) bool { return t.byID[ids[i]].Name < t.byID[ids[j]].Name })
	}
	return t
}

// Unit returns the unit with id.
func (t *Tree) Unit(id int64) (Team, bool) {
	u, ok := t.byID[id]
	return u, ok
}

// ByName returns the unit called name (removed ones too).
func (t *Tree) ByName(name string) (Team, bool) {
	for _, u := range t.byID {
		if u.Name == name {
			return u, true
		}
	}
	return Team{}, false
}

// ByGroup returns the id of the live unit whose group target is target ("appchat:ID").
func (t *Tree) ByGroup(target string) (int64, bool) {
	for _, u := range t.byID {
		if !u.Removed && u.GroupTarget == target {
			return u.ID, true
		}
	}
	return 0, false
}

// Children lists the units directly below id (0: the roots), by name, removed ones included.
func (t *Tree) Children(id int64) []Team {
	out := make([]Team, 0, len(t.children[id]))
	for _, c := range t.children[id] {
		out = append(out, t.byID[c])
	}
	return out
}

// Subtree lists id and every live (not removed) unit below it, depth first, children by name.
// A removed unit's subtree is empty.
func (t *Tree) Subtree(id int64) []Team {
	u, ok := t.byID[id]
	if !ok || u.Removed {
		return nil
	}
	out := []Team{u}
	for _, c := range t.children[id] {
		out = append(out, t.Subtree(c)...)
	}
	return out
}

// Depth is the number of units above id.
func (t *Tree) Depth(id int64) int {
	n := 0
	for u, ok := t.byID[id]; ok && u.ParentID != 0 && n <= len(t.byID); u, ok = t.byID[u.ParentID] {
		n++
	}
	return n
}

// Within reports whether unit id is ancestor or below it (a unit is within itself).
func (t *Tree) Within(id, ancestor int64) bool {
	for steps := 0; steps <= len(t.byID); steps++ {
		if id == ancestor {
			return true
		}
		u, ok := t.byID[id]
		if !ok || u.ParentID == 0 {
			return false
		}
		id = u.ParentID
	}
	return false
}

// ValidParent checks that unit id (0: a unit not yet created) may be placed under parent
// (0: a root): the parent exists, is not removed, and is not id or below it.
func (t *Tree) ValidParent(id, parent int64) error {
	if parent == 0 {
		return nil
	}
	p, ok := t.byID[parent]
	if !ok {
		return Errorf(EINVALID, "上级单位不存在。先用 planbot team add 建立上级单位。")
	}
	if p.Removed {
		return Errorf(EINVALID, "上级单位“%s”已移除，不能再在其下建立或挂接单位。", p.Name)
	}
	if id != 0 && t.Within(parent, id) {
		return Errorf(EINVALID, "“%s”在本单位之下，不能作为上级单位（会形成循环）。", p.Name)
	}
	return nil
}

// ValidTeamChange checks an update of unit old to t against the tree: a new parent must be valid,
// and a unit with live units below cannot be removed.
func (t *Tree) ValidTeamChange(old, u Team) error {
	if u.ParentID != old.ParentID {
		if err := t.ValidParent(u.ID, u.ParentID); err != nil {
			return err
		}
	}
	if u.Removed && !old.Removed {
		for _, c := range t.Children(u.ID) {
			if !c.Removed {
				return Errorf(EINVALID, "“%s”下还有单位“%s”：先移除或移走下级单位。", u.Name, c.Name)
			}
		}
	}
	if !u.Removed && old.Removed && u.ParentID != 0 {
		if p, ok := t.byID[u.ParentID]; ok && p.Removed {
			return Errorf(EINVALID, "上级单位“%s”已移除：先恢复上级单位。", p.Name)
		}
	}
	return nil
}

// Access is one unit a person may work in, and as whom.
type Access struct {
	Team   Team
	Member Member // the person in Team: their own membership, or for a unit below one they
	// supervise, their role there with TeamID set to Team.ID
	Direct bool // a member of Team itself, not only through a unit above
}

// Accessible lists the units a person with the active memberships ms may work in: each live unit
// they are a member of, and where they are a supervisor or admin every live unit below it, with
// that role (never a unit beside or above). A unit reached twice keeps the stronger role. The
// order is the tree's (depth first, children by name).
func (t *Tree) Accessible(ms []Member) []Access {
	best := map[int64]Access{}
	for _, m := range ms {
		u, ok := t.byID[m.TeamID]
		if !ok || u.Removed || !m.Active || !m.Role.Valid() {
			continue
		}
		if a, seen := best[u.ID]; !seen || a.Member.Role.Rank() < m.Role.Rank() {
			best[u.ID] = Access{Team: u, Member: m, Direct: true}
		} else {
			a.Direct = true // a stronger role from a unit above stays
			best[u.ID] = a
		}
		if m.Role.Rank() < RoleSupervisor.Rank() {
			continue
		}
		for _, below := range t.Subtree(u.ID)[1:] {
			if a, seen := best[below.ID]; seen && a.Member.Role.Rank() >= m.Role.Rank() {
				continue
			}
			a := best[below.ID]
			sm := m
			sm.TeamID = below.ID
			best[below.ID] = Access{Team: below, Member: sm, Direct: a.Direct}
		}
	}
	if len(best) == 0 {
		return nil
	}
	out := make([]Access, 0, len(best))
	for _, root := range t.Children(0) {
		for _, u := range t.Subtree(root.ID) {
			if a, ok := best[u.ID]; ok {
				out = append(out, a)
			}
		}
	}
	return out
}

// PrimaryUnit is the unit a person's message goes to when it names none: the one they chose
// with 切换 (current) while they may still work there; else the unit they are a member of with
// the strongest role, the one lowest in the tree on a tie (a county head who is also a city
// member works in the county), then the oldest. ok is false when access is empty.
func (t *Tree) PrimaryUnit(access []Access, current int64) (Access, bool) {
	var best Access
	found := false
	for _, a := range access {
		if current != 0 && a.Team.ID == current {
			return a, true
		}
	}
	for _, a := range access {
		if !a.Direct {
			continue
		}
		if !found {
			best, found = a, true
			continue
		}
		r, br := a.Member.Role.Rank(), best.Member.Role.Rank()
		d, bd := t.Depth(a.Team.ID), t.Depth(best.Team.ID)
		if r > br || r == br && (d > bd || d == bd && a.Team.ID < best.Team.ID) {
			best = a
		}
	}
	return best, found
}

// CutUnitPrefix reads a unit named at the start of text ("濉溪县 进度", "濉溪县进度"): the unit
// of tree with the longest name text starts with, and the rest. ok is false when text names no
// unit or names only one (nothing after it).
func (t *Tree) CutUnitPrefix(text string) (u Team, rest string, ok bool) {
	text = strings.TrimSpace(text)
	for _, c := range t.byID {
		if len(c.Name) > len(u.Name) && strings.HasPrefix(text, c.Name) {
			u = c
		}
	}
	if u.Name == "" {
		return Team{}, "", false
	}
	rest = strings.TrimSpace(strings.TrimLeft(text[len(u.Name):], ":：,，"))
	return u, rest, rest != ""
}

// FindAccess returns the access to the unit with id.
func FindAccess(access []Access, id int64) (Access, bool) {
	for _, a := range access {
		if a.Team.ID == id {
			return a, true
		}
	}
	return Access{}, false
}
