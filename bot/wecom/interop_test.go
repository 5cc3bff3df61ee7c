package wecom_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

// wecomCryptoVersion is the Tencent-published npm package the interop tests run against.
const wecomCryptoVersion = "1.0.1"

// interopScript runs @wecom/crypto on one JSON request from stdin and prints a JSON answer:
// encrypt (message, id) -> ciphertext and its signature; decrypt -> message, id, and whether
// the signature verifies.
const interopScript = `
const { getSignature, decrypt, encrypt } = require('@wecom/crypto');
let input = '';
process.stdin.on('data', d => input += d);
process.stdin.on('end', () => {
  const r = JSON.parse(input);
  if (r.op === 'encrypt') {
    const ciphered = encrypt(r.key, r.message, r.id);
    console.log(JSON.stringify({ encrypt: ciphered, signature: getSignature(r.token, r.timestamp, r.nonce, ciphered) }));
  } else {
    const { message, id } = decrypt(r.key, r.encrypt);
    const ok = getSignature(r.token, r.timestamp, r.nonce, r.encrypt) === r.signature;
    console.log(JSON.stringify({ message, id, signatureOK: ok }));
  }
});
`

// wecomCrypto installs @wecom/crypto (once, in the user cache) and returns a function that runs
// interopScript. Without npm or the registry the test is skipped, except under CI=true.
func wecomCrypto(t *testing.T) func(req map[string]any) map[string]any {
	t.Helper()
	unavailable := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable("node not installed: %v", err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "planbot-interop", "wecom-crypto-"+wecomCryptoVersion)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@wecom", "crypto", "package.json")); err != nil {
		npm, err := exec.LookPath("npm")
		if err != nil {
			unavailable("npm not installed: %v", err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"planbot-interop","private":true}`), 0o644)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, "@wecom/crypto@"+wecomCryptoVersion)
		if out, err := cmd.CombinedOutput(); err != nil {
			unavailable("npm install @wecom/crypto@%s: %v\n%s", wecomCryptoVersion, err, out)
		}
	}
	script := filepath.Join(dir, "interop.js")
	if err := os.WriteFile(script, []byte(interopScript), 0o644); err != nil {
		t.Fatal(err)
	}
	return func(req map[string]any) map[string]any {
		t.Helper()
		in, _ := json.Marshal(req)
		cmd := exec.Command(node, script)
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader(in)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("@wecom/crypto %s: %v", req["op"], err)
		}
		var res map[string]any
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("@wecom/crypto answered %q: %v", out, err)
		}
		return res
	}
}

var xmlField = regexp.MustCompile(`<(Encrypt|MsgSignature|TimeStamp|Nonce)><!\[CDATA\[([^\]]*)\]\]></|<(TimeStamp)>(\d+)</`)

// passiveFields reads the four fields of an encrypted passive reply.
func passiveFields(t *testing.T, body []byte) map[string]string {
	t.Helper()
	f := map[string]string{}
	for _, m := range xmlField.FindAllStringSubmatch(string(body), -1) {
		if m[1] != "" {
			f[m[1]] = m[2]
		} else {
			f[m[3]] = m[4]
		}
	}
	for _, k := range []string{"Encrypt", "MsgSignature", "TimeStamp", "Nonce"} {
		if f[k] == "" {
			t.Fatalf("passive reply lacks %s: %s", k, body)
		}
	}
	return f
}

// The app callback takes a message encrypted and signed by Tencent's @wecom/crypto, and its
// passive reply decrypts and verifies with it (issue #16 Build: interop with @wecom/crypto).
func TestInteropWeComCryptoApp(t *testing.T) {
	run := wecomCrypto(t)
	d := &recorder{reply: bot.TextReply("收到：本月共3项")}
	h, cfg, _ := newCallback(t, d, now)
	ts, nonce := strconv.FormatInt(now.Unix(), 10), "1372623149"
	enc := run(map[string]any{"op": "encrypt", "key": cfg.AESKey, "id": cfg.CorpID, "token": cfg.Token,
		"timestamp": ts, "nonce": nonce, "message": wecomtest.TextXML(cfg, "zhangsan", "本月", "5001", now)})
	q := url.Values{"msg_signature": {enc["signature"].(string)}, "timestamp": {ts}, "nonce": {nonce}}
	r := httptest.NewRequest(http.MethodPost, "/wecom/callback?"+q.Encode(), strings.NewReader(wecomtest.EnvelopeXML(cfg, enc["encrypt"].(string))))
	w := serve(h, r)
	if w.Code != http.StatusOK {
		t.Fatalf("a message sealed by @wecom/crypto: status %d %s", w.Code, w.Body.String())
	}
	if got := d.calls(); len(got) != 1 || got[0].Text() != "本月" || got[0].FromUserName != "zhangsan" {
		t.Fatalf("dispatched %+v", got)
	}
	f := passiveFields(t, w.Body.Bytes())
	dec := run(map[string]any{"op": "decrypt", "key": cfg.AESKey, "token": cfg.Token, "timestamp": f["TimeStamp"],
		"nonce": f["Nonce"], "encrypt": f["Encrypt"], "signature": f["MsgSignature"]})
	if dec["signatureOK"] != true || dec["id"] != cfg.CorpID || !strings.Contains(dec["message"].(string), "<![CDATA[收到：本月共3项]]>") {
		t.Fatalf("@wecom/crypto read our passive reply as %v", dec)
	}
	h.Wait()
}

// The smart robot's callback takes a message sealed by @wecom/crypto (receive id ""), and its
// passive stream reply decrypts and verifies with it.
func TestInteropWeComCryptoRobot(t *testing.T) {
	run := wecomCrypto(t)
	d := &recorder{reply: bot.Reply{Markdown: "**今天** 共2项", Plain: "今天 共2项"}}
	h, _ := newRobot(t, d)
	cfg := wecomtest.RobotConfig()
	ts, nonce := strconv.FormatInt(now.Unix(), 10), "88219440"
	enc := run(map[string]any{"op": "encrypt", "key": cfg.AESKey, "id": cfg.ReceiveID, "token": cfg.Token,
		"timestamp": ts, "nonce": nonce, "message": wecomtest.RobotText("rb-5001", "zhangsan", "", "今天", "")})
	body, _ := json.Marshal(map[string]string{"encrypt": enc["encrypt"].(string)})
	q := url.Values{"msg_signature": {enc["signature"].(string)}, "timestamp": {ts}, "nonce": {nonce}}
	r := httptest.NewRequest(http.MethodPost, cfg.CallbackPath()+"?"+q.Encode(), bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := serve(h, r)
	if w.Code != http.StatusOK {
		t.Fatalf("a robot message sealed by @wecom/crypto: status %d %s", w.Code, w.Body.String())
	}
	if got := d.calls(); len(got) != 1 || got[0].Text() != "今天" {
		t.Fatalf("dispatched %+v", got)
	}
	var env struct {
		Encrypt      string `json:"encrypt"`
		MsgSignature string `json:"msgsignature"`
		Timestamp    string `json:"timestamp"`
		Nonce        string `json:"nonce"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil {
		t.Fatalf("robot reply %s: %v", w.Body.String(), err)
	}
	dec := run(map[string]any{"op": "decrypt", "key": cfg.AESKey, "token": cfg.Token, "timestamp": env.Timestamp,
		"nonce": env.Nonce, "encrypt": env.Encrypt, "signature": env.MsgSignature})
	if dec["signatureOK"] != true || dec["id"] != cfg.ReceiveID || !strings.Contains(dec["message"].(string), "今天") {
		t.Fatalf("@wecom/crypto read our robot reply as %v", dec)
	}
	h.Wait()
}
