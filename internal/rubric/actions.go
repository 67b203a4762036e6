package rubric

import "strings"

// Who did what: the clause-level facts the core dimensions rest on.

// particles that may sit between a verb and its object ("looked into it").
var particles = newWordSet("up", "out", "down", "into", "through", "back", "off", "over", "on", "in", "at", "to", "with", "about", "around", "across", "onto", "away")

// genericWords carry no story-specific content.
var genericWords = newWordSet(
	"the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "from", "by", "about",
	"into", "onto", "over", "under", "that", "this", "these", "those", "there", "their", "them", "they", "it",
	"its", "my", "our", "we", "us", "i", "me", "her", "him", "his", "she", "he", "you", "your", "what", "which",
	"who", "whom", "whose", "when", "where", "while", "how", "why", "all", "any", "some", "each", "every",
	"more", "most", "much", "many", "lot", "lots", "really", "very", "just", "also", "then", "than", "so",
	"right", "good", "great", "better", "best", "well", "team", "teams", "people", "thing", "things", "work",
	"worked", "problem", "problems", "issue", "issues", "project", "stuff", "time", "times", "sure", "make",
	"made", "what", "needed", "need", "would", "could", "should", "being", "been", "were", "was", "have",
	"had", "has", "is", "are", "be", "do", "did", "done", "get", "got", "getting", "going", "out", "up",
	"after", "before", "again", "other", "others", "everyone", "everybody", "someone", "something",
	"whole", "general", "always", "never", "maybe", "probably", "think", "thought", "feel", "felt",
	"happy", "everything", "anything", "nothing", "whatever", "regularly", "together", "between",
	"through", "because", "since", "until", "there", "here", "around", "still", "even", "only", "again",
	"pushing", "happened", "going", "working", "doing", "making", "getting", "trying", "happen",
	// time words say when, not what
	"day", "days", "week", "weeks", "month", "months", "year", "years", "quarter", "quarters",
	"journey", "data-driven", "approach", "holistic", "myself", "piece", "personal", "personally",
)

// specific reports whether a word carries concrete content.
func specific(t token) bool {
	if t.punct {
		return false
	}
	if t.isDigit {
		return true
	}
	return len(t.norm) >= 5 && !genericWords.has(&t) && !vagueObjects.has(&t)
}

// actionClause: a past, real (not hypothetical, not negated) action.
func actionClause(c clause) bool {
	if c.verb < 0 || !c.past || c.hypothetical || c.negated || c.verbIn(nonActions) {
		return false
	}
	// "kept seeing", "kept getting": something that went on, not a step.
	if v := c.verbNorm(); v == "kept" && c.verb+1 < len(c.toks) && strings.HasSuffix(c.toks[c.verb+1].norm, "ing") {
		return false
	}
	return true
}

// ownActor: the candidate alone or with their team.
func ownActor(s subject) bool { return s == subjI || s == subjWe }

// vagueObject reports "made some changes", "fixed it", "gave her feedback".
func vagueObject(c clause) bool {
	ws := c.rest
	i := 0
	for i < len(ws) && (particles.has(&ws[i]) || ws[i].norm == "her" || ws[i].norm == "him" || ws[i].norm == "them" || ws[i].norm == "a" || ws[i].norm == "the") {
		i++
	}
	if i >= len(ws) {
		return true
	}
	switch ws[i].norm {
	case "some", "various", "several", "few", "bunch", "lot", "lots", "stuff", "things", "everything", "something", "whatever":
		return true
	}
	if vagueObjects.has(&ws[i]) {
		if !softVague.has(&ws[i]) {
			return true
		}
		// "it" followed by specifics ("turned it into a conditional write") is fine.
		for _, t := range ws[i+1:] {
			if specific(t) {
				return false
			}
		}
		return true
	}
	return false
}

// concreteClause: the candidate (or their team) did a specific step.
func concreteClause(c clause) bool {
	if !actionClause(c) {
		return false
	}
	v := c.verbNorm()
	if c.subj == subjPassive {
		// "the mapping was rewritten": a specific step, whoever took it.
		return c.verbIn(concreteVerbs) && !c.verbIn(vagueVerbs)
	}
	if !ownActor(c.subj) {
		return false
	}
	if c.verbIn(lookVerbs) && whQuestion(c) {
		return false // "looked into why patients were missing appointments": the question, not what was looked at
	}
	if v == "worked" && workedWith(c) {
		return false // "worked closely with engineering and sales leadership": company, not a step
	}
	if c.verbIn(lookVerbs) && !vagueObject(c) {
		// "looked at the cases in the admin console", "went through three
		// months of pages": investigation when a specific object follows;
		// "looked into it" stays vague.
		return specificAfter(c) >= 2
	}
	if v == "checked" && c.verb+1 < len(c.toks) && c.toks[c.verb+1].norm == "in" {
		return false // "checked in with her"
	}
	if c.verbIn(vagueVerbs) || vagueObject(c) || carriedAlong(c) {
		return false
	}
	if c.verbIn(concreteVerbs) {
		return true
	}
	// An unlisted verb counts when a specific object follows it.
	return specificAfter(c) >= 2
}

