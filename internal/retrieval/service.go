package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"unicode/utf8"

	"barraiser/internal/knowledge"
	"barraiser/internal/rubric"
)

// syncBatch is how many exemplars Sync embeds and upserts at a time: small
// enough for one OpenAI request and one database round trip, large enough
// that a pack of a few hundred takes a handful.
const syncBatch = 64

// maxFilterBytes bounds each filter value of a query.
const maxFilterBytes = 256

// Query is a search request: the exemplars nearest to Text that pass the
// filter.
type Query struct {
	// Text is candidate speech (or anything else to match against
	// exemplar texts). Required, at most MaxQueryBytes of valid UTF-8.
	Text string
	// K is how many matches to return, 1..MaxK; 0 means DefaultK.
	K int
	// Filter narrows the search. Label, if set, is LabelWeak or
	// LabelStrong; Dimension, if set, is a rubric dimension or red-flag id.
	Filter
}

// QueryError is a bad search request. It wraps ErrInvalidQuery; Param names
// the offending field ("text", "k", "principle", "dimension", "label",
// "org") and Reason says what is wrong with it, e.g. "must not be empty".
type QueryError struct {
	Param  string
	Reason string
}

func (e *QueryError) Error() string { return "invalid query: " + e.Param + " " + e.Reason }

// Unwrap makes errors.Is(err, ErrInvalidQuery) hold.
func (e *QueryError) Unwrap() error { return ErrInvalidQuery }

func badQuery(param, format string, args ...any) error {
	return &QueryError{Param: param, Reason: fmt.Sprintf(format, args...)}
}

// SyncStats counts what Sync did.
type SyncStats struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Deleted   int `json:"deleted"`
	Unchanged int `json:"unchanged"`
}

// Service keeps a vector store in step with a set of exemplars and answers
// searches over it, for one embedder. It is safe for concurrent use.
type Service struct {
	emb   Embedder
	store VectorStore
	log   *slog.Logger
}

// New returns a service that embeds with emb and stores in store. A nil
// logger discards logs.
func New(emb Embedder, store VectorStore, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Service{emb: emb, store: store, log: log}
}

// Ping reports whether the store is usable.
func (s *Service) Ping(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return fmt.Errorf("retrieval: store: %w", err)
	}
	return nil
}

// ContentHash is the hash Sync stores with an exemplar: hex SHA-256 over
// every field that is embedded or returned, so a change to any of them
// rewrites the item and nothing else does.
func ContentHash(e Exemplar) string {
	h := sha256.New()
	h.Write([]byte("barraiser/retrieval/exemplar/v1\n"))
	// An Exemplar holds only strings, so encoding cannot fail.
	_ = json.NewEncoder(h).Encode(e)
	return hex.EncodeToString(h.Sum(nil))
}

