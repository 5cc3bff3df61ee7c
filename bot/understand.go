package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the pure, store-free decisions of the understanding step (handlers/understand.go
// uses them): the polarity of a message (question, negation, future, condition: never an act),
// chit-chat, courtesy and filler words, circled digits, and the act words without which no message
// changes anything. Each is a small function tested on its own (understand_test.go).

// Polarity says why a message must not change anything; PolarityNone means it may.
type Polarity int

// The polarities of a message.
const (
	PolarityNone Polarity = iota
	PolarityQuestion
	PolarityNegation
	PolarityFuture
	PolarityCondition
	PolarityReported // 张老师说第三项完成了, 听说一封信寄了: someone else's word, not the sender's act
)

func (p Polarity) String() string {
	return [...]string{"none", "question", "negation", "future", "condition", "reported"}[p]
}

// questionCues make a message a question: 吗, 么, 没有 at the end, 是否, 有没有, 几项, 多少 …
var questionCues = []string{"吗", "么", "干嘛", "是否", "有没有", "是不是", "能不能", "可不可以", "要不要", "对不对",
	"多少", "几项", "几个", "几条", "几件", "什么", "啥", "谁", "哪", "怎么", "如何", "咋"}

// questionEnds are questions only at the end: 完成了没, 完成没有, 好了没.
var questionEnds = []string{"没有", "了没", "没", "呢", "不", "否", "了吧", "了嘛", "伐", "没得",
	// tag questions: 寄完了是吧, 寄完了对吧, 没错吧
	"是吧", "对吧", "错吧", "是不", "对不", "是么", "对么", "是伐", "对伐",
	// slang and dialect: 完成了木有, 完成了咩, 好了未
	"木有", "咩", "未", "冇"}

// askLeads open a question said without 吗 (voice input drops the ？): 请问一封信寄了,
// 问一下第三项完成了, 我想知道…, 帮我看一下第三项完成了.
var askLeads = []string{"请问", "问一下", "问下", "问问", "想问", "咨询一下", "咨询下", "想知道", "想了解", "了解一下", "了解下", "打听",
	"查一下", "查下", "查查", "看看", "看一下", "看下", "帮我看", "帮我查", "帮忙看", "帮忙查", "麻烦看", "麻烦查", "确认一下", "确认下",
	// an alternative question, anywhere but first: 第三项完成了还是第四项完成了
	"还是"}

// measureAsked is a question for a number or a length of time: 寄了几封, 多久了, 多长时间.
var measureAsked = regexp.MustCompile(`几[封份次天号家所人名张本户遍位点时回批期趟成步轮]|多久|多长时间|多长|多少天|多大`)

// partRe is a part of the work in tenths or loosely: 完成了七成, 3成, 寄了大半, 过半.
var partRe = regexp.MustCompile(`[一二三四五六七九两几0-9]成|大半|多半|小半|过半|一多半`)

// negationCues make a statement a refusal: 完成不了, 还没弄完, 未完成, 别标记 …
var negationCues = []string{"不了", "没有", "还没", "没", "未", "不要", "别", "不用", "不必", "无法", "不能",
	"尚未", "不是", "不再", "不分配", "不完", "不成", "不好", "不行", "不太", "不会", "不需要", "先不",
	// 不 before a verb of the work: 第三项不做了, 一封信不寄了
	"不做", "不弄", "不搞", "不办", "不报", "不寄", "不交", "不发", "不写", "不干", "不开展", "不部署", "不更新", "不处理", "不上报", "不提交",
	// it went wrong, was sent back or taken back: 更新失败了, 被退回了, 没通过, 交了又撤回来了, 漏报了
	"失败", "报错", "出错", "出问题", "出了问题", "退回", "打回", "驳回", "不通过", "撤回来", "又撤", "又退", "漏报", "漏寄", "漏了",
	// not sure or not all: 完成一半了, 可能完成了, 基本完成, 寄了三分之一
	"来不及", "赶不上", "分之", "还剩", "还差", "只完成", "只做了", "只弄了", "只办了", "一半", "部分", "可能", "好像", "似乎", "大概", "估计", "基本", "差不多", "应该完成", "应该做完", "应该弄完", "应该好了", "应该已经",
	"也许", "或许", "貌似", "八成", "大致", "兴许", "估摸", "觉得", "感觉", "我猜", "印象中", "我记得", "好似",
	"按理", "照理", "理论上", "原则上", "说好", "本来", "原本", "原计划", "本该"}

// futureCues make a statement about later: 明天完成, 马上完成, 准备完成, 正在弄 …
var futureCues = []string{"明天", "明日", "后天", "下周", "下星期", "下个月", "下月", "晚点", "晚些", "一会",
	"待会", "等会", "稍后", "回头", "马上", "快完成", "快好", "快弄", "快了", "准备", "打算", "争取", "预计",
	"将在", "将会", "会完成", "我来", "我们来", "会弄", "要完成", "去完成", "正在", "还在", "在弄", "在做", "月底前", "周五前", "尽快", "以后", "之后", "后我",
	"后再", "再完成", "再弄", "再报", "再分配", "再新增", "再记",
	"周末", "月底", "年底", "明早", "明晚", "今晚", "过两天", "改天", "下班后", "抽空", "有空",
	"之内", "以内", "周内", "月内", "天内", "年内", "日内", "下班前", "想完成", "想弄", "想做", "想把", "前完成", "前弄完", "前做完", "前交", "前报", "前搞定", "前处理",
	// begun or under way, not done: 已经开始寄一封信了, 活动刚启动, 正在统计, 已提交，审批中
	"开始", "着手", "进行中", "启动", "在寄", "在报", "在更新", "在办", "在搞", "在写", "在整理", "在处理", "在推进", "在统计", "在审核",
	"审批中", "审核中", "待审", "待批", "等审批", "等批复", "走流程", "流程中", "办理中"}

// conditionCues make a statement conditional: 如果, 要是, 假如, 等…再.
var conditionCues = []string{"如果", "要是", "假如", "假设", "万一", "若", "等", "的时候", "只要", "一旦",
	// …了就告诉你, 寄完就好了: a condition or a wish
	"了就告诉", "了就跟", "了就说", "了就通知", "了就报", "了就发", "就好了", "的话告诉", "的话跟我说", "的话通知", "的话说一声"}

// instructionCues tell someone to do it, or remind: 记得完成, 必须今天完成, 该完成了, 抓紧完成.
var instructionCues = []string{"记得", "别忘", "不要忘", "必须", "务必", "需要完成", "需要弄", "需要做", "得完成", "得弄", "得做", "得交", "得报",
	"该完成", "该弄", "该做", "该交", "该报", "该寄", "抓紧", "赶紧", "赶快", "加紧", "抓点紧",
	// asking others to tell: 完成的请在群里说一声, 寄完的跟我说
	"说一声", "跟我说", "和我说", "报给我", "告诉我", "在群里"}

// approvalCues are a supervisor's check of the work, not the work done: 审核通过了, 批了.
var approvalCues = []string{"审核通过", "审批通过", "通过了", "批了", "批准", "同意了", "没问题，可以", "可以标记"}

// modalVerb is a modal (should, must, plan to) before an act verb: 该开展了, 需要上报, 计划于下周发放
// (not 该项工作已完成: 该 as "this").
var modalVerb = regexp.MustCompile(`(该|得|需要|必须|务必|记得|抓紧|赶紧|计划|计划于|计划在|可以|能够|^能|[^不没]能)(把\p{Han}{0,8}|于\p{Han}{0,4}|在\p{Han}{0,4})?` +
	`(完成|弄|做|交|报|寄|开展|部署|更新|发|处理|落实|上报|提交|搞|办|写|准备|安排|审核|统计|组织|召开)`)

// imperativeBa is a bare 把 sentence ending in a work verb and 了, with no subject: an order.
var imperativeBa = regexp.MustCompile(`^把\p{Han}{1,12}?(寄|报|交|发|做|弄|写|更新|处理|办|搞|开展|部署|上报|提交|发放)了$`)

// timeWord is a time of today or later that, said without 了 or 已, makes a plan: 第三项今天完成.
var timeWord = regexp.MustCompile(`今天|今日|本周|这周|周[一二三四五六日末]|星期[一二三四五六日天]|月底|月初|上午|下午|中午|晚上|早上|[0-9]{1,2}[日点]`)

// negated finds what makes a statement not a completion: a negation, a forgotten or hedged act, an
// act almost done, or a part of it (80%, 七成); "" when none.
func negated(t string, verbFirst bool) string {
	for _, c := range negationCues {
		if strings.Contains(t, c) {
			return c
		}
	}
	if forgot(t) {
		return "忘了"
	}
	if hedged(t) {
		return "应该"
	}
	if c := almost(t); c != "" {
		return c
	}
	if !verbFirst && (strings.Contains(t, "%") || strings.Contains(t, "百分之")) {
		return "%" // 第三项完成了80%: a part
	}
	if c := partRe.FindString(t); c != "" {
		return c // 大走访完成了七成, 一封信寄了大半
	}
	return ""
}

// perfective reports a marker of a thing done: 了, 已, 过, 完毕, 的 at the end (昨天完成的).
func perfective(t string) bool {
	return strings.ContainsAny(t, "了已过啦") || strings.Contains(t, "完毕") || strings.HasSuffix(strings.TrimSpace(t), "的")
}

// startsWithVerb reports a typed command form: the act word first (完成3?, done 3).
func startsWithVerb(t string) bool {
	for _, v := range []string{"完成", "done", "finished", "complete", "撤销", "撤回", "撤消", "分配", "新增", "记录", "@"} {
		if strings.HasPrefix(t, v) {
			return true
		}
	}
	return false
}

// reportedRe finds someone else's word: 张老师说…, 学校那边说…, 小王说…, 听说…, 据说… (not 我说).
var reportedRe = regexp.MustCompile(`听说|据说|[他她]们?(说|讲|反映|表示)|(老师|主任|校长|科长|处长|局长|领导|同事|组长|学校|局里|县里|区里|市里|省里|上面)(那边|这边|方面)?(说|讲|反映|表示|称)|[小老]\p{Han}(说|讲)|告诉我`)

// dueDayBefore is a weekday or a day of the month right before 到期的.
var dueDayBefore = regexp.MustCompile(`((这|本|下)?(周|星期|礼拜)[一二三四五六日天]|[0-9]{1,2}月[0-9]{1,2}[号日]|[0-9]{1,2}[号日])$`)

// deadlineRe is a time something is to be done by: 周四之前, 20号前, 3点前, 下班之前.
var deadlineRe = regexp.MustCompile(`((周|星期|礼拜)[一二三四五六日天]|[0-9]{1,2}[号日点]|月底|下班|中午|明天|今天)?(之前|以前|前)`)

// deadline finds a deadline that is not a modifier (20号前的数据) and not 以前 as "in the past"
// alone; "" when none.
func deadline(t string) string {
	for _, loc := range deadlineRe.FindAllStringIndex(t, -1) {
		m := t[loc[0]:loc[1]]
		if strings.HasPrefix(t[loc[1]:], "的") || strings.HasPrefix(t[loc[1]:], "面") || m == "前" || m == "以前" {
			continue // 前的, 前面, a bare 前 (前三项) or 以前
		}
		return m
	}
	return ""
}

// resultAfter reports a result stated after the deadline cue: 5月25号之前都发放完了 says the
// work was done by then (not 3点前把一封信寄了, an instruction, or 下班前完成, a plan).
func resultAfter(t, cue string) bool {
	_, after, _ := strings.Cut(t, cue)
	return containsAny(after, "完了", "好了", "齐了", "完成了")
}

// neutral are phrases whose 不/没 is no negation: 不好意思, 没问题, 没关系, 没错.
var neutral = strings.NewReplacer("那个啥", " ", "这个啥", " ", "什么的", " ", "啥的", " ", "不好意思", " ", "没问题", " ", "没关系", " ", "没错", " ", "没事", " ",
	"不用再提醒", " ", "不用提醒", " ", "别再提醒", " ", "别提醒", " ", "不用催", " ", "别催", " ")

// hedged reports a guess: 应该寄出去了, 应当完成了 (not 应该是第4项, a correction).
func hedged(t string) bool {
	for _, w := range []string{"应该", "应当"} {
		for i := strings.Index(t, w); i >= 0; {
			if !strings.HasPrefix(t[i+len(w):], "是") {
				return true
			}
			j := strings.Index(t[i+len(w):], w)
			if j < 0 {
				break
			}
			i += len(w) + j
		}
	}
	return false
}

// askLead finds a question lead opening a clause and followed by what is asked (请问一封信寄了,
// 我想知道第三项完成了); at a clause's end it is a request (…已经寄出去了，麻烦您看一下).
func askLead(t string) string {
	for _, clause := range strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune(",，。;；!！ ", r) }) {
		for _, c := range askLeads {
			i := strings.Index(clause, c)
			if i < 0 || utf8.RuneCountInString(clause[i+len(c):]) < 2 {
				continue
			}
			if c == "还是" && i > 0 || c != "还是" && utf8.RuneCountInString(clause[:i]) <= 2 {
				return c // 完成了还是没有 (not 还是没完成: still) / 我想知道…
			}
		}
	}
	return ""
}

