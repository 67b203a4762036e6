package retrieval

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"

	"barraiser/internal/rubric"
)

// LocalDimensions is the length of a LocalEmbedder vector.
//
// 384 is small enough that an HNSW index over 100k exemplars (org-private
// packs included) builds and searches cheaply on a 2-core machine (about
// 150 MB of vectors), and large enough for the lexical block (357 entries)
// to hold the whole span of a pack of up to 357 exemplars exactly (the
// shipped pack has about 230), and the best rank-357 approximation of a
// larger one.
const LocalDimensions = 384

// localVersion names the feature design. Bump it when tokenisation or
// feature extraction changes (it is hashed into Name, as are the vectors
// of the corpus, which catch most changes anyway).
const localVersion = "local-v1"

// maxBasisDocs bounds the corpus texts the lexical projection is computed
// from: the n×n eigendecomposition costs O(n³), about 20 ms for the shipped
// pack and a few seconds at this bound. Beyond it a deterministic subset is
// used, which still spans more directions than the lexical block holds.
const maxBasisDocs = 800

// localParams are the knobs of the local embedder. Every field is hashed
// into Name, so changing one re-embeds every stored exemplar.
type localParams struct {
	// Weights of the lexical feature families. Each family's weighted
	// vector is L2-normalised before weighting, so a weight is that
	// family's share of the lexical block whatever the text's length.
	Unigram, Bigram, Chars float64
	// MinGram and MaxGram bound the character n-grams of each word
	// (padded as "<word>").
	MinGram, MaxGram int
	// UnseenIDF scales the IDF of a feature the corpus never saw, relative
	// to that of a feature seen once. Such features match no exemplar; they
	// only lengthen the query's lexical vector before projection, and so
	// shift weight to the rubric block.
	UnseenIDF float64
	// ClassSmoothing and ClassFloor shape the class weight of a feature
	// (see classInfo): a feature weighs idf × (ClassFloor + what it tells
	// about the dimension and label of a text).
	ClassSmoothing float64
	ClassFloor     float64
	// Signals is the weight of the rubric block against the lexical block
	// (both unit length before weighting, for corpus texts): two texts that
	// agree completely on the rubric block get Signals²/(1+Signals²) of
	// their cosine from it.
	Signals float64
	// SignalFloor is the least standard deviation a rubric signal is
	// divided by when it is standardised, so that a signal that almost never
	// fires in the corpus cannot dominate when it does.
	SignalFloor float64
	// Skeleton is the weight of skeleton bigrams and trigrams: word
	// n-grams in which every word found in fewer than SkeletonDF of the
	// corpus texts is replaced by a placeholder.
	Skeleton   float64
	SkeletonDF float64
	// Stem applies stem to words before word n-grams are formed.
	Stem bool
	// Shape is the weight of the shape block (see shape), standardised
	// like the rubric block.
	Shape float64
}

// defaultLocalParams were chosen by leave-one-out retrieval over the
// shipped pack (each exemplar searched against the others, with every
// weight learned without it), watching held-out recall alongside; see
// loo_test.go.
var defaultLocalParams = localParams{
	Unigram:        1.0,
	Bigram:         0.8,
	Chars:          0.4,
	Skeleton:       0.8,
	SkeletonDF:     0.06,
	Stem:           true,
	MinGram:        3,
	MaxGram:        5,
	UnseenIDF:      0.5,
	ClassSmoothing: 2,
	ClassFloor:     0.3,
	Signals:        0.3,
	SignalFloor:    0.25,
	Shape:          0.5,
}

// Feature families, mixed into each feature's hash so that a word, a
// bigram and a character n-gram with the same bytes differ.
const (
	famUnigram = iota
	famBigram
	famChars
	famSkeleton
	numFamilies
)

// famMask selects the family from a tagged feature hash.
const famMask = 7

// hashSeed starts every feature hash; changing it changes every vector.
const hashSeed = "barraiser/retrieval/local/v1"

// FNV-1a, 64-bit.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func fnvBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

func fnvByte(h uint64, c byte) uint64 {
	h ^= uint64(c)
	return h * fnvPrime
}

var seeded = fnvString(fnvOffset, hashSeed)

