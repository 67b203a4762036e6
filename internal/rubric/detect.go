package rubric

import "strings"

// finding is one detector's verdict with its evidence and, for a miss, a
// note used in the coaching tip.
type finding struct {
	pass bool
	ev   []Evidence
	note string
	// cue is the candidate's own words that show what is missing, when
	// there are any ("we dug through the logs together").
	cue *Evidence
}

func ptr[T any](v T) *T { return &v }

const maxEvidence = 3

func (f *finding) add(e Evidence) {
	for _, x := range f.ev {
		if x == e {
			return
		}
	}
	if len(f.ev) < maxEvidence {
		f.ev = append(f.ev, e)
	}
}

// matchIn returns the sentence's words and whether phrases match.
func matchIn(s *sentence, phrases *phraseSet) (ws []token, start, end int, ok bool) {
	ws = s.ws
	start, end, ok = find(ws, phrases)
	return ws, start, end, ok
}

// ---- red flags ----

// quoted: the word t of sentence s stands inside quotation marks — words
// the story reports ("students typed \"ignore previous instructions\" into
// the chatbot"), not words the candidate addresses to the scorer.
func (d *doc) quoted(s *sentence, t token) bool {
	text := d.t.Turns[s.turn].Text[s.start:t.start]
	open := strings.Count(text, "\"")%2 == 1
	return open || strings.Count(text, "“") > strings.Count(text, "”")
}

// detectManipulation finds text addressed to the interviewer or scorer.
func (d *doc) detectManipulation() finding {
	var f finding
	for _, s := range d.sents {
		if ws, st, _, ok := matchIn(s, &manipulationPhrases); ok && !d.quoted(s, ws[st]) {
			d.excluded[s] = true
			f.pass = true
			f.add(d.quote(s))
		}
	}
	return f
}

// markKeywordLists excludes sentences that are lists of rubric terms
// ("Mechanisms: alerting, runbooks, SLOs") and reports how stuffed the
// answer is: rubric terms against concrete steps.
func (d *doc) markKeywordLists() (terms int) {
	for _, s := range d.sents {
		ws := s.ws
		n := count(ws, &rubricTerms)
		terms += n
		heading := false
		for i, t := range s.toks {
			if t.punct && t.norm == ":" && i > 0 && i <= 4 {
				// "Scope boundary: …", "Metrics: …"
				if has(words(s.toks[:i]), &rubricTerms) || len(words(s.toks[:i])) <= 3 && i+1 < len(s.toks) && commaList(s.toks[i+1:]) {
					heading = true
				}
			}
		}
		if heading || (n >= 3 && n*4 >= len(ws)) {
			d.excluded[s] = true
		}
	}
	return terms
}

// commaList: a run of short items separated by commas ("alerting,
// runbooks, SLOs, canaries").
func commaList(toks []token) bool {
	commas, ws := 0, 0
	for _, t := range toks {
		if t.punct && t.norm == "," {
			commas++
		} else if !t.punct {
			ws++
		}
	}
	return commas >= 2 && ws <= 4*(commas+1)
}

// detectNoExample decides whether there is a real past story to judge.
func (d *doc) detectNoExample(a actorCounts, stuffing int) finding {
	var f finding
	refusal := false
	for _, s := range d.sents {
		if _, _, _, ok := matchIn(s, &noExamplePhrases); ok {
			refusal = true
			f.add(d.quote(s))
		}
	}
	hypo, past := 0, 0
	for _, s := range d.usable() {
		for _, c := range s.clauses {
			if c.subj == subjI || c.subj == subjWe {
				if c.hypothetical {
					hypo++
				} else if actionClause(c) {
					past++
				}
			}
		}
	}
	usableWords, lists, habits := 0, 0, 0
	for _, s := range d.usable() {
		usableWords += len(s.ws)
		if commaList(s.toks) {
			lists++
		}
		if habitSentence(s) {
			habits++
		}
	}
	switch {
	case refusal && a.concrete < 4:
		f.pass = true
		f.note = "the candidate said they had no specific example"
	case usableWords < 70:
		f.pass = true
		f.note = "the answers are too short to show a real situation, actions and result"
	case hypo >= 3 && hypo > 2*past && a.concrete < 3:
		f.pass = true
		f.note = "the answer describes what the candidate would do, not what they did"
	case stuffing >= 6 && a.concrete < 4:
		f.pass = true
		f.note = "the answer lists rubric terms and numbers without a story connecting them"
	case habits >= 3 && a.concrete < 3:
		// "I always read the one-star reviews myself every Monday":
		// what the candidate does as a rule, not one time they did it.
		f.pass = true
		f.note = "the answer describes what the candidate always does, not a specific time"
	case lists >= 4 && 3*lists >= len(d.usable()):
		// "Revenue, cost, customers, risk. Alert, test, SLO, because it
		// mattered.": most of what is said is comma-separated fragments.
		f.pass = true
		f.note = "the answer is mostly lists of terms and figures, not a story"
	case a.concrete == 0 && a.i+a.we+a.passive < 2:
		f.pass = true
		f.note = "no past actions by the candidate are described"
	}
	if f.pass && len(f.ev) == 0 {
		for _, s := range d.sents {
			f.add(d.quote(s))
			break
		}
	}
	return f
}

