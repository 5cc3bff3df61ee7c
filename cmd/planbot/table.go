package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/planbot/planbot/bot"
)

// maxTableBytes bounds an import file: a province's units or members fit in far less.
const maxTableBytes = 16 << 20

// table is an office's sheet: a header row naming the columns, then one record per row.
type table struct {
	cols map[string]int // canonical column name -> index
	rows []tableRow
}

type tableRow struct {
	n      int // the row number as the office sees it (the header is row 1)
	fields []string
}

// get returns the row's value in column col ("" when the column or the cell is absent).
func (t table) get(r tableRow, col string) string {
	i, ok := t.cols[col]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// readTable reads a .csv (UTF-8, with or without BOM, or GBK as Excel saves it in China) or an
// .xlsx (first sheet) whose header names the columns of aliases (canonical name -> the names an
// office may write, e.g. "name": 单位, 单位名称). required columns must be present.
func readTable(path string, aliases map[string][]string, required ...string) (table, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return table{}, err
	}
	if fi.Size() > maxTableBytes {
		return table{}, fmt.Errorf("%s: 文件太大（超过 %d MB）", path, maxTableBytes>>20)
	}
	var raw [][]string
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		f, err := excelize.OpenFile(path)
		if err != nil {
			return table{}, fmt.Errorf("%s: 不是可读的 Excel 文件：%v", path, err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return table{}, fmt.Errorf("%s: 没有工作表", path)
		}
		if raw, err = f.GetRows(sheets[0]); err != nil {
			return table{}, fmt.Errorf("%s: %v", path, err)
		}
	case ".csv", ".txt":
		data, err := os.ReadFile(path)
		if err != nil {
			return table{}, err
		}
		if raw, err = decodeCSV(data); err != nil {
			return table{}, fmt.Errorf("%s: %w", path, err)
		}
	default:
		return table{}, fmt.Errorf("%s: 请用 .csv 或 .xlsx 文件", path)
	}
	return tableOf(path, raw, aliases, required...)
}

// decodeCSV reads the records of a CSV file: UTF-8 with or without BOM, else GBK/GB18030.
func decodeCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		var err error
		if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
			return nil, errors.New("编码无法识别，请另存为 UTF-8 的 CSV")
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	raw, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("CSV 格式错误：%v", err)
	}
	return raw, nil
}

// tableOf finds the header among raw's records and maps its columns (see readTable).
func tableOf(path string, raw [][]string, aliases map[string][]string, required ...string) (table, error) {
	t := table{cols: map[string]int{}}
	header := -1
	for i, rec := range raw {
		if !blankRecord(rec) {
			header = i
			break
		}
	}
	if header < 0 {
		return table{}, fmt.Errorf("%s: 文件是空的", path)
	}
	known := map[string]string{}
	for canon, names := range aliases {
		known[canon] = canon
		for _, n := range names {
			known[strings.ToLower(n)] = canon
		}
	}
	for i, h := range raw[header] {
		h = strings.ToLower(strings.TrimSpace(bot.Normalize(h)))
		if canon, ok := known[h]; ok {
			if _, dup := t.cols[canon]; !dup {
				t.cols[canon] = i
			}
		}
	}
	var missing []string
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return table{}, fmt.Errorf("%s: 第%d行（表头）缺少列 %s；表头应为 %s", path, header+1, strings.Join(missing, "、"), strings.Join(required, ","))
	}
	for i := header + 1; i < len(raw); i++ {
		if !blankRecord(raw[i]) {
			t.rows = append(t.rows, tableRow{n: i + 1, fields: raw[i]})
		}
	}
	return t, nil
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
