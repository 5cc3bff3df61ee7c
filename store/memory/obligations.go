package memory

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/audit"
)

// ImportPlan implements bot.Store. Validation happens before any change, so a failed import
// changes nothing (the transaction of the PostgreSQL store).
func (s *Store) ImportPlan(ctx context.Context, teamID int64, p bot.Plan, opt bot.ImportOptions) (bot.ImportResult, error) {
	obls, err := bot.ValidPlan(p)
	if err != nil {
		return bot.ImportResult{}, err
	}
	at := instant(opt.At)

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.teamErr(teamID); err != nil {
		return bot.ImportResult{}, err
	}
	pk := planKey{teamID, p.Year, opt.Origin}
	pl := s.plans[pk]
	var oldPlan audit.Snapshot
	if pl == nil {
		pl = &plan{id: s.id(seqPlan)}
	} else {
		oldPlan = audit.Plan(pl.title, p.Year, pl.source, pl.hash)
	}
	byKey := s.obligations[teamID]
	if byKey == nil {
		byKey = map[string]*obligation{}
		s.obligations[teamID] = byKey
	}
	stored := make(map[string]bot.StoredObligation, len(byKey))
	for k, o := range byKey {
		stored[k] = bot.StoredObligation{Tracked: o.Tracked, PlanID: o.planID}
	}
	changes, res := bot.DiffImport(stored, obls, pl.id, opt)
	audited := 0
	for i, c := range changes {
		switch c.Action {
		case bot.ActionAdd:
			t := &obligation{team: teamID, planID: pl.id, Tracked: c.After}
			t.ID = s.id(seqObligation)
			byKey[c.Key] = t
			changes[i].After = t.Tracked
		case bot.ActionRestore, bot.ActionUpdate:
			cur := byKey[c.Key]
			cur.Obligation, cur.Retired, cur.planID, cur.BeforeTracking = c.After.Obligation, false, pl.id, c.After.BeforeTracking
		case bot.ActionRetire:
			byKey[c.Key].Retired = true
		default: // moved in the document only: not a change users see
			byKey[c.Key].Line = c.After.Line
			continue
		}
		audited++
	}

	newPlan := plan{id: pl.id, title: p.Title, source: opt.Source, hash: opt.Hash, importedBy: opt.Actor, importedAt: at}
	samePlan := oldPlan != nil && pl.title == p.Title && pl.source == opt.Source && pl.hash == opt.Hash
	if audited == 0 && samePlan {
		return res, nil // identical: nothing written, no audit noise
	}
	*pl = newPlan
	s.plans[pk] = pl
	after := audit.Plan(pl.title, p.Year, pl.source, pl.hash)
	after["new"], after["changed"], after["retired"] = res.New, res.Changed, res.Retired
	s.log(teamID, opt.Actor, "import", fmt.Sprint(p.Year), oldPlan, after, at)
	for _, c := range changes {
		if c.Action == "" {
			continue
		}
		var before any
		if c.Action != bot.ActionAdd {
			before = audit.Obligation(c.Before)
		}
		s.log(teamID, opt.Actor, c.Action, c.Key, before, audit.Obligation(c.After), at)
	}
	return res, nil
}

// Obligations implements bot.Store.
func (s *Store) Obligations(ctx context.Context, teamID int64, includeRetired bool) ([]bot.Tracked, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.Tracked
	for _, o := range s.obligations[teamID] {
		if o.Retired && !includeRetired {
			continue
		}
		out = append(out, s.tracked(o))
	}
	sort.Slice(out, func(i, j int) bool { return lessTracked(out[i], out[j]) })
	return out, nil
}

