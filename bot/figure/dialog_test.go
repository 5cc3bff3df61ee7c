package figure

import (
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

// TestFill walks dialogs: a first line, then answers, each with what is asked next.
func TestFill(t *testing.T) {
	c := Default()
	today := bot.NewDate(2026, 4, 15)
	for _, tc := range []struct {
		name    string
		steps   []string // first the 记录 arguments, then the answers
		asks    []string // what is missing after each step ("" = complete, "err:…" = refused)
		persons int64
		times   int64
		fen     int64
		stage   string
	}{
		{"amount later", []string{"中职国家助学金 春季 1200人", "240万元"}, []string{"amount", ""}, 1200, 0, 240_000_000, "中职"},
		{"count later, bare number is persons", []string{"中职国家助学金 240万元", "1200"}, []string{"count", ""}, 1200, 0, 240_000_000, "中职"},
		{"count later as 人次", []string{"中职国家助学金 240万元", "1500人次"}, []string{"count", ""}, 0, 1500, 240_000_000, "中职"},
		{"stage then both", []string{"国家助学金", "普高", "800人", "160万元"}, []string{"stage", "count", "amount", ""}, 800, 0, 160_000_000, "普通高中"},
		{"both in one answer", []string{"国家助学金 普高", "800人 1,600,000元"}, []string{"count", ""}, 800, 0, 160_000_000, "普通高中"},
		{"whole line after bare 记录", []string{"", "中职免学费 980人 196.5万元"}, []string{"programme", ""}, 980, 0, 196_500_000, "中职"},
		{"bare amount refused then fixed", []string{"中职国家助学金 1200人", "240", "240万"}, []string{"amount", "err:单位", ""}, 1200, 0, 240_000_000, "中职"},
		{"no amount: 无", []string{"中职免学费 980人", "无"}, []string{"amount", ""}, 980, 0, 0, "中职"},
		{"wrong stage answer", []string{"国家助学金 100人 1万元", "幼儿园", "中职"}, []string{"stage", "err:没有幼儿园学段", ""}, 100, 0, 1_000_000, "中职"},
		{"gibberish stage answer", []string{"国家助学金 100人 1万元", "不知道", "普高"}, []string{"stage", "err:学段请回复", ""}, 100, 0, 1_000_000, "普通高中"},
		{"negative answer", []string{"中职国家助学金 1200人", "-5万元", "5万元"}, []string{"amount", "err:负数", ""}, 1200, 0, 5_000_000, "中职"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d Draft
			var err error
			for i, s := range tc.steps {
				var next Draft
				if i == 0 {
					next, err = c.Parse(s, today)
				} else {
					next, err = c.Fill(d, s, today)
				}
				want := tc.asks[i]
				if strings.HasPrefix(want, "err:") {
					if err == nil || !strings.Contains(bot.ErrorMessage(err), want[4:]) {
						t.Fatalf("step %d %q: err %v, want %q", i, s, err, want)
					}
					continue // d unchanged: the refusal records nothing
				}
				if err != nil {
					t.Fatalf("step %d %q: %v", i, s, err)
				}
				d = next
				miss := c.Missing(d)
				got := ""
				if len(miss) > 0 {
					got = miss[0]
				}
				if got != want {
					t.Fatalf("step %d %q: asks %q, want %q (%+v)", i, s, got, want, d)
				}
			}
			if d.Persons != tc.persons || d.PersonTimes != tc.times || d.AmountFen != tc.fen || d.Stage != tc.stage {
				t.Errorf("got %+v", d)
			}
		})
	}
}

