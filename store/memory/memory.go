// Package memory is the embedded default store: everything in mutex-guarded maps, nothing kept
// after the process exits. It has the same semantics as store/postgres (both pass store/storetest)
// and serves the demo, a try-out without DATABASE_URL, and fast unit tests.
package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/audit"
)

// Store is an in-process bot.Store. The zero value is not usable; call New.
type Store struct {
	// Now is the clock used for audit entries of changes that carry no instant of their own
	// (teams and members). Set it before use; New sets time.Now.
	Now bot.Clock

	mu          sync.Mutex
	teams       []bot.Team
	members     map[int64]map[string]bot.Member
	plans       map[planKey]*plan
	obligations map[int64]map[string]*obligation // team -> key -> obligation
	completions []completion
	figures     []bot.Figure
	audit       []bot.AuditEntry
	seen        map[string]time.Time
	refs        map[string]string // effect key -> what the effect made (see bot.Effect)
	current     map[string]int64  // userid -> unit chosen with 切换
	seq         map[string]int64  // one counter per kind, like PostgreSQL's per-table sequences
	feeds       map[string]string // userid -> calendar-feed token
}

type planKey struct {
	team   int64
	year   int
	origin string
}

type plan struct {
	id         int64
	title      string
	source     string
	hash       string
	importedBy string
	importedAt time.Time
}

type obligation struct {
	bot.Tracked
	team   int64
	planID int64 // 0 when added by hand
}

type completion struct {
	bot.Completion
	team         int64
	obligationID int64
}

var _ bot.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		Now:         time.Now,
		members:     map[int64]map[string]bot.Member{},
		plans:       map[planKey]*plan{},
		obligations: map[int64]map[string]*obligation{},
		seen:        map[string]time.Time{},
		refs:        map[string]string{},
		current:     map[string]int64{},
		seq:         map[string]int64{},
	}
}

// Kinds of row, each numbered by its own counter from 1 (as each PostgreSQL table has its own
// sequence): the first figure recorded is 第1条 whatever else the store holds.
const (
	seqTeam       = "team"
	seqPlan       = "plan"
	seqObligation = "obligation"
	seqCompletion = "completion"
	seqFigure     = "figure"
	seqAudit      = "audit"
)

// id returns the next ID of a kind of row.
func (s *Store) id(kind string) int64 {
	s.seq[kind]++
	return s.seq[kind]
}

// instant normalises t the way PostgreSQL's timestamptz keeps it: microseconds, UTC.
func instant(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Microsecond).UTC()
}

func (s *Store) now() time.Time { return instant(s.Now()) }

func (s *Store) log(team int64, actor, action, target string, before, after any, at time.Time) {
	s.audit = append(s.audit, bot.AuditEntry{
		ID: s.id(seqAudit), TeamID: team, Actor: actor, Action: action, Target: target,
		Before: audit.Text(before), After: audit.Text(after), At: instant(at),
	})
}

func (s *Store) team(id int64) (bot.Team, bool) {
	for _, t := range s.teams {
		if t.ID == id {
			return t, true
		}
	}
	return bot.Team{}, false
}

func (s *Store) teamErr(id int64) error {
	if _, ok := s.team(id); !ok {
		return fmt.Errorf("team %d: %w", id, bot.ErrNotFound)
	}
	return nil
}

// EnsureTeam implements bot.Store.
func (s *Store) EnsureTeam(ctx context.Context, name string) (bot.Team, error) {
	if name == "" {
		name = bot.DefaultTeam
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.teams {
		if t.Name == name {
			return t, nil
		}
	}
	t := bot.Team{ID: s.id(seqTeam), Name: name, TimeZone: DefaultTimeZone, DigestCron: DefaultDigestCron}
	s.teams = append(s.teams, t)
	s.log(t.ID, "system", "team.create", t.Name, nil, audit.Team(t), s.now())
	return t, nil
}

// Defaults of a new team (kept for callers of this package; the rule lives in package bot).
const (
	DefaultTimeZone   = bot.DefaultTimeZone
	DefaultDigestCron = bot.DefaultDigestCron
)

// TeamByName returns the team called name (removed ones too); ErrNotFound when there is none.
func (s *Store) TeamByName(ctx context.Context, name string) (bot.Team, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.teams {
		if t.Name == name {
			return t, nil
		}
	}
	return bot.Team{}, fmt.Errorf("team %q: %w", name, bot.ErrNotFound)
}

// Teams implements bot.Store.
func (s *Store) Teams(ctx context.Context) ([]bot.Team, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bot.Team(nil), s.teams...), nil
}