// detectRouting: handed the problem to others who fixed it.
func (d *doc) detectRouting() (flag finding, reportOnly bool) {
	var handoffs, resolved []*sentence
	driving := false
	for _, s := range d.sents {
		ws := s.ws
		if st, ok := handoffAt(s); ok {
			neg := false
			if _, _, ok := find(ws[max(0, st-4):], &handoffNegations); ok {
				neg = true
			}
			if !neg && !hypotheticalAt(s, ws, st) {
				handoffs = append(handoffs, s)
			}
		}
		st, en, ok := find(ws, &othersResolved)
		if ok && (negatedSpan(ws[st:en]) || passiveAt(ws, st) || pluperfect(ws[st:en])) {
			// "they weren't resolved", "until they were fixed", "the
			// supplier had changed their process": not others fixing it
			ok = false
		}
		if (ok || othersFixed(s)) && !hypotheticalSentence(s) {
			resolved = append(resolved, s)
		}
		if has(ws, &drivingPhrases) && !hypotheticalSentence(s) {
			driving = true
		}
		for _, c := range s.clauses {
			if ownActor(c.subj) && actionClause(c) && c.verbIn(releaseVerbs) && c.verbNorm() != "went" && c.verbNorm() != "cut" {
				driving = true // the candidate released the change themselves
			}
		}
	}
	if len(handoffs) == 0 || len(resolved) == 0 || driving {
		return flag, false
	}
	flag.pass = true
	for _, s := range handoffs {
		flag.add(d.quote(s))
	}
	for _, s := range resolved {
		flag.add(d.quote(s))
	}
	return flag, true
}

// handoffAt finds the candidate passing the problem on: a phrase such as
// "I filed a ticket", or a clause of theirs whose verb hands something over
// to someone ("…and sent it to the telephony team").
func handoffAt(s *sentence) (int, bool) {
	if has(s.ws, &toTheLab) {
		return 0, false // samples sent off for a test are not the problem handed over
	}
	if st, _, ok := find(s.ws, &handoffPhrases); ok {
		return st, true
	}
	for _, c := range s.clauses {
		if c.subj != subjI || !actionClause(c) || !c.verbIn(setHandoff) {
			continue
		}
		for _, t := range c.rest {
			switch t.norm {
			case "to", "with", "into", "ticket", "queue", "channel", "slack", "thread", "inbox", "mailbox":
				for i, w := range s.ws {
					if w.start == c.toks[c.verb].start {
						return i, true
					}
				}
			}
		}
	}
	return 0, false
}

var toTheLab = compilePhrases("to ~2 lab|labs|laboratory|laboratories|pathology|assay ~4 for")

// passiveAt: the pronoun at i is the subject of a passive ("they were
// fixed"), so it names the problems, not people fixing them.
func passiveAt(ws []token, i int) bool {
	if i+2 >= len(ws) {
		return false
	}
	switch ws[i].norm {
	case "they", "he", "she", "it":
	default:
		return false
	}
	switch ws[i+1].norm {
	case "were", "was", "are", "is", "been", "got", "weren't", "wasn't":
		return pastParticiple(ws[i+2].norm) || (i+3 < len(ws) && pastParticiple(ws[i+3].norm))
	}
	return false
}

// negatedSpan: a negation inside a matched phrase ("they weren't really
// resolved").
func negatedSpan(ws []token) bool {
	for _, t := range ws {
		if negators.has(&t) {
			return true
		}
	}
	return false
}

// othersFixed: a clause in which someone else carried out the fix
// ("their developers released a patch", "the vendor fixed it").
func othersFixed(s *sentence) bool {
	for _, c := range s.clauses {
		if c.subj != subjOther || !actionClause(c) || pluperfect(c.toks[:c.verb+1]) {
			continue
		}
		if c.verbIn(setResolved) {
			return true
		}
		// "the DBAs made the change", "their engineers did the fix"
		if (c.verbNorm() == "made" || c.verbNorm() == "did") && len(c.rest) > 1 && (c.rest[0].norm == "the" || c.rest[0].norm == "a" || c.rest[0].norm == "their") {
			switch c.rest[1].norm {
			case "change", "changes", "fix", "fixes":
				return true
			}
		}
	}
	return false
}

