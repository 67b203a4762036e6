// Package memory holds barraiser's in-process stores, used when no
// database is configured and in tests.
package memory

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"strings"
	"sync"

	"barraiser/internal/retrieval"
)

// VectorStore is an exact-search retrieval.VectorStore in memory: every
// search compares the query with every stored vector of the embedder and
// keeps the best k in a bounded heap (about 35 µs for the shipped pack of
// ~230 exemplars at 384 dimensions; see BenchmarkSearchPack). It is safe
// for concurrent use.
type VectorStore struct {
	mu     sync.RWMutex
	spaces map[string]*space // embedder name → its items
}

// space holds one embedder's items. Every vector has dims entries and is
// stored at unit length (or zero), so a dot product is a cosine.
type space struct {
	dims  int
	items map[string]*entry
}

type entry struct {
	ex   retrieval.Exemplar
	hash string
	vec  []float32
}

var _ retrieval.VectorStore = (*VectorStore)(nil)

// NewVectorStore returns an empty store.
func NewVectorStore() *VectorStore {
	return &VectorStore{spaces: make(map[string]*space)}
}

// Ping reports whether the store is usable; an in-memory store always is.
func (s *VectorStore) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory: ping: %w", err)
	}
	return nil
}

// Hashes returns id → content hash of every item stored for embedder.
func (s *VectorStore) Hashes(ctx context.Context, embedder string) (map[string]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memory: hashes: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	sp := s.spaces[embedder]
	if sp == nil {
		return map[string]string{}, nil
	}
	out := make(map[string]string, len(sp.items))
	for id, e := range sp.items {
		out[id] = e.hash
	}
	return out, nil
}

// Upsert inserts or replaces items for embedder. Every vector must have
// dims entries, and dims must match what is already stored for embedder.
// Vectors are copied and normalised; the caller may reuse its slices.
func (s *VectorStore) Upsert(ctx context.Context, embedder string, dims int, items []retrieval.Item) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory: upsert: %w", err)
	}
	if embedder == "" {
		return fmt.Errorf("memory: upsert: empty embedder name")
	}
	if dims <= 0 {
		return fmt.Errorf("memory: upsert: dimensions %d, want > 0", dims)
	}
	entries := make([]*entry, len(items))
	for i, it := range items {
		if it.ID == "" {
			return fmt.Errorf("memory: upsert: item %d has an empty id", i)
		}
		if len(it.Vector) != dims {
			return fmt.Errorf("memory: upsert: item %q has %d dimensions, want %d", it.ID, len(it.Vector), dims)
		}
		vec, ok := unit(it.Vector)
		if !ok {
			return fmt.Errorf("memory: upsert: item %q has a vector with NaN or infinite entries", it.ID)
		}
		entries[i] = &entry{ex: it.Exemplar, hash: it.Hash, vec: vec}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.spaces[embedder]
	if sp == nil {
		sp = &space{dims: dims, items: make(map[string]*entry)}
		s.spaces[embedder] = sp
	}
	if sp.dims != dims {
		return fmt.Errorf("memory: upsert: embedder %q stores %d dimensions, not %d", embedder, sp.dims, dims)
	}
	for _, e := range entries {
		sp.items[e.ex.ID] = e
	}
	return nil
}

// Delete removes the items with these ids for embedder; unknown ids are
// ignored.
func (s *VectorStore) Delete(ctx context.Context, embedder string, ids []string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory: delete: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.spaces[embedder]
	if sp == nil {
		return nil
	}
	for _, id := range ids {
		delete(sp.items, id)
	}
	if len(sp.items) == 0 {
		delete(s.spaces, embedder) // a later Upsert may choose new dimensions
	}
	return nil
}

// Search returns up to k items for embedder nearest to vec by cosine that
// pass f, best first; equal scores are ordered by id. Org "" selects the
// shared pack (items with Org ""); any other Org selects the pack plus that
// organisation's items.
func (s *VectorStore) Search(ctx context.Context, embedder string, vec []float32, k int, f retrieval.Filter) ([]retrieval.Match, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memory: search: %w", err)
	}
	if k < 1 {
		return nil, fmt.Errorf("memory: search: k is %d, want at least 1", k)
	}
	q, ok := unit(vec)
	if !ok {
		return nil, fmt.Errorf("memory: search: query vector has NaN or infinite entries")
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	sp := s.spaces[embedder]
	if sp == nil {
		return []retrieval.Match{}, nil
	}
	if len(q) != sp.dims {
		return nil, fmt.Errorf("memory: search: query has %d dimensions, embedder %q stores %d", len(q), embedder, sp.dims)
	}
	h := make(topK, 0, min(k, len(sp.items)))
	for _, e := range sp.items {
		if !matches(&e.ex, f) {
			continue
		}
		c := candidate{e: e, score: retrieval.Dot(q, e.vec)}
		switch {
		case len(h) < k:
			heap.Push(&h, c)
		case c.better(h[0]):
			h[0] = c
			heap.Fix(&h, 0)
		}
	}
	out := make([]retrieval.Match, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		c := heap.Pop(&h).(candidate)
		out[i] = retrieval.Match{Exemplar: c.e.ex, Score: float64(c.score)}
	}
	return out, nil
}

func matches(e *retrieval.Exemplar, f retrieval.Filter) bool {
	return (f.Principle == "" || e.Principle == f.Principle) &&
		(f.Dimension == "" || e.Dimension == f.Dimension) &&
		(f.Label == "" || e.Label == f.Label) &&
		(e.Org == "" || e.Org == f.Org)
}

// candidate is a scored item; topK is a min-heap of the best k so far,
// the worst at the root.
type candidate struct {
	e     *entry
	score float32
}

// better orders by score, then by id so ties are deterministic.
func (c candidate) better(o candidate) bool {
	if c.score != o.score {
		return c.score > o.score
	}
	return strings.Compare(c.e.ex.ID, o.e.ex.ID) < 0
}

type topK []candidate

func (h topK) Len() int           { return len(h) }
func (h topK) Less(i, j int) bool { return h[j].better(h[i]) }
func (h topK) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *topK) Push(x any)        { *h = append(*h, x.(candidate)) }
func (h *topK) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// unit returns a normalised copy of v (a zero vector stays zero, so its
// cosine with anything is 0) and false if v has a NaN or infinity.
func unit(v []float32) ([]float32, bool) {
	var ss float64
	for _, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, false
		}
		ss += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	if ss == 0 {
		return out, true
	}
	inv := 1 / math.Sqrt(ss)
	for i, x := range v {
		out[i] = float32(float64(x) * inv)
	}
	return out, true
}
