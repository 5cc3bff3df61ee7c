// Package postgres is the bot.Store on PostgreSQL (pgx v5 pool). The schema lives in embedded SQL
// migrations applied by jackc/tern under its advisory lock; queries are SQL constants run over a
// small DBTX interface, so the same code runs on the pool or inside a transaction.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"

	"github.com/planbot/planbot/bot"
)

//go:embed migrations/*.sql
var migrations embed.FS

// VersionTable is tern's version table, created in the first schema of the search_path.
const VersionTable = "planbot_schema_version"

// DBTX is what the queries need: a pool, a connection or a transaction.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Store is the PostgreSQL bot.Store.
type Store struct {
	// Now is the clock for audit entries of changes that carry no instant of their own (teams,
	// members). Open sets time.Now.
	Now bot.Clock

	pool  *pgxpool.Pool
	cache readCache // Obligations and Members, checked against team_versions (cache.go)
}

var _ bot.Store = (*Store)(nil)

// Open returns a store on a new connection pool. It does not wait for the server: with PostgreSQL
// down, Open succeeds and every call fails with an error wrapping bot.ErrUnavailable. Run Migrate
// first. Extra URL parameters such as search_path become run-time parameters of every connection.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	// One pool serves the chat commands and River (planbot serve shares it through Pool): River's
	// two queues' workers, its leader, notifier and maintenance each hold a connection, and
	// pgxpool's default (4 on two cores) would make commands and jobs queue for connections.
	// A pool_max_conns in the URL still wins.
	if !strings.Contains(url, "pool_max_conns") && cfg.MaxConns < DefaultMaxConns {
		cfg.MaxConns = DefaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, classify(fmt.Errorf("postgres: open: %w", err))
	}
	return &Store{Now: time.Now, pool: pool}, nil
}

// DefaultMaxConns is the pool size Open uses unless the URL sets pool_max_conns.
const DefaultMaxConns = 24

// Pool returns the underlying pool (River and the schedule share it).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool.
func (s *Store) Close() { s.pool.Close() }

// Ping implements bot.Store.
func (s *Store) Ping(ctx context.Context) error {
	return classify(s.pool.Ping(ctx))
}

// Migrate brings the schema at url up to date. It takes tern's advisory lock, so running it twice
// or from two processes at once is safe.
func Migrate(ctx context.Context, url string) error {
	pcfg, err := pgxpool.ParseConfig(url) // accepts (and drops) Open's pool_* parameters
	if err != nil {
		return fmt.Errorf("postgres: parse url: %w", err)
	}
	cfg := pcfg.ConnConfig
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return classify(fmt.Errorf("migrate: connect: %w", err))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	m, err := migrate.NewMigrator(ctx, conn, VersionTable)
	if err != nil {
		return classify(fmt.Errorf("migrate: %w", err))
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	if err := m.LoadMigrations(sub); err != nil {
		return fmt.Errorf("migrate: load: %w", err)
	}
	if err := m.Migrate(ctx); err != nil {
		return classify(fmt.Errorf("migrate: %w", err))
	}
	return nil
}

// tx runs fn in a transaction.
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return classify(pgx.BeginFunc(ctx, s.pool, fn))
}

// classify is the one place database errors become the store's sentinels: no rows is
// bot.ErrNotFound, a connection failure bot.ErrUnavailable, a violated constraint an invalid-input
// application error (check) or bot.ErrNotFound (foreign key). Already classified errors pass.
func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bot.ErrNotFound), errors.Is(err, bot.ErrAlreadyDone),
		errors.Is(err, bot.ErrNotDone), errors.Is(err, bot.ErrUnavailable):
		return err
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("%w: %w", bot.ErrNotFound, err)
	}
	var be *bot.Error
	if errors.As(err, &be) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23503": // foreign_key_violation
			return fmt.Errorf("%w: %w", bot.ErrNotFound, err)
		case pe.Code == "23505": // unique_violation
			return fmt.Errorf("%w: %w", bot.ErrAlreadyDone, err)
		case pe.Code == "23514", pe.Code == "23502", pe.Code == "22001", pe.Code == "22003", pe.Code == "22008":
			return &bot.Error{Code: bot.EINVALID, Message: "数据不符合要求，未保存。", Err: err}
		case len(pe.Code) == 5 && (pe.Code[:2] == "08" || pe.Code[:2] == "53" || pe.Code[:3] == "57P"):
			return fmt.Errorf("%w: %w", bot.ErrUnavailable, err)
		}
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("%w: %w", bot.ErrUnavailable, err)
	}
	return err
}