// forgot reports work forgotten: 一封信忘了寄, 忘记报月报了 (not 忘了说，一封信已经寄了: the telling
// was forgotten, not the work).
func forgot(t string) bool {
	return containsAny(t, "忘了", "忘记", "忘掉") && !containsAny(t, "忘了说", "忘记说", "忘了告诉", "忘记告诉", "忘了讲", "忘了跟你说", "忘了和你说", "忘记跟你说")
}

// stillNot reports a statement that ends in "not yet": 五还没, 一封信也没有 (not 完成了没, a question).
func stillNot(end string) bool {
	return containsSuffix(end, "还没", "还没有", "都没", "都没有", "也没", "也没有", "还未")
}

func containsSuffix(s string, ends ...string) bool {
	for _, e := range ends {
		if strings.HasSuffix(s, e) {
			return true
		}
	}
	return false
}

// almost finds "not quite yet": 快寄完了, 快要, 就快, 即将, 差一点就 (not 很快就弄完了, 快递).
func almost(t string) string {
	for _, w := range []string{"快要", "即将", "将要", "差一点", "差点"} {
		if strings.Contains(t, w) {
			return w
		}
	}
	rs := []rune(t)
	for i, r := range rs {
		if r != '快' || i > 0 && strings.ContainsRune("很赶飞尽挺凉愉爽痛加", rs[i-1]) ||
			i+1 < len(rs) && strings.ContainsRune("递速乐捷件", rs[i+1]) {
			continue
		}
		if i+1 < len(rs) && rs[i+1] == '就' && !(i > 0 && rs[i-1] == '就') {
			continue // 很快就, 快就弄完了: quickly done
		}
		for j := i + 1; j < len(rs) && j <= i+5; j++ {
			if strings.ContainsRune("完好齐了", rs[j]) {
				return "快"
			}
		}
	}
	return ""
}

