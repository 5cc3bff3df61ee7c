package memory

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/audit"
)

// AddFigure implements bot.Store.
func (s *Store) AddFigure(ctx context.Context, f bot.Figure, eff bot.Effect) (bot.Figure, error) {
	if err := bot.ValidFigure(f); err != nil {
		return bot.Figure{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ref, ok := s.appliedLocked(eff.Key); ok {
		for _, old := range s.figures {
			if strconv.FormatInt(old.ID, 10) == ref {
				return old, nil
			}
		}
		return bot.Figure{}, fmt.Errorf("figure %s: %w", ref, bot.ErrNotFound)
	}
	if err := s.teamErr(f.TeamID); err != nil {
		return bot.Figure{}, err
	}
	f.ID = s.id(seqFigure)
	f.At = instant(f.At)
	f.VoidedBy, f.VoidedAt = "", time.Time{}
	s.figures = append(s.figures, f)
	s.claimLocked(eff.Key, strconv.FormatInt(f.ID, 10), f.At)
	s.log(f.TeamID, f.By, "figure.add", fmt.Sprint(f.ID), nil, f, f.At)
	return f, nil
}

// VoidFigure implements bot.Store.
func (s *Store) VoidFigure(ctx context.Context, teamID, id int64, actor string, at time.Time, eff bot.Effect) error {
	if err := bot.NeedActor(actor); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.appliedLocked(eff.Key); ok {
		return nil
	}
	for i := range s.figures {
		f := &s.figures[i]
		if f.ID != id || f.TeamID != teamID {
			continue
		}
		if f.Void() {
			return fmt.Errorf("figure %d voided by %s: %w", id, f.VoidedBy, bot.ErrAlreadyDone)
		}
		f.VoidedBy, f.VoidedAt = actor, instant(at)
		s.claimLocked(eff.Key, "", at)
		before, after := audit.FigureVoid(actor, f.VoidedAt)
		s.log(teamID, actor, "figure.void", fmt.Sprint(id), before, after, at)
		return nil
	}
	return fmt.Errorf("figure %d: %w", id, bot.ErrNotFound)
}

// Figures implements bot.Store.
func (s *Store) Figures(ctx context.Context, teamID int64, ff bot.FigureFilter) ([]bot.Figure, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.Figure
	for _, f := range s.figures {
		if f.TeamID != teamID || !Match(ff, f) {
			continue
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Match reports whether f passes the filter ff (zero fields match everything).
func Match(ff bot.FigureFilter, f bot.Figure) bool {
	switch {
	case ff.Programme != "" && f.Programme != ff.Programme,
		ff.Term != "" && f.Term != ff.Term,
		ff.Year != 0 && f.Year != ff.Year,
		ff.Month != 0 && f.Month != ff.Month,
		!ff.IncludeVoid && f.Void():
		return false
	}
	return true
}
