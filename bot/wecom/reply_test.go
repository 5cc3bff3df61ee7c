package wecom

import (
	"bytes"
	"encoding/xml"
	"testing"
)

// passiveText and replyEnvelope are the structs the hand-written reply XML must match byte for
// byte under encoding/xml.
type passiveText struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata    `xml:"ToUserName"`
	FromUserName cdata    `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      cdata    `xml:"MsgType"`
	Content      cdata    `xml:"Content"`
}

type replyEnvelope struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      cdata    `xml:"Encrypt"`
	MsgSignature cdata    `xml:"MsgSignature"`
	TimeStamp    string   `xml:"TimeStamp"`
	Nonce        cdata    `xml:"Nonce"`
}

type cdata struct {
	Text string `xml:",cdata"`
}

func checkReplyXML(t *testing.T, user, corp, text string, now int64) {
	t.Helper()
	want, err := xml.Marshal(passiveText{ToUserName: cdata{user}, FromUserName: cdata{corp}, CreateTime: now,
		MsgType: cdata{"text"}, Content: cdata{text}})
	if err != nil {
		t.Fatal(err)
	}
	if got := passiveTextXML(user, corp, now, text); !bytes.Equal(got, want) {
		t.Errorf("passiveTextXML(%q, %q, %d, %q)\n got %s\nwant %s", user, corp, now, text, got, want)
	}
	want, err = xml.Marshal(replyEnvelope{Encrypt: cdata{text}, MsgSignature: cdata{user}, TimeStamp: "1700000000", Nonce: cdata{corp}})
	if err != nil {
		t.Fatal(err)
	}
	if got := replyEnvelopeXML(text, user, "1700000000", corp); !bytes.Equal(got, want) {
		t.Errorf("replyEnvelopeXML(%q, %q, …, %q)\n got %s\nwant %s", text, user, corp, got, want)
	}
}

func TestReplyXMLMatchesEncodingXML(t *testing.T) {
	for _, tt := range []struct {
		user, corp, text string
		now              int64
	}{
		{"zhangsan", "ww123", "今天到期：\n1. 核对名单", 1700000000},
		{"", "", "", 0},
		{"a]]>b", "c]]>", "]]>]]>x]]", -5},
		{"<&>\"'", "\x00\xff", "]]]>>", 1},
	} {
		checkReplyXML(t, tt.user, tt.corp, tt.text, tt.now)
	}
}

func FuzzReplyXML(f *testing.F) {
	f.Add("zhangsan", "ww123", "今天 ]]> 完成", int64(1700000000))
	f.Fuzz(func(t *testing.T, user, corp, text string, now int64) {
		checkReplyXML(t, user, corp, text, now)
	})
}
