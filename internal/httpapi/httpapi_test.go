package httpapi_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"barraiser/internal/httpapi"
	"barraiser/internal/rubric"
)

// transcript is a small, realistic, well-formed interview.
const transcript = `{
  "principle": "Insist on the Highest Standards",
  "question": "Tell me about a time you refused to ship something that did not meet your standards.",
  "level": "L5",
  "turns": [
    {"role": "interviewer", "text": "Tell me about a time you refused to ship something that did not meet your standards."},
    {"role": "candidate", "text": "Last spring I owned the payments webhook service. Two days before launch I found a race that double-charged about 0.3% of retries, so I blocked the release."},
    {"role": "interviewer", "text": "What did you do next?"},
    {"role": "candidate", "text": "I wrote an idempotency key check, added a load test that replayed a week of traffic, and we shipped four days late with zero duplicate charges since."}
  ]
}`

func newServer(t testing.TB, cfg httpapi.Config) http.Handler {
	t.Helper()
	s := httpapi.New(cfg)
	t.Cleanup(func() { _ = s.Close() })
	return s.Handler()
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, h http.Handler, req *http.Request) response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.Bytes()}
}

func postScore(body io.Reader, contentType string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/score", body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// errorCode decodes {"error":{"code","message"}} and returns the code,
// failing the test if the body has another shape.
func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var e struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("body is not a JSON error: %s (%v)", body, err)
	}
	return e.Error.Code
}

func TestHealthz(t *testing.T) {
	h := newServer(t, httpapi.Config{})
	r := do(t, h, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if r.status != http.StatusOK {
		t.Fatalf("status = %d, want 200", r.status)
	}
	if got := string(r.body); got != `{"status":"ok"}` {
		t.Errorf("body = %s", got)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestReadyz(t *testing.T) {
	ok := func(context.Context) error { return nil }
	down := func(context.Context) error { return errors.New("database unreachable") }
	stuck := make(chan struct{})
	t.Cleanup(func() { close(stuck) })
	ignoresContext := func(context.Context) error { <-stuck; return nil }
	honoursContext := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }

	tests := []struct {
		name       string
		checks     []httpapi.Check
		wantStatus int
		wantBody   map[string]string // check name → "ok" or a substring of the failure
		wantState  string
	}{
		{"no checks", nil, http.StatusOK, map[string]string{}, "ready"},
		{
			"all ok",
			[]httpapi.Check{{"store", ok}, {"retrieval", ok}},
			http.StatusOK, map[string]string{"store": "ok", "retrieval": "ok"}, "ready",
		},
		{
			"one failing",
			[]httpapi.Check{{"store", down}, {"retrieval", ok}},
			http.StatusServiceUnavailable, map[string]string{"store": "database unreachable", "retrieval": "ok"}, "not_ready",
		},
		{
			"check honouring its timeout",
			[]httpapi.Check{{"slow", honoursContext}, {"retrieval", ok}},
			http.StatusServiceUnavailable, map[string]string{"slow": "timed out after 20ms", "retrieval": "ok"}, "not_ready",
		},
		{
			"check ignoring its timeout",
			[]httpapi.Check{{"stuck", ignoresContext}},
			http.StatusServiceUnavailable, map[string]string{"stuck": "timed out after 20ms"}, "not_ready",
		},
		{
			"panicking check",
			[]httpapi.Check{{"broken", func(context.Context) error { panic("boom") }}},
			http.StatusServiceUnavailable, map[string]string{"broken": "panicked"}, "not_ready",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newServer(t, httpapi.Config{Checks: tt.checks, CheckTimeout: 20 * time.Millisecond})
			r := do(t, h, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if r.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", r.status, tt.wantStatus, r.body)
			}
			var got struct {
				Status string            `json:"status"`
				Checks map[string]string `json:"checks"`
			}
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatalf("decode %s: %v", r.body, err)
			}
			if got.Status != tt.wantState {
				t.Errorf("status field = %q, want %q", got.Status, tt.wantState)
			}
			if len(got.Checks) != len(tt.wantBody) {
				t.Errorf("checks = %v, want %v", got.Checks, tt.wantBody)
			}
			for name, want := range tt.wantBody {
				if msg := got.Checks[name]; !strings.Contains(msg, want) || (want == "ok" && msg != "ok") {
					t.Errorf("checks[%q] = %q, want %q", name, msg, want)
				}
			}
		})
	}
}

