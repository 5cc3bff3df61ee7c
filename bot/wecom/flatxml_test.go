package wecom

import (
	"encoding/xml"
	"testing"
)

// FuzzFlatXML: whenever the fast path accepts an input, encoding/xml agrees on every field.
func FuzzFlatXML(f *testing.F) {
	for _, s := range []string{
		"<xml><ToUserName><![CDATA[wx]]></ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[今天]]></Content><MsgId>1</MsgId></xml>",
		"<xml>\n<ToUserName><![CDATA[wx]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt>\n<AgentID><![CDATA[218]]></AgentID>\n</xml>",
		"<xml><Content>a&amp;b</Content></xml>",
		"<xml><Content><![CDATA[a]]>b</Content></xml>",
		"<xml><Unknown>x</Unknown><MsgType>text</MsgType></xml>trailing",
		"<xml><Content>\r\n</Content></xml>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var fast rawMessage
		if !fastMessage([]byte(s), &fast) {
			return
		}
		var slow rawMessage
		if err := decodeStrict([]byte(s), &slow); err != nil {
			t.Fatalf("fast path accepted %q, encoding/xml: %v", s, err)
		}
		slow.XMLName = xml.Name{}
		if fast != slow {
			t.Fatalf("%q:\nfast %+v\nslow %+v", s, fast, slow)
		}
		var fe, se envelope
		fastEnvelope([]byte(s), &fe)
		if err := xml.Unmarshal([]byte(s), &se); err != nil || fe != se {
			t.Fatalf("envelope %q: fast %+v slow %+v %v", s, fe, se, err)
		}
	})
}
