package wecom

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Callback outcomes, the values of the outcome label of planbot_wecom_callbacks_total.
const (
	OutcomeVerified  = "verified"   // GET URL verification answered
	OutcomeReplied   = "replied"    // passive encrypted reply
	OutcomeEmpty     = "empty"      // dispatched, nothing to say
	OutcomeAsync     = "async"      // dispatch too slow: empty 200, reply via message/send
	OutcomeDuplicate = "duplicate"  // a WeCom retry, ignored
	OutcomeIgnored   = "ignored"    // a message type we do not handle
	OutcomeBadSig    = "bad_sig"    // signature mismatch
	OutcomeReplay    = "replay"     // timestamp outside the replay window
	OutcomeBadBody   = "bad_body"   // garbage: no envelope, no decrypt, bad XML
	OutcomeWrongRecv = "wrong_recv" // CorpID or AgentID not ours
	OutcomeTooLarge  = "too_large"  // body over 64 KiB
	OutcomeError     = "error"      // the dispatcher failed
)

// Metrics are the Prometheus collectors of the WeCom edge. A nil *Metrics records nothing.
type Metrics struct {
	Callbacks       *prometheus.CounterVec   // planbot_wecom_callbacks_total{outcome}
	CallbackSeconds prometheus.Histogram     // planbot_wecom_callback_seconds
	Sends           *prometheus.CounterVec   // planbot_wecom_sends_total{api,outcome,errcode}
	SendSeconds     *prometheus.HistogramVec // planbot_wecom_send_seconds{api}
	TokenRefreshes  prometheus.Counter       // planbot_wecom_token_refreshes_total
	PaceWaits       prometheus.Counter       // planbot_wecom_pace_waits_total
}

// NewMetrics creates the collectors and registers them with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Callbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "planbot_wecom_callbacks_total",
			Help: "WeCom callback requests by outcome.",
		}, []string{"outcome"}),
		CallbackSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "planbot_wecom_callback_seconds",
			Help:    "Time to answer a WeCom callback request.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}),
		Sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "planbot_wecom_sends_total",
			Help: "WeCom API calls by API, outcome (ok, retry, error) and errcode.",
		}, []string{"api", "outcome", "errcode"}),
		SendSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "planbot_wecom_send_seconds",
			Help:    "Duration of WeCom API calls including retries and pacing.",
			Buckets: prometheus.DefBuckets,
		}, []string{"api"}),
		TokenRefreshes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "planbot_wecom_token_refreshes_total",
			Help: "Access tokens dropped and fetched again after 40014/42001.",
		}),
		PaceWaits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "planbot_wecom_pace_waits_total",
			Help: "Sends delayed to stay under WeCom's per-member and per-webhook limits.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.Callbacks, m.CallbackSeconds, m.Sends, m.SendSeconds, m.TokenRefreshes, m.PaceWaits)
	}
	return m
}

func (m *Metrics) callback(outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.Callbacks.WithLabelValues(outcome).Inc()
	m.CallbackSeconds.Observe(d.Seconds())
}

func (m *Metrics) send(api, outcome string, code int) {
	if m == nil {
		return
	}
	m.Sends.WithLabelValues(api, outcome, strconv.Itoa(code)).Inc()
}

func (m *Metrics) sendTime(api string, d time.Duration) {
	if m == nil {
		return
	}
	m.SendSeconds.WithLabelValues(api).Observe(d.Seconds())
}

func (m *Metrics) refresh() {
	if m != nil {
		m.TokenRefreshes.Inc()
	}
}

func (m *Metrics) paceWait() {
	if m != nil {
		m.PaceWaits.Inc()
	}
}
