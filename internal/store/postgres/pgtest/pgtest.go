// Package pgtest gives tests their own PostgreSQL database: created fresh
// on the server named by BARRAISER_TEST_DATABASE_URL (or DATABASE_URL),
// migrated, and dropped afterwards. scripts/postgres.sh prints a suitable
// URL and scripts/test.sh exports it.
//
// One database per test package:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		url := pgtest.URL(t) // the package's database
//		…
//	}
//
// or one per test, dropped in t.Cleanup: pgtest.NewDatabase(t).
//
// Without a URL the tests that ask for one are skipped, except under
// CI=true, where they fail: store tests must run in CI.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"barraiser/internal/store/postgres"
)

// EnvURL names the variable holding the URL of a role that may create
// databases; DATABASE_URL is the fallback.
const EnvURL = "BARRAISER_TEST_DATABASE_URL"

// setupTimeout bounds creating, migrating or dropping one database.
const setupTimeout = time.Minute

const notConfigured = "no test database: set " + EnvURL + " (or DATABASE_URL) to a PostgreSQL URL whose role may " +
	"create databases, e.g. export " + EnvURL + "=$(scripts/postgres.sh); store tests must run in CI; run scripts/postgres.sh"

// AdminURL is the URL tests create their databases through, or "".
func AdminURL() string {
	if u := os.Getenv(EnvURL); u != "" {
		return u
	}
	return os.Getenv("DATABASE_URL")
}

// packageURL is the database Main made for this test binary.
var packageURL string

// mainRan records that Main is running the tests.
var mainRan bool

// Main runs the package's tests against a fresh, migrated database made
// for them, drops it, and exits. Call it from TestMain. Without a
// configured server the tests still run; those that call URL skip (or fail
// under CI=true).
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	mainRan = true
	admin := AdminURL()
	if admin == "" {
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	dbURL, drop, err := create(ctx, admin, true)
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		return 1
	}
	packageURL = dbURL
	code := m.Run()
	ctx, cancel = context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if err := drop(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// URL returns the URL of the package's database made by Main.
func URL(t testing.TB) string {
	t.Helper()
	requireServer(t)
	if !mainRan {
		t.Fatal("pgtest.URL needs TestMain to call pgtest.Main(m); or use pgtest.NewDatabase(t)")
	}
	return packageURL
}

// NewDatabase creates a fresh, migrated database for t and returns its
// URL; it is dropped when t ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	return newDatabase(t, true)
}

// NewEmptyDatabase is NewDatabase without the migrations: an empty
// database, for tests of the migrations themselves.
func NewEmptyDatabase(t testing.TB) string {
	t.Helper()
	return newDatabase(t, false)
}

func newDatabase(t testing.TB, migrate bool) string {
	t.Helper()
	admin := requireServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	dbURL, drop, err := create(ctx, admin, migrate)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		if err := drop(ctx); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return dbURL
}

// requireServer returns the admin URL, or skips t (fails it under CI).
func requireServer(t testing.TB) string {
	t.Helper()
	admin := AdminURL()
	if admin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(notConfigured)
		}
		t.Skip(notConfigured)
	}
	return admin
}

// Exec runs one statement through the admin URL, for tests that need a
// superuser (terminating connections, creating roles).
func Exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	admin := requireServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("pgtest: %s: %v", sql, err)
	}
}

// DatabaseName is the database a URL names.
func DatabaseName(t testing.TB, dbURL string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return cfg.Database
}

// create makes a uniquely named database and returns its URL and a
// function that drops it.
func create(ctx context.Context, admin string, migrate bool) (string, func(context.Context) error, error) {
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		return "", nil, fmt.Errorf("parse %s: %w", EnvURL, err)
	}
	name := databaseName()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return "", nil, fmt.Errorf("connect to %s:%d as %s: %w (is the server running? scripts/postgres.sh starts it)",
			cfg.Host, cfg.Port, cfg.User, err)
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return "", nil, fmt.Errorf("create database %s: %w (the role needs CREATEDB; scripts/postgres.sh sets that up)", name, err)
	}
	drop := func(ctx context.Context) error {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		defer conn.Close(ctx)
		// FORCE terminates connections a test left open.
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		return nil
	}
	dbURL := withDatabase(admin, name)
	if migrate {
		if _, err := postgres.Migrate(ctx, dbURL); err != nil {
			_ = drop(context.WithoutCancel(ctx))
			return "", nil, fmt.Errorf("migrate database %s: %w", name, err)
		}
	}
	return dbURL, drop, nil
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9]+`)

// databaseName is barraiser_test_<package>_<random>, short enough for
// PostgreSQL's 63-byte identifiers.
func databaseName() string {
	pkg := "pkg"
	if wd, err := os.Getwd(); err == nil {
		pkg = unsafeChars.ReplaceAllString(strings.ToLower(filepath.Base(wd)), "_")
	}
	if len(pkg) > 24 {
		pkg = pkg[:24]
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "barraiser_test_" + strings.Trim(pkg, "_") + "_" + hex.EncodeToString(b[:])
}

// withDatabase replaces the database in a URL (postgres://… or key=value).
func withDatabase(dsn, name string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		u.RawPath = ""
		return u.String()
	}
	return dsn + " dbname=" + name // key=value: the last setting wins
}
