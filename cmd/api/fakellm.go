package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The fake LLM is an OpenAI-compatible chat endpoint for load tests: POST
// /v1/chat/completions answers every turn of the interviewer (question,
// probe, wrap-up) with a plausible, guard-safe reply, streamed in the real
// wire format (text/event-stream, "data: {chat.completion.chunk}" lines,
// then "data: [DONE]") after a configurable time to first token and at a
// configurable rate. It keeps, off the wire, a log of when each request
// arrived and when each chunk was sent, keyed by the tag the load client
// writes into its answers, so the client can measure the server's
// overheads on one clock. "api fakellm" runs it standalone; "api loadtest"
// runs it in-process.

// Defaults of the fake's speed: a fast hosted model.
const (
	fakeDefaultTTFT = 300 * time.Millisecond
	fakeDefaultTPS  = 40
	// fakeModel is the only model the fake lists; it accepts any name.
	fakeModel = "fake"
	// fakeMaxBody bounds a chat request body.
	fakeMaxBody = 1 << 20
	// fakeMaxRecords bounds the request log of a long-running fake.
	fakeMaxRecords = 500_000
	// fakeRequestsPath serves the request log to a load client in another
	// process (api loadtest -target URL -fake URL).
	fakeRequestsPath = "/fakellm/requests"
	// fakeHoldWords mirrors the interviewer's output guard, which releases
	// a word only once three more have arrived or its sentence has ended.
	fakeHoldWords = 3
)

// fakeTagWord introduces the load client's tag in a prompt: the codename
// of the project its answer is about ("On Project Kalomire, …"), a capital
// and at least fakeTagMin more lower-case letters. Each answer has its own
// codename; the last one in the prompt is the latest answer's (the
// exchange is rendered oldest first).
const (
	fakeTagWord = "Project "
	fakeTagMin  = 5
)

// fakeTag returns the last tag in prompt, or "".
func fakeTag(prompt string) string {
	for end := len(prompt); ; {
		i := strings.LastIndex(prompt[:end], fakeTagWord)
		if i < 0 {
			return ""
		}
		end = i
		if i > 0 && fakeIsWordByte(prompt[i-1]) {
			continue
		}
		rest := prompt[i+len(fakeTagWord):]
		n := 0
		for n < len(rest) && (n == 0 && 'A' <= rest[n] && rest[n] <= 'Z' || n > 0 && 'a' <= rest[n] && rest[n] <= 'z') {
			n++
		}
		if n > fakeTagMin && (n == len(rest) || !fakeIsWordByte(rest[n])) {
			return rest[:n]
		}
	}
}

func fakeIsWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// fakeRecord is the log of one chat request. Times are Unix nanoseconds,
// so a load client in another process on the same host can compare them
// with its own.
type fakeRecord struct {
	Kind    string  `json:"kind"` // question, probe or wrapup
	Arrived int64   `json:"arrived"`
	Sent    []int64 `json:"sent"` // when each content chunk was flushed
	Done    int64   `json:"done"` // when [DONE] was flushed; 0 if never
	Aborted bool    `json:"aborted,omitempty"`
}

// fakeStats counts the fake's requests.
type fakeStats struct {
	Requests    int64            `json:"requests"`
	ByKind      map[string]int64 `json:"by_kind"`
	Tagged      int64            `json:"tagged"`
	Aborted     int64            `json:"aborted"`
	Rejected    int64            `json:"rejected"` // bad requests
	PeakStreams int64            `json:"peak_streams"`
	Conns       int64            `json:"conns"`   // TCP connections accepted: few means keep-alive works
	Dropped     int64            `json:"dropped"` // tagged records not logged (log full)
}

// fakeLog is what fakeRequestsPath serves.
type fakeLog struct {
	TTFT    time.Duration            `json:"ttft_ns"`
	TPS     float64                  `json:"tps"`
	Stats   fakeStats                `json:"stats"`
	Records map[string][]*fakeRecord `json:"records"` // by tag
}

// fakeEndpoint is the endpoint. It is safe for concurrent use.
type fakeEndpoint struct {
	ttft time.Duration
	tps  float64 // chunks per second; 0 sends them as fast as possible

	seq      atomic.Uint64
	inflight atomic.Int64
	conns    atomic.Int64 // connections accepted

	mu      sync.Mutex
	stats   fakeStats
	records map[string][]*fakeRecord
	logged  int
}

