package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
)

// revisedSample is the sample plan as the office would upload it for 2026 with two edits: an
// item reworded and April's deadline moved.
func revisedSample(t *testing.T) []byte {
	t.Helper()
	_, data := plan.Sample()
	s := string(data)
	for _, r := range [][2]string{
		{"淮北市2020年度", "淮北市2026年度"},
		{"3.开展月巡视；", "3.开展月巡视及资助政策宣传；"},
		{"\t4月30日", "\t4月28日"},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("sample plan lacks %q", r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	return []byte(s)
}

// postFile posts a multipart form with one file field "plan".
func (b *browser) postFile(path string, fields url.Values, name string, data []byte) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("plan", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.env.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// snapshot is what an import could change: every obligation with its content and the audit trail's length.
func (e *webEnv) snapshot(t *testing.T) string {
	t.Helper()
	items, err := e.a.store.Obligations(context.Background(), e.a.team.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	log, err := e.a.store.AuditLog(context.Background(), e.a.team.ID)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.Key + it.Title + it.Due.String() + string(it.Status()) + "\n")
	}
	return b.String() + itoa(int64(len(log)))
}

var countsRE = regexp.MustCompile(`新增 (\d+) 项，修改 (\d+) 项，移除 (\d+) 项`)

// 导入计划: the preview says what will change and changes nothing; the confirmation imports
// the previewed document with exactly those counts; a staff member, a tampered confirmation,
// not a plan, a zip bomb, an oversized file and the wrong kind of file are refused with a clear
// message and nothing changed.
func TestWebImport(t *testing.T) {
	e := newWebEnv(t)
	boss := e.browser(t)
	csrf := csrfOf(t, boss.login("wangzr"))
	form := url.Values{"csrf": {csrf}}
	before := e.snapshot(t)

	pv := boss.postFile("/app/import", form, "淮北市2026年度学生资助工作月计划.txt", revisedSample(t))
	if pv.Code != http.StatusOK || !strings.Contains(pv.Body, "确认导入") || !strings.Contains(pv.Body, "逐月内容") {
		t.Fatalf("preview: %d %s", pv.Code, pv.Body)
	}
	m := countsRE.FindStringSubmatch(pv.Body)
	if m == nil || m[0] == "新增 0 项，修改 0 项，移除 0 项" {
		t.Fatalf("preview shows no changes for an edited plan: %v", m)
	}
	if e.snapshot(t) != before {
		t.Fatal("the preview changed the store")
	}
	hidden := func(name string) string { return hiddenField(t, pv, name) }
	confirm := url.Values{"csrf": {csrf}, "name": {hidden("name")}, "data": {hidden("data")}, "seal": {hidden("seal")}}

	// Refusals first: each leaves the store as it was.
	refused := func(what string, p page, code int, says string) {
		t.Helper()
		if p.Code != code || !strings.Contains(p.Body, says) || !strings.Contains(p.Body, "什么也没有改") {
			t.Errorf("%s: %d, want %d saying %q: %s", what, p.Code, code, says, p.Body)
		}
		if e.snapshot(t) != before {
			t.Fatalf("%s changed the store", what)
		}
	}
	staff := e.browser(t)
	staffCSRF := csrfOf(t, staff.login("lisi"))
	refused("staff uploads", staff.postFile("/app/import", url.Values{"csrf": {staffCSRF}}, "p.txt", revisedSample(t)), http.StatusForbidden, "主管")
	sc := url.Values{"csrf": {staffCSRF}, "name": confirm["name"], "data": confirm["data"], "seal": confirm["seal"]}
	refused("staff confirms", staff.post("/app/import/confirm", sc), http.StatusForbidden, "主管")
	tampered := url.Values{"csrf": {csrf}, "name": confirm["name"], "seal": confirm["seal"], "data": {"QUJD"}}
	refused("tampered confirmation", boss.post("/app/import/confirm", tampered), http.StatusBadRequest, "预览已失效")
	refused("not a plan", boss.postFile("/app/import", form, "购物清单.txt", []byte("牛奶\n鸡蛋\n面包\n")), http.StatusBadRequest, "没有导入")
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("word/document.xml")
	zeros := make([]byte, 1<<20)
	for range 64 { // 64 MiB of zeros: a few tens of KiB zipped
		_, _ = w.Write(zeros)
	}
	_ = zw.Close()
	if bomb.Len() > 1<<20 {
		t.Fatalf("the zip bomb is %d bytes", bomb.Len())
	}
	refused("zip bomb", boss.postFile("/app/import", form, "计划.docx", bomb.Bytes()), http.StatusBadRequest, "没有导入")
	refused("oversized", boss.postFile("/app/import", form, "计划.txt", bytes.Repeat([]byte("三月份\n"), 6<<20/10)), http.StatusRequestEntityTooLarge, "文件太大")
	refused("a pdf", boss.postFile("/app/import", form, "计划.pdf", []byte("%PDF-1.4")), http.StatusBadRequest, ".docx")
	refused("no csrf", boss.post("/app/import/confirm", url.Values{"name": confirm["name"], "data": confirm["data"], "seal": confirm["seal"]}), http.StatusForbidden, "校验码")

	done := boss.post("/app/import/confirm", confirm)
	if done.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", done.Code, done.Body)
	}
	after := boss.get("/app/plan")
	want := "新增" + m[1] + "项，修改" + m[2] + "项，移除" + m[3] + "项"
	if !strings.Contains(after.Body, want) {
		t.Errorf("the import's result differs from the preview's %q: %s", want, after.Body)
	}
	if e.snapshot(t) == before {
		t.Fatal("confirmed import changed nothing")
	}
	// The same document again: the preview says nothing changes.
	again := boss.postFile("/app/import", form, "淮北市2026年度学生资助工作月计划.txt", revisedSample(t))
	if !strings.Contains(again.Body, "新增 0 项，修改 0 项，移除 0 项") {
		t.Errorf("re-preview of the imported plan: %v", countsRE.FindString(again.Body))
	}
}

// hiddenField is the value of a form field of p, as a browser would post it.
func hiddenField(t *testing.T, p page, name string) string {
	t.Helper()
	mm := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(p.Body)
	if mm == nil {
		t.Fatalf("no %s field in %s", name, p.Body)
	}
	return html.UnescapeString(mm[1])
}

// A document that names no year is previewed, not refused: dated by the app's today, and the
// preview says so and how to put it right.
func TestWebImportNoYear(t *testing.T) {
	e := newWebEnv(t)
	boss := e.browser(t)
	form := url.Values{"csrf": {csrfOf(t, boss.login("wangzr"))}}
	year := e.a.now().In(bot.Shanghai).Year()
	pv := boss.postFile("/app/import", form, "科室工作安排.txt", []byte("资助科工作安排\n三月份\n1.3月15日前完成春季学期资助对象认定\n"))
	note := fmt.Sprintf("文件中未写年份，按今天的日期推定为 %d 年", year)
	if pv.Code != http.StatusOK || !strings.Contains(pv.Body, "确认导入") || !strings.Contains(pv.Body, note) || !strings.Contains(pv.Body, fmt.Sprintf("%d年3月", year)) {
		t.Fatalf("preview: %d, want %q in %s", pv.Code, note, pv.Body)
	}
	if pv = boss.postFile("/app/import", form, "淮北市2026年度学生资助工作月计划.txt", revisedSample(t)); strings.Contains(pv.Body, "未写年份") {
		t.Errorf("a plan with a year in its title says it has none: %s", pv.Body)
	}
}
