package plan

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/planbot/planbot/bot"
)

// MaxSize is the largest document Parse reads; larger input is refused before any work.
const MaxSize = 5 << 20

// maxXML bounds the decompressed word/document.xml (a zip bomb stops here).
const maxXML = 32 << 20

// ErrNotPlan is wrapped by every refusal of a document that is not a plan.
var ErrNotPlan = errors.New("not a plan document")

func notPlan(format string, args ...any) error {
	return &bot.Error{Code: bot.EINVALID, Message: fmt.Sprintf(format, args...), Err: ErrNotPlan}
}

// srcLine is one line of the document: a text line, or a Word paragraph.
type srcLine struct {
	No   int    // 1-based line (text) or paragraph (docx) number
	Text string // tabs separate table cells
	List bool   // a Word list paragraph: starts a new item even without a written number
	Row  int    // lines with the same Row are cells of one table row
}

// readLines detects the document type from the content (and the extension) and returns its lines.
func readLines(name string, data []byte) ([]srcLine, error) {
	if len(data) > MaxSize {
		return nil, notPlan("文件太大（超过 5 MiB），不是工作计划 (file larger than 5 MiB)")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, notPlan("文件为空，不是工作计划 (empty file)")
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return readDocx(data)
	case ext == ".docx":
		return nil, notPlan("扩展名是 .docx，但内容不是 Word 文档 (not a .docx file)")
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, notPlan("这是旧版 Office 文件（.doc/.xls），请在 Word 中另存为 .docx 或 .txt (legacy .doc/.xls not supported)")
	case bytes.HasPrefix(data, []byte("%PDF")):
		return nil, notPlan("这是 PDF 文件，请上传 .docx 或 .txt (PDF not supported)")
	case bytes.HasPrefix(data, []byte(`{\rtf`)):
		return nil, notPlan("这是 RTF 文件，请在 Word 中另存为 .docx 或 .txt (RTF not supported)")
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	if looksMarkup(text) {
		return nil, notPlan("这是网页或 XML（HTML），不是工作计划；请上传 .txt 或 .docx (HTML/XML, not a plan)")
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	raw := strings.Split(text, "\n")
	lines := make([]srcLine, len(raw))
	for i, l := range raw {
		lines[i] = srcLine{No: i + 1, Text: l, Row: i + 1}
	}
	return lines, nil
}

// decodeText returns data as a string: UTF-8 (BOM dropped), UTF-16 with a BOM, or GBK/GB18030.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		var order binary.ByteOrder = binary.LittleEndian
		if data[0] == 0xFE {
			order = binary.BigEndian
		}
		data = data[2:]
		u := make([]uint16, len(data)/2)
		for i := range u {
			u[i] = order.Uint16(data[2*i:])
		}
		data = []byte(string(utf16.Decode(u)))
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", notPlan("文件含有二进制内容，不是文本或 Word 计划 (binary content, not a plan)")
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	if text, ok := decodeGB18030(data); ok {
		return text, nil
	}
	return "", notPlan("文件既不是 UTF-8 也不是 GBK/GB18030 中文文本（可能是二进制文件或已损坏），请另存为 UTF-8 文本或 .docx (neither valid UTF-8 nor GBK/GB18030 Chinese text)")
}

// decodeGB18030 reads data as GB18030 (a superset of GBK and GB2312: what Word on Chinese
// Windows writes for "纯文本" with the default ANSI encoding). It reports false unless the
// result looks like Chinese text: every byte sequence valid, no control characters but
// tab and line ends, and nearly all non-ASCII characters Chinese characters or the punctuation,
// numbering and symbols Chinese documents use. UTF-8 with a few broken bytes is not GBK.
func decodeGB18030(data []byte) (string, bool) {
	valid, invalid := 0, 0 // multi-byte UTF-8 sequences and invalid bytes, read as UTF-8
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			invalid++
		case n > 1:
			valid++
		}
		i += n
	}
	if valid >= 4*invalid { // mostly UTF-8, damaged: decoding it as GBK would only make mojibake
		return "", false
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", false
	}
	text := string(out)
	han, other := 0, 0
	for _, r := range text {
		switch {
		case r == utf8.RuneError:
			return "", false
		case r == '\t', r == '\n', r == '\r', r == '\f', r == '\v':
		case unicode.IsControl(r):
			return "", false
		case r < utf8.RuneSelf:
		case unicode.Is(unicode.Han, r):
			han++
		case chineseSymbol(r):
		default:
			other++
		}
	}
	return text, han > 0 && other*10 <= han
}

