package rubric

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// A phrase is a compiled word pattern matched against tokens. The pattern
// language is deliberately small:
//
//	word        the word itself (lower case)
//	a|b|c       any of the alternatives; an alternative of several words is
//	            written with underscores: no_one|nobody
//	*           any one word
//	~N          up to N words (a gap)
//	#           a number ("40", "0.3%", "forty", "a third")
//	@set        any word of a named word set (also inside alternatives)
//	x?          an optional element (any of the above)
//
// Phrases are matched against the words of one sentence (punctuation is
// not part of the word list).
//
// Matching is on interned word ids: every word any pattern mentions gets a
// small integer when the package initialises, each token carries its id,
// and an element's word set is a bitset, so a test is two loads and a mask.
type phrase struct {
	src   string
	elems []elem
	first starts // the tokens a match can begin with
}

// starts says which tokens can begin a match.
type starts struct {
	words bitset
	any   bool // any word
	num   bool // any number
}

func (s *starts) accepts(t *token) bool { return s.any || s.words.has(t.id) || (s.num && t.isNum) }

func (s *starts) merge(o starts) {
	s.words.union(o.words)
	s.any = s.any || o.any
	s.num = s.num || o.num
}

type elemKind int

const (
	elemWords elemKind = iota
	elemAny
	elemGap
	elemNumber
)

type elem struct {
	kind     elemKind
	words    bitset
	seqs     [][]int32 // multi-word alternatives, as word ids
	gap      int
	optional bool
}

// vocab interns every word that a pattern names. It is filled while the
// package initialises and only read afterwards.
var vocab = map[string]int32{"": 0}

func wordID(w string) int32 {
	if id, ok := vocab[w]; ok {
		return id
	}
	id := int32(len(vocab))
	vocab[w] = id
	return id
}

// lookupID returns a token's id, 0 for words no pattern mentions.
func lookupID(w string) int32 { return vocab[w] }

// A wordSet is a list of words the detectors test tokens against ("is
// this verb concrete?"). Its words are interned like pattern words and the
// set owns one bit of the mask every token carries (token.sets), so
// testing a token is one AND rather than a string-keyed map lookup; a word
// held as a plain string still has the map.
type wordSet struct {
	bit   uint64
	words map[string]bool
}

// setMembership maps a word id to the bits of the word sets that hold it.
var (
	setMembership []uint64
	wordSetCount  int
)

func newWordSet(words ...string) *wordSet {
	if wordSetCount == 64 {
		panic("rubric: more than 64 word sets; token.sets needs a wider mask")
	}
	s := &wordSet{bit: 1 << wordSetCount, words: set(words...)}
	wordSetCount++
	for _, w := range words {
		id := wordID(w)
		for int(id) >= len(setMembership) {
			setMembership = append(setMembership, 0)
		}
		setMembership[id] |= s.bit
	}
	return s
}

// wordSetOf makes a wordSet of a named pattern set's words.
func wordSetOf(words map[string]bool) *wordSet {
	return newWordSet(slices.Sorted(maps.Keys(words))...)
}

// has reports whether t's word is in the set.
func (s *wordSet) has(t *token) bool { return t.sets&s.bit != 0 }

// hasWord reports whether w is in the set.
func (s *wordSet) hasWord(w string) bool { return s.words[w] }

// membership is the mask of word sets that hold the word with this id.
func membership(id int32) uint64 {
	if int(id) < len(setMembership) {
		return setMembership[id]
	}
	return 0
}

type bitset []uint64

func (b *bitset) add(id int32) {
	for int(id>>6) >= len(*b) {
		*b = append(*b, 0)
	}
	(*b)[id>>6] |= 1 << (id & 63)
}

func (b bitset) has(id int32) bool {
	i := int(id >> 6)
	return id > 0 && i < len(b) && b[i]&(1<<(id&63)) != 0
}

func (b *bitset) union(o bitset) {
	for i, w := range o {
		for i >= len(*b) {
			*b = append(*b, 0)
		}
		(*b)[i] |= w
	}
}

// wordSets are the named sets a pattern can refer to with @name.
var wordSets = buildWordSets()

