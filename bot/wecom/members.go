package wecom

import (
	"context"
	"net/url"
	"strconv"

	"github.com/planbot/planbot/bot"
)

type userList struct {
	UserList []struct {
		UserID         string `json:"userid"`
		Name           string `json:"name"`
		Status         int    `json:"status"` // 1 active, 2 disabled, 4 not yet joined, 5 left
		Department     []int  `json:"department"`
		IsLeaderInDept []int  `json:"is_leader_in_dept"`
	} `json:"userlist"`
}

type departmentList struct {
	Department []struct {
		ID               int      `json:"id"`
		DepartmentLeader []string `json:"department_leader"`
	} `json:"department"`
}

// DepartmentUsers lists the members of a WeCom department (user/list, direct members only) with
// their names; department leaders (department/list's department_leader, or is_leader_in_dept)
// become supervisors, everyone else staff. TeamID is left 0 for the caller to set.
func (c *Client) DepartmentUsers(ctx context.Context, deptID int) ([]bot.Member, error) {
	id := strconv.Itoa(deptID)
	var ul userList
	if err := c.call(ctx, "user/list", url.Values{"department_id": {id}}, nil, &ul, true); err != nil {
		return nil, err
	}
	leaders := map[string]bool{}
	var dl departmentList
	if err := c.call(ctx, "department/list", url.Values{"id": {id}}, nil, &dl, true); err != nil {
		return nil, err
	}
	for _, d := range dl.Department {
		if d.ID == deptID {
			for _, u := range d.DepartmentLeader {
				leaders[u] = true
			}
		}
	}
	members := make([]bot.Member, 0, len(ul.UserList))
	for _, u := range ul.UserList {
		for i, d := range u.Department {
			if d == deptID && i < len(u.IsLeaderInDept) && u.IsLeaderInDept[i] == 1 {
				leaders[u.UserID] = true
			}
		}
		role := bot.RoleStaff
		if leaders[u.UserID] {
			role = bot.RoleSupervisor
		}
		members = append(members, bot.Member{
			UserID: u.UserID,
			Name:   u.Name,
			Role:   role,
			Active: u.Status == 0 || u.Status == 1,
		})
	}
	return members, nil
}
