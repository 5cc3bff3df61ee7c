package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/singleflight"

	"github.com/planbot/planbot/bot"
)

// The two reads every chat command makes, Obligations and Members, return the same rows until
// someone writes. Triggers (migration 002) count every write per team in team_versions, in the
// writing transaction; a read first fetches the counters (one indexed row) and answers from its
// copy when the counter is the one the copy was read at. The copy is taken after the counter, so a
// write committed in between only makes the copy newer than its counter, never older: the next
// read sees a changed counter and reads the rows again. Answers are exactly what the query gives.

const sqlTeamVersions = `select obligations, members from team_versions where team_id = $1`

type obligationsKey struct {
	team           int64
	includeRetired bool
}

type cachedObligations struct {
	version int64
	rows    []bot.Tracked
}

type cachedMembers struct {
	version int64
	rows    []bot.Member
}

// readCache holds the last rows read per team; the zero value is empty and ready.
type readCache struct {
	flight      singleflight.Group
	mu          sync.Mutex
	obligations map[obligationsKey]cachedObligations
	members     map[int64]cachedMembers
}

// versions returns the team's write counters (0, 0 before its first write), read once per
// command when ctx carries a read memo (WithReadMemo).
func (s *Store) versions(ctx context.Context, teamID int64) (obligations, members int64, err error) {
	m, _ := ctx.Value(memoKey{}).(*readMemo)
	if m != nil {
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.ok && m.team == teamID {
			return m.obligations, m.members, nil
		}
	}
	err = s.pool.QueryRow(ctx, sqlTeamVersions, teamID).Scan(&obligations, &members)
	if errors.Is(err, pgx.ErrNoRows) {
		obligations, members, err = 0, 0, nil
	}
	if m != nil && err == nil {
		m.ok, m.team, m.obligations, m.members = true, teamID, obligations, members
	}
	return obligations, members, err
}

type memoKey struct{}

// readMemo is the counters read once for one command.
type readMemo struct {
	mu                   sync.Mutex
	ok                   bool
	team                 int64
	obligations, members int64
}

// WithReadMemo returns a context in which the store checks a team's write counters once, at its
// first read, instead of before every read: one command (one chat message) then costs a single
// round trip for Member, Obligations and Members when nothing changed. Reads within the command
// see the team as of that first check, as if they had all run at that instant; a write through
// this store in the same context drops the memo, so the command's later reads see its own writes.
// Use one per command, never for a long-lived context.
func WithReadMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &readMemo{})
}

// forgetMemo drops ctx's memo after a write.
func forgetMemo(ctx context.Context) {
	if m, _ := ctx.Value(memoKey{}).(*readMemo); m != nil {
		m.mu.Lock()
		m.ok = false
		m.mu.Unlock()
	}
}

// cachedMember answers Member from the cached roster when ctx has a memo and the roster is current.
func (s *Store) cachedMember(ctx context.Context, teamID int64, userID string) (bot.Member, bool, bool) {
	if m, _ := ctx.Value(memoKey{}).(*readMemo); m == nil {
		return bot.Member{}, false, false
	}
	_, version, err := s.versions(ctx, teamID)
	if err != nil {
		return bot.Member{}, false, false
	}
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	e, ok := s.cache.members[teamID]
	if !ok || e.version != version {
		return bot.Member{}, false, false
	}
	i, found := slices.BinarySearchFunc(e.rows, userID, func(m bot.Member, id string) int { return strings.Compare(m.UserID, id) })
	if !found {
		return bot.Member{}, false, true
	}
	return e.rows[i], true, true
}

// getObligations returns the cached rows themselves: callers copy them unless they only read.
func (c *readCache) getObligations(k obligationsKey, version int64) ([]bot.Tracked, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.obligations[k]
	if !ok || e.version != version {
		return nil, false
	}
	return e.rows, true
}

func (c *readCache) putObligations(k obligationsKey, version int64, rows []bot.Tracked) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.obligations == nil {
		c.obligations = map[obligationsKey]cachedObligations{}
	}
	if e, ok := c.obligations[k]; ok && e.version > version {
		return // a slower reader must not replace newer rows
	}
	c.obligations[k] = cachedObligations{version, slices.Clone(rows)}
}

// getMembers returns the cached rows themselves: callers copy them unless they only read.
func (c *readCache) getMembers(team, version int64) ([]bot.Member, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.members[team]
	if !ok || e.version != version {
		return nil, false
	}
	return e.rows, true
}

func (c *readCache) putMembers(team, version int64, rows []bot.Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.members == nil {
		c.members = map[int64]cachedMembers{}
	}
	if e, ok := c.members[team]; ok && e.version > version {
		return
	}
	c.members[team] = cachedMembers{version, slices.Clone(rows)}
}
