package wecom

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
)

// The smart robot (智能机器人, docs 100719, 101031, 101033, 101138) has its own callback URL:
// a JSON body {"encrypt": …} with the same signature and AES scheme as the app callback but its
// own Token and EncodingAESKey, and an empty receive id for a corp's own robot. A text message
// (an @mention in a group, or a single chat with the robot) is dispatched like an app message;
// the answer is the passive reply
//
//	{"msgtype":"stream","stream":{"id":…,"finish":true,"content":<markdown>}}
//
// encrypted into {"encrypt","msgsignature","timestamp","nonce"}. Passive text replies are only
// allowed for the enter_chat welcome, and a stream finished in its first reply is the simplest
// form WeCom accepts for messages: no stream-refresh callbacks follow it. A dispatch slower than
// the timeout gets an empty 200 instead, and its reply goes once, as markdown, to the message's
// response_url (valid for an hour, single use; doc 101138).

// Robot message types and events.
const (
	RobotMsgText     = "text"
	RobotMsgStream   = "stream" // a stream-refresh callback
	RobotMsgEvent    = "event"
	RobotEventEnter  = "enter_chat"
	RobotChatGroup   = "group"
	RobotChatSingle  = "single"
	maxStreamBytes   = 20480 // stream content and markdown limit of the robot
	defaultRobotPath = "/wecom/robot"
)

// RobotConfig configures the smart robot's callback.
type RobotConfig struct {
	Token  string // WECOM_ROBOT_TOKEN (secret)
	AESKey string // WECOM_ROBOT_AES_KEY: the robot's EncodingAESKey, 43 characters (secret)
	// ReceiveID is the receive id the robot's messages are sealed for: "" for a corp's own
	// robot (doc 101033). Messages sealed for another id are rejected.
	ReceiveID string
	// Name is the robot's display name (WECOM_ROBOT_NAME, optional): "@Name" is removed
	// wherever it appears in a message; a leading @mention is removed in any case.
	Name string
	// Path is the callback path (PLANBOT_ROBOT_PATH, default /wecom/robot).
	Path string
	// ReplayWindow rejects callbacks whose timestamp is further than this from now; 0 disables.
	ReplayWindow time.Duration
}

// Validate reports the first missing or malformed setting, naming its variable, never a secret.
func (c RobotConfig) Validate() error {
	switch {
	case c.Token == "":
		return errors.New("WECOM_ROBOT_TOKEN is missing (set both WECOM_ROBOT_TOKEN and WECOM_ROBOT_AES_KEY, or neither)")
	case c.AESKey == "":
		return errors.New("WECOM_ROBOT_AES_KEY is missing (set both WECOM_ROBOT_TOKEN and WECOM_ROBOT_AES_KEY, or neither)")
	case c.Path != "" && !strings.HasPrefix(c.Path, "/"):
		return fmt.Errorf("PLANBOT_ROBOT_PATH must start with / (got %q)", c.Path)
	case c.ReplayWindow < 0:
		return errors.New("WECOM_REPLAY_WINDOW must not be negative")
	}
	if _, err := decodeAESKey(c.AESKey); err != nil {
		return fmt.Errorf("WECOM_ROBOT_AES_KEY: %v", err)
	}
	return nil
}

// CallbackPath is Path or the default /wecom/robot.
func (c RobotConfig) CallbackPath() string {
	if c.Path == "" {
		return defaultRobotPath
	}
	return c.Path
}

// String describes the configuration without secrets.
func (c RobotConfig) String() string {
	return fmt.Sprintf("wecom.RobotConfig{Token:%s AESKey:%s Name:%q Path:%s ReplayWindow:%s}",
		redact(c.Token), redact(c.AESKey), c.Name, c.CallbackPath(), c.ReplayWindow)
}

// GoString keeps %#v from printing secrets.
func (c RobotConfig) GoString() string { return c.String() }

// LogValue implements slog.LogValuer without secrets.
func (c RobotConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("token", redact(c.Token)),
		slog.String("aes_key", redact(c.AESKey)),
		slog.String("name", c.Name),
		slog.String("path", c.CallbackPath()),
		slog.Duration("replay_window", c.ReplayWindow),
	)
}