// dueRefs are due-day phrases that name an item ("明天到期的那个"), not a future act; they are
// removed before the polarity is read.
var dueRefs = []string{"到期的", "截止的", "要交的", "要报的", "要做的", "到期", "截止"}

// ReadPolarity reads the polarity of a normalised message; raw is the message as typed (its
// full-width ？ marks a question; Normalize drops trailing punctuation). cue is the word found.
func ReadPolarity(raw, text string) (p Polarity, cue string) {
	if strings.Contains(raw, "？") {
		return PolarityQuestion, "？"
	}
	t := neutral.Replace(dropDueRefs(strings.ToLower(text)))
	verbFirst := startsWithVerb(t)
	if strings.HasSuffix(strings.TrimSpace(raw), "?") && !verbFirst {
		return PolarityQuestion, "?" // 第三项完成了? from an English keyboard; 完成3? stays a command
	}
	for _, c := range questionCues {
		if strings.Contains(t, c) {
			return PolarityQuestion, c
		}
	}
	if c := measureAsked.FindString(t); c != "" {
		return PolarityQuestion, c
	}
	if c := askLead(t); c != "" {
		return PolarityQuestion, c
	}
	end := strings.TrimRightFunc(t, func(r rune) bool {
		return isTrailingPunct(r) || strings.ContainsRune("呀啊哇呐哦喔嘞啦咯呗", r)
	})
	for _, c := range questionEnds {
		if strings.HasSuffix(end, c) && !(c == "了吧" && containsAny(t, "撤销", "撤回", "撤消", "撤掉", "撤了", "删掉")) &&
			!(strings.HasPrefix(c, "没") && stillNot(end)) {
			return PolarityQuestion, c // 撤销了吧 asks to undo; 完成了吧 is unsure
		}
	}
	if containsSuffix(strings.TrimRightFunc(strings.ToLower(text), isTrailingPunct), "没错吧", "没错吗", "没错伐") {
		return PolarityQuestion, "没错吧" // its 没错 was taken out as neutral above
	}
	if c := reportedRe.FindString(t); c != "" {
		return PolarityReported, c
	}
	if c := negated(t, verbFirst); c != "" {
		return PolarityNegation, c
	}
	for _, c := range approvalCues {
		if strings.Contains(t, c) {
			return PolarityFuture, c
		}
	}
	for _, c := range instructionCues {
		if strings.Contains(t, c) {
			return PolarityFuture, c
		}
	}
	if imperativeBa.MatchString(strings.TrimSpace(t)) && !containsAny(t, "已", "给") {
		return PolarityFuture, "把" // 把一封信寄了: said to someone, as 3点前把一封信寄了
	}
	if c := modalVerb.FindString(t); c != "" {
		return PolarityFuture, c // 诚信宣传月该开展了, 计划发放240万
	}
	for _, c := range conditionCues {
		if strings.Contains(t, c) && !strings.Contains(t, "等等") {
			return PolarityCondition, c
		}
	}
	t = strings.NewReplacer("准备好", " ", "准备完了", " ", "准备了", " ", "准备齐", " ", "准备完毕", " ", "准备就绪", " ", "准备妥", " ").Replace(t)
	for _, c := range futureCues {
		if strings.Contains(t, c) {
			return PolarityFuture, c
		}
	}
	for _, clause := range strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune(",，。;；", r) }) {
		if c := timeWord.FindString(clause); c != "" && !verbFirst && !perfective(clause) {
			return PolarityFuture, c // 第三项今天完成, …，下午发给各校: a time said without 了 or 已, a plan
		}
	}
	if c := deadline(t); c != "" && !strings.ContainsAny(t, "已过") && !strings.Contains(t, "完毕") && !resultAfter(t, c) {
		return PolarityFuture, c // 周四之前准备好, 3点前把一封信寄了 (not 20号前的数据: a modifier)
	}
	return PolarityNone, ""
}