func lessTracked(a, b bot.Tracked) bool {
	if c := a.Due.Compare(b.Due); c != 0 {
		return c < 0
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Key < b.Key
}

// tracked returns a copy of o with its live completion filled in.
func (s *Store) tracked(o *obligation) bot.Tracked {
	t := o.Tracked
	t.DoneBy, t.DoneAt, t.DoneNote = "", time.Time{}, ""
	if c := s.live(o.ID); c != nil {
		t.DoneBy, t.DoneAt, t.DoneNote = c.By, c.At, c.Note
	}
	return t
}

func (s *Store) live(obligationID int64) *completion {
	for i := range s.completions {
		c := &s.completions[i]
		if c.obligationID == obligationID && c.UndoneAt.IsZero() {
			return c
		}
	}
	return nil
}

func (s *Store) find(teamID int64, key string) (*obligation, error) {
	o := s.obligations[teamID][key]
	if o == nil {
		return nil, fmt.Errorf("obligation %q: %w", key, bot.ErrNotFound)
	}
	return o, nil
}

// TeamView implements bot.Store.
func (s *Store) TeamView(ctx context.Context, teamID int64, includeRetired bool) ([]bot.Tracked, []bot.Member, error) {
	items, err := s.Obligations(ctx, teamID, includeRetired)
	if err != nil {
		return nil, nil, err
	}
	members, err := s.Members(ctx, teamID)
	if err != nil {
		return nil, nil, err
	}
	return items, members, nil
}

// AddObligation implements bot.Store. A key already in use is reported as bot.ErrAlreadyDone.
func (s *Store) AddObligation(ctx context.Context, teamID int64, actor string, o bot.Obligation, at time.Time, eff bot.Effect) (bot.Tracked, error) {
	if err := bot.ValidObligation(&o); err != nil {
		return bot.Tracked{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ref, ok := s.appliedLocked(eff.Key); ok {
		if t := s.obligations[teamID][ref]; t != nil {
			return bot.Tracked{Obligation: t.Obligation, ID: t.ID}, nil
		}
		return bot.Tracked{}, fmt.Errorf("obligation %q: %w", ref, bot.ErrNotFound)
	}
	if err := s.teamErr(teamID); err != nil {
		return bot.Tracked{}, err
	}
	if s.obligations[teamID][o.Key] != nil {
		return bot.Tracked{}, fmt.Errorf("obligation key %q in use: %w", o.Key, bot.ErrAlreadyDone)
	}
	if s.obligations[teamID] == nil {
		s.obligations[teamID] = map[string]*obligation{}
	}
	t := &obligation{team: teamID, Tracked: bot.Tracked{Obligation: o, ID: s.id(seqObligation)}}
	s.obligations[teamID][o.Key] = t
	s.claimLocked(eff.Key, o.Key, at)
	s.log(teamID, actor, "obligation.add", o.Key, nil, audit.Obligation(t.Tracked), at)
	return t.Tracked, nil
}

// Assign implements bot.Store.
func (s *Store) Assign(ctx context.Context, teamID int64, actor, key, assignee string, at time.Time, eff bot.Effect) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.appliedLocked(eff.Key); ok {
		return nil
	}
	o, err := s.find(teamID, key)
	if err != nil {
		return err
	}
	s.claimLocked(eff.Key, "", at) // an assignment that changes nothing is applied too
	if o.Assignee == assignee {
		return nil
	}
	before := audit.Assignee(o.Assignee)
	o.Assignee = assignee
	s.log(teamID, actor, "assign", key, before, audit.Assignee(assignee), at)
	return nil
}

// Complete implements bot.Store.
func (s *Store) Complete(ctx context.Context, teamID int64, actor, key, note string, at time.Time, eff bot.Effect) error {
	if err := bot.NeedActor(actor); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.appliedLocked(eff.Key); ok {
		return nil
	}
	o, err := s.find(teamID, key)
	if err != nil {
		return err
	}
	if c := s.live(o.ID); c != nil {
		return fmt.Errorf("obligation %q done by %s: %w", key, c.By, bot.ErrAlreadyDone)
	}
	c := completion{team: teamID, obligationID: o.ID,
		Completion: bot.Completion{ID: s.id(seqCompletion), Key: key, By: actor, At: instant(at), Note: note}}
	s.completions = append(s.completions, c)
	s.claimLocked(eff.Key, "", at)
	s.log(teamID, actor, "complete", key, nil, audit.Completion(c.Completion), at)
	return nil
}

// Undo implements bot.Store.
func (s *Store) Undo(ctx context.Context, teamID int64, actor, key string, at time.Time, eff bot.Effect) error {
	if err := bot.NeedActor(actor); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.appliedLocked(eff.Key); ok {
		return nil
	}
	o, err := s.find(teamID, key)
	if err != nil {
		return err
	}
	c := s.live(o.ID)
	if c == nil {
		return fmt.Errorf("obligation %q: %w", key, bot.ErrNotDone)
	}
	if eff.OnlyOwn && c.By != actor {
		return bot.NotOwnCompletion(c.By)
	}
	before := audit.Completion(c.Completion)
	c.UndoneAt, c.UndoneBy = instant(at), actor
	s.claimLocked(eff.Key, "", at)
	s.log(teamID, actor, "undo", key, before, audit.Completion(c.Completion), at)
	return nil
}

// Completions implements bot.Store.
func (s *Store) Completions(ctx context.Context, teamID int64) ([]bot.Completion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.Completion
	for _, c := range s.completions {
		if c.team == teamID {
			out = append(out, c.Completion)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
