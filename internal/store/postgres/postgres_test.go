package postgres_test

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"barraiser/internal/retrieval"
	"barraiser/internal/retrieval/retrievaltest"
	"barraiser/internal/store/postgres"
	"barraiser/internal/store/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// syncBuffer is a bytes.Buffer safe for the store's concurrent logging.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// open opens a store on url (the package database when empty), closed when
// t ends, logging into the returned buffer.
func open(t *testing.T, url string, opts ...postgres.Option) (*postgres.Store, *syncBuffer) {
	t.Helper()
	if url == "" {
		url = pgtest.URL(t)
	}
	logs := &syncBuffer{}
	s, err := postgres.Open(t.Context(), url, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	return s, logs
}

var embedderSeq atomic.Int64

// embedderName is a name unique to the test (and to this run of it, for
// -count), so tests sharing the package database never see each other's
// rows.
func embedderName(t *testing.T, suffix string) string {
	return fmt.Sprintf("test:%s:%d:%s", t.Name(), embedderSeq.Add(1), suffix)
}

func item(id string, vec []float32, set ...func(*retrieval.Item)) retrieval.Item {
	it := retrieval.Item{
		Exemplar: retrieval.Exemplar{
			ID: id, Principle: "Ownership", Dimension: "first_person_actions", Label: retrieval.LabelStrong,
			Level: "L5", Text: "text of " + id, Why: "why " + id, Source: "test",
		},
		Vector: vec,
	}
	for _, f := range set {
		f(&it)
	}
	it.Hash = fmt.Sprintf("%s|%s|%v", it.Text, it.Label, it.Vector)
	return it
}

// randomUnit is a deterministic pseudo-random unit vector.
func randomUnit(r *rand.Rand, dims int) []float32 {
	v := make([]float32, dims)
	var ss float64
	for i := range v {
		x := r.NormFloat64()
		v[i] = float32(x)
		ss += x * x
	}
	n := float32(math.Sqrt(ss))
	for i := range v {
		v[i] /= n
	}
	return v
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}

func TestSearchOrderAndScores(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	ctx := t.Context()
	emb := embedderName(t, "4")
	items := []retrieval.Item{
		item("same", []float32{2, 0, 0, 0}), // length does not matter to cosine
		item("diag", []float32{1, 1, 0, 0}),
		item("orth", []float32{0, 1, 0, 0}),
		item("opposite", []float32{-1, 0, 0, 0}),
		item("near", []float32{1, 0.1, 0, 0}, func(it *retrieval.Item) {
			it.Principle, it.Dimension, it.Label, it.Level = "Dive Deep", "metric_delta", retrieval.LabelWeak, ""
			it.Why, it.Source = "", ""
		}),
	}
	if err := s.Upsert(ctx, emb, 4, items); err != nil {
		t.Fatal(err)
	}
	q := []float32{1, 0, 0, 0}
	got, err := s.Search(ctx, emb, q, 4, retrieval.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"same", "near", "diag", "orth"}; !slices.Equal(retrievaltest.IDs(got), want) {
		t.Fatalf("order = %v, want %v", retrievaltest.IDs(got), want)
	}
	byID := map[string]retrieval.Item{}
	for _, it := range items {
		byID[it.ID] = it
	}
	for _, m := range got {
		it := byID[m.ID]
		if want := cosine(q, it.Vector); math.Abs(m.Score-want) > 1e-6 {
			t.Errorf("%s: score %.7f, want %.7f", m.ID, m.Score, want)
		}
		if m.Exemplar != it.Exemplar {
			t.Errorf("%s: exemplar %+v, want %+v", m.ID, m.Exemplar, it.Exemplar)
		}
	}

	all, err := s.Search(ctx, emb, q, 50, retrieval.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(items) || all[len(all)-1].ID != "opposite" || math.Abs(all[len(all)-1].Score+1) > 1e-6 {
		t.Errorf("k above the row count: %v", all)
	}
}

func TestSearchFilters(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	ctx := t.Context()
	emb := embedderName(t, "3")
	r := rand.New(rand.NewPCG(1, 2))
	var items []retrieval.Item
	principles := []string{"Ownership", "Dive Deep", "Customer Obsession"}
	dimensions := []string{"first_person_actions", "metric_delta"}
	orgs := []string{"", "", "acme", "globex"}
	n := 0
	for _, p := range principles {
		for _, d := range dimensions {
			for _, l := range []string{retrieval.LabelWeak, retrieval.LabelStrong} {
				for _, o := range orgs {
					items = append(items, item(fmt.Sprintf("e%03d", n), randomUnit(r, 3), func(it *retrieval.Item) {
						it.Principle, it.Dimension, it.Label, it.Org = p, d, l, o
					}))
					n++
				}
			}
		}
	}
	if err := s.Upsert(ctx, emb, 3, items); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    retrieval.Filter
	}{
		{"none: the shared pack", retrieval.Filter{}},
		{"principle", retrieval.Filter{Principle: "Dive Deep"}},
		{"dimension", retrieval.Filter{Dimension: "metric_delta"}},
		{"label", retrieval.Filter{Label: retrieval.LabelWeak}},
		{"all three", retrieval.Filter{Principle: "Ownership", Dimension: "first_person_actions", Label: retrieval.LabelStrong}},
		{"org: pack plus acme", retrieval.Filter{Org: "acme"}},
		{"org and dimension", retrieval.Filter{Org: "globex", Dimension: "first_person_actions"}},
		{"unknown org: the pack", retrieval.Filter{Org: "initech"}},
		{"nothing matches", retrieval.Filter{Principle: "Frugality"}},
	}
	pass := func(it retrieval.Item, f retrieval.Filter) bool {
		return (f.Principle == "" || it.Principle == f.Principle) &&
			(f.Dimension == "" || it.Dimension == f.Dimension) &&
			(f.Label == "" || it.Label == f.Label) &&
			(it.Org == "" || it.Org == f.Org)
	}
	q := randomUnit(r, 3)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The exact answer, computed here.
			var want []retrieval.Item
			for _, it := range items {
				if pass(it, tt.f) {
					want = append(want, it)
				}
			}
			slices.SortStableFunc(want, func(a, b retrieval.Item) int {
				if c := cmp.Compare(cosine(q, b.Vector), cosine(q, a.Vector)); c != 0 {
					return c
				}
				return strings.Compare(a.ID, b.ID)
			})
			for _, k := range []int{1, 5, 50} {
				got, err := s.Search(ctx, emb, q, k, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if got == nil {
					t.Fatal("nil result; want an empty slice")
				}
				w := want[:min(k, len(want))]
				if len(got) != len(w) {
					t.Fatalf("k=%d: %d matches, want %d", k, len(got), len(w))
				}
				for i := range got {
					if !pass(byID(items, got[i].ID), tt.f) {
						t.Errorf("k=%d: %s does not pass the filter", k, got[i].ID)
					}
					if got[i].ID != w[i].ID {
						t.Errorf("k=%d: match %d is %s, want %s", k, i, got[i].ID, w[i].ID)
					}
					if i > 0 && got[i].Score > got[i-1].Score {
						t.Errorf("k=%d: not best first at %d", k, i)
					}
				}
			}
		})
	}
}

