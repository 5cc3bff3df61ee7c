package wecom

import (
	"testing"

	"github.com/silenceper/wechat/v2/util"
)

func checkSign(t *testing.T, token, ts, nonce, enc string) {
	t.Helper()
	c := &crypter{token: token}
	if got, want := c.sign(ts, nonce, enc), util.Signature(token, ts, nonce, enc); got != want {
		t.Errorf("sign(%q, %q, %q, %q) = %s, want util.Signature's %s", token, ts, nonce, enc, got, want)
	}
}

// sign must be exactly silenceper's util.Signature, which WeCom's own samples agree with.
func TestSignMatchesUtil(t *testing.T) {
	checkSign(t, "QDG6eK", "1409659813", "1372623149", "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS")
	checkSign(t, "", "", "", "")
	checkSign(t, "b", "a", "b", "a")
}

func FuzzSign(f *testing.F) {
	f.Add("token", "1700000000", "nonce", "enc")
	f.Fuzz(func(t *testing.T, token, ts, nonce, enc string) {
		checkSign(t, token, ts, nonce, enc)
	})
}

// aesOpen has no recover: util.AESDecryptMsg refuses garbage of any length with an error.
func TestAESOpenGarbage(t *testing.T) {
	key := make([]byte, 32)
	for n := range 70 {
		raw := make([]byte, n)
		for i := range raw {
			raw[i] = byte(i*7 + n)
		}
		if _, _, err := aesOpen(raw, key); err == nil {
			t.Errorf("aesOpen of %d garbage bytes: no error", n)
		}
	}
}
