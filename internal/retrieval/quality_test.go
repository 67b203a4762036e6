package retrieval_test

import (
	"testing"

	"barraiser/internal/retrieval/retrievaltest"
	"barraiser/internal/store/memory"
)

// TestQuality: the local embedder over the shipped pack finds an exemplar
// of the right dimension and label among the top 3 for at least 90% of
// the held-out snippets in retrievaltest/testdata/quality.json.
func TestQuality(t *testing.T) {
	retrievaltest.RunQualityCheck(t, memory.NewVectorStore(), retrievaltest.DefaultMinRecall)
}
