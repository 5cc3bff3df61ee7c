package figure

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
)

// TestParseTable reads testdata/record.txt: phrasings of 记录 with their exact effect.
func TestParseTable(t *testing.T) {
	f, err := os.Open("testdata/record.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := Default()
	today := bot.NewDate(2026, 4, 15)
	sc := bufio.NewScanner(f)
	n := 0
	for line := 0; sc.Scan(); {
		line++
		text := sc.Text()
		if strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "" {
			continue
		}
		input, want, ok := strings.Cut(text, "\t")
		if !ok {
			t.Fatalf("line %d: no tab", line)
		}
		n++
		d, err := c.Parse(input, today)
		switch {
		case strings.HasPrefix(want, "err:"):
			if err == nil {
				t.Errorf("line %d %q: want refusal containing %q, got %+v", line, input, want[4:], d)
				continue
			}
			msg := bot.ErrorMessage(err)
			if !strings.Contains(msg, want[4:]) || bot.ErrorCode(err) != bot.EINVALID {
				t.Errorf("line %d %q: refusal %q (code %s) lacks %q", line, input, msg, bot.ErrorCode(err), want[4:])
			}
			if !strings.Contains(msg, "例如") && !strings.Contains(msg, "请写") && !strings.Contains(msg, "是不是指") {
				t.Errorf("line %d %q: refusal %q gives no example", line, input, msg)
			}
		case err != nil:
			t.Errorf("line %d %q: unexpected error %v", line, input, err)
		case strings.HasPrefix(want, "ask:"):
			miss := c.Missing(d)
			if len(miss) == 0 || miss[0] != want[4:] {
				t.Errorf("line %d %q: missing %v, want first %s", line, input, miss, want[4:])
			}
		default:
			if miss := c.Missing(d); len(miss) > 0 {
				t.Errorf("line %d %q: still missing %v", line, input, miss)
			}
			if got := draftLine(d); got != want {
				t.Errorf("line %d %q:\n got %s\nwant %s", line, input, got, want)
			}
		}
	}
	if n < 60 {
		t.Errorf("only %d cases", n)
	}
}

func draftLine(d Draft) string {
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	parts := []string{dash(d.Programme), dash(d.Stage), dash(d.Term), strconv.Itoa(d.Year), strconv.Itoa(d.Month),
		strconv.FormatInt(d.Persons, 10), strconv.FormatInt(d.PersonTimes, 10), strconv.FormatInt(d.AmountFen, 10)}
	if d.Note != "" {
		parts = append(parts, d.Note)
	}
	return strings.Join(parts, " ")
}
