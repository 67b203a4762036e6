package memory_test

import (
	"context"
	"math"
	"testing"

	"barraiser/internal/knowledge"
	"barraiser/internal/retrieval"
	"barraiser/internal/retrieval/retrievaltest"
	"barraiser/internal/store/memory"
)

func TestVectorStoreSuite(t *testing.T) {
	retrievaltest.RunStoreSuite(t, func(*testing.T) retrieval.VectorStore { return memory.NewVectorStore() })
}

func TestVectorStoreSuiteSharedStore(t *testing.T) {
	// The suite promises that one store may serve every subtest.
	s := memory.NewVectorStore()
	retrievaltest.RunStoreSuite(t, func(*testing.T) retrieval.VectorStore { return s })
}

func TestVectorStoreRefuses(t *testing.T) {
	ctx := t.Context()
	s := memory.NewVectorStore()
	vec := func(n int, fill float32) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = fill
		}
		return v
	}
	it := func(id string, v []float32) retrieval.Item {
		return retrieval.Item{Exemplar: retrieval.Exemplar{ID: id}, Vector: v}
	}
	if err := s.Upsert(ctx, "e", 4, []retrieval.Item{it("a", vec(4, 1))}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
	}{
		{"other dimensions for the same embedder", s.Upsert(ctx, "e", 3, []retrieval.Item{it("b", vec(3, 1))})},
		{"NaN", s.Upsert(ctx, "e", 4, []retrieval.Item{it("b", []float32{1, float32(math.NaN()), 0, 0})})},
		{"infinity", s.Upsert(ctx, "e", 4, []retrieval.Item{it("b", []float32{float32(math.Inf(1)), 0, 0, 0})})},
		{"empty id", s.Upsert(ctx, "e", 4, []retrieval.Item{it("", vec(4, 1))})},
		{"empty embedder", s.Upsert(ctx, "", 4, []retrieval.Item{it("b", vec(4, 1))})},
		{"zero dims", s.Upsert(ctx, "f", 0, nil)},
		{"k = 0", func() error { _, err := s.Search(ctx, "e", vec(4, 1), 0, retrieval.Filter{}); return err }()},
		{"query of other dimensions", func() error { _, err := s.Search(ctx, "e", vec(3, 1), 1, retrieval.Filter{}); return err }()},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	// A failed Upsert stores nothing.
	if h, _ := s.Hashes(ctx, "e"); len(h) != 1 {
		t.Errorf("hashes after refused upserts = %v", h)
	}
	// Once an embedder's items are all deleted it may come back with other
	// dimensions.
	if err := s.Delete(ctx, "e", []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Upsert(ctx, "e", 3, []retrieval.Item{it("b", vec(3, 1))}); err != nil {
		t.Errorf("upsert with new dimensions after deleting everything: %v", err)
	}
}

func TestVectorStoreCopiesVectors(t *testing.T) {
	ctx := t.Context()
	s := memory.NewVectorStore()
	v := []float32{1, 0, 0}
	if err := s.Upsert(ctx, "e", 3, []retrieval.Item{{Exemplar: retrieval.Exemplar{ID: "a"}, Vector: v}}); err != nil {
		t.Fatal(err)
	}
	v[0], v[1] = 0, 1 // the caller reuses its slice
	ms, err := s.Search(ctx, "e", []float32{1, 0, 0}, 1, retrieval.Filter{})
	if err != nil || len(ms) != 1 || math.Abs(ms[0].Score-1) > 1e-6 {
		t.Fatalf("store kept the caller's slice: %+v, %v", ms, err)
	}
}

// BenchmarkSearchPack searches the shipped pack (about 230 exemplars,
// embedded by the local embedder) for the top 5, unfiltered and filtered.
func BenchmarkSearchPack(b *testing.B) {
	ctx := context.Background()
	pack, err := knowledge.Load()
	if err != nil {
		b.Fatal(err)
	}
	exemplars := retrieval.ExemplarsFromPack(pack)
	emb := retrieval.NewLocalEmbedder(exemplars)
	s := memory.NewVectorStore()
	if _, err := retrieval.New(emb, s, nil).Sync(ctx, exemplars); err != nil {
		b.Fatal(err)
	}
	qs, err := emb.Embed(ctx, []string{"I sent the platform team a Slack message and they fixed it a couple of weeks later."})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		f    retrieval.Filter
	}{
		{"all", retrieval.Filter{}},
		{"dimension", retrieval.Filter{Dimension: "routing_not_ownership"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Search(ctx, emb.Name(), qs[0], retrieval.DefaultK, bc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
