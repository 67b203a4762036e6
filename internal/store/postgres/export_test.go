package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"

	"barraiser/internal/retrieval"
)

// Internals for the tests in package postgres_test.

var (
	QuoteLiteral   = quoteLiteral
	CreateIndexSQL = createIndexSQL
	ConnectionLost = connectionLost
)

// NotAvailableError is the error for a server without pgvector's files.
func NotAvailableError() error {
	return vectorState{database: "db", role: "role"}.notAvailableError()
}

// Pool exposes the connection pool.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// UpsertCount is Upsert returning how many rows it wrote.
func (s *Store) UpsertCount(ctx context.Context, embedder string, dims int, items []retrieval.Item) (int64, error) {
	return s.upsert(ctx, embedder, dims, items, true)
}

// RankExactly reports whether Search ranks f's rows exactly.
func (s *Store) RankExactly(ctx context.Context, embedder string, dims int, f retrieval.Filter) (bool, error) {
	return s.rankExactly(ctx, searchQuery{embedder: embedder, dims: dims, k: 10, f: f})
}

// SearchPlan is one search statement run with the store's search settings
// plus extra (SET LOCAL name = value, in order): its matches, without the
// exact fallback, and its EXPLAIN.
type SearchPlan struct {
	Matches []retrieval.Match
	Plan    string
}

func (s *Store) RunSearchStatement(ctx context.Context, embedder string, vec []float32, k int, f retrieval.Filter,
	exact bool, extra ...[2]string) (SearchPlan, error) {
	q := searchQuery{embedder: embedder, vec: pgvector.NewVector(vec), dims: len(vec), k: k, f: f}
	var out SearchPlan
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		settings, args := s.searchSettings(k)
		if _, err := tx.Exec(ctx, settings, args...); err != nil {
			return err
		}
		for _, kv := range extra {
			if _, err := tx.Exec(ctx, "SELECT set_config($1, $2, true)", kv[0], kv[1]); err != nil {
				return err
			}
		}
		sql, args := q.sql(exact)
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		if out.Matches, err = q.collect(rows); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, "EXPLAIN "+sql, args...)
		if err != nil {
			return err
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		out.Plan = strings.Join(lines, "\n")
		return err
	})
	return out, err
}
