package wecom_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func goodEnv() map[string]string {
	return map[string]string{
		"WECOM_CORP_ID": "wwcorp", "WECOM_AGENT_ID": "1000002", "WECOM_SECRET": "s3cr3t-value",
		"WECOM_TOKEN": "tok3n-value", "WECOM_AES_KEY": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
		"WECOM_WEBHOOK_KEY": "hook-key-value",
	}
}

func TestConfigFromEnv(t *testing.T) {
	c, err := wecom.ConfigFromEnv(env(goodEnv()))
	if err != nil {
		t.Fatal(err)
	}
	if c.APIBase != wecom.DefaultAPIBase || c.AgentID != 1000002 || c.ReplayWindow != wecom.DefaultReplayWindow {
		t.Fatalf("%v", c)
	}
	for _, tt := range []struct {
		key, val, wantErr string
		window            time.Duration
	}{
		{"WECOM_CORP_ID", "", "WECOM_CORP_ID", 0},
		{"WECOM_AGENT_ID", "abc", "WECOM_AGENT_ID", 0},
		{"WECOM_AGENT_ID", "", "WECOM_AGENT_ID", 0},
		{"WECOM_SECRET", "", "WECOM_SECRET", 0},
		{"WECOM_TOKEN", "", "WECOM_TOKEN", 0},
		{"WECOM_AES_KEY", "short", "WECOM_AES_KEY", 0},
		{"WECOM_AES_KEY", strings.Repeat("!", 43), "WECOM_AES_KEY", 0},
		{"WECOM_API_BASE", "ftp://x", "WECOM_API_BASE", 0},
		{"WECOM_REPLAY_WINDOW", "300", "", 300 * time.Second},
		{"WECOM_REPLAY_WINDOW", "5m", "", 5 * time.Minute},
		{"WECOM_REPLAY_WINDOW", "0", "", 0},
		{"WECOM_REPLAY_WINDOW", "-1", "WECOM_REPLAY_WINDOW", 0},
		{"WECOM_REPLAY_WINDOW", "soon", "WECOM_REPLAY_WINDOW", 0},
	} {
		e := goodEnv()
		e[tt.key] = tt.val
		c, err := wecom.ConfigFromEnv(env(e))
		if tt.wantErr == "" {
			if err != nil || c.ReplayWindow != tt.window {
				t.Errorf("%s=%q: %v %v", tt.key, tt.val, c.ReplayWindow, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s=%q: err %v, want one naming %s", tt.key, tt.val, err, tt.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("error reveals the secret: %v", err)
		}
	}
}

func TestConfigNeverRevealsSecrets(t *testing.T) {
	c, _ := wecom.ConfigFromEnv(env(goodEnv()))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "wecom", c)
	out := buf.String() + fmt.Sprint(c) + fmt.Sprintf("%v %+v %#v %s", c, c, c, c)
	for _, secret := range []string{"s3cr3t-value", "tok3n-value", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "hook-key-value"} {
		if strings.Contains(out, secret) {
			t.Fatalf("%q leaked in %s", secret, out)
		}
	}
	if !strings.Contains(out, "wwcorp") {
		t.Fatalf("CorpID missing from %s", out)
	}
}

func TestTaskID(t *testing.T) {
	day := bot.NewDate(2026, 6, 15)
	for _, tt := range []struct{ team, user, want string }{
		{"default", "zhangsan", "pb_default_20260615_zhangsan"},
		{"default", "zhang.san", ""},
		{"淮北", "li", ""},
		{"default", strings.Repeat("u", 200), ""},
	} {
		got := wecom.TaskID(tt.team, day, tt.user)
		if !wecom.ValidTaskID(got) {
			t.Errorf("TaskID(%q, %q) = %q is invalid", tt.team, tt.user, got)
		}
		if tt.want != "" && got != tt.want {
			t.Errorf("TaskID(%q, %q) = %q, want %q", tt.team, tt.user, got, tt.want)
		}
	}
	// Users that sanitise alike still get distinct ids.
	if wecom.TaskID("t", day, "a.b") == wecom.TaskID("t", day, "a_b") || wecom.TaskID("t", day, "a.b") == wecom.TaskID("t", day, "a,b") {
		t.Fatal("collision")
	}
	if wecom.TaskID("t", day, "u") == wecom.TaskID("t", day.AddDays(1), "u") {
		t.Fatal("same id on two days")
	}
}
