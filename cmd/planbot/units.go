package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/planbot/planbot/bot"
)

// unitsEvery is how often serve re-reads the units and brings the schedules in line.
const unitsEvery = 30 * time.Second

// unitStore is what routing by sender reads: the units and one person's memberships.
type unitStore interface {
	bot.MemberLookup
	Teams(ctx context.Context) ([]bot.Team, error)
	Memberships(ctx context.Context, userID string) ([]bot.Member, int64, error)
}

// units routes each inbound message to the sender's unit. It keeps the tree of units in memory,
// re-read by watch every half minute (a unit added on any replica or by the CLI is seen within a
// minute) and at once when a membership names a unit it does not know yet. Memberships and the
// 切换 choice are read per message, so they are never stale.
type units struct {
	st       unitStore
	fallback bot.Team // where a sender who belongs to no unit is answered (not a member)
	log      *slog.Logger

	mu   sync.RWMutex
	tree *bot.Tree
}

func newUnits(ctx context.Context, st unitStore, fallback bot.Team, log *slog.Logger) (*units, error) {
	u := &units{st: st, fallback: fallback, log: log}
	if _, err := u.refresh(ctx); err != nil {
		return nil, err
	}
	return u, nil
}

// refresh re-reads the units.
func (u *units) refresh(ctx context.Context) ([]bot.Team, error) {
	teams, err := u.st.Teams(ctx)
	if err != nil {
		return nil, err
	}
	t := bot.NewTree(teams)
	u.mu.Lock()
	u.tree = t
	u.mu.Unlock()
	return teams, nil
}

// Tree is the units as last read.
func (u *units) Tree() *bot.Tree {
	u.mu.RLock()
	defer u.mu.RUnlock()
	return u.tree
}

// groupUnit is the live unit whose group is the app chat chatID (0: none), so a message to the
// smart robot in a unit's group is answered for that unit.
func (u *units) groupUnit(chatID string) int64 {
	if id, ok := u.Tree().ByGroup("appchat:" + chatID); ok {
		return id
	}
	return 0
}

// route is where one message goes.
type route struct {
	Team   bot.Team
	Text   string
	Access *bot.Access // the sender in Team; nil when they may not work there
	Label  string      // the unit's name, shown on the answer when the sender has several units
	Reply  *bot.Reply  // answered here without the router (a unit named alone, or one not theirs)
}

// resolve picks the unit of a message from userID: the card's unit for a card click, or the
// group's unit for the smart robot in a unit's group (cardTeam, groupHint: when the sender does not
// work there, routed as if private), a unit named at the start of the text ("濉溪县 进度"), else
// the sender's primary unit.
func (u *units) resolve(ctx context.Context, userID, text string, cardTeam int64, groupHint bool) (route, error) {
	ms, current, err := u.st.Memberships(ctx, userID)
	if err != nil {
		return route{}, err
	}
	tree := u.Tree()
	for _, m := range ms {
		if _, ok := tree.Unit(m.TeamID); !ok { // a unit added since the last read
			if _, err := u.refresh(ctx); err != nil {
				return route{}, err
			}
			tree = u.Tree()
			break
		}
	}
	access := tree.Accessible(ms)
	r := route{Team: u.fallback, Text: text}
	if len(access) == 0 {
		return r, nil
	}
	pick := func(a bot.Access) {
		r.Team = a.Team
		r.Access = &a
		if len(access) > 1 {
			r.Label = a.Team.Name
		}
	}
	primary, _ := tree.PrimaryUnit(access, current)
	pick(primary)
	if cardTeam != 0 {
		if a, ok := bot.FindAccess(access, cardTeam); ok {
			pick(a)
			return r, nil
		}
		if t, ok := tree.Unit(cardTeam); ok && !groupHint {
			r.Team, r.Access = t, nil // the router refuses: not theirs
			return r, nil
		}
		// a group of a unit the sender does not work in: routed as a private message
	}
	named, rest, ok := tree.CutUnitPrefix(text)
	if named.Name == "" {
		return r, nil
	}
	a, mine := bot.FindAccess(access, named.ID)
	switch {
	case !mine:
		rep := bot.TextReply(fmt.Sprintf("你不能查看“%s”：只能查看你所在的单位和所管的下级单位（%s）。", named.Name, unitNames(access)))
		r.Reply = &rep
	case !ok:
		rep := bot.TextReply(fmt.Sprintf("要在%s办理，请在单位名后写命令，例如“%s 进度”；一直在%s办理请发送“切换 %s”。",
			named.Name, named.Name, named.Name, named.Name))
		r.Reply = &rep
	default:
		pick(a)
		r.Text = rest
	}
	return r, nil
}

// unitNames lists the units of access as "淮北市、濉溪县".
func unitNames(access []bot.Access) string {
	s := ""
	for i, a := range access {
		if i > 0 {
			s += "、"
		}
		s += a.Team.Name
	}
	return s
}

// labelled names the unit on top of a reply (the sender works in several units).
func labelled(rep bot.Reply, label string) bot.Reply {
	if label == "" || rep == (bot.Reply{}) {
		return rep
	}
	head := "〔" + label + "〕\n"
	if rep.Plain != "" {
		rep.Plain = head + rep.Plain
	}
	if rep.Markdown != "" {
		rep.Markdown = head + rep.Markdown
	}
	return rep
}

// scheduleSyncer is the scheduler's part that watch keeps in line with the units.
type scheduleSyncer interface {
	SyncTeams(teams []bot.Team) error
}

// watch re-reads the units on every tick until ctx ends, bringing the schedules in line (a unit
// added, moved, removed or rescheduled while serve runs). It returns a func that waits for it.
func (u *units) watch(ctx context.Context, sched scheduleSyncer, tick <-chan time.Time) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick:
			}
			teams, err := u.refresh(ctx)
			if err != nil {
				u.log.Warn("units: re-read failed", "err", err)
				continue
			}
			if sched != nil {
				if err := sched.SyncTeams(teams); err != nil {
					u.log.Warn("units: schedules", "err", err)
				}
			}
		}
	}()
	return func() { <-done }
}
