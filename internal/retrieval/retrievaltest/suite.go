// Package retrievaltest holds reusable checks for implementations of the
// retrieval package's interfaces: RunStoreSuite for any VectorStore and
// RunQualityCheck for retrieval quality over the shipped pack. It is a
// regular package so that every store's tests can import it.
package retrievaltest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"barraiser/internal/retrieval"
)

// SuiteDims is the vector length the suite stores: the local embedder's, so
// a store whose column has fixed dimensions (vector(384)) passes too.
const SuiteDims = retrieval.LocalDimensions

// scoreTolerance is how far a reported score may be from the exact cosine
// (float32 arithmetic in a database).
const scoreTolerance = 1e-3

// RunStoreSuite checks the behaviour every retrieval.VectorStore must have.
// newStore is called once per subtest and must return a usable store; it
// may return the same store each time, since every subtest uses its own
// embedder names (derived from the test name), but it must not share them
// with anything else. The suite checks:
//
//   - Search ranks by cosine similarity (not dot product: vectors are
//     stored at arbitrary lengths), best first, with Score the cosine;
//   - every Exemplar field round-trips;
//   - Upsert replaces an item with the same id (vector, fields, hash);
//   - Delete removes items and ignores unknown ids;
//   - Hashes returns id → hash for one embedder, empty when it has none;
//   - filters on principle, dimension and label, alone and together, and
//     Org (shared pack plus the named organisation's items) return k
//     items whenever k pass, even when they are a small fraction (10 to 50
//     of 1,000 rows) of the table — an approximate index must not lose
//     them (pgvector: hnsw.iterative_scan, or an exact scan);
//   - the items of two embedders never mix, even with the same ids;
//   - an empty store (or unknown embedder) answers an empty result and no
//     error; k larger than the table returns the whole table;
//   - equal scores are ordered by id;
//   - a vector whose length is not dims is refused;
//   - a cancelled context makes every method fail with an error that
//     wraps context.Canceled.
func RunStoreSuite(t *testing.T, newStore func(t *testing.T) retrieval.VectorStore) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s retrieval.VectorStore, emb string)
	}{
		{"NearestFirst", testNearestFirst},
		{"FieldsRoundTrip", testFieldsRoundTrip},
		{"UpsertReplaces", testUpsertReplaces},
		{"Delete", testDelete},
		{"Hashes", testHashes},
		{"Filters", testFilters},
		{"Org", testOrg},
		{"EmbeddersDoNotMix", testEmbeddersDoNotMix},
		{"Empty", testEmpty},
		{"KLargerThanTable", testKLargerThanTable},
		{"TiesByID", testTiesByID},
		{"WrongDimensions", testWrongDimensions},
		{"CancelledContext", testCancelledContext},
		{"Ping", testPing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, newStore(t), embedderName(t))
		})
	}
}

// suiteRun numbers the subtests of this process, so a store that outlives
// one run (a database shared across go test -count) never hands a subtest
// the rows of an earlier run of it.
var suiteRun atomic.Int64

// embedderName derives a unique embedder name from the test's name.
func embedderName(t *testing.T) string {
	return fmt.Sprintf("suite:%s:%d", strings.ReplaceAll(t.Name(), "/", ":"), suiteRun.Add(1))
}

// vecs makes deterministic pseudo-random vectors of SuiteDims entries with
// lengths between 0.5 and 3, so a store that ranks by dot product instead
// of cosine fails.
type vecs struct{ rng *rand.Rand }

func newVecs(seed uint64) *vecs { return &vecs{rand.New(rand.NewPCG(seed, 0x5eed))} }

func (g *vecs) next() []float32 {
	v := make([]float32, SuiteDims)
	for i := range v {
		v[i] = float32(g.rng.NormFloat64())
	}
	scale := float32(0.5+2.5*g.rng.Float64()) / norm(v)
	for i := range v {
		v[i] *= scale
	}
	return v
}

