package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/audit"
)

const (
	teamColumns   = `id, name, time_zone, digest_cron, group_target, coalesce(parent_id, 0), removed_at is not null`
	sqlTeamByName = `select ` + teamColumns + ` from teams where name = $1`
	sqlTeamInsert = `insert into teams (name) values ($1) on conflict (name) do nothing
returning ` + teamColumns
	sqlTeamAdd = `insert into teams (name, time_zone, digest_cron, group_target, parent_id)
values ($1, $2, $3, $4, nullif($5, 0)) on conflict (name) do nothing returning ` + teamColumns
	sqlTeams         = `select ` + teamColumns + ` from teams order by id`
	sqlTeamForUpdate = `select ` + teamColumns + ` from teams where id = $1 for update`
	sqlTeamUpdate    = `update teams set time_zone = $2, digest_cron = $3, group_target = $4, parent_id = nullif($5, 0),
removed_at = case when not $6 then null else coalesce(removed_at, $7) end where id = $1`
	// The tree changes under this lock only, so a cycle check reads a tree no one else changes.
	sqlTeamsTreeLock = `lock table teams in share row exclusive mode`
	sqlTeamLock      = `select id from teams where id = $1 for update`
	sqlTeamShare     = `select id from teams where id = $1 for share`

	sqlMemberForUpdate = `select team_id, userid, name, role, active from members
where team_id = $1 and userid = $2 for update`
	sqlMemberInsert = `insert into members (team_id, userid, name, role, active) values ($1, $2, $3, $4, $5)`
	sqlMemberUpdate = `update members set name = $3, role = $4, active = $5 where team_id = $1 and userid = $2`
	sqlMember       = `select team_id, userid, name, role, active from members where team_id = $1 and userid = $2`
	sqlMembers      = `select team_id, userid, name, role, active from members where team_id = $1 order by userid collate "C"`
)

// Defaults of a new team, as in package bot; the schema's column defaults must agree.
const (
	DefaultTimeZone   = bot.DefaultTimeZone
	DefaultDigestCron = bot.DefaultDigestCron
)

func scanTeam(row pgx.Row) (bot.Team, error) {
	var t bot.Team
	err := row.Scan(&t.ID, &t.Name, &t.TimeZone, &t.DigestCron, &t.GroupTarget, &t.ParentID, &t.Removed)
	return t, err
}

// teamsTx lists all teams inside tx.
func teamsTx(ctx context.Context, db DBTX) ([]bot.Team, error) {
	rows, err := db.Query(ctx, sqlTeams)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Team
	for rows.Next() {
		t, err := scanTeam(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *Store) now() time.Time { return instant(s.Now()) }

// EnsureTeam implements bot.Store.
func (s *Store) EnsureTeam(ctx context.Context, name string) (bot.Team, error) {
	if name == "" {
		name = bot.DefaultTeam
	}
	t, err := scanTeam(s.pool.QueryRow(ctx, sqlTeamByName, name))
	if err == nil || !errors.Is(err, pgx.ErrNoRows) {
		return t, classify(err)
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		t, err = scanTeam(tx.QueryRow(ctx, sqlTeamInsert, name))
		if errors.Is(err, pgx.ErrNoRows) { // created meanwhile by someone else
			t, err = scanTeam(tx.QueryRow(ctx, sqlTeamByName, name))
			return err
		}
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, t.ID, "system", "team.create", t.Name, nil, audit.Team(t), s.now())
	})
	return t, err
}

// AddTeam implements bot.Store.
func (s *Store) AddTeam(ctx context.Context, actor string, t bot.Team) (bot.Team, error) {
	if err := bot.NeedActor(actor); err != nil {
		return bot.Team{}, err
	}
	t, err := bot.NewTeam(t)
	if err != nil {
		return bot.Team{}, err
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlTeamsTreeLock); err != nil {
			return err
		}
		teams, err := teamsTx(ctx, tx)
		if err != nil {
			return err
		}
		if err := bot.NewTree(teams).ValidParent(0, t.ParentID); err != nil {
			return err
		}
		nt, err := scanTeam(tx.QueryRow(ctx, sqlTeamAdd, t.Name, t.TimeZone, t.DigestCron, t.GroupTarget, t.ParentID))
		if errors.Is(err, pgx.ErrNoRows) {
			return bot.Errorf(bot.ECONFLICT, "单位“%s”已存在。", t.Name)
		}
		if err != nil {
			return err
		}
		t = nt
		return writeAudit(ctx, tx, t.ID, actor, "team.create", t.Name, nil, audit.Team(t), s.now())
	})
	if err != nil {
		return bot.Team{}, err
	}
	return t, nil
}

