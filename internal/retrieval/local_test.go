package retrieval

import (
	"context"
	"errors"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"barraiser/internal/knowledge"
)

func packExemplars(t testing.TB) []Exemplar {
	t.Helper()
	p, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	return ExemplarsFromPack(p)
}

// packEmbedder is built once: construction takes tens of milliseconds.
var packEmbedder = sync.OnceValues(func() (*LocalEmbedder, error) {
	p, err := knowledge.Load()
	if err != nil {
		return nil, err
	}
	return NewLocalEmbedder(ExemplarsFromPack(p)), nil
})

func testEmbedder(t testing.TB) *LocalEmbedder {
	t.Helper()
	e, err := packEmbedder()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func norm32(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

func dot32(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"I didn't ship it.", []string{"i", "didnt", "ship", "it", ""}},
		{"We fixed it; they're happy", []string{"we", "fixed", "it", "", "theyre", "happy"}},
		{"from 40% to 12%", []string{"from", "#", "%", "to", "#", "%"}},
		{"$2M saved, 1,200 orders, 0.3% drop", []string{"$", "#m", "saved", "", "#", "orders", "", "#", "%", "drop"}},
		{"p99 fell from six to two", []string{"p#", "fell", "from", "#", "to", "#"}},
		{"No one asked", []string{"no", "one", "asked"}},
		{"nice-to-have", []string{"nice", "to", "have"}},
		{"Ünïcödé Café’s menu", []string{"ünïcödé", "cafés", "menu"}},
		{"'quoted' words", []string{"quoted", "words"}},
		{"", nil},
		{"!!! ...", nil},
	}
	for _, tt := range tests {
		if got := tokenize(tt.in, nil); !slices.Equal(got, tt.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{
		"checks": "check", "checked": "check", "checking": "check", "queries": "query",
		"fixes": "fix", "pushes": "push", "process": "process", "status": "status",
		"analysis": "analysis", "quickly": "quick", "i": "i", "was": "was", "#": "#",
	} {
		if got := stem(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLocalEmbedderVectors(t *testing.T) {
	e := testEmbedder(t)
	if e.Dimensions() != LocalDimensions || LocalDimensions != 384 {
		t.Fatalf("Dimensions() = %d", e.Dimensions())
	}
	texts := []string{
		"I sent the platform team a Slack message and they fixed it.",
		"", "   ", "!!! ...", "42", strings.Repeat("word ", 3000), "Ünïcödé 🙂 text",
		"\xff\xfe invalid UTF-8",
	}
	vecs, err := e.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != len(texts) {
		t.Fatalf("%d vectors for %d texts", len(vecs), len(texts))
	}
	for i, v := range vecs {
		if len(v) != LocalDimensions {
			t.Errorf("%q: %d dimensions", texts[i], len(v))
		}
		for _, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("%q: non-finite entry", texts[i])
			}
		}
		if n := norm32(v); math.Abs(n-1) > 1e-5 {
			t.Errorf("%q: length %v, want 1", texts[i], n)
		}
	}
	if got, err := e.Embed(t.Context(), nil); err != nil || len(got) != 0 {
		t.Errorf("Embed(nil) = %v, %v", got, err)
	}
}

func TestLocalEmbedderDeterministic(t *testing.T) {
	ex := packExemplars(t)
	a, b := NewLocalEmbedder(ex), NewLocalEmbedder(slices.Clone(ex))
	if a.Name() != b.Name() {
		t.Fatalf("names differ: %s, %s", a.Name(), b.Name())
	}
	texts := []string{ex[0].Text, "My manager asked me to look into it.", "We did it together."}
	va, _ := a.Embed(t.Context(), texts)
	vb, _ := b.Embed(t.Context(), texts)
	for i := range texts {
		if !slices.Equal(va[i], vb[i]) {
			t.Fatalf("vectors of %q differ between equal embedders", texts[i])
		}
	}
}

func TestLocalEmbedderName(t *testing.T) {
	ex := packExemplars(t)
	base := NewLocalEmbedder(ex)
	if !regexp.MustCompile(`^local-v1-384-[0-9a-f]{8}$`).MatchString(base.Name()) {
		t.Fatalf("Name() = %q", base.Name())
	}
	edited := slices.Clone(ex)
	edited[3].Text += " And then I checked it again."
	relabelled := slices.Clone(ex)
	relabelled[3].Label = map[string]string{LabelWeak: LabelStrong, LabelStrong: LabelWeak}[relabelled[3].Label]
	p := defaultLocalParams
	p.Shape *= 1.01
	docs := make([]doc, len(ex))
	for i, x := range ex {
		docs[i] = doc{x.Text, x.Dimension + "/" + x.Label}
	}
	tweaked := buildLocal(p, corpusStatsOf(docs, p, base.signals), docs, base.signals)
	tweaked.name = tweaked.fingerprint(docs)

	for name, other := range map[string]string{
		"one text edited":   NewLocalEmbedder(edited).Name(),
		"one label changed": NewLocalEmbedder(relabelled).Name(),
		"one fewer":         NewLocalEmbedder(ex[1:]).Name(),
		"a weight changed":  tweaked.Name(),
	} {
		if other == base.Name() {
			t.Errorf("%s: Name did not change (%s)", name, other)
		}
	}
}

// TestLocalProjectionIsExact: while the corpus fits in the lexical block,
// the projection keeps every dot product between a text and a corpus text
// exactly.
func TestLocalProjectionIsExact(t *testing.T) {
	e := testEmbedder(t)
	ex := packExemplars(t)
	if e.rank != len(ex) {
		t.Fatalf("rank %d, want %d (one direction per pack text)", e.rank, len(ex))
	}
	s := &scratch{}
	for _, q := range []string{"Nobody asked me to fix the sorter; it belongs to facilities.", ex[7].Text} {
		qs := slices.Clone(e.sparse(q, s))
		qv := e.lexical(q)
		for _, i := range []int{0, 7, 100, len(ex) - 1} {
			ds := e.sparse(ex[i].Text, s)
			want := sparseDot(qs, ds)
			got := dot32(qv, e.lexical(ex[i].Text))
			if math.Abs(got-want) > 1e-5 {
				t.Errorf("q·d%d: projected %.6f, sparse %.6f", i, got, want)
			}
		}
	}
}

// lexical returns just the projected lexical block of text.
func (e *LocalEmbedder) lexical(text string) []float32 {
	s := &scratch{}
	sp := e.sparse(text, s)
	acc := make([]float64, e.nBasis)
	for _, f := range sp {
		for _, p := range f.post {
			acc[p.doc] += f.w * float64(p.w)
		}
	}
	out := make([]float32, e.rank)
	for i, a := range acc {
		for k := range e.rank {
			out[k] += float32(a * float64(e.proj[i*e.rank+k]))
		}
	}
	return out
}

func sparseDot(a, b []weighted) float64 {
	var s float64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].h < b[j].h:
			i++
		case a[i].h > b[j].h:
			j++
		default:
			s += a[i].w * b[j].w
			i++
			j++
		}
	}
	return s
}

