package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
)

// runPlan implements `planbot plan FILE [--year N] [--json]`.
func runPlan(_ context.Context, _ Config, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	return planCommand(args, stdout, stderr, time.Now)
}

// planCommand is runPlan on a clock: a document without a year is dated by today.
func planCommand(args []string, stdout, stderr io.Writer, now bot.Clock) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	year := fs.Int("year", 0, "date the plan in this `year` (same months and days; 0 = the year in the title)")
	asJSON := fs.Bool("json", false, "print a JSON array of obligations")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: planbot plan FILE [--year N] [--json]   (FILE: .txt or .docx; - reads stdin)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(flagsFirst(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("需要一个计划文件 (one FILE argument required)")
	}
	pl, _, err := loadPlan(fs.Arg(0), *year, bot.DateOf(now().In(bot.Shanghai)), stderr)
	if err != nil {
		return err
	}
	if *asJSON {
		obs := pl.Obligations
		if obs == nil {
			obs = []bot.Obligation{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(obs)
	}
	fmt.Fprintf(stdout, "%s（%d 年，%d 项）\n%s\n", pl.Title, pl.Year, len(pl.Obligations), plan.Summary(pl))
	fmt.Fprintln(stdout) // the lines not placed are the warnings on stderr, with their line numbers
	rows := [][]string{{"截止", "开始", "规则", "行", "key", "事项"}}
	for _, o := range pl.Obligations {
		start := o.Start.String()
		if start == "" {
			start = "-"
		}
		rows = append(rows, []string{o.Due.String(), start, string(o.Rule), strconv.Itoa(o.Line), o.Key, o.Title})
	}
	writeTable(stdout, rows)
	for _, n := range pl.Notes {
		fmt.Fprintf(stdout, "\n%s\n", n)
	}
	return nil
}

// loadPlan reads and parses a plan file for a command, printing the lines it could not place
// as warnings with their line numbers (they are never dropped silently). It also returns the
// document's bytes (import records their hash). A document without a year is dated by today,
// and the warning says so.
func loadPlan(name string, year int, today bot.Date, stderr io.Writer) (bot.Plan, []byte, error) {
	data, err := readPlanFile(name)
	if err != nil {
		return bot.Plan{}, nil, err
	}
	pl, err := plan.Parse(name, data, plan.Options{Year: year, Today: today})
	if err != nil {
		return bot.Plan{}, nil, fmt.Errorf("%s: %s", name, bot.ErrorMessage(err))
	}
	if pl.YearFrom == bot.YearFromToday {
		fmt.Fprintf(stderr, "warning: %s: 文件中未写年份，按当前日期推定为 %d 年；如不对，请用 --year 指定\n", name, pl.Year)
	}
	for _, p := range pl.Problems {
		fmt.Fprintf(stderr, "warning: %s:%d: %s: %s\n", name, p.Line, p.Reason, p.Text)
	}
	return pl, data, nil
}

// readPlanFile reads FILE, or stdin for "-", refusing more than plan.MaxSize bytes.
func readPlanFile(name string) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = os.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, plan.MaxSize+1))
	if err != nil {
		return nil, err
	}
	return data, nil
}

// flagsFirst moves flags written after positional arguments to the front, so that
// `planbot plan FILE --year 2026` works like `planbot plan --year 2026 FILE`.
func flagsFirst(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, pos...)
}

// writeTable prints rows in columns padded by display width (a Chinese character is two columns).
func writeTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) {
			n += 2
		} else {
			n++
		}
	}
	return n
}