// near returns v's direction plus Gaussian noise of about noise in
// length, at a random length: noise 0.05 gives a cosine of about 0.999
// with v, 0.5 about 0.9.
func (g *vecs) near(v []float32, noise float64) []float32 {
	out := make([]float32, len(v))
	n := norm(v)
	for i := range v {
		out[i] = v[i]/n + float32(noise*g.rng.NormFloat64()/math.Sqrt(float64(len(v))))
	}
	scale := float32(0.5 + 2.5*g.rng.Float64())
	for i := range out {
		out[i] *= scale
	}
	return out
}

func norm(v []float32) float32 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return float32(math.Sqrt(s))
}

func cosine(a, b []float32) float64 {
	var d float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
	}
	return d / float64(norm(a)) / float64(norm(b))
}

func item(id string, v []float32) retrieval.Item {
	return retrieval.Item{
		Exemplar: retrieval.Exemplar{
			ID: id, Principle: "Ownership", Dimension: "mechanism", Label: retrieval.LabelStrong,
			Text: "text of " + id, Why: "why " + id, Source: "pack",
		},
		Hash:   "hash-" + id,
		Vector: v,
	}
}

func upsert(t *testing.T, s retrieval.VectorStore, emb string, items ...retrieval.Item) {
	t.Helper()
	if err := s.Upsert(t.Context(), emb, SuiteDims, items); err != nil {
		t.Fatalf("Upsert(%s, %d items): %v", emb, len(items), err)
	}
}

func search(t *testing.T, s retrieval.VectorStore, emb string, q []float32, k int, f retrieval.Filter) []retrieval.Match {
	t.Helper()
	ms, err := s.Search(t.Context(), emb, q, k, f)
	if err != nil {
		t.Fatalf("Search(%s, k=%d, %+v): %v", emb, k, f, err)
	}
	return ms
}

