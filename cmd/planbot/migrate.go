package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/planbot/planbot/store/postgres"
)

// runMigrate applies the embedded migrations under tern's advisory lock: safe twice or concurrently.
func runMigrate(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprintln(c.stderr, "usage: planbot migrate   (uses DATABASE_URL)") }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("多余的参数 (unexpected argument) %q", fs.Arg(0))
	}
	url := c.cfg.DatabaseURL
	if url == "" {
		return errNoDatabase
	}
	if err := postgres.Migrate(ctx, url); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "数据库结构已是最新 (schema up to date)")
	return nil
}