// RobotMessage is one decrypted smart-robot callback.
type RobotMessage struct {
	MsgID       string
	AIBotID     string
	ChatID      string // group chats only
	ChatType    string // group or single
	UserID      string // from.userid
	ResponseURL string
	MsgType     string // text, stream, event, image, mixed, …
	Content     string // text.content as typed, @mention included
	EventType   string // event.eventtype, e.g. enter_chat
	StreamID    string // stream.id of a stream-refresh callback
	CreateTime  int64  // create_time when present
}

type rawRobotMessage struct {
	MsgID    string `json:"msgid"`
	AIBotID  string `json:"aibotid"`
	ChatID   string `json:"chatid"`
	ChatType string `json:"chattype"`
	From     struct {
		UserID string `json:"userid"`
	} `json:"from"`
	ResponseURL string          `json:"response_url"`
	MsgType     string          `json:"msgtype"`
	CreateTime  json.RawMessage `json:"create_time"`
	Text        struct {
		Content string `json:"content"`
	} `json:"text"`
	Event struct {
		EventType string `json:"eventtype"`
	} `json:"event"`
	Stream struct {
		ID string `json:"id"`
	} `json:"stream"`
}

// ParseRobotMessage parses the decrypted JSON of a smart-robot callback. It checks the shape (a
// JSON object with a msgtype and a sender, fields of sane size) but not the content.
func ParseRobotMessage(b []byte) (RobotMessage, error) {
	var r rawRobotMessage
	if err := json.Unmarshal(b, &r); err != nil {
		return RobotMessage{}, fmt.Errorf("robot message: %w", err)
	}
	m := RobotMessage{
		MsgID:       strings.TrimSpace(r.MsgID),
		AIBotID:     strings.TrimSpace(r.AIBotID),
		ChatID:      strings.TrimSpace(r.ChatID),
		ChatType:    strings.TrimSpace(r.ChatType),
		UserID:      strings.TrimSpace(r.From.UserID),
		ResponseURL: strings.TrimSpace(r.ResponseURL),
		MsgType:     strings.TrimSpace(r.MsgType),
		Content:     r.Text.Content,
		EventType:   strings.TrimSpace(r.Event.EventType),
		StreamID:    strings.TrimSpace(r.Stream.ID),
	}
	if m.MsgType == "" {
		return RobotMessage{}, errors.New("robot message: no msgtype")
	}
	if m.UserID == "" {
		return RobotMessage{}, errors.New("robot message: no from.userid")
	}
	for _, f := range []string{m.MsgID, m.AIBotID, m.ChatID, m.ChatType, m.UserID, m.ResponseURL, m.Content, m.EventType, m.StreamID} {
		if len(f) > maxInboundFieldSize {
			return RobotMessage{}, errors.New("robot message: field too long")
		}
	}
	if s := strings.Trim(strings.TrimSpace(string(r.CreateTime)), `"`); s != "" && s != "null" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return RobotMessage{}, fmt.Errorf("robot message: create_time %q", s)
		}
		m.CreateTime = n
	}
	return m, nil
}

// DedupID identifies the message across WeCom's retries: the msgid, or for a message without
// one the sender, time and type.
func (m RobotMessage) DedupID() string {
	if m.MsgID != "" {
		return "msg:" + m.MsgID
	}
	return "ev:" + m.UserID + ":" + strconv.FormatInt(m.CreateTime, 10) + ":" + m.MsgType + ":" + m.EventType + ":" + m.StreamID
}

// mentionSpaces separate an @mention from what follows: WeCom puts U+2005 after a mention.
func isMentionSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u2005' || r == '\u3000' }

// StripMention removes the robot's @mention from text typed in a group: a leading "@who" (up to
// the first space, U+2005 or U+3000) and, when name is set, "@name" anywhere. What remains is
// trimmed. Mentions of other people after the first word are kept.
func StripMention(text, name string) string {
	if name != "" {
		text = strings.ReplaceAll(text, "@"+name, " ")
	}
	text = strings.TrimLeftFunc(text, isMentionSpace)
	if rest, ok := strings.CutPrefix(text, "@"); ok {
		if i := strings.IndexFunc(rest, isMentionSpace); i >= 0 {
			text = rest[i:]
		} else {
			text = ""
		}
	}
	return strings.TrimFunc(text, isMentionSpace)
}

