package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"barraiser/internal/httpapi"
	"barraiser/internal/knowledge"
	"barraiser/internal/retrieval"
	"barraiser/internal/store/memory"
)

// exemplarService is the retrieval service over the shipped pack with the
// local embedder and the memory store, built once (the embedder takes a
// moment to learn).
var exemplarService = sync.OnceValues(func() (*retrieval.Service, error) {
	pack, err := knowledge.Load()
	if err != nil {
		return nil, err
	}
	ex := retrieval.ExemplarsFromPack(pack)
	svc := retrieval.New(retrieval.NewLocalEmbedder(ex), memory.NewVectorStore(), nil)
	if _, err := svc.Sync(context.Background(), ex); err != nil {
		return nil, err
	}
	return svc, nil
})

func exemplarServer(t *testing.T) http.Handler {
	t.Helper()
	svc, err := exemplarService()
	if err != nil {
		t.Fatal(err)
	}
	return newServer(t, httpapi.Config{Exemplars: svc})
}

type exemplarsAnswer struct {
	Exemplars []struct {
		ID        string   `json:"id"`
		Principle string   `json:"principle"`
		Dimension string   `json:"dimension"`
		Label     string   `json:"label"`
		Level     *string  `json:"level"`
		Text      string   `json:"text"`
		Why       string   `json:"why"`
		Score     *float64 `json:"score"`
	} `json:"exemplars"`
	K int `json:"k"`
}

func getExemplars(t *testing.T, h http.Handler, params url.Values) response {
	t.Helper()
	return do(t, h, httptest.NewRequest(http.MethodGet, "/api/v1/exemplars?"+params.Encode(), nil))
}

const handOff = "I spotted the bug, sent the other team a Slack message about it, and they fixed it a few weeks later."

func TestExemplars(t *testing.T) {
	h := exemplarServer(t)
	r := getExemplars(t, h, url.Values{"q": {handOff}, "k": {"3"}})
	if r.status != http.StatusOK {
		t.Fatalf("status = %d; body %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	var a exemplarsAnswer
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	if a.K != 3 || len(a.Exemplars) != 3 {
		t.Fatalf("k = %d with %d exemplars; body %s", a.K, len(a.Exemplars), r.body)
	}
	for i, e := range a.Exemplars {
		if e.ID == "" || e.Dimension == "" || e.Text == "" || e.Why == "" || e.Score == nil || e.Level == nil ||
			(e.Label != retrieval.LabelWeak && e.Label != retrieval.LabelStrong) {
			t.Errorf("exemplar %d is missing fields: %+v", i, e)
		}
		if i > 0 && *e.Score > *a.Exemplars[i-1].Score {
			t.Errorf("not best first: %v after %v", *e.Score, *a.Exemplars[i-1].Score)
		}
	}
	if top := a.Exemplars[0]; top.Dimension != "routing_not_ownership" || top.Label != retrieval.LabelWeak {
		t.Errorf("nearest to a hand-off is %s (%s/%s)", top.ID, top.Dimension, top.Label)
	}
}

func TestExemplarsDefaultsAndFilters(t *testing.T) {
	h := exemplarServer(t)
	tests := []struct {
		name    string
		params  url.Values
		wantK   int
		wantN   int // -1: between 1 and wantK
		matches func(dim, label, principle string) bool
	}{
		{"no k", url.Values{"q": {handOff}}, retrieval.DefaultK, retrieval.DefaultK, nil},
		{"k at the limit", url.Values{"q": {handOff}, "k": {"50"}}, 50, 50, nil},
		{"k = 1", url.Values{"q": {handOff}, "k": {"1"}}, 1, 1, nil},
		{"dimension and label", url.Values{"q": {handOff}, "dimension": {"mechanism"}, "label": {"strong"}, "k": {"50"}}, 50, -1,
			func(d, l, _ string) bool { return d == "mechanism" && l == "strong" }},
		{"red flag as dimension", url.Values{"q": {handOff}, "dimension": {"manipulation_attempt"}, "k": {"4"}}, 4, 4,
			func(d, _, _ string) bool { return d == "manipulation_attempt" }},
		{"principle", url.Values{"q": {handOff}, "principle": {"Ownership"}}, retrieval.DefaultK, retrieval.DefaultK,
			func(_, _, p string) bool { return p == "Ownership" }},
		{"unknown principle matches nothing", url.Values{"q": {handOff}, "principle": {"Think Small"}}, retrieval.DefaultK, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := getExemplars(t, h, tt.params)
			if r.status != http.StatusOK {
				t.Fatalf("status = %d; body %s", r.status, r.body)
			}
			var a exemplarsAnswer
			if err := json.Unmarshal(r.body, &a); err != nil {
				t.Fatal(err)
			}
			if a.K != tt.wantK {
				t.Errorf("k = %d, want %d", a.K, tt.wantK)
			}
			if a.Exemplars == nil {
				t.Errorf("exemplars is null, want a list: %s", r.body)
			}
			switch {
			case tt.wantN >= 0 && len(a.Exemplars) != tt.wantN:
				t.Errorf("%d exemplars, want %d", len(a.Exemplars), tt.wantN)
			case tt.wantN < 0 && (len(a.Exemplars) == 0 || len(a.Exemplars) > tt.wantK):
				t.Errorf("%d exemplars", len(a.Exemplars))
			}
			for _, e := range a.Exemplars {
				if tt.matches != nil && !tt.matches(e.Dimension, e.Label, e.Principle) {
					t.Errorf("%s (%s/%s, %q) does not pass the filter", e.ID, e.Dimension, e.Label, e.Principle)
				}
			}
		})
	}
}

func TestExemplarsBadInput(t *testing.T) {
	h := exemplarServer(t)
	huge := strings.Repeat("word ", retrieval.MaxQueryBytes/5+1)
	tests := []struct {
		name  string
		raw   string // the raw query string
		param string // the message must start with it
	}{
		{"no q", "k=3", "q"},
		{"empty q", "q=", "q"},
		{"whitespace q", "q=" + url.QueryEscape(" \t\n "), "q"},
		{"q over the limit", "q=" + url.QueryEscape(huge), "q"},
		{"q not UTF-8", "q=I%FFfixed", "q"},
		{"q twice", "q=a&q=b", "q"},
		{"k = 0", "q=text&k=0", "k"},
		{"k = -1", "q=text&k=-1", "k"},
		{"k = 51", "q=text&k=51", "k"},
		{"k not a number", "q=text&k=abc", "k"},
		{"k empty", "q=text&k=", "k"},
		{"k a float", "q=text&k=2.5", "k"},
		{"k huge", "q=text&k=99999999999999999999999", "k"},
		{"unknown label", "q=text&label=meh", "label"},
		{"label in capitals", "q=text&label=Strong", "label"},
		{"unknown dimension", "q=text&dimension=metrics", "dimension"},
		{"principle not UTF-8", "q=text&principle=%FF", "principle"},
		{"malformed query string", "q=%zz", "the query string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, h, httptest.NewRequest(http.MethodGet, "/api/v1/exemplars?"+tt.raw, nil))
			if r.status != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400; body %.300s", r.status, r.body)
			}
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(r.body, &e); err != nil {
				t.Fatal(err)
			}
			if e.Error.Code != "invalid_query" || !strings.HasPrefix(e.Error.Message, tt.param+" ") {
				t.Fatalf("error = %+v, want invalid_query naming %q", e.Error, tt.param)
			}
			if len(e.Error.Message) > 200 {
				t.Errorf("message echoes too much: %d bytes", len(e.Error.Message))
			}
		})
	}
}