func TestScore(t *testing.T) {
	h := newServer(t, httpapi.Config{})
	for _, ct := range []string{"", "application/json", "application/json; charset=utf-8", "application/vnd.barraiser.transcript+json"} {
		t.Run("content type "+ct, func(t *testing.T) {
			r := do(t, h, postScore(strings.NewReader(transcript), ct))
			if r.status != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", r.status, r.body)
			}
			var card map[string]json.RawMessage
			if err := json.Unmarshal(r.body, &card); err != nil {
				t.Fatalf("decode %s: %v", r.body, err)
			}
			for _, key := range []string{"decision", "rubric_version", "level", "dimensions", "red_flags"} {
				if _, ok := card[key]; !ok {
					t.Errorf("scorecard has no %q: %s", key, r.body)
				}
			}
		})
	}
}

func TestScoreIsDeterministic(t *testing.T) {
	h := newServer(t, httpapi.Config{})
	first := do(t, h, postScore(strings.NewReader(transcript), "application/json"))
	second := do(t, h, postScore(strings.NewReader(transcript), "application/json"))
	if first.status != http.StatusOK || !bytes.Equal(first.body, second.body) {
		t.Fatalf("two answers differ:\n%d %s\n%d %s", first.status, first.body, second.status, second.body)
	}
}