// Inbound is m as the Dispatcher sees it: a text message (the @mention stripped) or, for
// enter_chat, an enter_agent event, so the same handlers serve both callbacks.
func (m RobotMessage) Inbound(robotName string, now time.Time) Inbound {
	in := Inbound{
		ToUserName:   m.AIBotID,
		FromUserName: m.UserID,
		CreateTime:   m.CreateTime,
		MsgType:      MsgTypeText,
		Content:      StripMention(m.Content, robotName),
		MsgID:        m.MsgID,
		ChatID:       m.ChatID,
		ChatType:     m.ChatType,
	}
	if in.CreateTime == 0 {
		in.CreateTime, in.NoCreateTime = now.Unix(), true
	}
	if m.MsgType == RobotMsgEvent {
		in.MsgType, in.Event, in.Content = MsgTypeEvent, EventEnterAgent, ""
	}
	return in
}

// RobotCallback is the http.Handler for the smart robot's callback URL. Create it with
// NewRobotCallback.
type RobotCallback struct {
	edge
	cfg   RobotConfig
	httpc *http.Client
	m     *Metrics
}

// RobotOption configures a RobotCallback.
type RobotOption func(*RobotCallback)

// WithRobotDeduper sets the de-duplication store (bot.State); without one, retries dispatch again.
func WithRobotDeduper(d Deduper) RobotOption { return func(c *RobotCallback) { c.dedup = d } }

// WithRobotClock injects the clock (replay window, reply timestamps).
func WithRobotClock(now func() time.Time) RobotOption { return func(c *RobotCallback) { c.now = now } }

// WithRobotLogger sets the logger (default slog.Default()).
func WithRobotLogger(l *slog.Logger) RobotOption { return func(c *RobotCallback) { c.log = l } }

// WithRobotMetrics records outcomes in planbot_wecom_callbacks_total as "robot_<outcome>".
func WithRobotMetrics(m *Metrics) RobotOption { return func(c *RobotCallback) { c.m = m } }

// WithRobotDispatchTimeout sets how long the handler waits for Dispatch before answering an
// empty 200 and posting the reply to response_url (default 3.5 s).
func WithRobotDispatchTimeout(d time.Duration) RobotOption {
	return func(c *RobotCallback) { c.timeout = d }
}

