package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"barraiser/internal/llm/openai"
	"barraiser/internal/retrieval"
)

const embedKey = "sk-embed-test-9f8e7d6c5b4a"

// embedRequest is the JSON body of POST /v1/embeddings.
type embedRequest struct {
	Input          []string `json:"input"`
	Model          string   `json:"model"`
	Dimensions     int      `json:"dimensions"`
	EncodingFormat string   `json:"encoding_format"`
}

// embedServer speaks OpenAI's embeddings wire format. By default each text
// gets a vector of the requested (or native) length whose first entry is
// the text's length, so tests can check order. Hooks change the answer.
type embedServer struct {
	t        *testing.T
	dims     int
	mu       sync.Mutex
	requests []embedRequest
	headers  []http.Header
	// respond, if set, writes the answer instead.
	respond func(w http.ResponseWriter, req embedRequest)
}

func newEmbedServer(t *testing.T, dims int) (*embedServer, *httptest.Server) {
	s := &embedServer{t: t, dims: dims}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *embedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
		http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusNotFound)
		return
	}
	var req embedRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.headers = append(s.headers, r.Header.Clone())
	respond := s.respond
	s.mu.Unlock()
	if respond != nil {
		respond(w, req)
		return
	}
	dims := s.dims
	if req.Dimensions > 0 {
		dims = req.Dimensions
	}
	writeEmbeddings(w, req, func(i int, text string) []float32 {
		v := make([]float32, dims)
		v[0] = float32(len(text))
		v[1] = float32(i)
		return v
	}, false)
}

// writeEmbeddings writes a successful answer; reverse lists the data in
// reverse index order (the index, not the position, is authoritative).
func writeEmbeddings(w http.ResponseWriter, req embedRequest, vec func(i int, text string) []float32, reverse bool) {
	type datum struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	}
	data := make([]datum, len(req.Input))
	for i, text := range req.Input {
		data[i] = datum{Object: "embedding", Index: i, Embedding: vec(i, text)}
	}
	if reverse {
		slices.Reverse(data)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"object": "list",
		"data":   data,
		"model":  req.Model,
		"usage":  map[string]int{"prompt_tokens": 8 * len(req.Input), "total_tokens": 8 * len(req.Input)},
	})
}

// writeError writes an OpenAI-style error body.
func writeError(w http.ResponseWriter, status int, typ, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": code},
	})
}

func newEmbedder(t *testing.T, cfg openai.EmbedderConfig) *openai.Embedder {
	t.Helper()
	e, err := openai.NewEmbedder(cfg)
	if err != nil {
		t.Fatalf("NewEmbedder: %v", err)
	}
	return e
}

