package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"barraiser/internal/retrieval"
)

// maxDims is the longest vector pgvector stores.
const maxDims = 16000

// maxIDBytes is the longest item id (and org) the store accepts.
const maxIDBytes = 200

// analyzeAfter is how many rows an upsert writes before it vacuums the
// table and refreshes its statistics itself.
const analyzeAfter = 1000

// Upsert inserts or replaces items for embedder in one transaction, and
// creates embedder's HNSW index the first time it stores its vectors.
// Rows are written only where something changed: upserting the same items
// again writes nothing. When items repeat an id, the last one wins.
func (s *Store) Upsert(ctx context.Context, embedder string, dims int, items []retrieval.Item) error {
	_, err := s.upsert(ctx, embedder, dims, items, true)
	return err
}

// Load is Upsert without the index: for bulk loads that call BuildIndex
// afterwards (building the graph once over every row is faster than
// growing it row by row). It returns how many rows it wrote.
func (s *Store) Load(ctx context.Context, embedder string, dims int, items []retrieval.Item) (int64, error) {
	return s.upsert(ctx, embedder, dims, items, false)
}

// upsertSQL moves the staged rows into exemplar_vectors. A conflicting row
// is rewritten only when it differs, so an unchanged exemplar keeps its
// row version (xmin) and updated_at, and costs no index maintenance.
// Every field is compared, not just the content hash, so a changed label
// or org is stored even when the embedded text (and its hash) is the same.
const upsertSQL = `
INSERT INTO exemplar_vectors AS t
       (embedder, id, principle, dimension, label, level, text, why, source, org, content_hash, dims, embedding)
SELECT $1, id, principle, dimension, label, level, text, why, source, org, content_hash, $2, embedding
FROM exemplar_vectors_staging
ORDER BY id -- every writer locks rows in the same order: concurrent upserts cannot deadlock
ON CONFLICT (embedder, id) DO UPDATE SET
       principle = EXCLUDED.principle, dimension = EXCLUDED.dimension, label = EXCLUDED.label,
       level = EXCLUDED.level, text = EXCLUDED.text, why = EXCLUDED.why, source = EXCLUDED.source,
       org = EXCLUDED.org, content_hash = EXCLUDED.content_hash, dims = EXCLUDED.dims,
       embedding = EXCLUDED.embedding, updated_at = now()
WHERE (t.content_hash, t.principle, t.dimension, t.label, t.level, t.text, t.why, t.source, t.org, t.dims, t.embedding)
      IS DISTINCT FROM
      (EXCLUDED.content_hash, EXCLUDED.principle, EXCLUDED.dimension, EXCLUDED.label, EXCLUDED.level, EXCLUDED.text,
       EXCLUDED.why, EXCLUDED.source, EXCLUDED.org, EXCLUDED.dims, EXCLUDED.embedding)`

var stagingColumns = []string{"id", "principle", "dimension", "label", "level", "text", "why", "source", "org", "content_hash", "embedding"}