// solutionClause: a concrete step that produces a fix, a change or a plan
// ("rewrote the retry policy"), not a write-up of the problem.
func solutionClause(c clause) bool {
	v := c.verbNorm()
	if ownActor(c.subj) && c.past && !c.hypothetical && !c.negated {
		if (v == "had" || v == "got") && causedFix(c.rest) {
			return true // "I had the thermocouple replaced"
		}
		if v == "agreed" && len(c.rest) > 1 && c.rest[0].norm == "to" && !vagueVerbs.has(&c.rest[1]) && !lookVerbs.has(&c.rest[1]) {
			return true // "we agreed to bill on sets actually collected": a deal struck
		}
	}
	if !concreteClause(c) {
		return false
	}
	var next, after string // the two words after the verb
	if len(c.rest) > 0 {
		next = c.rest[0].norm
	}
	if len(c.rest) > 1 {
		after = c.rest[1].norm
	}
	switch {
	case v == "set" && next == "up":
		return true // "set up an alert", unlike "set a meeting"
	case v == "made" && madeArtifact(c.rest):
		return true // "made a chart in the dairy", unlike "made some changes"
	case !c.verbIn(buildVerbs) || c.verbIn(notSolutions):
		return false
	case v == "wrote" && (next == "up" || after == "up" || communications.hasWord(next) || communications.hasWord(after)):
		return false // a write-up or an email describes the problem
	case v == "moved" && (next == "onto" || next == "on" || next == "to" || next == "over"):
		return false // moving on to other work
	case v == "taught" && (next == "myself" || next == "ourselves"):
		return false // learning, not a fix
	}
	return true
}

// causedFix: "had the thermocouple replaced", "got the sorter
// recalibrated": a fix the candidate had made.
func causedFix(rest []token) bool {
	for i := 1; i < len(rest) && i < 5; i++ {
		if buildVerbs.has(&rest[i]) && !notSolutions.has(&rest[i]) && strings.HasSuffix(rest[i].norm, "ed") {
			return true
		}
	}
	return false
}

// madeArtifact: one of the first words after "made" is an artifact ("a
// colour chart").
func madeArtifact(rest []token) bool {
	for i := 0; i < len(rest) && i < 3; i++ {
		if artifacts.has(&rest[i]) {
			return true
		}
	}
	return false
}

// artifacts are things made that can be the fix itself.
var artifacts = newWordSet("chart", "board", "sign", "signs", "template", "form", "rota", "checklist", "tool", "list",
	"spreadsheet", "jig", "guide", "label", "labels", "tracker", "map", "sheet", "card", "cards", "poster", "stencil",
	"fixture", "script", "dashboard", "kit", "kits", "rack", "tray", "schedule", "calendar", "matrix", "binder")

// softVague objects are vague unless something specific follows: "fixed
// it" but "turned it into a conditional write", "simplified the flow" but
// "tested the flow in our sandbox for both states".
var softVague = newWordSet("it", "them", "this", "flow", "experience", "approach")

// communications are things written to tell someone about a problem.
var communications = newWordSet("email", "emails", "message", "messages", "note", "notes", "ticket", "letter", "summary",
	"report", "memo", "post", "update", "write-up", "writeup")

var lookVerbs = newWordSet("looked", "went", "dug", "combed", "trawled", "sifted", "worked", "asked", "told",
	"answered", "explained", "spent", "took", "gave", "made", "kept", "brought", "got", "did", "had")

// workedWith: "worked (closely) with …" names who, not what.
func workedWith(c clause) bool {
	for i := 0; i < len(c.rest) && i < 3; i++ {
		if c.rest[i].norm == "with" {
			return true
		}
	}
	return false
}

// whQuestion: the object is a question ("into why …", "at how …").
func whQuestion(c clause) bool {
	for i, t := range c.rest {
		if i > 1 {
			break
		}
		switch t.norm {
		case "why", "what", "how", "whether", "where", "when":
			return true
		}
	}
	return false
}

// carriedAlong: moving "it" along ("took it all the way through to
// rollout", "saw it through") is follow-through, not a step.
func carriedAlong(c clause) bool {
	switch c.verbNorm() {
	case "took", "brought", "carried", "saw", "got", "drove":
	default:
		return false
	}
	if len(c.rest) == 0 {
		return false
	}
	switch c.rest[0].norm {
	case "it", "this", "them", "things", "everything":
		return true
	}
	return false
}

// specificAfter counts content words after the clause's verb; a
// duration ("for six months") says how long, not what.
func specificAfter(c clause) int {
	n := 0
	for i, t := range c.rest {
		if t.isNum && i+1 < len(c.rest) && setTimeunit.has(&c.rest[i+1]) {
			continue
		}
		if specific(t) || t.isNum && t.norm != "one" {
			n++
		}
	}
	return n
}

// actorCounts tallies real past actions by actor over the usable sentences.
type actorCounts struct {
	i, we, passive, concrete int
	iBuilt, weBuilt          int // solution steps (fixes, changes) by actor
	iQuotes, weQuotes        []Evidence
	concreteEv               []Evidence
	vagueEv                  []Evidence
}

func (d *doc) countActors() actorCounts {
	var a actorCounts
	for _, s := range d.usable() {
		for _, c := range s.clauses {
			if !actionClause(c) {
				if c.subj == subjI && c.verb >= 0 && c.verbIn(vagueVerbs) && c.past && !c.hypothetical {
					a.vagueEv = append(a.vagueEv, d.quoteTokens(s, c.toks))
				}
				continue
			}
			switch c.subj {
			case subjI:
				a.i++
				a.iQuotes = append(a.iQuotes, d.quoteTokens(s, c.toks))
			case subjWe:
				a.we++
				a.weQuotes = append(a.weQuotes, d.quoteTokens(s, c.toks))
			case subjPassive:
				a.passive++
			}
			if solutionClause(c) {
				switch c.subj {
				case subjI:
					a.iBuilt++
				case subjWe:
					a.weBuilt++
				}
			}
			if concreteClause(c) {
				a.concrete++
				a.concreteEv = append(a.concreteEv, d.quoteTokens(s, c.toks))
			} else if ownActor(c.subj) && (c.verbIn(vagueVerbs) || vagueObject(c)) {
				a.vagueEv = append(a.vagueEv, d.quoteTokens(s, c.toks))
			}
		}
	}
	return a
}