// LocalEmbedder is barraiser's offline embedder: deterministic, standard
// library only, some tens of microseconds per text. A vector has three
// blocks, each unit length before it is weighted; the whole vector is then
// L2-normalised, so a dot product is a cosine.
//
// Lexical (the first 357 entries, weight 1). Sparse features: word
// unigrams and bigrams of lightly stemmed words, character 3–5-grams of
// each word, and skeleton bigrams and trigrams in which every word rare in
// the corpus becomes a placeholder, so that the phrasing ("if I _ it
// again", "my _ told me to") shows through the topic. N-grams never span
// sentence or clause punctuation. Text is lower-cased, apostrophes
// dropped, and numbers mapped to one class so that "40%" and "12%" share
// features; pronouns are kept, since "I" against "we" matters here.
// Features are keyed by 64-bit FNV-1a hashes with a fixed seed. A feature
// weighs sublinear tf (1+ln tf) × IDF × a class weight, both learned from
// the corpus; the class weight says how concentrated the feature is in few
// dimension/label classes (see classInfo), so phrases typical of a kind of
// answer ("nobody asked me", "gut feel") count for more than topic words.
// Each family is normalised and weighted, then the sparse vector is
// projected onto the principal directions of the corpus (the
// eigenvectors of the corpus Gram matrix, as in latent semantic analysis).
// Unlike random feature hashing, which at this size would add collision
// noise of about 0.05 to every cosine (as large as the cue-word signal),
// the projection keeps the dot product of any text with any corpus text
// exact while the corpus has at most 357 texts.
//
// Rubric (the next len(rubric.SignalNames) entries, weight 0.3):
// rubric.Signals of the text — which dimensions the rubric's detectors
// credit, which red flags fire, the shares of I/we/passive actions —
// standardised by the corpus mean and standard deviation of each signal,
// so texts alike in rubric terms ("we" everywhere, no figures, a hand-off)
// land nearer each other even in different words.
//
// Shape (the last len(shapeNames) entries, weight 0.5): the form of the
// text (see shape), standardised the same way: a complete story, a bare
// result, a list-like preamble and a vague generality differ here whatever
// their topic.
//
// The weights were chosen by leave-one-out retrieval over the shipped pack
// (see loo_test.go): recall@3 0.78 there, 0.95 on the held-out snippets of
// the quality check. A text with no features at all maps to a fixed unit
// vector. A LocalEmbedder is immutable after construction and safe for
// concurrent use.
type LocalEmbedder struct {
	p        localParams
	lexDims  int
	feats    map[uint64]*feature // corpus features
	unseen   float32             // the weight of a feature outside the corpus
	nBasis   int                 // basis texts
	rank     int                 // projection directions kept, ≤ lexDims
	proj     []float32           // nBasis × rank: eigenvectors / sqrt(eigenvalue)
	sigMean  []float64
	sigScale []float64 // 1/max(std, floor)
	signals  func(string) []float32
	frequent map[string]bool // words kept in skeleton n-grams
	name     string
	scratch  sync.Pool // *scratch
}

// feature is what the embedder knows of a corpus feature.
type feature struct {
	weight float32   // IDF × class weight
	post   []posting // the basis texts with it
}

// posting is a basis text's weight for one feature.
type posting struct {
	doc int32
	w   float32
}

type scratch struct {
	toks  []string
	feats []uint64
	sp    []weighted
	acc   []float32
	lex   []float32
}

// weighted is a feature with its weight in a text's sparse vector, and
// its postings.
type weighted struct {
	h    uint64
	w    float64
	post []posting
}

// NewLocalEmbedder learns its feature weights and rubric-signal
// statistics from corpus, normally every exemplar to be stored: IDF from
// the texts, and class weights from their dimensions and labels (see
// LocalEmbedder). The same corpus always gives the same embedder and the
// same Name; a different corpus usually gives a different Name, so vectors
// made under one vocabulary are never searched with another.
func NewLocalEmbedder(corpus []Exemplar) *LocalEmbedder {
	docs := make([]doc, len(corpus))
	for i, e := range corpus {
		docs[i] = doc{text: e.Text, class: e.Dimension + "/" + e.Label}
	}
	e := buildLocal(defaultLocalParams, corpusStatsOf(docs, defaultLocalParams, rubric.Signals), docs, rubric.Signals)
	e.name = e.fingerprint(docs)
	return e
}

// doc is a corpus text and its class (dimension/label).
type doc struct {
	text, class string
}

