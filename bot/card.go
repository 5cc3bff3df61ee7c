package bot

// Card is a template card for one member (button_interaction): the morning digest's personal
// card, a supervisor's summary card, an assignment notice. bot/schedule builds it, bot/wecom
// turns it into WeCom's wire format; it is stored in delivery jobs as JSON.
type Card struct {
	TaskID string     `json:"task_id"` // unique per app, [0-9A-Za-z_-@], at most 128 bytes
	Title  string     `json:"title"`
	Desc   string     `json:"desc"`
	Items  []CardItem `json:"items"`
	// A summary card (a supervisor's) has facts and links instead of items.
	Facts []CardFact `json:"facts,omitempty"`
	Links []CardLink `json:"links,omitempty"`
	// URL is the page tapping the card (or its 查看全部) opens inside WeCom: 我的 for a
	// member's card, 团队 for a supervisor's; empty when planbot serves no pages.
	URL string `json:"url,omitempty"`
}

// CardItem is one line of a card: an obligation with a 完成 button, or, on a card rebuilt after
// a click, listed as done without one.
type CardItem struct {
	Key      string `json:"key"`            // obligation key
	Num      int    `json:"num,omitempty"`  // its number in the team's numbering of the day
	Text     string `json:"text"`           // the line as shown
	EventKey string `json:"event_key"`      // "done:<obligation key>", sent back on a click
	Done     bool   `json:"done,omitempty"` // done since the card was sent: no button
}

// CardFact is one "key: value" line of a summary card.
type CardFact struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// CardLink is a button that sends a command (e.g. 逾期) as if the user had typed it.
type CardLink struct {
	Text    string `json:"text"`
	Command string `json:"command"`
}
