// Command planbot is the WeCom work-plan bot: main and wiring only.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the static image has no zoneinfo
)

// subcommand is one `planbot NAME` entry; its run function lives in the file of the same name.
type subcommand struct {
	name    string
	summary string
	run     runFunc
}

// runFunc runs one subcommand with the configuration main loaded once from the environment.
type runFunc func(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error

// commands is every subcommand of planbot, in the order usage lists them.
var commands = []subcommand{
	{"chat", "talk to the bot on stdin as a member, against the configured store (admin console, scripts)", cmdChat},
	{"demo", "try planbot in the terminal: sample plan, demo team, nothing is saved", cmdDemo},
	{"digest", "show the agenda of a day: due today, overdue, upcoming, this month (今日清单)", cmdDigest},
	{"export", "export a team's obligations, completions and figures as JSON (backup)", storeCommand(runExport)},
	{"import", "import a plan document into the store: +new ~changed -retired", storeCommand(runImport)},
	{"jobs", "后台任务：列出失败和待发送的任务；jobs retry ID 重试 (list/retry jobs)", cmdJobs},
	{"member", "add, list or remove team members (member add|list|remove)", storeCommand(runMember)},
	{"migrate", "bring the PostgreSQL schema up to date (needs DATABASE_URL)", storeCommand(runMigrate)},
	{"plan", "read a plan document and list its obligations (计划)", runPlan},
	{"serve", "run the bot: WeCom callback, health, metrics and the schedules (needs DATABASE_URL, REDIS_URL, WECOM_*)", cmdServe},
	{"sync-members", "sync a team's members from a WeCom department (sync-members --dept ID [--team T])", storeCommand(runSyncMembers)},
	{"team", "add, set, list, remove units (市/县区/学校) in a tree (team add|set|list|remove)", storeCommand(runTeam)},
}

// lookup returns the subcommand called name.
func lookup(name string) (subcommand, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return subcommand{}, false
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: planbot COMMAND [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `planbot COMMAND -h` for a command's flags.")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one subcommand and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(stderr, "planbot: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "planbot %s: %v\n", args[0], err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd.run(ctx, cfg, args[1:], stdin, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "planbot %s: %v\n", args[0], err)
		return 1
	}
	return 0
}
