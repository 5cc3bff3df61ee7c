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

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/report"
	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/storetest"
)

// storeRunner runs one store-backed command and returns its stdout and stderr.
type storeRunner func(t *testing.T, fn storeCmd, args ...string) (stdout, stderr string, err error)

// importClock is 2026-01-05 09:00 in Shanghai: the January obligations before it are before tracking.
func importClock() time.Time { return time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC) }

// memoryRunner runs every command on one shared memory store.
func memoryRunner(t *testing.T) storeRunner {
	st := memory.New()
	st.Now = importClock
	return func(t *testing.T, fn storeCmd, args ...string) (string, string, error) {
		var out, errw bytes.Buffer
		c := &cli{stdout: &out, stderr: &errw, now: importClock, st: st}
		err := fn(context.Background(), c, args)
		return out.String(), errw.String(), err
	}
}

// postgresRunner runs every command as a new process would: DATABASE_URL set, store opened
// (and migrated) per command, on a fresh schema of the test database.
func postgresRunner(t *testing.T) storeRunner {
	url := storetest.PostgresURL(t)
	return func(t *testing.T, fn storeCmd, args ...string) (string, string, error) {
		var out, errw bytes.Buffer
		c := &cli{stdout: &out, stderr: &errw, now: importClock, cfg: Config{DatabaseURL: url}}
		defer c.close()
		err := fn(context.Background(), c, args)
		return out.String(), errw.String(), err
	}
}

func runners() map[string]func(t *testing.T) storeRunner {
	return map[string]func(t *testing.T) storeRunner{"memory": memoryRunner, "postgres": postgresRunner}
}

// writeSample writes the embedded sample plan, optionally with one line edited, to a temp file.
func writeSample(t *testing.T, from, to string) string {
	t.Helper()
	name, data := plan.Sample()
	if from != "" {
		edited := bytes.Replace(data, []byte(from), []byte(to), 1)
		if bytes.Equal(edited, data) {
			t.Fatalf("sample has no %q", from)
		}
		data = edited
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func exportJSON(t *testing.T, run storeRunner, args ...string) report.BackupDoc {
	t.Helper()
	out, _, err := run(t, runExport, append([]string{"--json"}, args...)...)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var doc report.BackupDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("export output is not JSON: %v\n%s", err, out)
	}
	return doc
}

func TestImportExportSample(t *testing.T) {
	for name, newRunner := range runners() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := newRunner(t)
			file := writeSample(t, "", "")
			out, _, err := run(t, runImport, file, "--year", "2026") // flags after the file
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if !strings.Contains(out, "+60 new, ~0 changed, -0 retired") {
				t.Fatalf("import summary = %q", out)
			}
			first := exportJSON(t, run)
			if first.Team != "default" || len(first.Obligations) != 60 {
				t.Fatalf("export: team %q, %d obligations; want default, 60", first.Team, len(first.Obligations))
			}
			statuses := map[bot.Status]int{}
			for _, o := range first.Obligations {
				statuses[o.Status]++
				if o.EffectiveDue.IsZero() || o.EffectiveDue.After(o.Due) || o.Due.DaysUntil(o.EffectiveDue) < -10 {
					t.Errorf("%s: due %v effective %v", o.Key, o.Due, o.EffectiveDue)
				}
				if o.Assignee != nil || o.DoneBy != nil || o.DoneAt != nil {
					t.Errorf("%s: assignee/done set on a fresh import: %+v", o.Key, o)
				}
			}
			// Today is 2026-01-05: nothing in the sample is due before it.
			if statuses[bot.StatusOpen] != 60 {
				t.Errorf("statuses = %v, want 60 open", statuses)
			}
			// 2026-05-01..05 is the Labour Day holiday: a 5月5日 deadline falls back to 4月30日.
			var sawShift bool
			for _, o := range first.Obligations {
				if o.EffectiveDue != o.Due {
					sawShift = true
				}
			}
			if !sawShift {
				t.Error("no obligation has an effective due before its due date (weekends, holidays)")
			}

			// The same document again changes nothing.
			out, _, err = run(t, runImport, "--year=2026", file)
			if err != nil {
				t.Fatalf("re-import: %v", err)
			}
			if !strings.Contains(out, "+0 new, ~0 changed, -0 retired (60 unchanged)") {
				t.Fatalf("re-import summary = %q", out)
			}
			if again := exportJSON(t, run); !jsonEqual(t, first, again) {
				t.Fatal("export after an identical re-import differs")
			}

			// One line edited: its obligation is replaced, the other 59 keep their keys.
			edited := writeSample(t, "3.谋划本年度工作。", "3.谋划本年度资助工作。")
			out, _, err = run(t, runImport, edited, "--year", "2026")
			if err != nil {
				t.Fatalf("edited import: %v", err)
			}
			if !strings.Contains(out, "+1 new, ~0 changed, -1 retired") {
				t.Fatalf("edited import summary = %q", out)
			}
			after := exportJSON(t, run)
			oldKeys := map[string]bool{}
			for _, o := range first.Obligations {
				oldKeys[o.Key] = true
			}
			live, kept := 0, 0
			var titles []string
			for _, o := range after.Obligations {
				if o.Status == bot.StatusRetired {
					if o.Title != "谋划本年度工作" {
						t.Errorf("retired %q, want the edited line's old title", o.Title)
					}
					continue
				}
				live++
				if oldKeys[o.Key] {
					kept++
				}
				if strings.Contains(o.Title, "谋划本年度") {
					titles = append(titles, o.Title)
				}
			}
			if live != 60 || kept != 59 {
				t.Fatalf("after edit: %d live, %d with unchanged keys; want 60 and 59", live, kept)
			}
			if len(titles) != 1 || titles[0] != "谋划本年度资助工作" {
				t.Fatalf("live titles of the edited line = %q", titles)
			}
		})
	}
}

