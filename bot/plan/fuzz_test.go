package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
)

// FuzzParse feeds the readers arbitrary bytes (text, broken zips, docx): never panic, never hang,
// and whatever is accepted is a well-formed plan.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	offices, _ := filepath.Glob("testdata/offices/*.txt")
	for _, file := range append(files, offices...) {
		data, err := os.ReadFile(file)
		if err == nil {
			f.Add(filepath.Base(file), data)
		}
	}
	f.Add("p.docx", makeDocx(f, para("2023年计划"), para("三月", "份"), para("1.每月2", "0日前更新")))
	f.Add("p.docx", makeDocx(f, table(row(cell(para("三月")), cell(para("1")), cell(para("做好")), cell(para("3月5日"))))))
	f.Add("p.docx", makeDocx(f, para("2022年任务表"), table(row(cell(para("1")), cell(para("3月20日")), cell(listPara("开展"), listPara("发放")), cell(para("资助科"))),
		row(cell(para("全年")), cell(para("做好")), cell(table(row(cell(para("每月10日前")), cell(para("报送")))))))))
	f.Add("p.txt", []byte("2020年\n十二月至一月\n1.每周五前报送；2.12月20日至1月10日开展\n注：无"))
	f.Add("x.txt", []byte{0xff, 0xfe, 0x31, 0x00})
	f.Add("q.txt", []byte("2022年计划\n第一季度（1—3月）\n（一）每季度末报送季报；\n二季度工作安排：（一）季度末前完成\n【2022年第三季度】\n"))
	f.Add("r.txt", []byte("2024年计划\n全年常态化工作\n1.每季度首月10日前报送\n三月份\n1.做好\n日常工作：\n1.做好\n四月份\n1.做好\n常态化工作：1.做好\n"))
	f.Add("t.txt", []byte("2022年任务表\n序号\t时间节点\t工作任务\t责任科室\n1\t3月20日\t开展认定\t资助科\n2\t3月底\t发放\t\n\t三月份\t4月上旬\t自查\t张三\n\t\t3.31\t做好\n"))
	f.Add("u.txt", []byte("2021年计划\n月份\t时间节点\t工作任务\n三月份\t3月20日\t开展认定\n\t全年\t做好宣传\n\t每周五前\t报送\t科\n\t常态化\t做好\n"))
	f.Add("s.txt", []byte("二〇二一年计划\r\n一月份：1.1月上旬完成；2.每月5日前报送上月数据；3.本月底前印制\r\n２月：①２月１日－１５日开展　②全年\r\n"))
	_, sampleData := Sample()
	f.Add("gbk.txt", gbk(f, string(sampleData)))                                          // GBK, as Word on Chinese Windows saves text
	f.Add("gbk.txt", gbk(f, "二〇二一年计划\r\n三月份：①　每月１０日前报送“数据”★\r\n"))                        // GBK with symbols and CRLF
	f.Add("gbk.txt", []byte("2020\xc4\xea\x01 \xc8\xfd\xd4\xc2\xb7\xdd\n1.\xd7\xf6\xff")) // not quite GBK
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		start := time.Now()
		pl, err := Parse(name, data, Options{Today: bot.Date{Year: 2026, Month: 12, Day: 3}})
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Parse took %s on %d bytes", d, len(data))
		}
		if err != nil {
			if bot.ErrorMessage(err) == "" {
				t.Fatalf("error without message: %v", err)
			}
			return
		}
		if len(pl.Obligations) == 0 {
			t.Fatal("accepted a plan without obligations")
		}
		if pl.Year < 1900 || pl.Year > 9000 || pl.YearFrom == "" {
			t.Fatalf("year %d from %q", pl.Year, pl.YearFrom)
		}
		seen := map[string]bool{}
		for i, o := range pl.Obligations {
			if seen[o.Key] {
				t.Fatalf("duplicate key %s", o.Key)
			}
			seen[o.Key] = true
			if o.Due.IsZero() || o.Due != bot.NewDate(o.Due.Year, o.Due.Month, o.Due.Day) {
				t.Fatalf("bad due %+v", o.Due)
			}
			if !utf8.ValidString(o.Title) || !utf8.ValidString(o.Key) {
				t.Fatalf("invalid UTF-8 in %q %q", o.Title, o.Key)
			}
			if i > 0 && pl.Obligations[i-1].Due.After(o.Due) {
				t.Fatal("not sorted")
			}
		}
	})
}

