package bot

import "testing"

func TestValidObligation(t *testing.T) {
	due := NewDate(2026, 6, 15)
	cases := []struct {
		name     string
		o        Obligation
		wantErr  string
		wantRule Rule
	}{
		{"ok, rule defaulted", Obligation{Key: "k", Due: due}, "", RuleOnce},
		{"ok monthly", Obligation{Key: "k", Due: due, Rule: RuleMonthly}, "", RuleMonthly},
		{"no key", Obligation{Due: due}, "事项缺少编号（key）", ""},
		{"no due", Obligation{Key: "k"}, "事项 k 缺少截止日期", ""},
		{"bad rule", Obligation{Key: "k", Due: due, Rule: "yearly"}, `事项 k 的规则无效："yearly"`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := c.o
			err := ValidObligation(&o)
			checkValid(t, err, c.wantErr)
			if c.wantErr == "" && o.Rule != c.wantRule {
				t.Errorf("rule %q, want %q", o.Rule, c.wantRule)
			}
		})
	}
}

func TestValidFigure(t *testing.T) {
	ok := Figure{Programme: "国家助学金", By: "wang", Month: 3, Persons: 1}
	cases := []struct {
		name    string
		edit    func(*Figure)
		wantErr string
	}{
		{"ok", func(*Figure) {}, ""},
		{"no actor", func(f *Figure) { f.By = "" }, "缺少操作人"},
		{"no programme", func(f *Figure) { f.Programme = "" }, "缺少资助项目名称"},
		{"month 13", func(f *Figure) { f.Month = 13 }, "月份应为 1-12：13"},
		{"negative money", func(f *Figure) { f.AmountFen = -1 }, "人数、人次和金额不能为负数"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := ok
			c.edit(&f)
			checkValid(t, ValidFigure(f), c.wantErr)
		})
	}
}

func TestValidMemberAndActor(t *testing.T) {
	checkValid(t, ValidMember(Member{UserID: "wang", Role: RoleStaff}), "")
	checkValid(t, ValidMember(Member{Role: RoleStaff}), "成员账号不能为空")
	checkValid(t, ValidMember(Member{UserID: "wang", Role: "boss"}), `角色应为 staff、supervisor 或 admin："boss"`)
	checkValid(t, NeedActor("wang"), "")
	checkValid(t, NeedActor(""), "缺少操作人")
}

// checkValid wants no error for want == "", else an EINVALID error showing want.
func checkValid(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	if ErrorCode(err) != EINVALID || ErrorMessage(err) != want {
		t.Fatalf("error %v, want %s %q", err, EINVALID, want)
	}
}

func TestValidPlan(t *testing.T) {
	due := NewDate(2026, 6, 15)
	p := Plan{Year: 2026, Obligations: []Obligation{{Key: "a", Due: due}, {Key: "b", Due: due, Rule: RuleMonthly}}}
	obls, err := ValidPlan(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(obls) != 2 || obls[0].Rule != RuleOnce || obls[1].Rule != RuleMonthly {
		t.Errorf("obligations %+v, want rules once, monthly", obls)
	}
	if p.Obligations[0].Rule != "" {
		t.Errorf("ValidPlan changed its input: %+v", p.Obligations[0])
	}
	_, err = ValidPlan(Plan{Obligations: p.Obligations})
	checkValid(t, err, "计划缺少年份")
	_, err = ValidPlan(Plan{Year: 2026, Obligations: append(p.Obligations, Obligation{Key: "a", Due: due})})
	checkValid(t, err, "计划中事项编号重复：a")
	_, err = ValidPlan(Plan{Year: 2026, Obligations: []Obligation{{Key: "a"}}})
	checkValid(t, err, "事项 a 缺少截止日期")
}

func TestTeamUpdate(t *testing.T) {
	old := Team{ID: 1, Name: "资助中心", TimeZone: "Asia/Shanghai", DigestCron: "0 9 * * *", GroupTarget: "webhook:k"}
	got := TeamUpdate(old, Team{ID: 1, Name: "改名", GroupTarget: "appchat:c"})
	want := Team{ID: 1, Name: "资助中心", TimeZone: DefaultTimeZone, DigestCron: DefaultDigestCron, GroupTarget: "appchat:c"}
	if got != want {
		t.Errorf("TeamUpdate = %+v, want %+v", got, want)
	}
}
