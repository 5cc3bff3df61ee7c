package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestDemoScripted(t *testing.T) {
	// The demo office on 2026-06-08 (sampleProgress): nothing due today; the team's numbers
	// of the day start with the overdue items, 1 张老师's, 2 李老师's.
	script := strings.Join([]string{
		"今天",
		"完成 2 已报送",
		"完成 2", // the same item again: reported, not recorded twice
		"进度",
		"/as 王主任",
		"新增 6月15日 报送春季资金发放进度",
		"分配 1 李老师",
		"/as zhangsan",
		"撤销 2", // lisi's completion of the day's item 2: only lisi or a supervisor
		"/as lisi",
		"撤销 2", // the day's numbering again: the item she completed
		"/date 2026-07-01",
		"本月",
		"/as nobody",
		"/quit",
		"今天", // after /quit: never read
	}, "\n")
	var out, errOut bytes.Buffer
	now := time.Date(2026, 6, 8, 10, 0, 0, 0, time.UTC)
	if err := runDemo(context.Background(), []string{"--date", "2026-06-08"}, strings.NewReader(script), &out, &errOut, fixedClock(now)); err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		"什么都不会保存",
		"2026年6月8日", // today's digest
		"李老师> ",
		"✅ 已标记完成：第2项",
		"备注：已报送",
		"早已由李老师完成",
		"6月进度：已完成",
		"现在的身份：王主任",
		"已新增“报送春季资金发放进度”，6月15日截止",
		"分配给李老师",
		"现在的身份：张老师",
		"只有本人或主管可以撤销",
		"已撤销完成",
		"日期改为 2026-07-01",
		"本月（7月）",
		"! no member \"nobody\"",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Count(got, "今天 6月8日") != 1 {
		t.Errorf("lines after /quit were read:\n%s", got)
	}
	// The first screen (before the first prompt) fits a terminal and is not a wall of overdue
	// items: today first, a handful overdue.
	first, _, _ := strings.Cut(got, "李老师> ")
	if n := strings.Count(first, "\n"); n > 45 {
		t.Errorf("first screen has %d lines:\n%s", n, first)
	}
	if !strings.Contains(first, "今日到期") || strings.Contains(first, "逾期】5") || strings.Count(first, "逾期") > 3 {
		t.Errorf("first screen:\n%s", first)
	}
}

func TestDemoEOFAndFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	if err := runDemo(context.Background(), []string{"--user", "wangzr"}, strings.NewReader("进度"), &out, &errOut, fixedClock(now)); err != nil {
		t.Fatalf("demo: %v", err)
	}
	if !strings.Contains(out.String(), "王主任> ") || !strings.Contains(out.String(), "按人员") {
		t.Errorf("--user wangzr not honoured:\n%s", out.String())
	}
	if err := runDemo(context.Background(), []string{"--date", "2026-13-01"}, strings.NewReader(""), &out, &errOut, fixedClock(now)); err == nil {
		t.Error("bad --date accepted")
	}
	if err := runDemo(context.Background(), []string{"--user", "nobody"}, strings.NewReader(""), &out, &errOut, fixedClock(now)); err == nil {
		t.Error("unknown --user accepted")
	}
}

func TestDemoRestDay(t *testing.T) {
	var out, errOut bytes.Buffer
	now := time.Date(2026, 6, 8, 10, 0, 0, 0, time.UTC)
	if err := runDemo(context.Background(), []string{"--date", "2026-06-20"}, strings.NewReader("今天\n"), &out, &errOut, fixedClock(now)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"是休息日", "下一个工作日（6月22日）的推送将是", "2026年6月22日"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
