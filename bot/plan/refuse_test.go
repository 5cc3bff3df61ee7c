package plan

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/planbot/planbot/bot"
)

func TestRefuse(t *testing.T) {
	xlsx := makeZip(t, map[string]string{
		"[Content_Types].xml":      `<Types/>`,
		"xl/workbook.xml":          `<workbook/>`,
		"xl/worksheets/sheet1.xml": `<worksheet/>`,
	})
	for _, tc := range []struct {
		name string
		file string
		data []byte
		word string // in the message
	}{
		{"empty", "a.txt", nil, "为空"},
		{"blank", "a.txt", []byte(" \n\t\r\n　\n"), "为空"},
		{"binary", "a.txt", []byte("三月份\x00\x01\x02 1.做好"), "二进制"},
		{"not gbk either", "a.txt", []byte("2020\xc4\xea \xc8\xfd\xd4\xc2\xb7\xdd\n1.\x1b\xd7\xf6\xff"), "GBK"},
		{"html", "plan.txt", []byte("<!DOCTYPE html>\n<html><body><table><tr><td>三月份</td><td>1.做好工作</td></tr></table></body></html>"), "HTML"},
		{"word html", "plan.htm", []byte("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\">\n<p>三月份</p>"), "HTML"},
		{"xlsx renamed", "plan.txt", xlsx, "Excel"},
		{"zip", "plan.txt", makeZip(t, map[string]string{"a.txt": "三月份\n1.做好"}), "压缩包"},
		{"doc", "plan.doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), ".doc"},
		{"pdf", "plan.pdf", []byte("%PDF-1.7\n..."), "PDF"},
		{"docx not zip", "plan.docx", []byte("三月份\n1.做好工作"), ".docx"},
		{"no headings", "notes.txt", []byte("会议纪要\n1.做好工作\n2.开展活动\n"), "月份标题"},
		{"headings no items", "p.txt", []byte("2020年计划\n三月份\n四月份\n"), "没有任何工作事项"},
		{"too big", "p.txt", bytes.Repeat([]byte("三月份\n"), MaxSize/10+1), "5 MiB"},
		{"broken docx", "p.docx", makeZip(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p>"}), "损坏"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pl, err := Parse(tc.file, tc.data, Options{})
			if err == nil {
				t.Fatalf("accepted: %s", dump(pl))
			}
			if !errors.Is(err, ErrNotPlan) || bot.ErrorCode(err) != bot.EINVALID {
				t.Errorf("error %v: not ErrNotPlan/EINVALID", err)
			}
			msg := bot.ErrorMessage(err)
			if !strings.Contains(msg, tc.word) {
				t.Errorf("message %q lacks %q", msg, tc.word)
			}
			hasHan, hasLatin := false, false
			for _, r := range msg {
				hasHan = hasHan || unicode.Is(unicode.Han, r)
				hasLatin = hasLatin || (r >= 'a' && r <= 'z')
			}
			if !hasHan || !hasLatin {
				t.Errorf("message %q should be Chinese with an English gloss", msg)
			}
		})
	}
}

// A document with dated items but no year anywhere is read, not refused: dated by today (this
// year; for a calendar crossing the new year, the school year holding today, from July the one
// starting then), or by a year an item's date writes; the plan says where the year came from.
func TestNoYear(t *testing.T) {
	gbkPlan := []byte{0xc8, 0xfd, 0xd4, 0xc2, 0xb7, 0xdd, 0x0a, 0x31, 0x2e, 0xd7, 0xf6, 0xba, 0xc3} // 三月份\n1.做好 in GBK
	calendar := "XX小学校历\n九月\n1.9月1日开学典礼\n十二月\n1.12月31日前完成学期总结\n一月\n1.1月20日期末考试\n"
	for _, tc := range []struct {
		name, file, doc string
		today           bot.Date
		year            int
		from            string
		dues            string
	}{
		{"month plan", "p.txt", "工作计划\n三月份\n1.做好工作\n2.3月15日前完成认定\n", bot.Date{Year: 2026, Month: 12, Day: 3}, 2026, bot.YearFromToday, "2026-03-15 2026-03-31"},
		{"gbk", "a.txt", string(gbkPlan), bot.Date{Year: 2027, Month: 2, Day: 1}, 2027, bot.YearFromToday, "2027-03-31"},
		{"calendar in autumn", "x.txt", calendar, bot.Date{Year: 2026, Month: 12, Day: 3}, 2026, bot.YearFromToday, "2026-09-01 2026-12-31 2027-01-20"},
		{"calendar in spring", "x.txt", calendar, bot.Date{Year: 2027, Month: 3, Day: 10}, 2026, bot.YearFromToday, "2026-09-01 2026-12-31 2027-01-20"},
		{"calendar in summer", "x.txt", calendar, bot.Date{Year: 2027, Month: 7, Day: 15}, 2027, bot.YearFromToday, "2027-09-01 2027-12-31 2028-01-20"},
		{"date rows", "x.txt", "XX中学行事历\n9月10日：庆祝教师节\n9月20日前：完成团员发展\n", bot.Date{Year: 2026, Month: 12, Day: 3}, 2026, bot.YearFromToday, "2026-09-10 2026-09-20"},
		{"year in an item", "x.txt", "XX县教研室秋季学期工作安排\n时间\t内容\n2024.9.1\t新学期教学视导\n10月8日\t教学调研\n", bot.Date{Year: 2026, Month: 12, Day: 3}, 2024, "事项日期", "2024-09-01 2024-10-08"},
		{"year in a January item", "x.txt", "XX中学教务处行事历\n十二月份\n1.12月16日前上交试卷\n2.12月30日—2025年1月3日期末复习\n", bot.Date{Year: 2026, Month: 12, Day: 3}, 2024, "事项日期", "2024-12-16 2025-01-03"},
		{"--year still wins", "p.txt", "工作计划\n三月份\n1.做好工作\n", bot.Date{Year: 2026, Month: 12, Day: 3}, 2030, "--year", "2030-03-31"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := Options{Today: tc.today}
			if tc.from == "--year" {
				opt.Year = 2030
			}
			pl, err := Parse(tc.file, []byte(tc.doc), opt)
			if err != nil {
				t.Fatal(err)
			}
			var dues []string
			for _, o := range pl.Obligations {
				dues = append(dues, o.Due.String())
			}
			if pl.Year != tc.year || pl.YearFrom != tc.from || strings.Join(dues, " ") != tc.dues {
				t.Errorf("year %d from %q, dues %v; want %d from %q, %s\n%s", pl.Year, pl.YearFrom, dues, tc.year, tc.from, tc.dues, dump(pl))
			}
			if sum := Summary(pl); (tc.from == bot.YearFromToday) != strings.Contains(sum, "文件中未写年份，按当前日期推定；如不对，请用 --year 指定") {
				t.Errorf("summary %q", sum)
			}
		})
	}
}

