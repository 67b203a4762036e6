package retrieval_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"barraiser/internal/knowledge"
	"barraiser/internal/retrieval"
	"barraiser/internal/store/memory"
)

func pack(t testing.TB) []retrieval.Exemplar {
	t.Helper()
	p, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	return retrieval.ExemplarsFromPack(p)
}

var packEmbedder = sync.OnceValue(func() *retrieval.LocalEmbedder {
	p, err := knowledge.Load()
	if err != nil {
		panic(err)
	}
	return retrieval.NewLocalEmbedder(retrieval.ExemplarsFromPack(p))
})

// countingEmbedder counts the texts it embeds; it can be told to fail or
// to return vectors of the wrong length.
type countingEmbedder struct {
	retrieval.Embedder
	mu       sync.Mutex
	calls    int
	texts    int
	fail     error
	badShape bool
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.mu.Lock()
	c.calls++
	c.texts += len(texts)
	fail, bad := c.fail, c.badShape
	c.mu.Unlock()
	if fail != nil {
		return nil, fail
	}
	vs, err := c.Embedder.Embed(ctx, texts)
	if bad && err == nil {
		vs[0] = vs[0][:10]
	}
	return vs, err
}

// countingStore counts writes.
type countingStore struct {
	retrieval.VectorStore
	upserted, deleted int
}

func (c *countingStore) Upsert(ctx context.Context, emb string, dims int, items []retrieval.Item) error {
	c.upserted += len(items)
	return c.VectorStore.Upsert(ctx, emb, dims, items)
}

func (c *countingStore) Delete(ctx context.Context, emb string, ids []string) error {
	c.deleted += len(ids)
	return c.VectorStore.Delete(ctx, emb, ids)
}

func TestSync(t *testing.T) {
	ctx := t.Context()
	ex := pack(t)
	emb := &countingEmbedder{Embedder: packEmbedder()}
	store := &countingStore{VectorStore: memory.NewVectorStore()}
	svc := retrieval.New(emb, store, nil)

	st, err := svc.Sync(ctx, ex)
	if err != nil {
		t.Fatal(err)
	}
	if st != (retrieval.SyncStats{Added: len(ex)}) {
		t.Fatalf("first sync: %+v", st)
	}
	if emb.texts != len(ex) || store.upserted != len(ex) {
		t.Fatalf("first sync embedded %d and upserted %d, want %d", emb.texts, store.upserted, len(ex))
	}
	if wantCalls := (len(ex) + 63) / 64; emb.calls != wantCalls {
		t.Errorf("first sync made %d embed calls, want %d batches", emb.calls, wantCalls)
	}

	// Same exemplars, in another order: nothing to do.
	emb.calls, emb.texts, store.upserted = 0, 0, 0
	shuffled := slices.Clone(ex)
	slices.Reverse(shuffled)
	st, err = svc.Sync(ctx, shuffled)
	if err != nil {
		t.Fatal(err)
	}
	if st != (retrieval.SyncStats{Unchanged: len(ex)}) || emb.calls != 0 || store.upserted != 0 || store.deleted != 0 {
		t.Fatalf("second sync: %+v, %d embed calls, %d upserts, %d deletes", st, emb.calls, store.upserted, store.deleted)
	}

	// One text edited, one "why" edited (returned, so rewritten), one
	// removed, one added.
	next := slices.Clone(ex)
	next[0].Text += " I checked it again a week later."
	next[1].Why = "A better explanation."
	removed := next[2].ID
	next = slices.Delete(next, 2, 3)
	added := retrieval.Exemplar{ID: "new-one", Dimension: "mechanism", Label: retrieval.LabelStrong, Text: "I added an alert.", Org: "acme"}
	next = append(next, added)
	st, err = svc.Sync(ctx, next)
	if err != nil {
		t.Fatal(err)
	}
	want := retrieval.SyncStats{Added: 1, Updated: 2, Deleted: 1, Unchanged: len(ex) - 3}
	if st != want || emb.texts != 3 || store.upserted != 3 || store.deleted != 1 {
		t.Fatalf("third sync: %+v (want %+v), embedded %d, upserted %d, deleted %d", st, want, emb.texts, store.upserted, store.deleted)
	}
	h, err := store.Hashes(ctx, packEmbedder().Name())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := h[removed]; ok || h[added.ID] != retrieval.ContentHash(added) || h[next[0].ID] != retrieval.ContentHash(next[0]) {
		t.Fatalf("store hashes after the third sync are wrong")
	}
	ms, err := svc.Search(ctx, retrieval.Query{Text: "I added an alert.", K: 1, Filter: retrieval.Filter{Org: "acme"}})
	if err != nil || len(ms) != 1 || ms[0].ID != added.ID {
		t.Fatalf("search for the added exemplar: %+v, %v", ms, err)
	}
}

