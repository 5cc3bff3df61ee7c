package memory

import (
	"context"
	"fmt"

	"github.com/planbot/planbot/bot"
)

// FeedToken returns userID's calendar-feed token, keeping fresh as it on first use.
func (s *Store) FeedToken(_ context.Context, userID, fresh string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.feeds == nil {
		s.feeds = map[string]string{}
	}
	if t, ok := s.feeds[userID]; ok {
		return t, nil
	}
	s.feeds[userID] = fresh
	return fresh, nil
}

// ResetFeedToken replaces userID's token: the old one stops working.
func (s *Store) ResetFeedToken(_ context.Context, userID, fresh string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.feeds == nil {
		s.feeds = map[string]string{}
	}
	s.feeds[userID] = fresh
	return nil
}

// FeedUser returns the userid whose token is token.
func (s *Store) FeedUser(_ context.Context, token string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for u, t := range s.feeds {
		if t == token && token != "" {
			return u, nil
		}
	}
	return "", fmt.Errorf("feed token: %w", bot.ErrNotFound)
}
