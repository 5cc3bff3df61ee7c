package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/planbot/planbot/bot"
)

const (
	sqlClaim    = `insert into inbound_messages (id, seen_at) values ($1, $2) on conflict (id) do nothing`
	sqlClaimed  = `select ref from inbound_messages where id = $1`
	sqlClaimRef = `update inbound_messages set ref = $2 where id = $1`
)

// applied ends the transaction of an effect that an earlier delivery of the same inbound
// message already committed: nothing is written again. ref is what that effect made.
type applied struct{ ref string }

func (a *applied) Error() string {
	return "postgres: effect applied by an earlier delivery of the message"
}

// claim records the effect key (bot.Effect.Key; "" records nothing) in tx, before the effect,
// so that both commit or neither. A key recorded before makes it return *applied. A concurrent
// delivery's insert waits on the unique key until this transaction ends, then finds the row.
func claim(ctx context.Context, tx pgx.Tx, key string, at time.Time) error {
	if key == "" {
		return nil
	}
	tag, err := tx.Exec(ctx, sqlClaim, key, instant(at))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	a := &applied{}
	if err := tx.QueryRow(ctx, sqlClaimed, key).Scan(&a.ref); err != nil {
		return err
	}
	return a
}

// claimRef stores what the claimed effect made (a figure's id), for a retry to answer with.
func claimRef(ctx context.Context, tx pgx.Tx, key, ref string) error {
	if key == "" {
		return nil
	}
	_, err := tx.Exec(ctx, sqlClaimRef, key, ref)
	return err
}

// appliedBefore reports whether err says the effect was applied by an earlier delivery.
func appliedBefore(err error) (*applied, bool) {
	var a *applied
	ok := errors.As(err, &a)
	return a, ok
}

// reading marks a failed read as one (bot.ErrReading), so that a command that only reads says
// 暂时无法读取 rather than 暂时无法保存 while PostgreSQL is down.
func reading(err *error) {
	if *err != nil && errors.Is(*err, bot.ErrUnavailable) && !errors.Is(*err, bot.ErrReading) {
		*err = fmt.Errorf("%w: %w", bot.ErrReading, *err)
	}
}
