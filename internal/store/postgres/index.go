package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The HNSW index of one embedder.
//
// HNSW (hierarchical navigable small world) is a layered proximity graph:
// a search enters at the sparse top layer and walks greedily towards the
// query, layer by layer, keeping the ef_search best candidates it has seen
// at the bottom. pgvector's index needs a fixed dimension, while
// exemplar_vectors.embedding has none (embedders differ), so each embedder
// gets a partial expression index over its own rows:
//
//	CREATE INDEX exemplar_vectors_hnsw_<first 8 bytes of sha256(embedder), hex>
//	    ON exemplar_vectors USING hnsw ((embedding::vector(N)) vector_cosine_ops)
//	    WITH (m = 16, ef_construction = 64)
//	    WHERE embedder = '<embedder>'
//
// and searches order by the same expression, embedding::vector(N) <=> $1,
// under the same predicate, which is what lets the planner use it.
//
//   - vector_cosine_ops: the index answers <=>, cosine distance (1 - cosine
//     similarity), which ignores vector length. Zero vectors have no
//     direction and are not indexed; the store refuses them.
//   - m = 16: the most neighbours a node keeps per layer (2m = 32 on the
//     bottom layer). More neighbours give better recall, especially in
//     high dimensions, for a bigger index and a slower build. 16 is
//     pgvector's default and the usual choice for 256–1,536 dimensions.
//   - ef_construction = 64: the candidate list kept while inserting a node
//     (at least 2m). Larger builds a better-connected graph, so higher
//     recall at a given ef_search, for a slower build; past ~100 the gain
//     is small. 64 is pgvector's default; "api vectorbench" measures
//     recall@10 above 0.95 with it at ef_search 100.
//
// Builds run with maintenance_work_mem raised (the graph is built in
// memory; a build that outgrows it continues on disk, many times slower)
// and optionally more parallel maintenance workers.
const (
	hnswM              = 16
	hnswEfConstruction = 64
	// maxHNSWDims is the largest vector pgvector's HNSW index accepts.
	// An embedder with longer vectors is searched exactly, without index.
	maxHNSWDims = 2000
)

// IndexName is the name of embedder's HNSW index.
func IndexName(embedder string) string {
	sum := sha256.Sum256([]byte(embedder))
	return "exemplar_vectors_hnsw_" + hex.EncodeToString(sum[:8])
}

// The filter index of one embedder. Ranking the rows a selective filter
// passes exactly (see Search) costs one heap page per row, as rows of one
// dimension are scattered over the table; 7,900 rows are 7,000 pages,
// 8–17ms on "api vectorbench". The embedder's filter index holds the
// vectors by dimension, the filter the interview asks for on every turn:
//
//	CREATE INDEX exemplar_vectors_filter_<first 8 bytes of sha256(embedder), hex>
//	    ON exemplar_vectors (dimension) INCLUDE (org, id, embedding)
//	    WHERE embedder = '<embedder>'
//
// so a dimension's rows are ranked by an index-only scan of about four
// rows a page, read in order: on vectorbench a filtered search's p99 falls
// from 17ms to under 8ms. It doubles the space the embedder's vectors
// take, so it is built only for vectors short enough for a b-tree entry
// (at most a third of a page, 2,704 bytes, with the id and org) and
// short enough that the saving matters: maxFilterIndexDims.
const maxFilterIndexDims = 512

// FilterIndexName is the name of embedder's filter index.
func FilterIndexName(embedder string) string {
	sum := sha256.Sum256([]byte(embedder))
	return "exemplar_vectors_filter_" + hex.EncodeToString(sum[:8])
}

// createFilterIndexSQL is the CREATE INDEX statement for embedder's filter
// index.
func createFilterIndexSQL(embedder string) string {
	return fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON exemplar_vectors (dimension) INCLUDE (org, id, embedding) WHERE embedder = %s",
		pgx.Identifier{FilterIndexName(embedder)}.Sanitize(), quoteLiteral(embedder))
}

// indexLockID is the advisory lock a transaction takes, before it touches
// exemplar_vectors, when it may create or drop an HNSW index. CREATE INDEX
// needs a SHARE lock on the table, which waits for every writer; two
// transactions that had both written rows and then both wanted it would
// deadlock. Taken first, the advisory lock lets only one of them get that
// far. (Writers that create no index never take it.)
const indexLockID int64 = 0x62617272_686e7377 // "barr" "hnsw"

func lockIndexes(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", indexLockID); err != nil {
		return fmt.Errorf("take index lock: %w", err)
	}
	return nil
}

// createIndexSQL is the CREATE INDEX statement for embedder's HNSW index.
// DDL takes no parameters, so the embedder is quoted as a literal.
func createIndexSQL(embedder string, dims int) string {
	return fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON exemplar_vectors "+
		"USING hnsw ((embedding::vector(%d)) vector_cosine_ops) "+
		"WITH (m = %d, ef_construction = %d) WHERE embedder = %s",
		pgx.Identifier{IndexName(embedder)}.Sanitize(), dims, hnswM, hnswEfConstruction, quoteLiteral(embedder))
}

