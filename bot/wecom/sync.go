package wecom

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"

	"github.com/planbot/planbot/bot"
)

// Directory lists the members of a WeCom department; *Client satisfies it.
type Directory interface {
	DepartmentUsers(ctx context.Context, deptID int) ([]bot.Member, error)
}

// MemberStore is the part of bot.Store that member sync needs.
type MemberStore interface {
	Members(ctx context.Context, teamID int64) ([]bot.Member, error)
	PutMember(ctx context.Context, actor string, m bot.Member) error
}

// SyncResult counts what SyncMembers changed. Kept lists admins who are not (or no longer) in
// the department, or disabled in WeCom: a sync never deactivates or demotes an admin.
type SyncResult struct {
	Added       int      // new members
	Updated     int      // name or role changed, or an inactive member came back
	Deactivated int      // active members no longer (active) in the department
	Unchanged   int      // members the sync left exactly as they were
	Kept        []string // userids of admins absent from the department or disabled, left active
}

// ErrEmptyDepartment is returned when WeCom lists nobody in the department: rather than
// deactivate the whole team (a wrong --dept, or an app without address-book access), the sync
// changes nothing.
var ErrEmptyDepartment = errors.New("wecom: the department lists no members (wrong department id, or the app cannot see it)")

// SyncMembers makes team's members follow WeCom department deptID (direct members only):
// names come from WeCom; department leaders become supervisors and everyone else staff, except
// that a member set to admin by hand stays admin; members who left the department (or are
// disabled in WeCom) are deactivated, never deleted; admins are never deactivated by a sync.
// Members whose record would not change are not written, so a second sync changes nothing and
// writes no audit entries. Each change is one PutMember by actor (e.g. "wecom-sync").
func SyncMembers(ctx context.Context, dir Directory, st MemberStore, team bot.Team, deptID int, actor string) (SyncResult, error) {
	var res SyncResult
	remote, err := dir.DepartmentUsers(ctx, deptID)
	if err != nil {
		return res, fmt.Errorf("wecom: department %d: %w", deptID, err)
	}
	if len(remote) == 0 {
		return res, fmt.Errorf("department %d: %w", deptID, ErrEmptyDepartment)
	}
	local, err := st.Members(ctx, team.ID)
	if err != nil {
		return res, err
	}
	have := make(map[string]bot.Member, len(local))
	for _, m := range local {
		have[m.UserID] = m
	}
	inDept := make(map[string]bool, len(remote))
	for _, r := range remote {
		if r.UserID == "" || inDept[r.UserID] {
			continue
		}
		inDept[r.UserID] = true
		old, known := have[r.UserID]
		want := syncedMember(team.ID, old, known, r)
		if known && old.Role == bot.RoleAdmin && !r.Active && old.Active {
			res.Kept = append(res.Kept, r.UserID)
		}
		switch {
		case !known && !want.Active:
			// Never seen and not active in WeCom: nothing to remember.
			continue
		case !known:
			res.Added++
		case want == old:
			res.Unchanged++
			continue
		case old.Active && !want.Active:
			res.Deactivated++
		default:
			res.Updated++
		}
		if err := st.PutMember(ctx, actor, want); err != nil {
			return res, fmt.Errorf("member %s: %w", r.UserID, err)
		}
	}
	// Members the department no longer lists, in a stable order.
	gone := make([]bot.Member, 0)
	for _, m := range local {
		if !inDept[m.UserID] {
			gone = append(gone, m)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i].UserID < gone[j].UserID })
	for _, m := range gone {
		switch {
		case m.Role == bot.RoleAdmin:
			if m.Active {
				res.Kept = append(res.Kept, m.UserID)
			}
			res.Unchanged++
		case !m.Active:
			res.Unchanged++
		default:
			m.Active = false
			if err := st.PutMember(ctx, actor, m); err != nil {
				return res, fmt.Errorf("member %s: %w", m.UserID, err)
			}
			res.Deactivated++
		}
	}
	return res, nil
}

// syncedMember is what the store should hold for WeCom's view r of a member (old when known).
func syncedMember(teamID int64, old bot.Member, known bool, r bot.Member) bot.Member {
	m := bot.Member{TeamID: teamID, UserID: r.UserID, Name: r.Name, Role: r.Role, Active: r.Active}
	if m.Name == "" {
		// user/list omits names for some apps; keep what we had, else the userid.
		m.Name = old.Name
		if m.Name == "" {
			m.Name = r.UserID
		}
	}
	if !m.Role.Valid() {
		m.Role = bot.RoleStaff
	}
	if known && old.Role == bot.RoleAdmin {
		m.Role = bot.RoleAdmin
		if !m.Active && old.Active {
			// An admin disabled in WeCom is still never deactivated by a sync.
			m.Active = true
		}
	}
	return m
}

// String is the one-line summary the CLI prints.
func (r SyncResult) String() string {
	s := fmt.Sprintf("+%d 新增, ~%d 更新, -%d 停用, =%d 未变", r.Added, r.Updated, r.Deactivated, r.Unchanged)
	if len(r.Kept) > 0 {
		s += fmt.Sprintf("；管理员不在部门中，保留：%v", r.Kept)
	}
	return s
}

// MemberSync keeps a team in step with a WeCom department while the bot runs (planbot serve
// runs Once daily as a chore, once across replicas).
type MemberSync struct {
	Dir    Directory
	Store  MemberStore
	Team   bot.Team
	DeptID int
	Actor  string       // audit actor, default "wecom-sync"
	Log    *slog.Logger // default slog.Default()
}

// Once syncs the team with the department now; a failure is logged and returned.
func (s MemberSync) Once(ctx context.Context) (SyncResult, error) {
	log, actor := s.Log, s.Actor
	if log == nil {
		log = slog.Default()
	}
	if actor == "" {
		actor = "wecom-sync"
	}
	res, err := SyncMembers(ctx, s.Dir, s.Store, s.Team, s.DeptID, actor)
	if err != nil {
		log.Error("wecom member sync failed", "team", s.Team.Name, "dept", s.DeptID, "err", err)
		return res, err
	}
	log.Info("wecom member sync", "team", s.Team.Name, "dept", s.DeptID, "added", res.Added,
		"updated", res.Updated, "deactivated", res.Deactivated, "unchanged", res.Unchanged, "admins_kept", res.Kept)
	return res, nil
}
