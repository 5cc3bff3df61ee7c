package bot

// DefaultTeam is the team that exists implicitly, so a one-office deployment never names one.
const DefaultTeam = "default"

// Team is one office using the bot: a unit in the tree of units (city, county, school).
type Team struct {
	ID          int64
	Name        string
	TimeZone    string // IANA name, default Asia/Shanghai
	DigestCron  string // robfig/cron expression in the team's zone, default "30 8 * * *"
	GroupTarget string // where the group digest goes: "webhook:KEY", "appchat:CHATID" or ""
	ParentID    int64  // the unit above this one (市 above 县区 above 学校); 0 for a root
	Removed     bool   // removed units are kept for history but get no messages and no schedule
}

// Role is what a member may do.
type Role string

// Roles, weakest first.
const (
	RoleStaff      Role = "staff"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// Rank orders roles: staff < supervisor < admin; unknown roles rank 0.
func (r Role) Rank() int {
	switch r {
	case RoleStaff:
		return 1
	case RoleSupervisor:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.Rank() > 0 }

// Label is the Chinese name of the role.
func (r Role) Label() string {
	switch r {
	case RoleStaff:
		return "科员"
	case RoleSupervisor:
		return "主管"
	case RoleAdmin:
		return "管理员"
	}
	return string(r)
}

// Member is a person in a team, known by their WeCom userid.
type Member struct {
	TeamID int64
	UserID string
	Name   string
	Role   Role
	Active bool
}
