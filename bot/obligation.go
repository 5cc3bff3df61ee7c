package bot

import "time"

// Rule says how an obligation recurs in the plan text.
type Rule string

// The rules a plan line can carry.
const (
	RuleOnce    Rule = "once"    // a single deadline
	RuleMonthly Rule = "monthly" // "每月X日前": one obligation in every month of the period
	RuleWeekly  Rule = "weekly"  // "每周X前": one obligation for every such weekday in the period
	RuleOngoing Rule = "ongoing" // no date of its own: due at the period's deadline
)

// Obligation is one dated thing the office must do, as read from a plan or added by a supervisor.
type Obligation struct {
	Key    string `json:"key"`    // stable: derived from period, position and normalised text
	Title  string `json:"title"`  // without numbering and trailing ；。
	Due    Date   `json:"due"`    // as written (after clamping to the month's end)
	Start  Date   `json:"start"`  // zero unless the text gives a start ("X月X日至X月X日")
	Period string `json:"period"` // the plan period, e.g. "2020-01~2020-02" or "2020-03"
	Rule   Rule   `json:"rule"`
	Line   int    `json:"line"` // 1-based source line in the plan document (0 when added by hand)
}

// Plan is a parsed plan document.
type Plan struct {
	Title       string       // the document title, e.g. 淮北市2020年度学生资助工作月计划
	Year        int          // the year the obligations are dated in
	YearFrom    string       // where Year came from: 标题, 月份标题, 落款, 文件名, 事项日期, --year or YearFromToday
	Obligations []Obligation // sorted by Due, then Line, then Key
	Notes       []string     // "注：…" lines
	Problems    []Problem    // lines that could not be placed: never dropped silently
}

// YearFromToday is Plan.YearFrom for a document that names no year anywhere: its year was
// inferred from today's date, and the reader should say so.
const YearFromToday = "当前日期"

// Problem is a plan line the reader could not place.
type Problem struct {
	Line   int    `json:"line"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

// Status is the state of a tracked obligation.
type Status string

// Obligation states as exported.
const (
	StatusOpen           Status = "open"
	StatusDone           Status = "done"
	StatusRetired        Status = "retired"
	StatusBeforeTracking Status = "before_tracking"
)

// Tracked is an obligation as a team tracks it: with its assignee and completion state.
type Tracked struct {
	Obligation
	ID             int64
	Assignee       string    // WeCom userid, "" when unassigned
	Retired        bool      // removed from the plan by a later import; kept in history
	BeforeTracking bool      // due before the plan was imported and not tracked since
	DoneBy         string    // userid of the live completion, "" when open
	DoneAt         time.Time // instant of the live completion
	DoneNote       string
}

// Status derives the exported state of t.
func (t Tracked) Status() Status {
	switch {
	case t.Retired:
		return StatusRetired
	case t.DoneBy != "":
		return StatusDone
	case t.BeforeTracking:
		return StatusBeforeTracking
	}
	return StatusOpen
}

// Completion is one entry of the append-only completion history. An undo is recorded on it, never a delete.
type Completion struct {
	ID       int64     `json:"-"`
	Key      string    `json:"key"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Note     string    `json:"note"`
	UndoneAt time.Time `json:"-"`
	UndoneBy string    `json:"-"`
}

// SameContent reports whether a re-import leaves o as it is: same wording, dates, period and
// rule. The source line is not content: an item inserted above shifts lines without changing
// anything a user sees (the stores update the line quietly).
func (o Obligation) SameContent(p Obligation) bool {
	return o.Title == p.Title && o.Due == p.Due && o.Start == p.Start && o.Period == p.Period && o.Rule == p.Rule
}
