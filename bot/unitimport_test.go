package bot

import (
	"strings"
	"testing"
)

// FuzzPlanUnits: any file of name,parent rows is refused or planned parents first, never a
// panic or a loop; a planned unit's parent exists before it.
func FuzzPlanUnits(f *testing.F) {
	f.Add("淮北市,\n濉溪县,淮北市\n濉溪中学,濉溪县")
	f.Add("甲,乙\n乙,甲")
	f.Add("a,a\nb,\nb,c")
	f.Fuzz(func(t *testing.T, text string) {
		existing := []Team{{ID: 1, Name: "淮北市"}, {ID: 2, Name: "相山区", ParentID: 1}, {ID: 3, Name: "旧县", Removed: true}}
		var specs []UnitSpec
		for i, line := range strings.Split(text, "\n") {
			name, parent, _ := strings.Cut(line, ",")
			specs = append(specs, UnitSpec{Row: i + 2, Name: name, Parent: parent})
		}
		changes, err := PlanUnits(existing, specs)
		if err != nil {
			if _, ok := err.(RowErrors); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		known := map[string]bool{}
		for _, u := range existing {
			known[u.Name] = true
		}
		for _, c := range changes {
			if c.Parent != "" && !known[c.Parent] {
				t.Fatalf("%s planned before its parent %s", c.Team.Name, c.Parent)
			}
			known[c.Team.Name] = true
		}
	})
}

func TestPlanUnitsOrder(t *testing.T) {
	changes, err := PlanUnits(nil, []UnitSpec{{Row: 2, Name: "濉溪中学", Parent: "濉溪县"}, {Row: 3, Name: "濉溪县", Parent: "淮北市"}, {Row: 4, Name: "淮北市"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, c.Team.Name)
	}
	if strings.Join(got, ",") != "淮北市,濉溪县,濉溪中学" {
		t.Fatalf("order %v", got)
	}
}