func jsonEqual(t *testing.T, a, b any) bool {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func TestImportBeforeTrackingAndTeam(t *testing.T) {
	for name, newRunner := range runners() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := newRunner(t)
			file := writeSample(t, "", "")
			// Today 2026-01-05; with --year 2027 nothing is past. Use the 2025 dating to have all past.
			if _, _, err := run(t, runImport, file, "--year", "2025", "--team", "淮北"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := run(t, runImport, file, "--year", "2025", "--team", "宿州", "--track-past"); err != nil {
				t.Fatal(err)
			}
			for team, want := range map[string]bot.Status{"淮北": bot.StatusBeforeTracking, "宿州": bot.StatusOpen} {
				doc := exportJSON(t, run, "--team", team)
				if doc.Team != team || len(doc.Obligations) != 60 {
					t.Fatalf("team %s: %q with %d obligations", team, doc.Team, len(doc.Obligations))
				}
				for _, o := range doc.Obligations {
					if o.Status != want {
						t.Fatalf("team %s: %s status %s, want %s", team, o.Key, o.Status, want)
					}
				}
			}
			if doc := exportJSON(t, run); len(doc.Obligations) != 0 {
				t.Fatalf("default team has %d obligations; imports went to other teams", len(doc.Obligations))
			}
		})
	}
}

func TestImportErrors(t *testing.T) {
	run := memoryRunner(t)
	if _, _, err := run(t, runImport); err == nil {
		t.Fatal("import without FILE succeeded")
	}
	if _, _, err := run(t, runImport, filepath.Join(t.TempDir(), "missing.txt")); err == nil {
		t.Fatal("import of a missing file succeeded")
	}
	if _, _, err := run(t, runImport, "-h"); err != nil {
		t.Fatalf("-h: %v", err)
	}
}