func byID(items []retrieval.Item, id string) retrieval.Item {
	for _, it := range items {
		if it.ID == id {
			return it
		}
	}
	return retrieval.Item{}
}

// clustered makes n deterministic items of dims dimensions around a few
// centroids; every 100th has dimension "rare", the rest "common".
func clustered(n, dims int, seed uint64) []retrieval.Item {
	return clusteredEvery(n, dims, seed, 100)
}

// clusteredEvery is clustered with every rare-th item "rare".
func clusteredEvery(n, dims int, seed uint64, rare int) []retrieval.Item {
	r := rand.New(rand.NewPCG(seed, seed))
	centroids := make([][]float32, 20)
	for i := range centroids {
		centroids[i] = randomUnit(r, dims)
	}
	items := make([]retrieval.Item, n)
	for i := range items {
		c := centroids[r.IntN(len(centroids))]
		noise := randomUnit(r, dims)
		v := make([]float32, dims)
		for j := range v {
			v[j] = c[j] + 0.7*noise[j]
		}
		dim := "common"
		if i%rare == 0 {
			dim = "rare"
		}
		items[i] = item(fmt.Sprintf("c%05d", i), v, func(it *retrieval.Item) { it.Dimension = dim })
	}
	return items
}

// exactTop is the k items passing keep nearest to q, best first.
func exactTop(items []retrieval.Item, q []float32, k int, keep func(retrieval.Item) bool) []string {
	var out []retrieval.Item
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	slices.SortStableFunc(out, func(a, b retrieval.Item) int { return cmp.Compare(cosine(q, b.Vector), cosine(q, a.Vector)) })
	var ids []string
	for _, it := range out[:min(k, len(out))] {
		ids = append(ids, it.ID)
	}
	return ids
}

// TestSelectiveFilterReturnsK: 2,000 rows of which 20 pass the filter;
// k=10 gives those 10 of the 20 nearest to the query.
func TestSelectiveFilterReturnsK(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	ctx := t.Context()
	const dims = 64
	emb := embedderName(t, "64")
	items := clustered(2000, dims, 7)
	if err := s.Upsert(ctx, emb, dims, items); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 9))
	for range 5 {
		q := randomUnit(r, dims)
		got, err := s.Search(ctx, emb, q, 10, retrieval.Filter{Dimension: "rare"})
		if err != nil {
			t.Fatal(err)
		}
		want := exactTop(items, q, 10, func(it retrieval.Item) bool { return it.Dimension == "rare" })
		if !slices.Equal(retrievaltest.IDs(got), want) {
			t.Errorf("got %v, want %v", retrievaltest.IDs(got), want)
		}
	}
}

