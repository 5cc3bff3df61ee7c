package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
)

const teamUsage = `usage:
  planbot team add NAME [--parent PARENT] [--group webhook:KEY|appchat:ID] [--cron EXPR] [--zone TZ]
  planbot team set NAME [--parent PARENT|--parent ""] [--group …] [--cron EXPR] [--zone TZ]
  planbot team list
  planbot team remove NAME          (kept for history: no messages, no schedule)
  planbot team import FILE          (.csv or .xlsx with header name,parent,group,cron[,zone]: every row or none)`

// runTeam manages the units (teams) and their tree.
func runTeam(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(c.stderr, teamUsage)
		if len(args) == 0 {
			return errors.New("需要子命令 add、set、list、remove 或 import (subcommand required)")
		}
		return nil
	}
	action, args := args[0], args[1:]
	fs := flag.NewFlagSet("team "+action, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprintln(c.stderr, teamUsage); fs.PrintDefaults() }
	wantArgs := 1
	var f teamFlags
	switch action {
	case "add", "set":
		f.define(fs)
	case "remove", "rm":
	case "list", "ls":
		wantArgs = 0
	case "import":
	default:
		fmt.Fprintln(c.stderr, teamUsage)
		return fmt.Errorf("未知的子命令 (unknown subcommand) %q", action)
	}
	if help, err := parseSubcommand(fs, args, "team", action, wantArgs); help || err != nil {
		return err
	}
	f.given = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.given[fl.Name] = true })
	st, err := c.store(ctx)
	if err != nil {
		return err
	}
	if action == "import" {
		return importTeams(ctx, c, st, fs.Arg(0))
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return err
	}
	tree := bot.NewTree(teams)
	name := fs.Arg(0)
	u, exists := tree.ByName(name)
	switch action {
	case "list", "ls":
		return listTeams(ctx, c, st, tree)
	case "add":
		if exists {
			return fmt.Errorf("单位“%s”已存在；修改请用 planbot team set %s … (unit exists)", name, name)
		}
		return saveTeam(ctx, c, st, tree, bot.Team{Name: name}, f, true)
	}
	if !exists {
		return fmt.Errorf("没有单位“%s”；planbot team list 列出全部单位 (no such unit)", name)
	}
	if action == "set" {
		return saveTeam(ctx, c, st, tree, u, f, false)
	}
	return removeTeam(ctx, c, st, u)
}

// teamFlags are the settings of team add and team set; given names those on the command line
// (a setting not given stays as it is).
type teamFlags struct {
	parent, group, cron, zone *string
	given                     map[string]bool
}

// define adds the settings' flags to fs.
func (f *teamFlags) define(fs *flag.FlagSet) {
	f.parent = fs.String("parent", "", "the unit above (empty: a root unit)")
	f.group = fs.String("group", "", "group digest target: webhook:KEY or appchat:CHATID")
	f.cron = fs.String("cron", "", "digest schedule, a cron expression in the unit's zone (default 30 8 * * *)")
	f.zone = fs.String("zone", "", "IANA time zone (default Asia/Shanghai)")
}

// apply returns u with the given settings, the parent named as in tree, checked.
func (f teamFlags) apply(u bot.Team, tree *bot.Tree) (bot.Team, error) {
	if f.given["parent"] {
		u.ParentID = 0
		if *f.parent != "" {
			p, ok := tree.ByName(*f.parent)
			if !ok {
				return u, fmt.Errorf("没有上级单位“%s”；先 planbot team add %s (no such parent)", *f.parent, *f.parent)
			}
			u.ParentID = p.ID
		}
	}
	if f.given["group"] {
		u.GroupTarget = groupTarget(*f.group)
	}
	if f.given["cron"] {
		u.DigestCron = digestCron(*f.cron)
	}
	if f.given["zone"] {
		u.TimeZone = *f.zone
	}
	return u, checkTeamSettings(u)
}