// dropDueRefs removes "今天到期的", "明天要交的": a time word that names the item by its due day.
func dropDueRefs(t string) string {
	for _, ref := range dueRefs {
		for {
			i := strings.Index(t, ref)
			if i < 0 {
				break
			}
			start := i
			for _, w := range []string{"今天", "明天", "后天", "本周", "这周", "下周", "本月", "这个月", "下个月", "月底"} {
				if strings.HasSuffix(t[:i], w) {
					start = i - len(w)
					break
				}
			}
			if loc := dueDayBefore.FindStringIndex(t[:i]); loc != nil {
				start = loc[0] // 下周一到期的, 12号截止的
			}
			t = t[:start] + " " + t[i+len(ref):]
		}
	}
	return t
}

// courtesy are words of thanks and politeness that are never a note.
var courtesy = []string{"不用再提醒了", "不用再提醒", "不用提醒了", "别再提醒了", "放心吧", "放心", "没问题", "麻烦您看一下", "麻烦看一下", "麻烦您查收", "请您看一下", "您看一下", "请查收", "请知悉", "请审阅", "特此报告", "谢谢啦", "谢谢了", "谢谢您", "谢谢你", "谢谢", "多谢", "感谢", "辛苦了", "辛苦啦", "辛苦", "麻烦了", "麻烦你了",
	"麻烦您了", "thanks", "thank you", "thx", "哈", "哦", "噢", "呀", "啊", "呢", "哟"}