// corpusStats is what a LocalEmbedder learns from its corpus.
type corpusStats struct {
	n       int
	df      map[uint64]int     // feature → number of texts with it
	classes []string           // sorted
	classN  []int              // texts per class
	fc      map[uint64][]int32 // feature → texts with it per class
	sigMean []float64
	sigStd  []float64
	// frequent holds the words in at least SkeletonDF of the texts.
	frequent map[string]bool
}

func corpusStatsOf(corpus []doc, p localParams, signals func(string) []float32) corpusStats {
	st := corpusStats{n: len(corpus), df: make(map[uint64]int), fc: make(map[uint64][]int32)}
	for _, d := range corpus {
		if !slices.Contains(st.classes, d.class) {
			st.classes = append(st.classes, d.class)
		}
	}
	slices.Sort(st.classes)
	st.classN = make([]int, len(st.classes))
	var toks []string
	var feats []uint64
	wordDF := map[string]int{}
	for _, d := range corpus {
		toks = tokenize(d.text, toks[:0])
		seen := map[string]bool{}
		for _, t := range toks {
			if t != tokBreak && !seen[t] {
				seen[t] = true
				wordDF[t]++
			}
		}
	}
	st.frequent = map[string]bool{}
	for w, n := range wordDF {
		if float64(n) >= p.SkeletonDF*float64(len(corpus)) && n >= 2 {
			st.frequent[w] = true
		}
	}
	for _, d := range corpus {
		c, _ := slices.BinarySearch(st.classes, d.class)
		st.classN[c]++
		toks = tokenize(d.text, toks[:0])
		feats = extractFeatures(p, st.frequent, toks, feats[:0])
		slices.Sort(feats)
		for i, h := range feats {
			if i > 0 && h == feats[i-1] {
				continue
			}
			st.df[h]++
			counts := st.fc[h]
			if counts == nil {
				counts = make([]int32, len(st.classes))
				st.fc[h] = counts
			}
			counts[c]++
		}
	}
	k := len(rubric.SignalNames) + len(shapeNames)
	st.sigMean = make([]float64, k)
	st.sigStd = make([]float64, k)
	if len(corpus) == 0 {
		return st
	}
	n := float64(len(corpus))
	sigs := make([][]float32, len(corpus))
	for i, d := range corpus {
		toks = tokenize(d.text, toks[:0])
		sigs[i] = append(slices.Clone(signals(d.text)), shape(toks, st.frequent)...)
		for j, v := range sigs[i] {
			st.sigMean[j] += float64(v) / n
		}
	}
	for _, sv := range sigs {
		for j, v := range sv {
			dv := float64(v) - st.sigMean[j]
			st.sigStd[j] += dv * dv / n
		}
	}
	for j := range st.sigStd {
		st.sigStd[j] = math.Sqrt(st.sigStd[j])
	}
	return st
}

// buildLocal makes an embedder from corpus statistics and the corpus
// texts the lexical projection is computed from; the caller sets its name.
func buildLocal(p localParams, st corpusStats, corpus []doc, signals func(string) []float32) *LocalEmbedder {
	e := &LocalEmbedder{
		p:        p,
		lexDims:  LocalDimensions - len(rubric.SignalNames) - len(shapeNames),
		feats:    make(map[uint64]*feature, len(st.df)),
		signals:  signals,
		frequent: st.frequent,
	}
	e.scratch.New = func() any { return &scratch{} }

	// Feature weights.
	n := float64(st.n)
	prior := make([]float64, len(st.classes))
	for c, m := range st.classN {
		prior[c] = float64(m) / n
	}
	for h, d := range st.df {
		idf := math.Log((1+n)/(1+float64(d))) + 1
		e.feats[h] = &feature{weight: float32(idf * (p.ClassFloor + classInfo(st.fc[h], d, prior, p.ClassSmoothing)))}
	}
	e.unseen = float32(p.UnseenIDF * (math.Log((1+n)/2) + 1) * p.ClassFloor)

	// Rubric signal statistics.
	e.sigMean = slices.Clone(st.sigMean)
	e.sigScale = make([]float64, len(st.sigStd))
	for j, std := range st.sigStd {
		e.sigScale[j] = 1 / max(std, p.SignalFloor)
	}

	// The lexical projection: postings of the basis texts' sparse vectors,
	// their Gram matrix and its eigendecomposition.
	basis := basisDocs(corpus)
	e.nBasis = len(basis)
	s := &scratch{}
	for i, d := range basis {
		s.sp = e.sparse(d.text, s)
		for _, f := range s.sp {
			if ft := e.feats[f.h]; ft != nil { // nil only for a basis text outside the statistics (tests)
				ft.post = append(ft.post, posting{doc: int32(i), w: float32(f.w)})
			}
		}
	}
	gram := make([][]float64, len(basis))
	for i := range gram {
		gram[i] = make([]float64, len(basis))
	}
	// Sum in a fixed order: floating-point addition is not associative, and
	// map order is random.
	for _, h := range slices.Sorted(maps.Keys(e.feats)) {
		ps := e.feats[h].post
		for _, a := range ps {
			row := gram[a.doc]
			for _, b := range ps {
				row[b.doc] += float64(a.w) * float64(b.w)
			}
		}
	}
	vals, vecs := symEigen(gram)
	for e.rank < min(len(vals), e.lexDims) && vals[e.rank] > 1e-9*vals[0] {
		e.rank++
	}
	e.proj = make([]float32, len(basis)*e.rank)
	for i := range basis {
		for k := range e.rank {
			e.proj[i*e.rank+k] = float32(vecs[i][k] / math.Sqrt(vals[k]))
		}
	}
	return e
}

