package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
)

const syncMembersUsage = `usage:
  planbot sync-members --dept ID [--team T]
  planbot sync-members --map FILE     (.csv or .xlsx with header dept,team: one WeCom department per unit)

Names come from WeCom; department leaders become supervisors, everyone else staff. Admins set
by hand stay admins and stay active. Members who left the department are deactivated (kept
for history). Needs WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET (WECOM_API_BASE optional);
--dept defaults to WECOM_SYNC_DEPT.`

// syncActor is the audit actor of member changes made by a sync.
const syncActor = "wecom-sync"

// runSyncMembers syncs a team's members from a WeCom department once.
func runSyncMembers(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("sync-members", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprintln(c.stderr, syncMembersUsage); fs.PrintDefaults() }
	teamName := fs.String("team", bot.DefaultTeam, "team name (created on first use)")
	dept := fs.Int("dept", 0, "WeCom department id (default WECOM_SYNC_DEPT)")
	mapFile := fs.String("map", "", "map WeCom departments to units: a .csv/.xlsx `FILE` with header dept,team")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("sync-members: 多余的参数 (unexpected arguments) %q", fs.Args())
	}
	if *mapFile != "" {
		return syncMembersMap(ctx, c, *mapFile)
	}
	deptID := *dept
	if deptID == 0 {
		deptID = c.cfg.SyncDept
	}
	if deptID <= 0 {
		fs.Usage()
		return errors.New("需要 --dept 部门ID (department id required: --dept or WECOM_SYNC_DEPT)")
	}
	client, err := directoryClient(c.cfg)
	if err != nil {
		return err
	}
	st, team, err := c.team(ctx, *teamName)
	if err != nil {
		return err
	}
	res, err := wecom.SyncMembers(ctx, client, st, team, deptID, syncActor)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s：从企业微信部门 %d 同步成员：%s\n", team.Name, deptID, res)
	return nil
}

// syncMembersMap syncs each unit of a map file from its WeCom department. The file is checked
// whole first (every unit must exist, every department be a number), then unit by unit.
func syncMembersMap(ctx context.Context, c *cli, path string) error {
	t, err := readTable(path, map[string][]string{"dept": {"部门", "部门id", "部门ID", "department"}, "team": {"单位", "unit"}}, "dept", "team")
	if err != nil {
		return err
	}
	st, err := c.store(ctx)
	if err != nil {
		return err
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return err
	}
	tree := bot.NewTree(teams)
	type job struct {
		team bot.Team
		dept int
	}
	var jobs []job
	var errs bot.RowErrors
	for _, r := range t.rows {
		name := t.get(r, "team")
		u, ok := tree.ByName(name)
		d, derr := strconv.Atoi(t.get(r, "dept"))
		switch {
		case !ok || u.Removed:
			errs = append(errs, fmt.Sprintf("第%d行（%s）：单位不存在。", r.n, name))
		case derr != nil || d <= 0:
			errs = append(errs, fmt.Sprintf("第%d行（%s）：部门ID“%s”应为正整数。", r.n, name, t.get(r, "dept")))
		default:
			jobs = append(jobs, job{u, d})
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s: %d 处问题，未同步：\n%s", path, len(errs), errs.Error())
	}
	client, err := directoryClient(c.cfg)
	if err != nil {
		return err
	}
	failed := 0
	for _, j := range jobs {
		res, err := wecom.SyncMembers(ctx, client, st, j.team, j.dept, syncActor)
		if err != nil {
			failed++
			fmt.Fprintf(c.stderr, "%s：部门 %d 同步失败：%v\n", j.team.Name, j.dept, err)
			continue
		}
		fmt.Fprintf(c.stdout, "%s：从企业微信部门 %d 同步成员：%s\n", j.team.Name, j.dept, res)
	}
	if failed > 0 {
		return fmt.Errorf("%d 个单位同步失败（见上）；其余已同步", failed)
	}
	return nil
}

// directoryClient builds a WeCom client for reading the address book.
func directoryClient(cfg Config) (*wecom.Client, error) {
	wc, err := cfg.directory()
	if err != nil {
		return nil, err
	}
	return wecom.NewClient(wc, nil, &http.Client{Timeout: 10 * time.Second})
}
