package workday

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

func d(s string) bot.Date {
	v, err := bot.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// The 2026 dates below were checked against lunar-go v1.4.7's data (and the State Council's
// 2026 schedule): 春节 2026-02-15..23 off, make-up Saturdays 02-14 and 02-28.
func TestIsWorkday2026(t *testing.T) {
	c := New()
	tests := []struct {
		day     string
		work    bool
		holiday string
	}{
		{"2026-01-01", false, "元旦节"},
		{"2026-01-04", true, ""}, // make-up Sunday
		{"2026-02-13", true, ""},
		{"2026-02-14", true, ""}, // make-up Saturday
		{"2026-02-15", false, "春节"},
		{"2026-02-16", false, "春节"},
		{"2026-02-17", false, "春节"},
		{"2026-02-20", false, "春节"},
		{"2026-02-23", false, "春节"},
		{"2026-02-24", true, ""},
		{"2026-02-28", true, ""}, // make-up Saturday
		{"2026-03-01", false, ""},
		{"2026-05-01", false, "劳动节"},
		{"2026-05-09", true, ""},
		{"2026-05-29", true, ""},
		{"2026-05-30", false, ""},
		{"2026-05-31", false, ""},
		{"2026-09-20", true, ""},
		{"2026-10-08", true, ""},
		{"2026-10-10", true, ""},
		{"2020-01-24", false, "春节"},
	}
	for _, tt := range tests {
		if got := c.IsWorkday(d(tt.day)); got != tt.work {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.day, got, tt.work)
		}
		if got := c.Holiday(d(tt.day)); got != tt.holiday {
			t.Errorf("Holiday(%s) = %q, want %q", tt.day, got, tt.holiday)
		}
	}
}

func TestEffectiveDue(t *testing.T) {
	c := New()
	tests := []struct{ due, want string }{
		{"2026-05-31", "2026-05-29"}, // Sunday
		{"2026-05-30", "2026-05-29"},
		{"2026-05-29", "2026-05-29"},
		{"2026-02-20", "2026-02-14"}, // inside the Spring Festival: back to the make-up Saturday
		{"2026-02-23", "2026-02-14"},
		{"2026-02-28", "2026-02-28"}, // make-up Saturday is a workday
		{"2026-03-01", "2026-02-28"},
		{"2026-10-07", "2026-09-30"},
		{"2026-01-03", "2025-12-31"},
		{"2026-06-21", "2026-06-18"},
	}
	for _, tt := range tests {
		if got := c.EffectiveDue(d(tt.due)); got != d(tt.want) {
			t.Errorf("EffectiveDue(%s) = %s, want %s", tt.due, got, tt.want)
		}
	}
	if got := c.EffectiveDue(bot.Date{}); !got.IsZero() {
		t.Errorf("EffectiveDue(zero) = %v, want zero", got)
	}
}

