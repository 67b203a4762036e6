package postgres_test

import (
	"testing"

	"barraiser/internal/knowledge"
	"barraiser/internal/retrieval"
	"barraiser/internal/retrieval/retrievaltest"
	"barraiser/internal/store/memory"
)

// TestQuality: the shipped knowledge pack, embedded by the local embedder
// and searched through PostgreSQL, finds the labelled snippets' exemplars
// as well as exact search in memory does, and at least as well as the
// local embedder promises (retrievaltest.DefaultMinRecall) whenever exact
// search reaches that.
func TestQuality(t *testing.T) {
	t.Parallel()
	exact := exactRecall(t)
	minRecall := min(exact, retrievaltest.DefaultMinRecall)
	t.Logf("exact search in memory: recall@%d = %.3f; requiring %.3f", retrievaltest.QualityK, exact, minRecall)
	s, _ := open(t, "")
	retrievaltest.RunQualityCheck(t, s, minRecall)
}

// exactRecall is the quality check's recall with the in-memory store,
// which ranks exactly.
func exactRecall(t *testing.T) float64 {
	t.Helper()
	pack, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	exemplars := retrieval.ExemplarsFromPack(pack)
	svc := retrieval.New(retrieval.NewLocalEmbedder(exemplars), memory.NewVectorStore(), nil)
	if _, err := svc.Sync(t.Context(), exemplars); err != nil {
		t.Fatal(err)
	}
	snippets, err := retrievaltest.Snippets()
	if err != nil {
		t.Fatal(err)
	}
	r, err := retrievaltest.MeasureQuality(t.Context(), svc, snippets)
	if err != nil {
		t.Fatal(err)
	}
	return r.Recall()
}
