package schedule

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGoldenMessages pins the text of every kind's messages for a fixed team and day.
func TestGoldenMessages(t *testing.T) {
	items := []bot.Tracked{
		item("a", "上报资助名单", d(2, 13), "li"),
		item("b", "更新系统数据", d(2, 11), ""),
		item("c", "报送月报", d(2, 10), "zhang"),
		item("over", "核对助学金发放", d(2, 6), "li"),
		item("sun", "节后报送", d(2, 15), "li"),
		done(item("x", "已完成事项", d(2, 9), "li"), d(2, 9).Time(bot.Shanghai).Add(9*time.Hour)),
	}
	cases := []struct {
		name string
		kind Kind
		day  bot.Date
	}{
		{"digest", KindDigest, d(2, 10)},
		{"remind", KindRemind, d(2, 10)},
		{"escalate", KindEscalate, d(2, 9)},
		{"weekly", KindWeekly, d(2, 13)},
		{"monthly", KindMonthly, d(2, 2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			for _, m := range plan(c.kind, input(c.day, items...)) {
				b.WriteString("=== " + m.Key + " → " + m.To + "\n")
				if m.Card != nil {
					b.WriteString(m.Card.Title + " | " + m.Card.Desc + " | " + m.Card.TaskID + "\n")
					for _, it := range m.Card.Items {
						fmt.Fprintf(&b, "  %d [%s] %s\n", it.Num, it.EventKey, it.Text)
					}
					for _, f := range m.Card.Facts {
						b.WriteString("  " + f.Key + "：" + f.Value + "\n")
					}
					for _, l := range m.Card.Links {
						b.WriteString("  <" + l.Text + " → " + l.Command + ">\n")
					}
					continue
				}
				b.WriteString(m.Markdown + "\n")
			}
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if b.String() != string(want) {
				t.Fatalf("%s differs:\n%s\nwant:\n%s", path, b.String(), want)
			}
		})
	}
}