func newFakeEndpoint(ttft time.Duration, tps float64) *fakeEndpoint {
	return &fakeEndpoint{ttft: ttft, tps: tps, stats: fakeStats{ByKind: map[string]int64{}}, records: map[string][]*fakeRecord{}}
}

// newServer returns the HTTP server of the fake.
func (f *fakeEndpoint) newServer() *http.Server {
	return &http.Server{
		Handler:           f.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				f.conns.Add(1)
			}
		},
	}
}

// Handler serves the fake's routes.
func (f *fakeEndpoint) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", f.chat)
	mux.HandleFunc("GET /v1/models", f.models)
	mux.HandleFunc("GET "+fakeRequestsPath, f.requests)
	return mux
}

// fakeChatRequest is the part of a chat request the fake reads.
type fakeChatRequest struct {
	Model    string `json:"model"`
	Stream   bool   `json:"stream"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
}

func (f *fakeEndpoint) chat(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now().UnixNano()
	var req fakeChatRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, fakeMaxBody)).Decode(&req); err != nil {
		f.reject(w, http.StatusBadRequest, "the body is not a JSON chat request: "+err.Error())
		return
	}
	if len(req.Messages) == 0 {
		f.reject(w, http.StatusBadRequest, "messages: at least one message is required")
		return
	}
	if req.Model == "" {
		req.Model = fakeModel
	}
	n := f.seq.Add(1)
	kind, question, first, tag := fakeInspect(req.Messages[len(req.Messages)-1].Content)
	key := tag // the same answer always gets the same probe
	if key == "" {
		key = strconv.FormatUint(n, 10)
	}
	reply := fakeReply(kind, question, first, key)
	rec := &fakeRecord{Kind: kind, Arrived: arrived}
	defer func() { f.log(tag, rec) }()

	id := "chatcmpl-fake-" + strconv.FormatUint(n, 10)
	created := time.Now().Unix()
	if !req.Stream {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(fakeCompletion(id, req.Model, created, reply))
		rec.Done = time.Now().UnixNano()
		return
	}

	streams := f.inflight.Add(1)
	defer f.inflight.Add(-1)
	f.notePeak(streams)

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Request-Id", id)
	w.WriteHeader(http.StatusOK)
	if rc.Flush() != nil {
		rec.Aborted = true
		return
	}

	chunks := fakeChunks(reply)
	rec.Sent = make([]int64, 0, len(chunks))
	prefix := `data: {"id":"` + id + `","object":"chat.completion.chunk","created":` + strconv.FormatInt(created, 10) +
		`,"model":` + string(fakeJSONString(req.Model)) + `,"choices":[{"index":0,"delta":{`
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	due := time.Unix(0, arrived).Add(f.ttft)
	var buf []byte
	for i, c := range chunks {
		if !f.wait(r.Context(), timer, due) {
			rec.Aborted = true
			return
		}
		buf = append(buf[:0], prefix...)
		if i == 0 {
			buf = append(buf, `"role":"assistant",`...)
		}
		buf = append(buf, `"content":`...)
		buf = append(buf, fakeJSONString(c)...)
		buf = append(buf, "},\"finish_reason\":null}]}\n\n"...)
		if _, err := w.Write(buf); err != nil || rc.Flush() != nil {
			rec.Aborted = true
			return
		}
		rec.Sent = append(rec.Sent, time.Now().UnixNano())
		if f.tps > 0 {
			due = due.Add(time.Duration(float64(time.Second) / f.tps))
		}
	}
	buf = append(buf[:0], prefix...)
	buf = append(buf, "},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"...)
	if _, err := w.Write(buf); err != nil || rc.Flush() != nil {
		rec.Aborted = true
		return
	}
	rec.Done = time.Now().UnixNano()
}

// wait waits until due, or returns false when the client has gone.
func (f *fakeEndpoint) wait(ctx context.Context, timer *time.Timer, due time.Time) bool {
	d := time.Until(due)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer.Reset(d)
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		timer.Stop()
		return false
	}
}

func (f *fakeEndpoint) notePeak(streams int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stats.PeakStreams = max(f.stats.PeakStreams, streams)
}

// log files a finished request under its tag ("" when the prompt had none).
func (f *fakeEndpoint) log(tag string, rec *fakeRecord) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stats.Requests++
	f.stats.ByKind[rec.Kind]++
	if rec.Aborted {
		f.stats.Aborted++
	}
	if tag == "" {
		return
	}
	f.stats.Tagged++
	if f.logged >= fakeMaxRecords {
		f.stats.Dropped++
		return
	}
	f.logged++
	f.records[tag] = append(f.records[tag], rec)
}

func (f *fakeEndpoint) reject(w http.ResponseWriter, status int, message string) {
	f.mu.Lock()
	f.stats.Rejected++
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": message, "type": "invalid_request_error", "param": nil, "code": nil}})
}

// waitIdle waits, up to limit, until no stream is in flight, so that the
// log holds every request a client has seen the end of.
func (f *fakeEndpoint) waitIdle(ctx context.Context, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for f.inflight.Load() > 0 && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
}

// snapshot copies the log. Records are complete once filed, so they are
// shared, not copied.
func (f *fakeEndpoint) snapshot() fakeLog {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := fakeLog{TTFT: f.ttft, TPS: f.tps, Stats: f.stats, Records: make(map[string][]*fakeRecord, len(f.records))}
	out.Stats.Conns = f.conns.Load()
	out.Stats.ByKind = make(map[string]int64, len(f.stats.ByKind))
	for k, v := range f.stats.ByKind {
		out.Stats.ByKind[k] = v
	}
	for k, v := range f.records {
		out.Records[k] = v
	}
	return out
}

func (f *fakeEndpoint) requests(w http.ResponseWriter, r *http.Request) {
	f.waitIdle(r.Context(), 2*time.Second)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(f.snapshot())
}

func (f *fakeEndpoint) models(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": []map[string]any{
		{"id": fakeModel, "object": "model", "created": 0, "owned_by": "barraiser-loadtest"}}})
}

// fakeCompletion is the non-streamed answer.
func fakeCompletion(id, model string, created int64, reply string) map[string]any {
	words := len(strings.Fields(reply))
	return map[string]any{
		"id": id, "object": "chat.completion", "created": created, "model": model,
		"choices": []map[string]any{{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": reply}}},
		"usage": map[string]any{"prompt_tokens": 0, "completion_tokens": words, "total_tokens": words},
	}
}

func fakeJSONString(s string) []byte {
	b, _ := json.Marshal(s) // a string always encodes
	return b
}

// fakeInspect reads what the interviewer asks for from the last message
// of the prompt (see prompts/*.tmpl): the turn's kind, the question to put
// (question turns), whether it opens the interview, and the load client's
// tag ("" if none).
func fakeInspect(prompt string) (kind, question string, first bool, tag string) {
	tag = fakeTag(prompt)
	switch {
	case strings.Contains(prompt, "<question>"):
		q, _, _ := strings.Cut(prompt[strings.Index(prompt, "<question>")+len("<question>"):], "</question>")
		q = strings.NewReplacer("&lt;", "<", "&gt;", ">").Replace(strings.TrimSpace(q))
		return "question", q, strings.Contains(prompt, "very start of the interview"), tag
	case strings.Contains(prompt, "close the interview"):
		return "wrapup", "", false, tag
	}
	return "probe", "", false, tag
}

// The replies. Every one passes the interviewer's output guard
// (internal/llm/openai/chat_guard.go): neutral, no verdict, praise,
// scoring vocabulary or coaching, at most two questions and well under
// the word limits; fakellm_test.go checks them through the real
// interviewer. Every one ends a sentence, so the guard releases the last
// words with the last chunk.
var (
	fakeProbes = []string{
		"What did you personally do, step by step? Walk me through it from the moment you noticed the problem.",
		"You used we quite a lot there. Which of those steps did you take yourself, and which did others take?",
		"Which number moved because of this work, from what to what, and over what period?",
		"Who owned this before you stepped in? How did it end up with you?",
		"What did you put in place so that the same problem cannot quietly come back?",
		"How did you check that your change actually worked? What exactly did you look at to be sure?",
		"What happened after you raised it, and who wrote and shipped the fix in the end?",
		"Looking back at this particular situation, what would you do differently next time?",
	}
	fakeWrapUps = []string{
		"Thank you for your time and for walking me through your examples today. Your written feedback follows shortly.",
		"That's all the questions I have. Thanks for your time today, and your written feedback follows shortly.",
	}
)

// fakeReply words one turn; key varies the choice.
func fakeReply(kind, question string, first bool, key string) string {
	h := fnv.New32a()
	h.Write([]byte(key))
	pick := int(h.Sum32())
	switch kind {
	case "question":
		if question == "" {
			question = "Tell me about a time you took on something outside your area of responsibility."
		}
		if first {
			return "Hello, I'm your bar raiser for this conversation. " + question + " Please pick one real, specific example and walk me through it."
		}
		return "Thank you. Let's move on. " + question + " Please take me through one specific example."
	case "wrapup":
		return fakeWrapUps[pick%len(fakeWrapUps)]
	}
	return fakeProbes[pick%len(fakeProbes)]
}

// fakeChunks splits a reply into the chunks the fake streams, each ending
// in a space, so that the interviewer's output guard releases exactly one
// token frame per chunk: a word is released once fakeHoldWords more words
// have arrived or its sentence has ended. A chunk is one word, except that
// the first chunk, and the first after a sentence end, carry up to
// fakeHoldWords+1 words (stopping early at a sentence end). The k-th token
// frame a client receives is then the k-th chunk the fake sent.
func fakeChunks(reply string) []string {
	words := strings.Fields(reply)
	var chunks []string
	var cur []string
	need := fakeHoldWords + 1
	for _, w := range words {
		cur = append(cur, w)
		end := fakeSentenceEnd(w)
		if !end && len(cur) < need {
			continue
		}
		chunks = append(chunks, strings.Join(cur, " ")+" ")
		cur = cur[:0]
		need = 1
		if end {
			need = fakeHoldWords + 1
		}
	}
	if len(cur) > 0 {
		chunks = append(chunks, strings.Join(cur, " ")+" ")
	}
	return chunks
}

// fakeSentenceEnd reports a word that ends a sentence the way the guard
// sees it: ".", "?" or "!", perhaps before a closing quote or bracket.
func fakeSentenceEnd(w string) bool {
	w = strings.TrimRight(w, `"')`)
	return w != "" && strings.ContainsAny(w[len(w)-1:], ".?!")
}

// runFakeLLM is "api fakellm": the fake endpoint, standalone, until ctx
// ends.
func runFakeLLM(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fakellm", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8081", "loopback `address` to listen on; port 0 picks a free port")
	ttft := fs.Duration("ttft", fakeDefaultTTFT, "time to first token")
	tps := fs.Float64("tps", fakeDefaultTPS, "chunks (tokens) per second; 0 sends them at once")
	if code, ok := parseFlags(fs, "fakellm [FLAGS]", 0, args, stdout, stderr); !ok {
		return code
	}
	if *ttft < 0 || *tps < 0 {
		fmt.Fprintln(stderr, "api fakellm: -ttft and -tps must not be negative")
		return exitUsage
	}
	if err := checkLoopbackAddr(*addr); err != nil {
		fmt.Fprintf(stderr, "api fakellm: -addr: %v\n", err)
		return exitUsage
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	f := newFakeEndpoint(*ttft, *tps)
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		logger.Error("listen", slog.Any("error", err))
		return exitFailure
	}
	srv := f.newServer()
	logger.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("base_url", "http://"+ln.Addr().String()+"/v1"),
		slog.Duration("ttft", *ttft), slog.Float64("tps", *tps))
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		logger.Error("serve", slog.Any("error", err))
		return exitFailure
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		logger.Error("serve", slog.Any("error", err))
		return exitFailure
	}
	st := f.snapshot().Stats
	logger.Info("stopped", slog.Int64("requests", st.Requests), slog.Int64("conns", st.Conns), slog.Int64("tagged", st.Tagged),
		slog.Int64("aborted", st.Aborted), slog.Int64("peak_streams", st.PeakStreams))
	return exitOK
}

// checkLoopbackAddr accepts a listen address on the loopback interface
// only: this tool never listens on, or loads, anything else.
func checkLoopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q: %w", addr, err)
	}
	if !isLoopbackHost(host) {
		return fmt.Errorf("%q is not a loopback address: use 127.0.0.1, [::1] or localhost", addr)
	}
	return nil
}

// isLoopbackHost reports whether host is localhost or a loopback IP.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