// saveTeam adds u (add) or updates it with the settings of f; set on a removed unit restores it.
func saveTeam(ctx context.Context, c *cli, st bot.Store, tree *bot.Tree, u bot.Team, f teamFlags, add bool) error {
	u, err := f.apply(u, tree)
	if err != nil {
		return err
	}
	if add {
		nu, err := st.AddTeam(ctx, "cli", u)
		if err != nil {
			return cliErr(err)
		}
		fmt.Fprintf(c.stdout, "已添加单位 %s%s\n", nu.Name, parentNote(tree, nu.ParentID))
		return nil
	}
	u.Removed = false
	if err := st.UpdateTeam(ctx, u); err != nil {
		return cliErr(err)
	}
	fmt.Fprintf(c.stdout, "已更新单位 %s%s\n", u.Name, parentNote(tree, u.ParentID))
	return nil
}

// removeTeam marks u removed: kept for history, no messages, no schedule.
func removeTeam(ctx context.Context, c *cli, st bot.Store, u bot.Team) error {
	if u.Removed {
		fmt.Fprintf(c.stdout, "%s 已是移除状态\n", u.Name)
		return nil
	}
	u.Removed = true
	if err := st.UpdateTeam(ctx, u); err != nil {
		return cliErr(err)
	}
	fmt.Fprintf(c.stdout, "已移除 %s（记录保留，不再发送消息）\n", u.Name)
	return nil
}

func parentNote(tree *bot.Tree, parent int64) string {
	if p, ok := tree.Unit(parent); ok {
		return "（上级：" + p.Name + "）"
	}
	return "（顶级单位）"
}

// groupTarget reads a group target as offices copy it: webhook:KEY, appchat:ID, or the group
// robot's whole webhook address (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY).
func groupTarget(g string) string {
	g = strings.TrimSpace(g)
	if strings.HasPrefix(g, "http") {
		if u, err := url.Parse(g); err == nil && u.Query().Get("key") != "" {
			return "webhook:" + u.Query().Get("key")
		}
	}
	return g
}

// digestCron reads a digest time as offices write it: a cron expression, or a time of day such
// as 8:30 or 08：30 (every day; the digest skips non-workdays itself).
func digestCron(c string) string {
	c = strings.TrimSpace(bot.Normalize(c))
	if h, m, ok := strings.Cut(c, ":"); ok && !strings.Contains(c, " ") {
		hh, err1 := strconv.Atoi(h)
		mm, err2 := strconv.Atoi(m)
		if err1 == nil && err2 == nil && hh >= 0 && hh < 24 && mm >= 0 && mm < 60 {
			return fmt.Sprintf("%d %d * * *", mm, hh)
		}
	}
	return c
}

// checkTeamSettings checks what a store cannot: the cron expression, the zone and the group target.
func checkTeamSettings(u bot.Team) error {
	if u.TimeZone != "" {
		if _, err := time.LoadLocation(u.TimeZone); err != nil {
			return fmt.Errorf("时区“%s”无效，例如 Asia/Shanghai (bad zone)", u.TimeZone)
		}
	}
	if u.DigestCron != "" {
		if _, err := schedule.ParseCron(u.DigestCron, time.UTC); err != nil {
			return fmt.Errorf("定时“%s”不是有效的 cron 表达式，例如 \"30 8 * * 1-5\" (bad cron)", u.DigestCron)
		}
	}
	if g := u.GroupTarget; g != "" && !(strings.HasPrefix(g, "webhook:") && len(g) > len("webhook:") ||
		strings.HasPrefix(g, "appchat:") && len(g) > len("appchat:")) {
		return fmt.Errorf("群目标应为 webhook:KEY 或 appchat:CHATID (bad group target)")
	}
	return nil
}

// cliErr shows an application error's Chinese message instead of its code.
func cliErr(err error) error {
	var be *bot.Error
	if errors.As(err, &be) {
		return errors.New(be.Message)
	}
	return err
}

// redactGroup shows which kind of group target a unit has without printing the webhook key.
func redactGroup(g string) string {
	kind, id, ok := strings.Cut(g, ":")
	if !ok {
		return "-"
	}
	if len(id) > 4 {
		id = id[:4] + "…"
	}
	return kind + ":" + id
}

