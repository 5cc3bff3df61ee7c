package handlers

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/figure"
)

// Roll-ups: a supervisor of a unit with units below sees them in 进度, 汇总 and 数据, each unit
// below counted over its own subtree (a county with its schools). Only the sender's unit and what
// is below it is read: never a unit beside or above.

// rollup is a supervisor's view of the units below their unit.
type rollup struct {
	tree  *bot.Tree
	below []bot.Team // the live units directly below req.Team, by name
}

// rollupOf returns the roll-up of req's unit; ok is false for staff and for a unit with no
// live units below it (then nothing is added to the answer).
func (x h) rollupOf(ctx context.Context, req *bot.Request) (rollup, bool, error) {
	if req.Member.Role.Rank() < bot.RoleSupervisor.Rank() {
		return rollup{}, false, nil
	}
	teams, err := x.Store.Teams(ctx)
	if err != nil {
		return rollup{}, false, storeErr("teams", err)
	}
	r := rollup{tree: bot.NewTree(teams)}
	for _, c := range r.tree.Children(req.Team.ID) {
		if !c.Removed {
			r.below = append(r.below, c)
		}
	}
	return r, len(r.below) > 0, nil
}

// itemsOf returns a unit's live obligations.
func (x h) itemsOf(ctx context.Context, teamID int64) ([]bot.Tracked, error) {
	return x.Store.Obligations(ctx, teamID, false)
}

// unitTally is one unit's month, over its subtree.
type unitTally struct {
	unit                 bot.Team
	units                int // units counted (the unit and those below it)
	done, total, overdue int
}

// rate is the share done in percent; a month with nothing due counts as fully done.
func (t unitTally) rate() int {
	if t.total == 0 {
		return 100
	}
	return t.done * 100 / t.total
}

// count adds the items of one unit: this month's (by effective date) done and total, and the
// open items past their effective date, as 进度 counts them.
func (x h) count(t *unitTally, items []bot.Tracked, today bot.Date) {
	for _, it := range items {
		if it.BeforeTracking || it.Retired {
			continue
		}
		eff := x.effective(it.Due)
		if eff.Year == today.Year && eff.Month == today.Month {
			t.total++
			if it.DoneBy != "" {
				t.done++
			}
		}
		if it.DoneBy == "" && eff.Before(today) {
			t.overdue++
		}
	}
}

// tallies counts every unit directly below req's unit over its subtree, behind first: the lowest
// completion rate, then the most overdue, then by name. all is the whole subtree of req's unit.
func (x h) tallies(ctx context.Context, r rollup, req *bot.Request) (below []unitTally, all unitTally, err error) {
	today := req.Today()
	all = unitTally{unit: req.Team}
	own, err := x.itemsOf(ctx, req.Team.ID)
	if err != nil {
		return nil, all, storeErr("rollup", err)
	}
	x.count(&all, own, today)
	all.units = 1
	for _, c := range r.below {
		t := unitTally{unit: c}
		for _, u := range r.tree.Subtree(c.ID) {
			items, err := x.itemsOf(ctx, u.ID)
			if err != nil {
				return nil, all, storeErr("rollup", err)
			}
			x.count(&t, items, today)
			t.units++
		}
		all.units += t.units
		all.done += t.done
		all.total += t.total
		all.overdue += t.overdue
		below = append(below, t)
	}
	slices.SortStableFunc(below, func(a, b unitTally) int {
		return cmp.Or(cmp.Compare(a.rate(), b.rate()), cmp.Compare(b.overdue, a.overdue), cmp.Compare(a.unit.Name, b.unit.Name))
	})
	return below, all, nil
}

// unitLine renders one unit of the roll-up: · 濉溪县（含下级2个）：3/10（30%），逾期2.
func unitLine(t unitTally) string {
	name := t.unit.Name
	if t.units > 1 {
		name += fmt.Sprintf("（含下级%d个）", t.units-1)
	}
	pct := ""
	if t.total > 0 {
		pct = fmt.Sprintf("（%d%%）", t.rate())
	}
	return fmt.Sprintf("\n· %s：%d/%d%s，逾期%d", name, t.done, t.total, pct, t.overdue)
}

// labelRoom is kept free in a roll-up for the unit name serve puts on top of an answer to a
// person in several units ("〔濉溪县〕\n"; a unit name is at most 30 characters).
const labelRoom = 8 + 3*bot.MaxUnitNameRunes

