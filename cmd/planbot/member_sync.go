package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
)

const syncMembersUsage = `usage:
  planbot sync-members --dept ID [--team T]

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

// directoryClient builds a WeCom client for reading the address book.
func directoryClient(cfg Config) (*wecom.Client, error) {
	wc, err := cfg.directory()
	if err != nil {
		return nil, err
	}
	return wecom.NewClient(wc, nil, &http.Client{Timeout: 10 * time.Second})
}
