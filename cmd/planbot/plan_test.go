package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
)

// planCmd runs `planbot plan ARGS` and returns what it wrote.
func planCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = runPlan(context.Background(), Config{}, args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// planFile writes data to a file named name in a temporary directory and returns its path.
func planFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func samplePlanFile(t *testing.T) string {
	name, data := plan.Sample()
	return planFile(t, name, data)
}

// planJSON decodes --json output, keeping every field raw so absent and null fields can be told apart.
func planJSON(t *testing.T, stdout string) []map[string]json.RawMessage {
	t.Helper()
	var obs []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &obs); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, stdout)
	}
	return obs
}

func rawString(t *testing.T, m map[string]json.RawMessage, k string) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(m[k], &s); err != nil {
		t.Fatalf("field %q = %s: not a string", k, m[k])
	}
	return s
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// The --json contract: an array of {"key","title","due","start","period","rule","line"},
// due/start as YYYY-MM-DD or null, rule once/monthly/weekly/ongoing, title without numbering
// and trailing ；。.
func TestPlanJSONFields(t *testing.T) {
	stdout, stderr, err := planCmd(t, "--json", samplePlanFile(t))
	if err != nil || stderr != "" {
		t.Fatalf("err %v, stderr %q", err, stderr)
	}
	obs := planJSON(t, stdout)
	if len(obs) != 60 {
		t.Fatalf("%d obligations, want 60", len(obs))
	}
	fields := []string{"key", "title", "due", "start", "period", "rule", "line"}
	keys := map[string]bool{}
	rules := map[string]int{}
	for _, o := range obs {
		if len(o) != len(fields) {
			t.Errorf("fields %v, want exactly %v", o, fields)
		}
		for _, f := range fields {
			if _, ok := o[f]; !ok {
				t.Errorf("no field %q in %v", f, o)
			}
		}
		if string(o["start"]) != "null" {
			t.Errorf("start %s, want null (the sample has no ranges)", o["start"])
		}
		if due := rawString(t, o, "due"); !isoDate.MatchString(due) || !strings.HasPrefix(due, "2020-") {
			t.Errorf("due %q", due)
		}
		rule := rawString(t, o, "rule")
		rules[rule]++
		title := rawString(t, o, "title")
		if title == "" || strings.HasSuffix(title, "；") || strings.HasSuffix(title, "。") || regexp.MustCompile(`^\d+[.、]`).MatchString(title) {
			t.Errorf("title %q", title)
		}
		key := rawString(t, o, "key")
		if keys[key] {
			t.Errorf("duplicate key %q", key)
		}
		keys[key] = true
		var line int
		if err := json.Unmarshal(o["line"], &line); err != nil || line < 1 {
			t.Errorf("line %s", o["line"])
		}
		if p := rawString(t, o, "period"); !regexp.MustCompile(`^2020-\d{2}(~2020-\d{2})?$`).MatchString(p) {
			t.Errorf("period %q", p)
		}
	}
	if rules["monthly"] != 24 || rules["monthly"]+rules["once"]+rules["ongoing"] != 60 {
		t.Errorf("rules %v, want 24 monthly and 36 once/ongoing", rules)
	}
	if !strings.Contains(stdout, "更新维护学生资助管理") || strings.Contains(stdout, `\u`) {
		t.Error("Chinese text escaped in JSON")
	}
}

// A range gives a start; weekly and ongoing rules appear by name.
func TestPlanJSONStartAndRules(t *testing.T) {
	f := planFile(t, "p.txt", []byte("2021年资助工作计划\n三月份\n1.3月1日至3月15日开展家庭经济困难学生认定；\n2.每周五前报送进度；\n3.做好宣传工作。\n"))
	stdout, _, err := planCmd(t, f, "--json")
	if err != nil {
		t.Fatal(err)
	}
	obs := planJSON(t, stdout)
	byRule := map[string][]map[string]json.RawMessage{}
	for _, o := range obs {
		r := rawString(t, o, "rule")
		byRule[r] = append(byRule[r], o)
	}
	if len(byRule["once"]) != 1 || len(byRule["weekly"]) != 4 || len(byRule["ongoing"]) != 1 || len(obs) != 6 {
		t.Fatalf("rules %v", byRule)
	}
	once := byRule["once"][0]
	if rawString(t, once, "start") != "2021-03-01" || rawString(t, once, "due") != "2021-03-15" || rawString(t, once, "title") != "3月1日至3月15日开展家庭经济困难学生认定" {
		t.Errorf("range: %v", once)
	}
	if d := rawString(t, byRule["ongoing"][0], "due"); d != "2021-03-31" {
		t.Errorf("ongoing due %s", d)
	}
	if rawString(t, byRule["weekly"][0], "due") != "2021-03-05" || string(byRule["weekly"][0]["start"]) != "null" {
		t.Errorf("weekly %v", byRule["weekly"][0])
	}
}

// --year rebases the plan; flags work before and after FILE, with = or a separate value.
func TestPlanYearAndFlagOrder(t *testing.T) {
	f := samplePlanFile(t)
	var outs []string
	for _, args := range [][]string{
		{"--year", "2026", "--json", f},
		{f, "--year", "2026", "--json"},
		{f, "--json", "-year=2026"},
		{"--json", f, "--year=2026"},
	} {
		stdout, stderr, err := planCmd(t, args...)
		if err != nil || stderr != "" {
			t.Fatalf("%q: err %v, stderr %q", args, err, stderr)
		}
		outs = append(outs, stdout)
	}
	for i, o := range outs[1:] {
		if o != outs[0] {
			t.Errorf("args #%d give different output", i+1)
		}
	}
	obs := planJSON(t, outs[0])
	feb := 0
	for _, o := range obs {
		due := rawString(t, o, "due")
		if !strings.HasPrefix(due, "2026-") {
			t.Errorf("due %s outside 2026", due)
		}
		if strings.HasPrefix(due, "2026-02-") && rawString(t, o, "rule") != "monthly" {
			feb++
			if due != "2026-02-28" {
				t.Errorf("February item due %s, want 2026-02-28", due)
			}
		}
	}
	if len(obs) != 60 || feb == 0 {
		t.Errorf("%d obligations, %d February one-offs", len(obs), feb)
	}
}

