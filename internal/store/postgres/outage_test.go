package postgres_test

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"barraiser/internal/retrieval"
	"barraiser/internal/store/postgres/pgtest"
)

// TestDatabaseGoesAwayAndComesBack simulates an outage without stopping
// the shared server, in the test's own database:
//
//  1. every backend serving the store is terminated (pg_terminate_backend,
//     what a server restart or failover does to a pool): the next Ping and
//     Search succeed, because the store notices the lost connection,
//     resets the pool and retries once on a fresh connection;
//  2. the database then refuses connections (ALLOW_CONNECTIONS false) and
//     its backends are terminated again: Ping and Search fail, so /readyz
//     reports the database down;
//  3. connections are allowed again: Ping and Search succeed with no
//     action from the caller.
//
// pg_terminate_backend's timeout argument makes it wait until the
// backends have exited, so nothing here sleeps.
func TestDatabaseGoesAwayAndComesBack(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	db := pgtest.DatabaseName(t, url)
	s, logs := open(t, url)
	ctx := t.Context()
	emb := embedderName(t, "2")
	if err := s.Upsert(ctx, emb, 2, []retrieval.Item{item("a", []float32{1, 0}), item("b", []float32{0, 1})}); err != nil {
		t.Fatal(err)
	}
	// Several pooled connections, all to be killed.
	conns := make([]interface{ Release() }, 0, 3)
	for range 3 {
		c, err := s.Pool().Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Release()
	}
	terminate := func() int {
		t.Helper()
		admin, err := pgx.Connect(ctx, pgtest.AdminURL())
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close(ctx)
		var n int
		if err := admin.QueryRow(ctx, `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000))
			FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, db).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	search := func() error {
		got, err := s.Search(ctx, emb, []float32{1, 0.1}, 1, retrieval.Filter{})
		if err == nil && (len(got) != 1 || got[0].ID != "a") {
			t.Errorf("search = %v", got)
		}
		return err
	}

	if n := terminate(); n < 3 {
		t.Fatalf("terminated %d backends, want the pool's 3", n)
	}
	if err := search(); err != nil {
		t.Errorf("search after the connections were terminated: %v", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("ping after the connections were terminated: %v", err)
	}
	if !strings.Contains(logs.String(), "database connection lost; reconnecting") {
		t.Errorf("the reconnection was not logged:\n%s", logs)
	}

	ident := pgx.Identifier{db}.Sanitize()
	pgtest.Exec(t, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS false")
	t.Cleanup(func() { pgtest.Exec(t, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS true") })
	terminate()
	if err := s.Ping(ctx); err == nil {
		t.Error("ping succeeded while the database refuses connections")
	} else {
		t.Logf("ping while down: %v", err)
	}
	if err := search(); err == nil {
		t.Error("search succeeded while the database refuses connections")
	}

	pgtest.Exec(t, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS true")
	if err := s.Ping(ctx); err != nil {
		t.Errorf("ping after the database came back: %v", err)
	}
	if err := search(); err != nil {
		t.Errorf("search after the database came back: %v", err)
	}
}