// FuzzExtractDates: the date-expression extractor never panics and returns ordered, in-bounds
// spans with months 0…12 and days 1…31 (or the month-end marker).
func FuzzExtractDates(f *testing.F) {
	for _, s := range []string{
		"每月20日前更新数据，28日前上报报表；", "确保5月25日前完成", "3月1日至3月15日", "每周五前", "下旬",
		"十二月三十一日前", "2020-05-25", "年底前", "元月至二月份", "1.1月16日前", "廿五日前", "两月",
		"每季度末报送", "每季末前", "每季度首月10日前", "每季度结束后10日内", "每季度最后一个月20日前",
		"一季度末前完成", "第四季度底", "季度末前", "3月1日——3月15日", "3月1日--15日", "3月1日—15日",
		"每月初报送", "3月初", "本月内完成", "当月以内", "3月中下旬", "上中旬", "截止3月25日", "１月上旬",
		"开展“3.22世界水日”活动", "“12.4全国法制宣传日”", "5.12防灾减灾日", "“3.5”学雷锋", "第2.5项", "1.1月16日前",
		"第二周为应急演练周", "4月第三周", "每月第一周", "第1-2周", "第五周", "12月28日至2016年1月3日", "2015年12月28日-2016年1月3日",
		// batches 4 and 5 of the office documents
		"月中：召开家长会", "本月中小学生运动会", "3月上半月完成", "12月下半月", "上半月完成会员信息更新", "每周二、周四下午",
		"每周一、三、五", "每周一、二年级", "10.16～10.20开展视导", "1.5-2.0万元", "9.23—9.27", "2024.9.1", "2024/9/10",
		"9月1-5日开展", "11月6—10日", "9月16日至20日", "10月1日-10月7日国庆假期", "（完成时限：3月底）",
		// batches 6 to 10
		"11月—12月开展", "7—8月", "2023-12月", "1.5-2月", "2月下旬—3月上旬", "3月中旬至4月上旬", "教师节表彰大会（9.10）",
		"中秋节慰问（9.14前）", "（1.5万元）", "9月开学第一周", "三月份第二周", "九月十日前完成", "次年1月中旬前",
		"2024.09.02-2024.09.06", "2024.09.23—09.27", "2024-9-1至2024-12-31", "3月份开展认定，9月份开展", "6月份下旬前", "3月份至5月份",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = normalize(s)
		es := extractDates(s)
		end := 0
		for _, e := range es {
			if e.Pos < end || e.End <= e.Pos || e.End > len(s) {
				t.Fatalf("span %d-%d after %d in %d bytes", e.Pos, e.End, end, len(s))
			}
			end = e.End
			if e.Month < 0 || e.Month > 12 || e.StartMonth < 0 || e.StartMonth > 12 {
				t.Fatalf("month %+v", e)
			}
			if e.Kind != kWeekly && !(e.Day >= 1 && e.Day <= 31 || e.Day == lastDay) {
				t.Fatalf("day %+v", e)
			}
			if e.Kind == kWeekly && (e.Weekday < 0 || e.Weekday > 6 || e.Weekdays&(1<<e.Weekday) == 0 || e.Weekdays >= 1<<7) {
				t.Fatalf("weekday %+v", e)
			}
		}
		_ = stripDates(s, es)
		_ = groupClauses(s, es)
	})
}

// FuzzParseHeading: month headings (with a theme, a watermark, a year in Chinese) never panic,
// and what they accept is a real month range whose rest and theme come from the input.
func FuzzParseHeading(f *testing.F) {
	for _, s := range []string{
		"二月主题：新起点、新打算", "三月份 主题：学雷锋", "4月份 www.example.com", "一一年一月", "二○○八年二月",
		"十月份 活动主题：教学常规月", "七至八月", "2020年3月工作安排", "主题", "月 www.", "第一季度（1—3月）", "全年常态化工作：",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = trimSpace(normalize(s))
		h, ok := parseHeading(s)
		if !ok {
			return
		}
		if h.m1 < 1 || h.m1 > 12 || h.m2 < 1 || h.m2 > 12 {
			t.Fatalf("%q: months %d-%d", s, h.m1, h.m2)
		}
		if !strings.Contains(s, trimSpace(h.rest)) || !strings.Contains(s, h.theme) {
			t.Fatalf("%q: rest %q theme %q not from the input", s, h.rest, h.theme)
		}
	})
}

