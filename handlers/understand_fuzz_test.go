package handlers

import (
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
)

// FuzzUnderstand: the understanding step never panics, and a message without an explicit act word
// (Router.ActWord: the command words of commands that change something, the done, correction,
// assign, add and record words) never changes the store — a single message carries no
// confirmation, so nothing may act on it.
func FuzzUnderstand(f *testing.F) {
	for _, rows := range [][]understood{understoodRows, understoodBatch5, understoodBatch6, understoodBatch7, understoodBatch8, understoodBatch9, understoodBatch10, understoodBatch12, understoodBatch13, understoodBatch14, understoodBatch15, understoodBatch16, understoodBatch17, understoodBatch19, understoodBatch20, understoodBatch21, understoodBatch22, understoodBatch23, understoodBatch24} {
		for _, p := range rows {
			f.Add(p.user == "wangzr", p.text)
		}
	}
	for _, s := range []string{"第三项完成了吗", "好的收到", "👍", "3还没弄完", "李老师这周完成了几项", "中职助学金 春季 1,200 人 240 万",
		"系统数据更新好了", "jintian", "完城3", "done #4", "⑶⑷", "3️⃣", "除了第4项，1到5", "逾期的两个", "", "？"} {
		f.Add(false, s)
		f.Add(true, s)
	}
	f.Fuzz(func(t *testing.T, boss bool, text string) {
		e := newEnv(t)
		user := "lisi"
		if boss {
			user = "wangzr"
		}
		before := e.snap()
		figs := len(e.figures())
		reply := e.say(user, text)
		after := e.snap()
		norm := bot.FoldItemDigits(bot.Normalize(text))
		if e.r.ActWord(norm) || e.r.ActWord(strings.ReplaceAll(norm, " ", "")) {
			return
		}
		if after.audit != before.audit || after.completions != before.completions || len(after.items) != len(before.items) || len(e.figures()) != figs {
			t.Fatalf("%q has no act word but changed the store (reply %q)", text, reply)
		}
		for k, a := range after.items {
			b := before.items[k]
			if a.DoneBy != b.DoneBy || a.Assignee != b.Assignee {
				t.Fatalf("%q has no act word but changed %s (reply %q)", text, k, reply)
			}
		}
	})
}