// IDs lists the matches' ids in rank order.
func IDs(ms []retrieval.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// checkRanked fails unless ms is sorted best first, has no duplicate ids,
// and every score is the cosine of the query with the stored vector.
func checkRanked(t *testing.T, ms []retrieval.Match, q []float32, stored map[string][]float32) {
	t.Helper()
	seen := map[string]bool{}
	for i, m := range ms {
		if seen[m.ID] {
			t.Fatalf("id %s returned twice: %v", m.ID, IDs(ms))
		}
		seen[m.ID] = true
		if i > 0 && m.Score > ms[i-1].Score+1e-9 {
			t.Fatalf("results not best first at %d: %v then %v", i, ms[i-1].Score, m.Score)
		}
		v, ok := stored[m.ID]
		if !ok {
			t.Fatalf("result %s was never stored", m.ID)
		}
		if want := cosine(q, v); math.Abs(m.Score-want) > scoreTolerance {
			t.Fatalf("score of %s = %.6f, want the cosine %.6f", m.ID, m.Score, want)
		}
	}
}

func testNearestFirst(t *testing.T, s retrieval.VectorStore, emb string) {
	g := newVecs(1)
	stored := map[string][]float32{}
	var items []retrieval.Item
	for i := range 40 {
		id := fmt.Sprintf("item-%02d", i)
		stored[id] = g.next()
		items = append(items, item(id, stored[id]))
	}
	upsert(t, s, emb, items...)

	for _, target := range []string{"item-00", "item-17", "item-39"} {
		q := g.near(stored[target], 0.05)
		ms := search(t, s, emb, q, 5, retrieval.Filter{})
		if len(ms) != 5 {
			t.Fatalf("got %d results, want 5", len(ms))
		}
		if ms[0].ID != target {
			t.Fatalf("nearest to a copy of %s is %s (%v)", target, ms[0].ID, IDs(ms))
		}
		checkRanked(t, ms, q, stored)
		// The exact top 5 by cosine.
		all := slices.Collect(maps.Keys(stored))
		slices.SortFunc(all, func(a, b string) int {
			return -cmp.Compare(cosine(q, stored[a]), cosine(q, stored[b]))
		})
		if got := IDs(ms); !slices.Equal(got, all[:5]) {
			t.Fatalf("top 5 = %v, want %v", got, all[:5])
		}
	}
	// The exact vector scores 1.
	ms := search(t, s, emb, stored["item-05"], 1, retrieval.Filter{})
	if len(ms) != 1 || ms[0].ID != "item-05" || math.Abs(ms[0].Score-1) > scoreTolerance {
		t.Fatalf("searching item-05's own vector: %+v", ms)
	}
}

func testFieldsRoundTrip(t *testing.T, s retrieval.VectorStore, emb string) {
	g := newVecs(2)
	v := g.next()
	want := retrieval.Exemplar{
		ID: "round-trip", Principle: "Have Backbone; Disagree and Commit", Dimension: "directed_by_manager",
		Label: retrieval.LabelWeak, Level: "L6", Text: "My manager asked me to — “look into it”, 40% …",
		Why: "Acted on instruction; ‘quotes’ and ünïcödé survive.", Source: "walkthrough", Org: "",
	}
	upsert(t, s, emb, retrieval.Item{Exemplar: want, Hash: "h1", Vector: v})
	ms := search(t, s, emb, v, 1, retrieval.Filter{})
	if len(ms) != 1 {
		t.Fatalf("got %d results", len(ms))
	}
	if ms[0].Exemplar != want {
		t.Fatalf("exemplar = %+v, want %+v", ms[0].Exemplar, want)
	}

	org := want
	org.ID, org.Org = "round-trip-org", "acme"
	upsert(t, s, emb, retrieval.Item{Exemplar: org, Hash: "h2", Vector: g.next()})
	ms = search(t, s, emb, v, 2, retrieval.Filter{Org: "acme"})
	i := slices.IndexFunc(ms, func(m retrieval.Match) bool { return m.ID == org.ID })
	if i < 0 || ms[i].Exemplar != org {
		t.Fatalf("org exemplar did not round-trip: %+v", ms)
	}
}

func testUpsertReplaces(t *testing.T, s retrieval.VectorStore, emb string) {
	g := newVecs(3)
	a, b, other := g.next(), g.next(), g.next()
	upsert(t, s, emb, item("x", a), item("y", other))

	changed := item("x", b)
	changed.Text, changed.Label, changed.Hash = "new text", retrieval.LabelWeak, "hash-x-2"
	upsert(t, s, emb, changed)

	h, err := s.Hashes(t.Context(), emb)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h["x"] != "hash-x-2" || h["y"] != "hash-y" {
		t.Fatalf("hashes after replace = %v", h)
	}
	ms := search(t, s, emb, b, 10, retrieval.Filter{})
	if len(ms) != 2 {
		t.Fatalf("replace added a row: %v", IDs(ms))
	}
	if ms[0].ID != "x" || ms[0].Text != "new text" || ms[0].Label != retrieval.LabelWeak || math.Abs(ms[0].Score-1) > scoreTolerance {
		t.Fatalf("search near the new vector = %+v", ms[0])
	}
	checkRanked(t, ms, b, map[string][]float32{"x": b, "y": other})

	// Upserting the same item twice in one call is not required to work,
	// but upserting an unchanged item again is a no-op.
	upsert(t, s, emb, changed)
	if h2, _ := s.Hashes(t.Context(), emb); len(h2) != 2 {
		t.Fatalf("hashes after re-upsert = %v", h2)
	}
}

func testDelete(t *testing.T, s retrieval.VectorStore, emb string) {
	g := newVecs(4)
	stored := map[string][]float32{}
	var items []retrieval.Item
	for _, id := range []string{"a", "b", "c", "d"} {
		stored[id] = g.next()
		items = append(items, item(id, stored[id]))
	}
	upsert(t, s, emb, items...)
	if err := s.Delete(t.Context(), emb, []string{"b", "d", "never-stored"}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := s.Delete(t.Context(), emb, nil); err != nil {
		t.Fatalf("Delete of no ids: %v", err)
	}
	h, err := s.Hashes(t.Context(), emb)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h["a"] == "" || h["c"] == "" {
		t.Fatalf("hashes after delete = %v", h)
	}
	ms := search(t, s, emb, stored["b"], 10, retrieval.Filter{})
	if got := IDs(ms); len(got) != 2 || slices.Contains(got, "b") || slices.Contains(got, "d") {
		t.Fatalf("search after delete = %v", got)
	}
}

func testHashes(t *testing.T, s retrieval.VectorStore, emb string) {
	h, err := s.Hashes(t.Context(), emb)
	if err != nil {
		t.Fatalf("Hashes of an unknown embedder: %v", err)
	}
	if len(h) != 0 {
		t.Fatalf("Hashes of an unknown embedder = %v", h)
	}
	g := newVecs(5)
	want := map[string]string{}
	var items []retrieval.Item
	for i := range 25 {
		it := item(fmt.Sprintf("h-%d", i), g.next())
		it.Hash = fmt.Sprintf("%064x", i*7919)
		want[it.ID] = it.Hash
		items = append(items, it)
	}
	upsert(t, s, emb, items...)
	h, err = s.Hashes(t.Context(), emb)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != len(want) {
		t.Fatalf("got %d hashes, want %d", len(h), len(want))
	}
	for id, hash := range want {
		if h[id] != hash {
			t.Fatalf("hash of %s = %q, want %q", id, h[id], hash)
		}
	}
}

// filterTable stores 1,000 items where the filter values used by
// testFilters match few rows: principle "Frugality" 50, dimension
// "data_rigor" 50, label "weak" 30, dimension and label together 10,
// all three with label "strong" 20. It returns the vectors and exemplars.
func filterTable(t *testing.T, s retrieval.VectorStore, emb string, g *vecs) (map[string][]float32, map[string]retrieval.Exemplar) {
	t.Helper()
	vs := map[string][]float32{}
	exs := map[string]retrieval.Exemplar{}
	var batch []retrieval.Item
	for i := range 1000 {
		it := item(fmt.Sprintf("row-%04d", i), g.next())
		it.Principle, it.Dimension, it.Label = "Ownership", "concrete_actions", retrieval.LabelStrong
		switch {
		case i < 10: // all three
			it.Principle, it.Dimension, it.Label = "Frugality", "data_rigor", retrieval.LabelWeak
		case i < 30:
			it.Principle = "Frugality"
		case i < 50:
			it.Dimension = "data_rigor"
		case i < 70:
			it.Label = retrieval.LabelWeak
		}
		if i >= 70 && i < 90 {
			it.Principle, it.Dimension = "Frugality", "data_rigor" // 20 more with both, label strong
		}
		vs[it.ID] = it.Vector
		exs[it.ID] = it.Exemplar
		batch = append(batch, it)
	}
	upsert(t, s, emb, batch...)
	return vs, exs
}

func testFilters(t *testing.T, s retrieval.VectorStore, emb string) {
	g := newVecs(6)
	vs, exs := filterTable(t, s, emb, g)
	tests := []struct {
		name   string
		f      retrieval.Filter
		passes func(retrieval.Exemplar) bool
	}{
		{"principle", retrieval.Filter{Principle: "Frugality"}, func(e retrieval.Exemplar) bool { return e.Principle == "Frugality" }},
		{"dimension", retrieval.Filter{Dimension: "data_rigor"}, func(e retrieval.Exemplar) bool { return e.Dimension == "data_rigor" }},
		{"label", retrieval.Filter{Label: retrieval.LabelWeak}, func(e retrieval.Exemplar) bool { return e.Label == retrieval.LabelWeak }},
		{"dimension and label", retrieval.Filter{Dimension: "data_rigor", Label: retrieval.LabelWeak}, func(e retrieval.Exemplar) bool {
			return e.Dimension == "data_rigor" && e.Label == retrieval.LabelWeak
		}},
		{"all three", retrieval.Filter{Principle: "Frugality", Dimension: "data_rigor", Label: retrieval.LabelStrong}, func(e retrieval.Exemplar) bool {
			return e.Principle == "Frugality" && e.Dimension == "data_rigor" && e.Label == retrieval.LabelStrong
		}},
		{"no match", retrieval.Filter{Principle: "Think Big"}, func(e retrieval.Exemplar) bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var matching []string
			for id, e := range exs {
				if tt.passes(e) {
					matching = append(matching, id)
				}
			}
			// Query near one matching row, and near a row that does not
			// match (the hard case for a post-filtered approximate index).
			queries := [][]float32{g.next()}
			if len(matching) > 0 {
				queries = append(queries, g.near(vs[slices.Min(matching)], 0.1))
			}
			for qi, q := range queries {
				for _, k := range []int{1, 10, 50} {
					ms := search(t, s, emb, q, k, tt.f)
					if want := min(k, len(matching)); len(ms) != want {
						t.Fatalf("query %d, k=%d: got %d results, want %d (%d rows match)", qi, k, len(ms), want, len(matching))
					}
					for _, m := range ms {
						if !tt.passes(m.Exemplar) {
							t.Fatalf("result %s (%s/%s/%s) does not pass %+v", m.ID, m.Principle, m.Dimension, m.Label, tt.f)
						}
					}
					checkRanked(t, ms, q, vs)
					if qi == 1 && ms[0].ID != slices.Min(matching) {
						t.Fatalf("k=%d: nearest matching row to a copy of %s is %s", k, slices.Min(matching), ms[0].ID)
					}
				}
			}
		})
	}
}

func testOrg(t *testing.T, s retrieval.VectorStore, emb string) {
	g := newVecs(7)
	q := g.next()
	mk := func(id, org string) retrieval.Item {
		it := item(id, g.near(q, 0.5))
		it.Org = org
		return it
	}
	upsert(t, s, emb, mk("shared-1", ""), mk("shared-2", ""), mk("acme-1", "acme"), mk("acme-2", "acme"), mk("globex-1", "globex"))
	tests := []struct {
		org  string
		want []string
	}{
		{"", []string{"shared-1", "shared-2"}},
		{"acme", []string{"acme-1", "acme-2", "shared-1", "shared-2"}},
		{"globex", []string{"globex-1", "shared-1", "shared-2"}},
		{"initech", []string{"shared-1", "shared-2"}},
	}
	for _, tt := range tests {
		got := IDs(search(t, s, emb, q, 10, retrieval.Filter{Org: tt.org}))
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Org %q: got %v, want %v", tt.org, got, tt.want)
		}
	}
}

