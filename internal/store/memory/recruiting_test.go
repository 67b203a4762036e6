package memory_test

import (
	"testing"

	"barraiser/internal/recruiting"
	"barraiser/internal/store/memory"
	"barraiser/internal/store/storetest"
)

// TestRecruiting holds the in-memory recruiting store to the contract the
// PostgreSQL store is held to.
func TestRecruiting(t *testing.T) {
	storetest.RecruitingStoreSuite(t, func(*testing.T) (recruiting.Store, storetest.Sessions) {
		return memory.NewRecruiting(), memory.NewSessions()
	})
}
