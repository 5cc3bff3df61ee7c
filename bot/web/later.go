package web

import "net/http"

// The pages below come in later slices; until then they say so.

func (s *Server) soon(w http.ResponseWriter, v *view) {
	s.fail(w, v.r, v, http.StatusNotImplemented, "这个页面还在建设中。请先在聊天中使用相应命令（帮助 全部）。")
}

func (s *Server) teamPage(w http.ResponseWriter, v *view)      { s.soon(w, v) }
func (s *Server) teamAssign(w http.ResponseWriter, v *view)    { s.soon(w, v) }
func (s *Server) planPage(w http.ResponseWriter, v *view)      { s.soon(w, v) }
func (s *Server) dataPage(w http.ResponseWriter, v *view)      { s.soon(w, v) }
func (s *Server) dataWorkbook(w http.ResponseWriter, v *view)  { s.soon(w, v) }
func (s *Server) importForm(w http.ResponseWriter, v *view)    { s.soon(w, v) }
func (s *Server) importPreview(w http.ResponseWriter, v *view) { s.soon(w, v) }
func (s *Server) importConfirm(w http.ResponseWriter, v *view) { s.soon(w, v) }
func (s *Server) logPage(w http.ResponseWriter, v *view)       { s.soon(w, v) }

const (
	maxUpload = 5 << 20
	tooLarge  = "文件太大（最多 5 MiB），什么也没有改。请上传计划的 .docx 或 .txt 文件。"
)
