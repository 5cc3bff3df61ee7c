package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/schedule"
	"github.com/planbot/planbot/bot/wecom"
)

// Config is planbot's whole configuration. main reads it from the environment once
// (loadConfig(os.Getenv)) and passes it to the subcommand; nothing below cmd reads the
// environment. Loading checks the form of every value that is set; what a command needs to be
// present it checks itself (serve: Config.checkServe), so `planbot demo` runs with nothing set.
type Config struct {
	DatabaseURL  string // DATABASE_URL: PostgreSQL; unset = the in-memory store where a command allows it
	RedisURL     string // REDIS_URL
	RedisPrefix  string // REDIS_PREFIX: key prefix shared by replicas of one deployment
	Listen       string // PLANBOT_LISTEN, default :8080
	CallbackPath string // PLANBOT_CALLBACK_PATH, default /wecom/callback
	Holidays     string // PLANBOT_HOLIDAYS: file of extra holidays and make-up workdays
	DigestCron   string // PLANBOT_DIGEST_CRON: the teams' default morning digest schedule
	// CatchUpUntil, PLANBOT_CATCHUP_UNTIL ("12:00" by default): a morning run missed during
	// downtime is still sent when planbot comes back before this time of the same day.
	CatchUpUntil time.Duration
	RatePerMin   int // PLANBOT_RATE_PER_MINUTE: messages per user per minute (0 = default 20, -1 = no limit)
	SyncDept     int // WECOM_SYNC_DEPT: sync members from this department at start and daily (0 = never)
	// ReplicaID, PLANBOT_REPLICA_ID: this replica's name for its jobs, the same across its
	// restarts and unique among live replicas; default hostname/PLANBOT_LISTEN (none when the
	// port is 0). A restart resumes the deliveries its previous process left unfinished at once.
	ReplicaID string
	// PublicURL, PLANBOT_PUBLIC_URL: the http(s) origin WeCom reaches planbot at; when set, serve
	// also serves the pages under /app/ (OAuth redirect_uri PublicURL/app/auth) and /ics/.
	PublicURL string
	// WebSecret, PLANBOT_WEB_SECRET: signs the pages' sessions; unset, one is derived from
	// WECOM_SECRET (the same on every replica).
	WebSecret string

	// WeCom is the app's settings as given; Validate (in checkServe) says what is missing.
	WeCom wecom.Config
	// agentIDSet: WECOM_AGENT_ID was given (sync-members needs only it, the corp id and secret).
	agentIDSet bool
	Robot      wecom.RobotConfig // the smart robot (group @-mentions), when RobotOn
	RobotOn    bool              // WECOM_ROBOT_TOKEN or WECOM_ROBOT_AES_KEY is set
}

// loadConfig reads every variable planbot knows through getenv. An error names the variable
// whose value is malformed, never a secret's value.
func loadConfig(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	c := rawConfig(getenv, get)
	for _, parse := range []func(*Config, func(string) string) error{(*Config).parseCounts, (*Config).parseTimes, (*Config).parseWeb} {
		if err := parse(&c, get); err != nil {
			return c, err
		}
	}
	c.RobotOn = c.Robot.Token != "" || c.Robot.AESKey != ""
	return c, nil
}

// rawConfig is the configuration's text values as set, with the defaults of the unset ones.
func rawConfig(getenv, get func(string) string) Config {
	c := Config{
		DatabaseURL:  getenv("DATABASE_URL"),
		RedisURL:     getenv("REDIS_URL"),
		RedisPrefix:  getenv("REDIS_PREFIX"),
		Listen:       getenv("PLANBOT_LISTEN"),
		CallbackPath: getenv("PLANBOT_CALLBACK_PATH"),
		Holidays:     getenv("PLANBOT_HOLIDAYS"),
		DigestCron:   getenv("PLANBOT_DIGEST_CRON"),
		ReplicaID:    get("PLANBOT_REPLICA_ID"),
		WebSecret:    get("PLANBOT_WEB_SECRET"),
		WeCom: wecom.Config{
			CorpID:       get("WECOM_CORP_ID"),
			Secret:       get("WECOM_SECRET"),
			Token:        get("WECOM_TOKEN"),
			AESKey:       get("WECOM_AES_KEY"),
			APIBase:      get("WECOM_API_BASE"),
			OAuthBase:    get("WECOM_OAUTH_BASE"),
			WebhookKey:   get("WECOM_WEBHOOK_KEY"),
			ReplayWindow: wecom.DefaultReplayWindow,
		},
		Robot: wecom.RobotConfig{
			Token:  get("WECOM_ROBOT_TOKEN"),
			AESKey: get("WECOM_ROBOT_AES_KEY"),
			Name:   get("WECOM_ROBOT_NAME"),
			Path:   get("PLANBOT_ROBOT_PATH"),
			// The same replay policy as the app callback.
			ReplayWindow: wecom.DefaultReplayWindow,
		},
	}
	if c.Listen == "" {
		c.Listen = ":8080"
	}
	if c.CallbackPath == "" {
		c.CallbackPath = "/wecom/callback"
	}
	if c.WeCom.APIBase == "" {
		c.WeCom.APIBase = wecom.DefaultAPIBase
	}
	return c
}