func testEmbeddersDoNotMix(t *testing.T, s retrieval.VectorStore, emb string) {
	g := newVecs(8)
	embA, embB := emb+":a", emb+":b"
	va := map[string][]float32{}
	vb := map[string][]float32{}
	var itemsA, itemsB []retrieval.Item
	for i := range 10 {
		id := fmt.Sprintf("same-%d", i)
		va[id], vb[id] = g.next(), g.next()
		a, b := item(id, va[id]), item(id, vb[id])
		a.Text, b.Text = "from A", "from B"
		a.Hash, b.Hash = "ha", "hb"
		itemsA, itemsB = append(itemsA, a), append(itemsB, b)
	}
	upsert(t, s, embA, itemsA...)
	upsert(t, s, embB, itemsB...)

	q := g.near(va["same-3"], 0.05)
	ms := search(t, s, embA, q, 20, retrieval.Filter{})
	if len(ms) != 10 || ms[0].ID != "same-3" {
		t.Fatalf("search under A: %v", IDs(ms))
	}
	for _, m := range ms {
		if m.Text != "from A" {
			t.Fatalf("search under A returned B's item %s", m.ID)
		}
	}
	checkRanked(t, ms, q, va)

	hb, err := s.Hashes(t.Context(), embB)
	if err != nil {
		t.Fatal(err)
	}
	for id, h := range hb {
		if h != "hb" {
			t.Fatalf("hash of %s under B = %q", id, h)
		}
	}
	if err := s.Delete(t.Context(), embA, []string{"same-0", "same-1"}); err != nil {
		t.Fatal(err)
	}
	if hb, _ := s.Hashes(t.Context(), embB); len(hb) != 10 {
		t.Fatalf("deleting under A removed B's items: %d left", len(hb))
	}
	ms = search(t, s, embB, vb["same-0"], 1, retrieval.Filter{})
	if len(ms) != 1 || ms[0].ID != "same-0" || ms[0].Text != "from B" {
		t.Fatalf("search under B after deleting under A: %+v", ms)
	}
}