func TestContentHash(t *testing.T) {
	base := retrieval.Exemplar{ID: "a", Principle: "Ownership", Dimension: "mechanism", Label: "weak", Level: "L5", Text: "t", Why: "w", Source: "pack", Org: ""}
	seen := map[string]string{retrieval.ContentHash(base): "base"}
	for name, change := range map[string]func(*retrieval.Exemplar){
		"id": func(e *retrieval.Exemplar) { e.ID = "b" }, "principle": func(e *retrieval.Exemplar) { e.Principle = "Frugality" },
		"dimension": func(e *retrieval.Exemplar) { e.Dimension = "data_rigor" }, "label": func(e *retrieval.Exemplar) { e.Label = "strong" },
		"level": func(e *retrieval.Exemplar) { e.Level = "L6" }, "text": func(e *retrieval.Exemplar) { e.Text = "u" },
		"why": func(e *retrieval.Exemplar) { e.Why = "x" }, "source": func(e *retrieval.Exemplar) { e.Source = "walkthrough" },
		"org": func(e *retrieval.Exemplar) { e.Org = "acme" },
	} {
		e := base
		change(&e)
		h := retrieval.ContentHash(e)
		if other, dup := seen[h]; dup {
			t.Errorf("changing %s gives the hash of %s", name, other)
		}
		seen[h] = name
	}
	if copied := base; retrieval.ContentHash(copied) != retrieval.ContentHash(base) {
		t.Error("ContentHash is not deterministic")
	}
}

