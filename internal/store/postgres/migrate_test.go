package postgres_test

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"barraiser/internal/store/postgres"
	"barraiser/internal/store/postgres/pgtest"
)

func TestMigrateTwiceIsNoOp(t *testing.T) {
	t.Parallel()
	url := pgtest.NewEmptyDatabase(t)
	ctx := t.Context()

	first, err := postgres.Migrate(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first.Applied, []string{"0001_exemplars.sql", "0002_sessions.sql", "0003_recruiting.sql"}) || first.Version != 3 {
		t.Errorf("first run: %+v", first)
	}
	second, err := postgres.Migrate(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Applied) != 0 || second.Version != 3 {
		t.Errorf("second run: %+v, want nothing applied at version 3", second)
	}

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var ext string
	if err := conn.QueryRow(ctx, "SELECT extversion FROM pg_extension WHERE extname = 'vector'").Scan(&ext); err != nil {
		t.Fatalf("extension vector: %v", err)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM exemplar_vectors").Scan(&n); err != nil {
		t.Fatalf("table: %v", err)
	}
	t.Logf("vector %s", ext)
}

// TestMigrateConcurrently: processes starting together on one fresh
// database wait for each other; the migration runs once.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	url := pgtest.NewEmptyDatabase(t)
	var wg sync.WaitGroup
	reports := make([]postgres.MigrationReport, 4)
	errs := make([]error, 4)
	for i := range reports {
		wg.Go(func() { reports[i], errs[i] = postgres.Migrate(t.Context(), url) })
	}
	wg.Wait()
	applied := 0
	for i := range reports {
		if errs[i] != nil {
			t.Errorf("migration %d: %v", i, errs[i])
		}
		applied += len(reports[i].Applied)
		if reports[i].Version != 3 {
			t.Errorf("migration %d ended at version %d", i, reports[i].Version)
		}
	}
	if applied != 3 {
		t.Errorf("%d migrations applied in all, want 3", applied)
	}
}

// TestMissingExtensionCannotBeCreated: a role that may create tables but
// not the (untrusted) vector extension, in a database where it has not
// been created. This is what a managed server where pgvector was never
// enabled looks like; Open must say what is missing and how to fix it.
func TestMissingExtensionCannotBeCreated(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	var b [4]byte
	_, _ = rand.Read(b[:])
	role := "barraiser_test_nosuper_" + hex.EncodeToString(b[:])
	ident := pgx.Identifier{role}.Sanitize()
	pgtest.Exec(t, "CREATE ROLE "+ident+" LOGIN NOSUPERUSER PASSWORD 'pw'")
	// Registered before the database exists, so it runs after the database
	// (owned by the role) is dropped.
	t.Cleanup(func() { pgtest.Exec(t, "DROP ROLE IF EXISTS "+ident) })
	admin := pgtest.NewEmptyDatabase(t)
	db := pgtest.DatabaseName(t, admin)
	pgtest.Exec(t, "ALTER DATABASE "+pgx.Identifier{db}.Sanitize()+" OWNER TO "+ident)

	u, err := url.Parse(admin)
	if err != nil {
		t.Skipf("test database URL is not a URL: %v", err)
	}
	u.User = url.UserPassword(role, "pw")
	_, err = postgres.Open(ctx, u.String(), nil)
	if !errors.Is(err, postgres.ErrVectorUnavailable) {
		t.Fatalf("Open as %s: %v, want ErrVectorUnavailable", role, err)
	}
	for _, want := range []string{
		"pgvector extension is not available", db, role, "may not create it", "superuser",
		"CREATE EXTENSION vector", "scripts/postgres.sh", "pgvector/pgvector", "docker compose",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	t.Logf("%v", err)

	// Once a superuser has created it, the same role migrates and opens.
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE EXTENSION vector"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	s, err := postgres.Open(ctx, u.String(), nil)
	if err != nil {
		t.Fatalf("Open after CREATE EXTENSION: %v", err)
	}
	s.Close()
}

// TestMissingExtensionFilesMessage: a server without pgvector's files at
// all cannot be made on the shared test cluster (they are installed
// server-wide), so this checks the error Migrate returns in that case,
// which it chooses when pg_available_extensions has no "vector" (checked
// against the real server in TestMigrateTwiceIsNoOp's successful run).
func TestMissingExtensionFilesMessage(t *testing.T) {
	err := postgres.NotAvailableError()
	if !errors.Is(err, postgres.ErrVectorUnavailable) {
		t.Fatalf("%v does not wrap ErrVectorUnavailable", err)
	}
	for _, want := range []string{"no pgvector files", "pg_available_extensions", "scripts/postgres.sh", "pgvector/pgvector", "docker compose up -d db"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

func TestOpenUnreachable(t *testing.T) {
	t.Parallel()
	// Port 1 on loopback: nothing listens there.
	_, err := postgres.Open(t.Context(), "postgres://u:p@127.0.0.1:1/db?sslmode=disable&connect_timeout=5", nil)
	if err == nil || !strings.Contains(err.Error(), "connect") {
		t.Errorf("Open of a closed port: %v", err)
	}
	if err != nil && strings.Contains(err.Error(), ":p@") {
		t.Errorf("error shows the password: %v", err)
	}
	if _, err := postgres.Open(t.Context(), "::not a url::", nil); err == nil {
		t.Error("Open accepted a malformed URL")
	}
}

// TestPoolSettingsInURL: pgxpool's settings may ride in the URL; the
// migrations' connection must not pass them to the server.
func TestPoolSettingsInURL(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Skipf("test database URL is not a URL: %v", err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "2")
	u.RawQuery = q.Encode()
	s, err := postgres.Open(t.Context(), u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.Pool().Config().MaxConns; got != 2 {
		t.Errorf("MaxConns = %d, want 2", got)
	}
}
