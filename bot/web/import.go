package web

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"

	"github.com/planbot/planbot/bot"
)

// maxUpload is the largest plan document the page takes (bot/plan reads at most 5 MiB too).
const maxUpload = 5 << 20

// tooLarge is the answer to an oversized upload.
const tooLarge = "文件太大（最多 5 MiB），什么也没有改。请上传计划的 .docx 或 .txt 文件。"

// importForm is the upload form.
func (s *Server) importForm(w http.ResponseWriter, v *view) {
	v.Title = "导入计划"
	s.render(w, v.r, http.StatusOK, "import", v)
}

// month is one month of a previewed plan.
type month struct {
	Label string
	Items []bot.Obligation
}

// change is one line of the diff against the current plan.
type change struct {
	Mark  string // + ~ -
	Title string
	Due   bot.Date
	Was   bot.Date // the old due date of a changed item when it moved
}

// previewData is what the preview shows and what the confirm form carries back.
type previewData struct {
	Name     string
	Title    string
	Year     int
	YearNote string // said when the document names no year and Year was inferred from today
	Count    int
	Months   []month
	Problems []bot.Problem
	New      []change
	Changed  []change
	Retired  []change
	Data     string // the document, base64, carried to the confirmation unchanged
	Seal     string // binds Name and Data to this session and unit
}

