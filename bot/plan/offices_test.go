package plan

import (
	"os"
	"strings"
	"testing"

	"github.com/planbot/planbot/bot"
)

// officeWant is one obligation an office worker expects from a line of their plan.
type officeWant struct {
	title string // substring of the title
	due   string
	start string // "" = no start
	rule  bot.Rule
	n     int // how many obligations carry this title (0 = exactly 1)
}

// TestOtherOffices states what a reasonable office worker expects from plans written the way other
// county and city offices write them (testdata/, each also golden-checked by TestLayouts).
func TestOtherOffices(t *testing.T) {
	for _, tc := range []struct {
		file     string
		n        int
		problems int
		year     int
		wants    []officeWant
	}{
		{"sameline-2021.txt", 11, 0, 2021, []officeWant{ // CRLF; 一月份：items on the heading's line; 二〇二一 in the title
			{"1月上旬完成上年度资助资金决算", "2021-01-10", "", bot.RuleOnce, 0},
			{"每月5日前报送上月资助资金发放情况", "2021-01-05", "", bot.RuleMonthly, 3}, // written in Jan, Feb and Mar
			{"做好寒假慰问困难学生工作", "2021-01-31", "", bot.RuleOngoing, 0},
			{"本月底前完成春季学期资助政策宣传材料印制", "2021-02-28", "", bot.RuleOnce, 0},
			{"3月1日—3月15日开展家庭经济困难学生认定", "2021-03-15", "2021-03-01", bot.RuleOnce, 0},
			{"3月20日-25日集中发放春季学期国家助学金", "2021-03-25", "2021-03-20", bot.RuleOnce, 0},
			{"4月1日-15日开展资助资金专项检查", "2021-04-15", "2021-04-01", bot.RuleOnce, 0},
			{"本月底前完成春季学期资助资金发放", "2021-04-30", "", bot.RuleOnce, 0},
		}},
		{"quarters-2022.txt", 13, 0, 2022, []officeWant{ // 第一季度（1—3月）, 二季度工作安排：, （一） numbering
			{"1月10日前完成寒假“送温暖”慰问活动", "2022-01-10", "", bot.RuleOnce, 0},
			{"3月1日-15日开展春季学期家庭经济困难学生认定", "2022-03-15", "2022-03-01", bot.RuleOnce, 0},
			{"每季度末报送资助工作季报", "2022-03-31", "", bot.RuleOnce, 3}, // and 06-30, 09-30
			{"每季度末报送资助工作季报", "2022-09-30", "", bot.RuleOnce, 3},
			{"做好资助政策宣传工作", "2022-03-31", "", bot.RuleOngoing, 0},
			{"6月上旬开展高中毕业生资助政策宣传", "2022-06-10", "", bot.RuleOnce, 0},
			{"9月中旬开展秋季学期资助资金自查", "2022-09-20", "", bot.RuleOnce, 0},
			{"年底前完成全年资助工作总结", "2022-12-31", "", bot.RuleOnce, 0},
		}},
		{"fullwidth-2023.txt", 6, 0, 2023, []officeWant{ // full-width digits, ideographic spaces between items
			{"每月10日前报送资助数据月报", "2023-03-10", "", bot.RuleMonthly, 2},
			{"3月15日前完成春季学期资助对象认定", "2023-03-15", "", bot.RuleOnce, 0},
			{"做好资助政策宣传", "2023-03-31", "", bot.RuleOngoing, 0},
			{"4月1日-4月20日开展资助资金专项检查", "2023-04-20", "2023-04-01", bot.RuleOnce, 0},
			{"4月底前完成春季学期国家助学金发放", "2023-04-30", "", bot.RuleOnce, 0},
		}},
		{"leadcol-2021.txt", 8, 0, 2021, []officeWant{ // table export: 月份 | 完成时间 | 主要工作内容
			{"1月15日前完成寒假慰问", "2021-01-15", "", bot.RuleOnce, 0},
			{"撰写上年度工作总结", "2021-01-31", "", bot.RuleOngoing, 0},
			{"做好春季开学准备工作", "2021-02-28", "", bot.RuleOngoing, 0},
			{"更新学生资助管理信息系统数据", "2021-03-20", "", bot.RuleMonthly, 3},
			{"3月10日至3月25日开展春季学期资助对象认定", "2021-03-25", "2021-03-10", bot.RuleOnce, 0},
		}},
		{"leadrows-2022.txt", 4, 0, 2022, []officeWant{ // 序号 | 时间节点 | 工作任务 | 责任科室: no month column at all
			{"开展春季学期家庭经济困难学生认定", "2022-03-20", "", bot.RuleOnce, 0},
			{"发放春季学期国家助学金", "2022-03-31", "", bot.RuleOnce, 0},
			{"组织资助资金使用情况自查", "2022-04-10", "", bot.RuleOnce, 0},
			{"报送春季学期资助工作总结", "2022-04-30", "", bot.RuleOnce, 0},
		}},
		{"leadmonth-2023.txt", 4, 0, 2023, []officeWant{ // 月份 | 时间节点 | 工作任务 | 责任人, one row per task
			{"开展春季学期资助对象认定", "2023-03-20", "", bot.RuleOnce, 0},
			{"发放春季学期国家助学金", "2023-03-31", "", bot.RuleOnce, 0},
			{"做好资助政策宣传", "2023-03-31", "", bot.RuleOngoing, 0},
			{"组织资助资金自查", "2023-04-10", "", "", 0},
		}},
		{"yearly-2024.txt", 21, 0, 2024, []officeWant{ // 全年常态化工作 before the months, 常态化工作： after them
			{"常态化开展资助政策宣传", "2024-12-31", "", bot.RuleOngoing, 0},
			{"每月10日前报送资助数据月报", "2024-12-10", "", bot.RuleMonthly, 12},
			{"每季度末报送资助资金使用情况", "2024-06-30", "", bot.RuleOnce, 4},
			{"1月20日前完成寒假慰问", "2024-01-20", "", bot.RuleOnce, 0},
			{"2月29日前印发本年度工作要点", "2024-02-29", "", bot.RuleOnce, 0},
			{"做好学生资助热线电话接听工作", "2024-12-31", "", bot.RuleOngoing, 0},
		}},
		{"county-2020.txt", 11, 0, 2020, []officeWant{ // 1月：①…；②… on one line
			{"1月10日前完成资助资金年度决算", "2020-01-10", "", bot.RuleOnce, 0},
			{"每月5日前报送上月资助报表", "2020-05-05", "", bot.RuleMonthly, 4},
			{"2月底前制定本年度资助工作要点", "2020-02-29", "", bot.RuleOnce, 0},
			{"3月16日—3月31日公示并上报认定结果", "2020-03-31", "2020-03-16", bot.RuleOnce, 0},
			{"5月下旬开展资助育人活动", "2020-05-31", "", bot.RuleOnce, 0},
		}},
		{"tasklist-2023.txt", 21, 0, 2023, []officeWant{ // 序号 | 完成时限 | 任务内容 | 牵头科室: 全年, 常态化, 每月 in the time column
			{"做好学生资助政策宣传", "2023-12-31", "", bot.RuleOngoing, 0},
			{"开展资助育人活动", "2023-12-31", "", bot.RuleOngoing, 0},
			{"每月10日前报送资助数据月报", "2023-07-10", "", bot.RuleMonthly, 12},
			{"每季度末报送资金使用情况季报", "2023-09-30", "", bot.RuleOnce, 4},
			{"完成春季学期家庭经济困难学生认定", "2023-03-20", "", bot.RuleOnce, 0},
			{"组织资助资金使用情况自查", "2023-04-10", "", bot.RuleOnce, 0},
			{"开展秋季学期家庭经济困难学生认定", "2023-09-15", "2023-09-01", bot.RuleOnce, 0},
		}},
		{"gbk-2021.txt", 6, 0, 2021, []officeWant{ // saved by Notepad as ANSI (GBK) with CRLF
			{"更新系统数据", "2021-01-20", "", bot.RuleMonthly, 2},
			{"上报月报", "2021-02-28", "", bot.RuleMonthly, 2},
			{"1月中旬完成寒假慰问", "2021-01-20", "", bot.RuleOnce, 0},
			{"做好春季学期开学准备工作", "2021-02-28", "", bot.RuleOngoing, 0},
		}},
		{"phrases-2021.txt", 12, 0, 2021, []officeWant{ // 二○二一; 每月初, 本月内, 中下旬, 一季度末前, ——, 截止
			{"每月初报送上月资助数据", "2021-03-05", "", bot.RuleMonthly, 0},
			{"本月内完成春季学期资助对象认定", "2021-03-31", "", bot.RuleOnce, 0},
			{"3月中下旬开展资助资金发放自查", "2021-03-31", "", bot.RuleOnce, 0},
			{"一季度末前完成第一季度资助资金拨付", "2021-03-31", "", bot.RuleOnce, 0},
			{"3月1日——3月15日组织资助政策宣传", "2021-03-15", "2021-03-01", bot.RuleOnce, 0},
			{"截止3月25日完成贫困学生信息比对", "2021-03-25", "", bot.RuleOnce, 0},
			{"4月1日至15日开展资助工作检查", "2021-04-15", "2021-04-01", bot.RuleOnce, 0},
			{"每周五前报送工作进度", "2021-04-30", "", bot.RuleWeekly, 5},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			pl, err := Parse(tc.file, data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(pl.Obligations) != tc.n || len(pl.Problems) != tc.problems || pl.Year != tc.year {
				t.Errorf("%d obligations, %d problems, year %d; want %d, %d, %d\n%s", len(pl.Obligations), len(pl.Problems), pl.Year, tc.n, tc.problems, tc.year, dump(pl))
			}
			checkOffice(t, pl, tc.wants)
		})
	}
}

func checkOffice(t *testing.T, pl bot.Plan, wants []officeWant) {
	t.Helper()
	for _, w := range wants {
		same, ok := 0, false
		for _, o := range pl.Obligations {
			if !strings.Contains(o.Title, w.title) {
				continue
			}
			same++
			if o.Due.String() == w.due && o.Start.String() == w.start && (w.rule == "" || o.Rule == w.rule) {
				ok = true
			}
		}
		if !ok || same != max(w.n, 1) {
			t.Errorf("want %+v: found=%v, %d with that title, in\n%s", w, ok, same, dump(pl))
		}
	}
}

// Small plans for one construct each.
func TestOfficeConstructs(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		n          int
		wants      []officeWant
	}{
		{"日常工作 between two months is the month's own",
			"2021年计划\n三月份\n1.3月10日前完成认定；\n日常工作：\n1.做好资助热线接听；\n2.每周五前报送进度。\n四月份\n1.做好宣传。\n", 1 + 1 + 4 + 1, []officeWant{
				{"做好资助热线接听", "2021-03-31", "", bot.RuleOngoing, 0},
				{"每周五前报送进度", "2021-03-26", "", bot.RuleWeekly, 4},
				{"做好宣传", "2021-04-30", "", bot.RuleOngoing, 0},
			}},
		{"下半年 then 一月 stays in the plan year",
			"2021年计划\n下半年工作\n1.做好资助。\n一月\n1.1月5日前报送。\n", 2, []officeWant{
				{"做好资助", "2021-12-31", "", bot.RuleOngoing, 0},
				{"1月5日前报送", "2021-01-05", "", bot.RuleOnce, 0},
			}},
		{"quarter forms",
			"2022年计划\n【2022年第二季度】\n1.每季度首月10日前报送上季度数据；\n2.季度末前完成自查；\n3.每季度结束后10日内报送季报。\n一月份\n1.每季度末报送季报。\n", 4, []officeWant{
				{"每季度首月10日前报送上季度数据", "2022-04-10", "", bot.RuleOnce, 0},
				{"季度末前完成自查", "2022-06-30", "", bot.RuleOnce, 0},
				{"每季度结束后10日内报送季报", "2022-07-10", "", bot.RuleOnce, 0},
				{"每季度末报送季报", "2022-03-31", "", bot.RuleOnce, 0}, // under 一月份: the quarter's end
			}},
		{"a side column after the deadline column",
			"2021年计划\n\t三月份\t1.开展认定\t3月20日\t资助科\n\t\t2.发放助学金\t3月底\t计财科、资助科\n", 2, []officeWant{
				{"开展认定", "2021-03-20", "", bot.RuleOnce, 0},
				{"发放助学金", "2021-03-31", "", bot.RuleOnce, 0},
			}},
		{"全年 in the time column of a month table",
			"2021年计划\n月份\t时间节点\t工作任务\n三月份\t3月20日\t开展认定\n\t全年\t做好资助政策宣传\n\t每周五前\t报送进度\n", 2 + 4, []officeWant{
				{"开展认定", "2021-03-20", "", bot.RuleOnce, 0},
				{"做好资助政策宣传", "2021-12-31", "", bot.RuleOnce, 0},
				{"每周五前报送进度", "2021-03-26", "", bot.RuleWeekly, 4},
			}},
		{"全年 in the month column is a section",
			"2021年计划\n\t三月份\t1.做好认定；\n\t全年\t1.每月10日前报送月报；\n2.做好宣传。\n", 1 + 12 + 1, []officeWant{
				{"做好认定", "2021-03-31", "", bot.RuleOngoing, 0},
				{"每月10日前报送月报", "2021-12-10", "", bot.RuleMonthly, 12},
				{"做好宣传", "2021-12-31", "", bot.RuleOngoing, 0},
			}},
		{"full-width range and spaces",
			"２０２１年计划\n５月份：１．５月１日－５月１５日开展检查　２．５月２０日前完成发放\n", 2, []officeWant{
				{"5月1日-5月15日开展检查", "2021-05-15", "2021-05-01", bot.RuleOnce, 0},
				{"5月20日前完成发放", "2021-05-20", "", bot.RuleOnce, 0},
			}},
		{"an ideographic space after the heading",
			"２０２１年计划\n６月份　１．做好宣传；２．６月底前完成总结\n", 2, []officeWant{
				{"做好宣传", "2021-06-30", "", bot.RuleOngoing, 0},
				{"6月底前完成总结", "2021-06-30", "", bot.RuleOnce, 0},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pl, err := Parse("p.txt", []byte(tc.text), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(pl.Obligations) != tc.n || len(pl.Problems) != 0 {
				t.Errorf("%d obligations, %d problems, want %d, 0\n%s", len(pl.Obligations), len(pl.Problems), tc.n, dump(pl))
			}
			checkOffice(t, pl, tc.wants)
		})
	}
}

// Word tables read like their text export: a time column before the content, a side column
// (责任科室, 责任人) after it, list paragraphs inside cells.
func TestOfficeDocxTables(t *testing.T) {
	c := func(s string) string { return cell(para(s)) }
	for _, tc := range []struct {
		name  string
		data  []byte
		n     int
		wants []officeWant
	}{
		{"time column first, no month column", makeDocx(t, para("2022年学生资助重点工作任务分解表"), table(
			row(c("序号"), c("时间节点"), c("工作任务"), c("责任科室")),
			row(c("1"), c("3月20日"), c("开展春季学期家庭经济困难学生认定"), c("资助科")),
			row(c("2"), c("3月底"), c("发放春季学期国家助学金"), c("资助科")),
			row(c("3"), c("全年"), c("做好资助政策宣传"), c("资助科")),
			row(c("4"), c("每月10日前"), c("报送月报"), c("资助科")),
		)), 3 + 12, []officeWant{
			{"开展春季学期家庭经济困难学生认定", "2022-03-20", "", bot.RuleOnce, 0},
			{"发放春季学期国家助学金", "2022-03-31", "", bot.RuleOnce, 0},
			{"做好资助政策宣传", "2022-12-31", "", bot.RuleOngoing, 0},
			{"每月10日前报送月报", "2022-05-10", "", bot.RuleMonthly, 12},
		}},
		{"month table with a side column and list paragraphs", makeDocx(t, para("2023年学生资助工作任务表"), table(
			row(c("月份"), c("工作任务"), c("完成时间"), c("责任人")),
			row(c("三月份"), cell(listPara("开展认定"), listPara("发放助学金")), c("3月31日"), c("张三")),
			row(c("四月份"), cell(para("1.做好宣传"), para("2.4月20日前完成自查")), c("4月30日"), c("李四")),
		)), 4, []officeWant{
			{"开展认定", "2023-03-31", "", bot.RuleOngoing, 0},
			{"发放助学金", "2023-03-31", "", bot.RuleOngoing, 0},
			{"做好宣传", "2023-04-30", "", bot.RuleOngoing, 0},
			{"4月20日前完成自查", "2023-04-20", "", bot.RuleOnce, 0},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pl, err := Parse("p.docx", tc.data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(pl.Obligations) != tc.n || len(pl.Problems) != 0 {
				t.Errorf("%d obligations, %d problems, want %d, 0\n%s", len(pl.Obligations), len(pl.Problems), tc.n, dump(pl))
			}
			checkOffice(t, pl, tc.wants)
		})
	}
}