func compilePhrase(src string) phrase {
	p := phrase{src: src}
	for _, f := range strings.Fields(src) {
		e := elem{}
		if strings.HasSuffix(f, "?") && len(f) > 1 {
			e.optional = true
			f = strings.TrimSuffix(f, "?")
		}
		switch {
		case f == "*":
			e.kind = elemAny
		case f == "#":
			e.kind = elemNumber
		case strings.HasPrefix(f, "~"):
			e.kind = elemGap
			if _, err := fmt.Sscanf(f, "~%d", &e.gap); err != nil {
				panic("rubric: bad gap in phrase " + src)
			}
		default:
			for _, alt := range strings.Split(f, "|") {
				switch {
				case strings.Contains(alt, "_"):
					var seq []int32
					for _, w := range strings.Split(alt, "_") {
						seq = append(seq, wordID(w))
					}
					e.seqs = append(e.seqs, seq)
				case strings.HasPrefix(alt, "@"):
					ws, ok := wordSets[alt[1:]]
					if !ok {
						panic("rubric: unknown word set " + alt + " in phrase " + src)
					}
					for w := range ws {
						e.words.add(wordID(w))
					}
				default:
					e.words.add(wordID(alt))
				}
			}
		}
		p.elems = append(p.elems, e)
	}
	p.first = startsOf(p.elems)
	return p
}

// phraseSet is a list of phrases with an index of the words that can start
// a match, so most positions of a sentence are rejected with one bit test.
type phraseSet struct {
	phrases []phrase
	first   starts
	bit     uint64 // this set's bit in token.starts; 0 past 64 sets
	// byWord lists, for a word id, the phrases that can start on it
	// (including those that can start anywhere; nil when none can);
	// anyStart lists the phrases that can start on any word, numStart
	// those that can start on a number. All lists are in phrase order.
	byWord   [][]int
	anyStart []int
	numStart []int
}

// startMasks maps a word id to the bits of the phrase sets that can start
// on it, and numberMask holds the bits of sets that can start on a number:
// a token carries the union, so "can any phrase of this set start here"
// is one AND.
var (
	startMasks []uint64
	numberMask uint64
	setCount   int
)

func compilePhrases(srcs ...string) phraseSet {
	ps := phraseSet{phrases: make([]phrase, len(srcs))}
	for i, s := range srcs {
		p := compilePhrase(s)
		ps.phrases[i] = p
		ps.first.merge(p.first)
		switch {
		case p.first.any:
			ps.anyStart = append(ps.anyStart, i)
		case p.first.num:
			ps.numStart = append(ps.numStart, i)
		}
		for wi, w := range p.first.words {
			for b := 0; b < 64; b++ {
				if w&(1<<b) != 0 {
					id := wi*64 + b
					for id >= len(ps.byWord) {
						ps.byWord = append(ps.byWord, nil)
					}
					ps.byWord[id] = append(ps.byWord[id], i)
				}
			}
		}
	}
	if len(ps.anyStart) > 0 {
		for id, list := range ps.byWord {
			if list != nil {
				ps.byWord[id] = mergeSorted(list, ps.anyStart)
			}
		}
	}
	if setCount < 64 && !ps.first.any {
		ps.bit = 1 << setCount
		setCount++
		for wi, w := range ps.first.words {
			for b := 0; b < 64; b++ {
				if w&(1<<b) == 0 {
					continue
				}
				id := wi*64 + b
				for id >= len(startMasks) {
					startMasks = append(startMasks, 0)
				}
				startMasks[id] |= ps.bit
			}
		}
		if ps.first.num {
			numberMask |= ps.bit
		}
	}
	return ps
}

// startBits is the mask a token carries.
func startBits(id int32, isNum bool) uint64 {
	var m uint64
	if int(id) < len(startMasks) {
		m = startMasks[id]
	}
	if isNum {
		m |= numberMask
	}
	return m
}

// startsOf computes which tokens can begin a match of elems.
func startsOf(elems []elem) starts {
	var s starts
	for _, e := range elems {
		switch e.kind {
		case elemAny, elemGap:
			s.any = true
			return s
		case elemNumber:
			s.num = true
		default:
			s.words.union(e.words)
			for _, seq := range e.seqs {
				s.words.add(seq[0])
			}
		}
		if !e.optional {
			return s
		}
	}
	s.any = true // every element optional
	return s
}