// StripCourtesy removes trailing thanks, particles and emoji: "已报送，谢谢！" -> "已报送".
func StripCourtesy(s string) string {
	s = thanksTo.ReplaceAllString(s, "")
	for {
		t := strings.TrimRightFunc(s, func(r rune) bool { return isTrailingPunct(r) || r == '!' || r == '！' || r == ' ' })
		low := strings.ToLower(t)
		cut := false
		for _, c := range courtesy {
			if strings.HasSuffix(low, c) {
				t = t[:len(t)-len(c)]
				cut = true
				break
			}
		}
		if !cut {
			return strings.TrimSpace(t)
		}
		s = t
	}
}

// thanksTo is thanks with whom they are for at the end: "，谢谢王主任", "辛苦李老师了".
var thanksTo = regexp.MustCompile(`[,，\s]*(谢谢|多谢|感谢|辛苦|麻烦)(了|啦)?(您|你)?\p{Han}?(主任|老师|领导|科长|校长|处长|局长|组长|书记|姐|哥)们?(了|啦)?[!！。.,，\s]*$`)

// IsCourtesy reports whether s is only courtesy words, particles, punctuation and emoji.
func IsCourtesy(s string) bool { return strings.TrimSpace(StripCourtesy(s)) == "" }

// fillers may start a voice-typed message without meaning anything: 嗯，那个，就是 …
var fillers = []string{"就是说", "打扰一下", "打扰了", "不好意思", "抱歉", "对不起", "sorry", "哎呀", "哎", "唉", "嗯嗯", "嗯", "呃", "额", "那个", "就是", "好的", "好", "报告", "哦", "噢", "啊", "那", "对了", "然后", "还有就是"}

