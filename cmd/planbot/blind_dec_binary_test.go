package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/store/storetest"
)

// The blind December batch (testdata/blind-dec, written before its first run) through the
// binary as an office sets it up from the README: `planbot migrate`, `planbot import` of the
// sample plan with --year 2026 --track-past, `planbot member add`, then one `planbot chat
// --date D --user U --team T` process per scenario on PostgreSQL + Redis. After every message
// the team is read back with `planbot export --json` and the change is compared with the row's
// expectation: exactly the expected completions, undos, notes, assignments and figures, and
// nothing at all for a question, a negation, a future, a condition, hearsay or chit-chat.
//
// blindDecKnownMisses lists the rows not yet understood (scenario file:line); every other row
// must be right, and a safety row must never change anything whether listed or not.
func TestBlindDecemberBinary(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	redisURL, prefix := storetest.RedisURL(t)
	env := map[string]string{"DATABASE_URL": dbURL, "REDIS_URL": redisURL, "REDIS_PREFIX": prefix}
	files, err := filepath.Glob("testdata/blind-dec/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	binRun(ctx, t, env, "migrate")

	var mu sync.Mutex
	var all []blindResult
	t.Run("scenarios", func(t *testing.T) {
		for i, f := range files {
			t.Run(filepath.Base(f), func(t *testing.T) {
				t.Parallel()
				res := runBlindScenario(ctx, t, env, f, i+1)
				mu.Lock()
				all = append(all, res...)
				mu.Unlock()
			})
		}
	})
	reportBlind(t, all)
}

// blindDecKnownMisses are rows (file:line) not yet right; each says why (the notes on issue #14
// have the first-contact numbers).
var blindDecKnownMisses = map[string]bool{
	// 迎检材料都准备好了 completes November's 迎接省考核准备工作…迎检工作 on 准备 (wrong act: December's
	// 各项迎检工作 fits 迎检 as well); kept because the older batch-25 row 迎检工作准备好了 wants November's
	"19-b-year-end-wording.txt:8": true,
	// 迎检的今天也弄完了 on 12-31 completes November's item, not December's 做好教育扶贫、教育民生各项
	// 迎检工作 due that day: the 迎检 abbreviation counts half in a title with a 、 (a task list);
	// counting it whole where 、 joins qualifiers breaks the older batch-25 rows (迎检工作准备好了,
	// 资助资金发放完了), so both rows wait
	"25-regress-year-end.txt:5": true,
	"25-regress-year-end.txt:7": true,
}

type blindRow struct {
	where, tag, msg, want, reply string
	line                         int
}

type blindResult struct {
	row          blindRow
	right, wrong bool // wrong: something changed that was not asked for
	why          string
}

// blindState is what a scenario can change, read from `planbot export --json`.
type blindState struct {
	done     map[string]string // key → by (live completions)
	notes    map[string]string // key → note of the live completion
	assignee map[string]string // key → userid
	figures  []string          // "programme/stage/term persons fen", sorted
	items    int
}

func runBlindScenario(ctx context.Context, t *testing.T, env map[string]string, file string, n int) []blindResult {
	date, user, rows := readBlindScenario(t, file)
	team := fmt.Sprintf("blind-dec-%02d", n)
	uid := func(who string) string { return fmt.Sprintf("%s%02d", who, n) }
	binRun(ctx, t, env, "import ../../testdata/huaibei-2020-xszz-plan.txt --team "+team+" --year 2026 --track-past")
	for who, m := range map[string]string{"wang": "王主任 --role supervisor", "li": "李老师 --role staff", "zhang": "张老师 --role staff"} {
		binRun(ctx, t, env, "member add "+uid(who)+" --name "+m+" --team "+team)
	}
	c := startBlindChat(ctx, t, env, fmt.Sprintf("chat --date %s --user %s --team %s", date, uid(user), team))
	defer c.close()
	current := uid(user)
	before := exportBlind(ctx, t, env, team)
	var out []blindResult
	for _, r := range rows {
		if who, ok := strings.CutPrefix(r.msg, "/as "); ok {
			current = uid(who)
			c.say(t, "/as "+current)
			continue
		}
		reply := c.say(t, r.msg)
		after := exportBlind(ctx, t, env, team)
		want, err := applyBlind(before, r.want, current, uid)
		if err != nil {
			t.Fatalf("%s: %v", r.where, err)
		}
		res := judgeBlind(r, before, after, want, reply)
		if !res.right {
			t.Logf("%s [%s] %s → %s\n%s", r.where, r.tag, r.msg, res.why, reply)
		}
		out = append(out, res)
		before = after
	}
	return out
}

func readBlindScenario(t *testing.T, file string) (date, user string, rows []blindRow) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		where := fmt.Sprintf("%s:%d", filepath.Base(file), i+1)
		switch {
		case line == "":
		case strings.HasPrefix(line, "# date:"):
			date = strings.TrimSpace(strings.TrimPrefix(line, "# date:"))
		case strings.HasPrefix(line, "# user:"):
			user = strings.TrimSpace(strings.TrimPrefix(line, "# user:"))
		case strings.HasPrefix(line, "#"): // a comment
		case strings.HasPrefix(line, "/as "):
			rows = append(rows, blindRow{where: where, msg: line, line: i + 1})
		default:
			f := strings.Split(line, " | ")
			if len(f) < 3 || len(f) > 4 {
				t.Fatalf("%s: want TAG | message | expectation [| reply]: %q", where, line)
			}
			r := blindRow{where: where, tag: f[0], msg: f[1], want: f[2], line: i + 1}
			if len(f) == 4 {
				r.reply = f[3]
			}
			rows = append(rows, r)
		}
	}
	if date == "" || user == "" {
		t.Fatalf("%s: no # date: or # user: header", file)
	}
	return date, user, rows
}