// TestIterativeScan: a filter that 3% of 10,000 rows pass, searched
// through the HNSW index alone (no exact fallback; the b-tree indexes
// and the embedder's filter index dropped in this test's own database and
// other scans disabled, so the
// planner cannot avoid the graph). With hnsw.iterative_scan the index
// keeps walking the graph until k=10 rows pass; without it the filter
// only sees the ef_search=40 candidates, about one of which passes.
func TestIterativeScan(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	s, _ := open(t, url, postgres.WithEfSearch(40))
	ctx := t.Context()
	const dims = 32
	emb := embedderName(t, "32")
	items := clusteredEvery(10000, dims, 7, 33)
	if err := s.Upsert(ctx, emb, dims, items); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, `DROP INDEX exemplar_vectors_dimension_idx, exemplar_vectors_label_idx,
		exemplar_vectors_principle_idx, `+postgres.FilterIndexName(emb)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, "ANALYZE exemplar_vectors"); err != nil {
		t.Fatal(err)
	}
	f := retrieval.Filter{Dimension: "rare"}
	q := randomUnit(rand.New(rand.NewPCG(9, 9)), dims)
	indexOnly := [][2]string{{"enable_seqscan", "off"}, {"enable_bitmapscan", "off"}}

	iter, err := s.RunSearchStatement(ctx, emb, q, 10, f, false, indexOnly...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(iter.Plan, "Index Scan using "+postgres.IndexName(emb)) {
		t.Fatalf("the approximate statement does not scan the HNSW index:\n%s", iter.Plan)
	}
	if len(iter.Matches) != 10 {
		t.Errorf("HNSW with iterative scan: %d matches, want 10", len(iter.Matches))
	}
	for i, m := range iter.Matches {
		if m.Dimension != "rare" {
			t.Errorf("%s has dimension %q", m.ID, m.Dimension)
		}
		if i > 0 && m.Score > iter.Matches[i-1].Score {
			t.Errorf("relaxed order not re-sorted at %d", i)
		}
	}
	want := exactTop(items, q, 10, func(it retrieval.Item) bool { return it.Dimension == "rare" })
	hits := 0
	for _, id := range retrievaltest.IDs(iter.Matches) {
		if slices.Contains(want, id) {
			hits++
		}
	}
	// Relaxed order on a filtered graph walk is approximate (7–8/10 here,
	// depending on the graph, whose levels are drawn at random); ten rows
	// that merely pass the filter would score about 0.
	if hits < 5 {
		t.Errorf("recall@10 of the filtered index scan: %d/10", hits)
	}

	off, err := s.RunSearchStatement(ctx, emb, q, 10, f, false, append(indexOnly, [2]string{"hnsw.iterative_scan", "off"})...)
	if err != nil {
		t.Fatal(err)
	}
	if len(off.Matches) >= 10 {
		t.Errorf("without iterative scan the index still gave %d matches; the test shows nothing", len(off.Matches))
	}
	t.Logf("k=10, 3%% of 10,000 rows pass: %d rows without iterative scan, %d with (recall %d/10)", len(off.Matches), len(iter.Matches), hits)

	// Search itself, whatever plan it gets, returns the 10.
	got, err := s.Search(ctx, emb, q, 10, f)
	if err != nil || len(got) != 10 {
		t.Errorf("Search: %d matches, %v", len(got), err)
	}
}

// TestExactRankingForSelectiveFilters: Search ranks exactly the filters
// that few rows pass and walks the graph for the rest, by counts that
// follow the store's own writes.
func TestExactRankingForSelectiveFilters(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "", postgres.WithExactFilterRows(100))
	ctx := t.Context()
	const dims = 16
	emb := embedderName(t, "16")
	items := clustered(1000, dims, 5) // 10 of dimension "rare", 990 "common"; all "Ownership", strong
	if err := s.Upsert(ctx, emb, dims, items); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		f     retrieval.Filter
		exact bool
	}{
		{"no filter", retrieval.Filter{}, false},
		{"org only", retrieval.Filter{Org: "acme"}, false},
		{"rare dimension", retrieval.Filter{Dimension: "rare"}, true},
		{"common principle", retrieval.Filter{Principle: "Ownership"}, false},
		{"common principle, rare dimension", retrieval.Filter{Principle: "Ownership", Dimension: "rare"}, true},
		{"unknown label", retrieval.Filter{Label: "none"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			exact, err := s.RankExactly(ctx, emb, dims, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if exact != tt.exact {
				t.Errorf("ranked exactly: %v, want %v", exact, tt.exact)
			}
		})
	}

	// 100 more rows of the rare dimension: past the threshold, which the
	// store knows without waiting for its counts to expire.
	var more []retrieval.Item
	r := rand.New(rand.NewPCG(4, 4))
	for i := range 100 {
		more = append(more, item(fmt.Sprintf("more-%03d", i), randomUnit(r, dims), func(it *retrieval.Item) { it.Dimension = "rare" }))
	}
	if err := s.Upsert(ctx, emb, dims, more); err != nil {
		t.Fatal(err)
	}
	if exact, err := s.RankExactly(ctx, emb, dims, retrieval.Filter{Dimension: "rare"}); err != nil || exact {
		t.Errorf("after the upsert: ranked exactly %v (%v), want false", exact, err)
	}
}

