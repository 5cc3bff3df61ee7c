package plan

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/planbot/planbot/bot"
)

// gbk encodes s the way Word on Chinese Windows saves "纯文本" by default (ANSI = GBK).
func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The sample saved as GBK (and as GB18030) reads exactly as the UTF-8 original: the same 60.
func TestGBKSample(t *testing.T) {
	name, data := Sample()
	want, err := Parse(name, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	gb18030, err := simplifiedchinese.GB18030.NewEncoder().Bytes(data)
	if err != nil {
		t.Fatal(err)
	}
	for enc, b := range map[string][]byte{"gbk": gbk(t, string(data)), "gb18030": gb18030} {
		if bytes.Equal(b, data) {
			t.Fatalf("%s: encoding changed nothing", enc)
		}
		pl, err := Parse(name, b, Options{})
		if err != nil {
			t.Fatalf("%s: %v", enc, err)
		}
		if len(pl.Obligations) != 60 || dump(pl) != dump(want) {
			t.Errorf("%s: %d obligations, differs from UTF-8:\n%s", enc, len(pl.Obligations), dump(pl))
		}
	}
}

// GBK text with the pieces Chinese plans use beyond Chinese characters: full-width digits and
// punctuation, ①, “”, ★, the ideographic space, CRLF.
func TestGBKSymbols(t *testing.T) {
	text := "２０２１年度资助工作计划\r\n三月份\r\n①　每月１０日前报送“资助数据”★；\r\n② 3月20日前完成认定（含中职）。\r\n"
	pl, err := Parse("p.txt", gbk(t, text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Obligations) != 2 || pl.Title != "2021年度资助工作计划" || pl.Obligations[0].Due.String() != "2021-03-10" ||
		pl.Obligations[1].Title != "3月20日前完成认定（含中职）" {
		t.Errorf("%s", dump(pl))
	}
}

// Bytes that are neither UTF-8 nor Chinese text in GBK are refused as before.
func TestGBKRefusesGarbage(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var cases [][]byte
	for _, n := range []int{16, 200, 4096, 100000} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.IntN(255) + 1) // no NUL: that is refused as binary before any decoding
		}
		cases = append(cases, b)
		h := make([]byte, n) // only high bytes: every pair is a valid GBK code, mostly Chinese characters
		for i := range h {
			h[i] = byte(0x81 + r.IntN(0x7E))
		}
		cases = append(cases, append(gbk(t, "2020年计划\n三月份\n1."), h...))
	}
	_, sample := Sample()
	broken := append([]byte(nil), sample...)
	broken[len(broken)/2] = 0xFF // UTF-8 with a damaged byte: not GBK, no mojibake
	cases = append(cases, broken,
		[]byte("2020\xc4\xea\x01\x02\x03 \xc8\xfd\xd4\xc2\xb7\xdd\n1.\x1b\xd7\xf6"),                                  // GBK with control characters
		[]byte("2020 plan\nmarch\n1. caf\xe9 cr\xe8me 10\xb0C\n"),                                                    // Latin-1, not Chinese
		append(gbk(t, "2020年计划\n三月份\n1.做好"), 0xAA, 0xA1, 0xAA, 0xA2, 0xAA, 0xA3, 0xAB, 0xA1, 0xAC, 0xA1, 0xAD, 0xA1), // private-use area
	)
	for i, b := range cases {
		pl, err := Parse("p.txt", b, Options{})
		if err == nil {
			t.Errorf("case %d accepted: %s", i, dump(pl))
			continue
		}
		if !errors.Is(err, ErrNotPlan) || bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(bot.ErrorMessage(err), "GBK") {
			t.Errorf("case %d: %v is not the encoding refusal", i, err)
		}
	}
}