func TestAddWorkdays(t *testing.T) {
	c := New()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-02-14", 1, "2026-02-24"},
		{"2026-02-14", 5, "2026-02-28"},
		{"2026-02-24", -1, "2026-02-14"},
		{"2026-02-16", 1, "2026-02-24"},
		{"2026-05-29", 1, "2026-06-01"},
		{"2026-05-29", 0, "2026-05-29"},
		{"2026-06-01", -1, "2026-05-29"},
		{"2026-09-30", 1, "2026-10-08"},
	}
	for _, tt := range tests {
		if got := c.AddWorkdays(d(tt.from), tt.n); got != d(tt.want) {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestHasDataAndWarning(t *testing.T) {
	var buf bytes.Buffer
	c := New()
	c.Log = slog.New(slog.NewTextHandler(&buf, nil))
	for _, y := range []int{2020, 2026, 2027} {
		if !c.HasData(y) {
			t.Errorf("HasData(%d) = false, want true", y)
		}
	}
	if c.HasData(2031) {
		t.Fatalf("HasData(2031) = true; lunar-go v1.4.7 has no 2031 data")
	}
	if buf.Len() != 0 {
		t.Fatalf("HasData logged: %s", buf.String())
	}
	c.IsWorkday(d("2026-03-02"))
	if buf.Len() != 0 {
		t.Fatalf("a year with data warned: %s", buf.String())
	}
	// A year without data: weekends only, and one warning.
	if !c.IsWorkday(d("2031-01-01")) || c.IsWorkday(d("2031-01-04")) {
		t.Errorf("2031 without data should follow the weekday rule")
	}
	c.IsWorkday(d("2031-02-01"))
	if n := strings.Count(buf.String(), "level=WARN"); n != 1 {
		t.Errorf("warnings for 2031 = %d, want 1: %s", n, buf.String())
	}
	if !strings.Contains(buf.String(), "year=2031") {
		t.Errorf("warning does not name the year: %s", buf.String())
	}
}

func TestOverrideFile(t *testing.T) {
	path := filepath.Join("testdata", "holidays.txt")
	c, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	c.Log = slog.New(slog.NewTextHandler(&buf, nil))
	if !c.HasData(2031) {
		t.Fatal("HasData(2031) = false after the file added it")
	}
	tests := []struct {
		day     string
		work    bool
		holiday string
	}{
		{"2031-01-01", false, "元旦"},
		{"2031-01-02", true, ""},
		{"2031-01-25", true, ""}, // make-up Saturday from the file
		{"2031-01-27", false, "春节"},
		{"2031-02-02", false, "春节"}, // end of the range
		{"2031-02-03", true, ""},
		{"2026-02-16", false, "春节"},  // lunar-go data still there
		{"2026-09-20", false, ""},    // "normal" removed lunar-go's make-up Sunday
		{"2026-12-31", false, "自定义"}, // added to a year lunar-go has
	}
	for _, tt := range tests {
		if got := c.IsWorkday(d(tt.day)); got != tt.work {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.day, got, tt.work)
		}
		if got := c.Holiday(d(tt.day)); got != tt.holiday {
			t.Errorf("Holiday(%s) = %q, want %q", tt.day, got, tt.holiday)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("warned although the file covers the year: %s", buf.String())
	}
	if got := c.EffectiveDue(d("2031-01-31")); got != d("2031-01-25") {
		t.Errorf("EffectiveDue(2031-01-31) = %s, want 2031-01-25", got)
	}
}

func TestOverrideJSON(t *testing.T) {
	days, err := ParseOverrides([]byte(`[{"date":"2027-01-01","name":"元旦","kind":"holiday"},
		{"date":"2027-02-07","name":"春节","type":"workday"}]`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Day{{d("2027-01-01"), "元旦", Holiday}, {d("2027-02-07"), "春节", Workday}}
	if len(days) != len(want) || days[0] != want[0] || days[1] != want[1] {
		t.Fatalf("got %v, want %v", days, want)
	}
	wrapped, err := ParseOverrides([]byte(`{"days":[{"date":"2027-01-01","kind":"休"}]}`))
	if err != nil || len(wrapped) != 1 || wrapped[0].Kind != Holiday {
		t.Fatalf("wrapped form: %v %v", wrapped, err)
	}
	c := New()
	c.Override(days...)
	if c.IsWorkday(d("2027-01-01")) || !c.IsWorkday(d("2027-02-07")) {
		t.Errorf("JSON overrides not applied")
	}
}

func TestOverrideErrors(t *testing.T) {
	bad := []string{
		"2027-01-01",
		"2027-13-01 元旦 holiday",
		"2027-01-01 元旦 maybe",
		"2027-01-10..2027-01-01 x holiday",
		"2027-01-01..2027-12-31 x holiday",
		"[{\"date\":\"2027-01-01\",\"kind\":\"??\"}]",
		"[{\"date\":",
		"\xff\xfe",
	}
	for _, s := range bad {
		if _, err := ParseOverrides([]byte(s)); err == nil {
			t.Errorf("ParseOverrides(%q) = nil error", s)
		}
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.txt")); err == nil {
		t.Error("LoadFile(missing) = nil error")
	}
	empty := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(empty, []byte("# nothing yet\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(empty); err != nil {
		t.Errorf("LoadFile(comments only) = %v", err)
	}
}

// A file that marks every day a holiday must not make lookups loop forever.
func TestNoWorkdayAtAll(t *testing.T) {
	c := New()
	var all []Day
	start := d("2040-01-01")
	for i := 0; i < 800; i++ {
		all = append(all, Day{Date: start.AddDays(i), Name: "x", Kind: Holiday})
	}
	c.Override(all...)
	done := make(chan bool)
	go func() {
		c.EffectiveDue(d("2041-06-01"))
		c.AddWorkdays(d("2040-06-01"), 5)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("lookups did not terminate")
	}
}

func FuzzParseOverrides(f *testing.F) {
	seed, _ := os.ReadFile(filepath.Join("testdata", "holidays.txt"))
	f.Add(seed)
	f.Add([]byte(`[{"date":"2027-01-01","name":"元旦","kind":"holiday"}]`))
	f.Add([]byte(`{"days":[{"date":"2027-01-01..2027-01-03","kind":"班"}]}`))
	f.Add([]byte("2027-01-01~2027-01-03 元旦 休\n2027/2/7 班"))
	f.Fuzz(func(t *testing.T, data []byte) {
		days, err := ParseOverrides(data)
		if err != nil {
			return
		}
		c := New()
		c.Log = slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
		c.Override(days...)
		for _, x := range days {
			if x.Kind != Holiday && x.Kind != Workday && x.Kind != Normal {
				t.Fatalf("bad kind %q", x.Kind)
			}
			c.IsWorkday(x.Date)
		}
	})
}

// Make-up workdays only swap days, so a year has (days - weekend days - statutory holidays)
// workdays: 11 statutory days until 2024, 13 from 2025 (国务院令第790号).
func TestWorkdaysPerYear(t *testing.T) {
	c := New()
	for y, want := range map[int]int{2024: 366 - 104 - 11, 2025: 365 - 104 - 13, 2026: 365 - 104 - 13} {
		n := 0
		for day := bot.NewDate(y, 1, 1); day.Year == y; day = day.AddDays(1) {
			if c.IsWorkday(day) {
				n++
			}
		}
		if n != want {
			t.Errorf("%d has %d workdays, want %d", y, n, want)
		}
	}
}

// Weekdays shares the walk of the holiday calendar: a Sunday deadline moves to Friday, and
// counting workdays skips the weekend.
func TestWeekdays(t *testing.T) {
	var w Weekdays
	if got := w.EffectiveDue(bot.NewDate(2026, 5, 31)); got != bot.NewDate(2026, 5, 29) {
		t.Errorf("EffectiveDue(Sun 05-31) = %v, want 05-29", got)
	}
	if got := w.AddWorkdays(bot.NewDate(2026, 5, 29), 1); got != bot.NewDate(2026, 6, 1) {
		t.Errorf("AddWorkdays(Fri 05-29, 1) = %v, want Mon 06-01", got)
	}
	if got := w.AddWorkdays(bot.NewDate(2026, 6, 1), -1); got != bot.NewDate(2026, 5, 29) {
		t.Errorf("AddWorkdays(Mon 06-01, -1) = %v, want Fri 05-29", got)
	}
	if w.Holiday(bot.NewDate(2026, 2, 17)) != "" || !w.IsWorkday(bot.NewDate(2026, 2, 17)) {
		t.Error("Weekdays knows no holidays")
	}
}
