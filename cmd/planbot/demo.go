package main

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/plan"
	"github.com/planbot/planbot/bot/render"
	"github.com/planbot/planbot/bot/workday"
	"github.com/planbot/planbot/handlers"
	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/redisstate"
)

// cmdDemo runs `planbot demo`.
func cmdDemo(ctx context.Context, _ Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runDemo(ctx, args, stdin, stdout, stderr, time.Now)
}

// demoTeamName is the display name of the demo office.
const demoTeamName = "学生资助管理中心（演示）"

// demoMembers is the demo team: one supervisor and two staff.
var demoMembers = []bot.Member{
	{UserID: "wangzr", Name: "王主任", Role: bot.RoleSupervisor, Active: true},
	{UserID: "lisi", Name: "李老师", Role: bot.RoleStaff, Active: true},
	{UserID: "zhangsan", Name: "张老师", Role: bot.RoleStaff, Active: true},
}

// runDemo sets up the memory store, an in-process Redis, the sample plan rebased to this year
// and the demo team, prints today's digest and chats on stdin until /quit or end of input.
func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, now bot.Clock) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	date := fs.String("date", "", "pretend today is this day (YYYY-MM-DD)")
	user := fs.String("user", "lisi", "chat as this member (userid or name): wangzr/王主任, lisi/李老师, zhangsan/张老师")
	webAddr := fs.String("web", "127.0.0.1:8090", "also serve the pages (/app/) on this address, on the same store; off: none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	clock, err := newChatClock(*date, now)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	st := memory.New()
	st.Now = clock.Now
	client, stopRedis, err := redisstate.Embedded()
	if err != nil {
		return err
	}
	defer stopRedis()
	state := redisstate.New(client, redisstate.Options{Prefix: "planbot-demo:", RatePerMinute: -1})
	cal := workday.New()
	today := bot.DateOf(clock.Now().In(bot.Shanghai))
	team, p, items, err := seedDemo(ctx, st, today, clock.Now(), cal)
	if err != nil {
		return err
	}
	printDemoStart(ctx, stdout, state, team, p, items, today, cal)

	r := bot.NewRouter(state, st, log)
	handlers.Register(r, handlers.Deps{Store: st, State: state, Calendar: cal, Log: log,
		// What serve would send the member, shown in the terminal.
		Notify: func(_ context.Context, n handlers.Notice) error {
			fmt.Fprintf(stdout, "〔发给%s的消息〕%s\n", demoName(n.To), n.Text)
			return nil
		}})
	if *webAddr != "off" {
		stop, err := demoWeb(ctx, *webAddr, st, team, cal, r, clock.Now, log, stdout)
		if err != nil {
			return err
		}
		defer stop()
	}
	c := &conversation{router: r, store: st, team: team, clock: clock, out: stdout, prompt: true}
	if err := c.switchUser(ctx, *user); err != nil {
		return err
	}
	return c.run(ctx, stdin)
}

// seedDemo fills st with the demo office on today (the clock reads at): the team and its
// members, the sample plan dated in today's year and the year's progress so far. It returns the
// team, the plan and the obligations as they stand.
func seedDemo(ctx context.Context, st *memory.Store, today bot.Date, at time.Time, cal bot.Calendar) (bot.Team, bot.Plan, []bot.Tracked, error) {
	team, err := st.EnsureTeam(ctx, bot.DefaultTeam)
	if err != nil {
		return bot.Team{}, bot.Plan{}, nil, err
	}
	for _, m := range demoMembers {
		m.TeamID = team.ID
		if err := st.PutMember(ctx, "demo", m); err != nil {
			return bot.Team{}, bot.Plan{}, nil, err
		}
	}
	name, data := plan.Sample()
	p, err := plan.Parse(name, data, plan.Options{Year: today.Year})
	if err != nil {
		return bot.Team{}, bot.Plan{}, nil, fmt.Errorf("sample plan: %w", err)
	}
	sum := sha256.Sum256(data)
	if _, err := st.ImportPlan(ctx, team.ID, p, bot.ImportOptions{
		Source: name, Hash: hex.EncodeToString(sum[:]), Actor: "demo",
		Today: bot.NewDate(today.Year, time.January, 1), TrackPast: true, At: at,
	}); err != nil {
		return bot.Team{}, bot.Plan{}, nil, fmt.Errorf("import sample plan: %w", err)
	}
	// An office in the middle of its year: most past items done by the staff, a handful not.
	if err := sampleProgress(ctx, st, team, []string{"lisi", "zhangsan"}, "wangzr", today, cal); err != nil {
		return bot.Team{}, bot.Plan{}, nil, fmt.Errorf("demo progress: %w", err)
	}
	items, err := st.Obligations(ctx, team.ID, false)
	if err != nil {
		return bot.Team{}, bot.Plan{}, nil, err
	}
	return team, p, items, nil
}