// AddTeam implements bot.Store.
func (s *Store) AddTeam(ctx context.Context, actor string, t bot.Team) (bot.Team, error) {
	if err := bot.NeedActor(actor); err != nil {
		return bot.Team{}, err
	}
	t, err := bot.NewTeam(t)
	if err != nil {
		return bot.Team{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.teams {
		if u.Name == t.Name {
			return bot.Team{}, bot.Errorf(bot.ECONFLICT, "单位“%s”已存在。", t.Name)
		}
	}
	if err := bot.NewTree(s.teams).ValidParent(0, t.ParentID); err != nil {
		return bot.Team{}, err
	}
	t.ID = s.id(seqTeam)
	s.teams = append(s.teams, t)
	s.log(t.ID, actor, "team.create", t.Name, nil, audit.Team(t), s.now())
	return t, nil
}

// PutUnits implements bot.Store.
func (s *Store) PutUnits(ctx context.Context, actor string, specs []bot.UnitSpec) (added, changed int, err error) {
	if err := bot.NeedActor(actor); err != nil {
		return 0, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	changes, err := bot.PlanUnits(s.teams, specs)
	if err != nil {
		return 0, 0, err
	}
	ids := map[string]int64{}
	for _, t := range s.teams {
		ids[t.Name] = t.ID
	}
	for _, c := range changes {
		u := c.Team
		u.ParentID = ids[c.Parent]
		if c.New {
			u.ID = s.id(seqTeam)
			s.teams = append(s.teams, u)
			ids[u.Name] = u.ID
			s.log(u.ID, actor, "team.create", u.Name, nil, audit.Team(u), s.now())
			added++
			continue
		}
		for i, old := range s.teams {
			if old.ID == u.ID && old != u {
				s.teams[i] = u
				s.log(u.ID, actor, bot.TeamAction(old, u), u.Name, audit.Team(old), audit.Team(u), s.now())
				changed++
			}
		}
	}
	return added, changed, nil
}

// PutMembers implements bot.Store.
func (s *Store) PutMembers(ctx context.Context, actor string, ms []bot.Member) (added, changed int, err error) {
	if err := bot.NeedActor(actor); err != nil {
		return 0, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range ms { // all checked before any is written
		if err := bot.ValidMember(m); err != nil {
			return 0, 0, err
		}
		if err := s.teamErr(m.TeamID); err != nil {
			return 0, 0, err
		}
	}
	for _, m := range ms {
		byUser := s.members[m.TeamID]
		if byUser == nil {
			byUser = map[string]bot.Member{}
			s.members[m.TeamID] = byUser
		}
		old, ok := byUser[m.UserID]
		switch {
		case !ok:
			added++
			s.log(m.TeamID, actor, "member.add", m.UserID, nil, audit.Member(m), s.now())
		case old != m:
			changed++
			s.log(m.TeamID, actor, "member.update", m.UserID, audit.Member(old), audit.Member(m), s.now())
		}
		byUser[m.UserID] = m
	}
	return added, changed, nil
}

// UpdateTeam implements bot.Store.
func (s *Store) UpdateTeam(ctx context.Context, t bot.Team) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, old := range s.teams {
		if old.ID != t.ID {
			continue
		}
		t = bot.TeamUpdate(old, t)
		if t == old {
			return nil
		}
		if err := bot.NewTree(s.teams).ValidTeamChange(old, t); err != nil {
			return err
		}
		s.teams[i] = t
		s.log(t.ID, "system", bot.TeamAction(old, t), t.Name, audit.Team(old), audit.Team(t), s.now())
		return nil
	}
	return fmt.Errorf("team %d: %w", t.ID, bot.ErrNotFound)
}

// PutMember implements bot.Store.
func (s *Store) PutMember(ctx context.Context, actor string, m bot.Member) error {
	if err := bot.ValidMember(m); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.teamErr(m.TeamID); err != nil {
		return err
	}
	ms := s.members[m.TeamID]
	if ms == nil {
		ms = map[string]bot.Member{}
		s.members[m.TeamID] = ms
	}
	old, ok := ms[m.UserID]
	switch {
	case !ok:
		ms[m.UserID] = m
		s.log(m.TeamID, actor, "member.add", m.UserID, nil, audit.Member(m), s.now())
	case old != m:
		ms[m.UserID] = m
		s.log(m.TeamID, actor, "member.update", m.UserID, audit.Member(old), audit.Member(m), s.now())
	}
	return nil
}

// RemoveMember implements bot.Store.
func (s *Store) RemoveMember(ctx context.Context, actor string, teamID int64, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.members[teamID][userID]
	if !ok {
		return fmt.Errorf("member %q: %w", userID, bot.ErrNotFound)
	}
	if !old.Active {
		return nil
	}
	m := old
	m.Active = false
	s.members[teamID][userID] = m
	s.log(teamID, actor, "member.remove", userID, audit.Member(old), audit.Member(m), s.now())
	return nil
}

// Member implements bot.Store.
func (s *Store) Member(ctx context.Context, teamID int64, userID string) (bot.Member, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.members[teamID][userID]
	if !ok {
		return bot.Member{}, fmt.Errorf("member %q: %w", userID, bot.ErrNotFound)
	}
	return m, nil
}

// Members implements bot.Store.
func (s *Store) Members(ctx context.Context, teamID int64) ([]bot.Member, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]bot.Member, 0, len(s.members[teamID]))
	for _, m := range s.members[teamID] {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out, nil
}

// Memberships implements bot.Store.
func (s *Store) Memberships(ctx context.Context, userID string) ([]bot.Member, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.Member
	for _, t := range s.teams { // by id: teams are appended in id order
		if m, ok := s.members[t.ID][userID]; ok && m.Active {
			out = append(out, m)
		}
	}
	return out, s.current[userID], nil
}

// SetCurrentUnit implements bot.Store.
func (s *Store) SetCurrentUnit(ctx context.Context, userID string, teamID int64, at time.Time) error {
	if err := bot.NeedActor(userID); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.current[userID]
	if old == teamID {
		return nil
	}
	logTeam := teamID
	if teamID == 0 {
		delete(s.current, userID)
		logTeam = old
	} else {
		if err := s.teamErr(teamID); err != nil {
			return err
		}
		s.current[userID] = teamID
	}
	s.log(logTeam, userID, "member.switch", userID, audit.Switch(old), audit.Switch(teamID), at)
	return nil
}

// RecordReply implements bot.Store.
func (s *Store) RecordReply(ctx context.Context, msgID string, r bot.Reply, at time.Time) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.appliedLocked(msgID + "|reply"); !ok {
		s.claimLocked(msgID+"|reply", string(b), at)
	}
	return nil
}

// RecordedReply implements bot.Store.
func (s *Store) RecordedReply(ctx context.Context, msgID string) (bot.Reply, bool, error) {
	s.mu.Lock()
	ref, ok := s.appliedLocked(msgID + "|reply")
	s.mu.Unlock()
	var r bot.Reply
	if !ok || json.Unmarshal([]byte(ref), &r) != nil {
		return bot.Reply{}, false, nil
	}
	return r, true, nil
}

// SeenMessage implements bot.Store.
func (s *Store) SeenMessage(ctx context.Context, id string, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.seen[id]; ok {
		return false, nil
	}
	s.seen[id] = instant(at)
	return true, nil
}

// PruneMessages implements bot.Store.
func (s *Store) PruneMessages(ctx context.Context, before time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for id, at := range s.seen {
		if at.Before(before) {
			delete(s.seen, id)
			delete(s.refs, id)
			n++
		}
	}
	return n, nil
}

// AuditLog implements bot.Store.
func (s *Store) AuditLog(ctx context.Context, teamID int64) ([]bot.AuditEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.AuditEntry
	for _, e := range s.audit {
		if e.TeamID == teamID {
			out = append(out, e)
		}
	}
	return out, nil
}

// Ping implements bot.Store; memory is always reachable.
func (s *Store) Ping(ctx context.Context) error { return nil }

// appliedLocked reports whether the effect key (bot.Effect.Key) was recorded by an earlier
// delivery of the same message, and what that effect made; "" is never applied.
func (s *Store) appliedLocked(key string) (ref string, ok bool) {
	if key == "" {
		return "", false
	}
	if _, ok := s.seen[key]; !ok {
		return "", false
	}
	return s.refs[key], true
}

// claimLocked records the effect key with the effect, as PostgreSQL does in its transaction.
func (s *Store) claimLocked(key, ref string, at time.Time) {
	if key != "" {
		s.seen[key] = instant(at)
		s.refs[key] = ref
	}
}
