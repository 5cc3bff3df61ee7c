package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/handlers"
	"github.com/planbot/planbot/store/redisstate"
)

// cmdChat runs `planbot chat`.
func cmdChat(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runChat(ctx, cfg, args, stdin, stdout, stderr, time.Now)
}

// runChat is `planbot chat --user USERID [--date YYYY-MM-DD] [--team T]`: each line of stdin is
// one message from the user, each reply is printed followed by a blank line, and the command
// exits at the end of input. The store is PostgreSQL when DATABASE_URL is set (else memory),
// conversation state is Redis at REDIS_URL (else in-process). Lines starting with / are console
// commands as in the demo (/as, /date, /quit).
func runChat(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer, now bot.Clock) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.String("user", "", "WeCom userid (or name) of the member to chat as (required)")
	date := fs.String("date", "", "pretend today is this day (YYYY-MM-DD)")
	teamName := fs.String("team", bot.DefaultTeam, "team name")
	holidays := fs.String("holidays", cfg.Holidays, "file of extra holidays and make-up workdays")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *user == "" {
		fs.Usage()
		return fmt.Errorf("--user is required")
	}
	clock, err := newChatClock(*date, now)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	st, closeStore, err := openStore(ctx, cfg.DatabaseURL, log)
	if err != nil {
		return err
	}
	defer closeStore()

	opts := redisstate.Options{Prefix: cfg.RedisPrefix, RatePerMinute: -1} // a console is not rate limited
	var state bot.State
	if url := cfg.RedisURL; url != "" {
		s, client, err := redisstate.Open(url, opts)
		if err != nil {
			return err
		}
		defer client.Close()
		state = s
	} else {
		client, stop, err := redisstate.Embedded()
		if err != nil {
			return err
		}
		defer stop()
		state = redisstate.New(client, opts)
	}

	cal := workday.New()
	if *holidays != "" {
		if cal, err = workday.LoadFile(*holidays); err != nil {
			return err
		}
	}
	return chatWith(ctx, chatSetup{store: st, state: state, cal: cal, team: *teamName, user: *user, clock: clock, log: log}, stdin, stdout, stderr)
}

// chatSetup is what a chat needs once the store and state are open.
type chatSetup struct {
	store bot.Store
	state bot.State
	cal   bot.Calendar
	team  string
	user  string
	clock *chatClock
	log   *slog.Logger
}

// chatWith runs the conversation of `planbot chat` on an open store and state.
func chatWith(ctx context.Context, s chatSetup, stdin io.Reader, stdout, stderr io.Writer) error {
	team, err := s.store.EnsureTeam(ctx, s.team)
	if err != nil {
		return err
	}
	r := bot.NewRouter(s.state, s.store, s.log)
	handlers.Register(r, handlers.Deps{Store: s.store, State: s.state, Calendar: s.cal, Log: s.log})
	c := &conversation{router: r, store: s.store, team: team, clock: s.clock, out: stdout}
	if err := c.switchUser(ctx, s.user); err != nil {
		// Not a member: talk anyway as that userid, so the refusal can be seen and scripted.
		fmt.Fprintf(stderr, "planbot chat: %s is not a member of team %q: %v\n", s.user, team.Name, trimErr(err))
		c.user = bot.Member{UserID: s.user}
	}
	return c.run(ctx, stdin)
}

func trimErr(err error) string {
	s := err.Error()
	if i := strings.Index(s, "; members:"); i >= 0 {
		return s[:i]
	}
	return s
}
