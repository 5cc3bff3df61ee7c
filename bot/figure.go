package bot

import "time"

// Figure is one recorded count the office reports upward: persons, person-times and money per
// programme, school stage and term. Money is integer 分 (fen), never float.
type Figure struct {
	ID          int64     `json:"id"`
	TeamID      int64     `json:"-"`
	Programme   string    `json:"programme"` // canonical programme name, e.g. 国家助学金
	Stage       string    `json:"stage"`     // 中职, 普通高中, 幼儿园, 高校, or ""
	Term        string    `json:"term"`      // 春季, 秋季, or "" when a month is given
	Year        int       `json:"year"`
	Month       int       `json:"month"` // 1-12, 0 when the figure is for a term or year
	Persons     int64     `json:"persons"`
	PersonTimes int64     `json:"person_times"`
	AmountFen   int64     `json:"amount_fen"`
	By          string    `json:"by"`
	At          time.Time `json:"at"`
	Note        string    `json:"note"`
	VoidedBy    string    `json:"-"`
	VoidedAt    time.Time `json:"-"`
}

// Void reports whether the figure was voided (kept in history, excluded from totals).
func (f Figure) Void() bool { return f.VoidedBy != "" }

// FigureFilter selects figures; zero fields match everything.
type FigureFilter struct {
	Programme   string
	Term        string
	Year        int
	Month       int
	IncludeVoid bool
}
