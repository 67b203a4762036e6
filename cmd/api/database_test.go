package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"barraiser/internal/store/postgres"
	"barraiser/internal/store/postgres/pgtest"
)

// TestMain gives the package a fresh database when
// BARRAISER_TEST_DATABASE_URL is set; the tests that need it skip (or fail
// under CI=true) otherwise.
func TestMain(m *testing.M) { pgtest.Main(m) }

func TestDatabaseCommandLine(t *testing.T) {
	closed := "postgres://u:secret@127.0.0.1:1/db?sslmode=disable&connect_timeout=5"
	tests := []struct {
		name               string
		vars               map[string]string
		args               []string
		wantCode           int
		wantStdout, wantIn string // substrings of stdout and stderr
	}{
		{name: "migrate -h", args: []string{"migrate", "-h"}, wantStdout: "-database"},
		{name: "vectorbench -h", args: []string{"vectorbench", "-h"}, wantStdout: "-ef-search"},
		{name: "serve -h", args: []string{"serve", "-h"}, wantStdout: "env DATABASE_URL"},
		{name: "help lists migrate", args: []string{"help"}, wantStdout: "migrate"},
		{name: "migrate without database", args: []string{"migrate"}, wantCode: 2, wantIn: "no database: set DATABASE_URL or pass -database"},
		{name: "vectorbench without database", args: []string{"vectorbench"}, wantCode: 2, wantIn: "no database"},
		{name: "migrate argument", args: []string{"migrate", "extra"}, wantCode: 2, wantIn: "expected 0 argument"},
		{name: "vectorbench bad n", vars: map[string]string{"DATABASE_URL": closed}, args: []string{"vectorbench", "-n", "0"}, wantCode: 2, wantIn: "at least 1"},
		{name: "vectorbench bad ef", vars: map[string]string{"DATABASE_URL": closed}, args: []string{"vectorbench", "-ef-search", "0"}, wantCode: 2, wantIn: "-ef-search"},
		{name: "migrate unreachable", vars: map[string]string{"DATABASE_URL": closed}, args: []string{"migrate"}, wantCode: 1, wantIn: "api migrate: postgres: connect"},
		{name: "flag beats env", vars: map[string]string{"DATABASE_URL": "postgres://nowhere.invalid/x"}, args: []string{"migrate", "-database", closed}, wantCode: 1, wantIn: "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			code := run(t.Context(), tt.args, env(tt.vars), strings.NewReader(""), &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tt.wantStdout)
			}
			if !strings.Contains(stderr.String(), tt.wantIn) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.wantIn)
			}
			if strings.Contains(stderr.String(), "secret") {
				t.Errorf("stderr shows the password: %q", stderr.String())
			}
		})
	}
}

func TestMigrateCommand(t *testing.T) {
	url := pgtest.NewEmptyDatabase(t)
	var out, errOut strings.Builder
	if code := run(t.Context(), []string{"migrate"}, env(map[string]string{"DATABASE_URL": url}), strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if want := "applied 0001_exemplars.sql\napplied 0002_sessions.sql\napplied 0003_recruiting.sql\nschema version 3\n"; out.String() != want {
		t.Errorf("first run printed %q, want %q", out.String(), want)
	}
	out.Reset()
	if code := run(t.Context(), []string{"migrate", "-database", url}, env(nil), strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if want := "schema version 3: up to date\n"; out.String() != want {
		t.Errorf("second run printed %q, want %q", out.String(), want)
	}
}

var benchLine = regexp.MustCompile(`(?m)^(unfiltered|filtered): +p50=\S+ p95=\S+ p99=\S+ recall@5=([0-9.]+)`)

func TestVectorbench(t *testing.T) {
	url := pgtest.URL(t)
	var out, errOut strings.Builder
	args := []string{"vectorbench", "-n", "3000", "-q", "30", "-k", "5", "-clusters", "30", "-log-level", "warn"}
	if code := run(t.Context(), args, env(map[string]string{"DATABASE_URL": url}), strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut.String(), out.String())
	}
	t.Logf("\n%s", out.String())
	for _, want := range []string{"vectorbench: 3000 vectors x 384 dims around 30 centroids", "\nload: ", "\nindex build: ", "HNSW m=16", "\ntargets (unfiltered): p99 <= 10ms "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	lines := benchLine.FindAllStringSubmatch(out.String(), -1)
	if len(lines) != 2 {
		t.Fatalf("want an unfiltered and a filtered line, got %q", lines)
	}
	for _, l := range lines {
		recall, err := strconv.ParseFloat(l[2], 64)
		if err != nil || recall < 0.8 || recall > 1 {
			t.Errorf("%s recall %q", l[1], l[2])
		}
	}

	// Nothing is left behind: no rows, no index.
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(t.Context()))
	var rows int
	var index *string
	if err := conn.QueryRow(t.Context(), "SELECT count(*), to_regclass($2)::text FROM exemplar_vectors WHERE embedder = $1",
		vectorbenchEmbedder, postgres.IndexName(vectorbenchEmbedder)).Scan(&rows, &index); err != nil {
		t.Fatal(err)
	}
	if rows != 0 || index != nil {
		t.Errorf("left %d rows and index %v", rows, index)
	}
}

// TestServeWithDatabase: serve with DATABASE_URL migrates the database,
// reports it in /readyz, answers 503 while the database refuses
// connections and 200 again once it is back.
func TestServeWithDatabase(t *testing.T) {
	url := pgtest.NewEmptyDatabase(t) // serve runs the migrations itself
	db := pgtest.DatabaseName(t, url)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	base, exited, logs := startServe(t, ctx, map[string]string{"DATABASE_URL": url}, "-addr", "127.0.0.1:0")
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	ready := func() (int, map[string]string) {
		t.Helper()
		resp, err := client.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var r struct{ Checks map[string]string }
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatalf("/readyz: %v: %s", err, body)
		}
		return resp.StatusCode, r.Checks
	}
	if code, checks := ready(); code != http.StatusOK || checks["database"] != "ok" {
		t.Errorf("/readyz = %d %v", code, checks)
	}

	ident := pgx.Identifier{db}.Sanitize()
	pgtest.Exec(t, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS false")
	t.Cleanup(func() { pgtest.Exec(t, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS true") })
	pgtest.Exec(t, "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = $1", db)
	if code, checks := ready(); code != http.StatusServiceUnavailable || !strings.Contains(checks["database"], "not currently accepting connections") {
		t.Errorf("/readyz with the database down = %d %v", code, checks)
	}
	pgtest.Exec(t, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS true")
	if code, checks := ready(); code != http.StatusOK || checks["database"] != "ok" {
		t.Errorf("/readyz after the database came back = %d %v", code, checks)
	}

	cancel()
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("serve exited with %d:\n%s", code, logs())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10s of cancel")
	}
	out := logs()
	for _, want := range []string{"migration=0001_exemplars.sql", "vector store: postgres"} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "barraiser:barraiser@") {
		t.Errorf("logs show the database password:\n%s", out)
	}
}

func TestServeUnreachableDatabase(t *testing.T) {
	var stderr strings.Builder
	code := run(t.Context(), []string{"serve", "-addr", "127.0.0.1:0", "-database", "postgres://u:secret@127.0.0.1:1/db?connect_timeout=5"},
		env(nil), strings.NewReader(""), io.Discard, &stderr)
	if code != exitFailure || !strings.Contains(stderr.String(), "database: postgres: connect") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if strings.Contains(stderr.String(), "secret") {
		t.Errorf("stderr shows the password: %q", stderr.String())
	}
}
