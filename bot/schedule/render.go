package schedule

import (
	"fmt"

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

// digestParts renders the group digest: Deps.RenderDigest when set, else bot/render with names.
func (in planInput) digestParts(a bot.Agenda) []string {
	if in.RenderDigest != nil {
		return in.RenderDigest(in.Team.Name, a)
	}
	return render.DigestMarkdownNames(in.Team.Name, a, in.names())
}

func itemLine(n int, it bot.AgendaItem, names map[string]string) string {
	return render.ItemLine(n, it, names, true)
}

func splitBytes(s string, max int) []string { return bot.SplitBytes(s, max) }