func TestExemplarsNotConfigured(t *testing.T) {
	h := newServer(t, httpapi.Config{})
	r := getExemplars(t, h, url.Values{"q": {"text"}})
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503", r.status)
	}
	if code := errorCode(t, r.body); code != "unavailable" {
		t.Fatalf("code = %q", code)
	}
	if !strings.Contains(string(r.body), "exemplar search is not configured") {
		t.Errorf("body = %s", r.body)
	}
}

type failingSearcher struct{ err error }

func (f failingSearcher) Search(context.Context, retrieval.Query) ([]retrieval.Match, error) {
	return nil, f.err
}

func TestExemplarsSearchFails(t *testing.T) {
	var logs bytes.Buffer
	h := newServer(t, httpapi.Config{
		Exemplars: failingSearcher{errors.New("vector store: connection refused to 10.0.0.7")},
		Logger:    slog.New(slog.NewTextHandler(&logs, nil)),
	})
	r := getExemplars(t, h, url.Values{"q": {"my private answer"}})
	if r.status != http.StatusInternalServerError || errorCode(t, r.body) != "internal" {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
	if strings.Contains(string(r.body), "10.0.0.7") {
		t.Errorf("internal detail leaked: %s", r.body)
	}
	if !strings.Contains(logs.String(), "connection refused") {
		t.Errorf("the failure was not logged: %s", logs.String())
	}
	if strings.Contains(logs.String(), "private answer") {
		t.Errorf("the log holds the candidate's text: %s", logs.String())
	}

	// A searcher's own validation error is still a 400.
	h = newServer(t, httpapi.Config{Exemplars: failingSearcher{&retrieval.QueryError{Param: "label", Reason: "is odd"}}})
	r = getExemplars(t, h, url.Values{"q": {"x"}})
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), `"label is odd"`) {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
	h = newServer(t, httpapi.Config{Exemplars: failingSearcher{retrieval.ErrInvalidQuery}})
	if r = getExemplars(t, h, url.Values{"q": {"x"}}); r.status != http.StatusBadRequest || errorCode(t, r.body) != "invalid_query" {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
}

func TestExemplarsMethod(t *testing.T) {
	h := exemplarServer(t)
	r := do(t, h, httptest.NewRequest(http.MethodPost, "/api/v1/exemplars?q=x", nil))
	if r.status != http.StatusMethodNotAllowed || errorCode(t, r.body) != "method_not_allowed" {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
}

// FuzzExemplarsEndpoint sends arbitrary query strings: the answer is
// always 200 or 400 with a JSON body, never a panic or a 500.
func FuzzExemplarsEndpoint(f *testing.F) {
	for _, seed := range []string{
		"q=I+fixed+it", "q=x&k=3", "q=&k=0", "k=5", "q=%FF", "q=%zz", "q=a&q=b", "q=x&k=-1&label=weak",
		"q=x&dimension=mechanism&label=strong&principle=Ownership", "q=" + strings.Repeat("a", 9000), ";;&&==",
	} {
		f.Add(seed)
	}
	svc, err := exemplarService()
	if err != nil {
		f.Fatal(err)
	}
	h := httpapi.New(httpapi.Config{Exemplars: svc}).Handler()
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/exemplars", nil)
		req.URL.RawQuery = raw
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("status %d for %q: %s", rec.Code, raw, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("body is not JSON: %q", rec.Body)
		}
	})
}