func TestErrors(t *testing.T) {
	const scorePath, jsonType = "/api/v1/score", "application/json"
	oversize := strings.Repeat(" ", rubric.MaxTranscriptBytes+1)
	tests := []struct {
		name        string
		method      string // default POST
		path        string // default /api/v1/score
		contentType string
		body        string
		chunked     bool // send without Content-Length
		wantStatus  int
		wantCode    string
	}{
		{name: "not JSON", contentType: jsonType, body: `{"turns": [`,
			wantStatus: http.StatusBadRequest, wantCode: rubric.CodeInvalidJSON},
		{name: "JSON of the wrong shape", contentType: jsonType, body: `["candidate"]`,
			wantStatus: http.StatusBadRequest, wantCode: rubric.CodeInvalidJSON},
		{name: "empty body", contentType: jsonType, body: "",
			wantStatus: http.StatusBadRequest, wantCode: rubric.CodeInvalidJSON},
		{name: "no turns", contentType: jsonType, body: `{"turns": []}`,
			wantStatus: http.StatusBadRequest, wantCode: rubric.CodeEmptyTranscript},
		{name: "no candidate turn", contentType: jsonType,
			body:       `{"turns": [{"role": "interviewer", "text": "Tell me about a time you disagreed."}]}`,
			wantStatus: http.StatusBadRequest, wantCode: rubric.CodeNoCandidate},
		{name: "unknown role", contentType: jsonType,
			body:       `{"turns": [{"role": "recruiter", "text": "Hi"}, {"role": "candidate", "text": "I shipped it."}]}`,
			wantStatus: http.StatusBadRequest, wantCode: rubric.CodeUnknownRole},
		{name: "invalid UTF-8", contentType: jsonType,
			body:       "{\"turns\": [{\"role\": \"candidate\", \"text\": \"I \xff\xfe shipped it\"}]}",
			wantStatus: http.StatusBadRequest, wantCode: rubric.CodeInvalidUTF8},
		{name: "over the limit", contentType: jsonType, body: oversize,
			wantStatus: http.StatusRequestEntityTooLarge, wantCode: rubric.CodeTooLarge},
		{name: "over the limit, chunked", contentType: jsonType, body: oversize, chunked: true,
			wantStatus: http.StatusRequestEntityTooLarge, wantCode: rubric.CodeTooLarge},
		{name: "wrong content type", contentType: "text/plain", body: transcript,
			wantStatus: http.StatusUnsupportedMediaType, wantCode: "unsupported_media_type"},
		{name: "form content type", contentType: "application/x-www-form-urlencoded", body: transcript,
			wantStatus: http.StatusUnsupportedMediaType, wantCode: "unsupported_media_type"},
		{name: "malformed content type", contentType: "application/json; charset", body: transcript,
			wantStatus: http.StatusUnsupportedMediaType, wantCode: "unsupported_media_type"},
		{name: "non-UTF-8 charset", contentType: "application/json; charset=iso-8859-1", body: transcript,
			wantStatus: http.StatusUnsupportedMediaType, wantCode: "unsupported_media_type"},
		{name: "GET on the score route", method: http.MethodGet,
			wantStatus: http.StatusMethodNotAllowed, wantCode: "method_not_allowed"},
		{name: "unknown path", method: http.MethodGet, path: "/api/v1/nope",
			wantStatus: http.StatusNotFound, wantCode: "not_found"},
		{name: "trailing slash", path: scorePath + "/", contentType: jsonType, body: transcript,
			wantStatus: http.StatusNotFound, wantCode: "not_found"},
	}
	h := newServer(t, httpapi.Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, path := cmp.Or(tt.method, http.MethodPost), cmp.Or(tt.path, scorePath)
			req := httptest.NewRequest(method, path, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			if tt.chunked {
				req.ContentLength = -1
			}
			r := do(t, h, req)
			if r.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", r.status, tt.wantStatus, r.body)
			}
			if code := errorCode(t, r.body); code != tt.wantCode {
				t.Errorf("code = %q, want %q; body %s", code, tt.wantCode, r.body)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestMethodNotAllowedListsAllowed(t *testing.T) {
	h := newServer(t, httpapi.Config{})
	r := do(t, h, httptest.NewRequest(http.MethodDelete, "/api/v1/score", nil))
	if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != http.MethodPost {
		t.Fatalf("status %d, Allow %q", r.status, r.header.Get("Allow"))
	}
}

func TestRequestID(t *testing.T) {
	h := newServer(t, httpapi.Config{})
	tests := []struct {
		name, in string
		keep     bool
	}{
		{"generated", "", false},
		{"kept", "req-123_abc.DEF:9", true},
		{"replaced when odd", "bad id\r\nX-Evil: 1", false},
		{"replaced when long", strings.Repeat("a", 129), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
			if tt.in != "" {
				req.Header.Set(httpapi.RequestIDHeader, tt.in)
			}
			got := do(t, h, req).header.Get(httpapi.RequestIDHeader)
			if got == "" {
				t.Fatal("no request ID in the response")
			}
			if (got == tt.in) != tt.keep {
				t.Errorf("request ID = %q for %q, keep = %t", got, tt.in, tt.keep)
			}
		})
	}
}

func TestRequestLogOmitsBodies(t *testing.T) {
	var logs bytes.Buffer
	h := newServer(t, httpapi.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	req := postScore(strings.NewReader(transcript), "application/json")
	req.URL.RawQuery = "secret=query"
	req.Header.Set(httpapi.RequestIDHeader, "trace-1")
	if r := do(t, h, req); r.status != http.StatusOK {
		t.Fatalf("status = %d", r.status)
	}
	line := logs.String()
	for _, want := range []string{"msg=request", "method=POST", "path=/api/v1/score", "status=200", "duration=", "request_id=trace-1"} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q lacks %q", line, want)
		}
	}
	for _, leak := range []string{"webhook", "secret", "query"} {
		if strings.Contains(line, leak) {
			t.Errorf("log %q leaks %q", line, leak)
		}
	}
}

// FuzzScoreEndpoint posts arbitrary bytes: the answer is always 200, 400 or
// 413 with a JSON body, never a panic or a 500.
func FuzzScoreEndpoint(f *testing.F) {
	for _, seed := range []string{
		transcript, "", "null", "{}", "[]", `{"turns":null}`, `{"turns":[{"role":"candidate"}]}`,
		`{"level":"L9","turns":[{"role":"candidate","text":"I did it"}]}`,
		"{\"turns\":[{\"role\":\"candidate\",\"text\":\"\xff\"}]}", `{"turns":[{"role":"candidate","text":"\ud800"}]}`,
	} {
		f.Add([]byte(seed))
	}
	h := httpapi.New(httpapi.Config{}).Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, postScore(bytes.NewReader(body), "application/json"))
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("body is not JSON: %q", rec.Body)
		}
		if rec.Code != http.StatusOK {
			errorCode(t, rec.Body.Bytes())
		}
	})
}
