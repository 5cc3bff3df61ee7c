package wecom_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/planbot/planbot/bot/wecom/wecomtest"
)

func TestDigestCardDoneItems(t *testing.T) {
	items := []bot.CardItem{{Key: "k1", Text: "更新资助系统数据"}, {Key: "k2", Text: "上报月报"}, {Key: "k3", Text: "公示名单"}}
	card := func() bot.Card { return bot.Card{Title: "今日待办", Desc: "3 项", TaskID: "id", Items: items} }

	morning := wecom.DigestCard(card())
	if morning.ReplaceText != "" || len(morning.ButtonList) != 3 {
		t.Fatalf("morning card: replace_text %q, %d buttons (replace_text greys every button)", morning.ReplaceText, len(morning.ButtonList))
	}

	items[1].Done = true
	one := wecom.DigestCard(card())
	if one.ReplaceText != "" {
		t.Fatalf("card with open items has replace_text %q", one.ReplaceText)
	}
	var keys []string
	for _, b := range one.ButtonList {
		keys = append(keys, b.Text+"="+b.Key)
	}
	if got := strings.Join(keys, ","); got != "完成1=完成 #k1,完成3=完成 #k3" {
		t.Fatalf("buttons %s", got)
	}
	if v := one.HorizontalContentList[1]; v.KeyName != "2" || !strings.Contains(v.Value, "已完成") || !strings.Contains(v.Value, "上报月报") {
		t.Fatalf("done line %+v", v)
	}
	if v := one.HorizontalContentList[0]; strings.Contains(v.Value, "已完成") {
		t.Fatalf("open line %+v", v)
	}

	for i := range items {
		items[i].Done = true
	}
	all := wecom.DigestCard(card())
	if all.ReplaceText != "全部完成" || all.MainTitle.Desc != "全部完成" || len(all.ButtonList) != 1 {
		t.Fatalf("all done card %+v", all)
	}
}

func TestRefreshTaskID(t *testing.T) {
	base := "dg_1_20260615_5d41402abc4b2a76"
	r1 := wecom.RefreshTaskID(base, "RC1")
	r2 := wecom.RefreshTaskID(r1, "RC2")
	switch {
	case r1 == base || r2 == r1 || r2 == base:
		t.Fatalf("ids not fresh: %s %s %s", base, r1, r2)
	case !wecom.ValidTaskID(r1) || !wecom.ValidTaskID(r2):
		t.Fatalf("invalid ids %s %s", r1, r2)
	case wecom.BaseTaskID(r1) != base || wecom.BaseTaskID(r2) != base || wecom.BaseTaskID(base) != base:
		t.Fatalf("base of %s, %s: %s, %s", r1, r2, wecom.BaseTaskID(r1), wecom.BaseTaskID(r2))
	case len(r2) != len(r1):
		t.Fatalf("suffixes stack: %s", r2)
	}
	long := strings.Repeat("a", 128)
	if r := wecom.RefreshTaskID(long, "RC"); len(r) > 128 || !wecom.ValidTaskID(r) {
		t.Fatalf("long id %d bytes", len(r))
	}
}

func TestPassiveText(t *testing.T) {
	var lines []string
	for i := range 200 {
		lines = append(lines, strings.Repeat("资助", 5)+string(rune('a'+i%26)))
	}
	long := strings.Join(lines, "\n")
	for _, tc := range []struct{ name, in string }{
		{"lines", long},
		{"one line", strings.Repeat("长", 1000)},
	} {
		got := wecom.PassiveText(tc.in)
		if len(got) > wecom.MaxTextBytes || !utf8.ValidString(got) || !strings.HasSuffix(got, "\n…（内容较长，请发送更具体的命令）") {
			t.Fatalf("%s: %d bytes, valid %v, ends %q", tc.name, len(got), utf8.ValidString(got), got[max(0, len(got)-60):])
		}
		head := strings.TrimSuffix(got, "\n…（内容较长，请发送更具体的命令）")
		if !strings.HasPrefix(tc.in, head) || len(head) < wecom.MaxTextBytes/2 {
			t.Fatalf("%s: head is not a clean prefix of %d bytes", tc.name, len(head))
		}
	}
	if got := wecom.PassiveText("短"); got != "短" {
		t.Fatalf("short text changed: %q", got)
	}
	// Whole lines only, when there are lines.
	head := strings.TrimSuffix(wecom.PassiveText(long), "\n…（内容较长，请发送更具体的命令）")
	if !strings.HasPrefix(long, head+"\n") {
		t.Fatal("cut inside a line")
	}
}

func TestLongPassiveReplyWithoutSender(t *testing.T) {
	long := strings.Repeat("第一行待办事项说明\n", 300)
	d := &recorder{reply: bot.TextReply(long)}
	cfg := wecomtest.TestConfig("")
	h, err := wecom.NewCallback(cfg, d, wecom.WithClock(fixed(now)), wecom.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	w := serve(h, wecomtest.EncryptedPostAt(cfg, wecomtest.TextXML(cfg, "u", "全部", "77", now), now))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	p := wecomtest.OpenReply(t, cfg, w.Body.Bytes())
	if len(p.Content) > wecom.MaxTextBytes || !strings.HasSuffix(p.Content, "…（内容较长，请发送更具体的命令）") || !strings.HasPrefix(long, strings.TrimSuffix(p.Content, "\n…（内容较长，请发送更具体的命令）")) {
		t.Fatalf("passive reply of %d bytes: ...%q", len(p.Content), p.Content[max(0, len(p.Content)-80):])
	}
}

// FuzzPassiveText: any reply fits one passive message and keeps a prefix of the text.
func FuzzPassiveText(f *testing.F) {
	f.Add(strings.Repeat("一行\n", 800))
	f.Add(strings.Repeat("x", 3000))
	f.Add("\n\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) < 4096 {
			s += strings.Repeat(s+"\n", 4096/(len(s)+1))
		}
		got := wecom.PassiveText(s)
		if len(got) > wecom.MaxTextBytes {
			t.Fatalf("%d bytes", len(got))
		}
		if len(s) > wecom.MaxTextBytes && !strings.HasPrefix(s, strings.TrimSuffix(got, "\n…（内容较长，请发送更具体的命令）")) && !strings.HasPrefix(s, strings.TrimRight(strings.TrimSuffix(got, "\n…（内容较长，请发送更具体的命令）"), "\n")) {
			t.Fatal("not a prefix")
		}
	})
}
