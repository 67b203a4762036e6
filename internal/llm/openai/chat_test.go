package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"barraiser/internal/interview"
	"barraiser/internal/retrieval"
	"barraiser/internal/rubric"
	"barraiser/prompts"
)

// testKey is a fake API key; tests check it never leaks.
const testKey = "sk-test-0123456789abcdef"

// chunkJSON is one chat.completion.chunk as OpenAI streams it.
func chunkJSON(content, finish string) string {
	fr := "null"
	if finish != "" {
		fr = strconv.Quote(finish)
	}
	delta := "{}"
	if content != "" {
		c, _ := json.Marshal(content)
		delta = fmt.Sprintf(`{"content":%s}`, c)
	}
	return fmt.Sprintf(`{"id":"chatcmpl-test","object":"chat.completion.chunk","created":1700000000,"model":"test-model","system_fingerprint":"fp_test","choices":[{"index":0,"delta":%s,"logprobs":null,"finish_reason":%s}]}`, delta, fr)
}

// startStream writes the headers of a server-sent event stream.
func startStream(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	// The role comes first, with no content, as OpenAI sends it.
	fmt.Fprintf(w, "data: %s\n\n", `{"id":"chatcmpl-test","object":"chat.completion.chunk","created":1700000000,"model":"test-model","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}`)
	w.(http.Flusher).Flush()
}

// sendChunk writes one content chunk and flushes it.
func sendChunk(w http.ResponseWriter, content string) {
	fmt.Fprintf(w, "data: %s\n\n", chunkJSON(content, ""))
	w.(http.Flusher).Flush()
}

// endStream writes the final chunk with finish_reason and [DONE].
func endStream(w http.ResponseWriter, finish string) {
	fmt.Fprintf(w, "data: %s\n\n", chunkJSON("", finish))
	fmt.Fprint(w, "data: [DONE]\n\n")
	w.(http.Flusher).Flush()
}

// streamReply streams pieces as a complete, successful reply.
func streamReply(w http.ResponseWriter, pieces ...string) {
	startStream(w)
	for _, p := range pieces {
		sendChunk(w, p)
	}
	endStream(w, "stop")
}