// StripFillers removes leading filler words and the punctuation after them: "嗯，那个，第三项" ->
// "第三项".
func StripFillers(s string) string {
	for {
		t := strings.TrimLeft(s, " ,，、.。:：")
		cut := false
		for _, f := range fillers {
			if rest, ok := strings.CutPrefix(t, f); ok && rest != "" {
				t = rest
				if r, ok := cutAddress(rest); ok && f == "报告" && strings.TrimSpace(r) != "" {
					t = r // 报告王主任一封信已经全部寄出: the supervisor is addressed, not the doer
				}
				cut = true
				break
			}
		}
		if i := strings.IndexAny(t, ",，:："); !cut && i > 0 {
			// "王主任，一封信已寄出": whom the message is for; "王主任您好，…": a greeting
			if r, ok := cutAddress(t[:i]); ok && strings.TrimSpace(r) == "" {
				t, cut = t[i:], true
			} else if _, chat := ChitChat(t[:i]); chat {
				t, cut = t[i:], true
			}
		}
		if !cut {
			return strings.TrimSpace(t)
		}
		s = t
	}
}

// chat are the words of chit-chat; a message made only of them (and emoji) gets a short friendly
// answer, never a command suggestion.
var chat = []string{"大家辛苦了", "辛苦了", "辛苦啦", "辛苦", "谢谢啦", "谢谢了", "谢谢", "多谢", "感谢", "thank you", "thanks", "thx",
	"早上好", "上午好", "中午好", "下午好", "晚上好", "早安", "晚安", "你好", "您好", "hello", "hi", "在吗", "在不在",
	"好的", "好滴", "好嘞", "好哒", "收到", "明白", "知道了", "了解", "ok", "okay", "嗯", "哦", "噢", "哈", "呵",
	"马上弄", "马上办", "这就弄", "马上处理", "马上看", "我看一下", "我看看", "我去看看", "看一下", "提醒", "放心", "在的", "在呢", "各位", "打扰了", "打扰一下", "小助手", "助手", "机器人", "嗯呢", "知道啦", "好的呢", "没问题", "麻烦了", "大家", "老师", "好", "是的", "是", "对的", "对", "行", "可以", "[强]", "[微笑]",
	"[握手]", "[抱拳]", "[ok]", "[好的]", "[耶]", "[玫瑰]", "[鼓掌]",
	// season's greetings and goodbyes (12月31日: 新年快乐, 明年见)
	"新年快乐", "元旦快乐", "春节快乐", "新春快乐", "节日快乐", "圣诞快乐", "新年好", "过年好", "周末愉快", "周末快乐",
	"明年见", "下周见", "明天见", "再见", "拜拜",
	"了", "啦", "吧", "呀", "啊", "呢", "哟"}

