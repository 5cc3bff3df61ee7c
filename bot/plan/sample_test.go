package plan

import (
	"testing"

	"github.com/planbot/planbot/bot"
)

func TestSampleDump(t *testing.T) {
	name, data := Sample()
	pl, err := Parse(name, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range pl.Obligations {
		t.Logf("%s %-8s %s %s L%d %s", o.Due, o.Rule, o.Start, o.Key, o.Line, o.Title)
	}
	t.Logf("title=%q year=%d notes=%q problems=%v n=%d", pl.Title, pl.Year, pl.Notes, pl.Problems, len(pl.Obligations))
	_ = bot.RuleOnce
}