// apiError writes an OpenAI error response.
func apiError(w http.ResponseWriter, status int, header map[string]string) {
	for k, v := range header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"message":"test error %d","type":"test_error","param":null,"code":null}}`, status)
}

// fakeLLM is an OpenAI-compatible test server whose handler gets the
// 1-based number of the request.
type fakeLLM struct {
	*httptest.Server
	calls atomic.Int32
}

func newFakeLLM(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *fakeLLM {
	t.Helper()
	f := &fakeLLM{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		// Read the body first: only then does the server notice a client
		// that hangs up and cancel the request's context.
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(raw))
		handle(w, r, int(f.calls.Add(1)))
	}))
	// Close waits for every handler to return: a handler left blocked
	// by a stream the client failed to close hangs the test here.
	t.Cleanup(f.Close)
	return f
}

// observed is what a testObserver has seen.
type observed struct {
	retries    int
	failures   []string
	firstToken int
	done       int
}

// testObserver counts what the interviewer reports.
type testObserver struct {
	mu sync.Mutex
	observed
}

func (o *testObserver) Retry() { o.mu.Lock(); o.retries++; o.mu.Unlock() }
func (o *testObserver) Failure(reason string) {
	o.mu.Lock()
	o.failures = append(o.failures, reason)
	o.mu.Unlock()
}
func (o *testObserver) FirstToken(time.Duration) { o.mu.Lock(); o.firstToken++; o.mu.Unlock() }
func (o *testObserver) Done(time.Duration)       { o.mu.Lock(); o.done++; o.mu.Unlock() }

func (o *testObserver) snapshot() observed {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.observed
	s.failures = append([]string(nil), o.failures...)
	return s
}

// harness is an interviewer wired to a fake server, with a fake clock and
// a sleeper that records the waits instead of sleeping.
type harness struct {
	iv  *Interviewer
	obs *testObserver

	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newHarness(t *testing.T, srv *fakeLLM, mutate func(*Config)) *harness {
	t.Helper()
	h := &harness{obs: &testObserver{}, now: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)}
	cfg := Config{
		APIKey:         testKey,
		BaseURL:        srv.URL + "/v1",
		Model:          "test-model",
		Temperature:    0.4,
		RequestTimeout: 5 * time.Second,
		IdleTimeout:    2 * time.Second,
		HTTPClient:     srv.Client(),
		Observer:       h.obs,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	iv, err := NewInterviewer(cfg, prompts.FS, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("NewInterviewer: %v", err)
	}
	iv.now = func() time.Time {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.now
	}
	iv.sleep = func(ctx context.Context, d time.Duration) error {
		h.mu.Lock()
		h.sleeps = append(h.sleeps, d)
		h.mu.Unlock()
		return ctx.Err()
	}
	h.iv = iv
	return h
}

func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

func (h *harness) waits() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.sleeps...)
}

// tokens collects what Speak releases.
type tokens struct {
	mu     sync.Mutex
	pieces []string
}

func (tk *tokens) add(s string) { tk.mu.Lock(); tk.pieces = append(tk.pieces, s); tk.mu.Unlock() }

func (tk *tokens) text() string {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	return strings.Join(tk.pieces, "")
}

const candidateAnswer = "We noticed the webhook drops, so we looked into it and things got better after the fix."

// probePrompt is a probe on the measurable result of a webhook story.
func probePrompt() interview.Prompt {
	return interview.Prompt{
		Kind: interview.KindProbe, SessionID: "s-1", Level: "L5", Principle: "Insist on the Highest Standards",
		Question: "Tell me about a time you refused to ship something that did not meet your standards.",
		Number:   1, Count: 1, Dimension: rubric.MetricDelta, Cue: "things got better after the fix",
		Suggested: []string{"How much did it improve? Give me the before and the after.", "What number moved, from what to what?"},
		Exemplars: []retrieval.Match{
			{Exemplar: retrieval.Exemplar{ID: "w1", Dimension: rubric.MetricDelta, Label: retrieval.LabelWeak, Text: "Things got a lot better and the team was happy.", Why: "No number."}, Score: 0.8},
			{Exemplar: retrieval.Exemplar{ID: "s1", Dimension: rubric.MetricDelta, Label: retrieval.LabelStrong, Text: "The drop rate fell from 0.3% to zero within a week."}, Score: 0.7},
		},
		History: []interview.Message{
			{Role: interview.RoleInterviewer, Kind: interview.KindQuestion, Text: "Tell me about a time you refused to ship something that did not meet your standards."},
			{Role: interview.RoleCandidate, Kind: interview.KindAnswer, Text: candidateAnswer},
		},
		Previous: []string{"You've said 'we' a lot. What did you personally do?"},
	}
}

var probeReply = []string{"You said ", "things got ", "better after the fix. ", "What number moved, ", "from what ", "to what?"}

// (a) A normal streamed reply: tokens arrive in order and make up the
// returned text; the request is a streamed chat request with the system
// prompt, the fenced candidate text and the key.
func TestSpeakStreamsAReply(t *testing.T) {
	var mu sync.Mutex
	var body map[string]any
	var header http.Header
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		raw, _ := io.ReadAll(r.Body)
		mu.Lock()
		header = r.Header.Clone()
		_ = json.Unmarshal(raw, &body)
		mu.Unlock()
		streamReply(w, probeReply...)
	})
	h := newHarness(t, srv, nil)
	var tk tokens
	text, err := h.iv.Speak(context.Background(), probePrompt(), tk.add)
	if err != nil {
		t.Fatalf("Speak: %v", err)
	}
	want := strings.Join(probeReply, "")
	if text != want {
		t.Errorf("text = %q, want %q", text, want)
	}
	if got := tk.text(); got != text {
		t.Errorf("tokens make %q, want the returned text %q", got, text)
	}
	if len(tk.pieces) < 2 {
		t.Errorf("got %d token pieces, want the reply streamed in several", len(tk.pieces))
	}

	mu.Lock()
	defer mu.Unlock()
	if got := header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("Authorization = %q", got)
	}
	if got := header.Get("Accept"); got != "text/event-stream" {
		t.Errorf("Accept = %q", got)
	}
	if body["model"] != "test-model" || body["stream"] != true {
		t.Errorf("model = %v, stream = %v", body["model"], body["stream"])
	}
	if body["max_tokens"] != float64(chatDefaultMaxTokens) {
		t.Errorf("max_tokens = %v", body["max_tokens"])
	}
	if temp, _ := body["temperature"].(float64); temp < 0.39 || temp > 0.41 {
		t.Errorf("temperature = %v", body["temperature"])
	}
	msgs, _ := body["messages"].([]any)
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want system and user", len(msgs))
	}
	system, _ := msgs[0].(map[string]any)
	user, _ := msgs[1].(map[string]any)
	if system["role"] != "system" || !strings.Contains(system["content"].(string), "You are a bar raiser") {
		t.Errorf("first message is not the system prompt: %v", system)
	}
	content, _ := user["content"].(string)
	if user["role"] != "user" || !strings.Contains(content, "<candidate_answer>\n"+candidateAnswer+"\n</candidate_answer>") {
		t.Errorf("user message does not fence the candidate's answer:\n%s", content)
	}
	if strings.Contains(content, rubric.MetricDelta) {
		t.Errorf("user message names the dimension id %q", rubric.MetricDelta)
	}

	obs := h.obs.snapshot()
	if obs.firstToken != 1 || obs.done != 1 || obs.retries != 0 || len(obs.failures) != 0 {
		t.Errorf("observer = %+v", obs)
	}
}

// A local server (Ollama, vLLM) needs no key: no Authorization header.
func TestSpeakWithoutKey(t *testing.T) {
	auth := make(chan string, 1)
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		auth <- r.Header.Get("Authorization")
		streamReply(w, probeReply...)
	})
	h := newHarness(t, srv, func(c *Config) { c.APIKey = "" })
	if _, err := h.iv.Speak(context.Background(), probePrompt(), nil); err != nil {
		t.Fatalf("Speak: %v", err)
	}
	if got := <-auth; got != "" {
		t.Errorf("Authorization = %q, want none", got)
	}
}

// (b) and (c): which failures are retried, how often and how long the
// waits are.
func TestSpeakRetries(t *testing.T) {
	tests := []struct {
		name      string
		fail      func(w http.ResponseWriter) // the failing response
		failures  int                         // how many requests fail before a success (-1: all)
		wantCalls int
		wantErr   bool
		wantWaits []time.Duration // exact waits; nil: any, as long as there are wantCalls-1
		reason    string
		status    int
	}{
		{
			name:      "429 with Retry-After seconds, then success",
			fail:      func(w http.ResponseWriter) { apiError(w, 429, map[string]string{"Retry-After": "1"}) },
			failures:  1,
			wantCalls: 2,
			wantWaits: []time.Duration{time.Second},
		},
		{
			name:      "429 with retry-after-ms, then success",
			fail:      func(w http.ResponseWriter) { apiError(w, 429, map[string]string{"Retry-After-Ms": "1500"}) },
			failures:  1,
			wantCalls: 2,
			wantWaits: []time.Duration{1500 * time.Millisecond},
		},
		{
			name:      "Retry-After above BackoffMax is capped",
			fail:      func(w http.ResponseWriter) { apiError(w, 429, map[string]string{"Retry-After": "4"}) },
			failures:  1,
			wantCalls: 2,
			wantWaits: []time.Duration{2 * time.Second},
		},
		{
			name:      "503 twice, then success",
			fail:      func(w http.ResponseWriter) { apiError(w, 503, nil) },
			failures:  2,
			wantCalls: 3,
		},
		{
			name:      "500 forever fails after MaxRetries+1 attempts",
			fail:      func(w http.ResponseWriter) { apiError(w, 500, nil) },
			failures:  -1,
			wantCalls: 3,
			wantErr:   true,
			reason:    ReasonServer,
			status:    500,
		},
		{
			name:      "non-JSON 502 from a proxy is retried",
			fail:      func(w http.ResponseWriter) { http.Error(w, "bad gateway", http.StatusBadGateway) },
			failures:  1,
			wantCalls: 2,
		},
		{
			name:      "408 is retried",
			fail:      func(w http.ResponseWriter) { apiError(w, 408, nil) },
			failures:  1,
			wantCalls: 2,
		},
		{
			name:      "409 is retried",
			fail:      func(w http.ResponseWriter) { apiError(w, 409, nil) },
			failures:  1,
			wantCalls: 2,
		},
		{
			name:      "401 is not retried",
			fail:      func(w http.ResponseWriter) { apiError(w, 401, nil) },
			failures:  -1,
			wantCalls: 1,
			wantErr:   true,
			reason:    ReasonClient,
			status:    401,
		},
		{
			name:      "400 is not retried",
			fail:      func(w http.ResponseWriter) { apiError(w, 400, nil) },
			failures:  -1,
			wantCalls: 1,
			wantErr:   true,
			reason:    ReasonClient,
			status:    400,
		},
		{
			name:      "404 (unknown model) is not retried",
			fail:      func(w http.ResponseWriter) { apiError(w, 404, nil) },
			failures:  -1,
			wantCalls: 1,
			wantErr:   true,
			reason:    ReasonClient,
			status:    404,
		},
		{
			name: "an error event in the stream is not retried",
			fail: func(w http.ResponseWriter) {
				startStream(w)
				fmt.Fprint(w, "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n")
			},
			failures:  -1,
			wantCalls: 1,
			wantErr:   true,
			reason:    ReasonStream,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if tt.failures < 0 || n <= tt.failures {
					tt.fail(w)
					return
				}
				streamReply(w, probeReply...)
			})
			h := newHarness(t, srv, func(c *Config) { c.BackoffMax = 2 * time.Second })
			var tk tokens
			text, err := h.iv.Speak(context.Background(), probePrompt(), tk.add)
			if got := int(srv.calls.Load()); got != tt.wantCalls {
				t.Errorf("%d requests, want %d", got, tt.wantCalls)
			}
			waits := h.waits()
			if len(waits) != tt.wantCalls-1 {
				t.Errorf("waits = %v, want %d", waits, tt.wantCalls-1)
			}
			if tt.wantWaits != nil && fmt.Sprint(waits) != fmt.Sprint(tt.wantWaits) {
				t.Errorf("waits = %v, want %v", waits, tt.wantWaits)
			}
			for _, d := range waits {
				if d <= 0 || d > 2*time.Second {
					t.Errorf("wait %v outside (0, BackoffMax]", d)
				}
			}
			obs := h.obs.snapshot()
			if obs.retries != tt.wantCalls-1 {
				t.Errorf("observer saw %d retries, want %d", obs.retries, tt.wantCalls-1)
			}
			if !tt.wantErr {
				if err != nil || text != strings.Join(probeReply, "") || tk.text() != text {
					t.Fatalf("Speak = %q, %v (tokens %q)", text, err, tk.text())
				}
				return
			}
			if err == nil {
				t.Fatalf("Speak = %q, want an error", text)
			}
			if tk.text() != "" {
				t.Errorf("tokens %q released by a failed turn", tk.text())
			}
			if fmt.Sprint(obs.failures) != fmt.Sprint([]string{tt.reason}) {
				t.Errorf("failures = %v, want [%s]", obs.failures, tt.reason)
			}
			if tt.status != 0 && chatHTTPStatus(err) != tt.status {
				t.Errorf("error %v carries status %d, want %d", err, chatHTTPStatus(err), tt.status)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("error leaks the key: %v", err)
			}
		})
	}
}

// A Retry-After longer than what is left of the turn ends the turn
// instead of sleeping into the deadline.
func TestSpeakGivesUpWhenRetryAfterPassesTheDeadline(t *testing.T) {
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		apiError(w, 429, map[string]string{"Retry-After": "3"})
	})
	h := newHarness(t, srv, func(c *Config) { c.RequestTimeout = time.Second; c.BackoffMax = 5 * time.Second })
	_, err := h.iv.Speak(context.Background(), probePrompt(), nil)
	if err == nil || chatHTTPStatus(err) != 429 {
		t.Fatalf("err = %v, want the 429", err)
	}
	if got := srv.calls.Load(); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
	if w := h.waits(); len(w) != 0 {
		t.Errorf("waited %v", w)
	}
}

// A connection that fails before any token (the server hangs up) is a
// network error and is retried.
func TestSpeakRetriesANetworkError(t *testing.T) {
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		streamReply(w, probeReply...)
	})
	h := newHarness(t, srv, nil)
	text, err := h.iv.Speak(context.Background(), probePrompt(), nil)
	if err != nil || text == "" {
		t.Fatalf("Speak = %q, %v", text, err)
	}
	if got := srv.calls.Load(); got != 2 {
		t.Errorf("%d requests, want 2", got)
	}
}

// (d) A stream that sends two chunks and stalls is cancelled after
// IdleTimeout; the released text stays, nothing is retried, and the
// server's handler is released through its request context.
func TestSpeakStalledStream(t *testing.T) {
	handlerDone := make(chan struct{})
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		defer close(handlerDone)
		startStream(w)
		sendChunk(w, "Thanks for that. ")
		sendChunk(w, "Let me dig into the result. ")
		<-r.Context().Done() // stall until the client goes away
	})
	const idle = 200 * time.Millisecond
	h := newHarness(t, srv, func(c *Config) { c.IdleTimeout = idle })
	var tk tokens
	start := time.Now()
	text, err := h.iv.Speak(context.Background(), probePrompt(), tk.add)
	elapsed := time.Since(start)
	if !errors.Is(err, errIdle) {
		t.Fatalf("Speak = %q, %v; want the idle timeout", text, err)
	}
	if elapsed < idle || elapsed > idle+2*time.Second {
		t.Errorf("Speak returned after %v, want about %v", elapsed, idle)
	}
	if got := tk.text(); got != "Thanks for that. Let me dig into the result." {
		t.Errorf("released %q", got)
	}
	select {
	case <-handlerDone:
	case <-time.After(5 * time.Second):
		t.Fatal("the server's handler is still blocked: the stream was not closed")
	}
	if got := srv.calls.Load(); got != 1 {
		t.Errorf("%d requests, want 1 (no retry after tokens)", got)
	}
	if obs := h.obs.snapshot(); fmt.Sprint(obs.failures) != "[idle]" {
		t.Errorf("failures = %v", obs.failures)
	}
}

// A server that stalls before sending anything is retried: nothing was
// released yet.
func TestSpeakRetriesAStallBeforeTheFirstToken(t *testing.T) {
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			<-r.Context().Done()
			return
		}
		streamReply(w, probeReply...)
	})
	h := newHarness(t, srv, func(c *Config) { c.IdleTimeout = 100 * time.Millisecond })
	text, err := h.iv.Speak(context.Background(), probePrompt(), nil)
	if err != nil || text != strings.Join(probeReply, "") {
		t.Fatalf("Speak = %q, %v", text, err)
	}
	if got := srv.calls.Load(); got != 2 {
		t.Errorf("%d requests, want 2", got)
	}
}

// RequestTimeout bounds the whole turn.
func TestSpeakRequestTimeout(t *testing.T) {
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		<-r.Context().Done()
	})
	h := newHarness(t, srv, func(c *Config) { c.RequestTimeout = 150 * time.Millisecond; c.IdleTimeout = 10 * time.Second })
	start := time.Now()
	_, err := h.iv.Speak(context.Background(), probePrompt(), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", err)
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("took %v", elapsed)
	}
	if obs := h.obs.snapshot(); fmt.Sprint(obs.failures) != "[timeout]" {
		t.Errorf("failures = %v", obs.failures)
	}
}

// (e) The breaker opens after BreakerThreshold failed turns, fails fast
// while open, lets one trial through after the cooldown and closes when
// it succeeds (or opens again when it fails).
func TestSpeakCircuitBreaker(t *testing.T) {
	var healthy atomic.Bool
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if !healthy.Load() {
			apiError(w, 500, nil)
			return
		}
		streamReply(w, probeReply...)
	})
	const cooldown = 30 * time.Second
	h := newHarness(t, srv, func(c *Config) {
		c.MaxRetries = -1
		c.BreakerThreshold = 3
		c.BreakerCooldown = cooldown
	})
	speak := func() error {
		_, err := h.iv.Speak(context.Background(), probePrompt(), nil)
		return err
	}
	for i := range 3 {
		if err := speak(); err == nil || errors.Is(err, ErrUnavailable) {
			t.Fatalf("turn %d: err = %v, want the 500", i+1, err)
		}
	}
	if h.iv.BreakerState() != breakerOpen {
		t.Fatalf("breaker %s after 3 failures, want open", h.iv.BreakerState())
	}
	if err := speak(); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if got := srv.calls.Load(); got != 3 {
		t.Errorf("%d requests, want 3: an open breaker must not call the server", got)
	}

	// Half-open trial fails: open again for another cooldown.
	h.advance(cooldown)
	if err := speak(); err == nil || errors.Is(err, ErrUnavailable) {
		t.Fatalf("trial: err = %v, want the 500", err)
	}
	if got := srv.calls.Load(); got != 4 {
		t.Errorf("%d requests, want 4", got)
	}
	if err := speak(); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("after a failed trial: err = %v, want ErrUnavailable", err)
	}

	// Half-open trial succeeds: closed.
	h.advance(cooldown)
	healthy.Store(true)
	if err := speak(); err != nil {
		t.Fatalf("trial: %v", err)
	}
	if h.iv.BreakerState() != breakerClosed {
		t.Errorf("breaker %s after a successful trial, want closed", h.iv.BreakerState())
	}
	if err := speak(); err != nil {
		t.Fatalf("after closing: %v", err)
	}
	obs := h.obs.snapshot()
	want := []string{"server", "server", "server", "unavailable", "server", "unavailable"}
	if fmt.Sprint(obs.failures) != fmt.Sprint(want) {
		t.Errorf("failures = %v, want %v", obs.failures, want)
	}
}

// (f) A reply that turns into a verdict trips the guard: the turn fails,
// the stream is abandoned, and only the clean text before it was released.
func TestSpeakGuardStopsAVerdict(t *testing.T) {
	handlerDone := make(chan struct{})
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		defer close(handlerDone)
		startStream(w)
		for _, p := range []string{"Thanks for walking me ", "through that. ", "Honestly, ", "you're a ", "strong ", "hire, ", "so let's ", "wrap up."} {
			sendChunk(w, p)
		}
		// Keep the stream open: the client must close it.
		<-r.Context().Done()
	})
	h := newHarness(t, srv, func(c *Config) { c.BreakerThreshold = 1 })
	var tk tokens
	text, err := h.iv.Speak(context.Background(), probePrompt(), tk.add)
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("Speak = %q, %v; want ErrRejected", text, err)
	}
	// The last words before the verdict were held back: no part of
	// "you're a strong hire" reached the client.
	if got := tk.text(); got != "Thanks for walking me through that. Honestly," {
		t.Errorf("released %q, want only the clean text before the verdict", got)
	}
	select {
	case <-handlerDone:
	case <-time.After(5 * time.Second):
		t.Fatal("the stream was not closed after the guard tripped")
	}
	if got := srv.calls.Load(); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
	if h.iv.BreakerState() != breakerClosed {
		t.Errorf("a rejected reply opened the breaker")
	}
	if obs := h.obs.snapshot(); fmt.Sprint(obs.failures) != "[rejected]" {
		t.Errorf("failures = %v", obs.failures)
	}
}

// A reply cut off at the token limit is rejected.
func TestSpeakRejectsATruncatedReply(t *testing.T) {
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		startStream(w)
		sendChunk(w, "What number moved, from what ")
		endStream(w, "length")
	})
	h := newHarness(t, srv, nil)
	if _, err := h.iv.Speak(context.Background(), probePrompt(), nil); !errors.Is(err, ErrRejected) {
		t.Fatalf("err = %v, want ErrRejected", err)
	}
}

// An empty reply is rejected.
func TestSpeakRejectsAnEmptyReply(t *testing.T) {
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		streamReply(w, "  ", "\n")
	})
	h := newHarness(t, srv, nil)
	if _, err := h.iv.Speak(context.Background(), probePrompt(), nil); !errors.Is(err, ErrRejected) {
		t.Fatalf("err = %v, want ErrRejected", err)
	}
}

// (h) The caller going away mid-stream ends Speak at once with the
// context's error, without retrying or counting against the endpoint.
func TestSpeakCallerCancelsMidStream(t *testing.T) {
	handlerDone := make(chan struct{})
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) {
		defer close(handlerDone)
		startStream(w)
		sendChunk(w, "Let me stop you there. ")
		<-r.Context().Done()
	})
	h := newHarness(t, srv, func(c *Config) { c.BreakerThreshold = 1; c.IdleTimeout = 10 * time.Second })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	// The client vanishes as soon as the first words arrive.
	_, err := h.iv.Speak(ctx, probePrompt(), func(string) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("took %v to notice the cancellation", elapsed)
	}
	select {
	case <-handlerDone:
	case <-time.After(5 * time.Second):
		t.Fatal("the server's handler is still blocked")
	}
	if got := srv.calls.Load(); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
	if h.iv.BreakerState() != breakerClosed {
		t.Errorf("a cancelled turn opened the breaker")
	}
	if obs := h.obs.snapshot(); fmt.Sprint(obs.failures) != "[canceled]" {
		t.Errorf("failures = %v", obs.failures)
	}
}

// A context that is already done never reaches the server.
func TestSpeakDoneContext(t *testing.T) {
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) { streamReply(w, probeReply...) })
	h := newHarness(t, srv, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.iv.Speak(ctx, probePrompt(), nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if got := srv.calls.Load(); got != 0 {
		t.Errorf("%d requests", got)
	}
}

// Question and wrap-up turns stream through the same path.
func TestSpeakQuestionAndWrapUp(t *testing.T) {
	tests := []struct {
		name  string
		p     interview.Prompt
		reply []string
		ok    bool
	}{
		{
			name:  "first question with greeting",
			p:     interview.Prompt{Kind: interview.KindQuestion, Level: "L5", Principle: "Ownership", Question: "Tell me about a time you took on something outside your area of responsibility.", Number: 1, Count: 1, First: true},
			reply: []string{"Hi, thanks for joining. ", "I'm your bar raiser today. ", "Tell me about a time you took on something ", "outside your area of responsibility."},
			ok:    true,
		},
		{
			name:  "question that asks something else",
			p:     interview.Prompt{Kind: interview.KindQuestion, Level: "L5", Principle: "Ownership", Question: "Tell me about a time you took on something outside your area of responsibility.", Number: 1, Count: 1, First: true},
			reply: []string{"Hi! ", "What is your favourite programming language?"},
		},
		{
			name:  "wrap-up",
			p:     interview.Prompt{Kind: interview.KindWrapUp, Level: "L5", Number: 1, Count: 1},
			reply: []string{"That's all from me. ", "Thank you for your time; your written feedback follows."},
			ok:    true,
		},
		{
			name:  "wrap-up that asks a question",
			p:     interview.Prompt{Kind: interview.KindWrapUp, Level: "L5", Number: 1, Count: 1},
			reply: []string{"That's all from me. ", "Do you have any questions for me?"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) { streamReply(w, tt.reply...) })
			h := newHarness(t, srv, nil)
			var tk tokens
			text, err := h.iv.Speak(context.Background(), tt.p, tk.add)
			if tt.ok {
				if err != nil || text != strings.Join(tt.reply, "") || tk.text() != text {
					t.Fatalf("Speak = %q, %v (tokens %q)", text, err, tk.text())
				}
				return
			}
			if !errors.Is(err, ErrRejected) {
				t.Fatalf("Speak = %q, %v; want ErrRejected", text, err)
			}
		})
	}
}

// Reasoning models get max_completion_tokens and no temperature.
func TestRequestForReasoningModels(t *testing.T) {
	srv := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request, n int) { streamReply(w, probeReply...) })
	for _, tt := range []struct {
		model                 string
		maxTokens, completion int
		temperature           float32
	}{
		{model: "gpt-4o-mini", maxTokens: chatDefaultMaxTokens, temperature: 0.4},
		{model: "llama3.1:8b", maxTokens: chatDefaultMaxTokens, temperature: 0.4},
		{model: "o3-mini"},
		{model: "gpt-5-mini"},
	} {
		h := newHarness(t, srv, func(c *Config) { c.Model = tt.model })
		req := h.iv.request(nil)
		//lint:ignore SA1019 the interviewer sends max_tokens on purpose
		if req.MaxTokens != tt.maxTokens || req.MaxCompletionTokens != tt.completion || req.Temperature != tt.temperature || !req.Stream {
			t.Errorf("%s: request %+v", tt.model, req)
		}
		if err := goopenai.NewReasoningValidator().Validate(req); err != nil {
			t.Errorf("%s: %v", tt.model, err)
		}
	}
}