// parseCounts reads the numeric settings: PLANBOT_RATE_PER_MINUTE, WECOM_SYNC_DEPT, WECOM_AGENT_ID.
func (c *Config) parseCounts(get func(string) string) error {
	var err error
	if v := get("PLANBOT_RATE_PER_MINUTE"); v != "" {
		if c.RatePerMin, err = strconv.Atoi(v); err != nil || c.RatePerMin < -1 {
			return fmt.Errorf("PLANBOT_RATE_PER_MINUTE %q is not a number of messages (-1 = no limit)", v)
		}
	}
	if v := get("WECOM_SYNC_DEPT"); v != "" {
		if c.SyncDept, err = strconv.Atoi(v); err != nil || c.SyncDept <= 0 {
			return fmt.Errorf("WECOM_SYNC_DEPT: want a positive department id, got %q", v)
		}
	}
	if v := get("WECOM_AGENT_ID"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("WECOM_AGENT_ID: want a positive integer, got %q", v)
		}
		c.WeCom.AgentID, c.agentIDSet = n, true
	}
	return nil
}

// parseTimes reads WECOM_REPLAY_WINDOW, PLANBOT_CATCHUP_UNTIL and PLANBOT_DIGEST_CRON.
func (c *Config) parseTimes(get func(string) string) error {
	if v := get("WECOM_REPLAY_WINDOW"); v != "" {
		d, err := parseWindow(v)
		if err != nil {
			return fmt.Errorf("WECOM_REPLAY_WINDOW: %v", err)
		}
		c.WeCom.ReplayWindow, c.Robot.ReplayWindow = d, d
	}
	if v := get("PLANBOT_CATCHUP_UNTIL"); v != "" {
		t, err := time.Parse("15:04", v)
		if err != nil || t.Hour() == 0 && t.Minute() == 0 {
			return fmt.Errorf("PLANBOT_CATCHUP_UNTIL %q is not a time of day like 12:00", v)
		}
		c.CatchUpUntil = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	if c.DigestCron != "" {
		if _, err := schedule.ParseCron(c.DigestCron, bot.Shanghai); err != nil {
			return fmt.Errorf("PLANBOT_DIGEST_CRON: %w", err)
		}
	}
	return nil
}

// parseWeb reads the pages' settings: PLANBOT_PUBLIC_URL, WECOM_OAUTH_BASE, PLANBOT_WEB_SECRET.
func (c *Config) parseWeb(get func(string) string) error {
	if v := get("PLANBOT_PUBLIC_URL"); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("PLANBOT_PUBLIC_URL %q: want the http(s) origin WeCom reaches planbot at, e.g. https://bot.example.cn", v)
		}
		c.PublicURL = strings.TrimRight(v, "/")
	}
	if v := c.WeCom.OAuthBase; v != "" && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
		return fmt.Errorf("WECOM_OAUTH_BASE: want an http(s) URL, got %q", v)
	}
	if c.WebSecret != "" && len(c.WebSecret) < 16 {
		return errors.New("PLANBOT_WEB_SECRET: want at least 16 characters")
	}
	return nil
}

// parseWindow accepts whole seconds ("300") or a Go duration ("5m").
func parseWindow(s string) (time.Duration, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("must not be negative, got %q", s)
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("want seconds or a duration like 5m, got %q", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("must not be negative, got %q", s)
	}
	return d, nil
}

// checkServe reports what `planbot serve` needs and lacks, naming variables, never a secret.
func (c Config) checkServe() error {
	var missing []string
	if c.DatabaseURL == "" {
		missing = append(missing, "DATABASE_URL")
	}
	if c.RedisURL == "" {
		missing = append(missing, "REDIS_URL")
	}
	if len(missing) > 0 {
		return fmt.Errorf("缺少配置 (missing) %s: see README.md, .env.example", strings.Join(missing, ", "))
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return fmt.Errorf("PLANBOT_LISTEN %q is not host:port (e.g. :8080)", c.Listen)
	}
	if !strings.HasPrefix(c.CallbackPath, "/") {
		return fmt.Errorf("PLANBOT_CALLBACK_PATH must start with / (got %q)", c.CallbackPath)
	}
	if err := c.WeCom.Validate(); err != nil {
		return err
	}
	if c.RobotOn {
		if err := c.Robot.Validate(); err != nil {
			return err
		}
		if c.Robot.CallbackPath() == c.CallbackPath {
			return fmt.Errorf("PLANBOT_ROBOT_PATH must differ from PLANBOT_CALLBACK_PATH (%s)", c.CallbackPath)
		}
	}
	return nil
}

// directory is the WeCom configuration for reading the address book (sync-members): the corp
// id, agent id and secret only; the callback Token and AES key are not needed.
func (c Config) directory() (wecom.Config, error) {
	cfg := wecom.Config{CorpID: c.WeCom.CorpID, AgentID: c.WeCom.AgentID, Secret: c.WeCom.Secret, APIBase: c.WeCom.APIBase}
	var missing []string
	if cfg.CorpID == "" {
		missing = append(missing, "WECOM_CORP_ID")
	}
	if !c.agentIDSet {
		missing = append(missing, "WECOM_AGENT_ID")
	}
	if cfg.Secret == "" {
		missing = append(missing, "WECOM_SECRET")
	}
	if len(missing) > 0 {
		return cfg, fmt.Errorf("缺少配置 (missing) %s", strings.Join(missing, ", "))
	}
	if !strings.HasPrefix(cfg.APIBase, "http://") && !strings.HasPrefix(cfg.APIBase, "https://") {
		return cfg, fmt.Errorf("WECOM_API_BASE: want an http(s) URL, got %q", cfg.APIBase)
	}
	return cfg, nil
}

// errNoDatabase is what a command that keeps its work in PostgreSQL says without DATABASE_URL.
var errNoDatabase = errors.New("需要设置 DATABASE_URL (DATABASE_URL is not set)")
