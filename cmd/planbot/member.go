package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/planbot/planbot/bot"
)

const memberUsage = `usage:
  planbot member add USERID --name NAME --role staff|supervisor|admin [--team T]
  planbot member list [--team T]
  planbot member remove USERID [--team T]
  planbot member import FILE        (.csv or .xlsx with header team,userid,name,role: every row or none)`

// runMember manages a team's members by WeCom userid. Removing keeps the member, inactive.
func runMember(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(c.stderr, memberUsage)
		if len(args) == 0 {
			return errors.New("需要子命令 add、list、remove 或 import (subcommand required)")
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
	case "import":
	default:
		fmt.Fprintln(c.stderr, memberUsage)
		return fmt.Errorf("未知的子命令 (unknown subcommand) %q", action)
	}
	if help, err := parseSubcommand(fs, args, "member", action, wantArgs); help || err != nil {
		return err
	}
	if action == "import" {
		st, err := c.store(ctx)
		if err != nil {
			return err
		}
		return importMembers(ctx, c, st, fs.Arg(0))
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

// memberColumns are the columns of a member import file and the headers an office may use.
var memberColumns = map[string][]string{
	"team":   {"单位", "单位名称", "unit", "部门"},
	"userid": {"账号", "用户id", "企业微信账号", "user_id", "成员账号"},
	"name":   {"姓名", "名字"},
	"role":   {"角色", "职务"},
}

// memberRoles reads a role as offices write it.
var memberRoles = map[string]bot.Role{
	"staff": bot.RoleStaff, "科员": bot.RoleStaff, "成员": bot.RoleStaff, "工作人员": bot.RoleStaff,
	"supervisor": bot.RoleSupervisor, "主管": bot.RoleSupervisor, "负责人": bot.RoleSupervisor,
	"admin": bot.RoleAdmin, "管理员": bot.RoleAdmin,
}

// importMembers reads a members file and adds or updates every row in one transaction, or none,
// naming every bad row.
func importMembers(ctx context.Context, c *cli, st bot.Store, path string) error {
	t, err := readTable(path, memberColumns, "team", "userid", "name", "role")
	if err != nil {
		return err
	}
	if len(t.rows) == 0 {
		return fmt.Errorf("%s: 没有成员行", path)
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return err
	}
	tree := bot.NewTree(teams)
	var errs bot.RowErrors
	var ms []bot.Member
	seen := map[[2]string]int{}
	for _, r := range t.rows {
		unit, id, name, roleText := t.get(r, "team"), t.get(r, "userid"), t.get(r, "name"), t.get(r, "role")
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Sprintf("第%d行（%s）：", r.n, id)+fmt.Sprintf(format, args...))
		}
		u, ok := tree.ByName(unit)
		role, roleOK := memberRoles[strings.ToLower(cmp.Or(roleText, "staff"))] // blank: staff
		switch {
		case unit == "":
			bad("缺少单位。")
		case !ok:
			bad("单位“%s”不存在（先 planbot team import 单位表）。", unit)
		case u.Removed:
			bad("单位“%s”已移除。", unit)
		case id == "":
			bad("缺少企业微信账号（userid）。")
		case strings.ContainsFunc(id, unicode.IsSpace):
			bad("账号不能含空格。")
		case !roleOK:
			bad("角色“%s”无效，应为 staff/科员、supervisor/主管 或 admin/管理员。", roleText)
		default:
			k := [2]string{unit, id}
			if prev, dup := seen[k]; dup {
				bad("与第%d行重复（同一单位同一账号）。", prev)
				continue
			}
			seen[k] = r.n
			ms = append(ms, bot.Member{TeamID: u.ID, UserID: id, Name: cmp.Or(name, id), Role: role, Active: true})
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s: %d 处问题，未导入任何成员（改好后整个文件重新导入）：\n%s", path, len(errs), errs.Error())
	}
	added, changed, err := st.PutMembers(ctx, "cli", ms)
	if err != nil {
		return cliErr(err)
	}
	fmt.Fprintf(c.stdout, "已导入 %s：新增 %d 人，更新 %d 人，其余 %d 人不变\n", path, added, changed, len(ms)-added-changed)
	return nil
}