func testEmpty(t *testing.T, s retrieval.VectorStore, emb string) {
	q := newVecs(9).next()
	ms, err := s.Search(t.Context(), emb, q, 5, retrieval.Filter{})
	if err != nil {
		t.Fatalf("Search of an empty store: %v", err)
	}
	if len(ms) != 0 {
		t.Fatalf("Search of an empty store = %v", IDs(ms))
	}
	ms, err = s.Search(t.Context(), emb, q, 5, retrieval.Filter{Dimension: "mechanism", Org: "acme"})
	if err != nil || len(ms) != 0 {
		t.Fatalf("filtered Search of an empty store = %v, %v", IDs(ms), err)
	}
}

func testKLargerThanTable(t *testing.T, s retrieval.VectorStore, emb string) {
	g := newVecs(10)
	stored := map[string][]float32{}
	var items []retrieval.Item
	for i := range 7 {
		id := fmt.Sprintf("k-%d", i)
		stored[id] = g.next()
		items = append(items, item(id, stored[id]))
	}
	upsert(t, s, emb, items...)
	q := g.next()
	ms := search(t, s, emb, q, retrieval.MaxK, retrieval.Filter{})
	if len(ms) != 7 {
		t.Fatalf("k=%d over 7 rows returned %d", retrieval.MaxK, len(ms))
	}
	checkRanked(t, ms, q, stored)
}

