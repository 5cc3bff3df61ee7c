package figure

import (
	"testing"

	"github.com/planbot/planbot/bot"
)

func BenchmarkParse(b *testing.B) {
	c := Default()
	for b.Loop() {
		if _, err := c.Parse("中职国家助学金 2026年春季 1200人 1500人次 2,400,000.50元 备注 第一批", bot.NewDate(2026, 4, 15)); err != nil {
			b.Fatal(err)
		}
	}
}
