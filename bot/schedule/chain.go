package schedule

import (
	"fmt"
	"strings"
)

// Chain is the first delivery of a message that takes several parts (markdown, in order): one
// job at a time, the next inserted when the previous is sent (see DeliverArgs.Rest), so the
// parts arrive in order and once even with many workers. Each part says where it stands
// ("（1/3）"). Part n's key is key + "/n". A single part is a plain delivery with key + "/1".
func Chain(key, to string, parts []string) DeliverArgs {
	n := len(parts)
	if n <= 1 {
		md := ""
		if n == 1 {
			md = parts[0]
		}
		return DeliverArgs{Key: key + "/1", To: to, Markdown: md}
	}
	labelled := make([]string, n)
	for i, p := range parts {
		labelled[i] = fmt.Sprintf("（%d/%d）", i+1, n) + p
	}
	return DeliverArgs{Key: key + "/1", To: to, Markdown: labelled[0], Part: 1, Rest: labelled[1:]}
}

// NextPart is the delivery of the part after a's in its chain.
func NextPart(a DeliverArgs) DeliverArgs {
	base := strings.TrimSuffix(a.Key, fmt.Sprintf("/%d", a.Part))
	next := a
	next.Part = a.Part + 1
	next.Key = fmt.Sprintf("%s/%d", base, next.Part)
	next.Markdown = a.Rest[0]
	next.Rest = a.Rest[1:]
	if len(next.Rest) == 0 {
		next.Rest = nil
	}
	return next
}

// chainLabelBytes is the room a part's "（12/12）" label takes.
const chainLabelBytes = len("（99/99）")
