package metrics

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestExposition(t *testing.T) {
	m := New(func() int { return 3 })
	m.SessionStarted()
	m.Probe("metric_delta")
	m.Probe("metric_delta")
	m.Turn("probe")
	m.Fallback("openai")
	m.Retrieval(2*time.Millisecond, nil)
	m.Retrieval(time.Millisecond, errors.New("down"))
	m.FirstToken(300 * time.Millisecond)
	m.Done(time.Second)
	m.Retry()
	m.Failure("status")
	m.SocketError("bad_frame")
	m.SessionFinished("hire")

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`barraiser_live_sessions 3`,
		`barraiser_probes_total{dimension="metric_delta"} 2`,
		`barraiser_sessions_finished_total{decision="hire"} 1`,
		`barraiser_interviewer_fallbacks_total{interviewer="openai"} 1`,
		`barraiser_retrieval_errors_total 1`,
		`barraiser_llm_time_to_first_token_seconds_count 1`,
		`barraiser_llm_retries_total 1`,
		`barraiser_websocket_errors_total{code="bad_frame"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}
