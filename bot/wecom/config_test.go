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

func goodConfig() wecom.Config {
	return wecom.Config{
		CorpID: "wwcorp", AgentID: 1000002, Secret: "s3cr3t-value",
		Token: "tok3n-value", AESKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
		WebhookKey: "hook-key-value", APIBase: wecom.DefaultAPIBase, ReplayWindow: wecom.DefaultReplayWindow,
	}
}

// Validate names the missing or malformed setting's variable, never a secret. (Reading the
// variables is cmd/planbot's loadConfig, tested there.)
func TestConfigValidate(t *testing.T) {
	if err := goodConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		edit    func(*wecom.Config)
		wantErr string
	}{
		{"no corp", func(c *wecom.Config) { c.CorpID = "" }, "WECOM_CORP_ID"},
		{"no agent", func(c *wecom.Config) { c.AgentID = 0 }, "WECOM_AGENT_ID"},
		{"no secret", func(c *wecom.Config) { c.Secret = "" }, "WECOM_SECRET"},
		{"no token", func(c *wecom.Config) { c.Token = "" }, "WECOM_TOKEN"},
		{"short key", func(c *wecom.Config) { c.AESKey = "short" }, "WECOM_AES_KEY"},
		{"bad key", func(c *wecom.Config) { c.AESKey = strings.Repeat("!", 43) }, "WECOM_AES_KEY"},
		{"ftp base", func(c *wecom.Config) { c.APIBase = "ftp://x" }, "WECOM_API_BASE"},
		{"negative window", func(c *wecom.Config) { c.ReplayWindow = -time.Second }, "WECOM_REPLAY_WINDOW"},
	} {
		c := goodConfig()
		tt.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: err %v, want one naming %s", tt.name, err, tt.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("error reveals the secret: %v", err)
		}
	}
}

func TestConfigNeverRevealsSecrets(t *testing.T) {
	c := goodConfig()
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
