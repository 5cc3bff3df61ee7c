package workday

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/planbot/planbot/bot"
)

// maxRange bounds a date range in an override file ("2027-10-01..2027-10-07").
const maxRange = 62

// LoadFile returns a calendar on lunar-go's data with the entries of the override file at path
// on top (see ParseOverrides for the format).
func LoadFile(path string) (*Calendar, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("节假日文件: %w", err)
	}
	days, err := ParseOverrides(data)
	if err != nil {
		return nil, fmt.Errorf("节假日文件 %s: %w", path, err)
	}
	c := New()
	c.Override(days...)
	return c, nil
}

// ParseOverrides reads an override file. Text form, one entry a line, `#` starts a comment:
//
//	2027-01-01 元旦 holiday
//	2027-02-07 春节 workday
//	2027-10-01..2027-10-07 国庆节 holiday
//	2026-09-20 normal
//
// The kind is holiday (also 休, 假, 放假, off), workday (班, 上班, 调休, work) or normal (removes
// an entry: the weekday rule applies); the name is optional. JSON form: an array of
// {"date":"2027-01-01","name":"元旦","kind":"holiday"} (or {"days":[...]}).
func ParseOverrides(data []byte) ([]Day, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("不是 UTF-8 文本")
	}
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{') {
		return parseJSON(trimmed)
	}
	var days []Day
	for i, line := range strings.Split(string(trimmed), "\n") {
		if j := strings.Index(line, "#"); j >= 0 {
			line = line[:j]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("第 %d 行: 应为「日期 名称 holiday|workday」: %q", i+1, line)
		}
		kind, ok := parseKind(f[len(f)-1])
		if !ok {
			return nil, fmt.Errorf("第 %d 行: 未知类型 %q（应为 holiday 或 workday）", i+1, f[len(f)-1])
		}
		ds, err := parseDates(f[0])
		if err != nil {
			return nil, fmt.Errorf("第 %d 行: %w", i+1, err)
		}
		name := strings.Join(f[1:len(f)-1], " ")
		for _, d := range ds {
			days = append(days, Day{Date: d, Name: name, Kind: kind})
		}
	}
	return days, nil
}

type jsonDay struct {
	Date string `json:"date"`
	Name string `json:"name"`
	Kind string `json:"kind"`
	Type string `json:"type"`
}

func parseJSON(data []byte) ([]Day, error) {
	var list []jsonDay
	if data[0] == '{' {
		var wrap struct {
			Days []jsonDay `json:"days"`
		}
		if err := json.Unmarshal(data, &wrap); err != nil {
			return nil, fmt.Errorf("JSON: %w", err)
		}
		list = wrap.Days
	} else if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("JSON: %w", err)
	}
	var days []Day
	for i, j := range list {
		k := j.Kind
		if k == "" {
			k = j.Type
		}
		kind, ok := parseKind(k)
		if !ok {
			return nil, fmt.Errorf("第 %d 项: 未知类型 %q（应为 holiday 或 workday）", i+1, k)
		}
		ds, err := parseDates(j.Date)
		if err != nil {
			return nil, fmt.Errorf("第 %d 项: %w", i+1, err)
		}
		for _, d := range ds {
			days = append(days, Day{Date: d, Name: strings.TrimSpace(j.Name), Kind: kind})
		}
	}
	return days, nil
}

func parseKind(s string) (Kind, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "holiday", "off", "休", "假", "放假", "休息":
		return Holiday, true
	case "workday", "work", "班", "上班", "调休":
		return Workday, true
	case "normal", "remove", "删除":
		return Normal, true
	}
	return "", false
}

// parseDates reads one date or a range "A..B" / "A~B" / "A至B".
func parseDates(s string) ([]bot.Date, error) {
	for _, sep := range []string{"..", "~", "至"} {
		if a, b, ok := strings.Cut(s, sep); ok {
			from, err := parseOne(a)
			if err != nil {
				return nil, err
			}
			to, err := parseOne(b)
			if err != nil {
				return nil, err
			}
			n := from.DaysUntil(to)
			if n < 0 || n >= maxRange {
				return nil, fmt.Errorf("日期范围 %q 不对（最多 %d 天）", s, maxRange)
			}
			ds := make([]bot.Date, 0, n+1)
			for d := from; !d.After(to); d = d.AddDays(1) {
				ds = append(ds, d)
			}
			return ds, nil
		}
	}
	d, err := parseOne(s)
	if err != nil {
		return nil, err
	}
	return []bot.Date{d}, nil
}

func parseOne(s string) (bot.Date, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2006/01/02", "2006-1-2", "2006/1/2", "20060102"} {
		if t, err := time.Parse(layout, s); err == nil {
			return bot.DateOf(t), nil
		}
	}
	return bot.Date{}, fmt.Errorf("日期格式应为 YYYY-MM-DD: %q", s)
}