func TestLocalEmbedderOwnTextIsNearest(t *testing.T) {
	e := testEmbedder(t)
	ex := packExemplars(t)
	texts := make([]string, len(ex))
	for i, x := range ex {
		texts[i] = x.Text
	}
	vecs, err := e.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range vecs {
		best, bestScore := -1, -2.0
		for j := range vecs {
			if s := dot32(vecs[i], vecs[j]); s > bestScore {
				best, bestScore = j, s
			}
		}
		if best != i && texts[best] != texts[i] {
			t.Errorf("nearest to %s is %s (%.3f)", ex[i].ID, ex[best].ID, bestScore)
		}
	}
}

func TestLocalEmbedderConcurrent(t *testing.T) {
	e := testEmbedder(t)
	ex := packExemplars(t)
	texts := make([]string, 40)
	for i := range texts {
		texts[i] = ex[i*5].Text
	}
	want, err := e.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, err := e.Embed(context.Background(), texts)
			if err != nil {
				errs <- err
				return
			}
			for i := range got {
				if !slices.Equal(got[i], want[i]) {
					errs <- errors.New("concurrent Embed gave a different vector for " + texts[i])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestLocalEmbedderContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := testEmbedder(t).Embed(ctx, []string{"text"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Embed with a cancelled context: %v", err)
	}
}

func TestLocalEmbedderEmptyCorpus(t *testing.T) {
	e := NewLocalEmbedder(nil)
	vecs, err := e.Embed(t.Context(), []string{"I fixed it myself.", ""})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vecs {
		if n := norm32(v); math.Abs(n-1) > 1e-5 {
			t.Fatalf("length %v with an empty corpus", n)
		}
	}
}

// BenchmarkEmbed embeds one typical candidate sentence (about 30 words).
func BenchmarkEmbed(b *testing.B) {
	e := testEmbedder(b)
	texts := []string{"I pulled two weeks of gateway logs, found the retries were racing on the same claim, wrote the fix myself and watched the drop rate go from 0.3% to zero."}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Embed(ctx, texts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewLocalEmbedder learns an embedder from the shipped pack, as
// the server does at start-up.
func BenchmarkNewLocalEmbedder(b *testing.B) {
	ex := packExemplars(b)
	for b.Loop() {
		NewLocalEmbedder(ex)
	}
}