// chineseSymbol reports whether r is punctuation, numbering or a symbol that Chinese
// documents use beside Chinese characters: full-width forms, CJK punctuation, ①, ★, table rules.
func chineseSymbol(r rune) bool {
	switch {
	case r >= 0x3000 && r <= 0x303F, // CJK symbols and punctuation: 、。〇《》【】
		r >= 0xFF00 && r <= 0xFFEF, // full-width forms: ，；：（）１２
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0x2000 && r <= 0x206F, // general punctuation: “”‘’—…‰
		r >= 0x2150 && r <= 0x21FF, // number forms (Ⅰ Ⅱ) and arrows
		r >= 0x2460 && r <= 0x24FF, // enclosed numbers: ① ⑴ ⒈
		r >= 0x2500 && r <= 0x27BF, // box drawing, shapes and symbols: ─ │ ■ ● ★ ☆ ✔
		r >= 0x3200 && r <= 0x33FF, // enclosed CJK and compatibility: ㈠ ㎡
		r >= 0x00A0 && r <= 0x00FF, // Latin-1: · × ÷ ° §
		r >= 0x0370 && r <= 0x04FF, // Greek and Cyrillic letters in GB2312
		r >= 0x02C0 && r <= 0x02DF, // modifier letters (ˉ ˇ)
		r >= 0x2100 && r <= 0x214F, // letterlike symbols: ℃ №
		r >= 0x2200 && r <= 0x22FF, // mathematical operators: ≤ ≥ ∶
		r >= 0x3100 && r <= 0x312F: // bopomofo
		return true
	}
	return false
}

// looksMarkup reports whether text is HTML or XML rather than a plan.
func looksMarkup(text string) bool {
	head := strings.ToLower(trimSpace(text))
	if len(head) > 2048 {
		head = head[:2048]
	}
	if !strings.HasPrefix(head, "<") {
		return false
	}
	for _, tag := range []string{"<!doctype", "<html", "<?xml", "<body", "<table", "<head", "<div", "<p>", "<meta", "<svg"} {
		if strings.Contains(head, tag) {
			return true
		}
	}
	return false
}

// readDocx reads the paragraphs of word/document.xml; a table row's cells become successive lines.
func readDocx(data []byte) ([]srcLine, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, notPlan("压缩包已损坏，无法读取 (broken zip archive): %v", err)
	}
	var doc *zip.File
	kind := ""
	for _, f := range zr.File {
		switch {
		case f.Name == "word/document.xml":
			doc = f
		case strings.HasPrefix(f.Name, "xl/"):
			kind = "xlsx"
		case strings.HasPrefix(f.Name, "ppt/"):
			kind = "pptx"
		}
	}
	if doc == nil {
		switch kind {
		case "xlsx":
			return nil, notPlan("这是 Excel 表格（.xlsx），不是工作计划；请上传 .docx 或 .txt (spreadsheet, not a plan)")
		case "pptx":
			return nil, notPlan("这是 PowerPoint 演示文稿，不是工作计划 (presentation, not a plan)")
		}
		return nil, notPlan("这是压缩包，不是 Word 文档 (zip archive without word/document.xml)")
	}
	if doc.UncompressedSize64 > maxXML {
		return nil, notPlan("Word 文档内容过大 (document.xml larger than %d MiB)", maxXML>>20)
	}
	rc, err := doc.Open()
	if err != nil {
		return nil, notPlan("Word 文档已损坏 (cannot open document.xml): %v", err)
	}
	defer rc.Close()
	lines, err := docxLines(io.LimitReader(rc, maxXML))
	if err != nil {
		return nil, notPlan("Word 文档已损坏 (bad document.xml): %v", err)
	}
	return lines, nil
}

