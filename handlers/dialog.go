package handlers

import (
	"context"

	"github.com/planbot/planbot/bot"
)

func registerDialog(r *bot.Router, d Deps) {
	x := h{d}
	r.Add(bot.Command{Name: "取消", Aliases: []string{"cancel", "算了", "退出"}, Usage: "取消",
		Example: "取消", Summary: "退出正在进行的对话（例如不带编号的“完成”）", Handler: x.cancel, Acts: true})
}

// cancel leaves a pending dialog. (The router answers 取消 inside a dialog itself; this answers
// it when there is none.) With numbers, "取消 3" undoes the completion of item 3 (as 撤销 3).
func (x h) cancel(ctx context.Context, req *bot.Request) (bot.Reply, error) {
	if _, _, ok := bot.ParseNumbers(req.Args); ok {
		return x.undo(ctx, req) // "取消 3": the completion of item 3
	}
	if x.State != nil {
		_, ok, err := x.State.Dialog(ctx, req.TeamKey(), req.UserID)
		if err == nil && ok {
			if err := x.State.ClearDialog(ctx, req.TeamKey(), req.UserID); err != nil {
				return bot.Reply{}, err
			}
			return bot.TextReply("已取消。"), nil
		}
	}
	return bot.TextReply("当前没有进行中的操作。发送“帮助”查看命令。"), nil
}
