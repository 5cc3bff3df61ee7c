package wecomtest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot/wecom"
	"github.com/silenceper/wechat/v2/util"
)

// Test credentials of the smart robot: its own Token and EncodingAESKey, distinct from the app's.
const (
	RobotToken  = "robotTok3n"
	RobotAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	RobotName   = "资助小助手"
	RobotID     = "aibot-planbot-test"
)

// RobotConfig is a valid wecom.RobotConfig with the test robot's credentials.
func RobotConfig() wecom.RobotConfig {
	return wecom.RobotConfig{Token: RobotToken, AESKey: RobotAESKey, Name: RobotName}
}

// RobotEncrypt seals plaintext as WeCom does for a corp's own robot (receive id "").
func RobotEncrypt(cfg wecom.RobotConfig, plaintext string) string {
	random := make([]byte, 16)
	_, _ = rand.Read(random)
	b, err := util.EncryptMsg(random, []byte(plaintext), cfg.ReceiveID, cfg.AESKey)
	if err != nil {
		panic(fmt.Sprintf("wecomtest: robot encrypt: %v", err))
	}
	return string(b)
}

// RobotQuery builds the signed query string for a ciphertext at ts.
func RobotQuery(cfg wecom.RobotConfig, ts time.Time, encrypt string) string {
	t := strconv.FormatInt(ts.Unix(), 10)
	nonce := strconv.FormatInt(ts.UnixNano()%1e9, 10)
	return url.Values{
		"msg_signature": {util.Signature(cfg.Token, t, nonce, encrypt)},
		"timestamp":     {t},
		"nonce":         {nonce},
	}.Encode()
}

// RobotPost builds the robot callback POST for the plaintext JSON message, signed at ts.
func RobotPost(cfg wecom.RobotConfig, plainJSON string, ts time.Time) *http.Request {
	enc := RobotEncrypt(cfg, plainJSON)
	body, _ := json.Marshal(map[string]string{"encrypt": enc})
	r := httptest.NewRequest(http.MethodPost, cfg.CallbackPath()+"?"+RobotQuery(cfg, ts, enc), strings.NewReader(string(body)))
	r.Header.Set("Content-Type", "application/json")
	return r
}

// RobotGet builds the URL-verification GET whose echostr decrypts to echo.
func RobotGet(cfg wecom.RobotConfig, echo string, ts time.Time) *http.Request {
	enc := RobotEncrypt(cfg, echo)
	q := RobotQuery(cfg, ts, enc) + "&echostr=" + url.QueryEscape(enc)
	return httptest.NewRequest(http.MethodGet, cfg.CallbackPath()+"?"+q, nil)
}

// RobotText is the plaintext JSON of a text message to the robot: in group chatID ("" for a
// single chat) from user, with content as typed (include the "@name " mention for a group).
func RobotText(msgID, user, chatID, content, responseURL string) string {
	m := map[string]any{
		"msgid": msgID, "aibotid": RobotID, "chattype": "single",
		"from": map[string]string{"userid": user}, "response_url": responseURL,
		"msgtype": "text", "text": map[string]string{"content": content},
	}
	if chatID != "" {
		m["chatid"], m["chattype"] = chatID, "group"
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// RobotEnterChat is the plaintext JSON of the enter_chat event (a user opens the single chat).
func RobotEnterChat(msgID, user string) string {
	b, _ := json.Marshal(map[string]any{
		"msgid": msgID, "aibotid": RobotID, "chattype": "single", "create_time": 1700000000,
		"from": map[string]string{"userid": user}, "msgtype": "event",
		"event": map[string]string{"eventtype": "enter_chat"},
	})
	return string(b)
}

// RobotReply is a decrypted passive reply of the robot.
type RobotReply struct {
	MsgType string `json:"msgtype"`
	Stream  struct {
		ID      string `json:"id"`
		Finish  bool   `json:"finish"`
		Content string `json:"content"`
	} `json:"stream"`
	Text struct {
		Content string `json:"content"`
	} `json:"text"`
}

// OpenRobotReply verifies and decrypts a robot's passive reply body, failing the test when the
// envelope, the signature or the receive id is wrong.
func OpenRobotReply(t testing.TB, cfg wecom.RobotConfig, body []byte) RobotReply {
	t.Helper()
	var env struct {
		Encrypt      string `json:"encrypt"`
		MsgSignature string `json:"msgsignature"`
		Timestamp    string `json:"timestamp"` // strict like Tencent's Go SDK: a number fails
		Nonce        string `json:"nonce"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("wecomtest: robot reply envelope %q: %v", body, err)
	}
	if got := util.Signature(cfg.Token, env.Timestamp, env.Nonce, env.Encrypt); got != env.MsgSignature {
		t.Fatalf("wecomtest: robot reply signature %s, want %s", env.MsgSignature, got)
	}
	msg, recv, err := robotDecrypt(cfg.AESKey, env.Encrypt)
	if err != nil {
		t.Fatalf("wecomtest: robot reply decrypt: %v", err)
	}
	if string(recv) != cfg.ReceiveID {
		t.Fatalf("wecomtest: robot reply receive id %q, want %q", recv, cfg.ReceiveID)
	}
	var p RobotReply
	if err := json.Unmarshal(msg, &p); err != nil {
		t.Fatalf("wecomtest: robot reply json %q: %v", msg, err)
	}
	return p
}

// ResponseURL is a fake response_url endpoint recording the late replies posted to it.
type ResponseURL struct {
	*httptest.Server
	got chan []byte
}

// NewResponseURL starts a response_url endpoint, closed when the test ends.
func NewResponseURL(t testing.TB) *ResponseURL {
	r := &ResponseURL{got: make(chan []byte, 16)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
		r.got <- b
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	t.Cleanup(r.Close)
	return r
}

// Posts returns the bodies posted so far, without waiting.
func (r *ResponseURL) Posts() [][]byte {
	var out [][]byte
	for {
		select {
		case b := <-r.got:
			out = append(out, b)
		default:
			return out
		}
	}
}

// robotDecrypt opens a ciphertext whose receive id may be empty (silenceper's decrypt insists
// on a non-empty one).
func robotDecrypt(encodingAESKey, encrypt string) (msg []byte, receiveID string, err error) {
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, "", fmt.Errorf("bad EncodingAESKey")
	}
	raw, err := base64.StdEncoding.DecodeString(encrypt)
	if err != nil || len(raw) < 32 || len(raw)%aes.BlockSize != 0 {
		return nil, "", fmt.Errorf("bad ciphertext (%v)", err)
	}
	block, _ := aes.NewCipher(key)
	plain := make([]byte, len(raw))
	cipher.NewCBCDecrypter(block, key[:aes.BlockSize]).CryptBlocks(plain, raw)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > 32 {
		return nil, "", fmt.Errorf("padding %d", pad)
	}
	plain = plain[:len(plain)-pad]
	if len(plain) < 20 {
		return nil, "", fmt.Errorf("too short")
	}
	n := binary.BigEndian.Uint32(plain[16:20])
	if uint64(n) > uint64(len(plain)-20) {
		return nil, "", fmt.Errorf("message length %d", n)
	}
	return plain[20 : 20+n], string(plain[20+n:]), nil
}