// docxLines turns WordprocessingML into lines: one per paragraph (w:p), the text of its runs
// (w:t) joined, w:tab as a tab, w:br as a new line; a paragraph with w:numPr is a list item.
// A table row becomes what Word's text export makes of it: its cells joined by tabs, a cell's
// second and later paragraphs on lines of their own; the lines of one row share a Row.
func docxLines(r io.Reader) ([]srcLine, error) {
	var d docxReader
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if d.skip > 0 { // inside mc:Fallback: the same text again, for old readers
			switch tok.(type) {
			case xml.StartElement:
				d.skip++
			case xml.EndElement:
				d.skip--
			}
			continue
		}
		switch t := tok.(type) {
		case xml.StartElement:
			d.start(t.Name.Local)
		case xml.EndElement:
			d.end(t.Name.Local)
		case xml.CharData:
			if cur := d.cur(); d.inT && cur != nil {
				cur.b.Write(t)
			}
		}
	}
	if len(d.lines) == 0 {
		return nil, errors.New("no paragraphs")
	}
	return d.lines, nil
}

// docxPara is a paragraph being read.
type docxPara struct {
	b    strings.Builder
	list bool
}

// cellPara is one line of a table cell's paragraphs.
type cellPara struct {
	no   int
	text string
	list bool
}

// tableRow is an open table row: its cells' lines.
type tableRow struct {
	id    int
	cells [][]cellPara
}

// docxReader is the state of docxLines.
type docxReader struct {
	lines []srcLine
	stack []*docxPara
	inT   bool
	inR   int // depth of w:r: w:tab also appears in paragraph properties as a tab stop
	no    int
	rows  []*tableRow // open table rows (tables nest)
	rowID int
	skip  int // depth inside an element whose text is ignored
}

func (d *docxReader) cur() *docxPara {
	if len(d.stack) == 0 {
		return nil
	}
	return d.stack[len(d.stack)-1]
}

func (d *docxReader) start(name string) {
	cur := d.cur()
	switch name {
	case "Fallback":
		d.skip = 1
	case "p":
		d.stack = append(d.stack, &docxPara{})
	case "tr":
		d.rowID++
		d.rows = append(d.rows, &tableRow{id: d.rowID})
	case "tc":
		if len(d.rows) > 0 {
			tr := d.rows[len(d.rows)-1]
			tr.cells = append(tr.cells, nil)
		}
	case "r":
		d.inR++
	case "t":
		d.inT = true
	case "tab":
		if cur != nil && d.inR > 0 {
			cur.b.WriteByte('\t')
		}
	case "br", "cr":
		if cur != nil && d.inR > 0 {
			cur.b.WriteByte('\n')
		}
	case "numPr":
		if cur != nil {
			cur.list = true
		}
	}
}

func (d *docxReader) end(name string) {
	switch name {
	case "p":
		if cur := d.cur(); cur != nil {
			d.stack = d.stack[:len(d.stack)-1]
			d.emit(cur)
		}
	case "r":
		d.inR--
	case "tr":
		if len(d.rows) > 0 {
			d.endRow(d.rows[len(d.rows)-1])
			d.rows = d.rows[:len(d.rows)-1]
		}
	case "t":
		d.inT = false
	}
}

// emit ends a paragraph: into the open table cell, or as lines of its own.
func (d *docxReader) emit(p *docxPara) {
	d.no++
	if len(d.rows) > 0 {
		if tr := d.rows[len(d.rows)-1]; len(tr.cells) > 0 {
			c := &tr.cells[len(tr.cells)-1]
			for _, l := range strings.Split(p.b.String(), "\n") {
				*c = append(*c, cellPara{no: d.no, text: l, list: p.list})
				p.list = false
			}
			return
		}
	}
	d.rowID++
	for i, l := range strings.Split(p.b.String(), "\n") {
		d.lines = append(d.lines, srcLine{No: d.no, Text: l, List: p.list && i == 0, Row: d.rowID})
	}
}

// endRow writes a row's cells the way Word's text export does.
func (d *docxReader) endRow(tr *tableRow) {
	var b strings.Builder
	lineNo, list := 0, false
	flush := func() {
		if lineNo == 0 {
			lineNo = d.no
		}
		d.lines = append(d.lines, srcLine{No: lineNo, Text: b.String(), List: list, Row: tr.id})
		b.Reset()
		lineNo, list = 0, false
	}
	for i, c := range tr.cells {
		if i > 0 {
			b.WriteByte('\t')
		}
		for j, cp := range c {
			if j > 0 {
				flush()
			}
			if lineNo == 0 {
				lineNo = cp.no
			}
			text := cp.text
			if cp.list && trimSpace(text) != "" {
				if _, _, ok := marker(trimSpace(normalize(text))); !ok {
					text = "• " + text // Word keeps a list's number out of the text
				}
			}
			b.WriteString(text)
		}
	}
	flush()
}
