package main

import (
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

// envConfig is loadConfig over a map, failing the test on a malformed value.
func envConfig(t testing.TB, env map[string]string) Config {
	t.Helper()
	c, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	return c
}

// serveConfigErr is what serve says of an environment: a malformed value or a missing one.
func serveConfigErr(env map[string]string) error {
	c, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		return err
	}
	return c.checkServe()
}

func goodWeComEnv() map[string]string {
	return map[string]string{
		"DATABASE_URL": "postgres://x", "REDIS_URL": "redis://x",
		"WECOM_CORP_ID": "wwcorp", "WECOM_AGENT_ID": "1000002", "WECOM_SECRET": "s3cr3t-value",
		"WECOM_TOKEN": "tok3n-value", "WECOM_AES_KEY": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
		"WECOM_WEBHOOK_KEY": "hook-key-value",
	}
}

// Every variable is read here, once; defaults fill what is unset; a malformed or missing
// setting is named, never its secret value.
func TestLoadConfig(t *testing.T) {
	c := envConfig(t, goodWeComEnv())
	if err := c.checkServe(); err != nil {
		t.Fatal(err)
	}
	if c.WeCom.APIBase != wecom.DefaultAPIBase || c.WeCom.AgentID != 1000002 || c.WeCom.ReplayWindow != wecom.DefaultReplayWindow ||
		c.Listen != ":8080" || c.CallbackPath != "/wecom/callback" || c.RobotOn {
		t.Fatalf("%+v", c)
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
		{"WECOM_SYNC_DEPT", "x", "WECOM_SYNC_DEPT", wecom.DefaultReplayWindow},
		{"PLANBOT_RATE_PER_MINUTE", "-5", "PLANBOT_RATE_PER_MINUTE", wecom.DefaultReplayWindow},
		{"PLANBOT_DIGEST_CRON", "30 25 * * *", "PLANBOT_DIGEST_CRON", wecom.DefaultReplayWindow},
		{"PLANBOT_CALLBACK_PATH", "cb", "PLANBOT_CALLBACK_PATH", wecom.DefaultReplayWindow},
	} {
		e := goodWeComEnv()
		e[tt.key] = tt.val
		err := serveConfigErr(e)
		if tt.wantErr == "" {
			c, _ := loadConfig(func(k string) string { return e[k] })
			if err != nil || c.WeCom.ReplayWindow != tt.window {
				t.Errorf("%s=%q: %v %v", tt.key, tt.val, c.WeCom.ReplayWindow, err)
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

// A command that needs nothing runs with nothing set (planbot demo on a fresh machine).
func TestLoadConfigEmpty(t *testing.T) {
	c := envConfig(t, nil)
	if c.DatabaseURL != "" || c.RobotOn || c.SyncDept != 0 {
		t.Fatalf("%+v", c)
	}
	if err := c.checkServe(); err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("serve with nothing set: %v", err)
	}
}

// The smart robot is optional, on when either of its secrets is set, and shares the app's
// replay window (issue #16 finding 5).
func TestLoadConfigRobot(t *testing.T) {
	env := func(kv ...string) map[string]string {
		m := goodWeComEnv()
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	if c := envConfig(t, env()); c.RobotOn {
		t.Fatal("robot on with nothing set")
	}
	c := envConfig(t, env("WECOM_ROBOT_TOKEN", "t", "WECOM_ROBOT_AES_KEY", wecomtest.RobotAESKey, "WECOM_ROBOT_NAME", "小助手"))
	if !c.RobotOn || c.checkServe() != nil || c.Robot.CallbackPath() != "/wecom/robot" || c.Robot.Name != "小助手" {
		t.Fatalf("set: %+v err=%v", c.Robot, c.checkServe())
	}
	if c.Robot.ReplayWindow != wecom.DefaultReplayWindow {
		t.Fatalf("robot replay window %s, app default %s", c.Robot.ReplayWindow, wecom.DefaultReplayWindow)
	}
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{env("WECOM_ROBOT_TOKEN", "t"), "WECOM_ROBOT_AES_KEY"},
		{env("WECOM_ROBOT_AES_KEY", wecomtest.RobotAESKey), "WECOM_ROBOT_TOKEN"},
		{env("WECOM_ROBOT_TOKEN", "t", "WECOM_ROBOT_AES_KEY", "short"), "WECOM_ROBOT_AES_KEY"},
		{env("WECOM_ROBOT_TOKEN", "t", "WECOM_ROBOT_AES_KEY", wecomtest.RobotAESKey, "PLANBOT_ROBOT_PATH", "robot"), "PLANBOT_ROBOT_PATH"},
		{env("WECOM_ROBOT_TOKEN", "t", "WECOM_ROBOT_AES_KEY", wecomtest.RobotAESKey, "WECOM_REPLAY_WINDOW", "-3"), "WECOM_REPLAY_WINDOW"},
		{env("WECOM_ROBOT_TOKEN", "t", "WECOM_ROBOT_AES_KEY", wecomtest.RobotAESKey, "PLANBOT_ROBOT_PATH", "/wecom/callback"), "PLANBOT_ROBOT_PATH"},
	} {
		if err := serveConfigErr(tc.env); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err %v, want it to name %s", err, tc.want)
		}
	}
}