// pluperfect: the words tell what had happened before ("they had changed
// their process without telling us") — the cause, not a fix.
// "Once they'd fixed it" is the fix, told from after it.
func pluperfect(ws []token) bool {
	for i := 0; i+1 < len(ws); i++ {
		if (ws[i].norm == "had" || ws[i].norm == "they'd" || ws[i].norm == "he'd" || ws[i].norm == "she'd") && pastParticiple(ws[i+1].norm) {
			for j := max(0, i-3); j < i; j++ {
				switch ws[j].norm {
				case "once", "after", "when", "until", "since", "by":
					return false
				}
			}
			return true
		}
	}
	return false
}

// hypotheticalAt: the clause holding word index i is hypothetical.
func hypotheticalAt(s *sentence, ws []token, i int) bool {
	c := clauseAt(s, ws, i)
	return c != nil && c.hypothetical
}

// clauseAt is the clause of s that holds word i of ws, nil for none.
func clauseAt(s *sentence, ws []token, i int) *clause {
	if i >= len(ws) {
		return nil
	}
	off := ws[i].start
	for k := range s.clauses {
		c := &s.clauses[k]
		if len(c.toks) > 0 && c.toks[0].start <= off && off <= c.toks[len(c.toks)-1].start {
			return c
		}
	}
	return nil
}

// habitSentence: the candidate tells a habit ("I always start with the
// customer", "generally what happens is I'll spot a theme").
func habitSentence(s *sentence) bool {
	for _, c := range s.clauses {
		if !ownActor(c.subj) && c.subj != subjNone || c.hypothetical {
			continue
		}
		for _, t := range c.toks {
			if t.norm != "never" && t.norm != "sometimes" && t.norm != "often" && habitual.has(&t) {
				return true
			}
		}
	}
	return false
}

// anyHypothetical: some clause of the sentence is hypothetical ("I'd
// have stayed on it … before I changed projects").
func anyHypothetical(s *sentence) bool {
	for _, c := range s.clauses {
		if c.hypothetical {
			return true
		}
	}
	return false
}

func hypotheticalSentence(s *sentence) bool {
	for _, c := range s.clauses {
		if c.subj != subjNone && !c.hypothetical {
			return false
		}
	}
	for _, c := range s.clauses {
		if c.hypothetical {
			return true
		}
	}
	return false
}

// initiativeQuestion reports whether the interview asks about initiative
// or ownership, where being told to act is a red flag.
func (d *doc) initiativeQuestion() bool {
	q := d.t.Question
	if q == "" {
		for _, turn := range d.t.Turns {
			if turn.Role == RoleInterviewer {
				q = turn.Text
				break
			}
		}
	}
	if has(words(tokenize(q)), &initiativeQuestion) {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(d.t.Principle)) {
	case "ownership":
		return true
	}
	return false
}

// detectDirected: the candidate acted because a manager told them to.
func (d *doc) detectDirected() finding {
	var f finding
	if !d.initiativeQuestion() {
		return f
	}
	bossSeen := -10
	for _, s := range d.sents {
		ws := s.ws
		st, en, ok := find(ws, &managerDirected)
		if !ok && s.index-bossSeen <= 2 {
			st, en, ok = find(ws, &pronounDirected)
		}
		if has(ws, &bossMention) {
			bossSeen = s.index
		}
		if !ok {
			continue
		}
		negated := negatedAt(s, ws, st)
		for _, t := range ws[st:en] {
			negated = negated || negationWord(t.norm) // "the manager's, and nobody asked me"
		}
		if negated || hypotheticalAt(s, ws, st) {
			continue
		}
		f.pass = true
		f.add(d.quote(s))
	}
	return f
}

// negatedAt: a negation stands near word i within its own clause ("she
// didn't ask me to"), not in the clause before it ("the on-call engineer
// wasn't answering, and she told me to…").
func negatedAt(s *sentence, ws []token, i int) bool {
	c := clauseAt(s, ws, i)
	if c == nil {
		return negatedNear(ws, i)
	}
	cw := span(ws, c.toks[0].start, c.toks[len(c.toks)-1].end)
	for k := range cw {
		if cw[k].start == ws[i].start {
			return negatedNear(cw, k)
		}
	}
	return negatedNear(ws, i)
}

var bossMention = compilePhrases("@boss")

// negatedNear: a negation in the few words before i ("nobody asked me",
// "my manager didn't ask", "No. My manager heard…").
func negatedNear(ws []token, i int) bool {
	for j := max(0, i-3); j < len(ws) && j <= i+4; j++ {
		if negationWord(ws[j].norm) {
			return true
		}
	}
	return false
}

func negationWord(w string) bool {
	switch w {
	case "not", "never", "didn't", "wasn't", "nobody", "no-one", "noone", "hadn't", "without", "neither", "nor", "weren't":
		return true
	}
	return false
}

// othersOnly: the sentence tells what other people did and nothing the
// candidate did ("they'd gone back to setting bonuses by gut feel").
func othersOnly(s *sentence) bool {
	others := false
	for _, c := range s.clauses {
		switch c.subj {
		case subjI, subjWe:
			return false
		case subjOther:
			others = true
		}
	}
	return others
}