func (s *Store) upsert(ctx context.Context, embedder string, dims int, items []retrieval.Item, index bool) (int64, error) {
	if err := checkEmbedder(embedder, dims); err != nil {
		return 0, err
	}
	items, err := checkItems(embedder, dims, items)
	if err != nil {
		return 0, err
	}
	if len(items) == 0 {
		return 0, nil
	}
	var written int64
	var indexed bool
	err = s.retry(ctx, "upsert", func(ctx context.Context) error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if index && dims <= maxHNSWDims && !s.isIndexed(embedder, dims) {
				if err := lockIndexes(ctx, tx); err != nil {
					return err
				}
			}
			var stored int
			err := tx.QueryRow(ctx, "SELECT dims FROM exemplar_vectors WHERE embedder = $1 LIMIT 1", embedder).Scan(&stored)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
			case err != nil:
				return err
			case stored != dims:
				return fmt.Errorf("embedder %q stores %d-dimensional vectors, not %d", embedder, stored, dims)
			}
			if _, err := tx.Exec(ctx, `CREATE TEMP TABLE exemplar_vectors_staging (
				id text NOT NULL, principle text NOT NULL, dimension text NOT NULL, label text NOT NULL,
				level text NOT NULL, text text NOT NULL, why text NOT NULL, source text NOT NULL,
				org text NOT NULL, content_hash text NOT NULL, embedding vector NOT NULL
			) ON COMMIT DROP`); err != nil {
				return fmt.Errorf("create staging table: %w", err)
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"exemplar_vectors_staging"}, stagingColumns,
				pgx.CopyFromSlice(len(items), func(i int) ([]any, error) {
					it := items[i]
					return []any{it.ID, it.Principle, it.Dimension, it.Label, it.Level, it.Text, it.Why,
						it.Source, it.Org, it.Hash, pgvector.NewVector(it.Vector)}, nil
				})); err != nil {
				return fmt.Errorf("copy: %w", err)
			}
			tag, err := tx.Exec(ctx, upsertSQL, embedder, dims)
			if err != nil {
				return fmt.Errorf("insert: %w", err)
			}
			written = tag.RowsAffected()
			if index {
				indexed, err = s.ensureIndex(ctx, tx, embedder, dims)
				return err
			}
			return nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: upsert %d items for embedder %q: %w", len(items), embedder, err)
	}
	if indexed {
		s.markIndexed(embedder, dims)
	} else {
		s.mu.Lock()
		s.dims[embedder] = dims
		s.mu.Unlock()
	}
	if written > 0 {
		s.forgetCounts(embedder)
	}
	s.log.Debug("upserted exemplar vectors", slog.String("embedder", embedder),
		slog.Int("items", len(items)), slog.Int64("written", written))
	if written >= analyzeAfter {
		// Fresh statistics now rather than when autovacuum gets round to
		// it: the planner's choice between the HNSW index and the b-tree
		// filter indexes rests on them. VACUUM marks the new rows' pages
		// all-visible, without which an index-only scan of the filter
		// index (see index.go) still reads every row from the table.
		if _, err := s.pool.Exec(ctx, "VACUUM (ANALYZE) exemplar_vectors"); err != nil {
			s.log.Warn("vacuum after upsert", slog.Any("error", err))
		}
	}
	return written, nil
}