// writeRollup appends the per-unit section to b, keeping the whole answer within one WeCom
// message: the units behind come first, and those that do not fit are counted at the end.
func (x h) writeRollup(ctx context.Context, b *strings.Builder, r rollup, req *bot.Request) error {
	below, all, err := x.tallies(ctx, r, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "\n\n下级单位%d个（本月完成/总数，逾期；落后的在前）：", len(below))
	fmt.Fprintf(b, "\n全辖合计（%d个单位）：%d/%d", all.units, all.done, all.total)
	if all.total > 0 {
		fmt.Fprintf(b, "（%d%%）", all.rate())
	}
	fmt.Fprintf(b, "，逾期%d", all.overdue)
	tail := func(n int) string {
		return fmt.Sprintf("\n…另有%d个单位未列出。发送“汇总 单位名”查看一个单位，例如“汇总 %s”。", n, below[len(below)-1].unit.Name)
	}
	for i, t := range below {
		line := unitLine(t)
		room := bot.MaxMessageBytes - labelRoom - b.Len() - len(line)
		if i < len(below)-1 {
			room -= len(tail(len(below) - i - 1))
		}
		if room < 0 {
			b.WriteString(tail(len(below) - i))
			break
		}
		b.WriteString(line)
	}
	return nil
}

// drillTarget reads a unit named first in args ("汇总 濉溪县 本月"): the request as the sender
// in that unit and the rest of args. ok is false when args name no unit. A unit beside or above
// the sender's, or any unit for staff, is refused.
func (x h) drillTarget(ctx context.Context, req *bot.Request) (*bot.Request, string, bool, error) {
	first, rest, _ := strings.Cut(strings.TrimSpace(req.Args), " ")
	if first == "" {
		return nil, "", false, nil
	}
	teams, err := x.Store.Teams(ctx)
	if err != nil {
		return nil, "", false, storeErr("teams", err)
	}
	tree := bot.NewTree(teams)
	u, ok := tree.ByName(first)
	if !ok || u.Removed {
		return nil, "", false, nil
	}
	if u.ID == req.Team.ID {
		return req, strings.TrimSpace(rest), true, nil
	}
	if req.Member.Role.Rank() < bot.RoleSupervisor.Rank() || !tree.Within(u.ID, req.Team.ID) {
		return nil, "", false, bot.Errorf(bot.EFORBIDDEN, "你不能查看“%s”：只能查看%s和它的下级单位。", u.Name, req.Team.Name)
	}
	sub := *req
	sub.Team = u
	sub.Member.TeamID = u.ID
	sub.Args = strings.TrimSpace(rest)
	return &sub, sub.Args, true, nil
}

// subtreeFigures returns the figures of every unit in the subtree of req's unit matching q
// (voided ones counted apart), and per unit directly below (over its subtree) plus req's own
// unit, their totals.
func (x fx) subtreeFigures(ctx context.Context, r rollup, req *bot.Request, q figure.Query) ([]bot.Figure, int, []unitFigures, error) {
	var all []bot.Figure
	voided := 0
	read := func(id int64) ([]bot.Figure, error) {
		fs, err := x.Store.Figures(ctx, id, bot.FigureFilter{IncludeVoid: true})
		if err != nil {
			return nil, storeErr("figures", err)
		}
		var out []bot.Figure
		for _, f := range fs {
			switch {
			case !q.Match(f):
			case f.Void():
				voided++
			default:
				out = append(out, f)
			}
		}
		return out, nil
	}
	own, err := read(req.Team.ID)
	if err != nil {
		return nil, 0, nil, err
	}
	all = append(all, own...)
	per := []unitFigures{{unit: req.Team, own: true, sum: figure.Sum(x.cat.Totals(own))}}
	for _, c := range r.below {
		var figs []bot.Figure
		for _, u := range r.tree.Subtree(c.ID) {
			fs, err := read(u.ID)
			if err != nil {
				return nil, 0, nil, err
			}
			figs = append(figs, fs...)
		}
		all = append(all, figs...)
		per = append(per, unitFigures{unit: c, units: len(r.tree.Subtree(c.ID)), sum: figure.Sum(x.cat.Totals(figs))})
	}
	return all, voided, per, nil
}

// unitFigures is one line of 数据's per-unit breakdown.
type unitFigures struct {
	unit  bot.Team
	own   bool // the sender's unit itself (本级)
	units int
	sum   figure.Total
}

func (u unitFigures) line() string {
	name := u.unit.Name
	switch {
	case u.own:
		name = "本级（" + name + "）"
	case u.units > 1:
		name += fmt.Sprintf("（含下级%d个）", u.units-1)
	}
	return fmt.Sprintf("\n· %s：%d人，%d人次，%s万元（%d条）", name, u.sum.Persons, u.sum.PersonTimes, figure.FormatWan(u.sum.AmountFen), u.sum.Records)
}