func TestEmbedderWireFormat(t *testing.T) {
	s, srv := newEmbedServer(t, 1536)
	e := newEmbedder(t, openai.EmbedderConfig{APIKey: embedKey, BaseURL: srv.URL + "/v1", Model: "text-embedding-3-small", Dimensions: 256})
	var _ retrieval.Embedder = e
	if e.Name() != "openai:text-embedding-3-small:256" || e.Dimensions() != 256 {
		t.Fatalf("Name %q, Dimensions %d", e.Name(), e.Dimensions())
	}
	texts := []string{"I wrote the fix myself.", "We did it together.", "My manager asked me."}
	vecs, err := e.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vecs {
		if len(v) != 256 || v[0] != float32(len(texts[i])) {
			t.Fatalf("vector %d: length %d, first %v", i, len(v), v[0])
		}
	}
	if len(s.requests) != 1 {
		t.Fatalf("%d requests", len(s.requests))
	}
	req, h := s.requests[0], s.headers[0]
	if !slices.Equal(req.Input, texts) || req.Model != "text-embedding-3-small" || req.Dimensions != 256 || req.EncodingFormat != "float" {
		t.Errorf("request = %+v", req)
	}
	if got := h.Get("Authorization"); got != "Bearer "+embedKey {
		t.Errorf("Authorization = %q", got)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestEmbedderDefaults(t *testing.T) {
	s, srv := newEmbedServer(t, 1536)
	e := newEmbedder(t, openai.EmbedderConfig{BaseURL: srv.URL + "/v1"})
	if e.Name() != "openai:text-embedding-3-small:1536" {
		t.Fatalf("Name = %q", e.Name())
	}
	if _, err := e.Embed(t.Context(), []string{"hello"}); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(s.requests[0])
	if s.requests[0].Dimensions != 0 {
		t.Errorf("sent dimensions without being asked: %s", raw)
	}
	if got := s.headers[0].Get("Authorization"); got != "" {
		t.Errorf("sent Authorization %q with no key (a local server needs none)", got)
	}

	// A model other than OpenAI's needs its length.
	if _, err := openai.NewEmbedder(openai.EmbedderConfig{Model: "nomic-embed-text"}); err == nil {
		t.Error("no error for a model of unknown length")
	}
	e = newEmbedder(t, openai.EmbedderConfig{BaseURL: srv.URL + "/v1", Model: "nomic-embed-text", NativeDimensions: 1536})
	if e.Name() != "openai:nomic-embed-text:1536" {
		t.Errorf("Name = %q", e.Name())
	}
	for _, bad := range []openai.EmbedderConfig{
		{Dimensions: -1}, {BatchSize: -1}, {NativeDimensions: -5, Model: "x"}, {Model: "has:colon", Dimensions: 8}, {Model: "has space", Dimensions: 8},
	} {
		if _, err := openai.NewEmbedder(bad); err == nil {
			t.Errorf("NewEmbedder(%+v): no error", bad)
		}
	}
}

func TestEmbedderBatches(t *testing.T) {
	s, srv := newEmbedServer(t, 8)
	s.respond = func(w http.ResponseWriter, req embedRequest) {
		// Out of order on the wire: the index decides.
		writeEmbeddings(w, req, func(i int, text string) []float32 {
			return []float32{float32(len(text)), 0, 0, 0, 0, 0, 0, float32(i)}
		}, true)
	}
	e := newEmbedder(t, openai.EmbedderConfig{BaseURL: srv.URL + "/v1", Model: "m", NativeDimensions: 8, BatchSize: 2})
	texts := []string{"a", "bb", "ccc", "dddd", "eeeee"}
	vecs, err := e.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.requests) != 3 {
		t.Fatalf("%d requests for 5 texts in batches of 2", len(s.requests))
	}
	for i, v := range vecs {
		if v[0] != float32(len(texts[i])) {
			t.Fatalf("vector %d belongs to text of length %v", i, v[0])
		}
	}
	if got, err := e.Embed(t.Context(), nil); err != nil || len(got) != 0 || len(s.requests) != 3 {
		t.Fatalf("Embed(nil) = %v, %v after %d requests", got, err, len(s.requests))
	}
}

func TestEmbedderErrors(t *testing.T) {
	tests := []struct {
		name    string
		respond func(w http.ResponseWriter, req embedRequest)
		want    string
		check   func(t *testing.T, err error)
	}{
		{
			name: "401 with an OpenAI error body",
			respond: func(w http.ResponseWriter, _ embedRequest) {
				writeError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key",
					"Incorrect API key provided: "+embedKey+". You can find your API key at https://platform.openai.com/account/api-keys.")
			},
			want: "Incorrect API key provided",
			check: func(t *testing.T, err error) {
				apiErr, ok := errors.AsType[*goopenai.APIError](err)
				if !ok || apiErr.HTTPStatusCode != http.StatusUnauthorized || apiErr.Code != "invalid_api_key" {
					t.Errorf("no *APIError with status 401: %#v", apiErr)
				}
			},
		},
		{
			name: "429 rate limit",
			respond: func(w http.ResponseWriter, _ embedRequest) {
				writeError(w, http.StatusTooManyRequests, "requests", "rate_limit_exceeded", "Rate limit reached for text-embedding-3-small")
			},
			want: "Rate limit reached",
		},
		{
			name: "502 without a JSON body",
			respond: func(w http.ResponseWriter, _ embedRequest) {
				http.Error(w, "upstream exploded", http.StatusBadGateway)
			},
			want: "502",
		},
		{
			name: "wrong-length vector",
			respond: func(w http.ResponseWriter, req embedRequest) {
				writeEmbeddings(w, req, func(i int, _ string) []float32 { return make([]float32, 4+i) }, false)
			},
			want: "vector 1 has 5 dimensions, want 4",
		},
		{
			name: "too few vectors",
			respond: func(w http.ResponseWriter, req embedRequest) {
				req.Input = req.Input[:1]
				writeEmbeddings(w, req, func(int, string) []float32 { return make([]float32, 4) }, false)
			},
			want: "got 1 vectors for 2 texts",
		},
		{
			name: "repeated index",
			respond: func(w http.ResponseWriter, _ embedRequest) {
				fmt.Fprint(w, `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[1,2,3,4]},{"object":"embedding","index":0,"embedding":[1,2,3,4]}],"model":"m","usage":{"prompt_tokens":2,"total_tokens":2}}`)
			},
			want: "index 0 repeated",
		},
		{
			name: "index out of range",
			respond: func(w http.ResponseWriter, _ embedRequest) {
				fmt.Fprint(w, `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[1,2,3,4]},{"object":"embedding","index":7,"embedding":[1,2,3,4]}],"model":"m","usage":{"prompt_tokens":2,"total_tokens":2}}`)
			},
			want: "index 7 out of range",
		},
		{
			name: "not JSON",
			respond: func(w http.ResponseWriter, _ embedRequest) {
				fmt.Fprint(w, `<html>proxy login</html>`)
			},
			want: "invalid character",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newEmbedServer(t, 4)
			s.respond = tt.respond
			e := newEmbedder(t, openai.EmbedderConfig{APIKey: embedKey, BaseURL: srv.URL + "/v1", Model: "m", NativeDimensions: 4})
			vecs, err := e.Embed(t.Context(), []string{"first text", "second text"})
			if err == nil {
				t.Fatalf("no error; vectors %v", vecs)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
			if strings.Contains(err.Error(), embedKey) {
				t.Errorf("error leaks the API key: %q", err)
			}
			if !strings.Contains(err.Error(), "openai: embed") {
				t.Errorf("error %q does not say where it came from", err)
			}
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

func TestEmbedderRefusesEmptyText(t *testing.T) {
	s, srv := newEmbedServer(t, 4)
	e := newEmbedder(t, openai.EmbedderConfig{BaseURL: srv.URL + "/v1", Model: "m", NativeDimensions: 4})
	if _, err := e.Embed(t.Context(), []string{"ok", "  "}); err == nil || !strings.Contains(err.Error(), "text 1 is empty") {
		t.Fatalf("err = %v", err)
	}
	if len(s.requests) != 0 {
		t.Fatal("sent a request with an empty text")
	}
}

func TestEmbedderContext(t *testing.T) {
	arrived, release := make(chan struct{}, 1), make(chan struct{})
	s, srv := newEmbedServer(t, 4)
	s.respond = func(http.ResponseWriter, embedRequest) {
		arrived <- struct{}{}
		<-release
	}
	t.Cleanup(func() { close(release) }) // before srv.Close, which waits for handlers
	e := newEmbedder(t, openai.EmbedderConfig{BaseURL: srv.URL + "/v1", Model: "m", NativeDimensions: 4})

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := e.Embed(ctx, []string{"hello"})
		done <- err
	}()
	select {
	case <-arrived:
	case err := <-done:
		t.Fatalf("Embed returned before the server answered: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the request never reached the server")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Embed did not return after its context was cancelled")
	}
}
