package plan

import (
	"strings"
	"testing"
)

func BenchmarkH1Items(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("2020年\n三月份\n")
	for sb.Len() < 200000 {
		sb.WriteString("1.做好工作\n")
	}
	data := []byte(sb.String())
	for i := 0; i < b.N; i++ {
		Parse("p.txt", data, Options{})
	}
}
