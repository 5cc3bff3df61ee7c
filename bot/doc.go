// Package bot is planbot's domain: obligations (dated items of an office's work plan), teams as
// units in a tree, members and roles, figures, the agenda of a day, the chat router with its
// command table, and the one error type every user-facing failure is rendered from. It imports
// nothing of planbot's own; everything else depends on it.
//
// The map, one package per concern or dependency:
//
//	bot            domain types, Store/State interfaces (store.go, state.go), Router (route.go),
//	               message folding and item numbers (normalize.go, on bot/zh), Error (error.go), help from the table
//	bot/plan       plan documents (.txt, Word-table text, .docx) and typed dates → obligations
//	bot/workday    official holidays and 调休 make-up workdays (lunar-go + an override file)
//	bot/figure     figures (人数, 人次, 金额 by programme, stage, term): parsing, catalogue, totals
//	bot/render     an agenda as WeCom markdown and terminal text
//	bot/report     the Excel workbook (excelize)
//	bot/schedule   morning digests, cards, reminders, escalations as River jobs on PostgreSQL
//	bot/wecom      the WeCom edge: callbacks (crypto, replay, de-duplication), sender, cards, sync
//	handlers       the chat commands, one file per family, registered by handlers.Register
//	store/postgres the Store on PostgreSQL (pgx, embedded tern migrations, SQL over a DBTX)
//	store/memory   the embedded Store (demo, tests); both pass store/storetest
//	store/redisstate conversation state in Redis: dialogs, list numbering, de-duplication, limits
//	bot/zh         Chinese text: full-width folding and numerals, one reading for chat, plans, figures
//	cmd/planbot    main: Config read once (config.go), the subcommand table, wiring
//
// One message, from the callback to the reply: WeCom POSTs an encrypted XML body to the path
// planbot serve mounts (cmd/planbot/serve.go). wecom.Callback.ServeHTTP checks the signature and
// the timestamp window, decrypts, parses the message into a wecom.Inbound and drops a repeat of a
// message id it has already taken; then it calls the Dispatcher, which in serve is app.dispatch:
// under Router.Safely (the one panic recovery on the way) it turns the Inbound into a
// bot.Request, routes it to the sender's unit (cmd/planbot/units.go: a card's or group's unit, a
// unit named first, else their primary one), puts their resolved Access on the request and calls
// Router.Handle. The router (route.go) takes the member from that Access (or looks them up), applies the rate limit, continues a pending dialog if
// there is one, otherwise normalises the text (full-width digits, Chinese numerals, punctuation)
// and matches it against the command table that handlers.Register filled; the matched command's
// handler (handlers/*.go) reads and writes through bot.Store and bot.State and returns a
// bot.Reply, or an error that bot.ErrorMessage renders in Chinese in one place. The callback
// answers within WeCom's five seconds as a passive encrypted reply, or, for a slow command, with
// an empty 200 and the reply sent afterwards through the app-message API (wecom.Client).
package bot
