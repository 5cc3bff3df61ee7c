package wecom

import (
	"bytes"
	"unicode/utf8"
)

// scanFlat is a fast path for WeCom's flat XML (<xml><Name>text or CDATA</Name>…</xml>): it
// calls f for each child element and reports true, or reports false as soon as it meets
// anything else (attributes, entities, nesting, comments, \r, characters XML forbids), in which
// case the caller parses with encoding/xml. On inputs it accepts it yields what encoding/xml
// would (FuzzFlatXML checks that). It is here because encoding/xml dominated the callback's CPU.
func scanFlat(b []byte, f func(name string, value []byte)) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	if !bytes.HasPrefix(b, []byte("<xml>")) {
		return false
	}
	b = b[len("<xml>"):]
	for {
		b = bytes.TrimLeft(b, " \t\n")
		if bytes.HasPrefix(b, []byte("</xml>")) {
			return true
		}
		if len(b) < 2 || b[0] != '<' {
			return false
		}
		end := bytes.IndexByte(b, '>')
		if end < 2 {
			return false
		}
		name := b[1:end]
		for _, c := range name {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
				return false
			}
		}
		if c := name[0]; c >= '0' && c <= '9' {
			return false
		}
		b = b[end+1:]
		var value []byte
		if bytes.HasPrefix(b, []byte("<![CDATA[")) {
			b = b[len("<![CDATA["):]
			stop := bytes.Index(b, []byte("]]>"))
			if stop < 0 {
				return false
			}
			value, b = b[:stop], b[stop+3:]
		} else {
			stop := bytes.IndexByte(b, '<')
			if stop < 0 {
				return false
			}
			value, b = b[:stop], b[stop:]
			if bytes.IndexByte(value, '&') >= 0 || bytes.IndexByte(value, '>') >= 0 {
				return false
			}
		}
		if !xmlChars(value) {
			return false
		}
		// The closing tag must follow at once: </name>
		if len(b) < len(name)+3 || b[0] != '<' || b[1] != '/' || !bytes.Equal(b[2:2+len(name)], name) || b[2+len(name)] != '>' {
			return false
		}
		b = b[len(name)+3:]
		f(string(name), value)
	}
}

// xmlChars reports whether every rune of v is a character XML allows, with no \r (which
// encoding/xml would rewrite).
func xmlChars(v []byte) bool {
	for len(v) > 0 {
		c := v[0]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' {
				return false
			}
			v = v[1:]
			continue
		}
		r, size := utf8.DecodeRune(v)
		if r == utf8.RuneError && size == 1 || r > 0xD7FF && r < 0xE000 || r == 0xFFFE || r == 0xFFFF {
			return false
		}
		v = v[size:]
	}
	return true
}

// fastMessage fills r from flat XML; false means "use encoding/xml".
func fastMessage(b []byte, r *rawMessage) bool {
	return scanFlat(b, func(name string, v []byte) {
		switch name {
		case "ToUserName":
			r.ToUserName = string(v)
		case "FromUserName":
			r.FromUserName = string(v)
		case "CreateTime":
			r.CreateTime = string(v)
		case "MsgType":
			r.MsgType = string(v)
		case "Content":
			r.Content = string(v)
		case "MsgId":
			r.MsgID = string(v)
		case "AgentID":
			r.AgentID = string(v)
		case "Event":
			r.Event = string(v)
		case "EventKey":
			r.EventKey = string(v)
		case "TaskId":
			r.TaskID = string(v)
		case "CardType":
			r.CardType = string(v)
		case "ResponseCode":
			r.ResponseCode = string(v)
		}
	})
}

// fastEnvelope fills e from flat XML; false means "use encoding/xml".
func fastEnvelope(b []byte, e *envelope) bool {
	return scanFlat(b, func(name string, v []byte) {
		switch name {
		case "ToUserName":
			e.ToUserName = string(v)
		case "AgentID":
			e.AgentID = string(v)
		case "Encrypt":
			e.Encrypt = string(v)
		}
	})
}
