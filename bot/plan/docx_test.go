package plan

import (
	"archive/zip"
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
)

// makeZip builds a zip archive from name → content.
func makeZip(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// makeDocx builds a minimal .docx whose body is the given WordprocessingML.
func makeDocx(t testing.TB, body ...string) []byte {
	return makeZip(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			strings.Join(body, "") + `<w:sectPr/></w:body></w:document>`,
	})
}

// para is a paragraph whose text is split across the given runs (as Word does mid-word).
func para(runs ...string) string {
	var b strings.Builder
	b.WriteString(`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>`)
	for _, r := range runs {
		b.WriteString(`<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">` + r + `</w:t></w:r>`)
	}
	b.WriteString(`</w:p>`)
	return b.String()
}

// listPara is an auto-numbered paragraph: Word keeps the "1." out of the text.
func listPara(runs ...string) string {
	return strings.Replace(para(runs...), `<w:pPr>`, `<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>`, 1)
}

func cell(paras ...string) string {
	if len(paras) == 0 {
		paras = []string{`<w:p/>`}
	}
	return `<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr>` + strings.Join(paras, "") + `</w:tc>`
}

func row(cells ...string) string { return `<w:tr>` + strings.Join(cells, "") + `</w:tr>` }

func table(rows ...string) string { return `<w:tbl><w:tblPr/>` + strings.Join(rows, "") + `</w:tbl>` }

func TestDocxHeadings(t *testing.T) {
	data := makeDocx(t,
		para("某市20", "2", "3年度学生资助", "工作计划"),
		para("三月", "份"),
		para("1.每月2", "0日前更新维护数据，2", "8日前上报月报；"),
		para("2.确保3月1", "5日前完成资金发放 &amp; 公示"),
		listPara("做好", "宣传工作"),
		listPara("下旬", "开展检查"),
		para("4月", "份"),
		para("1.", "做好总结", `</w:t></w:r><w:r><w:tab/><w:t>`, "2.4月10日前上报名单"),
		para(),
	)
	pl, err := Parse("plan.docx", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, pl)
	got := unkey(dump(pl))
	want := `title 某市2023年度学生资助工作计划
year 2023
2023-03-15            once    L4   KEY 确保3月15日前完成资金发放 & 公示
2023-03-20            monthly L3   KEY 更新维护数据
2023-03-28            monthly L3   KEY 上报月报
2023-03-31            ongoing L5   KEY 做好宣传工作
2023-03-31            once    L6   KEY 下旬开展检查
2023-04-10            once    L8   KEY 4月10日前上报名单
2023-04-30            ongoing L8   KEY 做好总结
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// keyOf returns the hash part of the key with the given prefix (the rest of the line is what the test checks).
// keyRE matches an obligation key in a dump: period, occurrence, wording hash, repeat count.
var keyRE = regexp.MustCompile(`\b\d{4}-\d{2}(~\d{4}-\d{2})?(\.[mdq]\d{2,4})?\.[0-9a-f]{8}(\.\d+)?\b`)

// unkey replaces the keys of a dump by KEY, for tests about dates and titles (keys have their own tests).
func unkey(s string) string { return keyRE.ReplaceAllString(s, "KEY") }

func TestDocxTable(t *testing.T) {
	data := makeDocx(t,
		para("淮北市2020年度学生资助工作月计划"),
		table(
			row(cell(para("时 序")), cell(para("主要工作项目内容")), cell(para("完成工作时间"))),
			row(cell(para("元月至", "二月份")),
				cell(para("1.每月20日前更新", "系统数据，28日前上报报表；"), para("2.撰写工作总结；"), para("3.谋划本年度工作。")),
				cell(para("2月", "29日"))),
			row(cell(para("三月份")), cell(para("1.审核名单；      2.确保3月2", "5日前发放资金。")), cell(para("3月31日"))),
		),
		// a table with one row per item and its own deadline, the month cell merged downwards
		table(
			row(cell(para("月份")), cell(para("序号")), cell(para("工作内容")), cell(para("完成时间"))),
			row(cell(para("四月")), cell(para("1")), cell(para("开展月巡视")), cell(para("4月10日"))),
			row(cell(), cell(para("2")), cell(para("制定实施办法")), cell(para("4月20日"))),
		),
		para("注：其他工作另行安排。"),
	)
	pl, err := Parse("计划.docx", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, pl)
	type ob struct {
		due   string
		rule  bot.Rule
		title string
	}
	var got []ob
	for _, o := range pl.Obligations {
		got = append(got, ob{o.Due.String(), o.Rule, o.Title})
	}
	want := []ob{
		{"2020-01-20", bot.RuleMonthly, "更新系统数据"},
		{"2020-01-28", bot.RuleMonthly, "上报报表"},
		{"2020-02-20", bot.RuleMonthly, "更新系统数据"},
		{"2020-02-28", bot.RuleMonthly, "上报报表"},
		{"2020-02-29", bot.RuleOngoing, "撰写工作总结"},
		{"2020-02-29", bot.RuleOngoing, "谋划本年度工作"},
		{"2020-03-25", bot.RuleOnce, "确保3月25日前发放资金"},
		{"2020-03-31", bot.RuleOngoing, "审核名单"},
		{"2020-04-10", bot.RuleOnce, "开展月巡视"},
		{"2020-04-20", bot.RuleOnce, "制定实施办法"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d obligations, want %d\n%s", len(got), len(want), dump(pl))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if len(pl.Problems) != 0 || len(pl.Notes) != 1 || pl.Year != 2020 {
		t.Errorf("problems %v notes %q year %d", pl.Problems, pl.Notes, pl.Year)
	}
}

// A docx renamed .txt is still read as a docx: the content decides.
func TestDocxByMagic(t *testing.T) {
	data := makeDocx(t, para("2024年计划"), para("5月"), para("1.做好工作"))
	pl, err := Parse("renamed.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Obligations) != 1 || pl.Obligations[0].Due.String() != "2024-05-31" {
		t.Errorf("%s", dump(pl))
	}
}

// Text boxes come twice (mc:Choice and mc:Fallback): read once.
func TestDocxAlternateContent(t *testing.T) {
	box := `<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">` +
		`<mc:Choice Requires="wps"><w:drawing><w:txbxContent>` + para("1.做好宣传") + `</w:txbxContent></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><w:txbxContent>` + para("1.做好宣传") + `</w:txbxContent></w:pict></mc:Fallback>` +
		`</mc:AlternateContent></w:r></w:p>`
	pl, err := Parse("p.docx", makeDocx(t, para("2020年计划"), para("三月"), box), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Obligations) != 1 || pl.Obligations[0].Title != "做好宣传" {
		t.Errorf("%s", dump(pl))
	}
}