// TeamByName returns the team called name (removed ones too); ErrNotFound when there is none.
func (s *Store) TeamByName(ctx context.Context, name string) (bot.Team, error) {
	t, err := scanTeam(s.pool.QueryRow(ctx, sqlTeamByName, name))
	if err != nil {
		return bot.Team{}, fmt.Errorf("team %q: %w", name, classify(err))
	}
	return t, nil
}

// Teams implements bot.Store.
func (s *Store) Teams(ctx context.Context) (_ []bot.Team, err error) {
	defer reading(&err)
	out, err := teamsTx(ctx, s.pool)
	return out, classify(err)
}

// UpdateTeam implements bot.Store.
func (s *Store) UpdateTeam(ctx context.Context, t bot.Team) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		old, err := scanTeam(tx.QueryRow(ctx, sqlTeamForUpdate, t.ID))
		if err != nil {
			return fmt.Errorf("team %d: %w", t.ID, classify(err))
		}
		t = bot.TeamUpdate(old, t)
		if t == old {
			return nil
		}
		if t.ParentID != old.ParentID || t.Removed != old.Removed {
			if _, err := tx.Exec(ctx, sqlTeamsTreeLock); err != nil {
				return err
			}
			teams, err := teamsTx(ctx, tx)
			if err != nil {
				return err
			}
			if err := bot.NewTree(teams).ValidTeamChange(old, t); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, sqlTeamUpdate, t.ID, t.TimeZone, t.DigestCron, t.GroupTarget, t.ParentID, t.Removed, s.now()); err != nil {
			return err
		}
		return writeAudit(ctx, tx, t.ID, "system", bot.TeamAction(old, t), t.Name, audit.Team(old), audit.Team(t), s.now())
	})
}

// lockTeam checks that the team exists and locks it (for update or share) until the transaction ends.
func lockTeam(ctx context.Context, db DBTX, teamID int64, exclusive bool) error {
	q := sqlTeamShare
	if exclusive {
		q = sqlTeamLock
	}
	var id int64
	if err := db.QueryRow(ctx, q, teamID).Scan(&id); err != nil {
		return fmt.Errorf("team %d: %w", teamID, classify(err))
	}
	return nil
}

func scanMember(row pgx.Row) (bot.Member, error) {
	var m bot.Member
	var role string
	err := row.Scan(&m.TeamID, &m.UserID, &m.Name, &role, &m.Active)
	m.Role = bot.Role(role)
	return m, err
}

// PutMember implements bot.Store.
func (s *Store) PutMember(ctx context.Context, actor string, m bot.Member) error {
	if err := bot.ValidMember(m); err != nil {
		return err
	}
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := s.putMember(ctx, tx, actor, m)
		return err
	})
}

// putMember adds or updates m inside tx and says which ("add", "update" or "" for no change).
func (s *Store) putMember(ctx context.Context, tx pgx.Tx, actor string, m bot.Member) (string, error) {
	if err := lockTeam(ctx, tx, m.TeamID, false); err != nil {
		return "", err
	}
	old, err := scanMember(tx.QueryRow(ctx, sqlMemberForUpdate, m.TeamID, m.UserID))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if _, err := tx.Exec(ctx, sqlMemberInsert, m.TeamID, m.UserID, m.Name, string(m.Role), m.Active); err != nil {
			return "", err
		}
		return "add", writeAudit(ctx, tx, m.TeamID, actor, "member.add", m.UserID, nil, audit.Member(m), s.now())
	case err != nil:
		return "", err
	case old == m:
		return "", nil
	}
	if _, err := tx.Exec(ctx, sqlMemberUpdate, m.TeamID, m.UserID, m.Name, string(m.Role), m.Active); err != nil {
		return "", err
	}
	return "update", writeAudit(ctx, tx, m.TeamID, actor, "member.update", m.UserID, audit.Member(old), audit.Member(m), s.now())
}

