package wecom

import (
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"github.com/silenceper/wechat/v2/util"
)

// crypter implements WeCom's callback scheme: sha1 signatures over the sorted token, timestamp,
// nonce and ciphertext, and AES-256-CBC with IV = key[:16] (silenceper's util does the AES).
type crypter struct {
	token string
	key   []byte // 32 bytes
}

func newCrypter(token, encodingAESKey string) (*crypter, error) {
	k, err := decodeAESKey(encodingAESKey)
	if err != nil {
		return nil, err
	}
	return &crypter{token: token, key: k}, nil
}

// sign computes msg_signature: the hex sha1 of the sorted token, timestamp, nonce and
// ciphertext, concatenated (what util.Signature computes, without its fmt and variadic slice
// on every message; crypto_test.go checks they agree).
func (c *crypter) sign(timestamp, nonce, encrypt string) string {
	p := [4]string{c.token, timestamp, nonce, encrypt}
	slices.Sort(p[:])
	var stack [1024]byte // sha1's Write would copy each string; one buffer holds all four
	b := stack[:0]
	for _, s := range p {
		b = append(b, s...)
	}
	sum := sha1.Sum(b)
	return hex.EncodeToString(sum[:])
}

// verify compares the signature in constant time.
func (c *crypter) verify(sig, timestamp, nonce, encrypt string) bool {
	want := c.sign(timestamp, nonce, encrypt)
	return subtle.ConstantTimeCompare([]byte(want), []byte(sig)) == 1
}

// errCipher marks ciphertext that does not decrypt.
var errCipher = errors.New("bad ciphertext")

// open decrypts a base64 ciphertext into the message and the receive id it was sealed for.
func (c *crypter) open(encrypt string) (msg []byte, receiveID string, err error) {
	raw, err := base64.StdEncoding.DecodeString(encrypt)
	if err != nil {
		return nil, "", fmt.Errorf("%w: base64: %v", errCipher, err)
	}
	msg, id, err := aesOpen(raw, c.key)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", errCipher, err)
	}
	return msg, string(id), nil
}

// aesOpen calls util.AESDecryptMsg, which refuses a ciphertext of a bad length or padding with
// an error; its one panic, a key that is not an AES key, cannot happen: decodeAESKey gives the
// crypter 32 bytes (FuzzParseMessage and the robot's fuzz targets feed it garbage).
func aesOpen(raw, key []byte) (msg, id []byte, err error) {
	_, msg, id, err = util.AESDecryptMsg(raw, key)
	return msg, id, err
}

// seal encrypts msg for receiveID and returns the base64 ciphertext.
func (c *crypter) seal(msg []byte, receiveID string) (string, error) {
	random := make([]byte, 16)
	if _, err := rand.Read(random); err != nil {
		return "", err
	}
	ct := util.AESEncryptMsg(random, msg, receiveID, c.key)
	return base64.StdEncoding.EncodeToString(ct), nil
}

// newNonce returns a random nonce for passive replies.
func newNonce() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
