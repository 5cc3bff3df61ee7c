package wecom_test

import (
	"context"
	"log"
	"net/http"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/bot/wecom"
	"github.com/prometheus/client_golang/prometheus"
)

// How `planbot serve` wires the edge: config from the environment, one Client (token shared
// through Redis in production: pass redisstate.NewTokenCache(...) instead of nil, and the
// redisstate State as Pacer and Deduper), and the callback handler dispatching to the router.
func ExampleNewCallback() {
	// cmd/planbot reads the WECOM_* variables into the Config once, at start.
	cfg := wecom.Config{CorpID: "wwcorp", AgentID: 1000002, Secret: "…", Token: "…",
		AESKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", ReplayWindow: wecom.DefaultReplayWindow}
	if err := cfg.Validate(); err != nil {
		log.Fatal(err) // names the bad WECOM_* variable, never its value
	}
	metrics := wecom.NewMetrics(prometheus.DefaultRegisterer)
	client, err := wecom.NewClient(cfg, nil, &http.Client{Timeout: 10 * time.Second},
		wecom.WithClientMetrics(metrics))
	if err != nil {
		log.Fatal(err)
	}
	handle := func(ctx context.Context, req *bot.Request) bot.Reply { return bot.TextReply("…") } // (*bot.Router).Handle
	dispatch := wecom.DispatcherFunc(func(ctx context.Context, in wecom.Inbound) (bot.Reply, error) {
		req := in.Request(time.Now()) // set req.Team and req.Member from the store
		return handle(ctx, req), nil
	})
	cb, err := wecom.NewCallback(cfg, dispatch,
		wecom.WithSender(wecom.ClientSender{C: client}), wecom.WithMetrics(metrics) /* wecom.WithDeduper(state) */)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/wecom/callback", cb)
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadTimeout: 5 * time.Second, WriteTimeout: 10 * time.Second}
	_ = srv // ListenAndServe; on shutdown: srv.Shutdown(ctx), then cb.Wait()
	// Output:
}