// basisDocs returns the corpus texts the projection is computed from: all
// of them, or a deterministic subset of maxBasisDocs (the texts with the
// smallest hashes) when there are more.
func basisDocs(corpus []doc) []doc {
	if len(corpus) <= maxBasisDocs {
		return corpus
	}
	out := slices.Clone(corpus)
	slices.SortStableFunc(out, func(a, b doc) int {
		return cmp.Compare(fnvString(seeded, a.text), fnvString(seeded, b.text))
	})
	return out[:maxBasisDocs]
}

// classInfo is how much seeing a feature tells about the class of a text:
// the Kullback-Leibler divergence, in nats, of the smoothed class
// distribution of the texts with the feature from the class prior. The
// smoothing adds alpha pseudo-texts spread by the prior, so a feature seen
// in one text says little, and one seen in six texts of one class says a
// lot; a feature spread like the prior says nothing.
func classInfo(counts []int32, df int, prior []float64, alpha float64) float64 {
	if len(counts) == 0 || df == 0 {
		return 0
	}
	var kl float64
	den := float64(df) + alpha
	for c, pc := range prior {
		if pc == 0 {
			continue
		}
		q := (float64(counts[c]) + alpha*pc) / den
		if q > 0 {
			kl += q * math.Log(q/pc)
		}
	}
	return kl
}

// fingerprint hashes everything that determines vectors: the version, the
// parameters, the IDF table, the signal statistics and the vectors of the
// corpus texts themselves (which also catches a change in the rubric's
// detectors or in tokenisation).
func (e *LocalEmbedder) fingerprint(corpus []doc) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%d\n%+v\n%q\n", localVersion, LocalDimensions, e.p, rubric.SignalNames)
	var b [8]byte
	put := func(v uint64) {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	for _, k := range slices.Sorted(maps.Keys(e.feats)) {
		put(k)
		put(uint64(math.Float32bits(e.feats[k].weight)))
	}
	put(uint64(math.Float32bits(e.unseen)))
	for j := range e.sigMean {
		put(math.Float64bits(e.sigMean[j]))
		put(math.Float64bits(e.sigScale[j]))
	}
	for _, d := range corpus {
		for _, v := range e.embed(d.text) {
			put(uint64(math.Float32bits(v)))
		}
	}
	return fmt.Sprintf("%s-%d-%s", localVersion, LocalDimensions, hex.EncodeToString(h.Sum(nil))[:8])
}

// Name is "local-v1-384-" and 8 hex digits of a hash over everything that
// determines the vectors.
func (e *LocalEmbedder) Name() string { return e.name }

// Dimensions is LocalDimensions.
func (e *LocalEmbedder) Dimensions() int { return LocalDimensions }

// Embed returns one unit vector per text. It fails only when ctx is done.
func (e *LocalEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("local embedder: %w", err)
		}
		out[i] = e.embed(t)
	}
	return out, nil
}

