package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/redis/go-redis/v9"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/silenceper/wechat/v2/cache"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/handlers"
	"github.com/planbot/planbot/store/postgres"
	"github.com/planbot/planbot/store/redisstate"
)

// cmdJobs runs `planbot jobs`.
func cmdJobs(ctx context.Context, cfg Config, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	return runJobs(ctx, cfg, args, stdout, stderr)
}

// runJobs lists failed (discarded, cancelled) and pending jobs, or retries one: `planbot jobs`,
// `planbot jobs retry ID`. It needs DATABASE_URL.
func runJobs(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("jobs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: planbot jobs            列出失败和待发送的任务\n       planbot jobs retry ID   立即重试一个任务\n(needs DATABASE_URL)")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	url := cfg.DatabaseURL
	if url == "" {
		return errors.New("DATABASE_URL 未设置：后台任务保存在 PostgreSQL 中 (DATABASE_URL is required)")
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	defer pool.Close()
	if err := schedule.Migrate(ctx, pool); err != nil {
		return err
	}
	switch {
	case len(rest) == 0 || rest[0] == "list" || rest[0] == "列表":
		jobs, err := schedule.ListJobs(ctx, pool)
		if err != nil {
			return err
		}
		if len(jobs) == 0 {
			fmt.Fprintln(stdout, "没有失败或待发送的任务。")
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\t状态\t类型\t内容\t次数\t时间\t最后错误")
		for _, j := range jobs {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d/%d\t%s\t%s\n", j.ID, stateLabel(j.State), j.Kind, j.Summary,
				j.Attempt, j.MaxAttempts, j.At.In(bot.Shanghai).Format("2006-01-02 15:04"), oneLine(j.LastError, 80))
		}
		return tw.Flush()
	case rest[0] == "retry" || rest[0] == "重试":
		if len(rest) != 2 {
			fs.Usage()
			return errors.New("用法：planbot jobs retry ID")
		}
		id, err := strconv.ParseInt(rest[1], 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("任务 ID 应为正整数：%q", rest[1])
		}
		j, err := schedule.RetryJob(ctx, pool, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已重新排队：%d %s %s（%s）\n", j.ID, j.Kind, j.Summary, stateLabel(j.State))
		return nil
	}
	fs.Usage()
	return fmt.Errorf("未知的子命令 %q", rest[0])
}

func stateLabel(s string) string {
	labels := map[string]string{
		"discarded": "失败", "cancelled": "已取消", "retryable": "待重试", "running": "发送中",
		"available": "待发送", "scheduled": "已排期", "pending": "挂起", "completed": "已完成",
	}
	if l, ok := labels[s]; ok {
		return l + "(" + s + ")"
	}
	return s
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

// wecomRetryable is schedule.Deps.Retryable for bot/wecom: rate limits and busy answers snooze.
func wecomRetryable(err error) bool {
	var e *wecom.APIError
	return errors.As(err, &e) && schedule.RateLimited(e.Code)
}

// runDigestSend wires schedule.SendDigestNowResult from the environment: PostgreSQL (store and River),
// the WeCom client, Redis (shared token and pacing) when REDIS_URL is set.
func runDigestSend(ctx context.Context, cfg Config, teamName string, day bot.Date, holidays string, stdout, stderr io.Writer) error {
	if cfg.DatabaseURL == "" {
		return errors.New("digest --send 需要 DATABASE_URL：发送任务保存在 PostgreSQL 中，才能保证只发一次")
	}
	if err := cfg.WeCom.Validate(); err != nil {
		return err
	}
	log := cliLogger(stderr)
	if err := postgres.Migrate(ctx, cfg.DatabaseURL); err != nil {
		return fmt.Errorf("数据库迁移失败 (migrate): %w", err)
	}
	st, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	defer st.Close()
	if teamName == "" {
		teamName = bot.DefaultTeam
	}
	team, err := st.EnsureTeam(ctx, teamName)
	if err != nil {
		return err
	}
	cal, err := digestCalendar(holidays, log)
	if err != nil {
		return err
	}
	var (
		tokens  cache.Cache
		pacer   schedule.Pacer
		numbers func(context.Context, bot.Team, bot.Date, []string) []string
	)
	if cfg.RedisURL != "" {
		state, rc, err := redisstate.Open(cfg.RedisURL, redisstate.Options{Prefix: cfg.RedisPrefix})
		if err != nil {
			return fmt.Errorf("REDIS_URL: %w", err)
		}
		defer rc.Close()
		tokens, pacer = tokenCache(rc, state), state
		// The digest's numbers are the day's that serve's chat uses (same Redis and prefix).
		numbers = func(ctx context.Context, t bot.Team, d bot.Date, fresh []string) []string {
			key := t.Name
			if key == "" {
				key = bot.DefaultTeam
			}
			return handlers.DayNumbering(ctx, state, key, d, fresh)
		}
	}
	wc, err := wecom.NewClient(cfg.WeCom, tokens, nil, wecom.WithDuplicateCheck(30*time.Minute), wecom.WithClientLogger(log))
	if err != nil {
		return err
	}
	deps, err := scheduleDeps(ctx, cfg, st, cal, wc, pacer, log)
	if err != nil {
		return err
	}
	deps.DayNumbering = numbers
	deps.Robot = cfg.RobotOn
	// A second `digest --send` after this one was killed resumes its unfinished deliveries at
	// once (one --send per host and team at a time).
	if host, err := os.Hostname(); err == nil {
		deps.ID = "digest-send/" + host + "/" + team.Name
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	res, err := schedule.SendDigestNowResult(ctx, deps, team, day)
	if err != nil {
		return fmt.Errorf("%s %s：%w（planbot jobs 查看失败的任务）", team.Name, day, err)
	}
	fmt.Fprintf(stdout, "%s %s：%s\n", team.Name, day, res)
	return nil
}

// scheduleDeps returns the scheduler's dependencies over the WeCom client wc, with River on the
// store's own pool (migrating River's schema). planbot serve:
//
//	deps, err := scheduleDeps(ctx, cfg, st, cal, wc, redisState, log)
//	deps.Periodic = true
//	s, err := schedule.New(ctx, deps) // then s.Start(ctx); s.Stop(ctx) on shutdown, before st.Close
func scheduleDeps(ctx context.Context, cfg Config, st *postgres.Store, cal bot.Calendar, wc *wecom.Client, pacer schedule.Pacer, log *slog.Logger) (schedule.Deps, error) {
	if cfg.DatabaseURL == "" || st == nil {
		return schedule.Deps{}, errors.New("DATABASE_URL 未设置：定时发送需要 PostgreSQL (DATABASE_URL is required)")
	}
	pool := st.Pool()
	if err := schedule.Migrate(ctx, pool); err != nil {
		return schedule.Deps{}, err
	}
	var group string
	if key := cfg.WeCom.WebhookKey; key != "" {
		group = "webhook:" + key
	}
	return schedule.Deps{
		Pool: pool, Store: st, Calendar: cal, Sender: wecomSender{wecom.ScheduleSender{C: wc, DefaultGroup: group, Pages: cfg.PublicURL}},
		Pacer: pacer, Retryable: wecomRetryable, Log: log, DigestCron: cfg.DigestCron,
		CatchUpUntil: cfg.CatchUpUntil,
	}, nil
}

// tokenCache is the WeCom access-token cache shared by every replica and command, under the
// same Redis prefix as the rest of the state, so `serve` and `digest --send` fetch one token.
func tokenCache(rc redis.UniversalClient, st *redisstate.State) cache.Cache {
	return redisstate.NewTokenCache(rc, st.Options().Prefix+"token:")
}
