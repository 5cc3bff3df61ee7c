package wecom

import (
	"encoding/xml"
	"strconv"
)

// passiveText is the plaintext XML of a passive text reply.
type passiveText struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata    `xml:"ToUserName"`
	FromUserName cdata    `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      cdata    `xml:"MsgType"`
	Content      cdata    `xml:"Content"`
}

// replyEnvelope is the encrypted, signed envelope of a passive reply.
type replyEnvelope struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      cdata    `xml:"Encrypt"`
	MsgSignature cdata    `xml:"MsgSignature"`
	TimeStamp    string   `xml:"TimeStamp"`
	Nonce        cdata    `xml:"Nonce"`
}

// cdata marshals as <![CDATA[…]]> (encoding/xml splits any "]]>" inside).
type cdata struct {
	Text string `xml:",cdata"`
}

// sealReply builds the encrypted, signed passive reply to user with text.
func (c *crypter) sealReply(corpID, user, text string, now int64) ([]byte, error) {
	plain, err := xml.Marshal(passiveText{
		ToUserName:   cdata{user},
		FromUserName: cdata{corpID},
		CreateTime:   now,
		MsgType:      cdata{"text"},
		Content:      cdata{text},
	})
	if err != nil {
		return nil, err
	}
	enc, err := c.seal(plain, corpID)
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(now, 10)
	nonce := newNonce()
	return xml.Marshal(replyEnvelope{
		Encrypt:      cdata{enc},
		MsgSignature: cdata{c.sign(ts, nonce, enc)},
		TimeStamp:    ts,
		Nonce:        cdata{nonce},
	})
}
