package schedule

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
)

// DayNumbers returns the team's numbering of day (the keys in number order), given the keys
// the day's agenda numbers now (fresh); handlers.DayNumbering implements it.
type DayNumbers func(ctx context.Context, team bot.Team, day bot.Date, fresh []string) []string

// RefreshCard rebuilds userID's morning card with task_id taskID (as first sent: see
// wecom.BaseTaskID) from the current state, for a click on it: the card is chosen again from the
// day's agenda (bot.DayAgenda keeps the items done since in place) by MemberCard's rule, its
// items done since are marked Done, and Desc counts them. numbers, when not nil, is the team's
// numbering of the day. An error says the card is not userID's digest card of that day, or the
// store failed; the caller then only greys the clicked button.
func RefreshCard(ctx context.Context, st Store, cal bot.Calendar, numbers DayNumbers, taskID, userID string) (bot.Card, error) {
	teamID, day, err := ParseCardTaskID(taskID)
	if err != nil {
		return bot.Card{}, err
	}
	team, err := teamByID(ctx, st, teamID)
	if err != nil {
		return bot.Card{}, err
	}
	members, err := st.Members(ctx, team.ID)
	if err != nil {
		return bot.Card{}, err
	}
	m := bot.Member{UserID: userID}
	names := make(map[string]string, len(members))
	for _, mb := range members {
		names[mb.UserID] = nameOf(mb)
		if mb.UserID == userID {
			m = mb
		}
	}
	items, err := st.Obligations(ctx, team.ID, false)
	if err != nil {
		return bot.Card{}, err
	}
	a := bot.DayAgenda(day, items, cal, TeamLocation(team))
	var nums map[string]int
	if numbers != nil {
		var fresh []string
		for _, it := range a.Numbered() {
			fresh = append(fresh, it.Key)
		}
		nums = map[string]int{}
		for i, k := range numbers(ctx, team, day, fresh) {
			nums[k] = i + 1
		}
	}
	card, ok := MemberCardNumbered(team.ID, day, a, m, names, nums)
	if !ok {
		return bot.Card{}, fmt.Errorf("card %s: no items for %s on %s", taskID, userID, day)
	}
	if card.TaskID != taskID {
		return bot.Card{}, fmt.Errorf("card %s is not %s's digest card of %s", taskID, userID, day)
	}
	done := map[string]bool{}
	for _, it := range a.Numbered() {
		if it.DoneBy != "" {
			done[it.Key] = true
		}
	}
	n := 0
	for i, it := range card.Items {
		if done[it.Key] {
			card.Items[i].Done = true
			n++
		}
	}
	if len(card.Items) > 0 {
		card.Desc = fmt.Sprintf("%s：已完成 %d/%d 项", nameOf(m), n, len(card.Items))
	}
	return card, nil
}

// teamByID finds a team among the store's teams.
func teamByID(ctx context.Context, st Store, id int64) (bot.Team, error) {
	teams, err := st.Teams(ctx)
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

// errNotDigestCard: the task_id is not a digest card's.
var errNotDigestCard = errors.New("not a digest card task_id")

// ParseCardTaskID reads the team and day from a digest card's task_id ("dg_<team id>_<yyyymmdd>_<user
// hash>", see MemberCard); RefreshCard checks the whole id by building the card again.
func ParseCardTaskID(id string) (teamID int64, day bot.Date, err error) {
	parts := strings.Split(id, "_")
	if len(parts) != 4 || parts[0] != "dg" || len(parts[2]) != 8 {
		return 0, bot.Date{}, errNotDigestCard
	}
	if teamID, err = strconv.ParseInt(parts[1], 10, 64); err != nil {
		return 0, bot.Date{}, errNotDigestCard
	}
	t, err := time.Parse("20060102", parts[2])
	if err != nil {
		return 0, bot.Date{}, errNotDigestCard
	}
	return teamID, bot.DateOf(t), nil
}
