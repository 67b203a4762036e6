package rubric

import (
	"fmt"
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
//	@set        any word of a named word set
//	x?          an optional element (any of the above)
//
// Punctuation tokens are skipped while matching except that a gap never
// crosses a sentence end (phrases are matched within one sentence).
type phrase struct {
	src   string
	elems []elem
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
	words    map[string]bool
	seqs     [][]string // multi-word alternatives
	gap      int
	optional bool
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
			e.words = map[string]bool{}
			for _, alt := range strings.Split(f, "|") {
				if strings.Contains(alt, "_") {
					e.seqs = append(e.seqs, strings.Split(alt, "_"))
					continue
				}
				if !strings.HasPrefix(alt, "@") {
					e.words[alt] = true
					continue
				}
				ws, ok := wordSets[alt[1:]]
				if !ok {
					panic("rubric: unknown word set " + alt + " in phrase " + src)
				}
				for w := range ws {
					e.words[w] = true
				}
			}
		}
		p.elems = append(p.elems, e)
	}
	return p
}

func compilePhrases(srcs ...string) []phrase {
	out := make([]phrase, len(srcs))
	for i, s := range srcs {
		out[i] = compilePhrase(s)
	}
	return out
}

// words returns the non-punctuation tokens of toks.
func words(toks []token) []token {
	out := make([]token, 0, len(toks))
	for _, t := range toks {
		if !t.punct {
			out = append(out, t)
		}
	}
	return out
}

// matchAt tries p at position i of ws and returns the end index (exclusive).
func (p phrase) matchAt(ws []token, i int) (int, bool) {
	return matchElems(p.elems, ws, i)
}

func matchElems(elems []elem, ws []token, i int) (int, bool) {
	if len(elems) == 0 {
		return i, true
	}
	e := elems[0]
	rest := elems[1:]
	if e.kind == elemGap {
		for g := 0; g <= e.gap && i+g <= len(ws); g++ {
			if end, ok := matchElems(rest, ws, i+g); ok {
				return end, true
			}
		}
		return 0, false
	}
	if i < len(ws) && e.accepts(ws[i]) {
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

func seqAt(seq []string, ws []token, i int) bool {
	if i+len(seq) > len(ws) {
		return false
	}
	for k, w := range seq {
		if ws[i+k].norm != w {
			return false
		}
	}
	return true
}

func (e elem) accepts(t token) bool {
	switch e.kind {
	case elemAny:
		return true
	case elemNumber:
		return t.isNum
	}
	return e.words[t.norm]
}

// find returns the first match of any phrase in ws as a token range.
func find(ws []token, phrases []phrase) (start, end int, ok bool) {
	for i := range ws {
		for _, p := range phrases {
			if e, ok := p.matchAt(ws, i); ok && e > i {
				return i, e, true
			}
		}
	}
	return 0, 0, false
}

// has reports whether any phrase matches ws.
func has(ws []token, phrases []phrase) bool {
	_, _, ok := find(ws, phrases)
	return ok
}

// count returns how many non-overlapping phrase matches ws holds.
func count(ws []token, phrases []phrase) int {
	n := 0
	for i := 0; i < len(ws); {
		matched := false
		for _, p := range phrases {
			if e, ok := p.matchAt(ws, i); ok && e > i {
				n++
				i = e
				matched = true
				break
			}
		}
		if !matched {
			i++
		}
	}
	return n
}
