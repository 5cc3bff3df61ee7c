package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// SessionTTL is how long a login lasts: a working day.
const SessionTTL = 8 * time.Hour

// Cookie names.
const (
	sessionCookie = "planbot_session"
	stateCookie   = "planbot_oauth"
	flashCookie   = "planbot_flash"
	loginCookie   = "planbot_login" // the demo login form's csrf
)

// session is a signed login: who, until when, and a random id the csrf token is bound to.
type session struct {
	UserID  string
	Expires time.Time
	ID      string
}

// signer signs and checks cookie values and csrf tokens with one key (replicas share it).
type signer struct{ key []byte }

func (s signer) mac(parts ...string) string {
	m := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// seal returns "payload.mac" for a payload of |-separated fields (base64url each).
func (s signer) seal(kind string, fields ...string) string {
	enc := make([]string, len(fields))
	for i, f := range fields {
		enc[i] = base64.RawURLEncoding.EncodeToString([]byte(f))
	}
	payload := strings.Join(enc, "|")
	return payload + "." + s.mac(kind, payload)
}

// open checks a sealed value of kind and returns its fields.
func (s signer) open(kind, v string, n int) ([]string, bool) {
	payload, mac, ok := strings.Cut(v, ".")
	if !ok || subtle.ConstantTimeCompare([]byte(mac), []byte(s.mac(kind, payload))) != 1 {
		return nil, false
	}
	enc := strings.Split(payload, "|")
	if len(enc) != n {
		return nil, false
	}
	out := make([]string, n)
	for i, e := range enc {
		b, err := base64.RawURLEncoding.DecodeString(e)
		if err != nil {
			return nil, false
		}
		out[i] = string(b)
	}
	return out, true
}

func (s signer) sealSession(se session) string {
	return s.seal("session", se.UserID, strconv.FormatInt(se.Expires.Unix(), 10), se.ID)
}

// openSession checks the cookie's signature and expiry at now.
func (s signer) openSession(v string, now time.Time) (session, error) {
	f, ok := s.open("session", v, 3)
	if !ok {
		return session{}, fmt.Errorf("bad signature")
	}
	exp, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || f[0] == "" || f[2] == "" {
		return session{}, fmt.Errorf("bad session")
	}
	se := session{UserID: f[0], Expires: time.Unix(exp, 0), ID: f[2]}
	if !now.Before(se.Expires) {
		return session{}, fmt.Errorf("expired")
	}
	return se, nil
}

// csrf is the token every POST form of a session carries.
func (s signer) csrf(se session) string { return s.mac("csrf", se.ID, se.UserID) }

// checkCSRF compares a posted token with the session's.
func (s signer) checkCSRF(se session, token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.csrf(se))) == 1
}

// randomID is 16 random bytes, base64url.
func randomID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// cookie builds a cookie of the pages: HttpOnly, SameSite=Lax, Secure unless the public URL is http.
func (srv *Server) cookie(name, value, path string, maxAge time.Duration) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: path, HttpOnly: true, Secure: srv.secure,
		SameSite: http.SameSiteLaxMode}
	if maxAge > 0 {
		c.MaxAge = int(maxAge / time.Second)
		c.Expires = srv.now().Add(maxAge)
	} else if maxAge < 0 {
		c.MaxAge = -1
	}
	return c
}
