package main

import (
	"strings"
	"testing"
)

// FuzzReadCSVTable: any bytes as an office's CSV are refused with a message or read into rows
// whose numbers follow the header, never a panic.
func FuzzReadCSVTable(f *testing.F) {
	f.Add([]byte("name,parent,group,cron\n淮北市,,webhook:K,\n濉溪县,淮北市,,8:30\n"))
	f.Add([]byte("\xef\xbb\xbf单位,上级单位\r\n\r\n濉溪县,淮北市\r\n"))
	f.Add([]byte("\xb5\xa5\xce\xbb,\xc9\xcf\xbc\xb6\n")) // GBK 单位,上级
	f.Add([]byte("\"a,b\nname\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		raw, err := decodeCSV(data)
		if err != nil {
			return
		}
		tb, err := tableOf("f.csv", raw, teamColumns, "name", "parent")
		if err != nil {
			if !strings.Contains(err.Error(), "f.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		last := 1
		for _, r := range tb.rows {
			if r.n <= last {
				t.Fatalf("row numbers not increasing: %d after %d", r.n, last)
			}
			last = r.n
			_ = tb.get(r, "name")
			_ = digestCron(tb.get(r, "cron"))
			_ = groupTarget(tb.get(r, "group"))
		}
	})
}
