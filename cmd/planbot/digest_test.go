package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot/plan"
)

// fixedNow is 2026-02-13 17:30 UTC: already 2026-02-14 in Shanghai.
func fixedNow() time.Time { return time.Date(2026, 2, 13, 17, 30, 0, 0, time.UTC) }

func digest(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := runDigest(context.Background(), Config{}, args, &out, &errb, fixedNow)
	return out.String(), errb.String(), err
}

func digestJSONFor(t *testing.T, args ...string) digestJSON {
	t.Helper()
	out, stderr, err := digest(t, append(args, "--json")...)
	if err != nil {
		t.Fatalf("digest %v: %v\n%s", args, err, stderr)
	}
	var j digestJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatalf("digest %v: bad JSON: %v\n%s", args, err, out)
	}
	return j
}

func titles(items []digestItemJSON) string {
	var s []string
	for _, it := range items {
		s = append(s, it.Due.String()+">"+it.EffectiveDue.String()+" "+it.Title)
	}
	return strings.Join(s, "\n")
}

func TestDigestRequiredOutcomes(t *testing.T) {
	// 2026-02-14, a make-up Saturday: the data update due 02-20 (inside the Spring Festival) is due today.
	j := digestJSONFor(t, "--date", "2026-02-14")
	if !j.Workday || j.Holiday != "" || j.Date.String() != "2026-02-14" {
		t.Errorf("2026-02-14: workday=%v holiday=%q date=%s", j.Workday, j.Holiday, j.Date)
	}
	if len(j.DueToday) != 1 || !strings.Contains(j.DueToday[0].Title, "更新维护学生资助管理") ||
		j.DueToday[0].Due.String() != "2026-02-20" || j.DueToday[0].EffectiveDue.String() != "2026-02-14" {
		t.Errorf("2026-02-14 due today:\n%s", titles(j.DueToday))
	}
	if len(j.Overdue) != 0 {
		t.Errorf("2026-02-14 overdue without a store:\n%s", titles(j.Overdue))
	}

	// 2026-02-16: Spring Festival.
	j = digestJSONFor(t, "--date", "2026-02-16")
	if j.Workday || j.Holiday != "春节" {
		t.Errorf("2026-02-16: workday=%v holiday=%q", j.Workday, j.Holiday)
	}

	// 2026-02-28, a make-up Saturday: February's items (the 28th report and the two period items).
	j = digestJSONFor(t, "--date", "2026-02-28")
	if !j.Workday || len(j.DueToday) != 3 {
		t.Fatalf("2026-02-28: workday=%v due today:\n%s", j.Workday, titles(j.DueToday))
	}
	for _, it := range j.DueToday {
		if it.Due.String() != "2026-02-28" || it.EffectiveDue.String() != "2026-02-28" {
			t.Errorf("2026-02-28 item %s due %s effective %s", it.Title, it.Due, it.EffectiveDue)
		}
	}
	if !strings.Contains(titles(j.DueToday), "上报当月月点评季通报表") || !strings.Contains(titles(j.DueToday), "撰写上年度资助工作总结") {
		t.Errorf("2026-02-28 due today:\n%s", titles(j.DueToday))
	}

	// 2026-05-29, a Friday: the month-end items due Sunday 05-31 are due today.
	j = digestJSONFor(t, "--date", "2026-05-29")
	if !j.Workday || len(j.DueToday) != 4 {
		t.Fatalf("2026-05-29: workday=%v due today:\n%s", j.Workday, titles(j.DueToday))
	}
	for _, it := range j.DueToday {
		if it.Due.String() != "2026-05-31" || it.EffectiveDue.String() != "2026-05-29" {
			t.Errorf("2026-05-29 item %s due %s effective %s", it.Title, it.Due, it.EffectiveDue)
		}
	}
}

