package postgres_test

import (
	"testing"

	"barraiser/internal/recruiting"
	"barraiser/internal/store/storetest"
)

// TestRecruitingStore runs the recruiting store suite against PostgreSQL.
func TestRecruitingStore(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	storetest.RecruitingStoreSuite(t, func(*testing.T) (recruiting.Store, storetest.Sessions) { return s, s })
}