func TestExportContent(t *testing.T) {
	st := memory.New()
	ctx := context.Background()
	team, _ := st.EnsureTeam(ctx, bot.DefaultTeam)
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	o := bot.Obligation{Key: "k1", Title: "报送", Due: bot.NewDate(2026, 5, 3), Rule: bot.RuleOnce, Period: "2026-05"}
	if _, err := st.AddObligation(ctx, team.ID, "lisi", o, at, bot.Effect{}); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.Assign(ctx, team.ID, "lisi", "k1", "zhangsan", at, bot.Effect{}))
	must(st.Complete(ctx, team.ID, "zhangsan", "k1", "初稿", at.Add(time.Hour), bot.Effect{}))
	must(st.Undo(ctx, team.ID, "zhangsan", "k1", at.Add(2*time.Hour), bot.Effect{}))
	must(st.Complete(ctx, team.ID, "zhangsan", "k1", "", at.Add(3*time.Hour), bot.Effect{}))
	f, err := st.AddFigure(ctx, bot.Figure{TeamID: team.ID, Programme: "国家助学金", Stage: "中职", Term: "春季", Year: 2026,
		Persons: 3, PersonTimes: 3, AmountFen: 300000, By: "zhangsan", At: at, Note: "n"}, bot.Effect{})

	must(err)
	must(st.VoidFigure(ctx, team.ID, f.ID, "lisi", at.Add(time.Hour), bot.Effect{}))

	var out bytes.Buffer
	c := &cli{stdout: &out, stderr: &out, now: importClock, st: st}
	must(runExport(ctx, c, []string{"--json"}))
	var raw map[string][]map[string]any
	var doc struct {
		Team string `json:"team"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || doc.Team != "default" {
		t.Fatalf("team: %v %q", err, doc.Team)
	}
	// Decode the arrays only (team is a string).
	var all map[string]json.RawMessage
	must(json.Unmarshal(out.Bytes(), &all))
	raw = map[string][]map[string]any{}
	for _, k := range []string{"obligations", "completions", "figures"} {
		var v []map[string]any
		must(json.Unmarshal(all[k], &v))
		raw[k] = v
	}
	ob := raw["obligations"][0]
	want := map[string]any{"key": "k1", "title": "报送", "period": "2026-05", "due": "2026-05-03",
		"effective_due": "2026-04-30", "status": "done", "assignee": "zhangsan", "done_by": "zhangsan",
		"done_at": "2026-03-02T12:00:00+08:00"}
	if !jsonEqual(t, ob, want) {
		t.Errorf("obligation = %v\nwant %v", ob, want)
	}
	comps := raw["completions"]
	if len(comps) != 2 || comps[0]["undone_by"] != "zhangsan" || comps[0]["undone_at"] != "2026-03-02T11:00:00+08:00" ||
		comps[0]["note"] != "初稿" || comps[1]["undone_at"] != nil || comps[1]["undone_by"] != nil || comps[1]["by"] != "zhangsan" {
		t.Errorf("completions = %v", comps)
	}
	fig := raw["figures"][0]
	wantFig := map[string]any{"id": float64(f.ID), "programme": "国家助学金", "stage": "中职", "term": "春季", "year": float64(2026),
		"month": float64(0), "persons": float64(3), "person_times": float64(3), "amount_fen": float64(300000),
		"by": "zhangsan", "at": "2026-03-02T09:00:00+08:00", "note": "n", "void": true}
	if !jsonEqual(t, fig, wantFig) {
		t.Errorf("figure = %v\nwant %v", fig, wantFig)
	}
	out.Reset()
	if err := runExport(ctx, c, nil); err == nil {
		t.Error("export without a format succeeded")
	}
}

func TestMember(t *testing.T) {
	for name, newRunner := range runners() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := newRunner(t)
			steps := []struct {
				args    []string
				wantErr bool
				wantOut string
			}{
				{[]string{"add", "zhangsan", "--name", "张三", "--role", "staff"}, false, "已添加 zhangsan"},
				{[]string{"add", "--role", "supervisor", "wangzr", "--name=王主任"}, false, "主管"},
				{[]string{"add", "x", "--role", "boss"}, true, ""},
				{[]string{"add"}, true, ""},
				{[]string{"remove", "zhangsan"}, false, "已停用 zhangsan"},
				{[]string{"remove", "nobody"}, true, ""},
				{[]string{"frobnicate"}, true, ""},
				{[]string{"add", "lisi", "--name", "李四", "--role", "admin", "--team", "宿州"}, false, "宿州"},
			}
			for _, s := range steps {
				out, _, err := run(t, runMember, s.args...)
				if (err != nil) != s.wantErr || !strings.Contains(out, s.wantOut) {
					t.Fatalf("member %v: out %q err %v", s.args, out, err)
				}
			}
			out, _, err := run(t, runMember, "list")
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 3 || !strings.HasPrefix(lines[1], "wangzr") || !strings.Contains(lines[1], "supervisor") ||
				!strings.HasPrefix(lines[2], "zhangsan") || !strings.HasSuffix(lines[2], "no") {
				t.Fatalf("member list =\n%s", out)
			}
			out, _, err = run(t, runMember, "list", "--team", "宿州")
			if err != nil || !strings.Contains(out, "lisi") || strings.Contains(out, "wangzr") {
				t.Fatalf("member list --team 宿州 = %q %v", out, err)
			}
		})
	}
}

func TestOpenStoreMemoryNotice(t *testing.T) {
	var logs bytes.Buffer
	st, closeFn, err := openStore(context.Background(), "", cliLogger(&logs))
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	if _, ok := st.(*memory.Store); !ok {
		t.Fatalf("store = %T, want memory", st)
	}
	if strings.Count(logs.String(), "DATABASE_URL") != 2 || strings.Count(logs.String(), "\n") != 1 {
		t.Fatalf("log = %q, want one line about DATABASE_URL", logs.String())
	}
}

func TestMigrateCommand(t *testing.T) {
	var out bytes.Buffer
	c := &cli{stdout: &out, stderr: &out, now: importClock}
	if err := runMigrate(context.Background(), c, nil); err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("migrate without DATABASE_URL: %v", err)
	}
	url := storetest.PostgresURL(t)
	c.cfg.DatabaseURL = url
	for i := range 2 {
		out.Reset()
		if err := runMigrate(context.Background(), c, nil); err != nil {
			t.Fatalf("migrate #%d: %v", i+1, err)
		}
		if !strings.Contains(out.String(), "schema up to date") {
			t.Fatalf("migrate output %q", out.String())
		}
	}
	st, closeFn, err := openStore(context.Background(), c.cfg.DatabaseURL, cliLogger(&out))
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	if err := st.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}
