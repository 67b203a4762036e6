// Package metrics exposes barraiser's operational figures in the Prometheus
// format. A Metrics value implements the observer interfaces that the
// interview engine, the LLM interviewer and the websocket layer report to,
// over its own registry (no process-wide state).
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the collectors.
type Metrics struct {
	reg *prometheus.Registry

	sessionsStarted  prometheus.Counter
	sessionsFinished *prometheus.CounterVec
	turns            *prometheus.CounterVec
	probes           *prometheus.CounterVec
	fallbacks        *prometheus.CounterVec
	retrieval        prometheus.Histogram
	retrievalErrors  prometheus.Counter
	llmFirstToken    prometheus.Histogram
	llmTurn          prometheus.Histogram
	llmRetries       prometheus.Counter
	llmFailures      *prometheus.CounterVec
	wsErrors         *prometheus.CounterVec
}

// New registers every collector. live, when set, reports the number of
// open interview websockets at scrape time.
func New(live func() int) *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	f := func(c prometheus.Collector) { reg.MustRegister(c) }
	m := &Metrics{reg: reg}
	m.sessionsStarted = prometheus.NewCounter(prometheus.CounterOpts{Name: "barraiser_sessions_started_total", Help: "Interviews started."})
	m.sessionsFinished = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "barraiser_sessions_finished_total", Help: "Interviews finished, by decision."}, []string{"decision"})
	m.turns = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "barraiser_turns_total", Help: "Interviewer messages stored, by kind (question, probe, wrapup)."}, []string{"kind"})
	m.probes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "barraiser_probes_total", Help: "Probes asked, by the dimension or red flag they target."}, []string{"dimension"})
	m.fallbacks = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "barraiser_interviewer_fallbacks_total", Help: "Turns the scripted interviewer took over, by the interviewer that failed."}, []string{"interviewer"})
	m.retrieval = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "barraiser_retrieval_seconds", Help: "Exemplar retrieval latency.", Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1}})
	m.retrievalErrors = prometheus.NewCounter(prometheus.CounterOpts{Name: "barraiser_retrieval_errors_total", Help: "Failed exemplar retrievals."})
	llmBuckets := []float64{.05, .1, .25, .5, 1, 2, 4, 8, 16, 32}
	m.llmFirstToken = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "barraiser_llm_time_to_first_token_seconds", Help: "Time from asking the LLM to its first released token.", Buckets: llmBuckets})
	m.llmTurn = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "barraiser_llm_turn_seconds", Help: "Duration of a successful LLM turn.", Buckets: llmBuckets})
	m.llmRetries = prometheus.NewCounter(prometheus.CounterOpts{Name: "barraiser_llm_retries_total", Help: "LLM attempts retried before any token."})
	m.llmFailures = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "barraiser_llm_failures_total", Help: "Failed LLM turns, by reason."}, []string{"reason"})
	m.wsErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "barraiser_websocket_errors_total", Help: "Error frames sent on interview websockets, by code."}, []string{"code"})
	for _, c := range []prometheus.Collector{m.sessionsStarted, m.sessionsFinished, m.turns, m.probes, m.fallbacks,
		m.retrieval, m.retrievalErrors, m.llmFirstToken, m.llmTurn, m.llmRetries, m.llmFailures, m.wsErrors} {
		f(c)
	}
	if live != nil {
		f(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "barraiser_live_sessions", Help: "Open interview websockets."}, func() float64 { return float64(live()) }))
	}
	return m
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Interview engine events.

func (m *Metrics) SessionStarted() { m.sessionsStarted.Inc() }
func (m *Metrics) SessionFinished(decision string) {
	m.sessionsFinished.WithLabelValues(decision).Inc()
}
func (m *Metrics) Turn(kind string)            { m.turns.WithLabelValues(kind).Inc() }
func (m *Metrics) Probe(target string)         { m.probes.WithLabelValues(target).Inc() }
func (m *Metrics) Fallback(interviewer string) { m.fallbacks.WithLabelValues(interviewer).Inc() }

func (m *Metrics) Retrieval(d time.Duration, err error) {
	m.retrieval.Observe(d.Seconds())
	if err != nil {
		m.retrievalErrors.Inc()
	}
}

// LLM interviewer events.

func (m *Metrics) Retry()                     { m.llmRetries.Inc() }
func (m *Metrics) Failure(reason string)      { m.llmFailures.WithLabelValues(reason).Inc() }
func (m *Metrics) FirstToken(d time.Duration) { m.llmFirstToken.Observe(d.Seconds()) }
func (m *Metrics) Done(d time.Duration)       { m.llmTurn.Observe(d.Seconds()) }

// Websocket events.

// SocketError counts an error frame sent to a client.
func (m *Metrics) SocketError(code string) { m.wsErrors.WithLabelValues(code).Inc() }