// Without --json: a readable table with the title, the year and the count.
func TestPlanTable(t *testing.T) {
	stdout, _, err := planCmd(t, samplePlanFile(t), "--year", "2026")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if !strings.HasPrefix(lines[0], "淮北市2020年度学生资助工作月计划（2026 年，60 项）") {
		t.Errorf("heading %q", lines[0])
	}
	rows := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "2026-") {
			rows++
		}
	}
	if rows != 60 || !strings.Contains(stdout, "截止") || !strings.Contains(stdout, "2026-02-28") || !strings.Contains(stdout, "注：一并做好") {
		t.Errorf("%d rows:\n%s", rows, stdout)
	}
}

// Lines that cannot be placed are warnings on stderr, with file and line; stdout stays clean JSON.
func TestPlanProblemsOnStderr(t *testing.T) {
	f := planFile(t, "p.txt", []byte("2021年资助工作计划\n1.放在月份之前的事项\n三月份\n1.做好宣传工作；\n"))
	stdout, stderr, err := planCmd(t, "--json", f)
	if err != nil {
		t.Fatal(err)
	}
	if obs := planJSON(t, stdout); len(obs) != 1 {
		t.Errorf("%d obligations", len(obs))
	}
	want := "warning: " + f + ":2: "
	if !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, "放在月份之前的事项") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one line starting %q", stderr, want)
	}
	if strings.Contains(stdout, "放在月份之前") {
		t.Error("problem text on stdout")
	}
}

// A file that is not a plan is an error (exit status 1 through main's run), with nothing on stdout.
func TestPlanRefusesNonPlan(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		word string
	}{
		{"bin.txt", []byte("三月份\x00\x01\x02"), "二进制"},
		{"page.txt", []byte("<!DOCTYPE html><html><body>三月份</body></html>"), "HTML"},
		{"notes.txt", []byte("会议纪要\n1.做好工作\n"), "月份标题"},
		{"empty.txt", nil, "为空"},
	} {
		f := planFile(t, tc.name, tc.data)
		stdout, _, err := planCmd(t, f, "--json")
		if err == nil || !strings.Contains(err.Error(), tc.word) || !strings.Contains(err.Error(), f) {
			t.Errorf("%s: err %v, want one naming the file and %q", tc.name, err, tc.word)
		}
		if stdout != "" {
			t.Errorf("%s: stdout %q", tc.name, stdout)
		}
		var out, errOut bytes.Buffer
		if code := run([]string{"plan", f}, strings.NewReader(""), &out, &errOut); code != 1 || !strings.HasPrefix(errOut.String(), "planbot plan: ") || out.Len() != 0 {
			t.Errorf("%s: exit %d, stderr %q, stdout %q", tc.name, code, errOut.String(), out.String())
		}
	}
}

// Usage errors: no FILE, two FILEs, a missing file, a bad flag, a year out of range; -h is no error.
func TestPlanUsage(t *testing.T) {
	f := samplePlanFile(t)
	for _, args := range [][]string{
		{},
		{"--json"},
		{f, f},
		{filepath.Join(t.TempDir(), "missing.txt")},
		{f, "--bogus"},
		{f, "--year"},
		{f, "--year", "abc"},
		{f, "--year", "99999"},
	} {
		stdout, _, err := planCmd(t, args...)
		if err == nil {
			t.Errorf("%q: no error", args)
		}
		if stdout != "" {
			t.Errorf("%q: stdout %q", args, stdout)
		}
	}
	if _, stderr, err := planCmd(t, "-h"); err != nil || !strings.Contains(stderr, "usage: planbot plan FILE") {
		t.Errorf("-h: %v %q", err, stderr)
	}
}

// planbot plan reads a document without a year, dated by the clock's today, and says so in the
// summary and in a warning.
func TestPlanNoYear(t *testing.T) {
	f := planFile(t, "安排.txt", []byte("XX中学行事历\n九月\n1.9月10日庆祝教师节\n一月\n1.1月17日期末考试\n"))
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 12, 3, 9, 0, 0, 0, bot.Shanghai), "2026-09-10"},
		{time.Date(2027, 3, 1, 9, 0, 0, 0, bot.Shanghai), "2026-09-10"}, // the school year holding today
		{time.Date(2027, 8, 20, 9, 0, 0, 0, bot.Shanghai), "2027-09-10"},
	} {
		var out, errOut bytes.Buffer
		if err := planCommand([]string{f}, &out, &errOut, func() time.Time { return tc.now }); err != nil {
			t.Fatal(err)
		}
		y := tc.want[:4]
		if !strings.Contains(out.String(), "年份 "+y+"（文件中未写年份，按当前日期推定；如不对，请用 --year 指定）") || !strings.Contains(out.String(), tc.want) ||
			!strings.Contains(errOut.String(), "文件中未写年份，按当前日期推定为 "+y+" 年") {
			t.Errorf("%v: %s\n%s", tc.now, out.String(), errOut.String())
		}
	}
}
