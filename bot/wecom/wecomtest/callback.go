package wecomtest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/xml"
	"fmt"
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

// Encrypt seals plaintext for cfg's CorpID as WeCom does and returns the base64 ciphertext.
func Encrypt(cfg wecom.Config, plaintext string) string {
	random := make([]byte, 16)
	_, _ = rand.Read(random)
	b, err := util.EncryptMsg(random, []byte(plaintext), cfg.CorpID, cfg.AESKey)
	if err != nil {
		panic(fmt.Sprintf("wecomtest: encrypt: %v", err))
	}
	return string(b)
}

// Sign computes msg_signature for cfg.
func Sign(cfg wecom.Config, timestamp, nonce, encrypt string) string {
	return util.Signature(cfg.Token, timestamp, nonce, encrypt)
}

// EnvelopeXML wraps a ciphertext in the callback POST body.
func EnvelopeXML(cfg wecom.Config, encrypt string) string {
	return fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><AgentID><![CDATA[%d]]></AgentID><Encrypt><![CDATA[%s]]></Encrypt></xml>",
		cfg.CorpID, cfg.AgentID, encrypt)
}

// CallbackQuery builds the signed query string for a ciphertext at timestamp ts.
func CallbackQuery(cfg wecom.Config, ts time.Time, encrypt string) string {
	t := strconv.FormatInt(ts.Unix(), 10)
	nonce := strconv.FormatInt(ts.UnixNano()%1e9, 10)
	return url.Values{
		"msg_signature": {Sign(cfg, t, nonce, encrypt)},
		"timestamp":     {t},
		"nonce":         {nonce},
	}.Encode()
}

// EncryptedPost builds the callback POST WeCom would send for the plaintext message xml, signed
// now (time.Now; use EncryptedPostAt with a fixed clock).
func EncryptedPost(cfg wecom.Config, xml string) *http.Request {
	return EncryptedPostAt(cfg, xml, time.Now())
}

// EncryptedPostAt is EncryptedPost with the request's timestamp.
func EncryptedPostAt(cfg wecom.Config, xml string, ts time.Time) *http.Request {
	enc := Encrypt(cfg, xml)
	r := httptest.NewRequest(http.MethodPost, "/wecom/callback?"+CallbackQuery(cfg, ts, enc), strings.NewReader(EnvelopeXML(cfg, enc)))
	r.Header.Set("Content-Type", "text/xml")
	return r
}

// TextXML is the plaintext XML of a text message.
func TextXML(cfg wecom.Config, from, content, msgID string, created time.Time) string {
	return fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>"+
		"<CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content>"+
		"<MsgId>%s</MsgId><AgentID>%d</AgentID></xml>", cfg.CorpID, from, created.Unix(), content, msgID, cfg.AgentID)
}

// CardClickXML is the plaintext XML of a template_card_event (a button click).
func CardClickXML(cfg wecom.Config, from, eventKey, taskID, responseCode string, created time.Time) string {
	return fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>"+
		"<CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>"+
		"<EventKey><![CDATA[%s]]></EventKey><TaskId><![CDATA[%s]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>"+
		"<ResponseCode><![CDATA[%s]]></ResponseCode><AgentID>%d</AgentID></xml>",
		cfg.CorpID, from, created.Unix(), eventKey, taskID, responseCode, cfg.AgentID)
}

// EventXML is the plaintext XML of a simple event (enter_agent, click with a key).
func EventXML(cfg wecom.Config, from, event, key string, created time.Time) string {
	return fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>"+
		"<CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[%s]]></Event>"+
		"<EventKey><![CDATA[%s]]></EventKey><AgentID>%d</AgentID></xml>", cfg.CorpID, from, created.Unix(), event, key, cfg.AgentID)
}

// PassiveReply is a decrypted passive reply.
type PassiveReply struct {
	ToUserName   string `xml:"ToUserName"`
	FromUserName string `xml:"FromUserName"`
	CreateTime   int64  `xml:"CreateTime"`
	MsgType      string `xml:"MsgType"`
	Content      string `xml:"Content"`
}

// OpenReply verifies and decrypts a passive reply body, failing the test when the signature or
// the receive id is wrong.
func OpenReply(t testing.TB, cfg wecom.Config, body []byte) PassiveReply {
	t.Helper()
	var env struct {
		Encrypt      string `xml:"Encrypt"`
		MsgSignature string `xml:"MsgSignature"`
		TimeStamp    string `xml:"TimeStamp"`
		Nonce        string `xml:"Nonce"`
	}
	if err := xml.Unmarshal(body, &env); err != nil {
		t.Fatalf("wecomtest: reply envelope %q: %v", body, err)
	}
	if got := Sign(cfg, env.TimeStamp, env.Nonce, env.Encrypt); got != env.MsgSignature {
		t.Fatalf("wecomtest: reply signature %s, want %s", env.MsgSignature, got)
	}
	raw, err := base64.StdEncoding.DecodeString(env.Encrypt)
	if err != nil {
		t.Fatalf("wecomtest: reply base64: %v", err)
	}
	key, _ := base64.StdEncoding.DecodeString(cfg.AESKey + "=")
	_, msg, recv, err := util.AESDecryptMsg(raw, key)
	if err != nil {
		t.Fatalf("wecomtest: reply decrypt: %v", err)
	}
	if string(recv) != cfg.CorpID {
		t.Fatalf("wecomtest: reply receive id %q, want %q", recv, cfg.CorpID)
	}
	var p PassiveReply
	if err := xml.Unmarshal(msg, &p); err != nil {
		t.Fatalf("wecomtest: reply xml %q: %v", msg, err)
	}
	return p
}