// extractFeatures appends the hashed features of toks to dst. The family
// of a feature is kept in its low three bits (the rest is the hash), so one
// sort groups equal features.
func extractFeatures(p localParams, frequent map[string]bool, toks []string, dst []uint64) []uint64 {
	tag := func(h uint64, fam int) uint64 { return h&^famMask | uint64(fam) }
	if p.Skeleton > 0 {
		// Skeleton bigrams and trigrams: every word that is not frequent in
		// the corpus becomes "_", so the phrasing shows through the topic.
		sk := func(t string) string {
			if t == tokBreak || frequent[t] {
				return t
			}
			return "_"
		}
		for i := range toks {
			a := sk(toks[i])
			if a == tokBreak || i+1 >= len(toks) || toks[i+1] == tokBreak {
				continue
			}
			b := sk(toks[i+1])
			if a == "_" && b == "_" {
				continue
			}
			h := fnvString(fnvByte(fnvString(fnvByte(seeded, 's'), a), ' '), b)
			dst = append(dst, tag(h, famSkeleton))
			if i+2 < len(toks) && toks[i+2] != tokBreak {
				c := sk(toks[i+2])
				h = fnvString(fnvByte(h, ' '), c)
				dst = append(dst, tag(h, famSkeleton))
			}
		}
	}
	if p.Stem {
		stemmed := make([]string, len(toks))
		for i, t := range toks {
			stemmed[i] = stem(t)
		}
		toks = stemmed
	}
	var gram [64]byte
	for i, t := range toks {
		if t == tokBreak {
			continue
		}
		hu := fnvString(fnvByte(seeded, 'u'), t)
		dst = append(dst, tag(hu, famUnigram))
		if i+1 < len(toks) && toks[i+1] != tokBreak {
			hb := fnvString(fnvByte(fnvString(fnvByte(seeded, 'b'), t), ' '), toks[i+1])
			dst = append(dst, tag(hb, famBigram))
		}
		if p.Chars == 0 || !hasLetter(t) {
			continue
		}
		// Character n-grams of "<t>", by rune.
		padded := append(append(append(gram[:0], '<'), t...), '>')
		starts := runeStarts(padded)
		nr := len(starts) - 1 // starts has a sentinel at len(padded)
		for n := p.MinGram; n <= p.MaxGram; n++ {
			for a := 0; a+n <= nr; a++ {
				hc := fnvBytes(fnvByte(fnvByte(seeded, 'c'), byte(n)), padded[starts[a]:starts[a+n]])
				dst = append(dst, tag(hc, famChars))
			}
		}
	}
	return dst
}

// runeStarts returns the byte offset of each rune in b plus len(b).
func runeStarts(b []byte) []int {
	out := make([]int, 0, len(b)+1)
	for i, c := range b {
		if c < 0x80 || c >= 0xC0 { // not a continuation byte
			out = append(out, i)
		}
	}
	return append(out, len(b))
}

func hasLetter(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i]; 'a' <= c && c <= 'z' || c >= 0x80 {
			return true
		}
	}
	return false
}

// embed computes one vector.
func (e *LocalEmbedder) embed(text string) []float32 {
	s := e.scratch.Get().(*scratch)
	defer e.scratch.Put(s)
	vec := make([]float64, LocalDimensions)

	// Lexical block: the projection of the sparse vector onto the corpus
	// directions, computed from its dot products with the basis texts.
	s.sp = e.sparse(text, s)
	s.acc = slices.Grow(s.acc[:0], e.nBasis)[:e.nBasis]
	clear(s.acc)
	for _, f := range s.sp {
		w := float32(f.w)
		for _, p := range f.post {
			s.acc[p.doc] += w * p.w
		}
	}
	s.lex = slices.Grow(s.lex[:0], e.rank)[:e.rank]
	clear(s.lex)
	for i, a := range s.acc {
		if a != 0 {
			axpy(s.lex, a, e.proj[i*e.rank:(i+1)*e.rank])
		}
	}
	for k, x := range s.lex {
		vec[k] = float64(x)
	}

	// Rubric block.
	sig := vec[e.lexDims : e.lexDims+len(rubric.SignalNames)]
	for j, x := range e.signals(text) {
		sig[j] = (float64(x) - e.sigMean[j]) * e.sigScale[j]
	}
	normalize64(sig)
	for j := range sig {
		sig[j] *= e.p.Signals
	}

	// Shape block.
	sh := vec[e.lexDims+len(rubric.SignalNames):]
	off := len(rubric.SignalNames)
	for j, x := range shape(s.toks, e.frequent) { // s.toks: the tokens sparse made
		sh[j] = (float64(x) - e.sigMean[off+j]) * e.sigScale[off+j]
	}
	normalize64(sh)
	for j := range sh {
		sh[j] *= e.p.Shape
	}

	out := make([]float32, LocalDimensions)
	if normalize64(vec) == 0 {
		// No features at all: a fixed direction, never the zero vector
		// (whose cosine is undefined).
		for i := range out {
			out[i] = float32(1 / math.Sqrt(LocalDimensions))
		}
		return out
	}
	for i, v := range vec {
		out[i] = float32(v)
	}
	return out
}