func TestTotals(t *testing.T) {
	c := Default()
	at := func(day int) time.Time { return time.Date(2026, 4, day, 9, 0, 0, 0, bot.Shanghai) }
	parse := func(s string) bot.Figure {
		d, err := c.Parse(s, bot.NewDate(2026, 4, 15))
		if err != nil || len(c.Missing(d)) > 0 {
			t.Fatalf("%q: %v %v", s, err, c.Missing(d))
		}
		return d.Figure()
	}
	figs := []bot.Figure{
		parse("中职国家助学金 春季 1200人 240万元"),
		parse("中职国家助学金 春季 300人 600,000.50元"),
		parse("中职国家助学金 春季 999人 999万元"), // voided below
		parse("普高国家助学金 春季 1500人次 300.25万元"),
		parse("普高国家助学金 春季 10人 20人次 1,000元"),
		parse("生源地贷款 856人 6,848,000元"),
	}
	for i := range figs {
		figs[i].ID, figs[i].At, figs[i].By = int64(i+1), at(i+1), []string{"zhang", "li"}[i%2]
	}
	figs[2].VoidedBy, figs[2].VoidedAt = "wang", at(10)
	ts := c.Totals(figs)
	// Hand-computed: 中职 240万 + 60.00005万 = 300.00005万 (30,000,050分), 1500 persons, voided 999 excluded.
	want := []Total{
		{Programme: "国家助学金", Stage: "中职", Persons: 1500, AmountFen: 240_000_000 + 60_000_050, Records: 2, LastBy: "li"},
		{Programme: "国家助学金", Stage: "普通高中", Persons: 10, PersonTimes: 1520, AmountFen: 300_250_000 + 100_000, Records: 2, LastBy: "zhang"},
		{Programme: "生源地信用助学贷款", Persons: 856, AmountFen: 684_800_000, Records: 1, LastBy: "li"},
	}
	if len(ts) != len(want) {
		t.Fatalf("got %d totals: %+v", len(ts), ts)
	}
	for i := range want {
		got := ts[i]
		got.LastAt = time.Time{}
		if got != want[i] {
			t.Errorf("total %d:\n got %+v\nwant %+v", i, got, want[i])
		}
	}
	s := Sum(ts)
	if s.Persons != 2366 || s.PersonTimes != 1520 || s.AmountFen != 1_285_150_050 || s.Records != 5 {
		t.Errorf("sum %+v", s)
	}
	if FormatWan(s.AmountFen) != "1285.15005" {
		t.Errorf("sum in 万元 = %s", FormatWan(s.AmountFen))
	}
}

func TestQuery(t *testing.T) {
	c := Default()
	today := bot.NewDate(2027, 1, 20)
	for _, tc := range []struct {
		in, label, prog, stage string
		match, miss            []bot.Figure
	}{
		{in: "", label: "2026年", match: []bot.Figure{{Year: 2026, Term: Spring}, {Year: 2026, Month: 12}}, miss: []bot.Figure{{Year: 2027, Month: 1}}},
		{in: "国家助学金 秋季", label: "2026年秋季", prog: "国家助学金",
			match: []bot.Figure{{Programme: "国家助学金", Year: 2026, Term: Autumn}, {Programme: "国家助学金", Year: 2027, Month: 1}},
			miss:  []bot.Figure{{Programme: "国家助学金", Year: 2026, Term: Spring}, {Programme: "免学费", Year: 2026, Term: Autumn}}},
		{in: "中职国家助学金 2026年春季", label: "2026年春季", prog: "国家助学金", stage: "中职",
			match: []bot.Figure{{Programme: "国家助学金", Stage: "中职", Year: 2026, Month: 5}},
			miss:  []bot.Figure{{Programme: "国家助学金", Stage: "普通高中", Year: 2026, Term: Spring}}},
		{in: "12月", label: "2026年12月", match: []bot.Figure{{Year: 2026, Month: 12}}, miss: []bot.Figure{{Year: 2026, Term: Autumn}}},
		{in: "全部", label: "全部", match: []bot.Figure{{Year: 2019}}},
		{in: "本学期", label: "2026年秋季", match: []bot.Figure{{Year: 2026, Term: Autumn}}},
	} {
		q, err := c.ParseQuery(tc.in, today)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if q.Label != tc.label || q.Programme != tc.prog || q.Stage != tc.stage {
			t.Errorf("%q: %+v", tc.in, q)
		}
		for _, f := range tc.match {
			if f.Programme == "" {
				f.Programme = tc.prog
			}
			if f.Stage == "" {
				f.Stage = tc.stage
			}
			if !q.Match(f) {
				t.Errorf("%q should match %+v", tc.in, f)
			}
		}
		for _, f := range tc.miss {
			if q.Match(f) {
				t.Errorf("%q should not match %+v", tc.in, f)
			}
		}
	}
	for _, bad := range []string{"国家励志奖学金", "中职国家助学金 1200人", "13月"} {
		if _, err := c.ParseQuery(bad, today); err == nil {
			t.Errorf("ParseQuery(%q) accepted", bad)
		}
	}
}