// PutMembers implements bot.Store.
func (s *Store) PutMembers(ctx context.Context, actor string, ms []bot.Member) (added, changed int, err error) {
	if err := bot.NeedActor(actor); err != nil {
		return 0, 0, err
	}
	for _, m := range ms {
		if err := bot.ValidMember(m); err != nil {
			return 0, 0, err
		}
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		added, changed = 0, 0
		for _, m := range ms {
			what, err := s.putMember(ctx, tx, actor, m)
			if err != nil {
				return err
			}
			switch what {
			case "add":
				added++
			case "update":
				changed++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return added, changed, nil
}

// PutUnits implements bot.Store.
func (s *Store) PutUnits(ctx context.Context, actor string, specs []bot.UnitSpec) (added, changed int, err error) {
	if err := bot.NeedActor(actor); err != nil {
		return 0, 0, err
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		added, changed = 0, 0
		if _, err := tx.Exec(ctx, sqlTeamsTreeLock); err != nil {
			return err
		}
		teams, err := teamsTx(ctx, tx)
		if err != nil {
			return err
		}
		changes, err := bot.PlanUnits(teams, specs)
		if err != nil {
			return err
		}
		ids := map[string]int64{}
		old := map[int64]bot.Team{}
		for _, t := range teams {
			ids[t.Name] = t.ID
			old[t.ID] = t
		}
		for _, c := range changes {
			u := c.Team
			u.ParentID = ids[c.Parent]
			if c.New {
				nu, err := scanTeam(tx.QueryRow(ctx, sqlTeamAdd, u.Name, u.TimeZone, u.DigestCron, u.GroupTarget, u.ParentID))
				if err != nil {
					return err
				}
				ids[nu.Name] = nu.ID
				added++
				if err := writeAudit(ctx, tx, nu.ID, actor, "team.create", nu.Name, nil, audit.Team(nu), s.now()); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.Exec(ctx, sqlTeamUpdate, u.ID, u.TimeZone, u.DigestCron, u.GroupTarget, u.ParentID, u.Removed, s.now()); err != nil {
				return err
			}
			changed++
			if err := writeAudit(ctx, tx, u.ID, actor, bot.TeamAction(old[u.ID], u), u.Name, audit.Team(old[u.ID]), audit.Team(u), s.now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return added, changed, nil
}

// RemoveMember implements bot.Store.
func (s *Store) RemoveMember(ctx context.Context, actor string, teamID int64, userID string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		old, err := scanMember(tx.QueryRow(ctx, sqlMemberForUpdate, teamID, userID))
		if err != nil {
			return fmt.Errorf("member %q: %w", userID, classify(err))
		}
		if !old.Active {
			return nil
		}
		m := old
		m.Active = false
		if _, err := tx.Exec(ctx, sqlMemberUpdate, m.TeamID, m.UserID, m.Name, string(m.Role), m.Active); err != nil {
			return err
		}
		return writeAudit(ctx, tx, teamID, actor, "member.remove", userID, audit.Member(old), audit.Member(m), s.now())
	})
}

// Member implements bot.Store.
func (s *Store) Member(ctx context.Context, teamID int64, userID string) (_ bot.Member, err error) {
	defer reading(&err)
	m, err := scanMember(s.pool.QueryRow(ctx, sqlMember, teamID, userID))
	if err != nil {
		return bot.Member{}, fmt.Errorf("member %q: %w", userID, classify(err))
	}
	return m, nil
}

// Members implements bot.Store.
func (s *Store) Members(ctx context.Context, teamID int64) (_ []bot.Member, err error) {
	defer reading(&err)
	out, shared, err := s.membersShared(ctx, teamID)
	if shared {
		out = slices.Clone(out)
	}
	return out, err
}

// membersShared answers Members; shared reports that out is the cache's own slice, which Members
// copies.
func (s *Store) membersShared(ctx context.Context, teamID int64) (out []bot.Member, shared bool, err error) {
	_, version, verr := s.versions(ctx, teamID) // on error, the query below reports it
	if verr != nil {
		out, err = s.members(ctx, teamID)
		return out, false, err
	}
	return s.membersAt(ctx, teamID, version)
}

// membersAt is membersShared once the team's members counter was read (version).
func (s *Store) membersAt(ctx context.Context, teamID, version int64) (out []bot.Member, shared bool, err error) {
	if out, ok := s.cache.getMembers(teamID, version); ok {
		return out, true, nil
	}
	out, err = s.members(ctx, teamID)
	if err == nil {
		s.cache.putMembers(teamID, version, out) // keeps a copy
	}
	return out, false, err
}

func (s *Store) members(ctx context.Context, teamID int64) ([]bot.Member, error) {
	rows, err := s.pool.Query(ctx, sqlMembers, teamID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []bot.Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, m)
	}
	return out, classify(rows.Err())
}

const (
	sqlMemberships = `select coalesce(c.team_id, 0), coalesce(m.team_id, 0), coalesce(m.userid, ''),
coalesce(m.name, ''), coalesce(m.role, ''), coalesce(m.active, false)
from (select $1::text as userid) u
left join current_units c on c.userid = u.userid
left join members m on m.userid = u.userid and m.active
order by m.team_id`
	sqlCurrentForUpdate = `select team_id from current_units where userid = $1 for update`
	sqlCurrentUnitPut   = `insert into current_units (userid, team_id, at) values ($1, $2, $3)
on conflict (userid) do update set team_id = excluded.team_id, at = excluded.at`
	sqlCurrentUnitForget = `delete from current_units where userid = $1`
)

// Memberships implements bot.Store: both reads in one statement (one round trip, one
// execution). The one-row u keeps the chosen unit when the person is a member nowhere; a
// team_id 0 (ids start at 1) marks that row, which is no membership.
func (s *Store) Memberships(ctx context.Context, userID string) (_ []bot.Member, _ int64, err error) {
	defer reading(&err)
	rows, err := s.pool.Query(ctx, sqlMemberships, userID)
	if err != nil {
		return nil, 0, classify(err)
	}
	defer rows.Close()
	var out []bot.Member
	var current int64
	for rows.Next() {
		var m bot.Member
		var role string
		if err := rows.Scan(&current, &m.TeamID, &m.UserID, &m.Name, &role, &m.Active); err != nil {
			return nil, 0, classify(err)
		}
		if m.TeamID != 0 {
			m.Role = bot.Role(role)
			out = append(out, m)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, classify(err)
	}
	return out, current, nil
}

// SetCurrentUnit implements bot.Store.
func (s *Store) SetCurrentUnit(ctx context.Context, userID string, teamID int64, at time.Time) error {
	if err := bot.NeedActor(userID); err != nil {
		return err
	}
	return s.tx(ctx, func(tx pgx.Tx) error {
		var old int64
		if err := tx.QueryRow(ctx, sqlCurrentForUpdate, userID).Scan(&old); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if old == teamID {
			return nil
		}
		logTeam := teamID
		if teamID == 0 {
			logTeam = old
			if _, err := tx.Exec(ctx, sqlCurrentUnitForget, userID); err != nil {
				return err
			}
		} else {
			if err := lockTeam(ctx, tx, teamID, false); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, sqlCurrentUnitPut, userID, teamID, instant(at)); err != nil {
				return err
			}
		}
		return writeAudit(ctx, tx, logTeam, userID, "member.switch", userID, audit.Switch(old), audit.Switch(teamID), at)
	})
}

const sqlSeen = `insert into inbound_messages (id, seen_at) values ($1, $2) on conflict (id) do nothing`

// SeenMessage implements bot.Store.
func (s *Store) SeenMessage(ctx context.Context, id string, at time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, sqlSeen, id, instant(at))
	if err != nil {
		return false, classify(err)
	}
	return tag.RowsAffected() == 1, nil
}

const (
	sqlRecordReply = `insert into inbound_messages (id, seen_at, ref) values ($1, $2, $3) on conflict (id) do nothing`
	sqlReply       = `select ref from inbound_messages where id = $1`
)

// replyKey is the inbound_messages id under which the reply to msgID is kept (beside the
// message's effect keys, "msgID|op|target#n").
func replyKey(msgID string) string { return msgID + "|reply" }

// RecordReply implements bot.Store.
func (s *Store) RecordReply(ctx context.Context, msgID string, r bot.Reply, at time.Time) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, sqlRecordReply, replyKey(msgID), instant(at), string(b))
	return classify(err)
}

// RecordedReply implements bot.Store.
func (s *Store) RecordedReply(ctx context.Context, msgID string) (bot.Reply, bool, error) {
	var ref string
	err := s.pool.QueryRow(ctx, sqlReply, replyKey(msgID)).Scan(&ref)
	if errors.Is(err, pgx.ErrNoRows) {
		return bot.Reply{}, false, nil
	}
	if err != nil {
		return bot.Reply{}, false, classify(err)
	}
	var r bot.Reply
	if err := json.Unmarshal([]byte(ref), &r); err != nil {
		return bot.Reply{}, false, fmt.Errorf("postgres: recorded reply %q: %w", msgID, err)
	}
	return r, true, nil
}

const sqlPruneSeen = `delete from inbound_messages where seen_at < $1`

// PruneMessages implements bot.Store. It scans the table (no index on seen_at): meant for a
// daily job over a few days of message ids, not for every message.
func (s *Store) PruneMessages(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, sqlPruneSeen, instant(before))
	if err != nil {
		return 0, classify(err)
	}
	return tag.RowsAffected(), nil
}
