package memory_test

import (
	"testing"

	"barraiser/internal/interview"
	"barraiser/internal/store/memory"
	"barraiser/internal/store/storetest"
)

// TestSessions holds the in-memory store to the contract the PostgreSQL
// store is held to.
func TestSessions(t *testing.T) {
	storetest.SessionStoreSuite(t, func(*testing.T) interview.Store { return memory.NewSessions() })
}
