// Package wecom is planbot's WeCom (企业微信) edge: the callback HTTP handler (signature, AES,
// de-duplication, passive replies), the message sender (app messages, template cards, group
// robot webhook, appchat) with access-token refresh, retries and pacing, and member sync.
//
// It uses the `util` and `credential` parts of github.com/silenceper/wechat/v2, never the root
// `wechat` package (its init sets logrus to debug).
package wecom

import (
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// DefaultAPIBase is WeCom's API origin.
const DefaultAPIBase = "https://qyapi.weixin.qq.com"

// Config is the WeCom part of planbot's configuration.
type Config struct {
	CorpID  string // WECOM_CORP_ID, also the receive id of callbacks
	AgentID int64  // WECOM_AGENT_ID, the self-built app
	Secret  string // WECOM_SECRET, the app secret (secret)
	Token   string // WECOM_TOKEN, the callback Token (secret)
	AESKey  string // WECOM_AES_KEY, the callback EncodingAESKey: 43 characters (secret)
	APIBase string // WECOM_API_BASE, default https://qyapi.weixin.qq.com
	// OAuthBase is where pages send a browser to log in (WECOM_OAUTH_BASE, default
	// https://open.weixin.qq.com; tests point it at the fake WeCom).
	OAuthBase  string
	WebhookKey string // WECOM_WEBHOOK_KEY, the group robot key (secret, optional)
	// ReplayWindow rejects callbacks whose timestamp is further than this from now; 0 disables.
	ReplayWindow time.Duration // WECOM_REPLAY_WINDOW
}

// DefaultReplayWindow is the replay window when WECOM_REPLAY_WINDOW is unset: a captured
// callback replayed after it (and after the de-duplication memory) is refused.
const DefaultReplayWindow = 5 * time.Minute

// Validate reports the first missing or malformed setting, naming its environment variable.
// It never includes secret values in the message.
func (c Config) Validate() error {
	switch {
	case c.CorpID == "":
		return fmt.Errorf("WECOM_CORP_ID is missing")
	case c.AgentID <= 0:
		return fmt.Errorf("WECOM_AGENT_ID is missing")
	case c.Secret == "":
		return fmt.Errorf("WECOM_SECRET is missing")
	case c.Token == "":
		return fmt.Errorf("WECOM_TOKEN is missing")
	case c.AESKey == "":
		return fmt.Errorf("WECOM_AES_KEY is missing")
	}
	if _, err := decodeAESKey(c.AESKey); err != nil {
		return fmt.Errorf("WECOM_AES_KEY: %v", err)
	}
	if c.APIBase != "" && !strings.HasPrefix(c.APIBase, "http://") && !strings.HasPrefix(c.APIBase, "https://") {
		return fmt.Errorf("WECOM_API_BASE: want an http(s) URL, got %q", c.APIBase)
	}
	if c.ReplayWindow < 0 {
		return fmt.Errorf("WECOM_REPLAY_WINDOW must not be negative")
	}
	return nil
}

// decodeAESKey turns the 43-character EncodingAESKey into the 32-byte AES key.
func decodeAESKey(s string) ([]byte, error) {
	if len(s) != 43 {
		return nil, fmt.Errorf("want 43 characters of base64, got %d characters", len(s))
	}
	k, err := base64.StdEncoding.DecodeString(s + "=")
	if err != nil || len(k) != 32 {
		return nil, fmt.Errorf("not base64 of 32 bytes")
	}
	return k, nil
}

// apiBase returns the configured API origin without a trailing slash.
func (c Config) apiBase() string {
	if c.APIBase == "" {
		return DefaultAPIBase
	}
	return strings.TrimRight(c.APIBase, "/")
}

// String describes the configuration without secrets.
func (c Config) String() string {
	return fmt.Sprintf("wecom.Config{CorpID:%s AgentID:%d Secret:%s Token:%s AESKey:%s APIBase:%s WebhookKey:%s ReplayWindow:%s}",
		c.CorpID, c.AgentID, redact(c.Secret), redact(c.Token), redact(c.AESKey), c.apiBase(), redact(c.WebhookKey), c.ReplayWindow)
}

// GoString keeps %#v from printing secrets.
func (c Config) GoString() string { return c.String() }

// LogValue implements slog.LogValuer without secrets.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("corp_id", c.CorpID),
		slog.Int64("agent_id", c.AgentID),
		slog.String("secret", redact(c.Secret)),
		slog.String("token", redact(c.Token)),
		slog.String("aes_key", redact(c.AESKey)),
		slog.String("api_base", c.apiBase()),
		slog.String("webhook_key", redact(c.WebhookKey)),
		slog.Duration("replay_window", c.ReplayWindow),
	)
}

func redact(s string) string {
	if s == "" {
		return "(unset)"
	}
	return "(set)"
}
