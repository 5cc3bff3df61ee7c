package plan

import (
	"fmt"
	"sort"

	"github.com/planbot/planbot/bot"
)

// Summary is the one line printed before a plan's table: how many items, the months they fall
// in, the year used and where it came from, and how many lines could not be placed.
func Summary(pl bot.Plan) string {
	months := map[string]bool{}
	for _, o := range pl.Obligations {
		months[fmt.Sprintf("%04d-%02d", o.Due.Year, int(o.Due.Month))] = true
	}
	keys := make([]string, 0, len(months))
	for k := range months {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	span := "无"
	switch len(keys) {
	case 0:
	case 1:
		span = keys[0]
	default:
		span = fmt.Sprintf("%d 个月（%s 至 %s）", len(keys), keys[0], keys[len(keys)-1])
	}
	from := "取自" + pl.YearFrom
	switch pl.YearFrom {
	case "":
		from = "来源未知"
	case bot.YearFromToday:
		from = "文件中未写年份，按当前日期推定；如不对，请用 --year 指定"
	}
	return fmt.Sprintf("共 %d 项；月份：%s；年份 %d（%s）；未能归入的行：%d", len(pl.Obligations), span, pl.Year, from, len(pl.Problems))
}
