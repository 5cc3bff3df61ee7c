package report

import (
	"context"
	"fmt"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/figure"
)

// SheetUnits is the sheet a unit with units below adds: one row per unit, as a city reports
// upward (each unit below counted over its own subtree, the unit's own work as 本级, a total).
const SheetUnits = "各单位"

// UnitRow is one row of the 各单位 sheet.
type UnitRow struct {
	Name  string
	Own   bool // the exporting unit's own work (本级)
	Units int  // units counted: the unit and those below it
	// obligations whose effective deadline falls in the year (every year when Data.Year is 0)
	Total, Done, Overdue int
	// live figures of the year
	Records                         int
	Persons, PersonTimes, AmountFen int64
}

// CollectUnits counts the row of team itself (本级) and of each live unit directly below it, over
// its subtree, for year (0: every year).
func CollectUnits(ctx context.Context, src Source, tree *bot.Tree, team bot.Team, year int, cal bot.Calendar, today bot.Date) ([]UnitRow, error) {
	add := func(r *UnitRow, id int64) error {
		obs, err := src.Obligations(ctx, id, false)
		if err != nil {
			return err
		}
		for _, t := range obs {
			if t.BeforeTracking {
				continue
			}
			eff := t.Due
			if cal != nil {
				eff = cal.EffectiveDue(t.Due)
			}
			if year != 0 && eff.Year != year {
				continue
			}
			r.Total++
			switch {
			case t.DoneBy != "":
				r.Done++
			case !today.IsZero() && eff.Before(today):
				r.Overdue++
			}
		}
		figs, err := src.Figures(ctx, id, bot.FigureFilter{})
		if err != nil {
			return err
		}
		for _, f := range figs {
			if f.Void() || year != 0 && f.Year != year {
				continue
			}
			r.Records++
			r.Persons += f.Persons
			r.PersonTimes += f.PersonTimes
			r.AmountFen += f.AmountFen
		}
		r.Units++
		return nil
	}
	own := UnitRow{Name: team.Name, Own: true}
	if err := add(&own, team.ID); err != nil {
		return nil, err
	}
	rows := []UnitRow{own}
	for _, c := range tree.Children(team.ID) {
		if c.Removed {
			continue
		}
		r := UnitRow{Name: c.Name}
		for _, u := range tree.Subtree(c.ID) {
			if err := add(&r, u.ID); err != nil {
				return nil, err
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// units writes the 各单位 sheet: one row per unit, then 合计.
func (x *book) units() error {
	if len(x.d.Units) == 0 {
		return nil
	}
	s := SheetUnits
	if _, err := x.f.NewSheet(s); err != nil {
		return err
	}
	x.header(s, 1, []string{"单位", "含单位数", "事项总数", "已完成", "完成率", "逾期未完成", "数据条数", "人数", "人次", "金额（元）", "金额（万元）"},
		[]float64{20, 10, 10, 10, 10, 12, 10, 10, 10, 16, 14})
	var sum UnitRow
	row := 2
	write := func(name string, u UnitRow) {
		x.set(s, 1, row, name)
		x.set(s, 2, row, u.Units)
		x.set(s, 3, row, u.Total)
		x.set(s, 4, row, u.Done)
		if u.Total > 0 {
			x.num(s, 5, row, percent(u.Done, u.Total))
		}
		x.set(s, 6, row, u.Overdue)
		x.set(s, 7, row, u.Records)
		x.set(s, 8, row, u.Persons)
		x.set(s, 9, row, u.PersonTimes)
		x.num(s, 10, row, yuan(u.AmountFen))
		x.num(s, 11, row, figure.FormatWan(u.AmountFen))
		row++
	}
	for _, u := range x.d.Units {
		name := u.Name
		if u.Own {
			name = "本级（" + u.Name + "）"
		}
		write(name, u)
		sum.Units += u.Units
		sum.Total += u.Total
		sum.Done += u.Done
		sum.Overdue += u.Overdue
		sum.Records += u.Records
		sum.Persons += u.Persons
		sum.PersonTimes += u.PersonTimes
		sum.AmountFen += u.AmountFen
	}
	write("合计", sum)
	if x.err == nil {
		x.err = x.f.SetCellStyle(s, cell(1, row-1), cell(11, row-1), x.bold)
	}
	return x.err
}

// percent is done/total in percent with one decimal, rounded half up (integer arithmetic).
func percent(done, total int) string {
	tenths := (done*1000 + total/2) / total
	return fmt.Sprintf("%d.%d", tenths/10, tenths%10)
}