// FuzzParseWhen: chat dates never panic; accepted dates are real, ascending and bounded.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{
		"6月15日", "6.15", "6/15", "2026-06-15", "15日", "15号", "下周五", "本周三", "周五", "明天", "后天",
		"3天后", "每月10日", "每周五", "月底", "本月底", "下月底", "上旬", "中旬", "下旬", "每月底", "2月29日",
	} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, days int64) {
		today := bot.Date{Year: 2026, Month: 6, Day: 10}.AddDays(int(days % 4000))
		w, err := ParseWhen(s, today)
		if err != nil {
			return
		}
		if len(w.Dates) == 0 || len(w.Dates) > 120 {
			t.Fatalf("%q: %d dates", s, len(w.Dates))
		}
		for i, d := range w.Dates {
			if d != bot.NewDate(d.Year, d.Month, d.Day) {
				t.Fatalf("%q: invalid date %+v", s, d)
			}
			if i > 0 && !w.Dates[i-1].Before(d) {
				t.Fatalf("%q: not ascending %v", s, w.Dates)
			}
			if w.Rule != bot.RuleOnce && d.Before(today) {
				t.Fatalf("%q: recurrence date %s before today %s", s, d, today)
			}
		}
		if w.Rule == bot.RuleOnce && strings.ContainsAny(s, "天周星期旬底") && w.Dates[0].Before(today) {
			t.Fatalf("%q: relative date %s before today %s", s, w.Dates[0], today)
		}
	})
}

// FuzzCells: the readers of a calendar's cells and lines (a date cell, a part of the month, a
// line led by its date, week or weekday, a week heading, a holiday) never panic, and a date
// they return is a real month and day.
func FuzzCells(f *testing.F) {
	for _, s := range []string{
		"9月2日（周一）", "11月15日(星期五)", "中旬", "月底", "15日前", "9/2-9/8", "12/30-1/5", "8.28-9.3",
		"第1-2周（9.2-9.13）：制订计划", "第3周 9月16日-9月20日 教学常规检查", "第一周（2月17日—2月21日）",
		"星期一（11月18日）：升旗仪式；行政例会", "9月10日（周二）：庆祝教师节", "10月1日-10月7日国庆假期", "寒假放假",
		"第十八至十九周（12.30-1.10）", "星期五（）：", "第1周（", "一至五", "周一—周五",
		"第1周（9.1-9.7）", "10.20（周一）—10.24（周五）", "9月2日 8:30", "3月8日（周五）下午3:00", "4月—5月", "国庆、中秋放假", "寒假开始",
	} {
		f.Add(s)
	}
	ok := func(t *testing.T, what string, e expr) {
		t.Helper()
		if e.Month < 0 || e.Month > 12 || e.StartMonth < 0 || e.StartMonth > 12 || !(e.Day >= 1 && e.Day <= 31 || e.Day == lastDay) {
			t.Fatalf("%s: %+v", what, e)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = trimSpace(normalize(s))
		if e, found := deadlineCell(s); found {
			ok(t, "deadlineCell", e)
		}
		if e, found := monthPartCell(s); found {
			ok(t, "monthPartCell", e)
		}
		for name, read := range map[string]func(string) (expr, string, bool){"dateLed": dateLed, "weekLed": weekLed} {
			if e, rest, found := read(s); found {
				ok(t, name, e)
				if !strings.Contains(s, rest) || !hasWords(rest) {
					t.Fatalf("%s(%q): rest %q", name, s, rest)
				}
			}
		}
		if e, found := weekHead(s); found {
			ok(t, "weekHead", e)
		}
		_ = isHoliday(s)
		_ = weekdayCellRE.MatchString(s)
		_ = isTitleLine(s)
	})
}
