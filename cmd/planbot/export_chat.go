package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/report"
	"github.com/planbot/planbot/bot/wecom"
)

// fileSender uploads a file to WeCom and sends it to users; *wecom.Client satisfies it.
type fileSender interface {
	UploadMedia(ctx context.Context, kind, filename string, r io.Reader) (string, error)
	SendFile(ctx context.Context, to wecom.Recipient, mediaID string) error
}

// chatExporter is handlers.Deps.Export for serve: 导出 in chat builds the team's workbook (the
// same one as planbot export --xlsx, its 数据 sheet for the year of now in Asia/Shanghai), uploads
// it as "<team>-<YYYYMMDD>-计划执行报表.xlsx" and sends it to the user as a file message.
func chatExporter(st bot.Store, cal bot.Calendar, c fileSender) func(ctx context.Context, team bot.Team, userID string, now time.Time) error {
	return func(ctx context.Context, team bot.Team, userID string, now time.Time) error {
		local := now.In(bot.Shanghai)
		data, err := collectWorkbook(ctx, st, team, local.Year(), cal, bot.DateOf(local))
		if err != nil {
			return fmt.Errorf("export for %s: %w", userID, err)
		}
		var buf bytes.Buffer
		if err := report.WriteXLSX(&buf, data); err != nil {
			return fmt.Errorf("export for %s: %w", userID, err)
		}
		id, err := c.UploadMedia(ctx, wecom.MediaFile, exportFileName(team.Name, local), &buf)
		if err != nil {
			return err
		}
		return c.SendFile(ctx, wecom.ToUser(userID), id)
	}
}

// exportFileName is "<team>-<YYYYMMDD>-计划执行报表.xlsx", with characters that file systems
// or the multipart header would choke on replaced.
func exportFileName(team string, local time.Time) string {
	team = strings.Map(func(r rune) rune {
		switch {
		case r < ' ', strings.ContainsRune(`/\:*?"<>|`, r):
			return '_'
		}
		return r
	}, strings.TrimSpace(team))
	if team == "" {
		team = bot.DefaultTeam
	}
	return fmt.Sprintf("%s-%s-计划执行报表.xlsx", team, local.Format("20060102"))
}