func TestDigestPlainAndDefaultDate(t *testing.T) {
	out, _, err := digest(t) // no --date: the injected clock says 2026-02-14 in Shanghai
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2026年2月14日 星期六（调休上班）", "1. 更新维护学生资助管理及建档立卡信息系统数据 — 截止2月20日(提前至2月14日)"} {
		if !strings.Contains(out, want) {
			t.Errorf("plain digest lacks %q:\n%s", want, out)
		}
	}
	out, _, err = digest(t, "--date", "2026-02-16")
	if err != nil || !strings.Contains(out, "休息日（春节）") {
		t.Errorf("2026-02-16 plain: %v\n%s", err, out)
	}
	out, _, err = digest(t, "--markdown", "--date", "2026-02-14")
	if err != nil || !strings.Contains(out, "### 工作清单") || !strings.Contains(out, "(提前至2月14日)") {
		t.Errorf("markdown: %v\n%s", err, out)
	}
}

func TestDigestFlagsAnyOrder(t *testing.T) {
	a := digestJSONFor(t, "--date", "2026-05-29")
	out, _, err := digest(t, "--json", "--date=2026-05-29")
	if err != nil {
		t.Fatal(err)
	}
	var b digestJSON
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	if titles(a.DueToday) != titles(b.DueToday) || a.Date != b.Date {
		t.Errorf("flag order changed the result")
	}
	for _, args := range [][]string{
		{"--date", "2026-13-01"},
		{"--date", "tomorrow"},
		{"extra"},
		{"--nope"},
		{"--plan", filepath.Join(t.TempDir(), "missing.txt")},
		{"--holidays", filepath.Join(t.TempDir(), "missing.txt")},
	} {
		if _, _, err := digest(t, args...); err == nil {
			t.Errorf("digest %v: no error", args)
		}
	}
}

func TestDigestPlanFileAndYear(t *testing.T) {
	_, data := plan.Sample()
	path := filepath.Join(t.TempDir(), "plan.txt")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// The file's own year (2020): 2020-05-29 is a Friday, the month-end items due Sunday 05-31.
	j := digestJSONFor(t, "--plan", path, "--date", "2020-05-29")
	if len(j.DueToday) == 0 || j.DueToday[0].Due.String() != "2020-05-31" || j.DueToday[0].EffectiveDue.String() != "2020-05-29" {
		t.Errorf("2020-05-29 from file:\n%s", titles(j.DueToday))
	}
	// Without --year the file stays in 2020, so 2026 has nothing — and says why on stderr.
	out, stderr, err := digest(t, "--date", "2026-05-29", "--plan", path, "--json")
	if err != nil || !strings.Contains(stderr, "plan_year=2020") || strings.Contains(out, "2026-05-31") {
		t.Errorf("2020 plan on a 2026 day: %v\nstderr %s\nout %s", err, stderr, out)
	}
	j = digestJSONFor(t, "--date", "2026-05-29", "--plan", path, "--year", "2026")
	if len(j.DueToday) != 4 {
		t.Errorf("--year 2026:\n%s", titles(j.DueToday))
	}
}

func TestDigestHolidaysFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "holidays.txt")
	if err := os.WriteFile(path, []byte("2026-02-14 测试假 holiday\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	j := digestJSONFor(t, "--holidays", path, "--date", "2026-02-14")
	if j.Workday || j.Holiday != "测试假" {
		t.Errorf("override: workday=%v holiday=%q", j.Workday, j.Holiday)
	}
	// A year without data is still answered (weekends only), with a warning.
	_, stderr, err := digest(t, "--date", "2035-03-01", "--json")
	if err != nil || !strings.Contains(stderr, "year=2035") {
		t.Errorf("2035: %v, stderr %q", err, stderr)
	}
}

// --send goes through the durable job path, which lives in PostgreSQL: without DATABASE_URL
// it is refused with the reason, and no agenda is printed instead.
func TestDigestSendNeedsDatabase(t *testing.T) {
	out, _, err := digest(t, "--date", "2026-02-14", "--send")
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") || out != "" {
		t.Errorf("--send without DATABASE_URL: %v, printed %q", err, out)
	}
}
