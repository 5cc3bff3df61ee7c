package handlers

import (
	"context"
	"fmt"
	"strings"

	"github.com/planbot/planbot/bot"
)

// SwitchCommand is the name of the command that changes the sender's unit.
const SwitchCommand = "切换"

func registerUnits(r *bot.Router, d Deps) {
	x := h{d}
	r.Add(bot.Command{Name: SwitchCommand, Aliases: []string{"switch", "切换单位"}, Usage: "切换 单位名",
		Example: "切换 濉溪县", Summary: "在多个单位工作时，切换当前办理的单位（只查一次可写“濉溪县 进度”）",
		Handler: x.switchUnit})
}

// access lists the units the sender may work in, with the tree they were read from.
func (x h) access(ctx context.Context, req *bot.Request) (*bot.Tree, []bot.Access, int64, error) {
	teams, err := x.Store.Teams(ctx)
	if err != nil {
		return nil, nil, 0, storeErr("teams", err)
	}
	ms, current, err := x.Store.Memberships(ctx, req.UserID)
	if err != nil {
		return nil, nil, 0, storeErr("memberships", err)
	}
	tree := bot.NewTree(teams)
	return tree, tree.Accessible(ms), current, nil
}

// unitNames lists the units of access as "淮北市、濉溪县".
func unitNames(access []bot.Access) string {
	names := make([]string, len(access))
	for i, a := range access {
		names[i] = a.Team.Name
	}
	return strings.Join(names, "、")
}

// switchUnit records the unit the sender works in from now on; without a name it lists them.
func (x h) switchUnit(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	tree, access, current, err := x.access(ctx, req)
	if err != nil {
		return bot.Reply{}, err
	}
	name := strings.TrimSpace(req.Args)
	primary, _ := tree.PrimaryUnit(access, current)
	if name == "" {
		if len(access) <= 1 {
			return bot.TextReply(fmt.Sprintf("你只在%s工作，不需要切换。", req.Team.Name)), nil
		}
		return bot.TextReply(fmt.Sprintf("当前单位：%s。可切换到：%s。\n例如“切换 %s”；只查一次可写“%s 进度”。",
			primary.Team.Name, unitNames(access), access[len(access)-1].Team.Name, access[len(access)-1].Team.Name)), nil
	}
	u, ok := tree.ByName(name)
	if !ok || u.Removed {
		return bot.Reply{}, bot.Errorf(bot.ENOTFOUND, "没有单位“%s”。你可以切换到：%s。", name, unitNames(access))
	}
	if _, ok := bot.FindAccess(access, u.ID); !ok {
		return bot.Reply{}, bot.Errorf(bot.EFORBIDDEN, "你不能进入“%s”：只能在本单位和所管的下级单位办理。你可以切换到：%s。", name, unitNames(access))
	}
	if u.ID == primary.Team.ID {
		return bot.TextReply(fmt.Sprintf("你已经在%s了。", u.Name)), nil
	}
	if err := x.Store.SetCurrentUnit(ctx, req.UserID, u.ID, req.Now); err != nil {
		return bot.Reply{}, storeErr("switch", err)
	}
	return bot.TextReply(fmt.Sprintf("已切换到%s：之后的消息都在%s办理。切回请发送“切换 %s”。", u.Name, u.Name, primary.Team.Name)), nil
}