// sparse returns the unit-length sparse lexical vector of text, sorted by
// feature, in s.sp's storage.
func (e *LocalEmbedder) sparse(text string, s *scratch) []weighted {
	s.toks = tokenize(text, s.toks[:0])
	s.feats = extractFeatures(e.p, e.frequent, s.toks, s.feats[:0])
	slices.Sort(s.feats)
	out := s.sp[:0]
	// Sublinear tf × weight per distinct feature (a run of equal entries
	// in the sorted list).
	var famNorm [numFamilies]float64
	for i := 0; i < len(s.feats); {
		j := i + 1
		for j < len(s.feats) && s.feats[j] == s.feats[i] {
			j++
		}
		h := s.feats[i]
		w, post := e.unseen, []posting(nil)
		if ft := e.feats[h]; ft != nil {
			w, post = ft.weight, ft.post
		}
		x := (1 + math.Log(float64(j-i))) * float64(w)
		out = append(out, weighted{h, x, post})
		famNorm[h&famMask] += x * x
		i = j
	}
	famWeight := [numFamilies]float64{e.p.Unigram, e.p.Bigram, e.p.Chars, e.p.Skeleton}
	for f := range famNorm {
		if famNorm[f] > 0 {
			famNorm[f] = famWeight[f] / math.Sqrt(famNorm[f])
		}
	}
	var total float64
	for i := range out {
		out[i].w *= famNorm[out[i].h&famMask]
		total += out[i].w * out[i].w
	}
	if total > 0 {
		inv := 1 / math.Sqrt(total)
		for i := range out {
			out[i].w *= inv
		}
	}
	return out
}

// axpy adds a·x to y; len(x) must be at least len(y). (Unrolling it
// measured no faster.)
func axpy(y []float32, a float32, x []float32) {
	x = x[:len(y)]
	for i := range y {
		y[i] += a * x[i]
	}
}

// normalize64 scales v to unit length in place and returns its former
// length; a zero vector is left alone.
func normalize64(v []float64) float64 {
	var ss float64
	for _, x := range v {
		ss += x * x
	}
	if ss == 0 {
		return 0
	}
	n := math.Sqrt(ss)
	for i := range v {
		v[i] /= n
	}
	return n
}

// shapeNames names the entries of shape.
var shapeNames = []string{
	"log_words", "clause_density", "number_share", "i_share", "we_share",
	"rare_share", "past_share", "modal_share",
}

// shape describes the form of a text (given as its tokens) rather than its words: its length,
// how broken up it is, and the shares of figures, first-person singular
// and plural words, words rare in the corpus (specific detail), past-tense
// words and modal or hypothetical words. A complete story, a bare result,
// a list-like preamble and a vague generality differ here whatever their
// topic.
func shape(toks []string, frequent map[string]bool) []float32 {
	var words, breaks, nums, is, wes, rare, past, modal float64
	for _, t := range toks {
		if t == tokBreak {
			breaks++
			continue
		}
		words++
		switch t {
		case tokNum, tokPercent, tokCurrency:
			nums++
			continue
		case "i", "me", "my", "myself", "im", "ive", "id", "ill":
			is++
		case "we", "us", "our", "ours", "ourselves", "weve", "wed", "team":
			wes++
		case "would", "could", "should", "might", "always", "never", "usually", "if":
			modal++
		}
		if !frequent[t] {
			rare++
		}
		if len(t) > 4 && t[len(t)-2:] == "ed" {
			past++
		}
	}
	out := make([]float32, len(shapeNames))
	if words == 0 {
		return out
	}
	out[0] = float32(math.Log1p(words))
	out[1] = float32(breaks / words)
	out[2] = float32(nums / words)
	out[3] = float32(is / words)
	out[4] = float32(wes / words)
	out[5] = float32(rare / words)
	out[6] = float32(past / words)
	out[7] = float32(modal / words)
	return out
}
