package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// HelpCommand returns the 帮助 command (帮助 / help / ?), generated from r's table so it never
// drifts: `帮助` lists the commands the sender's role may use, `帮助 完成` explains one command.
// Non-members may use it.
func (r *Router) HelpCommand() Command {
	return Command{
		Name:    "帮助",
		Aliases: []string{"help", "?", "菜单", "命令"},
		Usage:   "帮助 [命令]",
		Example: "帮助 完成",
		Summary: "查看命令说明",
		Public:  true,
		Handler: func(_ context.Context, req *Request) (Reply, error) {
			return r.Help(req.Member.Role, req.Args), nil
		},
	}
}

// CommonCommands are the six commands 帮助 shows; 帮助 全部 lists every command.
var CommonCommands = []string{"今天", "完成", "撤销", "逾期", "本周", "进度"}

// Help renders the help text for role: the six common commands, the whole table (topic 全部),
// or one command when topic names one.
func (r *Router) Help(role Role, topic string) Reply {
	topic = strings.TrimSpace(topic)
	all := false
	switch strings.ToLower(topic) {
	case "全部", "所有", "更多", "all", "more":
		all, topic = true, ""
	}
	if topic != "" {
		if c, ok := r.Lookup(strings.Fields(topic)[0]); ok {
			return commandHelp(c, role)
		}
		if c, _, ok := r.match(topic); ok {
			return commandHelp(*c, role)
		}
	}
	var plain, md strings.Builder
	md.WriteString("**planbot 命令**\n")
	plain.WriteString("planbot 命令：\n")
	hidden := 0
	for _, c := range r.cmds {
		if c.Role != "" && role.Rank() < c.Role.Rank() || c.Hidden {
			continue
		}
		if !all && !slices.Contains(CommonCommands, c.Name) {
			hidden++
			continue
		}
		summary := c.Summary
		if all {
			// the whole table in one message: without the parenthesised details (帮助 X has them)
			if i := strings.LastIndex(summary, "（"); i > 0 && strings.HasSuffix(summary, "）") {
				summary = summary[:i]
			}
		}
		line := fmt.Sprintf("%s — %s", c.Usage, summary)
		plain.WriteString("· " + line + "\n")
		md.WriteString(fmt.Sprintf("> `%s` %s\n", c.Usage, summary))
	}
	if !role.Valid() {
		tail := "\n你还不是本团队成员，请联系管理员加入后再使用上面的命令。"
		plain.WriteString(tail)
		md.WriteString(tail)
	} else {
		tail := "\n发送“帮助 完成”看某个命令的例子。"
		if hidden > 0 {
			tail = fmt.Sprintf("\n还有%d个命令（本月、我的、分配、记录……）：发送“帮助 全部”查看。发送“帮助 完成”看某个命令的例子。", hidden)
		} else {
			tail = "\n数字可以连写或用全角、中文：完成3、完成 １，２、第三项完成了。" + tail
		}
		plain.WriteString(tail)
		md.WriteString(tail)
	}
	return Reply{Plain: strings.TrimRight(plain.String(), "\n"), Markdown: strings.TrimRight(md.String(), "\n")}
}

// maxHelpAliases is how many aliases 帮助 X shows.
const maxHelpAliases = 10

func commandHelp(c Command, role Role) Reply {
	var b strings.Builder
	fmt.Fprintf(&b, "%s：%s\n用法：%s\n", c.Name, c.Summary, c.Usage)
	if c.Example != "" {
		fmt.Fprintf(&b, "例如：%s\n", c.Example)
	}
	if len(c.Aliases) > maxHelpAliases {
		fmt.Fprintf(&b, "也可以写：%s等\n", strings.Join(c.Aliases[:maxHelpAliases], "、"))
	} else if len(c.Aliases) > 0 {
		fmt.Fprintf(&b, "也可以写：%s\n", strings.Join(c.Aliases, "、"))
	}
	if c.Role != "" && c.Role.Rank() > RoleStaff.Rank() {
		fmt.Fprintf(&b, "需要%s权限", c.Role.Label())
		if role.Rank() < c.Role.Rank() {
			b.WriteString("（你目前不能使用）")
		}
		b.WriteString("\n")
	}
	s := strings.TrimRight(b.String(), "\n")
	return TextReply(s)
}