// upload reads the uploaded plan document: a clear message (and nothing else) when it is missing,
// of the wrong kind or too large.
func (s *Server) upload(v *view) (string, []byte, string) {
	f, hdr, err := v.r.FormFile("plan")
	if err != nil {
		return "", nil, "没有收到文件。请选择计划的 .docx 或 .txt 文件后再点“预览”。"
	}
	defer f.Close()
	name := filepath.Base(hdr.Filename)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".docx", ".txt":
	default:
		return "", nil, fmt.Sprintf("“%s”不是 .docx 或 .txt 文件，什么也没有改。请在 Word 中另存为 .docx（或 .txt）后上传。", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	if err != nil {
		return "", nil, "文件没有传完整，什么也没有改。请重新上传。"
	}
	if len(data) > maxUpload {
		return "", nil, tooLarge
	}
	return name, data, ""
}

// importPreview parses the upload and shows what would change; nothing is stored.
func (s *Server) importPreview(w http.ResponseWriter, v *view) {
	name, data, msg := s.upload(v)
	if msg == tooLarge {
		s.fail(w, v.r, v, http.StatusRequestEntityTooLarge, msg)
		return
	}
	if msg != "" {
		s.fail(w, v.r, v, http.StatusBadRequest, msg)
		return
	}
	s.preview(w, v, name, data)
}

func (s *Server) parse(name string, data []byte) (bot.Plan, string) {
	if s.opt.ParsePlan == nil {
		return bot.Plan{}, "导入未启用。"
	}
	p, err := s.opt.ParsePlan(name, data)
	if err != nil {
		var be *bot.Error
		if errors.As(err, &be) {
			return bot.Plan{}, "“" + name + "”没有导入，什么也没有改：" + bot.ErrorMessage(err) + "\n请上传年度工作月计划的 .docx 或 .txt 文件。"
		}
		s.opt.Log.Error("web: parse plan", "err", err)
		return bot.Plan{}, bot.EINTERNALText
	}
	return p, ""
}

func (s *Server) preview(w http.ResponseWriter, v *view, name string, data []byte) {
	p, msg := s.parse(name, data)
	if msg != "" {
		s.fail(w, v.r, v, http.StatusBadRequest, msg)
		return
	}
	stored, err := s.opt.Store.Obligations(v.r.Context(), v.Unit.Team.ID, true)
	if err != nil {
		s.fail(w, v.r, v, http.StatusServiceUnavailable, bot.ErrorMessage(err))
		return
	}
	d := previewData{Name: name, Title: p.Title, Year: p.Year, Count: len(p.Obligations), Problems: p.Problems,
		Data: base64.StdEncoding.EncodeToString(data), Seal: s.importSeal(v, name, data)}
	if p.YearFrom == bot.YearFromToday {
		d.YearNote = fmt.Sprintf("文件中未写年份，按今天的日期推定为 %d 年；如不对，请在文件标题中写明年份（如“%d年”）后重新上传。", p.Year, p.Year)
	}
	d.New, d.Changed, d.Retired = diffPlan(stored, p)
	for _, o := range p.Obligations {
		label := fmt.Sprintf("%d年%d月", o.Due.Year, o.Due.Month)
		if len(d.Months) == 0 || d.Months[len(d.Months)-1].Label != label {
			d.Months = append(d.Months, month{Label: label})
		}
		m := &d.Months[len(d.Months)-1]
		m.Items = append(m.Items, o)
	}
	v.Title, v.Data = "导入计划：预览", d
	s.render(w, v.r, http.StatusOK, "preview", v)
}

// diffPlan is what importing p would do to the unit's own plan of that year: new keys (or
// retired ones coming back), changed ones, and the unit's own plan items of the year that p no
// longer has (hand-added items and items cascaded from above are never retired by an import).
// The store's ImportPlan does the real diff in its transaction; the confirmation shows its count.
func diffPlan(stored []bot.Tracked, p bot.Plan) (added, changed, retired []change) {
	byKey := make(map[string]bot.Tracked, len(stored))
	for _, t := range stored {
		byKey[t.Key] = t
	}
	seen := make(map[string]bool, len(p.Obligations))
	for _, o := range p.Obligations {
		seen[o.Key] = true
		cur, ok := byKey[o.Key]
		switch {
		case !ok || cur.Retired:
			added = append(added, change{Mark: "+", Title: o.Title, Due: o.Due})
		case !cur.SameContent(o):
			c := change{Mark: "~", Title: o.Title, Due: o.Due}
			if cur.Due != o.Due {
				c.Was = cur.Due
			}
			changed = append(changed, c)
		}
	}
	for _, t := range stored {
		if t.Retired || seen[t.Key] || t.Line == 0 || strings.HasPrefix(t.Key, "up:") || t.Due.Year != p.Year {
			continue
		}
		retired = append(retired, change{Mark: "-", Title: t.Title, Due: t.Due})
	}
	slices.SortStableFunc(retired, func(a, b change) int { return a.Due.Compare(b.Due) })
	return added, changed, retired
}

// importSeal binds a previewed document to the session and unit, so the confirmation imports
// exactly what was previewed, by whom it was previewed.
func (s *Server) importSeal(v *view, name string, data []byte) string {
	sum := sha256.Sum256(data)
	return s.sign.mac("import", v.se.ID, fmt.Sprint(v.Unit.Team.ID), name, hex.EncodeToString(sum[:]))
}

// importConfirm imports the previewed document, with the rules of planbot import.
func (s *Server) importConfirm(w http.ResponseWriter, v *view) {
	name := v.r.PostFormValue("name")
	data, err := base64.StdEncoding.DecodeString(v.r.PostFormValue("data"))
	if err != nil || name == "" || v.r.PostFormValue("seal") != s.importSeal(v, name, data) {
		s.fail(w, v.r, v, http.StatusBadRequest, "预览已失效，什么也没有改。请重新上传文件并预览。")
		return
	}
	p, msg := s.parse(name, data)
	if msg != "" {
		s.fail(w, v.r, v, http.StatusBadRequest, msg)
		return
	}
	sum := sha256.Sum256(data)
	res, err := s.opt.Store.ImportPlan(v.r.Context(), v.Unit.Team.ID, p, bot.ImportOptions{
		Source: name, Hash: hex.EncodeToString(sum[:]), Actor: v.User.UserID, Today: v.Today, At: v.Now})
	if err != nil {
		s.opt.Log.Error("web: import", "err", err, "unit", v.Unit.Team.Name)
		s.fail(w, v.r, v, http.StatusServiceUnavailable, "没有导入："+bot.ErrorMessage(err))
		return
	}
	s.redirect(w, v, "/app/plan", fmt.Sprintf("已导入“%s”（%d年，%d项）：新增%d项，修改%d项，移除%d项，未变%d项。",
		cmp.Or(p.Title, name), p.Year, len(p.Obligations), res.New, res.Changed, res.Retired, res.Unchanged))
}