// Sync makes the store hold exactly exemplars for the service's embedder:
// it embeds and upserts the new and changed ones (by ContentHash) in
// batches and deletes the ids it no longer has. A second Sync with the same
// exemplars embeds and writes nothing. Ids must be unique across all
// exemplars (the shared pack and every organisation's), because the store
// keys items by id.
func (s *Service) Sync(ctx context.Context, exemplars []Exemplar) (SyncStats, error) {
	var st SyncStats
	if err := validateExemplars(exemplars); err != nil {
		return st, fmt.Errorf("retrieval: sync: %w", err)
	}
	name := s.emb.Name()
	have, err := s.store.Hashes(ctx, name)
	if err != nil {
		return st, fmt.Errorf("retrieval: sync: read hashes for %s: %w", name, err)
	}

	var todo []Item
	keep := make(map[string]bool, len(exemplars))
	for _, e := range exemplars {
		keep[e.ID] = true
		hash := ContentHash(e)
		old, ok := have[e.ID]
		switch {
		case !ok:
			st.Added++
		case old != hash:
			st.Updated++
		default:
			st.Unchanged++
			continue
		}
		todo = append(todo, Item{Exemplar: e, Hash: hash})
	}

	if err := s.embedAndUpsert(ctx, name, todo); err != nil {
		return st, fmt.Errorf("retrieval: sync: %w", err)
	}

	var gone []string
	for id := range have {
		if !keep[id] {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	if len(gone) > 0 {
		if err := s.store.Delete(ctx, name, gone); err != nil {
			return st, fmt.Errorf("retrieval: sync: delete %d items for %s: %w", len(gone), name, err)
		}
		st.Deleted = len(gone)
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "exemplars synced",
		slog.String("embedder", name),
		slog.Int("added", st.Added), slog.Int("updated", st.Updated),
		slog.Int("deleted", st.Deleted), slog.Int("unchanged", st.Unchanged))
	return st, nil
}

// embed calls the embedder and checks what it returns.
func (s *Service) embed(ctx context.Context, texts []string) ([][]float32, error) {
	vecs, err := s.emb.Embed(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("embed with %s: %w", s.emb.Name(), err)
	}
	if len(vecs) != len(texts) {
		return nil, fmt.Errorf("embed with %s: %d vectors for %d texts", s.emb.Name(), len(vecs), len(texts))
	}
	for i, v := range vecs {
		if len(v) != s.emb.Dimensions() {
			return nil, fmt.Errorf("embed with %s: vector %d has %d dimensions, want %d", s.emb.Name(), i, len(v), s.emb.Dimensions())
		}
	}
	return vecs, nil
}

func validateExemplars(exemplars []Exemplar) error {
	seen := make(map[string]bool, len(exemplars))
	var errs []error
	for i, e := range exemplars {
		switch {
		case e.ID == "":
			errs = append(errs, fmt.Errorf("exemplar %d: empty id", i))
		case seen[e.ID]:
			errs = append(errs, fmt.Errorf("exemplar %d: duplicate id %q", i, e.ID))
		}
		seen[e.ID] = true
		if strings.TrimSpace(e.Text) == "" {
			errs = append(errs, fmt.Errorf("exemplar %q: empty text", e.ID))
		}
		if e.Label != LabelWeak && e.Label != LabelStrong {
			errs = append(errs, fmt.Errorf("exemplar %q: label %q is not %q or %q", e.ID, e.Label, LabelWeak, LabelStrong))
		}
		if !knownDimension(e.Dimension) {
			errs = append(errs, fmt.Errorf("exemplar %q: unknown dimension %q", e.ID, e.Dimension))
		}
	}
	return errors.Join(errs...)
}

// knownDimension reports whether id is a rubric dimension or red-flag id,
// the values Exemplar.Dimension and Filter.Dimension may take.
func knownDimension(id string) bool {
	return slices.Contains(rubric.CoreDimensions, id) ||
		slices.Contains(rubric.AdvancedDimensions, id) ||
		slices.Contains(rubric.RedFlags, id)
}

// Validate checks q and returns it with K defaulted, or an error wrapping
// ErrInvalidQuery (a *QueryError naming the field).
func (q Query) Validate() (Query, error) {
	if !utf8.ValidString(q.Text) {
		return q, badQuery("text", "is not valid UTF-8")
	}
	if len(q.Text) > MaxQueryBytes {
		return q, badQuery("text", "is %d bytes, more than the limit of %d", len(q.Text), MaxQueryBytes)
	}
	if strings.TrimSpace(q.Text) == "" {
		return q, badQuery("text", "must not be empty")
	}
	switch {
	case q.K == 0:
		q.K = DefaultK
	case q.K < 1 || q.K > MaxK:
		return q, badQuery("k", "must be between 1 and %d, got %d", MaxK, q.K)
	}
	for _, f := range []struct{ name, v string }{
		{"principle", q.Principle}, {"dimension", q.Dimension}, {"label", q.Label}, {"org", q.Org},
	} {
		if !utf8.ValidString(f.v) {
			return q, badQuery(f.name, "is not valid UTF-8")
		}
		if len(f.v) > maxFilterBytes {
			return q, badQuery(f.name, "is longer than %d bytes", maxFilterBytes)
		}
	}
	if q.Label != "" && q.Label != LabelWeak && q.Label != LabelStrong {
		return q, badQuery("label", "must be %q or %q, got %q", LabelWeak, LabelStrong, q.Label)
	}
	if q.Dimension != "" && !knownDimension(q.Dimension) {
		return q, badQuery("dimension", "%q is not a rubric dimension or red flag id", q.Dimension)
	}
	return q, nil
}

// Search returns the exemplars nearest to q.Text that pass q.Filter, best
// first; an empty (non-nil) slice when none do. A bad query gives an error
// wrapping ErrInvalidQuery.
func (s *Service) Search(ctx context.Context, q Query) ([]Match, error) {
	q, err := q.Validate()
	if err != nil {
		return nil, err
	}
	vecs, err := s.embed(ctx, []string{q.Text})
	if err != nil {
		return nil, fmt.Errorf("retrieval: search: %w", err)
	}
	ms, err := s.store.Search(ctx, s.emb.Name(), vecs[0], q.K, q.Filter)
	if err != nil {
		return nil, fmt.Errorf("retrieval: search %s: %w", s.emb.Name(), err)
	}
	if ms == nil {
		ms = []Match{}
	}
	return ms, nil
}

// ExemplarsFromPack converts the knowledge pack's exemplars, in pack order.
// They belong to the shared pack (Org "").
func ExemplarsFromPack(p *knowledge.Pack) []Exemplar {
	out := make([]Exemplar, len(p.Exemplars))
	for i, e := range p.Exemplars {
		out[i] = Exemplar{
			ID:        e.ID,
			Principle: e.Principle,
			Dimension: e.Dimension,
			Label:     e.Label,
			Level:     e.Level,
			Text:      e.Text,
			Why:       e.Why,
			Source:    e.Source,
		}
	}
	return out
}

// PutGroup makes the store hold exactly exemplars among the items whose id
// starts with prefix: one organisation's private exemplars of one
// question set, say. It embeds and upserts the new and changed ones and
// deletes the prefix's ids it no longer has, leaving every other item
// alone. Every id must start with prefix.
func (s *Service) PutGroup(ctx context.Context, prefix string, exemplars []Exemplar) error {
	if prefix == "" {
		return fmt.Errorf("retrieval: put group: empty prefix")
	}
	for _, e := range exemplars {
		if !strings.HasPrefix(e.ID, prefix) {
			return fmt.Errorf("retrieval: put group: id %q lacks the prefix %q", e.ID, prefix)
		}
	}
	if err := validateExemplars(exemplars); err != nil {
		return fmt.Errorf("retrieval: put group: %w", err)
	}
	name := s.emb.Name()
	have, err := s.store.Hashes(ctx, name)
	if err != nil {
		return fmt.Errorf("retrieval: put group: read hashes for %s: %w", name, err)
	}
	keep := map[string]bool{}
	var todo []Item
	for _, e := range exemplars {
		keep[e.ID] = true
		hash := ContentHash(e)
		if have[e.ID] != hash {
			todo = append(todo, Item{Exemplar: e, Hash: hash})
		}
	}
	if err := s.embedAndUpsert(ctx, name, todo); err != nil {
		return fmt.Errorf("retrieval: put group: %w", err)
	}
	var gone []string
	for id := range have {
		if strings.HasPrefix(id, prefix) && !keep[id] {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	if len(gone) > 0 {
		if err := s.store.Delete(ctx, name, gone); err != nil {
			return fmt.Errorf("retrieval: put group: delete %d items: %w", len(gone), err)
		}
	}
	return nil
}

// embedAndUpsert embeds todo's texts and stores the items under the
// embedder name, syncBatch at a time.
func (s *Service) embedAndUpsert(ctx context.Context, name string, todo []Item) error {
	for batch := range slices.Chunk(todo, syncBatch) {
		texts := make([]string, len(batch))
		for i, it := range batch {
			texts[i] = it.Text
		}
		vecs, err := s.embed(ctx, texts)
		if err != nil {
			return err
		}
		for i := range batch {
			batch[i].Vector = vecs[i]
		}
		if err := s.store.Upsert(ctx, name, s.emb.Dimensions(), batch); err != nil {
			return fmt.Errorf("upsert %d items for %s: %w", len(batch), name, err)
		}
	}
	return nil
}
