package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/planbot/planbot/bot"
)

const memberUsage = `usage:
  planbot member add USERID --name NAME --role staff|supervisor|admin [--team T]
  planbot member list [--team T]
  planbot member remove USERID [--team T]`

// runMember manages a team's members by WeCom userid. Removing keeps the member, inactive.
func runMember(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(c.stderr, memberUsage)
		if len(args) == 0 {
			return errors.New("需要子命令 add、list 或 remove (subcommand required)")
		}
		return nil
	}
	action, args := args[0], args[1:]
	fs := flag.NewFlagSet("member "+action, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprintln(c.stderr, memberUsage); fs.PrintDefaults() }
	teamName := fs.String("team", bot.DefaultTeam, "team name (created on first use)")
	var name, role *string
	wantArgs := 1
	switch action {
	case "add":
		name = fs.String("name", "", "display name, e.g. 张三")
		role = fs.String("role", string(bot.RoleStaff), "staff, supervisor or admin")
	case "remove", "rm":
	case "list", "ls":
		wantArgs = 0
	default:
		fmt.Fprintln(c.stderr, memberUsage)
		return fmt.Errorf("未知的子命令 (unknown subcommand) %q", action)
	}
	if err := fs.Parse(flagsFirst(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() != wantArgs {
		fs.Usage()
		return fmt.Errorf("member %s: 需要 %d 个参数 (want %d argument(s))", action, wantArgs, wantArgs)
	}
	if role != nil && !bot.Role(*role).Valid() {
		return fmt.Errorf("角色应为 staff、supervisor 或 admin (role must be staff, supervisor or admin): %q", *role)
	}
	st, team, err := c.team(ctx, *teamName)
	if err != nil {
		return err
	}
	switch action {
	case "add":
		m := bot.Member{TeamID: team.ID, UserID: fs.Arg(0), Name: *name, Role: bot.Role(*role), Active: true}
		if m.Name == "" {
			m.Name = m.UserID
		}
		if err := st.PutMember(ctx, "cli", m); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "已添加 %s（%s，%s）到 %s\n", m.UserID, m.Name, m.Role.Label(), team.Name)
	case "remove", "rm":
		if err := st.RemoveMember(ctx, "cli", team.ID, fs.Arg(0)); err != nil {
			if errors.Is(err, bot.ErrNotFound) {
				return fmt.Errorf("%s 中没有成员 %s (no such member)", team.Name, fs.Arg(0))
			}
			return err
		}
		fmt.Fprintf(c.stdout, "已停用 %s（记录保留）\n", fs.Arg(0))
	default:
		ms, err := st.Members(ctx, team.ID)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "USERID\tNAME\tROLE\tACTIVE")
		for _, m := range ms {
			active := "yes"
			if !m.Active {
				active = "no"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", m.UserID, m.Name, m.Role, active)
		}
		return w.Flush()
	}
	return nil
}
