package openai

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"barraiser/internal/retrieval"
)

// DefaultEmbeddingModel is used when EmbedderConfig.Model is empty.
const DefaultEmbeddingModel = string(goopenai.SmallEmbedding3)

// DefaultEmbedBatch is how many texts one embeddings request carries when
// EmbedderConfig.BatchSize is zero. OpenAI accepts up to 2048 inputs and
// 300k tokens a request; exemplars are a few dozen tokens each.
const DefaultEmbedBatch = 256

// defaultEmbedTimeout bounds one embeddings request when the caller gives
// no HTTP client. An embeddings answer is not streamed, so a whole-request
// timeout is safe.
const defaultEmbedTimeout = 60 * time.Second

// nativeDimensions are the vector lengths of OpenAI's embedding models
// when no "dimensions" parameter is sent.
var nativeDimensions = map[string]int{
	string(goopenai.SmallEmbedding3): 1536,
	string(goopenai.LargeEmbedding3): 3072,
	string(goopenai.AdaEmbeddingV2):  1536,
}

// EmbedderConfig configures an Embedder.
type EmbedderConfig struct {
	// APIKey is sent as a bearer token; it may be empty for a local
	// server that needs none.
	APIKey string
	// BaseURL is the API root including its version, e.g.
	// "http://localhost:11434/v1" for Ollama or "http://vllm:8000/v1";
	// empty means OpenAI's.
	BaseURL string
	// Model is the embedding model; empty means DefaultEmbeddingModel.
	Model string
	// Dimensions, when not zero, is sent as the "dimensions" parameter
	// (text-embedding-3 models and servers that support shortening) and is
	// the length every returned vector must have.
	Dimensions int
	// NativeDimensions is the length of the model's vectors when
	// Dimensions is zero. It is needed only for models other than OpenAI's
	// (text-embedding-3-small/large, ada-002), e.g. 768 for
	// nomic-embed-text.
	NativeDimensions int
	// BatchSize is how many texts go in one request; zero means
	// DefaultEmbedBatch.
	BatchSize int
	// HTTPClient sends the requests; nil means one with a 60-second
	// timeout.
	HTTPClient *http.Client
}

// Embedder is a retrieval.Embedder backed by an OpenAI-compatible
// /embeddings endpoint. It is safe for concurrent use.
type Embedder struct {
	client  *goopenai.Client
	model   string
	dims    int
	request int // the "dimensions" parameter sent, 0 for none
	batch   int
	key     string // only to scrub it from errors
}

var _ retrieval.Embedder = (*Embedder)(nil)

// NewEmbedder checks cfg and returns an embedder. It makes no request.
func NewEmbedder(cfg EmbedderConfig) (*Embedder, error) {
	model := cfg.Model
	if model == "" {
		model = DefaultEmbeddingModel
	}
	if strings.ContainsAny(model, ": \t\n") {
		return nil, fmt.Errorf("openai: embedding model %q: must not contain ':' or spaces", model)
	}
	if cfg.Dimensions < 0 || cfg.NativeDimensions < 0 || cfg.BatchSize < 0 {
		return nil, errors.New("openai: embedder dimensions and batch size must not be negative")
	}
	dims := cfg.Dimensions
	if dims == 0 {
		dims = cfg.NativeDimensions
	}
	if dims == 0 {
		dims = nativeDimensions[model]
	}
	if dims == 0 {
		return nil, fmt.Errorf("openai: embedding model %q: unknown vector length; set its dimensions", model)
	}
	batch := cfg.BatchSize
	if batch == 0 {
		batch = DefaultEmbedBatch
	}

	oc := goopenai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = cfg.BaseURL
	}
	if cfg.HTTPClient != nil {
		oc.HTTPClient = cfg.HTTPClient
	} else {
		oc.HTTPClient = &http.Client{Timeout: defaultEmbedTimeout}
	}
	return &Embedder{
		client:  goopenai.NewClientWithConfig(oc),
		model:   model,
		dims:    dims,
		request: cfg.Dimensions,
		batch:   batch,
		key:     cfg.APIKey,
	}, nil
}

// Name is "openai:" + model + ":" + dimensions, e.g.
// "openai:text-embedding-3-small:256".
func (e *Embedder) Name() string { return "openai:" + e.model + ":" + strconv.Itoa(e.dims) }

// Dimensions is the length of every vector Embed returns.
func (e *Embedder) Dimensions() int { return e.dims }

// Embed returns one vector per text, in order, sending the texts in
// batches. It fails if the server answers an error, a vector count that
// differs from the texts sent, an index out of range or repeated, or a
// vector of another length or with a non-finite entry.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			return nil, fmt.Errorf("openai: embed: text %d is empty", i)
		}
	}
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += e.batch {
		batch := texts[start:min(start+e.batch, len(texts))]
		vecs, err := e.embedBatch(ctx, batch)
		if err != nil {
			return nil, fmt.Errorf("openai: embed texts %d-%d with %s: %w", start, start+len(batch)-1, e.model, err)
		}
		out = append(out, vecs...)
	}
	return out, nil
}

func (e *Embedder) embedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	// EmbeddingRequest rather than EmbeddingRequestStrings: its "user" is
	// omitted when empty, which strict compatible servers prefer.
	resp, err := e.client.CreateEmbeddings(ctx, goopenai.EmbeddingRequest{
		Input:          texts,
		Model:          goopenai.EmbeddingModel(e.model),
		EncodingFormat: goopenai.EmbeddingEncodingFormatFloat,
		Dimensions:     e.request,
	})
	if err != nil {
		return nil, e.scrub(err)
	}
	if len(resp.Data) != len(texts) {
		return nil, fmt.Errorf("got %d vectors for %d texts", len(resp.Data), len(texts))
	}
	out := make([][]float32, len(texts))
	for _, d := range resp.Data {
		switch {
		case d.Index < 0 || d.Index >= len(texts):
			return nil, fmt.Errorf("vector index %d out of range for %d texts", d.Index, len(texts))
		case out[d.Index] != nil:
			return nil, fmt.Errorf("vector index %d repeated", d.Index)
		case len(d.Embedding) != e.dims:
			return nil, fmt.Errorf("vector %d has %d dimensions, want %d", d.Index, len(d.Embedding), e.dims)
		}
		for _, x := range d.Embedding {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, fmt.Errorf("vector %d has a non-finite entry", d.Index)
			}
		}
		out[d.Index] = d.Embedding
	}
	return out, nil
}

// scrub hides the API key should a server echo it in an error (the
// errors still unwrap to *goopenai.APIError and friends).
func (e *Embedder) scrub(err error) error {
	if e.key == "" || !strings.Contains(err.Error(), e.key) {
		return err
	}
	return redactedError{err: err, key: e.key}
}
