package bot

// The checks every Store runs before a change, so store/memory and store/postgres reject the
// same input with the same words (what PostgreSQL's constraints would reject, said for a user).

// NeedActor rejects a change without someone to record as its author.
func NeedActor(actor string) error {
	if actor == "" {
		return Errorf(EINVALID, "缺少操作人")
	}
	return nil
}

// ValidObligation checks an obligation before it is stored and defaults an empty Rule to RuleOnce.
func ValidObligation(o *Obligation) error {
	if o.Key == "" {
		return Errorf(EINVALID, "事项缺少编号（key）")
	}
	if o.Due.IsZero() {
		return Errorf(EINVALID, "事项 %s 缺少截止日期", o.Key)
	}
	if o.Rule == "" {
		o.Rule = RuleOnce
	}
	switch o.Rule {
	case RuleOnce, RuleMonthly, RuleWeekly, RuleOngoing:
	default:
		return Errorf(EINVALID, "事项 %s 的规则无效：%q", o.Key, string(o.Rule))
	}
	return nil
}

// ValidFigure checks a figure before it is recorded.
func ValidFigure(f Figure) error {
	switch {
	case f.By == "":
		return Errorf(EINVALID, "缺少操作人")
	case f.Programme == "":
		return Errorf(EINVALID, "缺少资助项目名称")
	case f.Month < 0 || f.Month > 12:
		return Errorf(EINVALID, "月份应为 1-12：%d", f.Month)
	case f.Persons < 0 || f.PersonTimes < 0 || f.AmountFen < 0:
		return Errorf(EINVALID, "人数、人次和金额不能为负数")
	}
	return nil
}

// ValidMember checks a member before it is added or updated.
func ValidMember(m Member) error {
	if m.UserID == "" {
		return Errorf(EINVALID, "成员账号不能为空")
	}
	if !m.Role.Valid() {
		return Errorf(EINVALID, "角色应为 staff、supervisor 或 admin：%q", string(m.Role))
	}
	return nil
}

// ValidPlan checks a parsed plan before it is imported: a year, every obligation valid, no key
// twice. It returns copies of the obligations with their rules defaulted; p is not changed.
func ValidPlan(p Plan) ([]Obligation, error) {
	if p.Year == 0 {
		return nil, Errorf(EINVALID, "计划缺少年份")
	}
	obls := make([]Obligation, len(p.Obligations))
	seen := make(map[string]bool, len(p.Obligations))
	for i, o := range p.Obligations {
		if err := ValidObligation(&o); err != nil {
			return nil, err
		}
		if seen[o.Key] {
			return nil, Errorf(EINVALID, "计划中事项编号重复：%s", o.Key)
		}
		seen[o.Key] = true
		obls[i] = o
	}
	return obls, nil
}

// Defaults of a new team's settings (also the column defaults of store/postgres's schema).
const (
	DefaultTimeZone   = "Asia/Shanghai"
	DefaultDigestCron = "30 8 * * *"
)

// TeamAction is the audit action of a change of a team from old to t.
func TeamAction(old, t Team) string {
	switch {
	case t.Removed && !old.Removed:
		return "team.remove"
	case !t.Removed && old.Removed:
		return "team.restore"
	}
	return "team.update"
}

// NewTeam returns t as a store creates it: the empty settings get their defaults.
func NewTeam(t Team) (Team, error) {
	if err := ValidUnitName(t.Name); err != nil {
		return t, err
	}
	t = TeamUpdate(t, t)
	t.Removed = false
	return t, nil
}

// TeamUpdate returns t as a store saves it over old: the name never changes, and empty settings
// go back to their defaults.
func TeamUpdate(old, t Team) Team {
	t.Name = old.Name
	if t.TimeZone == "" {
		t.TimeZone = DefaultTimeZone
	}
	if t.DigestCron == "" {
		t.DigestCron = DefaultDigestCron
	}
	return t
}
