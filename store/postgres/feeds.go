package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/planbot/planbot/bot"
)

const sqlFeedToken = `with ins as (
	insert into feed_tokens (user_id, token) values ($1, $2) on conflict (user_id) do nothing returning token
)
select token from ins union all select token from feed_tokens where user_id = $1 limit 1`

// FeedToken returns userID's calendar-feed token, keeping fresh as it on first use.
func (s *Store) FeedToken(ctx context.Context, userID, fresh string) (string, error) {
	var tok string
	if err := s.pool.QueryRow(ctx, sqlFeedToken, userID, fresh).Scan(&tok); err != nil {
		return "", classify(fmt.Errorf("feed token: %w", err))
	}
	return tok, nil
}

const sqlResetFeed = `insert into feed_tokens (user_id, token) values ($1, $2)
	on conflict (user_id) do update set token = excluded.token, created_at = now()`

// ResetFeedToken replaces userID's token: the old one stops working.
func (s *Store) ResetFeedToken(ctx context.Context, userID, fresh string) error {
	if _, err := s.pool.Exec(ctx, sqlResetFeed, userID, fresh); err != nil {
		return classify(fmt.Errorf("reset feed token: %w", err))
	}
	return nil
}

// FeedUser returns the userid whose token is token.
func (s *Store) FeedUser(ctx context.Context, token string) (string, error) {
	var u string
	err := s.pool.QueryRow(ctx, `select user_id from feed_tokens where token = $1`, token).Scan(&u)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("feed token: %w", bot.ErrNotFound)
	}
	if err != nil {
		return "", classify(fmt.Errorf("feed user: %w", err))
	}
	return u, nil
}