func testTiesByID(t *testing.T, s retrieval.VectorStore, emb string) {
	g := newVecs(11)
	v := g.next()
	// Same direction, different lengths: equal cosine.
	scaled := func(f float32) []float32 {
		out := slices.Clone(v)
		for i := range out {
			out[i] *= f
		}
		return out
	}
	upsert(t, s, emb, item("tie-c", scaled(1)), item("tie-a", scaled(2)), item("tie-b", scaled(0.5)), item("far", g.next()))
	ms := search(t, s, emb, v, 3, retrieval.Filter{})
	if got := IDs(ms); !slices.Equal(got, []string{"tie-a", "tie-b", "tie-c"}) {
		t.Fatalf("equal scores ordered %v, want by id", got)
	}
}

func testWrongDimensions(t *testing.T, s retrieval.VectorStore, emb string) {
	g := newVecs(12)
	bad := item("short", g.next()[:SuiteDims-1])
	if err := s.Upsert(t.Context(), emb, SuiteDims, []retrieval.Item{item("ok", g.next()), bad}); err == nil {
		t.Fatal("Upsert accepted a vector shorter than dims")
	}
}

func testCancelledContext(t *testing.T, s retrieval.VectorStore, emb string) {
	g := newVecs(13)
	upsert(t, s, emb, item("c", g.next()))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := map[string]error{}
	_, calls["Hashes"] = s.Hashes(ctx, emb)
	calls["Upsert"] = s.Upsert(ctx, emb, SuiteDims, []retrieval.Item{item("d", g.next())})
	calls["Delete"] = s.Delete(ctx, emb, []string{"c"})
	_, calls["Search"] = s.Search(ctx, emb, g.next(), 3, retrieval.Filter{})
	calls["Ping"] = s.Ping(ctx)
	for name, err := range calls {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want an error wrapping context.Canceled", name, err)
		}
	}
	// Nothing changed.
	h, err := s.Hashes(t.Context(), emb)
	if err != nil || len(h) != 1 || h["c"] == "" {
		t.Fatalf("after cancelled calls: %v, %v", h, err)
	}
}

func testPing(t *testing.T, s retrieval.VectorStore, _ string) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}