func TestSyncRefusesBadExemplars(t *testing.T) {
	good := retrieval.Exemplar{ID: "a", Dimension: "mechanism", Label: "weak", Text: "text"}
	tests := []struct {
		name string
		ex   []retrieval.Exemplar
		want string
	}{
		{"duplicate id", []retrieval.Exemplar{good, good}, `duplicate id "a"`},
		{"empty id", []retrieval.Exemplar{{Dimension: "mechanism", Label: "weak", Text: "t"}}, "empty id"},
		{"empty text", []retrieval.Exemplar{{ID: "b", Dimension: "mechanism", Label: "weak", Text: " "}}, "empty text"},
		{"bad label", []retrieval.Exemplar{{ID: "b", Dimension: "mechanism", Label: "meh", Text: "t"}}, `label "meh"`},
		{"unknown dimension", []retrieval.Exemplar{{ID: "b", Dimension: "metrics", Label: "weak", Text: "t"}}, `unknown dimension "metrics"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &countingStore{VectorStore: memory.NewVectorStore()}
			_, err := retrieval.New(packEmbedder(), store, nil).Sync(t.Context(), tt.ex)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if store.upserted != 0 {
				t.Fatal("a refused sync wrote to the store")
			}
		})
	}
}

func TestSyncEmbedderFailures(t *testing.T) {
	ex := pack(t)[:5]
	boom := errors.New("boom")
	for name, emb := range map[string]*countingEmbedder{
		"error":        {Embedder: packEmbedder(), fail: boom},
		"wrong length": {Embedder: packEmbedder(), badShape: true},
	} {
		t.Run(name, func(t *testing.T) {
			store := &countingStore{VectorStore: memory.NewVectorStore()}
			_, err := retrieval.New(emb, store, nil).Sync(t.Context(), ex)
			if err == nil || (emb.fail != nil && !errors.Is(err, boom)) {
				t.Fatalf("err = %v", err)
			}
			if store.upserted != 0 {
				t.Fatal("wrote vectors after the embedder failed")
			}
		})
	}
}

func syncedService(t *testing.T) *retrieval.Service {
	t.Helper()
	svc := retrieval.New(packEmbedder(), memory.NewVectorStore(), nil)
	if _, err := svc.Sync(t.Context(), pack(t)); err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestSearchValidation(t *testing.T) {
	svc := syncedService(t)
	long := strings.Repeat("a", retrieval.MaxQueryBytes+1)
	tests := []struct {
		name  string
		q     retrieval.Query
		param string
	}{
		{"empty text", retrieval.Query{Text: ""}, "text"},
		{"whitespace text", retrieval.Query{Text: " \t\n "}, "text"},
		{"text too long", retrieval.Query{Text: long}, "text"},
		{"invalid UTF-8", retrieval.Query{Text: "I \xff fixed it"}, "text"},
		{"negative k", retrieval.Query{Text: "x", K: -1}, "k"},
		{"k over the limit", retrieval.Query{Text: "x", K: retrieval.MaxK + 1}, "k"},
		{"unknown label", retrieval.Query{Text: "x", Filter: retrieval.Filter{Label: "meh"}}, "label"},
		{"label in capitals", retrieval.Query{Text: "x", Filter: retrieval.Filter{Label: "Weak"}}, "label"},
		{"unknown dimension", retrieval.Query{Text: "x", Filter: retrieval.Filter{Dimension: "metrics"}}, "dimension"},
		{"principle not UTF-8", retrieval.Query{Text: "x", Filter: retrieval.Filter{Principle: "\xff"}}, "principle"},
		{"org too long", retrieval.Query{Text: "x", Filter: retrieval.Filter{Org: strings.Repeat("o", 300)}}, "org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Search(t.Context(), tt.q)
			if !errors.Is(err, retrieval.ErrInvalidQuery) {
				t.Fatalf("err = %v, want ErrInvalidQuery", err)
			}
			qe, ok := errors.AsType[*retrieval.QueryError](err)
			if !ok || qe.Param != tt.param || !strings.HasPrefix(err.Error(), "invalid query: "+tt.param+" ") {
				t.Fatalf("err = %v (%#v), want one about %s", err, qe, tt.param)
			}
		})
	}
	// At the limits.
	ok := []retrieval.Query{
		{Text: strings.Repeat("a ", retrieval.MaxQueryBytes/2), K: retrieval.MaxK},
		{Text: "x", K: 1},
		{Text: "x", Filter: retrieval.Filter{Dimension: "manipulation_attempt", Label: retrieval.LabelStrong}},
	}
	for _, q := range ok {
		if _, err := svc.Search(t.Context(), q); err != nil {
			t.Errorf("Search(%.20q, k=%d): %v", q.Text, q.K, err)
		}
	}
}

func TestSearch(t *testing.T) {
	svc := syncedService(t)
	ctx := t.Context()
	text := "I sent the other team a Slack message about the bug and they fixed it a few weeks later."

	ms, err := svc.Search(ctx, retrieval.Query{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != retrieval.DefaultK {
		t.Fatalf("k=0 gave %d results, want DefaultK=%d", len(ms), retrieval.DefaultK)
	}
	if ms[0].Dimension != "routing_not_ownership" || ms[0].Label != retrieval.LabelWeak {
		t.Errorf("nearest to a hand-off is %s (%s/%s)", ms[0].ID, ms[0].Dimension, ms[0].Label)
	}
	for i := 1; i < len(ms); i++ {
		if ms[i].Score > ms[i-1].Score {
			t.Fatalf("not best first: %v", ms)
		}
	}

	ms, err = svc.Search(ctx, retrieval.Query{Text: text, K: 50, Filter: retrieval.Filter{Dimension: "mechanism", Label: retrieval.LabelStrong}})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(mustPack(t).ExemplarsFor("mechanism", retrieval.LabelStrong)); len(ms) != want {
		t.Fatalf("k=50 with a filter gave %d results, want all %d mechanism/strong exemplars", len(ms), want)
	}
	for _, m := range ms {
		if m.Dimension != "mechanism" || m.Label != retrieval.LabelStrong {
			t.Fatalf("filter let through %s/%s", m.Dimension, m.Label)
		}
	}

	// No match is an empty slice, not nil.
	ms, err = svc.Search(ctx, retrieval.Query{Text: text, Filter: retrieval.Filter{Principle: "No Such Principle"}})
	if err != nil || ms == nil || len(ms) != 0 {
		t.Fatalf("search with no match = %#v, %v", ms, err)
	}
}

func mustPack(t *testing.T) *knowledge.Pack {
	t.Helper()
	p, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSearchFailures(t *testing.T) {
	boom := errors.New("store down")
	svc := retrieval.New(packEmbedder(), failingStore{boom}, nil)
	_, err := svc.Search(t.Context(), retrieval.Query{Text: "x"})
	if !errors.Is(err, boom) || errors.Is(err, retrieval.ErrInvalidQuery) {
		t.Fatalf("err = %v", err)
	}
	if err := svc.Ping(t.Context()); !errors.Is(err, boom) {
		t.Fatalf("Ping = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = syncedService(t).Search(ctx, retrieval.Query{Text: "x"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled search: %v", err)
	}
}

type failingStore struct{ err error }

func (f failingStore) Hashes(context.Context, string) (map[string]string, error) { return nil, f.err }
func (f failingStore) Upsert(context.Context, string, int, []retrieval.Item) error {
	return f.err
}
func (f failingStore) Delete(context.Context, string, []string) error { return f.err }
func (f failingStore) Search(context.Context, string, []float32, int, retrieval.Filter) ([]retrieval.Match, error) {
	return nil, f.err
}
func (f failingStore) Ping(context.Context) error { return f.err }

func TestExemplarsFromPack(t *testing.T) {
	p := mustPack(t)
	ex := retrieval.ExemplarsFromPack(p)
	if len(ex) != len(p.Exemplars) {
		t.Fatalf("%d exemplars from a pack of %d", len(ex), len(p.Exemplars))
	}
	for i, e := range ex {
		k := p.Exemplars[i]
		got := fmt.Sprint(e.ID, e.Principle, e.Dimension, e.Label, e.Level, e.Text, e.Why, e.Source, e.Org)
		want := fmt.Sprint(k.ID, k.Principle, k.Dimension, k.Label, k.Level, k.Text, k.Why, k.Source, "")
		if got != want {
			t.Fatalf("exemplar %d: %+v from %+v", i, e, k)
		}
	}
}