// listTeams prints the tree: per unit its group, schedule, members and live plan items.
func listTeams(ctx context.Context, c *cli, st bot.Store, tree *bot.Tree) error {
	var walk func(parent int64, depth int) error
	walk = func(parent int64, depth int) error {
		for _, u := range tree.Children(parent) {
			ms, err := st.Members(ctx, u.ID)
			if err != nil {
				return err
			}
			items, err := st.Obligations(ctx, u.ID, false)
			if err != nil {
				return err
			}
			var people []string
			for _, m := range ms {
				if m.Active {
					people = append(people, fmt.Sprintf("%s(%s,%s)", m.Name, m.UserID, m.Role.Label()))
				}
			}
			removed := ""
			if u.Removed {
				removed = " [已移除]"
			}
			fmt.Fprintf(c.stdout, "%s%s%s  群:%s  定时:%s  时区:%s  计划事项:%d  成员:%d %s\n",
				strings.Repeat("  ", depth), u.Name, removed, redactGroup(u.GroupTarget), u.DigestCron, u.TimeZone,
				len(items), len(people), strings.Join(people, " "))
			if err := walk(u.ID, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(0, 0)
}

// teamColumns are the columns of a team import file and the headers an office may use for them.
var teamColumns = map[string][]string{
	"name":   {"单位", "单位名称", "名称", "team", "unit"},
	"parent": {"上级", "上级单位", "parent_name"},
	"group":  {"群", "群目标", "群机器人", "group_target"},
	"cron":   {"定时", "推送时间", "digest_cron"},
	"zone":   {"时区", "time_zone", "tz"},
}

// importTeams reads a units file and applies every row in one transaction, or none, naming
// every bad row.
func importTeams(ctx context.Context, c *cli, st bot.Store, path string) error {
	t, err := readTable(path, teamColumns, "name", "parent")
	if err != nil {
		return err
	}
	var errs bot.RowErrors
	var specs []bot.UnitSpec
	for _, r := range t.rows {
		s := bot.UnitSpec{Row: r.n, Name: t.get(r, "name"), Parent: t.get(r, "parent"),
			GroupTarget: groupTarget(t.get(r, "group")), DigestCron: digestCron(t.get(r, "cron")), TimeZone: t.get(r, "zone")}
		if err := checkTeamSettings(bot.Team{Name: s.Name, GroupTarget: s.GroupTarget, DigestCron: s.DigestCron, TimeZone: s.TimeZone}); err != nil {
			errs = append(errs, fmt.Sprintf("第%d行（%s）：%v", r.n, s.Name, err))
		}
		specs = append(specs, s) // a row with bad settings still counts in the tree checks
	}
	if len(t.rows) == 0 {
		return fmt.Errorf("%s: 没有单位行", path)
	}
	var added, changed int
	if len(errs) == 0 {
		added, changed, err = st.PutUnits(ctx, "cli", specs)
	} else if teams, terr := st.Teams(ctx); terr == nil {
		// the tree checks of the other rows, so the office sees every problem at once
		var re bot.RowErrors
		if _, perr := bot.PlanUnits(teams, specs); errors.As(perr, &re) {
			errs = append(errs, re...)
		}
	}
	var re bot.RowErrors
	if errors.As(err, &re) {
		errs = append(errs, re...)
	} else if err != nil {
		return cliErr(err)
	}
	if len(errs) > 0 {
		sortRowErrors(errs)
		return fmt.Errorf("%s: %d 处问题，未导入任何单位（改好后整个文件重新导入）：\n%s", path, len(errs), errs.Error())
	}
	fmt.Fprintf(c.stdout, "已导入 %s：新增 %d 个单位，更新 %d 个，其余 %d 个不变\n", path, added, changed, len(specs)-added-changed)
	return nil
}

// sortRowErrors orders problems by their row number ("第12行…").
func sortRowErrors(errs bot.RowErrors) {
	row := func(s string) int {
		n := 0
		if rest, ok := strings.CutPrefix(s, "第"); ok {
			for _, r := range rest {
				if r < '0' || r > '9' {
					break
				}
				n = n*10 + int(r-'0')
			}
		}
		return n
	}
	sort.SliceStable(errs, func(i, j int) bool { return row(errs[i]) < row(errs[j]) })
}