// applyBlind is the state before with the row's expected effects.
func applyBlind(s blindState, want, by string, uid func(string) string) (blindState, error) {
	w := s.clone()
	if want == "=" || want == "ask" {
		return w, nil
	}
	for _, e := range strings.Split(want, ";") {
		f := strings.Fields(e)
		if len(f) < 2 {
			return w, fmt.Errorf("bad effect %q", e)
		}
		key, err := s.key(f[1], f[0] == "fig")
		if err != nil {
			return w, err
		}
		switch {
		case f[0] == "done" && len(f) == 2:
			w.done[key] = by
		case f[0] == "undo" && len(f) == 2:
			delete(w.done, key)
			delete(w.notes, key)
		case f[0] == "note" && len(f) >= 3:
			w.notes[key] = strings.Join(f[2:], " ")
		case f[0] == "assign" && len(f) == 3:
			w.assignee[key] = uid(f[2])
		case f[0] == "fig" && len(f) == 4:
			w.figures = append(w.figures, strings.Join(f[1:], " "))
			slices.Sort(w.figures)
		default:
			return w, fmt.Errorf("bad effect %q", e)
		}
	}
	return w, nil
}

// judgeBlind compares the state after the row with the expected one. Notes are compared only
// where the row names one (a completion's note is free otherwise).
func judgeBlind(r blindRow, before, after, want blindState, reply string) blindResult {
	res := blindResult{row: r}
	for k := range want.done {
		if _, was := before.done[k]; !was && !strings.Contains(r.want, "note") {
			want.notes[k] = after.notes[k] // a new completion's note is free
		}
	}
	changed := !after.equal(before)
	switch {
	case !after.equal(want):
		res.why = fmt.Sprintf("store: want %s, got %s", want.diff(before), after.diff(before))
		res.wrong = changed
	case r.tag == "Q" && strings.Contains(reply, "没看懂"):
		res.why = "not understood"
	case r.want == "ask" && !strings.Contains(reply, "回复"):
		res.why = "no question asked (a one-tap 回复 是/1 or a numbered choice)"
	case r.reply != "" && !strings.Contains(reply, r.reply):
		res.why = fmt.Sprintf("reply lacks %q", r.reply)
	default:
		res.right = true
	}
	return res
}

func reportBlind(t *testing.T, all []blindResult) {
	var right, wrong, safety, safetyChanged int
	for _, r := range all {
		known := blindDecKnownMisses[r.row.where]
		if r.right {
			right++
			if known {
				t.Logf("%s is right now: take it off blindDecKnownMisses", r.row.where)
			}
		} else if !known {
			t.Errorf("%s [%s] %q: %s", r.row.where, r.row.tag, r.row.msg, r.why)
		}
		if r.wrong {
			wrong++
		}
		if r.row.tag != "A" {
			safety++
			if r.wrong {
				safetyChanged++
				t.Errorf("%s [%s] %q changed the store: %s", r.row.where, r.row.tag, r.row.msg, r.why)
			}
		}
	}
	t.Logf("blind December batch through the binary: %d/%d right (%.1f%%), %d wrong acts, %d of %d safety rows changed something",
		right, len(all), 100*float64(right)/float64(max(len(all), 1)), wrong, safetyChanged, safety)
}

func (s blindState) clone() blindState {
	c := blindState{done: map[string]string{}, notes: map[string]string{}, assignee: map[string]string{}, figures: slices.Clone(s.figures), items: s.items}
	for k, v := range s.done {
		c.done[k] = v
	}
	for k, v := range s.notes {
		c.notes[k] = v
	}
	for k, v := range s.assignee {
		c.assignee[k] = v
	}
	return c
}

func (s blindState) equal(o blindState) bool {
	return fmt.Sprint(s.done, s.notes, s.assignee, s.figures, s.items) == fmt.Sprint(o.done, o.notes, o.assignee, o.figures, o.items)
}