// ChitChat answers a message made only of chit-chat (thanks, greetings, acknowledgements, emoji),
// ok false otherwise. The answer is short and never suggests a command (a greeting mentions 帮助).
func ChitChat(text string) (reply string, ok bool) {
	t := strings.ToLower(strings.TrimSpace(text))
	if t == "你是谁" || t == "你是" || t == "你叫什么" || t == "你叫什么名字" {
		return "我是资助工作助手，帮你记录和查询每月的工作事项。发送“帮助”查看可用命令。", true
	}
	if t == "" {
		return "", false
	}
	if !strings.ContainsFunc(t, func(r rune) bool {
		return !(unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r) || r == '\uFE0F' || r == '\u200D' || unicode.IsSpace(r))
	}) {
		return "👌", true // emoji only
	}
	rest, any := t, false
	for {
		rest = strings.TrimLeftFunc(rest, func(r rune) bool {
			return isTrailingPunct(r) || unicode.IsSpace(r) || r == '!' || r == '\uFE0F' || r == '\u200D' || unicode.Is(unicode.Sk, r)
		})
		if rest == "" {
			break
		}
		cut := false
		for _, c := range chat {
			if r, ok := strings.CutPrefix(rest, c); ok {
				rest = r
				cut, any = true, true
				break
			}
		}
		if r, ok := cutAddress(rest); !cut && ok {
			rest, cut = r, true // 王主任, 李老师: whom the thanks are for
		}
		if !cut && !(unicode.Is(unicode.So, firstRune(rest))) {
			return "", false
		}
		if !cut {
			_, w := utf8.DecodeRuneInString(rest)
			rest, any = rest[w:], true
		}
	}
	if !any {
		return "", false
	}
	switch {
	case containsAny(t, "谢", "thank", "thx"):
		return "不客气！", true
	case containsAny(t, "辛苦") && containsAny(t, "大家", "各位", "同志们"):
		return "大家辛苦了！", true // a supervisor thanking the office
	case containsAny(t, "辛苦"):
		return "不辛苦，有事随时找我！", true // thanks to the bot
	case containsAny(t, "你好", "您好", "hello", "hi", "在吗", "在不在"):
		return "你好，我在。发送“帮助”查看可用命令，例如“今天”“完成 3”。", true
	case containsAny(t, "早上好", "上午好", "早安"):
		return "早上好！发送“今天”查看今天的事项。", true
	case containsAny(t, "晚安", "晚上好"):
		return "晚安！", true
	case containsAny(t, "新年", "元旦", "春节", "新春", "过年"):
		return "新年快乐！", true
	case containsAny(t, "快乐", "愉快"):
		return "同乐！", true
	case containsAny(t, "见", "拜拜"):
		return "再见！", true
	case t == "是" || t == "是的" || t == "对" || t == "对的" || t == "好" || t == "可以" || t == "行":
		return "好的。（当前没有需要确认的操作，没有做任何更改。）", true
	}
	return "👌", true
}

// titles address a person: 王主任, 李老师, 张科长.
var titles = []string{"主任", "老师", "领导", "科长", "校长", "处长", "局长", "组长", "书记", "姐", "哥"}

// cutAddress cuts a leading form of address (a title, or a surname and a title): "王主任好" ->
// "好".
func cutAddress(s string) (string, bool) {
	for _, skip := range []int{0, 1} {
		t := s
		if skip == 1 {
			r, w := utf8.DecodeRuneInString(s)
			if !unicode.Is(unicode.Han, r) {
				return s, false
			}
			t = s[w:]
		}
		for _, ti := range titles {
			if rest, ok := strings.CutPrefix(t, ti); ok {
				return strings.TrimPrefix(rest, "们"), true
			}
		}
	}
	return s, false
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// FoldItemDigits turns the digits other keyboards type into ASCII: circled ③, ㉔ and ❸, parenthesised
// ⑶, keycap 3️⃣; two such digits in a row become a list ("③④" -> "3、4").
func FoldItemDigits(s string) string {
	if !strings.ContainsFunc(s, isFancyDigit) && !strings.Contains(s, "\u20E3") {
		return s
	}
	var b strings.Builder
	prevFancy := false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if n, ok := fancyDigit(r); ok {
			if prevFancy {
				b.WriteString("、")
			}
			b.WriteString(itoa(n))
			prevFancy = true
			continue
		}
		// keycap: digit, optional U+FE0F, U+20E3
		if r >= '0' && r <= '9' {
			j := i + 1
			if j < len(rs) && rs[j] == '\uFE0F' {
				j++
			}
			if j < len(rs) && rs[j] == '\u20E3' {
				if prevFancy {
					b.WriteString("、")
				}
				b.WriteRune(r)
				prevFancy = true
				i = j
				continue
			}
		}
		prevFancy = false
		b.WriteRune(r)
	}
	return b.String()
}

func isFancyDigit(r rune) bool { _, ok := fancyDigit(r); return ok }