// NewRobotCallback returns the smart robot's callback handler. cfg must be valid.
func NewRobotCallback(cfg RobotConfig, d Dispatcher, opts ...RobotOption) (*RobotCallback, error) {
	c := &RobotCallback{cfg: cfg, httpc: &http.Client{Timeout: 10 * time.Second}}
	if err := c.init("wecom robot callback", cfg.Validate(), cfg.Token, cfg.AESKey, d, cfg.ReplayWindow); err != nil {
		return nil, err
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Wait blocks until late replies have been posted. Call it after the HTTP server has shut down.
func (c *RobotCallback) Wait() { c.wg.Wait() }

// ServeHTTP implements http.Handler.
func (c *RobotCallback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	outcome, took := c.serve(w, r, c.verifyURL, c.receive)
	c.m.callback("robot_"+outcome, took)
}

// verifyURL answers the GET sent when the robot's URL is saved.
func (c *RobotCallback) verifyURL(w http.ResponseWriter, r *http.Request) string {
	return c.edge.verifyURL(w, r, func(enc string) ([]byte, string, error) { return openRobot(c.cr.key, enc) }, c.cfg.ReceiveID)
}

// open verifies, decrypts and parses a POST; a non-empty outcome means it was rejected.
func (c *RobotCallback) open(w http.ResponseWriter, r *http.Request) (RobotMessage, string) {
	body, outcome := c.readBody(w, r)
	if outcome != "" {
		return RobotMessage{}, outcome
	}
	var env struct {
		Encrypt string `json:"encrypt"`
	}
	if err := json.Unmarshal(body, &env); err != nil || strings.TrimSpace(env.Encrypt) == "" {
		return RobotMessage{}, c.reject(w, r, http.StatusBadRequest, OutcomeBadBody, fmt.Errorf("envelope: no encrypt (%v)", err))
	}
	enc := strings.TrimSpace(env.Encrypt)
	if outcome := c.checkSigned(w, r, enc); outcome != "" {
		return RobotMessage{}, outcome
	}
	plain, recv, err := openRobot(c.cr.key, enc)
	if err != nil {
		return RobotMessage{}, c.reject(w, r, http.StatusBadRequest, OutcomeBadBody, err)
	}
	if recv != c.cfg.ReceiveID {
		return RobotMessage{}, c.reject(w, r, http.StatusForbidden, OutcomeWrongRecv, fmt.Errorf("receive id %q", recv))
	}
	m, err := ParseRobotMessage(plain)
	if err != nil {
		return RobotMessage{}, c.reject(w, r, http.StatusBadRequest, OutcomeBadBody, err)
	}
	return m, ""
}

// receive handles a POST.
func (c *RobotCallback) receive(w http.ResponseWriter, r *http.Request) string {
	m, outcome := c.open(w, r)
	if outcome != "" {
		return outcome
	}
	switch {
	case m.MsgType == RobotMsgStream:
		// A refresh of a stream: ours are finished in their first reply, so close this one.
		return c.write(w, streamReply(m.StreamID, ""), OutcomeEmpty)
	case m.MsgType == RobotMsgText:
	case m.MsgType == RobotMsgEvent && m.EventType == RobotEventEnter:
	default:
		w.WriteHeader(http.StatusOK)
		return OutcomeIgnored
	}
	id := "wecom-robot:" + m.DedupID()
	if c.duplicate(w, r, id, m.UserID) {
		return OutcomeDuplicate
	}
	in := m.Inbound(c.cfg.Name, c.now())
	in.ID = id
	ctx, cancel, d, inTime := c.dispatch(w, r, id, in, func(ctx context.Context, d dispatchResult) {
		c.postLate(ctx, m, c.replyOf(in, d))
	})
	if !inTime {
		return OutcomeAsync
	}
	defer c.answered(ctx, id)
	cancel()
	rep := c.replyOf(in, d)
	text := rep.MD()
	outcome = OutcomeReplied
	if d.failed() {
		outcome = OutcomeError
	}
	switch {
	case text == "":
		w.WriteHeader(http.StatusOK)
		if d.err == nil {
			outcome = OutcomeEmpty
		}
		return outcome
	case m.MsgType == RobotMsgEvent:
		return c.write(w, textReply(rep.Text()), outcome)
	default:
		return c.write(w, streamReply(newStreamID(), StreamMarkdown(text)), outcome)
	}
}

func (c *RobotCallback) replyOf(in Inbound, d dispatchResult) bot.Reply {
	return c.edge.replyOf(d, "user", in.FromUserName, "chat", in.ChatID)
}

// write seals the plaintext reply and writes it; a sealing failure answers an empty 200.
func (c *RobotCallback) write(w http.ResponseWriter, plain []byte, outcome string) string {
	body, err := c.seal(plain, c.now().Unix())
	if err != nil {
		c.log.Error("wecom robot seal reply", "err", err)
		w.WriteHeader(http.StatusOK)
		return OutcomeError
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return outcome
}

// robotEnvelope is the encrypted, signed passive reply (doc 101033).
type robotEnvelope struct {
	Encrypt      string `json:"encrypt"`
	MsgSignature string `json:"msgsignature"`
	Timestamp    string `json:"timestamp"` // a string, as in Tencent's samples; their Go SDK rejects a number
	Nonce        string `json:"nonce"`
}

func (c *RobotCallback) seal(plain []byte, now int64) ([]byte, error) {
	enc, err := c.cr.seal(plain, c.cfg.ReceiveID)
	if err != nil {
		return nil, err
	}
	nonce := newNonce()
	ts := strconv.FormatInt(now, 10)
	return json.Marshal(robotEnvelope{
		Encrypt:      enc,
		MsgSignature: c.cr.sign(ts, nonce, enc),
		Timestamp:    ts,
		Nonce:        nonce,
	})
}

// streamReply is a finished stream carrying content (markdown), cut to the robot's limit.
func streamReply(id, content string) []byte {
	b, _ := json.Marshal(map[string]any{
		"msgtype": "stream",
		"stream":  map[string]any{"id": id, "finish": true, "content": clipBytes(content, maxStreamBytes)},
	})
	return b
}

// fontTag matches WeCom's <font color="…"> and </font>, which app markdown renders but the
// robot's stream markdown (common markdown) would show as text.
var fontTag = regexp.MustCompile(`</?font(\s+[^>]*)?>`)

// StreamMarkdown adapts an app-markdown reply to the smart robot's stream: <font> tags are
// dropped, their text kept.
func StreamMarkdown(s string) string { return fontTag.ReplaceAllString(s, "") }

// textReply is the plain text reply allowed for the enter_chat welcome.
func textReply(content string) []byte {
	b, _ := json.Marshal(map[string]any{
		"msgtype": "text",
		"text":    map[string]any{"content": clipBytes(content, maxStreamBytes)},
	})
	return b
}

// clipBytes cuts s to at most max bytes at a line or rune boundary, marking the cut with "…".
func clipBytes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const more = "\n…"
	i := max - len(more)
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	cut := s[:i]
	if j := strings.LastIndexByte(cut, '\n'); j > len(cut)/2 {
		cut = cut[:j]
	}
	return cut + more
}

func newStreamID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// postLate sends a reply that missed the passive answer to the message's response_url, once,
// as markdown (doc 101138).
func (c *RobotCallback) postLate(ctx context.Context, m RobotMessage, rep bot.Reply) {
	text := StreamMarkdown(rep.MD()) // the same markdown as the passive stream reply
	if text == "" {
		return
	}
	if m.ResponseURL == "" || !(strings.HasPrefix(m.ResponseURL, "https://") || strings.HasPrefix(m.ResponseURL, "http://")) {
		c.log.Error("wecom robot: late reply dropped, no usable response_url", "user", m.UserID, "chat", m.ChatID)
		return
	}
	body, _ := json.Marshal(map[string]any{
		"msgtype":  "markdown",
		"markdown": map[string]any{"content": clipBytes(text, maxStreamBytes)},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.ResponseURL, bytes.NewReader(body))
	if err != nil {
		c.log.Error("wecom robot late reply", "err", err, "user", m.UserID)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.httpc.Do(req)
	if err != nil {
		// The URL carries a credential: log the error without it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		c.log.Error("wecom robot late reply", "err", err, "user", m.UserID)
		c.m.send("robot/response_url", "error", 0)
		return
	}
	defer resp.Body.Close()
	var res struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&res)
	if resp.StatusCode != http.StatusOK || res.ErrCode != 0 {
		c.log.Error("wecom robot late reply refused", "status", resp.StatusCode, "errcode", res.ErrCode, "errmsg", res.ErrMsg, "user", m.UserID)
		c.m.send("robot/response_url", "error", res.ErrCode)
		return
	}
	c.m.send("robot/response_url", "ok", 0)
}

// openRobot decrypts a base64 ciphertext of WeCom's scheme (AES-256-CBC, IV = key[:16], PKCS#7
// padding to 32 bytes; plaintext = 16 random bytes, 4-byte big-endian length, message, receive
// id). Unlike silenceper's util.AESDecryptMsg it accepts the empty receive id of a smart robot.
func openRobot(key []byte, encrypt string) (msg []byte, receiveID string, err error) {
	raw, err := base64.StdEncoding.DecodeString(encrypt)
	if err != nil {
		return nil, "", fmt.Errorf("%w: base64: %v", errCipher, err)
	}
	if len(raw) < 32 || len(raw)%aes.BlockSize != 0 {
		return nil, "", fmt.Errorf("%w: length %d", errCipher, len(raw))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, "", err
	}
	plain := make([]byte, len(raw))
	cipher.NewCBCDecrypter(block, key[:aes.BlockSize]).CryptBlocks(plain, raw)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > 32 || pad > len(plain) {
		return nil, "", fmt.Errorf("%w: padding %d", errCipher, pad)
	}
	plain = plain[:len(plain)-pad]
	if len(plain) < 20 {
		return nil, "", fmt.Errorf("%w: too short", errCipher)
	}
	n := binary.BigEndian.Uint32(plain[16:20])
	if uint64(n) > uint64(len(plain)-20) {
		return nil, "", fmt.Errorf("%w: message length %d", errCipher, n)
	}
	return plain[20 : 20+n], string(plain[20+n:]), nil
}
