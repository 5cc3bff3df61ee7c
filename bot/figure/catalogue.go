// Package figure reads the figures a financial-aid office records (persons, person-times and
// money per programme, school stage and term), knows the catalogue of programmes with their
// aliases, and adds figures up.
package figure

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Programme is one aid programme of the catalogue.
type Programme struct {
	Name    string   `json:"name"`              // canonical name, e.g. 国家助学金
	Aliases []string `json:"aliases,omitempty"` // other names typed in chat, e.g. 助学金
	// Stages the programme is paid in (canonical stage names). Empty: no stage, though any
	// known stage may still be written. Exactly one: that stage is the default.
	Stages []string `json:"stages,omitempty"`
}

// Stage is a school stage (学段) with its aliases.
type Stage struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
}

// Config is the catalogue as written in a JSON file.
type Config struct {
	Programmes []Programme `json:"programmes"`
	Stages     []Stage     `json:"stages"`
}

// Catalogue knows the programmes and stages a team records figures for.
type Catalogue struct {
	progs     []Programme
	stages    []Stage
	progAlias map[string]int // alias (and name) -> index in progs
	stageOf   map[string]string
	stageAlis []string // stage aliases, longest first
}

// DefaultConfig is the national programme catalogue (国家资助政策体系) with common aliases.
func DefaultConfig() Config {
	return Config{
		Stages: []Stage{
			{Name: "幼儿园", Aliases: []string{"学前", "学前教育", "幼儿", "幼教"}},
			{Name: "普通高中", Aliases: []string{"普高", "高中", "普通高中学校", "高中阶段"}},
			{Name: "中职", Aliases: []string{"中等职业", "中等职业教育", "中等职业学校", "中职学校", "中专", "职高", "中职教育"}},
			{Name: "高校", Aliases: []string{"大学", "高等教育", "高等学校", "本专科"}},
			{Name: "彩票公益金", Aliases: []string{"彩票"}},
		},
		Programmes: []Programme{
			{Name: "国家助学金", Aliases: []string{"助学金"}, Stages: []string{"中职", "普通高中"}},
			{Name: "免学费", Aliases: []string{"免除学费", "学费减免", "免学费补助"}, Stages: []string{"中职"}},
			{Name: "免学杂费", Aliases: []string{"免除学杂费", "学杂费减免", "免杂费", "免学杂费补助"}, Stages: []string{"普通高中"}},
			{Name: "学前资助", Aliases: []string{"学前教育资助", "幼儿资助", "学前教育资助金", "幼儿园资助"}, Stages: []string{"幼儿园"}},
			{Name: "建档立卡学生资助", Aliases: []string{"建档立卡", "建档立卡资助", "建档立卡学生", "建档立卡家庭学生资助", "精准资助"}},
			{Name: "生源地信用助学贷款", Aliases: []string{"生源地贷款", "助学贷款", "生源地助学贷款", "信用助学贷款", "生源地信用贷款", "生源地", "国家助学贷款"}},
			{Name: "国家奖学金", Aliases: []string{"奖学金"}, Stages: []string{"中职"}},
			{Name: "新生入学资助", Aliases: []string{"新生资助", "入学资助", "彩票公益金新生入学资助", "彩票公益金资助新生入学", "新生入学资助项目", "彩票公益金资助", "彩票公益金"}, Stages: []string{"彩票公益金"}},
			{Name: "职业技能教育资助", Aliases: []string{"职业技能资助", "技能教育资助", "职业技能教育", "职业技能"}},
			{Name: "校内资助", Aliases: []string{"校内", "学校资助", "校内奖助"}},
		},
	}
}

// Default returns the national programme catalogue.
func Default() *Catalogue {
	c, err := New(DefaultConfig())
	if err != nil {
		panic(err) // the built-in catalogue is checked by tests
	}
	return c
}

// Load reads a catalogue from a JSON file shaped like Config. Stages omitted from the file
// are taken from the default catalogue.
func Load(path string) (*Catalogue, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse reads a catalogue from JSON shaped like Config (see Load).
func Parse(data []byte) (*Catalogue, error) {
	var cfg Config
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("programme catalogue: %w", err)
	}
	if len(cfg.Stages) == 0 {
		cfg.Stages = DefaultConfig().Stages
	}
	return New(cfg)
}

