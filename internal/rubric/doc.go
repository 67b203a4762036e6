package rubric

import (
	"sort"
	"strings"
	"sync"
)

// doc is a transcript prepared for the detectors: the candidate's words cut
// into sentences and clauses, each clause with its actor and tense.
type doc struct {
	t       Transcript
	level   string
	sents   []*sentence // candidate sentences, in transcript order
	words   int         // candidate words in all
	prompts map[int]string
	// excluded marks sentences that may never count in the candidate's
	// favour: text addressed to the scorer and rubric-label lists.
	excluded map[*sentence]bool
	// reflective caches whether the question before a turn asked for a lesson.
	reflective map[int]bool
	// stop and live cache workStopped and released, which several
	// detectors ask.
	stop struct {
		known bool
		at    *sentence
	}
	live struct{ known, released bool }
	// snippet marks a stand-alone piece of text (Signals): it has no
	// scene-setting part to set aside.
	snippet bool
}

// tokenArrays recycles the arrays a doc's tokens live in. Nothing a
// scorecard holds points into them (quotes are cut from the turn text),
// so once a scoring run is over the next one can reuse them: most of
// what scoring would otherwise allocate.
var tokenArrays = sync.Pool{New: func() any { return new(tokenArray) }}

type tokenArray struct{ toks, words []token }

// newDoc prepares t for the detectors. With arrays, the tokens are kept
// in them (see tokenArrays); the doc must not be used once they are
// given back.
func newDoc(t Transcript, arrays *tokenArray) *doc {
	if arrays == nil {
		arrays = &tokenArray{}
	}
	arrays.toks, arrays.words = arrays.toks[:0], arrays.words[:0]
	d := &doc{t: t, prompts: map[int]string{}, excluded: map[*sentence]bool{}, reflective: map[int]bool{}}
	d.level, _ = normaliseLevel(t.Level)
	if d.level == "" {
		d.level = DefaultLevel
	}
	lastPrompt := strings.ToLower(t.Question)
	first := true
	for ti, turn := range t.Turns {
		if turn.Role == RoleInterviewer {
			lastPrompt = strings.ToLower(turn.Text)
			continue
		}
		d.prompts[ti] = lastPrompt
		// The turn's tokens and words; sentences and clauses share them.
		// A turn that outgrows the arrays gets new ones, and the turns
		// before it keep the old.
		n, nw := len(arrays.toks), len(arrays.words)
		arrays.toks = appendTokens(arrays.toks, turn.Text)
		toks := arrays.toks[n:len(arrays.toks):len(arrays.toks)]
		arrays.words = appendWords(arrays.words, toks)
		tw := arrays.words[nw:len(arrays.words):len(arrays.words)]
		for _, s := range splitSentences(ti, turn.Text, toks) {
			s := s
			s.index = len(d.sents)
			s.first = first
			s.ws = span(tw, int32(s.start), int32(s.end))
			s.clauses = splitClauses(s.toks)
			inherit := subjNone
			cond := false
			list := endsList(s.clauses)
			for ci := range s.clauses {
				c := &s.clauses[ci]
				// "1) pulled the logs 2) found the race": a numbered step
				// with no actor is the candidate's own.
				item := ci > 0 && listMarker(s.clauses[ci-1])
				w0 := ""
				if len(c.toks) > 0 {
					w0 = c.toks[0].norm
				}
				// An if-clause and the clause right after it are conditional.
				startsIf := w0 == "if" || w0 == "unless" || w0 == "whenever"
				if item {
					analyseClause(c, subjI, startsIf || cond, true)
				} else {
					analyseClause(c, inherit, startsIf || cond, ci < list)
				}
				if ci == 0 && c.subj == subjNone && elidedI(*c) {
					// "Trained three shifts myself. Rode the tugs the first
					// week.": terse answers drop the "I".
					analyseClause(c, subjI, startsIf || cond, true)
				}
				if c.verb >= 0 {
					c.rest = span(tw, c.toks[c.verb].end, c.toks[len(c.toks)-1].end)
				}
				cond = startsIf
				if c.subj != subjNone {
					inherit = c.subj
				}
			}
			for _, tk := range s.toks {
				if !tk.punct {
					d.words++
				}
			}
			d.sents = append(d.sents, &s)
		}
		first = false
	}
	d.narrateIfPresent()
	return d
}

// narrateIfPresent switches a story told in the present tense to past
// narration (see narrate): when the candidate's own past-tense actions are
// few and their present-tense ones are several.
func (d *doc) narrateIfPresent() {
	past, present := 0, 0
	for _, s := range d.sents {
		for _, c := range s.clauses {
			switch {
			case !ownActor(c.subj) || c.hypothetical || c.verb < 0:
			case c.past:
				if actionClause(c) {
					past++
				}
			case pastOf(c.toks[c.verb].norm) != "":
				present++
			}
		}
	}
	if past >= 3 || present < 3 {
		return
	}
	for _, s := range d.sents {
		for i := range s.clauses {
			narrate(&s.clauses[i])
		}
	}
}

// span returns the words of ws that lie within the byte range (from, to]
// of the turn: a sub-slice, so sentences and clauses share one array.
func span(ws []token, from, to int32) []token {
	i := sort.Search(len(ws), func(i int) bool { return ws[i].start >= from })
	j := sort.Search(len(ws), func(j int) bool { return ws[j].end > to })
	if i > j {
		return ws[:0]
	}
	return ws[i:j:j]
}

// endsList returns the index of a clause that closes a list of actions
// ("I booked the blankets, moved the start, and cast two probes"): one
// that opens with "and" or "then" and a past verb. Bare-comma clauses
// before it continue the list's actor; without such a close, a clause
// after a comma that opens with a past form is a participle ("copies
// created seconds apart") and names no actor. 0 means no list.
func endsList(cs []clause) int {
	for i := len(cs) - 1; i > 0; i-- {
		t := cs[i].toks
		if len(t) >= 2 && (t[0].norm == "and" || t[0].norm == "then") && pastForm(t[1].norm) {
			return i + 1
		}
	}
	return 0
}

// quote returns the sentence's text, an exact substring of its turn.
func (d *doc) quote(s *sentence) Evidence {
	return Evidence{Turn: s.turn, Quote: d.t.Turns[s.turn].Text[s.start:s.end]}
}

// quoteTokens returns the text spanning toks (a sub-slice of one sentence).
func (d *doc) quoteTokens(s *sentence, toks []token) Evidence {
	if len(toks) == 0 {
		return d.quote(s)
	}
	return Evidence{Turn: s.turn, Quote: d.t.Turns[s.turn].Text[toks[0].start:toks[len(toks)-1].end]}
}

// usable lists the sentences that may count in the candidate's favour.
func (d *doc) usable() []*sentence {
	out := make([]*sentence, 0, len(d.sents))
	for _, s := range d.sents {
		if !d.excluded[s] {
			out = append(out, s)
		}
	}
	return out
}

// firstAnswer lists the sentences of the candidate's first turn.
func (d *doc) firstAnswer() []*sentence {
	var out []*sentence
	for _, s := range d.sents {
		if !s.first {
			break
		}
		out = append(out, s)
	}
	return out
}