// TestExactRankingUsesFilterIndex: the exact ranking of a dimension's rows
// is an index-only scan of the embedder's filter index, which holds the
// vectors, not a visit to each row's table page.
func TestExactRankingUsesFilterIndex(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	s, _ := open(t, url)
	ctx := t.Context()
	const dims = 32
	emb := embedderName(t, "32")
	items := clusteredEvery(3000, dims, 7, 33)
	if err := s.Upsert(ctx, emb, dims, items); err != nil { // ≥ analyzeAfter rows: vacuumed
		t.Fatal(err)
	}
	f := retrieval.Filter{Dimension: "rare"}
	q := randomUnit(rand.New(rand.NewPCG(9, 9)), dims)
	res, err := s.RunSearchStatement(ctx, emb, q, 10, f, true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Plan, "Index Only Scan using "+postgres.FilterIndexName(emb)) {
		t.Errorf("the exact statement does not rank from the filter index:\n%s", res.Plan)
	}
	want := exactTop(items, q, 10, func(it retrieval.Item) bool { return it.Dimension == "rare" })
	if got := retrievaltest.IDs(res.Matches); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	got, err := s.Search(ctx, emb, q, 10, f)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(retrievaltest.IDs(got), want) {
		t.Errorf("Search: got %v, want %v", retrievaltest.IDs(got), want)
	}
}

// TestExplainUsesHNSWIndex: an unfiltered search of an embedder with a few
// thousand rows is planned as a scan of that embedder's partial HNSW
// index, with no planner settings forced.
func TestExplainUsesHNSWIndex(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	s, _ := open(t, url)
	ctx := t.Context()
	const dims = 64
	emb := embedderName(t, "64")
	other := embedderName(t, "other")
	if err := s.Upsert(ctx, emb, dims, clustered(3000, dims, 1)); err != nil {
		t.Fatal(err)
	}
	if err := s.Upsert(ctx, other, dims, clustered(3000, dims, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, "ANALYZE exemplar_vectors"); err != nil {
		t.Fatal(err)
	}
	// HNSW is approximate and its build is not deterministic, so recall is
	// judged over many queries, not one. The queries are random directions,
	// far from every cluster of the data: HNSW's worst case, hence the low
	// bar (a broken index scores near zero; vectorbench measures recall on
	// realistic queries at 100k rows).
	const queries = 20
	r := rand.New(rand.NewPCG(3, 3))
	for _, e := range []string{emb, other} {
		hits := 0
		for n := range queries {
			q := randomUnit(r, dims)
			res, err := s.RunSearchStatement(ctx, e, q, 10, retrieval.Filter{}, false)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				if !strings.Contains(res.Plan, "Index Scan using "+postgres.IndexName(e)) {
					t.Errorf("%s: plan does not scan %s:\n%s", e, postgres.IndexName(e), res.Plan)
				}
				t.Logf("%s:\n%s", e, res.Plan)
			}
			exact, err := s.RunSearchStatement(ctx, e, q, 10, retrieval.Filter{}, true)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 && strings.Contains(exact.Plan, "hnsw") {
				t.Errorf("the exact statement uses an HNSW index:\n%s", exact.Plan)
			}
			for _, id := range retrievaltest.IDs(res.Matches) {
				if slices.Contains(retrievaltest.IDs(exact.Matches), id) {
					hits++
				}
			}
		}
		if recall := float64(hits) / (10 * queries); recall < 0.75 {
			t.Errorf("%s: recall@10 of the index %.2f over %d queries, want at least 0.75", e, recall, queries)
		}
	}
}