func TestCatalogue(t *testing.T) {
	c := Default()
	for word, want := range map[string]string{
		"中职国家助学金": "国家助学金/中职", "普高国家助学金": "国家助学金/普通高中", "国家助学金中职": "国家助学金/中职",
		"生源地贷款": "生源地信用助学贷款/", "助学贷款": "生源地信用助学贷款/", "免学杂费": "免学杂费/",
		"高中免学杂费": "免学杂费/普通高中", "幼儿园学前资助": "学前资助/幼儿园", "中等职业免学费": "免学费/中职",
	} {
		p, st, ok := c.Resolve(word)
		if got := p.Name + "/" + st; !ok || got != want {
			t.Errorf("Resolve(%q) = %s %v, want %s", word, got, ok, want)
		}
	}
	if _, _, ok := c.Resolve("国家励志奖学金"); ok {
		t.Error("国家励志奖学金 must not resolve to 国家奖学金")
	}
	if len(c.Programmes()) != 10 {
		t.Errorf("%d programmes", len(c.Programmes()))
	}
	custom, err := Load("testdata/catalogue.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := custom.Parse("市级助学金 高中 10人 1万元", bot.NewDate(2026, 4, 1))
	if err != nil || d.Programme != "市级助学金" || d.Stage != "普通高中" {
		t.Errorf("custom catalogue: %+v %v", d, err)
	}
	if _, err := custom.Parse("国家助学金 中职 10人 1万元", bot.NewDate(2026, 4, 1)); err == nil {
		t.Error("custom catalogue still knows 国家助学金")
	}
	for _, bad := range []string{`{"programmes":[]}`, `{"programmes":[{"name":"A","stages":["火星"]}]}`,
		`{"programmes":[{"name":"A","aliases":["x"]},{"name":"B","aliases":["x"]}]}`, `{"programs":[]}`} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s) accepted", bad)
		}
	}
}

// FuzzParse: the 记录 parser never panics or hangs; what it accepts is within limits.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"中职国家助学金 春季 1200人 240万元", "普高国家助学金 秋季 1500人次 300万",
		"生源地信用助学贷款 856人 6,848,000元", "国家奖学金 2026年秋季 35人 21万元 备注 第一批", "人数1200 人次1500 金额 3",
		"十二月 -1人", "2026-05 1,2,3元", "中职 普高", "１２００人"} {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, s string) {
		d, err := c.Parse(s, bot.NewDate(2026, 4, 15))
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("%q: error code %s", s, bot.ErrorCode(err))
			}
			return
		}
		if d.Persons < 0 || d.Persons > MaxCount || d.PersonTimes < 0 || d.PersonTimes > MaxCount ||
			d.AmountFen < 0 || d.AmountFen > MaxAmountFen || d.Month < 0 || d.Month > 12 {
			t.Fatalf("%q: out of range %+v", s, d)
		}
		if _, err := c.Fill(d, s, bot.NewDate(2026, 4, 15)); err != nil && bot.ErrorCode(err) != bot.EINVALID {
			t.Fatalf("Fill %q: %v", s, err)
		}
	})
}

// FuzzParseQuery: the 数据 argument reader never panics; a query's month is a real month.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "国家助学金 春季", "中职国家助学金 2026年春季", "12月", "全部", "本学期", "去年", "十三月", "2026-13"} {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, s string) {
		q, err := c.ParseQuery(s, bot.NewDate(2027, 1, 20))
		if err == nil && (q.Month < 0 || q.Month > 12 || q.Label == "") {
			t.Fatalf("%q: %+v", s, q)
		}
	})
}

// TestAnswers: what a 记录 dialog takes as an answer even when it names a command (5月 is also
// the May list), and what is another command instead.
func TestAnswers(t *testing.T) {
	c := Default()
	today := bot.NewDate(2026, 6, 10)
	for text, want := range map[string]bool{
		"5月": true, "五月": true, "本月": true, "春季": true, "2026年": true, "中职": true, "普高": true,
		"240万元": true, "1200人": true, "1200": true, "无": true, "6月 240万元": true, "中职国家助学金": true,
		"今天": false, "本周": false, "完成 3": false, "完成3": false, "撤销记录 1": false, "数据": false,
		"帮助": false, "": false, "5月 备注 补发": false,
		// fillers are dropped: these read as figure words (the 记录 dialog still lets 数据 run)
		"数据 春季": true, "5月 已发放": true,
	} {
		if got := c.Answers(text, today); got != want {
			t.Errorf("Answers(%q) = %v, want %v", text, got, want)
		}
	}
}
