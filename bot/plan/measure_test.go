package plan

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/planbot/planbot/bot"
)

// An office document's expectation (testdata/offices/NAME.want) is one obligation a line:
// "YYYY-MM-DD title", written from the document as an office worker reads it, before running the
// reader. "#" starts a comment.
type wantLine struct {
	due   string
	title string
}

func readWant(t testing.TB, path string) []wantLine {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []wantLine
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		due, title, ok := strings.Cut(l, " ")
		if !ok {
			t.Fatalf("%s: %q is not \"YYYY-MM-DD title\"", path, l)
		}
		out = append(out, wantLine{due, strings.TrimSpace(title)})
	}
	return out
}

// squash keeps letters and digits only, so a match does not hinge on quotes or punctuation.
func squash(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sameItem: the same due date, and one title holds the other (the reader may keep a parent's name
// or drop a date prefix; it may not change the day or invent wording).
func sameItem(w wantLine, o bot.Obligation) bool {
	if w.due != o.Due.String() {
		return false
	}
	a, b := squash(w.title), squash(o.Title)
	return a != "" && b != "" && (strings.Contains(a, b) || strings.Contains(b, a))
}

type score struct{ matched, extra, missed int }

// scoreDoc pairs wanted and read obligations one to one, in order of the wanted lines.
func scoreDoc(wants []wantLine, got []bot.Obligation) (s score, missed []wantLine, extra []bot.Obligation) {
	used := make([]bool, len(got))
	for _, w := range wants {
		found := false
		for i, o := range got {
			if !used[i] && sameItem(w, o) {
				used[i], found = true, true
				break
			}
		}
		if found {
			s.matched++
		} else {
			s.missed++
			missed = append(missed, w)
		}
	}
	for i, o := range got {
		if !used[i] {
			s.extra++
			extra = append(extra, o)
		}
	}
	return s, missed, extra
}

// TestOfficeSet reads every document in testdata/offices (plain text and .docx) and compares it with
// its stated expectation: matched / extra / missed per document and overall (go test -run
// TestOfficeSet -v ./bot/plan prints the table). A refused document counts every wanted item missed.
func TestOfficeSet(t *testing.T) {
	var docs []string
	for _, pat := range []string{"testdata/offices/*.txt", "testdata/offices/*.docx"} {
		m, _ := filepath.Glob(pat)
		docs = append(docs, m...)
	}
	if len(docs) < 10 {
		t.Fatalf("only %d office documents", len(docs))
	}
	var total score
	var report, detail strings.Builder
	for _, f := range docs {
		base := filepath.Base(f)
		wants := readWant(t, strings.TrimSuffix(strings.TrimSuffix(f, ".txt"), ".docx")+".want")
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := Parse(base, data, Options{})
		var s score
		var missed []wantLine
		var extra []bot.Obligation
		if err != nil {
			s.missed = len(wants)
			t.Errorf("%s refused: %v", base, err)
		} else {
			s, missed, extra = scoreDoc(wants, pl.Obligations)
			// The whole reading (rules, keys, lines not placed) is golden too: go test -run TestOfficeSet -update.
			golden := strings.TrimSuffix(strings.TrimSuffix(f, ".txt"), ".docx") + ".golden"
			got := dump(pl)
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if want, err := os.ReadFile(golden); err != nil || string(want) != got {
				t.Errorf("%s differs from %s (%v):\n%s", base, golden, err, got)
			}
		}
		total.matched += s.matched
		total.extra += s.extra
		total.missed += s.missed
		fmt.Fprintf(&report, "%-26s matched %3d  extra %3d  missed %3d  (year %d)\n", base, s.matched, s.extra, s.missed, pl.Year)
		for _, w := range missed {
			fmt.Fprintf(&detail, "%s: missed %s %s\n", base, w.due, w.title)
		}
		for _, o := range extra {
			fmt.Fprintf(&detail, "%s: extra %s %s (L%d)\n", base, o.Due, o.Title, o.Line)
		}
	}
	p := float64(total.matched) / float64(max(1, total.matched+total.extra))
	r := float64(total.matched) / float64(max(1, total.matched+total.missed))
	fmt.Fprintf(&report, "%-26s matched %3d  extra %3d  missed %3d  precision %.3f recall %.3f\n", "overall", total.matched, total.extra, total.missed, p, r)
	t.Log("\n" + report.String() + detail.String())
	if p < minPrecision || r < minRecall {
		t.Errorf("precision %.3f / recall %.3f below %.3f / %.3f:\n%s", p, r, minPrecision, minRecall, detail.String())
	}
}

// The floor the office set must hold (raised as the reader learns; 1 = every item exact).
const (
	minPrecision = 1.0
	minRecall    = 1.0
)

var (
	numberingRE = regexp.MustCompile(`(?m)^(\s*)(\d{1,2})\.([^\d])`)
	dayRE       = regexp.MustCompile(`(\d)日`)
	numberedRE  = regexp.MustCompile(`(?m)^\s*\d{1,2}、`)
	monthHeadRE = regexp.MustCompile(`(?m)^(\s*)([一二三四五六七八九十]{1,3})月(份?\s*)$`)
)

// TestOfficeSetVariants reads every plain-text office document again as other offices' tools
// save and copy it — CRLF, full-width digits and punctuation, ideographic spaces, trailing
// blanks, GB18030 — and requires the same score as the original: these are not different plans.
func TestOfficeSetVariants(t *testing.T) {
	docs, _ := filepath.Glob("testdata/offices/*.txt")
	fullWidth := strings.NewReplacer("0", "０", "1", "１", "2", "２", "3", "３", "4", "４", "5", "５", "6", "６", "7", "７", "8", "８", "9", "９",
		":", "：", "(", "（", ")", "）", ";", "；", "/", "／", "~", "～")
	variants := map[string]func(testing.TB, string) []byte{
		"crlf":       func(_ testing.TB, s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) },
		"full-width": func(_ testing.TB, s string) []byte { return []byte(fullWidth.Replace(s)) },
		"ideographic spaces": func(_ testing.TB, s string) []byte {
			return []byte(strings.ReplaceAll(strings.ReplaceAll(s, "  ", "\u3000"), "\n", "\u3000\n"))
		},
		"trailing blanks": func(_ testing.TB, s string) []byte { return []byte(strings.ReplaceAll(s, "\n", " \t \n")) },
		"1、 numbering": func(_ testing.TB, s string) []byte {
			if numberedRE.MatchString(s) { // both kinds already: one would become the other's parent
				return []byte(s)
			}
			return []byte(numberingRE.ReplaceAllString(s, "$1$2、$3"))
		},
		"| cells": func(_ testing.TB, s string) []byte { return []byte(strings.ReplaceAll(s, "\t", " | ")) },
		"Arabic month headings": func(_ testing.TB, s string) []byte {
			return []byte(monthHeadRE.ReplaceAllStringFunc(s, func(h string) string {
				m := monthHeadRE.FindStringSubmatch(h)
				n, _ := parseNum(m[2])
				return m[1] + strconv.Itoa(n) + "月" + m[3]
			}))
		},
		"space cells": func(_ testing.TB, s string) []byte { return []byte(strings.ReplaceAll(s, "\t", "    ")) },
		"号 for 日":     func(_ testing.TB, s string) []byte { return []byte(dayRE.ReplaceAllString(s, "${1}号")) },
		"【month】 headings": func(_ testing.TB, s string) []byte {
			return []byte(monthHeadRE.ReplaceAllString(s, "${1}【${2}月】"))
		},
		"gb18030": func(t testing.TB, s string) []byte {
			b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
			if err != nil {
				t.Fatal(err)
			}
			return b
		},
	}
	for _, f := range docs {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		wants := readWant(t, strings.TrimSuffix(f, ".txt")+".want")
		pl, err := Parse(filepath.Base(f), data, Options{})
		if err != nil {
			continue // TestOfficeSet reports it
		}
		base, _, _ := scoreDoc(wants, pl.Obligations)
		for name, v := range variants {
			got, err := Parse(filepath.Base(f), v(t, string(data)), Options{})
			var s score
			var missed []wantLine
			var extra []bot.Obligation
			if err == nil {
				w := wants
				if name == "号 for 日" { // the titles say 号 too
					w = make([]wantLine, len(wants))
					for i, x := range wants {
						w[i] = wantLine{x.due, dayRE.ReplaceAllString(x.title, "${1}号")}
					}
				}
				s, missed, extra = scoreDoc(w, got.Obligations)
			} else {
				s.missed = len(wants)
			}
			if s != base {
				t.Errorf("%s as %s: %+v, the original %+v (%v)\nmissed %v\nextra %v", filepath.Base(f), name, s, base, err, missed, extra)
			}
		}
	}
}
