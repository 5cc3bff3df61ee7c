package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/handlers"
)

// cardRefresher rebuilds a clicked personal card (the morning digest's, see
// schedule.MemberCard) from the current state, for wecom.WithCardRefresh: the card's items that
// are still open keep their 完成 buttons, the done ones are listed as 已完成, and a card with
// nothing left says 全部完成. It runs after the click's completion went through the router.
type cardRefresher struct {
	store schedule.Store
	cal   bot.Calendar
	// numbers, when set, is the team's numbering of the day (see handlers.DayNumbering).
	numbers func(ctx context.Context, team bot.Team, day bot.Date, fresh []string) []string
}

// refresh implements wecom.WithCardRefresh. An error (a card that is not a digest card of the
// clicking user, a store failure) makes the callback fall back to replacing the buttons.
func (r cardRefresher) refresh(ctx context.Context, in wecom.Inbound) (*wecom.TemplateCard, error) {
	base := wecom.BaseTaskID(in.TaskID)
	teamID, day, err := parseCardTaskID(base)
	if err != nil {
		return nil, err
	}
	team, err := r.team(ctx, teamID)
	if err != nil {
		return nil, err
	}
	members, err := r.store.Members(ctx, team.ID)
	if err != nil {
		return nil, err
	}
	m := bot.Member{UserID: in.FromUserName}
	for _, mb := range members {
		if mb.UserID == in.FromUserName {
			m = mb
		}
	}
	items, err := r.store.Obligations(ctx, team.ID, false)
	if err != nil {
		return nil, err
	}
	// The card was chosen from the day's agenda as it stood that morning (bot.DayAgenda keeps
	// the items done since in place, marked done): select again, then mark them.
	names := make(map[string]string, len(members))
	for _, mb := range members {
		names[mb.UserID] = nameOr(mb)
	}
	a := bot.DayAgenda(day, items, r.cal, schedule.TeamLocation(team))
	var nums map[string]int
	if r.numbers != nil {
		var fresh []string
		for _, it := range a.Numbered() {
			fresh = append(fresh, it.Key)
		}
		nums = map[string]int{}
		for i, k := range r.numbers(ctx, team, day, fresh) {
			nums[k] = i + 1
		}
	}
	spec, ok := schedule.MemberCardNumbered(team.ID, day, a, m, names, nums)
	if !ok {
		return nil, fmt.Errorf("card %s: no items for %s on %s", base, m.UserID, day)
	}
	if spec.TaskID != base {
		return nil, fmt.Errorf("card %s is not %s's digest card of %s", base, m.UserID, day)
	}
	done := map[string]bool{}
	for _, it := range a.Numbered() {
		if it.DoneBy != "" {
			done[it.Key] = true
		}
	}
	n := 0
	for _, it := range spec.Items {
		if done[it.Key] {
			n++
		}
	}
	if len(spec.Items) > 0 {
		spec.Desc = fmt.Sprintf("%s：已完成 %d/%d 项", nameOr(m), n, len(spec.Items))
	}
	card := templateCard(spec, wecom.RefreshTaskID(in.TaskID, in.ResponseCode), done)
	return &card, nil
}

func nameOr(m bot.Member) string {
	if m.Name != "" {
		return m.Name
	}
	return m.UserID
}

func (r cardRefresher) team(ctx context.Context, id int64) (bot.Team, error) {
	teams, err := r.store.Teams(ctx)
	if err != nil {
		return bot.Team{}, err
	}
	for _, t := range teams {
		if t.ID == id {
			return t, nil
		}
	}
	return bot.Team{}, fmt.Errorf("card for team %d: no such team", id)
}

// parseCardTaskID reads the team and day from a digest card's task_id
// ("dg_<team id>_<yyyymmdd>_<user hash>", schedule.MemberCard); the caller checks the whole id
// by building the card again.
func parseCardTaskID(id string) (teamID int64, day bot.Date, err error) {
	parts := strings.Split(id, "_")
	if len(parts) != 4 || parts[0] != "dg" || len(parts[2]) != 8 {
		return 0, bot.Date{}, errors.New("not a digest card task_id")
	}
	if teamID, err = strconv.ParseInt(parts[1], 10, 64); err != nil {
		return 0, bot.Date{}, errors.New("not a digest card task_id")
	}
	t, err := time.Parse("20060102", parts[2])
	if err != nil {
		return 0, bot.Date{}, errors.New("not a digest card task_id")
	}
	return teamID, bot.DateOf(t), nil
}

// noticeDelivery is the delivery of a chat notice: a card with the item and its 完成 button for
// an assignment, a markdown message otherwise. Its task_id ("nt_…", from the notice's key) is
// not a digest card's, so a click greys the button instead of rebuilding a morning card.
func noticeDelivery(n handlers.Notice) schedule.DeliverArgs {
	m := schedule.DeliverArgs{Key: n.Key, Team: n.Team.Name, To: n.To, Markdown: n.Text}
	if n.Item != nil {
		sum := sha256.Sum256([]byte(n.Key))
		m.Markdown = ""
		m.Card = &schedule.CardSpec{
			TaskID: "nt_" + hex.EncodeToString(sum[:16]),
			Title:  "分配给你的工作",
			Desc:   n.Text,
			Items: []schedule.CardItem{{Key: n.Item.Key, EventKey: "done:" + n.Item.Key,
				Text: fmt.Sprintf("%s（%s截止）", n.Item.Title, n.Item.EffectiveDue.Short())}},
		}
	}
	return m
}
