package postgres_test

import (
	"testing"

	"barraiser/internal/retrieval"
	"barraiser/internal/retrieval/retrievaltest"
)

// TestVectorStoreSuite runs the behavioural suite every retrieval.VectorStore
// passes (the memory store runs the same one) against PostgreSQL.
func TestVectorStoreSuite(t *testing.T) {
	s, _ := open(t, "")
	retrievaltest.RunStoreSuite(t, func(*testing.T) retrieval.VectorStore { return s })
}