func TestUpsertIdempotent(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	ctx := t.Context()
	emb := embedderName(t, "8")
	r := rand.New(rand.NewPCG(4, 4))
	var items []retrieval.Item
	for i := range 50 {
		items = append(items, item(fmt.Sprintf("i%02d", i), randomUnit(r, 8)))
	}
	// versions returns id → "xmin updated_at": both change when a row is
	// rewritten, neither when it is left alone.
	versions := func() map[string]string {
		t.Helper()
		rows, err := s.Pool().Query(ctx, "SELECT id, xmin::text || ' ' || updated_at::text FROM exemplar_vectors WHERE embedder = $1", emb)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		var id, v string
		if _, err := pgx.ForEachRow(rows, []any{&id, &v}, func() error { out[id] = v; return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	upsert := func(items []retrieval.Item, want int64) {
		t.Helper()
		n, err := s.UpsertCount(ctx, emb, 8, items)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("upsert wrote %d rows, want %d", n, want)
		}
	}

	upsert(items, 50)
	before := versions()
	upsert(items, 0)
	if after := versions(); !mapsEqual(before, after) {
		t.Error("an identical upsert rewrote rows")
	}

	// A changed text (so hash and vector) is written; so is a changed label
	// under the same hash.
	changed := slices.Clone(items)
	changed[3] = item("i03", randomUnit(r, 8), func(it *retrieval.Item) { it.Text = "new text" })
	changed[7].Label = retrieval.LabelWeak // Hash deliberately unchanged
	upsert(changed, 2)
	after := versions()
	for id, v := range after {
		if rewritten := v != before[id]; rewritten != (id == "i03" || id == "i07") {
			t.Errorf("%s rewritten = %v", id, rewritten)
		}
	}
	got, err := s.Search(ctx, emb, changed[3].Vector, 1, retrieval.Filter{})
	if err != nil || len(got) != 1 || got[0].ID != "i03" || got[0].Text != "new text" {
		t.Errorf("search for the new vector: %v, %v", got, err)
	}
	got, err = s.Search(ctx, emb, changed[7].Vector, 1, retrieval.Filter{})
	if err != nil || len(got) != 1 || got[0].Label != retrieval.LabelWeak {
		t.Errorf("label change not stored: %v, %v", got, err)
	}

	// A repeated id in one call: the last wins.
	dup := []retrieval.Item{
		item("i10", randomUnit(r, 8), func(it *retrieval.Item) { it.Text = "first" }),
		item("i10", randomUnit(r, 8), func(it *retrieval.Item) { it.Text = "second" }),
	}
	upsert(dup, 1)
	hashes, err := s.Hashes(ctx, emb)
	if err != nil {
		t.Fatal(err)
	}
	if hashes["i10"] != dup[1].Hash || len(hashes) != 50 {
		t.Errorf("after a repeated id: %d hashes, i10 = %q", len(hashes), hashes["i10"])
	}

	// Nothing to do.
	upsert(nil, 0)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestHashesAndDelete(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	ctx := t.Context()
	emb, other := embedderName(t, "a"), embedderName(t, "b")
	items := []retrieval.Item{
		item("x", []float32{1, 0}), item("y", []float32{0, 1}), item("z", []float32{1, 1}),
	}
	for _, e := range []string{emb, other} {
		if err := s.Upsert(ctx, e, 2, items); err != nil {
			t.Fatal(err)
		}
	}
	h, err := s.Hashes(ctx, emb)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"x": items[0].Hash, "y": items[1].Hash, "z": items[2].Hash}
	if !mapsEqual(h, want) {
		t.Errorf("Hashes = %v, want %v", h, want)
	}

	if err := s.Delete(ctx, emb, []string{"x", "z", "unknown"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, emb, nil); err != nil {
		t.Fatal(err)
	}
	h, _ = s.Hashes(ctx, emb)
	if !mapsEqual(h, map[string]string{"y": items[1].Hash}) {
		t.Errorf("after Delete: %v", h)
	}
	got, err := s.Search(ctx, emb, []float32{1, 0}, 5, retrieval.Filter{})
	if err != nil || !slices.Equal(retrievaltest.IDs(got), []string{"y"}) {
		t.Errorf("search after Delete: %v, %v", retrievaltest.IDs(got), err)
	}
	// The other embedder is untouched.
	if h, _ := s.Hashes(ctx, other); len(h) != 3 {
		t.Errorf("other embedder: %v", h)
	}
	if h, err := s.Hashes(ctx, "never stored"); err != nil || h == nil || len(h) != 0 {
		t.Errorf("unknown embedder: %v, %v", h, err)
	}
}

// TestEmbeddersNeverMixed: two embedders store the same ids with vectors of
// different lengths; each search, hash list and index sees only its own.
func TestEmbeddersNeverMixed(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	ctx := t.Context()
	e3, e5 := embedderName(t, "3"), embedderName(t, "5")
	a := []retrieval.Item{item("shared", []float32{1, 0, 0}, func(it *retrieval.Item) { it.Text = "from e3" })}
	b := []retrieval.Item{item("shared", []float32{0, 0, 0, 0, 1}, func(it *retrieval.Item) { it.Text = "from e5" }),
		item("only5", []float32{0, 0, 0, 1, 1})}
	if err := s.Upsert(ctx, e3, 3, a); err != nil {
		t.Fatal(err)
	}
	if err := s.Upsert(ctx, e5, 5, b); err != nil {
		t.Fatal(err)
	}
	got, err := s.Search(ctx, e3, []float32{1, 0, 0}, 10, retrieval.Filter{})
	if err != nil || len(got) != 1 || got[0].Text != "from e3" {
		t.Errorf("e3: %v, %v", got, err)
	}
	got, err = s.Search(ctx, e5, []float32{0, 0, 0, 0, 1}, 10, retrieval.Filter{})
	if err != nil || !slices.Equal(retrievaltest.IDs(got), []string{"shared", "only5"}) || got[0].Text != "from e5" {
		t.Errorf("e5: %v, %v", got, err)
	}
	// A query of the wrong length is a bad query, not a silent mix.
	if _, err := s.Search(ctx, e3, []float32{0, 0, 0, 0, 1}, 10, retrieval.Filter{}); !errors.Is(err, retrieval.ErrInvalidQuery) {
		t.Errorf("5-dimensional query of a 3-dimensional embedder: %v", err)
	}
	// Each has its own index, for its own length.
	for e, dims := range map[string]int{e3: 3, e5: 5} {
		var def string
		if err := s.Pool().QueryRow(ctx, "SELECT pg_get_indexdef(to_regclass($1))", postgres.IndexName(e)).Scan(&def); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(def, fmt.Sprintf("::vector(%d)", dims)) || !strings.Contains(def, "hnsw") ||
			!strings.Contains(def, "vector_cosine_ops") || !strings.Contains(def, "m='16'") {
			t.Errorf("index of %s: %s", e, def)
		}
	}
	// Storing another length under an embedder's name is refused.
	err = s.Upsert(ctx, e3, 5, []retrieval.Item{item("x", []float32{1, 2, 3, 4, 5})})
	if err == nil || !strings.Contains(err.Error(), "stores 3-dimensional vectors") {
		t.Errorf("5 dims into a 3-dimensional embedder: %v", err)
	}
}

func TestEmptyStore(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	got, err := s.Search(t.Context(), embedderName(t, "none"), []float32{1, 2, 3}, 5, retrieval.Filter{Dimension: "metric_delta"})
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("Search of an empty embedder = %#v, %v; want an empty slice", got, err)
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestInvalidInput(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	ctx := t.Context()
	emb := embedderName(t, "3")
	if err := s.Upsert(ctx, emb, 3, []retrieval.Item{item("a", []float32{1, 0, 0})}); err != nil {
		t.Fatal(err)
	}
	nan := float32(math.NaN())
	upserts := []struct {
		name     string
		embedder string
		dims     int
		items    []retrieval.Item
		wantIn   string
	}{
		{"empty embedder", "", 3, []retrieval.Item{item("a", []float32{1, 0, 0})}, "empty embedder"},
		{"zero dims", emb, 0, []retrieval.Item{item("a", nil)}, "out of range"},
		{"too many dims", emb, 16001, nil, "out of range"},
		{"short vector", emb, 3, []retrieval.Item{item("a", []float32{1, 0})}, "2-dimensional vector, want 3"},
		{"zero vector", emb, 3, []retrieval.Item{item("a", []float32{0, 0, 0})}, "all zeros"},
		{"NaN", emb, 3, []retrieval.Item{item("a", []float32{nan, 0, 1})}, "NaN"},
		{"no id", emb, 3, []retrieval.Item{item("", []float32{1, 0, 0})}, "no id"},
		{"no hash", emb, 3, []retrieval.Item{{Exemplar: retrieval.Exemplar{ID: "a"}, Vector: []float32{1, 0, 0}}}, "no content hash"},
		{"id too long", emb, 3, []retrieval.Item{item(strings.Repeat("i", 201), []float32{1, 0, 0})}, "limited to 200 bytes"},
		{"NUL in text", emb, 3, []retrieval.Item{item("a", []float32{1, 0, 0}, func(it *retrieval.Item) { it.Text = "a\x00b" })}, "NUL"},
		{"bad UTF-8", emb, 3, []retrieval.Item{item("a", []float32{1, 0, 0}, func(it *retrieval.Item) { it.Why = "\xff" })}, "UTF-8"},
	}
	for _, tt := range upserts {
		t.Run("upsert "+tt.name, func(t *testing.T) {
			err := s.Upsert(ctx, tt.embedder, tt.dims, tt.items)
			if err == nil || !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("err = %v, want it to mention %q", err, tt.wantIn)
			}
		})
	}
	searches := []struct {
		name     string
		embedder string
		vec      []float32
		k        int
		f        retrieval.Filter
	}{
		{"empty embedder", "", []float32{1, 0, 0}, 3, retrieval.Filter{}},
		{"k zero", emb, []float32{1, 0, 0}, 0, retrieval.Filter{}},
		{"k negative", emb, []float32{1, 0, 0}, -1, retrieval.Filter{}},
		{"empty vector", emb, nil, 3, retrieval.Filter{}},
		{"zero vector", emb, []float32{0, 0, 0}, 3, retrieval.Filter{}},
		{"infinite", emb, []float32{float32(math.Inf(1)), 0, 0}, 3, retrieval.Filter{}},
		{"wrong length", emb, []float32{1, 0}, 3, retrieval.Filter{}},
		{"bad UTF-8 filter", emb, []float32{1, 0, 0}, 3, retrieval.Filter{Principle: "\xff"}},
	}
	for _, tt := range searches {
		t.Run("search "+tt.name, func(t *testing.T) {
			if _, err := s.Search(ctx, tt.embedder, tt.vec, tt.k, tt.f); !errors.Is(err, retrieval.ErrInvalidQuery) {
				t.Errorf("err = %v, want ErrInvalidQuery", err)
			}
		})
	}
}

func TestContextCancelled(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	emb := embedderName(t, "2")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	v := []float32{1, 0}
	checks := map[string]error{
		"upsert": s.Upsert(ctx, emb, 2, []retrieval.Item{item("a", v)}),
		"delete": s.Delete(ctx, emb, []string{"a"}),
		"ping":   s.Ping(ctx),
	}
	_, checks["search"] = s.Search(ctx, emb, v, 1, retrieval.Filter{})
	_, checks["hashes"] = s.Hashes(ctx, emb)
	for op, err := range checks {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v", op, err)
		}
	}
	// Nothing was stored.
	if h, err := s.Hashes(t.Context(), emb); err != nil || len(h) != 0 {
		t.Errorf("after cancelled upsert: %v, %v", h, err)
	}
}

// TestEmbedderNameQuoting: the embedder name goes into the CREATE INDEX
// statement as a literal; quotes and backslashes must neither break nor
// inject into it, and the index must still match the searches.
func TestEmbedderNameQuoting(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"local-v1":         "'local-v1'",
		"it's":             "'it''s'",
		`back\slash`:       `E'back\\slash'`,
		`'); DROP TABLE x`: `'''); DROP TABLE x'`,
	} {
		if got := postgres.QuoteLiteral(in); got != want {
			t.Errorf("QuoteLiteral(%q) = %s, want %s", in, got, want)
		}
	}

	url := pgtest.NewDatabase(t)
	s, _ := open(t, url)
	ctx := t.Context()
	emb := `o'brien\x"; DROP TABLE exemplar_vectors; --`
	if err := s.Upsert(ctx, emb, 16, clustered(2000, 16, 5)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, "ANALYZE exemplar_vectors"); err != nil {
		t.Fatal(err)
	}
	res, err := s.RunSearchStatement(ctx, emb, randomUnit(rand.New(rand.NewPCG(1, 1)), 16), 5, retrieval.Filter{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Matches) != 5 || !strings.Contains(res.Plan, postgres.IndexName(emb)) {
		t.Errorf("%d matches; plan:\n%s", len(res.Matches), res.Plan)
	}
	var pred string
	if err := s.Pool().QueryRow(ctx, "SELECT pg_get_expr(indpred, indrelid) FROM pg_index WHERE indexrelid = to_regclass($1)",
		postgres.IndexName(emb)).Scan(&pred); err != nil {
		t.Fatal(err)
	}
	t.Logf("index predicate: %s", pred)
}

func TestDropEmbedderAndIndexSize(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	ctx := t.Context()
	emb := embedderName(t, "8")
	if err := s.Upsert(ctx, emb, 8, clustered(100, 8, 3)); err != nil {
		t.Fatal(err)
	}
	size, err := s.IndexSize(ctx, emb)
	if err != nil || size <= 0 {
		t.Errorf("IndexSize = %d, %v", size, err)
	}
	n, err := s.DropEmbedder(ctx, emb)
	if err != nil || n != 100 {
		t.Errorf("DropEmbedder = %d, %v; want 100", n, err)
	}
	if size, err := s.IndexSize(ctx, emb); err != nil || size != 0 {
		t.Errorf("IndexSize after drop = %d, %v", size, err)
	}
	// Storing again rebuilds the index.
	if err := s.Upsert(ctx, emb, 8, clustered(10, 8, 3)); err != nil {
		t.Fatal(err)
	}
	if size, err := s.IndexSize(ctx, emb); err != nil || size <= 0 {
		t.Errorf("IndexSize after a new upsert = %d, %v", size, err)
	}
}

// TestLoadThenBuildIndex: Load stores without an index (searches still
// work, exactly), BuildIndex adds it.
func TestLoadThenBuildIndex(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "", postgres.WithIndexBuild("64MB", 0))
	ctx := t.Context()
	emb := embedderName(t, "8")
	items := clustered(300, 8, 11)
	n, err := s.Load(ctx, emb, 8, items)
	if err != nil || n != 300 {
		t.Fatalf("Load = %d, %v", n, err)
	}
	if size, _ := s.IndexSize(ctx, emb); size != 0 {
		t.Errorf("Load built an index (%d bytes)", size)
	}
	got, err := s.Search(ctx, emb, items[42].Vector, 1, retrieval.Filter{Dimension: "common"})
	if err != nil || len(got) != 1 || got[0].ID != items[42].ID {
		t.Errorf("search without an index: %v, %v", got, err)
	}
	if err := s.BuildIndex(ctx, emb, 8); err != nil {
		t.Fatal(err)
	}
	if err := s.BuildIndex(ctx, emb, 8); err != nil { // again: a no-op
		t.Fatal(err)
	}
	if size, _ := s.IndexSize(ctx, emb); size == 0 {
		t.Error("BuildIndex built nothing")
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	ctx := t.Context()
	emb := embedderName(t, "16")
	items := clustered(200, 16, 13)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for w := range 4 {
		wg.Go(func() {
			// Every writer upserts the same items (in its own order): the
			// index is created once and the rows end up the same.
			mine := slices.Clone(items)
			rand.New(rand.NewPCG(uint64(w), 0)).Shuffle(len(mine), func(i, j int) { mine[i], mine[j] = mine[j], mine[i] })
			if err := s.Upsert(ctx, emb, 16, mine); err != nil {
				errs <- err
			}
			for i := range 5 {
				if _, err := s.Search(ctx, emb, items[i].Vector, 3, retrieval.Filter{}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if h, _ := s.Hashes(ctx, emb); len(h) != 200 {
		t.Errorf("%d rows, want 200", len(h))
	}
}

func TestConnectionLost(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{context.Canceled, false},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), false},
		{errors.New("syntax error"), false},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{&pgconn.PgError{Code: "57P01"}, true},
		{&pgconn.PgError{Code: "08006"}, true},
		{&pgconn.PgError{Code: "42P01"}, false},
	} {
		if got := postgres.ConnectionLost(tt.err); got != tt.want {
			t.Errorf("connectionLost(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

// TestSearchPlansStayCustom: pgx prepares the search statement once per
// connection; every execution must still be planned for its embedder
// (a generic plan could not use the partial HNSW index). On a one-connection
// pool, after many searches, the prepared statement shows only custom plans.
func TestSearchPlansStayCustom(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "", postgres.WithMaxConns(1))
	ctx := t.Context()
	emb := embedderName(t, "8")
	if err := s.Upsert(ctx, emb, 8, clustered(200, 8, 17)); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 5))
	for range 12 {
		if _, err := s.Search(ctx, emb, randomUnit(r, 8), 3, retrieval.Filter{}); err != nil {
			t.Fatal(err)
		}
	}
	var generic, custom int64
	if err := s.Pool().QueryRow(ctx, `SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)
		FROM pg_prepared_statements WHERE statement LIKE 'WITH nearest AS MATERIALIZED%'`).Scan(&generic, &custom); err != nil {
		t.Fatal(err)
	}
	if generic != 0 || custom < 12 {
		t.Errorf("search statement: %d generic plans, %d custom; want 0 and at least 12", generic, custom)
	}
}

// Search sends its settings and its query as one batch (one round trip).
// That relies on PostgreSQL running a pipeline up to its Sync as one
// implicit transaction: settings made local in it hold for the query that
// follows and are gone for the next user of the connection.
func TestBatchSettingsHoldForTheBatchOnly(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })

	b := &pgx.Batch{}
	b.Queue("SELECT set_config('hnsw.ef_search', '123', true)")
	b.Queue("SELECT current_setting('hnsw.ef_search')")
	br := conn.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		t.Fatal(err)
	}
	var inside string
	if err := br.QueryRow().Scan(&inside); err != nil {
		t.Fatal(err)
	}
	if err := br.Close(); err != nil {
		t.Fatal(err)
	}
	var after string
	if err := conn.QueryRow(ctx, "SELECT current_setting('hnsw.ef_search')").Scan(&after); err != nil {
		t.Fatal(err)
	}
	if inside != "123" {
		t.Errorf("inside the batch hnsw.ef_search = %q, want the batch's 123", inside)
	}
	if after == "123" {
		t.Errorf("after the batch hnsw.ef_search is still 123: the setting leaked to the connection")
	}
}

// A statement whose context is cancelled (a candidate left mid-turn) is
// cancelled on the server, and the pool keeps its connection: the next
// request runs on the same backend instead of paying for a new connection.
func TestCancelledStatementKeepsTheConnection(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "", postgres.WithMaxConns(1))
	ctx := t.Context()
	watch, err := pgx.Connect(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { watch.Close(context.Background()) })
	var before int
	if err := s.Pool().QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&before); err != nil {
		t.Fatal(err)
	}

	qctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := s.Pool().Exec(qctx, "SELECT pg_sleep(30)")
		done <- err
	}()
	// Cancel once the statement runs on the server.
	for {
		var running bool
		if err := watch.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND query LIKE 'SELECT pg_sleep%' AND state = 'active')", before).Scan(&running); err != nil {
			t.Fatal(err)
		}
		if running {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the statement ended before it was cancelled: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the cancelled statement succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the cancelled statement did not return within 10s")
	}

	var after int
	if err := s.Pool().QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("after a cancelled statement the pool's connection is backend %d, was %d: the connection was dropped", after, before)
	}
}
