package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/postgres"
)

// memoryNotice is the one log line saying that nothing is kept.
const memoryNotice = "未设置 DATABASE_URL：使用内存存储，退出后数据不会保留 (DATABASE_URL unset: in-memory store, nothing is kept after exit)"

// openStore opens PostgreSQL when DATABASE_URL is set, migrating the schema first, and otherwise
// the in-memory store with one log line that nothing is kept. The returned func closes the store.
func openStore(ctx context.Context, url string, log *slog.Logger) (bot.Store, func(), error) {
	if url == "" {
		log.Warn(memoryNotice)
		return memory.New(), func() {}, nil
	}
	if err := postgres.Migrate(ctx, url); err != nil {
		return nil, nil, fmt.Errorf("数据库迁移失败 (migrate): %w", err)
	}
	st, err := postgres.Open(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	return st, st.Close, nil
}

// cli is what a store-backed subcommand works with. The store is opened on first use, after the
// command has parsed its flags, so `-h` never touches a database.
type cli struct {
	stdout, stderr io.Writer
	now            bot.Clock
	cfg            Config

	st      bot.Store
	closers []func()
}

// store returns the store, opening it from the environment on first use.
func (c *cli) store(ctx context.Context) (bot.Store, error) {
	if c.st != nil {
		return c.st, nil
	}
	st, closeFn, err := openStore(ctx, c.cfg.DatabaseURL, cliLogger(c.stderr))
	if err != nil {
		return nil, err
	}
	c.st = st
	c.closers = append(c.closers, closeFn)
	return st, nil
}

// team returns the named team (default when empty), creating it on first use.
func (c *cli) team(ctx context.Context, name string) (bot.Store, bot.Team, error) {
	st, err := c.store(ctx)
	if err != nil {
		return nil, bot.Team{}, err
	}
	if name == "" {
		name = bot.DefaultTeam
	}
	t, err := st.EnsureTeam(ctx, name)
	return st, t, err
}

func (c *cli) close() {
	for _, f := range c.closers {
		f()
	}
	c.closers = nil
}

// storeCmd is the body of a subcommand that works on the store.
type storeCmd func(ctx context.Context, c *cli, args []string) error

// storeCommand wires a store-backed subcommand to the process environment and clock.
func storeCommand(fn storeCmd) runFunc {
	return func(ctx context.Context, cfg Config, args []string, _ io.Reader, stdout, stderr io.Writer) error {
		c := &cli{stdout: stdout, stderr: stderr, now: time.Now, cfg: cfg}
		defer c.close()
		return fn(ctx, c, args)
	}
}

// cliLogger logs warnings for a terminal command, without timestamps.
func cliLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			return a
		}}))
}

// parseSubcommand parses the flags of `planbot KIND ACTION` and checks that wantArgs
// arguments are left; help is true when -h was asked (nothing else to do).
func parseSubcommand(fs *flag.FlagSet, args []string, kind, action string, wantArgs int) (help bool, err error) {
	if err := fs.Parse(flagsFirst(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, err
	}
	if fs.NArg() != wantArgs {
		fs.Usage()
		return false, fmt.Errorf("%s %s: 需要 %d 个参数 (want %d argument(s))", kind, action, wantArgs, wantArgs)
	}
	return false, nil
}