// printDemoStart says what the demo is (nothing is kept) and prints the morning's digest as the
// group would get it, numbered as 完成 N means in the chat; on a day off, the next workday's too.
func printDemoStart(ctx context.Context, out io.Writer, state bot.State, team bot.Team, p bot.Plan, items []bot.Tracked, today bot.Date, cal bot.Calendar) {
	done := 0
	for _, t := range items {
		if t.DoneBy != "" {
			done++
		}
	}
	fmt.Fprintln(out, "planbot 演示：内存存储 + 进程内 Redis，什么都不会保存，退出后一切消失。")
	fmt.Fprintf(out, "示例计划：%s（按%d年计，%d项）；团队：王主任（主管）、李老师、张老师；到今天已完成%d项。\n",
		p.Title, today.Year, len(p.Obligations), done)
	fmt.Fprintln(out, "输入“今天”“完成 1”“帮助”试试；/as 姓名 切换用户，/date YYYY-MM-DD 改日期，/quit 退出。")
	fmt.Fprintln(out)

	names := map[string]string{}
	for _, m := range demoMembers {
		names[m.UserID] = m.Name
	}
	ag := bot.DayAgenda(today, items, cal, bot.Shanghai)
	var fresh []string
	for _, it := range ag.Numbered() {
		fresh = append(fresh, it.Key)
	}
	// The numbers of this digest are the day's: what 完成 N means in the chat below.
	nums := map[string]int{}
	for i, k := range handlers.DayNumbering(ctx, state, team.Name, today, fresh) {
		nums[k] = i + 1
	}
	fmt.Fprintln(out, "早上推送到群里的工作清单：")
	fmt.Fprintln(out, render.DigestText(demoTeamName, ag, render.Options{Names: names, Numbers: nums})+"\n")
	if !ag.Workday { // a weekend or holiday: show what the next workday's group message will say
		next := cal.AddWorkdays(today, 1)
		fmt.Fprintf(out, "下一个工作日（%s）的推送将是：\n\n", next.Short())
		fmt.Fprintln(out, render.DigestPlainNames(demoTeamName, bot.DayAgenda(next, items, cal, bot.Shanghai), names))
	}
}

// chatClock is the injected clock of a terminal conversation: the real time, or a chosen day
// (at 09:00 Shanghai time, one second later for every message so events keep their order).
type chatClock struct {
	mu    sync.Mutex // the demo's pages read it while the terminal chats
	real  bot.Clock
	day   bot.Date
	ticks int
}

func newChatClock(date string, now bot.Clock) (*chatClock, error) {
	c := &chatClock{real: now}
	if date != "" {
		if err := c.set(date); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *chatClock) set(date string) error {
	d, err := bot.ParseDate(strings.TrimSpace(date))
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.day, c.ticks = d, 0
	return nil
}

// Now returns the clock's reading.
func (c *chatClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.day.IsZero() {
		return c.real()
	}
	return c.day.Time(bot.Shanghai).Add(9*time.Hour + time.Duration(c.ticks)*time.Second)
}

func (c *chatClock) tick() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ticks++
}

// conversation reads lines and prints the router's replies. Lines starting with / are console
// commands: /as NAME, /date YYYY-MM-DD, /quit (and /help).
type conversation struct {
	router *bot.Router
	store  bot.Store
	team   bot.Team
	clock  *chatClock
	out    io.Writer
	user   bot.Member
	prompt bool // print "李老师> " before reading (the demo); chat prints replies only
}

// switchUser finds who by userid or name among the team's members.
func (c *conversation) switchUser(ctx context.Context, who string) error {
	who = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(who), "@"))
	ms, err := c.store.Members(ctx, c.team.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if strings.EqualFold(m.UserID, who) || m.Name == who {
			c.user = m
			return nil
		}
	}
	var known []string
	for _, m := range ms {
		known = append(known, fmt.Sprintf("%s(%s)", m.Name, m.UserID))
	}
	return fmt.Errorf("no member %q; members: %s", who, strings.Join(known, ", "))
}

func (c *conversation) run(ctx context.Context, in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for {
		if c.prompt {
			fmt.Fprintf(c.out, "%s> ", cmp.Or(c.user.Name, c.user.UserID))
		}
		if !sc.Scan() {
			if c.prompt {
				fmt.Fprintln(c.out)
			}
			return sc.Err()
		}
		if err := ctx.Err(); err != nil {
			return nil
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "/") {
			quit, err := c.console(ctx, line)
			if err != nil {
				fmt.Fprintln(c.out, "!", err)
			}
			if quit {
				return nil
			}
			continue
		}
		rep, _ := c.router.Handle(ctx, &bot.Request{Team: c.team, UserID: c.user.UserID, Text: line, Now: c.clock.Now()})
		c.clock.tick()
		if text := rep.Text(); text != "" {
			fmt.Fprintln(c.out, strings.Join(rep.PlainParts(), "\n"))
			fmt.Fprintln(c.out)
		}
	}
}

// console runs a /command; quit is true for /quit.
func (c *conversation) console(ctx context.Context, line string) (quit bool, err error) {
	cmd, arg, _ := strings.Cut(line, " ")
	switch strings.ToLower(cmd) {
	case "/quit", "/exit", "/q":
		return true, nil
	case "/as", "/user":
		if err := c.switchUser(ctx, arg); err != nil {
			return false, err
		}
		fmt.Fprintf(c.out, "现在的身份：%s（%s，%s）\n", c.user.Name, c.user.UserID, c.user.Role.Label())
	case "/date":
		if err := c.clock.set(arg); err != nil {
			return false, err
		}
		d := bot.DateOf(c.clock.Now().In(bot.Shanghai))
		fmt.Fprintf(c.out, "日期改为 %s（%s）\n", d, d.Short())
	case "/help":
		fmt.Fprintln(c.out, "/as 姓名或userid 切换用户；/date YYYY-MM-DD 改日期；/quit 退出。其他内容发给机器人。")
	default:
		return false, fmt.Errorf("unknown console command %s (try /help)", cmd)
	}
	return false, nil
}

// demoName is a demo member's name (the userid when unknown).
func demoName(userID string) string {
	for _, m := range demoMembers {
		if m.UserID == userID {
			return m.Name
		}
	}
	return userID
}
