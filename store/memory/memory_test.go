package memory_test

import (
	"testing"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/store/memory"
	"github.com/planbot/planbot/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) bot.Store { return memory.New() })
}