// quoteLiteral quotes s as an SQL string literal, whatever the server's
// standard_conforming_strings (the same rule as libpq's PQescapeLiteral).
// s must not contain NUL, which PostgreSQL text cannot hold.
func quoteLiteral(s string) string {
	s = strings.ReplaceAll(s, "'", "''")
	if strings.Contains(s, `\`) {
		return `E'` + strings.ReplaceAll(s, `\`, `\\`) + `'`
	}
	return "'" + s + "'"
}

// indexSettings are the settings for building an index, local to tx.
func (s *Store) indexSettings(ctx context.Context, tx pgx.Tx) error {
	// set_config(…, true) is SET LOCAL: the values end with tx.
	sql := "SELECT set_config('maintenance_work_mem', $1, true)"
	args := []any{s.opts.maintenanceWorkMem}
	if s.opts.buildWorkers >= 0 {
		sql += ", set_config('max_parallel_maintenance_workers', $2, true)"
		args = append(args, strconv.Itoa(s.opts.buildWorkers))
	}
	if _, err := tx.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("index build settings: %w", err)
	}
	return nil
}

// ensureIndex creates embedder's HNSW index in tx unless it exists, and
// reports whether the caller should record it as existing once tx commits.
func (s *Store) ensureIndex(ctx context.Context, tx pgx.Tx, embedder string, dims int) (bool, error) {
	if dims > maxHNSWDims {
		s.log.Warn("vectors too long for an HNSW index; searches will be exact",
			slog.String("embedder", embedder), slog.Int("dims", dims), slog.Int("max", maxHNSWDims))
		return false, nil
	}
	if s.isIndexed(embedder, dims) {
		return false, nil
	}
	if err := lockIndexes(ctx, tx); err != nil { // normally held already
		return false, err
	}
	if err := s.indexSettings(ctx, tx); err != nil {
		return false, err
	}
	start := time.Now()
	if _, err := tx.Exec(ctx, createIndexSQL(embedder, dims)); err != nil {
		return false, fmt.Errorf("create HNSW index for embedder %q: %w", embedder, err)
	}
	if dims <= maxFilterIndexDims {
		if _, err := tx.Exec(ctx, createFilterIndexSQL(embedder)); err != nil {
			return false, fmt.Errorf("create filter index for embedder %q: %w", embedder, err)
		}
	}
	// IF NOT EXISTS skips an index of the same name whatever it says; make
	// sure it is for this dimension (an embedder's name is meant to change
	// with its dimension, so this only fails after misuse).
	var def string
	if err := tx.QueryRow(ctx, "SELECT pg_get_indexdef(to_regclass($1))", IndexName(embedder)).Scan(&def); err != nil {
		return false, fmt.Errorf("read HNSW index of embedder %q: %w", embedder, err)
	}
	if !strings.Contains(def, "::vector("+strconv.Itoa(dims)+")") {
		return false, fmt.Errorf("embedder %q already has an HNSW index for other dimensions (%s); remove its vectors with DropEmbedder first", embedder, def)
	}
	s.log.Debug("HNSW index ready", slog.String("embedder", embedder), slog.Int("dims", dims),
		slog.String("index", IndexName(embedder)), slog.Duration("took", time.Since(start)))
	return true, nil
}

// BuildIndex creates embedder's HNSW index over the vectors stored so far,
// unless it exists. Upsert does this by itself; BuildIndex is for after
// Load, and to time the build.
func (s *Store) BuildIndex(ctx context.Context, embedder string, dims int) error {
	if err := checkEmbedder(embedder, dims); err != nil {
		return err
	}
	var created bool
	err := s.retry(ctx, "build index", func(ctx context.Context) error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if err := lockIndexes(ctx, tx); err != nil {
				return err
			}
			var err error
			created, err = s.ensureIndex(ctx, tx, embedder, dims)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if created {
		s.markIndexed(embedder, dims)
	}
	return nil
}

// IndexSize is the size in bytes of embedder's HNSW index; 0 when it has
// none.
func (s *Store) IndexSize(ctx context.Context, embedder string) (int64, error) {
	var n int64
	err := s.retry(ctx, "index size", func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, "SELECT coalesce(pg_relation_size(to_regclass($1)), 0)", IndexName(embedder)).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: index size of embedder %q: %w", embedder, err)
	}
	return n, nil
}

// DropEmbedder removes every vector of embedder and its HNSW index, and
// returns how many vectors there were.
func (s *Store) DropEmbedder(ctx context.Context, embedder string) (int64, error) {
	var n int64
	err := s.retry(ctx, "drop embedder", func(ctx context.Context) error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if err := lockIndexes(ctx, tx); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, "DELETE FROM exemplar_vectors WHERE embedder = $1", embedder)
			if err != nil {
				return err
			}
			n = tag.RowsAffected()
			_, err = tx.Exec(ctx, "DROP INDEX IF EXISTS "+pgx.Identifier{IndexName(embedder)}.Sanitize()+", "+
				pgx.Identifier{FilterIndexName(embedder)}.Sanitize())
			return err
		})
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: drop embedder %q: %w", embedder, err)
	}
	s.mu.Lock()
	delete(s.indexed, embedder)
	delete(s.dims, embedder)
	delete(s.counts, embedder)
	s.mu.Unlock()
	return n, nil
}

func (s *Store) isIndexed(embedder string, dims int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.indexed[embedder] == dims
}

func (s *Store) markIndexed(embedder string, dims int) {
	s.mu.Lock()
	s.indexed[embedder] = dims
	s.dims[embedder] = dims
	s.mu.Unlock()
}