func (ps *phraseSet) canStart(t *token) bool {
	if ps.bit != 0 {
		return t.starts&ps.bit != 0
	}
	return ps.first.accepts(t)
}

// words returns the non-punctuation tokens of toks.
func words(toks []token) []token { return appendWords(make([]token, 0, len(toks)), toks) }

// appendWords appends the non-punctuation tokens of toks to out.
func appendWords(out, toks []token) []token {
	for _, t := range toks {
		if !t.punct {
			out = append(out, t)
		}
	}
	return out
}

func matchElems(elems []elem, ws []token, i int) (int, bool) {
	if len(elems) == 0 {
		return i, true
	}
	e := &elems[0]
	rest := elems[1:]
	if e.kind == elemGap {
		for g := 0; g <= e.gap && i+g <= len(ws); g++ {
			if end, ok := matchElems(rest, ws, i+g); ok {
				return end, true
			}
		}
		return 0, false
	}
	if i < len(ws) && e.accepts(&ws[i]) {
		if end, ok := matchElems(rest, ws, i+1); ok {
			return end, true
		}
	}
	for _, seq := range e.seqs {
		if seqAt(seq, ws, i) {
			if end, ok := matchElems(rest, ws, i+len(seq)); ok {
				return end, true
			}
		}
	}
	if e.optional {
		return matchElems(rest, ws, i)
	}
	return 0, false
}

func seqAt(seq []int32, ws []token, i int) bool {
	if i+len(seq) > len(ws) {
		return false
	}
	for k, id := range seq {
		if ws[i+k].id != id {
			return false
		}
	}
	return true
}

func (e *elem) accepts(t *token) bool {
	switch e.kind {
	case elemAny:
		return true
	case elemNumber:
		return t.isNum
	}
	return e.words.has(t.id)
}

// find returns the first match of any phrase in ws as a token range.
func find(ws []token, ps *phraseSet) (start, end int, ok bool) {
	if bit := ps.bit; bit != 0 {
		// The common case: one mask test per token rejects the
		// positions where nothing can start, without touching the rest
		// of the token.
		for i := range ws {
			if ws[i].starts&bit == 0 {
				continue
			}
			if e, ok := ps.tryAt(ws, i); ok {
				return i, e, true
			}
		}
		return 0, 0, false
	}
	for i := range ws {
		if e, ok := ps.matchAt(ws, i); ok {
			return i, e, true
		}
	}
	return 0, 0, false
}

// matchAt tries the set's phrases that can start at ws[i], in order, and
// returns the end of the first match.
func (ps *phraseSet) matchAt(ws []token, i int) (int, bool) {
	if !ps.canStart(&ws[i]) {
		return 0, false
	}
	return ps.tryAt(ws, i)
}

// candidates lists, in phrase order, the phrases that may start on t.
func (ps *phraseSet) candidates(t *token) []int {
	cands := ps.anyStart
	if int(t.id) < len(ps.byWord) && ps.byWord[t.id] != nil {
		cands = ps.byWord[t.id]
	}
	if t.isNum && len(ps.numStart) > 0 {
		cands = mergeSorted(cands, ps.numStart)
	}
	return cands
}

// tryAt is matchAt once the token is known to be a possible start.
func (ps *phraseSet) tryAt(ws []token, i int) (int, bool) {
	t := &ws[i]
	for _, pi := range ps.candidates(t) {
		p := &ps.phrases[pi]
		if !p.first.accepts(t) {
			continue
		}
		if e, ok := matchElems(p.elems, ws, i); ok && e > i {
			return e, true
		}
	}
	return 0, false
}

// mergeSorted merges two ascending index lists (phrase order decides which
// match wins, so it is kept).
func mergeSorted(a, b []int) []int {
	if len(a) == 0 {
		return b
	}
	out := make([]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// has reports whether any phrase matches ws.
func has(ws []token, ps *phraseSet) bool {
	_, _, ok := find(ws, ps)
	return ok
}

// count returns how many non-overlapping phrase matches ws holds.
func count(ws []token, ps *phraseSet) int {
	n := 0
	for i := 0; i < len(ws); {
		if e, ok := ps.matchAt(ws, i); ok {
			n++
			i = e
		} else {
			i++
		}
	}
	return n
}
