package main

import (
	"strings"
	"testing"
)

// TestTeamCommands builds a city with three counties and a school through the CLI, on both stores.
func TestTeamCommands(t *testing.T) {
	for name, newRunner := range runners() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := newRunner(t)
			for _, args := range [][]string{
				{"add", "淮北市", "--group", "webhook:CITYKEY123"},
				{"add", "濉溪县", "--parent", "淮北市", "--cron", "0 8 * * 1-5"},
				{"add", "相山区", "--parent", "淮北市"},
				{"add", "杜集区", "--parent", "淮北市"},
				{"add", "濉溪中学", "--parent", "濉溪县"},
			} {
				if _, _, err := run(t, runTeam, args...); err != nil {
					t.Fatalf("team %v: %v", args, err)
				}
			}
			for _, bad := range []struct {
				args []string
				want string
			}{
				{[]string{"add", "濉溪县"}, "已存在"},
				{[]string{"add", "新校", "--parent", "无此县"}, "没有上级单位"},
				{[]string{"add", "新校", "--cron", "every day"}, "cron"},
				{[]string{"add", "新校", "--zone", "Mars/Base"}, "时区"},
				{[]string{"add", "新校", "--group", "KEY"}, "webhook:KEY"},
				{[]string{"set", "淮北市", "--parent", "濉溪中学"}, "循环"},
				{[]string{"remove", "濉溪县"}, "下级单位"},
				{[]string{"set", "无此县", "--cron", "0 9 * * *"}, "没有单位"},
			} {
				_, _, err := run(t, runTeam, bad.args...)
				if err == nil || !strings.Contains(err.Error(), bad.want) {
					t.Fatalf("team %v: err %v, want it to say %q", bad.args, err, bad.want)
				}
			}
			if _, _, err := run(t, runMember, "add", "zhang", "--name", "张主任", "--role", "supervisor", "--team", "濉溪县"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := run(t, runTeam, "remove", "杜集区"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := run(t, runTeam, "set", "濉溪中学", "--parent", "相山区"); err != nil {
				t.Fatal(err)
			}
			out, _, err := run(t, runTeam, "list")
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			want := []string{"淮北市  群:webhook:CITY…", "  杜集区 [已移除]", "  濉溪县  群:-  定时:0 8 * * 1-5", "  相山区", "    濉溪中学"}
			if len(lines) != len(want) {
				t.Fatalf("team list:\n%s", out)
			}
			for i, w := range want {
				if !strings.HasPrefix(lines[i], w) {
					t.Fatalf("team list line %d = %q, want prefix %q\n%s", i, lines[i], w, out)
				}
			}
			if !strings.Contains(lines[2], "成员:1 张主任(zhang,主管)") {
				t.Fatalf("county line lacks its member: %q", lines[2])
			}
			if strings.Contains(out, "CITYKEY123") {
				t.Fatal("team list prints the webhook key")
			}
		})
	}
}