// Hashes returns id → content hash of every item stored for embedder.
func (s *Store) Hashes(ctx context.Context, embedder string) (map[string]string, error) {
	var out map[string]string
	err := s.retry(ctx, "hashes", func(ctx context.Context) error {
		out = map[string]string{}
		rows, err := s.pool.Query(ctx, "SELECT id, content_hash FROM exemplar_vectors WHERE embedder = $1", embedder)
		if err != nil {
			return err
		}
		var id, hash string
		_, err = pgx.ForEachRow(rows, []any{&id, &hash}, func() error {
			out[id] = hash
			return nil
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: hashes of embedder %q: %w", embedder, err)
	}
	return out, nil
}

// Delete removes the items with these ids for embedder; unknown ids are
// ignored.
func (s *Store) Delete(ctx context.Context, embedder string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	for _, id := range ids {
		if err := checkText("id", id); err != nil {
			return fmt.Errorf("postgres: delete: %w", err)
		}
	}
	err := s.retry(ctx, "delete", func(ctx context.Context) error {
		_, err := s.pool.Exec(ctx, "DELETE FROM exemplar_vectors WHERE embedder = $1 AND id = ANY($2)", embedder, ids)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete %d items of embedder %q: %w", len(ids), embedder, err)
	}
	s.forgetCounts(embedder)
	return nil
}

// Search returns up to k items of embedder nearest to vec that pass f,
// best first, scored by cosine similarity. It returns k items whenever k
// items pass f.
//
// A filter on principle, dimension or label that at most
// exactFilterRows rows of embedder pass (see filterRows) ranks those rows
// exactly, read through the embedder's filter index (see index.go) or the
// filter's b-tree index. Otherwise the search
// walks embedder's HNSW index with pgvector's iterative scan
// (hnsw.iterative_scan = relaxed_order), which keeps walking the graph
// until k rows pass the filter instead of filtering a fixed candidate
// list; the few rows relaxed order may return out of order are re-sorted.
// When even that finds fewer than k (a filter so selective that
// hnsw.max_scan_tuples runs out first, or a store smaller than k), the
// filtered rows are ranked exactly instead.
//
// Why not the graph for every filter: a filter that does not follow the
// vectors' neighbourhoods (a dimension other than the one most exemplars
// near the query have) leaves the iterative scan collecting whichever
// passing rows it meets first, not the nearest. On "api vectorbench"
// (100,000 rows, a filter 6% pass) that is a recall@10 of 0.84 at
// ef_search 100, 0.87 at 400 (at a higher latency than the exact ranking),
// and 0.78 with strict_order, at a p99 of 15–20ms; ranking the 5–8,000
// passing rows exactly is 1.0 at a p99 under 8ms.
func (s *Store) Search(ctx context.Context, embedder string, vec []float32, k int, f retrieval.Filter) ([]retrieval.Match, error) {
	if err := checkQuery(embedder, vec, k, f); err != nil {
		return nil, fmt.Errorf("postgres: search: %w", err)
	}
	q := searchQuery{embedder: embedder, vec: pgvector.NewVector(vec), dims: len(vec), k: k, f: f}
	var out []retrieval.Match
	err := s.retry(ctx, "search", func(ctx context.Context) error {
		out = nil
		stored, ok, err := s.storedDims(ctx, embedder, len(vec))
		if err != nil || !ok {
			return err
		}
		if stored != len(vec) {
			return fmt.Errorf("%w: the query vector has %d dimensions; embedder %q stores %d",
				retrieval.ErrInvalidQuery, len(vec), embedder, stored)
		}
		exact, err := s.rankExactly(ctx, q)
		if err != nil {
			return err
		}
		if out, err = s.searchBatch(ctx, q, exact); err != nil {
			return err
		}
		if !exact && len(out) < q.k {
			// Fewer than k: either fewer than k rows pass f, or the index
			// scan gave up early. Only an exact ranking can tell.
			out, err = s.searchBatch(ctx, q, true)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: search embedder %q: %w", embedder, err)
	}
	if out == nil {
		out = []retrieval.Match{}
	}
	return out, nil
}

// searchBatch runs q in one round trip: a batch holding the search
// settings and the query. pgx sends a batch as one pipeline ended by a
// single Sync, which PostgreSQL runs as one implicit transaction, so the
// settings (set_config(…, true) is SET LOCAL) hold for the query and end
// with it, never leaking to the next user of the pooled connection:
//
//   - hnsw.ef_search: the candidate list of the graph search, never less
//     than k;
//   - hnsw.iterative_scan = relaxed_order: with a filter, keep walking the
//     graph until k rows pass instead of filtering one candidate list;
//   - hnsw.max_scan_tuples: where that walk gives up (Search then ranks
//     the filtered rows exactly);
//   - plan_cache_mode = force_custom_plan: the search names its embedder as
//     a parameter, and only a plan made for the parameter's value can use
//     that embedder's partial index (a generic plan cannot prove that
//     "embedder = $2" implies "embedder = 'local-…'"). pgx prepares and
//     caches the statement, and after five executions PostgreSQL would
//     otherwise consider a generic plan.
func (s *Store) searchBatch(ctx context.Context, q searchQuery, exact bool) (out []retrieval.Match, err error) {
	b := &pgx.Batch{}
	settings, settingsArgs := s.searchSettings(q.k)
	b.Queue(settings, settingsArgs...)
	search, searchArgs := q.sql(exact)
	b.Queue(search, searchArgs...)
	br := s.pool.SendBatch(ctx, b)
	defer func() {
		if cerr := br.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if _, err := br.Exec(); err != nil {
		return nil, fmt.Errorf("search settings: %w", err)
	}
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	return q.collect(rows)
}

// searchSettings is the statement that sets the search parameters for the
// rest of the transaction it runs in (see searchBatch).
func (s *Store) searchSettings(k int) (sql string, args []any) {
	ef := max(s.opts.efSearch, min(k, 1000))
	return `SELECT set_config('hnsw.ef_search', $1, true),
		set_config('hnsw.iterative_scan', 'relaxed_order', true),
		set_config('hnsw.max_scan_tuples', $2, true),
		set_config('plan_cache_mode', 'force_custom_plan', true)`,
		[]any{strconv.Itoa(ef), strconv.Itoa(s.opts.maxScanTuples)}
}

// storedDims is the length of embedder's stored vectors; ok is false when
// it has none. want is the length the caller expects: a cached answer that
// disagrees is checked again.
func (s *Store) storedDims(ctx context.Context, embedder string, want int) (dims int, ok bool, err error) {
	s.mu.Lock()
	dims, ok = s.dims[embedder]
	s.mu.Unlock()
	if ok && dims == want {
		return dims, true, nil
	}
	err = s.pool.QueryRow(ctx, "SELECT dims FROM exemplar_vectors WHERE embedder = $1 LIMIT 1", embedder).Scan(&dims)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	s.mu.Lock()
	s.dims[embedder] = dims
	s.mu.Unlock()
	return dims, true, nil
}

// rankExactly reports whether q's filter is selective enough to rank the
// rows that pass it exactly rather than walk the HNSW index.
func (s *Store) rankExactly(ctx context.Context, q searchQuery) (bool, error) {
	if s.opts.exactFilterRows == 0 {
		return false, nil
	}
	n, ok, err := s.filterRows(ctx, q.embedder, q.f)
	if err != nil {
		return false, fmt.Errorf("count filtered rows: %w", err)
	}
	return ok && n <= int64(s.opts.exactFilterRows), nil
}

// filterCountsTTL is how long counted filter values are trusted. The
// store forgets an embedder's counts when it writes that embedder's rows
// itself; the TTL bounds how stale they get when another process writes
// them. A stale count only picks the slower of two correct plans.
const filterCountsTTL = 5 * time.Minute

// filterCounts is how many rows of one embedder hold each value of the
// filter columns: a cache, loaded by one GROUP BY over the embedder's rows
// (about 90ms at 100,000 rows) instead of asking the planner, whose
// statistics are per table and column, not per embedder, and cost a round
// trip per search to consult (EXPLAIN).
type filterCounts struct {
	rows   map[filterValue]int64
	loaded time.Time
}

type filterValue struct{ column, value string }

const filterCountsSQL = `
SELECT CASE WHEN GROUPING(principle) = 0 THEN 'principle' WHEN GROUPING(dimension) = 0 THEN 'dimension' ELSE 'label' END,
       coalesce(principle, dimension, label), count(*)
FROM exemplar_vectors WHERE embedder = $1
GROUP BY GROUPING SETS ((principle), (dimension), (label))`

// filterRows is an upper bound on the rows of embedder that pass f (the
// least of its principle, dimension and label values' counts; org is
// ignored, as nearly every row passes it). ok is false when f filters on
// none of the three.
func (s *Store) filterRows(ctx context.Context, embedder string, f retrieval.Filter) (n int64, ok bool, err error) {
	fields := []filterValue{{"principle", f.Principle}, {"dimension", f.Dimension}, {"label", f.Label}}
	if f.Principle == "" && f.Dimension == "" && f.Label == "" {
		return 0, false, nil
	}
	s.mu.Lock()
	c, cached := s.counts[embedder]
	s.mu.Unlock()
	if !cached || time.Since(c.loaded) > filterCountsTTL {
		c = filterCounts{rows: map[filterValue]int64{}, loaded: time.Now()}
		rows, err := s.pool.Query(ctx, filterCountsSQL, embedder)
		if err != nil {
			return 0, false, err
		}
		var v filterValue
		var count int64
		if _, err := pgx.ForEachRow(rows, []any{&v.column, &v.value, &count}, func() error {
			c.rows[v] = count
			return nil
		}); err != nil {
			return 0, false, err
		}
		s.mu.Lock()
		s.counts[embedder] = c
		s.mu.Unlock()
	}
	n = math.MaxInt64
	for _, v := range fields {
		if v.value != "" {
			n = min(n, c.rows[v])
		}
	}
	return n, true, nil
}

// forgetCounts drops embedder's cached filter counts after a write.
func (s *Store) forgetCounts(embedder string) {
	s.mu.Lock()
	delete(s.counts, embedder)
	s.mu.Unlock()
}

type searchQuery struct {
	embedder string
	vec      pgvector.Vector
	dims     int
	k        int
	f        retrieval.Filter
}

const matchColumns = "id, principle, dimension, label, level, text, why, source, org"

// sql is the search statement and its arguments. The approximate one
// orders by embedding::vector(N) <=> $1 under "embedder = $2", the
// expression and predicate of the embedder's HNSW index; the exact one
// orders by embedding <=> $1, which no index matches.
func (q searchQuery) sql(exact bool) (string, []any) {
	args := []any{q.vec, q.embedder}
	where := "embedder = $2"
	if q.f.Org == "" {
		where += " AND org = ''"
	} else {
		args = append(args, q.f.Org)
		where += " AND org IN ('', $" + strconv.Itoa(len(args)) + ")"
	}
	for _, c := range []struct{ col, val string }{
		{"principle", q.f.Principle}, {"dimension", q.f.Dimension}, {"label", q.f.Label},
	} {
		if c.val != "" {
			args = append(args, c.val)
			where += " AND " + c.col + " = $" + strconv.Itoa(len(args))
		}
	}
	args = append(args, q.k)
	limit := "$" + strconv.Itoa(len(args))

	if exact {
		// The k nearest are found first from the columns of the
		// embedder's filter index, which an index-only scan can rank
		// alone; only those k rows are read from the table.
		return "WITH nearest AS MATERIALIZED (SELECT id, embedding <=> $1 AS distance FROM exemplar_vectors WHERE " + where +
			" ORDER BY distance, id LIMIT " + limit + ") SELECT " + prefixed("v.", matchColumns) +
			", n.distance FROM nearest n JOIN exemplar_vectors v ON v.embedder = $2 AND v.id = n.id ORDER BY n.distance, n.id", args
	}
	// Relaxed order may return a slightly out-of-order list; the
	// materialised CTE keeps the index scan as it is and the outer query
	// sorts its k rows.
	return "WITH nearest AS MATERIALIZED (SELECT " + matchColumns +
		", embedding::vector(" + strconv.Itoa(q.dims) + ") <=> $1 AS distance FROM exemplar_vectors WHERE " + where +
		" ORDER BY distance LIMIT " + limit + ") SELECT " + matchColumns + ", distance FROM nearest ORDER BY distance, id", args
}

// prefixed qualifies each of the comma-separated columns with prefix.
func prefixed(prefix, columns string) string {
	return prefix + strings.ReplaceAll(columns, ", ", ", "+prefix)
}

// collect reads the rows of q's query.
func (q searchQuery) collect(rows pgx.Rows) ([]retrieval.Match, error) {
	out := make([]retrieval.Match, 0, q.k)
	var m retrieval.Match
	var distance float64
	_, err := pgx.ForEachRow(rows, []any{&m.ID, &m.Principle, &m.Dimension, &m.Label, &m.Level, &m.Text, &m.Why,
		&m.Source, &m.Org, &distance}, func() error {
		m.Score = 1 - distance
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkEmbedder validates an embedder name and its dimensions.
func checkEmbedder(embedder string, dims int) error {
	if err := checkText("embedder name", embedder); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if embedder == "" {
		return errors.New("postgres: empty embedder name")
	}
	if dims < 1 || dims > maxDims {
		return fmt.Errorf("postgres: embedder %q: dimensions %d out of range 1..%d", embedder, dims, maxDims)
	}
	return nil
}

// checkItems validates items and drops all but the last of each id.
func checkItems(embedder string, dims int, items []retrieval.Item) ([]retrieval.Item, error) {
	last := make(map[string]int, len(items))
	for i, it := range items {
		if it.ID == "" {
			return nil, fmt.Errorf("postgres: embedder %q: item %d has no id", embedder, i)
		}
		if len(it.ID) > maxIDBytes || len(it.Org) > maxIDBytes {
			// Both sit in the filter index next to the vector, whose
			// entries PostgreSQL caps at 2,704 bytes (see index.go).
			return nil, fmt.Errorf("postgres: embedder %q: item %d: id and org are limited to %d bytes", embedder, i, maxIDBytes)
		}
		for _, f := range []struct{ name, val string }{
			{"id", it.ID}, {"principle", it.Principle}, {"dimension", it.Dimension}, {"label", it.Label},
			{"level", it.Level}, {"text", it.Text}, {"why", it.Why}, {"source", it.Source}, {"org", it.Org}, {"hash", it.Hash},
		} {
			if err := checkText(f.name, f.val); err != nil {
				return nil, fmt.Errorf("postgres: embedder %q: item %q: %w", embedder, it.ID, err)
			}
		}
		if it.Hash == "" {
			return nil, fmt.Errorf("postgres: embedder %q: item %q has no content hash", embedder, it.ID)
		}
		if len(it.Vector) != dims {
			return nil, fmt.Errorf("postgres: embedder %q: item %q has a %d-dimensional vector, want %d", embedder, it.ID, len(it.Vector), dims)
		}
		if err := checkVector(it.Vector); err != nil {
			return nil, fmt.Errorf("postgres: embedder %q: item %q: %w", embedder, it.ID, err)
		}
		last[it.ID] = i
	}
	if len(last) == len(items) {
		return items, nil
	}
	out := make([]retrieval.Item, 0, len(last))
	for i, it := range items {
		if last[it.ID] == i {
			out = append(out, it)
		}
	}
	return out, nil
}

// checkVector accepts vectors that have a direction: finite, not all zero.
func checkVector(v []float32) error {
	zero := true
	for _, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return errors.New("vector has a NaN or infinite element")
		}
		if x != 0 {
			zero = false
		}
	}
	if zero {
		return errors.New("vector is all zeros: its cosine similarity is undefined")
	}
	return nil
}

// checkText rejects what PostgreSQL text cannot hold.
func checkText(name, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", name)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("%s contains a NUL byte", name)
	}
	return nil
}

// checkQuery validates a search request; every error wraps
// retrieval.ErrInvalidQuery.
func checkQuery(embedder string, vec []float32, k int, f retrieval.Filter) error {
	switch {
	case embedder == "":
		return fmt.Errorf("%w: empty embedder name", retrieval.ErrInvalidQuery)
	case k < 1:
		return fmt.Errorf("%w: k = %d, want at least 1", retrieval.ErrInvalidQuery, k)
	case len(vec) == 0:
		return fmt.Errorf("%w: empty query vector", retrieval.ErrInvalidQuery)
	case len(vec) > maxDims:
		return fmt.Errorf("%w: query vector has %d dimensions, more than %d", retrieval.ErrInvalidQuery, len(vec), maxDims)
	}
	if err := checkVector(vec); err != nil {
		return fmt.Errorf("%w: query %w", retrieval.ErrInvalidQuery, err)
	}
	for _, t := range []struct{ name, val string }{
		{"embedder name", embedder}, {"principle", f.Principle}, {"dimension", f.Dimension}, {"label", f.Label}, {"org", f.Org},
	} {
		if err := checkText(t.name, t.val); err != nil {
			return fmt.Errorf("%w: %w", retrieval.ErrInvalidQuery, err)
		}
	}
	return nil
}