// Options.Year given explicitly rescues a plan without a year in its title.
func TestYearOption(t *testing.T) {
	pl, err := Parse("p.txt", []byte("工作计划\n二月份\n1.2月29日前做好工作\n"), Options{Year: 2027})
	if err != nil {
		t.Fatal(err)
	}
	if pl.Year != 2027 || pl.Obligations[0].Due.String() != "2027-02-28" {
		t.Errorf("%s", dump(pl))
	}
	pl, err = Parse("plan-2025.txt", []byte("工作计划\n二月份\n1.做好\n"), Options{})
	if err != nil || pl.Year != 2025 {
		t.Errorf("year from the file name: %v %d", err, pl.Year)
	}
	if _, err := Parse("p.txt", []byte("工作计划\n二月份\n1.做好\n"), Options{Year: 99999}); err == nil {
		t.Error("year 99999 accepted")
	}
}

// UTF-8 with a BOM, UTF-16 with a BOM, CRLF line ends and full-width digits all read alike.
func TestEncodings(t *testing.T) {
	text := "２０２１年计划\r\n三月份\r\n１．每月１０日前报送数据\r\n"
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range text {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	for name, data := range map[string][]byte{
		"utf8":    []byte(text),
		"bom":     append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"utf16le": utf16le,
	} {
		pl, err := Parse("p.txt", data, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(pl.Obligations) != 1 || pl.Obligations[0].Due.String() != "2021-03-10" || pl.Obligations[0].Rule != bot.RuleMonthly {
			t.Errorf("%s: %s", name, dump(pl))
		}
	}
}

// Hostile sizes are refused after bounded work, not read for minutes.
func TestHugeInputsBounded(t *testing.T) {
	fill := func(head, line string) []byte {
		var b strings.Builder
		b.WriteString(head)
		for b.Len() < MaxSize-len(line) {
			b.WriteString(line)
		}
		return []byte(b.String())
	}
	for name, data := range map[string][]byte{
		"items":      fill("2020年\n三月份\n", "1.做好工作\n"),
		"dated text": fill("2020年\n三月份\n", "1."+strings.Repeat("3月5日前，", 250)+"\n"),
		"headings":   fill("2020年\n", "三月份\n"),
	} {
		if _, err := Parse("p.txt", data, Options{}); !errors.Is(err, ErrNotPlan) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The second term of a school year is dated and reported in its own year; --year moves it.
func TestSecondTermYear(t *testing.T) {
	doc := []byte("XX小学2023-2024学年第二学期德育工作行事历\n三月份\n1.3月5日学雷锋活动\n四月份\n1.4月3日前清明节主题活动\n")
	for _, tc := range []struct {
		year       int
		want, dues string
	}{{0, "2024", "2024-03-05 2024-04-03"}, {2025, "2025", "2025-03-05 2025-04-03"}} {
		pl, err := Parse("x.txt", doc, Options{Year: tc.year})
		if err != nil {
			t.Fatal(err)
		}
		var dues []string
		for _, o := range pl.Obligations {
			dues = append(dues, o.Due.String())
		}
		if fmt.Sprint(pl.Year) != tc.want || strings.Join(dues, " ") != tc.dues {
			t.Errorf("--year %d: year %d, %v; want %s, %s", tc.year, pl.Year, dues, tc.want, tc.dues)
		}
	}
}
