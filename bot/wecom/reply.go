package wecom

import (
	"strconv"
	"strings"
)

// The passive reply is two small XML documents: the plaintext text message, and the encrypted,
// signed envelope around it. They are written by hand, byte for byte what encoding/xml gives
// for the structs in reply_test.go (which checks it), at a fraction of the reflection's cost.

// appendCDATA appends the element <name>s</name> with s as CDATA the way encoding/xml does:
// nothing inside for an empty s, and any "]]>" split across two sections.
func appendCDATA(b []byte, name, s string) []byte {
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	if s != "" {
		b = append(b, "<![CDATA["...)
		for {
			before, after, ok := strings.Cut(s, "]]>")
			if !ok {
				break
			}
			b = append(b, before...)
			b = append(b, "]]]]><![CDATA[>"...)
			s = after
		}
		b = append(b, s...)
		b = append(b, "]]>"...)
	}
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

// passiveTextXML is the plaintext XML of a passive text reply.
func passiveTextXML(user, corpID string, now int64, text string) []byte {
	b := make([]byte, 0, len(text)+len(user)+len(corpID)+160)
	b = append(b, "<xml>"...)
	b = appendCDATA(b, "ToUserName", user)
	b = appendCDATA(b, "FromUserName", corpID)
	b = append(b, "<CreateTime>"...)
	b = strconv.AppendInt(b, now, 10)
	b = append(b, "</CreateTime>"...)
	b = appendCDATA(b, "MsgType", "text")
	b = appendCDATA(b, "Content", text)
	return append(b, "</xml>"...)
}

// replyEnvelopeXML is the encrypted, signed envelope of a passive reply; ts is decimal digits.
func replyEnvelopeXML(enc, sig, ts, nonce string) []byte {
	b := make([]byte, 0, len(enc)+len(sig)+len(ts)+len(nonce)+128)
	b = append(b, "<xml>"...)
	b = appendCDATA(b, "Encrypt", enc)
	b = appendCDATA(b, "MsgSignature", sig)
	b = append(b, "<TimeStamp>"...)
	b = append(b, ts...)
	b = append(b, "</TimeStamp>"...)
	b = appendCDATA(b, "Nonce", nonce)
	return append(b, "</xml>"...)
}

// sealReply builds the encrypted, signed passive reply to user with text.
func (c *crypter) sealReply(corpID, user, text string, now int64) ([]byte, error) {
	enc, err := c.seal(passiveTextXML(user, corpID, now, text), corpID)
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(now, 10)
	nonce := newNonce()
	return replyEnvelopeXML(enc, c.sign(ts, nonce, enc), ts, nonce), nil
}