// diff says what s has that base has not (and what it lost).
func (s blindState) diff(base blindState) string {
	var d []string
	for k, by := range s.done {
		if _, ok := base.done[k]; !ok {
			d = append(d, "done "+k+" by "+by)
		}
	}
	for k := range base.done {
		if _, ok := s.done[k]; !ok {
			d = append(d, "undo "+k)
		}
	}
	for k, n := range s.notes {
		if base.notes[k] != n {
			d = append(d, fmt.Sprintf("note %s %q", k, n))
		}
	}
	for k, a := range s.assignee {
		if base.assignee[k] != a {
			d = append(d, "assign "+k+" "+a)
		}
	}
	if !slices.Equal(s.figures, base.figures) {
		d = append(d, fmt.Sprintf("figures %v", s.figures))
	}
	if s.items != base.items {
		d = append(d, fmt.Sprintf("%d items", s.items))
	}
	slices.Sort(d)
	if len(d) == 0 {
		return "no change"
	}
	return strings.Join(d, "; ")
}

// key finds the obligation whose key ends with suffix (figures name no obligation).
func (s blindState) key(suffix string, figure bool) (string, error) {
	if figure {
		return "", nil
	}
	var found []string
	for _, k := range s.allKeys() {
		if strings.HasSuffix(k, suffix) {
			found = append(found, k)
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("key suffix %q matches %v", suffix, found)
	}
	return found[0], nil
}

func (s blindState) allKeys() []string {
	var ks []string
	for k := range s.assignee {
		ks = append(ks, k)
	}
	return ks
}

func exportBlind(ctx context.Context, t *testing.T, env map[string]string, team string) blindState {
	t.Helper()
	var x struct {
		Obligations []struct {
			Key      string  `json:"key"`
			Assignee *string `json:"assignee"`
		} `json:"obligations"`
		Completions []struct {
			Key     string  `json:"key"`
			By      string  `json:"by"`
			Note    string  `json:"note"`
			UndoneA *string `json:"undone_at"`
		} `json:"completions"`
		Figures []struct {
			Programme string `json:"programme"`
			Stage     string `json:"stage"`
			Term      string `json:"term"`
			Persons   int    `json:"persons"`
			AmountFen int64  `json:"amount_fen"`
			Void      bool   `json:"void"`
		} `json:"figures"`
	}
	if err := json.Unmarshal([]byte(binRun(ctx, t, env, "export --json --team "+team)), &x); err != nil {
		t.Fatalf("export: %v", err)
	}
	s := blindState{done: map[string]string{}, notes: map[string]string{}, assignee: map[string]string{}, items: len(x.Obligations)}
	for _, o := range x.Obligations {
		s.assignee[o.Key] = ""
		if o.Assignee != nil {
			s.assignee[o.Key] = *o.Assignee
		}
	}
	for _, c := range x.Completions {
		if c.UndoneA == nil {
			s.done[c.Key], s.notes[c.Key] = c.By, c.Note
		}
	}
	for _, f := range x.Figures {
		if !f.Void {
			s.figures = append(s.figures, fmt.Sprintf("%s/%s/%s %d %s", f.Programme, f.Stage, f.Term, f.Persons, strconv.FormatInt(f.AmountFen, 10)))
		}
	}
	slices.Sort(s.figures)
	return s
}

// binRun runs `planbot args` to the end and returns its standard output.
func binRun(ctx context.Context, t *testing.T, env map[string]string, args string) string {
	t.Helper()
	cmd, out := planbotProcess(ctx, env, args)
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("planbot %s: %v\n%s%s", args, err, out, errb.String())
	}
	return out.String()
}

// blindChat is a running `planbot chat`: say writes a line, then /help, and returns what was
// printed before /help's answer (the reply to the line; the chat answers in order).
type blindChat struct {
	in    io.WriteCloser
	lines chan string
	wait  func() error
}

const chatHelpLine = "/as 姓名或userid 切换用户；/date YYYY-MM-DD 改日期；/quit 退出。其他内容发给机器人。"

func startBlindChat(ctx context.Context, t *testing.T, env map[string]string, args string) *blindChat {
	t.Helper()
	cmd, _ := planbotProcess(ctx, env, args)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &blindChat{in: in, lines: make(chan string, 64)}
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
	}()
	c.wait = func() error { err := cmd.Wait(); pw.Close(); return err }
	return c
}

func (c *blindChat) say(t *testing.T, msg string) string {
	t.Helper()
	if _, err := fmt.Fprintf(c.in, "%s\n/help\n", msg); err != nil {
		t.Fatalf("chat: %v", err)
	}
	var reply []string
	for line := range c.lines {
		if line == chatHelpLine {
			return strings.TrimSpace(strings.Join(reply, "\n"))
		}
		reply = append(reply, line)
	}
	t.Fatalf("chat ended before answering %q: %s", msg, strings.Join(reply, "\n"))
	return ""
}

func (c *blindChat) close() {
	c.in.Close()
	_ = c.wait()
}
