package bot

import "testing"

func TestReadPolarity(t *testing.T) {
	for _, c := range []struct {
		text string
		want Polarity
	}{
		{"第三项完成了吗", PolarityQuestion},
		{"大走访完成了七成", PolarityNegation}, {"一封信寄了三百封，还剩一百多封", PolarityNegation}, {"学校那边说大走访已经搞完了", PolarityReported}, {"一封信寄了大半", PolarityNegation}, {"第3项完成3成", PolarityNegation},
		{"第3项完成了没", PolarityQuestion},
		{"第三项是否已完成", PolarityQuestion},
		{"有没有完成第三项", PolarityQuestion},
		{"李老师这周完成了几项", PolarityQuestion},
		{"第3项完成不了，需要延期", PolarityNegation},
		{"第三项还没完成", PolarityNegation},
		{"第3项未完成", PolarityNegation},
		{"先别标记第三项", PolarityNegation},
		{"明天完成第三项", PolarityFuture},
		{"第三项马上完成", PolarityFuture},
		{"第三项准备完成", PolarityFuture},
		{"如果今天弄完就完成第三项", PolarityCondition},
		{"等材料到了再完成3", PolarityCondition},
		{"第三项完成了", PolarityNone},
		{"明天到期的那个完成了", PolarityNone},
		{"今天要交的那个已经交了", PolarityNone},
		{"宣传材料准备好了", PolarityNone},
		{"帮我把第三个标记一下，已经完成了", PolarityNone},
		{"完成 3 已报送市局", PolarityNone},
		{"张老师说第三项他已经弄完了", PolarityReported},
		{"听说一封信已经寄出去了", PolarityReported},
		{"李老师讲第三项已经做好了", PolarityReported},
		{"一封信应该寄出去了", PolarityNegation},
		{"错了，应该是第四项", PolarityNone},
		{"一封信快寄完了", PolarityNegation},
		{"第三项很快就弄完了", PolarityNone},
		{"一封信已经用快递寄出了", PolarityNone},
		{"第三项我觉得完成了", PolarityNegation},
		{"宣传材料周四之前准备好", PolarityFuture},
		{"5月25号之前都发放完了", PolarityNone},
		{"请问第三项完成了", PolarityQuestion},
		{"我想知道第三项完成了", PolarityQuestion},
		{"第三项完成了还是第四项完成了", PolarityQuestion},
		{"第三项已经寄出去了，麻烦您看一下", PolarityNone},
		{"一封信寄完了是吧", PolarityQuestion},
		{"一封信寄了伐", PolarityQuestion},
		{"一封信寄了几封", PolarityQuestion},
		{"第三项完成了木有", PolarityQuestion},
		{"第三项好了没有哇", PolarityQuestion},
		{"五还没", PolarityNegation},
		{"系统数据更新失败了", PolarityNegation},
		{"一封信忘了寄", PolarityNegation},
		{"忘了说，一封信已经寄了", PolarityNone},
		{"第三项不做了", PolarityNegation},
		{"已经开始寄一封信了", PolarityFuture},
		{"第三项这周内完成", PolarityFuture},
		{"一封信的事我来弄", PolarityFuture},
		{"这周五到期的那个完成了", PolarityNone},
		{"下周一到期的那个完成了", PolarityNone},
		{"不好意思弄错了，应该是4", PolarityNone},
		{"就是第3条嘛，已经完成了", PolarityNone},
	} {
		if got, cue := ReadPolarity(c.text, Normalize(c.text)); got != c.want {
			t.Errorf("ReadPolarity(%q) = %v (cue %q), want %v", c.text, got, cue, c.want)
		}
	}
	if got, _ := ReadPolarity("完成3？", "完成3"); got != PolarityQuestion {
		t.Errorf("full-width ？ is a question, got %v", got)
	}
	if got, _ := ReadPolarity("完成3?", "完成3"); got != PolarityNone {
		t.Errorf("an ASCII ? after a typed command stays a command, got %v", got)
	}
}

func TestChitChat(t *testing.T) {
	for _, s := range []string{"好的收到", "辛苦了", "👍", "谢谢！", "早上好", "在吗", "OK", "收到，谢谢", "[强]", "🙏", "谢谢王主任", "谢谢小助手", "辛苦大家了", "新年快乐🎉", "明年见", "元旦快乐，王主任"} {
		if _, ok := ChitChat(s); !ok {
			t.Errorf("ChitChat(%q) not chit-chat", s)
		}
	}
	for _, s := range []string{"完成3", "?", "", "3", "好的，第3项完成了", "今天"} {
		if rep, ok := ChitChat(Normalize(s)); ok {
			t.Errorf("ChitChat(%q) = %q, want not chit-chat", s, rep)
		}
	}
}

func TestFoldItemDigits(t *testing.T) {
	for in, want := range map[string]string{"完成 ③": "完成 3", "③④完成": "3、4完成", "完成 ⑶": "完成 3", "完成 3\uFE0F\u20E3": "完成 3", "完成 ⑫": "完成 12", "完成 ㉔": "完成 24", "完成 ㊱㊿": "完成 36、50", "完成 3": "完成 3"} {
		if got := FoldItemDigits(in); got != want {
			t.Errorf("FoldItemDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStripCourtesy(t *testing.T) {
	for in, want := range map[string]string{"已报送，谢谢王主任": "已报送", "已报送王主任": "已报送王主任", "已报送，辛苦李老师了！": "已报送", "已报送，谢谢！": "已报送", "谢谢": "", "辛苦了": "", "已报送市局": "已报送市局", "完成了哈": "完成了"} {
		if got := StripCourtesy(in); got != want {
			t.Errorf("StripCourtesy(%q) = %q, want %q", in, got, want)
		}
	}
	if got := StripFillers("嗯，那个，第三项，已经完成了"); got != "第三项，已经完成了" {
		t.Errorf("StripFillers = %q", got)
	}
}
