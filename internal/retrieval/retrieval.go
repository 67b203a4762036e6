// Package retrieval finds the weak and strong example answers ("exemplars")
// nearest to a piece of candidate text. It grounds the interviewer: the
// probe it asks is informed by what a weak and a strong answer on that
// dimension sound like.
//
// The package declares what it consumes: an Embedder turns text into
// vectors and a VectorStore keeps and searches them. Implementations live
// elsewhere (the local deterministic embedder in this package; the OpenAI
// embedder in internal/llm/openai; the stores in internal/store/memory and
// internal/store/postgres). Every stored vector records the name of the
// embedder that made it, and a search only ever compares vectors of one
// embedder.
package retrieval

import (
	"context"
	"errors"
)

// Exemplar is a weak or strong example answer for one rubric dimension or
// red flag.
type Exemplar struct {
	ID        string `json:"id"`
	Principle string `json:"principle"`
	Dimension string `json:"dimension"` // a dimension or red-flag id of the rubric
	Label     string `json:"label"`     // "weak" or "strong"
	Level     string `json:"level,omitempty"`
	Text      string `json:"text"`
	Why       string `json:"why,omitempty"`
	Source    string `json:"source,omitempty"`
	// Org scopes a recruiter's private exemplar; "" is the shared pack.
	Org string `json:"org,omitempty"`
}

// Labels.
const (
	LabelWeak   = "weak"
	LabelStrong = "strong"
)

// Embedder turns texts into vectors of a fixed length.
type Embedder interface {
	// Name identifies the embedder and everything that changes its
	// vectors (model, dimensions, vocabulary), e.g. "local-v1-384-1a2b3c4d"
	// or "openai:text-embedding-3-small:256". Vectors are stored and
	// searched under this name.
	Name() string
	// Dimensions is the length of every vector Embed returns.
	Dimensions() int
	// Embed returns one vector per text, in order.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Item is an exemplar with its vector and a hash of the content that was
// embedded, so an unchanged exemplar is never embedded twice.
type Item struct {
	Exemplar
	Hash   string
	Vector []float32
}

// Filter narrows a search; empty fields match everything. Org selects the
// shared pack plus that organisation's private exemplars ("" is the pack
// alone).
type Filter struct {
	Principle string
	Dimension string
	Label     string
	Org       string
}

// Match is a search result; Score is the cosine similarity (1 is identical).
type Match struct {
	Exemplar
	Score float64 `json:"score"`
}

// VectorStore keeps exemplar vectors per embedder and searches them by
// cosine similarity.
type VectorStore interface {
	// Hashes returns id → content hash of every item stored for embedder.
	Hashes(ctx context.Context, embedder string) (map[string]string, error)
	// Upsert inserts or replaces items for embedder; all vectors have the
	// embedder's dimensions.
	Upsert(ctx context.Context, embedder string, dims int, items []Item) error
	// Delete removes the items with these ids for embedder.
	Delete(ctx context.Context, embedder string, ids []string) error
	// Search returns up to k items for embedder nearest to vec that pass
	// f, best first. It returns k items whenever k items pass f.
	Search(ctx context.Context, embedder string, vec []float32, k int, f Filter) ([]Match, error)
	// Ping reports whether the store is usable.
	Ping(ctx context.Context) error
}

// Limits on a search request.
const (
	MaxK          = 50
	DefaultK      = 5
	MaxQueryBytes = 8 << 10
)

// ErrInvalidQuery is wrapped by every error about a bad search request.
var ErrInvalidQuery = errors.New("invalid query")

// Dot is the dot product of two vectors of the same length; for unit
// vectors it is their cosine similarity.
func Dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32 // four accumulators let the CPU overlap the adds
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}