func fancyDigit(r rune) (int, bool) {
	switch {
	case r >= '①' && r <= '⑳':
		return int(r-'①') + 1, true
	case r >= '㉑' && r <= '㉟': // circled 21-35, then 36-50: a day's list runs past 20
		return int(r-'㉑') + 21, true
	case r >= '㊱' && r <= '㊿':
		return int(r-'㊱') + 36, true
	case r >= '⑴' && r <= '⒇':
		return int(r-'⑴') + 1, true
	case r >= '⒈' && r <= '⒛':
		return int(r-'⒈') + 1, true
	case r >= '❶' && r <= '❿':
		return int(r-'❶') + 1, true
	case r >= '➀' && r <= '➉':
		return int(r-'➀') + 1, true
	case r >= '➊' && r <= '➓':
		return int(r-'➊') + 1, true
	}
	return 0, false
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// DoneWords are the words that state a completion in a sentence: the 完成 verbs, a result
// (弄好/做完/寄出/报上去), 已经 or 已 before a verb, and the requests to mark (标记, 勾掉).
var DoneWords = []string{"完成", "做完", "弄完", "搞完", "办完", "干完", "写完", "处理完", "发放完", "发完", "更新完", "准备完", "弄好", "做好", "搞好",
	"办好", "写好", "准备好", "更新好", "部署好", "部署完", "整理好", "搞定", "办结", "完工", "报上去", "报了", "报完",
	"交了", "交上去", "交完", "寄了", "寄出", "发了", "已上报", "已报送", "已更新", "已提交", "已发放", "已经", "开展了", "处理了",
	"部署了", "更新了", "提交了", "上报了", "报送了", "召开了", "落实了", "完毕", "结束了", "已结束",
	"已报", "已交", "已寄", "已发", "已办", "已做", "已弄", "已搞", "已部署", "已开展", "已落实", "已处理", "已完",
	"准备齐", "就绪", "开展过", "寄过", "报过", "做过", "搞过", "办过", "交过", "发过", "更新过", "部署过", "上报过", "圆满结束", "顺利结束", "打勾", "打个勾", "打钩", "打个钩", "打√", "销号", "已归档", "归档了", "项结了", "结项了", "已结项", "已上交", "上交了", "已递交", "递交了", "已送达", "已寄送", "出台", "印发", "下发了", "制定了", "定好了", "定下来了", "敲定了", "定稿了", "部署下去", "布置下去", "安排下去", "做了", "弄了", "办了", "补上了", "补交了", "寄走了", "发放了", "寄掉了", "发掉了", "报掉了", "交掉了", "处理掉了", "标记", "标一下", "勾掉", "勾一下", "done", "finished", "完了"}

// HasDoneWord reports whether a normalised message states a completion by one of DoneWords, or
// by a verb with 好了/完了 (发放好了, 审核完了; not 3好了 or 快好了).
func HasDoneWord(text string) bool {
	t := strings.ToLower(text)
	for _, w := range DoneWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	for _, end := range []string{"好了", "完了"} {
		for i := strings.Index(t, end); i > 0; {
			r, _ := utf8.DecodeLastRuneInString(t[:i])
			if unicode.Is(unicode.Han, r) && !strings.ContainsRune("快就要该还都也没不别会能", r) {
				return true
			}
			j := strings.Index(t[i+len(end):], end)
			if j < 0 {
				break
			}
			i += len(end) + j
		}
	}
	return false
}

// ActWords are the words without which no message changes the store (the fuzz target of the
// understanding step checks it): the done words, the correction words, and the words of the other
// commands that change something. Command names and aliases of commands with Acts set are act
// words too (Router.ActWord).
var ActWords = append([]string{"撤回", "撤销", "撤消", "撤掉", "撤了", "恢复", "改成", "改为", "换成", "点错", "弄错", "搞错", "错了", "不对", "还没", "其实", "备注", "undo", "不算", "作废",
	"负责", "交给", "安排", "分给", "分配", "派给", "牵头", "让", "跟进", "跟一下", "盯一下", "由", "加", "建", "新增", "添加", "增加", "记", "录", "登记", "取消",
	// typos of 完成 that a sentence states (已经完城了) are read as 完成
	"完城", "玩成", "晚成", "完程", "完承", "万成"}, DoneWords...)

// ActWord reports whether a normalised message holds an act word: one of ActWords or a name or
// alias of a command that changes the store.
func (r *Router) ActWord(text string) bool {
	if HasDoneWord(text) {
		return true
	}
	t := strings.ToLower(text)
	for _, w := range ActWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	for _, c := range r.cmds {
		if !c.Acts {
			continue
		}
		for _, w := range append([]string{c.Name}, c.Aliases...) {
			if w != "" && strings.Contains(t, strings.ToLower(w)) {
				return true
			}
		}
	}
	return false
}
