package plan

import (
	"bytes"
	"errors"
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
	gbkPlan := []byte{0xc8, 0xfd, 0xd4, 0xc2, 0xb7, 0xdd, 0x0a, 0x31, 0x2e, 0xd7, 0xf6, 0xba, 0xc3} // 三月份\n1.做好 in GBK
	for _, tc := range []struct {
		name string
		file string
		data []byte
		word string // in the message
	}{
		{"empty", "a.txt", nil, "为空"},
		{"blank", "a.txt", []byte(" \n\t\r\n　\n"), "为空"},
		{"binary", "a.txt", []byte("三月份\x00\x01\x02 1.做好"), "二进制"},
		{"gbk, no year", "a.txt", gbkPlan, "年份"}, // GBK is read (gbk_test.go); this one lacks a year
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
		{"no year", "p.txt", []byte("工作计划\n三月份\n1.做好工作\n"), "年份"},
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