// New builds a catalogue, checking that names and aliases are unique and stages known.
func New(cfg Config) (*Catalogue, error) {
	c := &Catalogue{progAlias: map[string]int{}, stageOf: map[string]string{}}
	for _, s := range cfg.Stages {
		s.Name = strings.TrimSpace(s.Name)
		if s.Name == "" {
			return nil, fmt.Errorf("programme catalogue: stage without a name")
		}
		for _, a := range append([]string{s.Name}, s.Aliases...) {
			a = key(a)
			if prev, dup := c.stageOf[a]; dup && prev != s.Name {
				return nil, fmt.Errorf("programme catalogue: stage alias %q used by %s and %s", a, prev, s.Name)
			}
			c.stageOf[a] = s.Name
			c.stageAlis = append(c.stageAlis, a)
		}
		c.stages = append(c.stages, s)
	}
	sort.SliceStable(c.stageAlis, func(i, j int) bool { return len(c.stageAlis[i]) > len(c.stageAlis[j]) })
	for i, p := range cfg.Programmes {
		p.Name = strings.TrimSpace(p.Name)
		if p.Name == "" {
			return nil, fmt.Errorf("programme catalogue: programme %d without a name", i+1)
		}
		for _, st := range p.Stages {
			if c.stageOf[key(st)] != st {
				return nil, fmt.Errorf("programme catalogue: %s: unknown stage %q", p.Name, st)
			}
		}
		for _, a := range append([]string{p.Name}, p.Aliases...) {
			a = key(a)
			if a == "" {
				continue
			}
			if j, dup := c.progAlias[a]; dup && j != len(c.progs) {
				return nil, fmt.Errorf("programme catalogue: alias %q used by %s and %s", a, c.progs[j].Name, p.Name)
			}
			c.progAlias[a] = len(c.progs)
		}
		c.progs = append(c.progs, p)
	}
	if len(c.progs) == 0 {
		return nil, fmt.Errorf("programme catalogue: no programmes")
	}
	return c, nil
}

// key is the form aliases are compared in: normalised, without spaces, lower case.
func key(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(Normalize(s)), ""))
}

// Programmes lists the programmes in catalogue order.
func (c *Catalogue) Programmes() []Programme { return append([]Programme(nil), c.progs...) }

// Programme returns the programme with the canonical name or alias s.
func (c *Catalogue) Programme(s string) (Programme, bool) {
	i, ok := c.progAlias[key(s)]
	if !ok {
		return Programme{}, false
	}
	return c.progs[i], true
}

// Stage returns the canonical stage for a stage name or alias.
func (c *Catalogue) Stage(s string) (string, bool) {
	st, ok := c.stageOf[key(s)]
	return st, ok
}

// Resolve reads a programme word such as 中职国家助学金, 普高国家助学金, 国家助学金中职 or
// 生源地贷款: a programme alias with an optional stage alias glued before or after it.
// stage is "" when none was written.
func (c *Catalogue) Resolve(word string) (p Programme, stage string, ok bool) {
	w := key(word)
	if i, ok := c.progAlias[w]; ok {
		return c.progs[i], "", true
	}
	for _, sa := range c.stageAlis {
		if rest, found := strings.CutPrefix(w, sa); found && rest != "" {
			if i, ok := c.progAlias[rest]; ok {
				return c.progs[i], c.stageOf[sa], true
			}
		}
		if rest, found := strings.CutSuffix(w, sa); found && rest != "" {
			if i, ok := c.progAlias[rest]; ok {
				return c.progs[i], c.stageOf[sa], true
			}
		}
	}
	return Programme{}, "", false
}

// Allows reports whether stage may be recorded for p: one of its stages, or any known stage
// (or none) when the programme declares no stages.
func (p Programme) Allows(stage string) bool {
	if len(p.Stages) == 0 || stage == "" {
		return true
	}
	for _, s := range p.Stages {
		if s == stage {
			return true
		}
	}
	return false
}

// DefaultStage is the programme's only stage, or "".
func (p Programme) DefaultStage() string {
	if len(p.Stages) == 1 {
		return p.Stages[0]
	}
	return ""
}

// Suggest returns up to three programme names close to word (shared characters), best first;
// names much further than the best are left out.
func (c *Catalogue) Suggest(word string) []string {
	w := []rune(key(word))
	if len(w) == 0 {
		return nil
	}
	type cand struct {
		name  string
		score float64
		order int
	}
	best := map[string]cand{}
	for a, i := range c.progAlias {
		s := similarity(w, []rune(a))
		if cur, ok := best[c.progs[i].Name]; !ok || s > cur.score {
			best[c.progs[i].Name] = cand{c.progs[i].Name, s, i}
		}
	}
	var cs []cand
	for _, v := range best {
		if v.score >= 0.34 {
			cs = append(cs, v)
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].score != cs[j].score {
			return cs[i].score > cs[j].score
		}
		return cs[i].order < cs[j].order
	})
	var out []string
	for i := 0; i < len(cs) && i < 3 && cs[i].score >= cs[0].score-0.15; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// similarity is the Dice coefficient of the rune multisets of a and b.
func similarity(a, b []rune) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	count := map[rune]int{}
	for _, r := range b {
		count[r]++
	}
	common := 0
	for _, r := range a {
		if count[r] > 0 {
			count[r]--
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

// order returns the sort position of a programme and stage for tables: catalogue order, then
// the programme's own stage order, then the catalogue's; unknown names sort last.
func (c *Catalogue) order(programme, stage string) (int, int) {
	pi, ok := c.progAlias[key(programme)]
	if !ok {
		pi = len(c.progs)
	}
	if stage == "" {
		return pi, -1
	}
	if pi < len(c.progs) {
		for i, s := range c.progs[pi].Stages {
			if s == stage {
				return pi, i // the programme's own order: 国家助学金 中职, then 普通高中
			}
		}
	}
	si := len(c.stages)
	for i, s := range c.stages {
		if s.Name == stage {
			si = i
		}
	}
	return pi, 100 + si
}

// Names lists the canonical programme names, for help and refusals.
func (c *Catalogue) Names() []string {
	out := make([]string, len(c.progs))
	for i, p := range c.progs {
		out[i] = p.Name
	}
	return out
}
