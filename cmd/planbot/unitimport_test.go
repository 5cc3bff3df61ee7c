package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeXLSX writes rows to the first sheet of a new workbook, as an office's Excel file.
func writeXLSX(t *testing.T, name string, rows [][]string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTeamAndMemberImport: the units and the people of a city from the files an office keeps,
// all rows or none, every bad row named; importing the same files again changes nothing.
func TestTeamAndMemberImport(t *testing.T) {
	for name, newRunner := range runners() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := newRunner(t)
			// A file with problems: every one is named and nothing is created.
			bad := writeFile(t, "单位-有错.csv", "name,parent,group,cron\n"+
				"淮北市,,webhook:CITYKEY,\n"+
				"濉溪县,淮北市,,0 8 * * 1-5\n"+
				"相山区,淮北市,KEY-ONLY,\n"+ // row 4: bad group target
				"濉溪中学,濉溪县,,every morning\n"+ // row 5: bad cron
				"刘桥中学,濉溪区,,\n"+ // row 6: no such parent
				"濉溪县,淮北市,,\n"+ // row 7: twice
				"甲,乙,,\n乙,甲,,\n") // rows 8, 9: a cycle
			_, _, err := run(t, runTeam, "import", bad)
			if err == nil {
				t.Fatal("a file with bad rows was imported")
			}
			for _, w := range []string{"第4行（相山区）", "第5行（濉溪中学）", "第6行（刘桥中学）：上级单位“濉溪区”不存在", "第7行（濉溪县）：单位名称与第3行重复", "第8行（甲）", "第9行（乙）", "未导入任何单位"} {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("error does not name %q:\n%v", w, err)
				}
			}
			if strings.Index(err.Error(), "第4行") > strings.Index(err.Error(), "第6行") {
				t.Fatalf("problems are not in row order:\n%v", err)
			}
			if out, _, _ := run(t, runTeam, "list"); strings.TrimSpace(out) != "" {
				t.Fatalf("a refused import created units:\n%s", out)
			}
			// The good file, children listed before their parent; GBK as Excel saves CSV in China,
			// with the Chinese headers.
			gbk, err := simplifiedchinese.GBK.NewEncoder().String("单位,上级单位,群,定时\n" +
				"濉溪中学,濉溪县,,\n" +
				"淮北市,,webhook:CITYKEY,\n" +
				"濉溪县,淮北市,,0 8 * * 1-5\n" +
				"相山区,淮北市,,\n" +
				"杜集区,淮北市,,\n")
			if err != nil {
				t.Fatal(err)
			}
			good := writeFile(t, "单位.csv", gbk)
			out, _, err := run(t, runTeam, "import", good)
			if err != nil || !strings.Contains(out, "新增 5 个单位") {
				t.Fatalf("import: %v\n%s", err, out)
			}
			out, _, err = run(t, runTeam, "import", good)
			if err != nil || !strings.Contains(out, "新增 0 个单位，更新 0 个，其余 5 个不变") {
				t.Fatalf("import again: %v\n%s", err, out)
			}
			// A later file moves the school and adds one (xlsx).
			out, _, err = run(t, runTeam, "import", writeXLSX(t, "单位.xlsx", [][]string{
				{"name", "parent", "group", "cron"}, {"濉溪中学", "相山区", "", ""}, {"刘桥中学", "濉溪县", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ABCD1234", "7：45"},
			}))
			if err != nil || !strings.Contains(out, "新增 1 个单位，更新 1 个") {
				t.Fatalf("xlsx import: %v\n%s", err, out)
			}
			list, _, _ := run(t, runTeam, "list")
			for _, w := range []string{"淮北市  群:webhook:CITY…", "  濉溪县  群:-  定时:0 8 * * 1-5", "    刘桥中学  群:webhook:ABCD…  定时:45 7 * * *", "  相山区", "    濉溪中学"} {
				if !strings.Contains(list, w) {
					t.Fatalf("team list lacks %q:\n%s", w, list)
				}
			}

			// Members: a bad file names every bad row and adds nobody.
			badm := writeFile(t, "成员-有错.csv", "team,userid,name,role\n"+
				"淮北市,shi,市主任,supervisor\n"+
				"无此县,x1,某人,staff\n"+ // row 3
				"濉溪县,,无账号,staff\n"+ // row 4
				"濉溪县,zhao,赵局长,局长\n"+ // row 5
				"淮北市,shi,市主任,staff\n") // row 6: twice
			_, _, err = run(t, runMember, "import", badm)
			if err == nil {
				t.Fatal("a bad members file was imported")
			}
			for _, w := range []string{"第3行（x1）：单位“无此县”不存在", "第4行", "第5行（zhao）：角色“局长”无效", "第6行（shi）：与第2行重复", "未导入任何成员"} {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("error does not name %q:\n%v", w, err)
				}
			}
			if out, _, _ := run(t, runMember, "list", "--team", "淮北市"); strings.Contains(out, "shi") {
				t.Fatalf("a refused members file added someone:\n%s", out)
			}
			goodm := writeXLSX(t, "成员.xlsx", [][]string{
				{"单位", "账号", "姓名", "角色"},
				{"淮北市", "shi", "市主任", "主管"},
				{"濉溪县", "zhao", "赵局长", "supervisor"},
				{"淮北市", "zhao", "赵局长", "staff"},
				{"濉溪中学", "sun", "孙老师", "科员"},
			})
			out, _, err = run(t, runMember, "import", goodm)
			if err != nil || !strings.Contains(out, "新增 4 人") {
				t.Fatalf("member import: %v\n%s", err, out)
			}
			out, _, err = run(t, runMember, "import", goodm)
			if err != nil || !strings.Contains(out, "新增 0 人，更新 0 人，其余 4 人不变") {
				t.Fatalf("member import again: %v\n%s", err, out)
			}
			out, _, _ = run(t, runMember, "list", "--team", "濉溪县")
			if !strings.Contains(out, "zhao") || !strings.Contains(out, "supervisor") {
				t.Fatalf("county members:\n%s", out)
			}
		})
	}
}
