package postgres

import (
	"context"
	"errors"
	"slices"
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

// versions returns the team's write counters (0, 0 before its first write): one indexed row.
func (s *Store) versions(ctx context.Context, teamID int64) (obligations, members int64, err error) {
	err = s.pool.QueryRow(ctx, sqlTeamVersions, teamID).Scan(&obligations, &members)
	if errors.Is(err, pgx.ErrNoRows) {
		obligations, members, err = 0, 0, nil
	}
	return obligations, members, err
}

// getObligations returns the cached rows themselves: Obligations copies them for its caller.
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

// getMembers returns the cached rows themselves: Members copies them for its caller.
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
