package schedule

import (
	"fmt"
	"strings"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/render"
)

// maxMessageBytes is WeCom's limit for one text or markdown message.
const maxMessageBytes = 2048

func cardLine(it bot.AgendaItem, day bot.Date) string {
	if it.EffectiveDue.Before(day) {
		return fmt.Sprintf("%s（逾期，%s截止）", it.Title, it.EffectiveDue.Short())
	}
	return fmt.Sprintf("%s（今天截止）", it.Title)
}

// digestParts renders the group digest: Deps.RenderDigest when set, else bot/render with names,
// as one message within the limit of the team's group channel.
func (in planInput) digestParts(a bot.Agenda) []string {
	if in.RenderDigest != nil {
		return in.RenderDigest(in.Team.Name, a)
	}
	foot := render.FootApp
	if in.Robot {
		foot = render.FootRobot
	}
	return []string{render.Digest(in.Team.Name, a, render.Options{Max: GroupLimit(in.Team), Names: in.names(), Foot: foot, Numbers: in.Numbers})}
}

// GroupLimit is the markdown limit of the team's group channel: 2048 bytes for a chat the app
// created (appchat), 4096 for the group robot.
func GroupLimit(t bot.Team) int {
	if strings.HasPrefix(t.GroupTarget, "appchat:") {
		return render.AppMaxBytes
	}
	return render.GroupMaxBytes
}

func itemLine(n int, it bot.AgendaItem, names map[string]string) string {
	return render.ItemLine(n, it, names, true)
}

func splitBytes(s string, max int) []string { return bot.SplitBytes(s, max) }
