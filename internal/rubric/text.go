package rubric

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word, number or punctuation mark of a turn. Offsets index
// the original turn text, so any token range maps back to an exact quote.
type token struct {
	norm       string // lower-cased, curly apostrophes straightened
	starts     uint64 // phrase sets that can start on this token (match.go)
	sets       uint64 // word sets that hold this token's word (match.go)
	num        float64
	start, end int32 // byte offsets in the turn text (MaxTranscriptBytes fits)
	id         int32 // interned id of norm (0 when no pattern names it)
	isNum      bool  // a quantity: digits or a number word
	isDigit    bool  // written with digits
	punct      bool
	upper      bool // starts with a capital letter ("May" the month)
}

// sentence is a run of tokens ended by . ! ? or a line break.
type sentence struct {
	turn    int // index into Transcript.Turns
	index   int // position among the candidate's sentences
	first   bool
	start   int // byte offsets in the turn text
	end     int
	toks    []token
	ws      []token // toks without punctuation
	clauses []clause
}

// subject says who acts in a clause.
type subject int

const (
	subjNone subject = iota
	subjI
	subjWe
	subjOther
	subjPassive
)

// clause is a stretch of a sentence with a single actor.
type clause struct {
	toks         []token
	rest         []token // the words after the main verb (nil without one)
	subj         subject
	verb         int // index in toks of the main verb, -1 when none
	past         bool
	hypothetical bool // would/could/should/I'd + base verb, or inside an if-clause
	negated      bool
	// narrated is the past form of a present-tense verb in a story told
	// in the present ("I take eight weeks of data…"); see narrate.
	narrated string
}

// verbIn reports whether the clause's main verb (as verbNorm reads it)
// is in set.
func (c clause) verbIn(set *wordSet) bool {
	if c.verb < 0 {
		return false
	}
	if c.narrated != "" {
		return set.hasWord(c.narrated)
	}
	return set.has(&c.toks[c.verb])
}

func (c clause) verbNorm() string {
	if c.verb < 0 {
		return ""
	}
	if c.narrated != "" {
		return c.narrated
	}
	return c.toks[c.verb].norm
}

// reportingVerb introduces a reported clause after "I" or "we" ("I
// think", "I heard").
func reportingVerb(t token) bool {
	switch t.norm {
	case "think", "thought", "believe", "believed", "guess", "suppose", "assume", "heard", "know", "knew", "reckon":
		return true
	}
	return false
}

// listMarkerAt: toks[i] opens a numbered item, "2)" or "2.", after other
// words.
func listMarkerAt(toks []token, i int) bool {
	return i+1 < len(toks) && toks[i].isDigit && len(toks[i].norm) <= 2 && toks[i+1].punct && toks[i+1].norm == ")"
}

// elidedI: a clause that opens with a past-tense action verb and no
// actor ("Trained three shifts myself.").
func elidedI(c clause) bool {
	if len(c.toks) < 2 {
		return false
	}
	t := &c.toks[0]
	if !(concreteVerbs.has(t) || buildVerbs.has(t)) || !pastForm(t.norm) || t.norm == "turned" {
		return false
	}
	// "Throttled GPU-hours fell …": the form was an adjective and the
	// clause has its own verb.
	for _, u := range c.toks[1:] {
		if changeVerbs.has(&u) || pastIrregular.has(&u) || auxiliaries.has(&u) {
			return false
		}
	}
	return true
}

// listMarker: the clause is only an item number ("2" of "2)").
func listMarker(c clause) bool {
	return len(c.toks) == 1 && c.toks[0].isDigit && len(c.toks[0].norm) <= 2
}

// tokenize splits text into tokens with byte offsets.
func tokenize(text string) []token { return appendTokens(make([]token, 0, len(text)/5), text) }

// appendTokens appends text's tokens to toks.
func appendTokens(toks []token, text string) []token {
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case strings.HasPrefix(text[i:], "->") || strings.HasPrefix(text[i:], "=>") || r == '→':
			// "40->5 min": the arrow reads as "to"
			n := size
			if r != '→' {
				n = 2
			}
			toks = append(toks, wordLike("to", i, i+n))
			i += n
		case unicode.IsLetter(r) || unicode.IsDigit(r) || isCurrency(r):
			j := scanWord(text, i)
			toks = append(toks, makeWordToken(text, i, j))
			i = j
		default:
			toks = append(toks, token{norm: text[i : i+size], start: int32(i), end: int32(i + size), punct: true})
			i += size
		}
	}
	return toks
}

func isCurrency(r rune) bool { return r == '$' || r == '£' || r == '€' || r == '¥' || r == '₹' }

// scanWord reads a word starting at i: letters, digits, inner apostrophes,
// hyphens, and the dots and commas inside numbers ("0.3", "12,000").
func scanWord(text string, i int) int {
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || (j == i && isCurrency(r)) {
			j += size
			continue
		}
		if r == '%' && j > i && text[j-1] >= '0' && text[j-1] <= '9' {
			j += size // "2.1%": the sign belongs to the figure
			break
		}
		if r == '\'' || r == '’' || r == '-' || r == '.' || r == ',' || r == ':' {
			// Keep joiners only between two word characters; dots and
			// commas only between digits.
			n, nsize := utf8.DecodeRuneInString(text[j+size:])
			p, _ := utf8.DecodeLastRuneInString(text[:j])
			if j+size < len(text) && nsize > 0 {
				if (r == '.' || r == ',' || r == ':') && unicode.IsDigit(p) && unicode.IsDigit(n) {
					j += size
					continue
				}
				if (r == '\'' || r == '’' || r == '-') && (unicode.IsLetter(p) || unicode.IsDigit(p)) && (unicode.IsLetter(n) || unicode.IsDigit(n)) {
					j += size
					continue
				}
			}
		}
		break
	}
	return j
}

// wordLike is a token that reads as the word norm though its text is not
// that word (an arrow read as "to").
func wordLike(norm string, start, end int) token {
	t := token{norm: norm, id: lookupID(norm), start: int32(start), end: int32(end)}
	t.sets = membership(t.id)
	t.starts = startBits(t.id, false)
	return t
}

func makeWordToken(text string, start, end int) token {
	raw := text[start:end]
	norm := strings.ToLower(strings.ReplaceAll(raw, "’", "'"))
	t := token{norm: norm, id: lookupID(norm), start: int32(start), end: int32(end)}
	t.sets = membership(t.id)
	r, _ := utf8.DecodeRuneInString(raw)
	t.upper = unicode.IsUpper(r)
	if c := norm[0]; c >= '0' && c <= '9' || c == '$' || c >= 0x80 {
		if v, ok := parseDigits(norm); ok {
			t.num, t.isNum, t.isDigit = v, true, true
		}
	} else if spelledNumbers.has(&t) {
		t.num, t.isNum = numberWords[norm], true
	} else if len(norm) <= 15 && strings.IndexByte(norm, '-') > 0 {
		if v, ok := compoundNumber(norm); ok {
			t.num, t.isNum = v, true
		}
	}
	t.starts = startBits(t.id, t.isNum)
	return t
}

// parseDigits reads "$8k", "12,000", "0.3", "£60k", "2.3m", "45th" style numbers.
func parseDigits(s string) (float64, bool) {
	s = strings.TrimLeft(s, "$£€¥₹")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	mult := 1.0
	end := len(s)
	for end > 0 && (s[end-1] < '0' || s[end-1] > '9') {
		end--
	}
	switch s[end:] {
	case "", "x", "s", "th", "st", "nd", "rd", "pp", "%", "ms", "h", "gb", "tb", "mb", "kb":
	case "k":
		mult = 1e3
	case "m", "mm":
		mult = 1e6
	case "bn", "b":
		mult = 1e9
	default:
		if strings.Contains(s[end:], "-") {
			break // "24-hour", "3-day": still a number
		}
		return 0, false
	}
	num := s[:end]
	if k := strings.IndexByte(num, '-'); k > 0 {
		num = num[:k] // "£30-60": a range, read as its first figure
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", ""), 64)
	if err != nil {
		return 0, false
	}
	return v * mult, true
}

var numberWords = map[string]float64{
	"zero": 0, "none": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
	"eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
	"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9,
	"dozen": 12, "half": 0.5, "third": 1.0 / 3, "quarter": 0.25, "fifth": 0.2,
	"tenth": 0.1, "double": 2, "twice": 2, "triple": 3, "thrice": 3,
	"halved": 0.5, "doubled": 2, "tripled": 3, "quadrupled": 4,
}

// spelledNumbers holds numberWords' words, so most tokens are known not to
// be one without a lookup.
var spelledNumbers = newWordSet(slices.Sorted(maps.Keys(numberWords))...)

// compoundNumber reads hyphenated number words: "forty-one", "sixty-two".
func compoundNumber(s string) (float64, bool) {
	tens, units, ok := strings.Cut(s, "-")
	if !ok {
		return 0, false
	}
	t, ok1 := numberWords[tens]
	u, ok2 := numberWords[units]
	if !ok1 || !ok2 || t < 20 || t > 90 || u < 1 || u > 9 {
		return 0, false
	}
	return t + u, true
}

// splitSentences cuts a turn's tokens into sentences.
func splitSentences(turn int, text string, toks []token) []sentence {
	var out []sentence
	begin := 0
	flush := func(endTok int) {
		if endTok <= begin {
			return
		}
		s := sentence{turn: turn, toks: toks[begin:endTok]}
		s.start = int(s.toks[0].start)
		s.end = int(s.toks[len(s.toks)-1].end)
		out = append(out, s)
	}
	for i, t := range toks {
		if !t.punct {
			// A line break between two tokens also ends a sentence.
			if i > begin && strings.Contains(text[toks[i-1].end:t.start], "\n") {
				flush(i)
				begin = i
			}
			continue
		}
		if t.norm == "." && i+1 < len(toks) && !startsSentence(text, toks[i+1]) {
			continue // "6 a.m. on", "e.g. the", "vs. last year"
		}
		if t.norm == "." || t.norm == "!" || t.norm == "?" || t.norm == "…" {
			// Skip a closing quote or bracket that belongs to the sentence.
			j := i + 1
			for j < len(toks) && toks[j].punct && strings.ContainsAny(toks[j].norm, "\"'”’)]") {
				j++
			}
			flush(j)
			begin = j
		}
	}
	flush(len(toks))
	return out
}

// startsSentence: a token that can open a sentence (not a lower-case word).
func startsSentence(text string, t token) bool {
	r, _ := utf8.DecodeRuneInString(text[t.start:])
	return !unicode.IsLower(r)
}

// clause boundaries: punctuation that separates clauses.
func isClauseBreak(t token) bool {
	if !t.punct {
		return false
	}
	switch t.norm {
	case ",", ";", ":", "—", "–", "(", ")", "\"", "“", "”":
		return true
	}
	return false
}

// splitClauses cuts a sentence at clause punctuation and at conjunctions
// that introduce a new actor ("…, and they fixed it", "… but I wrote…").
func splitClauses(toks []token) []clause {
	var out []clause
	begin := 0
	cut := func(end int) {
		seg := toks[begin:end]
		// Trim punctuation at both ends.
		for len(seg) > 0 && seg[0].punct {
			seg = seg[1:]
		}
		for len(seg) > 0 && seg[len(seg)-1].punct {
			seg = seg[:len(seg)-1]
		}
		if len(seg) > 0 {
			out = append(out, clause{toks: seg, verb: -1})
		}
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if isClauseBreak(t) || (t.norm == "-" && t.punct) {
			cut(i)
			begin = i + 1
			continue
		}
		if i > begin+1 && reportingVerb(toks[i-1]) && (toks[i-2].norm == "i" || toks[i-2].norm == "we") && startsActor(toks[i:]) {
			// "I think they adjusted the sorter": what is reported has
			// its own actor
			cut(i)
			begin = i
			continue
		}
		if i > begin && listMarkerAt(toks, i) {
			// "1) pulled the logs 2) found the race": each item is a clause
			cut(i)
			begin = i
			continue
		}
		if i > begin && clauseConjunctions.has(&t) && i+1 < len(toks) && (startsActor(toks[i+1:]) || (i-begin >= 3 && coordinatedVerb(t, toks[i+1:]))) {
			cut(i)
			begin = i
		}
	}
	cut(len(toks))
	return out
}

// coordinatedVerb: "… and matched every event", "… or retuned": a second
// verb sharing the clause's actor.
func coordinatedVerb(conj token, rest []token) bool {
	if conj.norm != "and" && conj.norm != "or" && conj.norm != "then" {
		return false
	}
	j := 0
	for j < len(rest) && adverbs.has(&rest[j]) {
		j++
	}
	return j < len(rest) && (pastIrregular.has(&rest[j]) || regularPast(rest[j].norm)) && !nonActions.has(&rest[j])
}

var clauseConjunctions = newWordSet("and", "but", "so", "then", "because", "while", "until", "once", "after", "before", "since", "when", "although", "though", "whereas", "or")

// startsActor reports whether toks begin with a pronoun or a noun phrase
// that acts ("they", "their lead", "the team").
func startsActor(toks []token) bool {
	s, _ := readSubject(toks)
	return s != subjNone || startsPassive(toks)
}

// startsPassive: "the test was repeated", "our logs were exported".
func startsPassive(toks []token) bool {
	if len(toks) < 3 {
		return false
	}
	switch toks[0].norm {
	case "the", "a", "an", "our", "their", "my", "his", "her", "its", "every", "each", "all":
	default:
		return false
	}
	for j := 1; j < len(toks)-1 && j <= 4; j++ {
		if toks[j].punct {
			return false
		}
		if (toks[j].norm == "was" || toks[j].norm == "were") && pastParticiple(toks[j+1].norm) {
			return true
		}
	}
	return false
}

// readSubject classifies the actor at the start of a clause and returns the
// index of the first token after it.
func readSubject(toks []token) (subject, int) {
	i := 0
	for i < len(toks) && (leadingFillers.has(&toks[i]) || toks[i].punct) {
		i++
	}
	if i >= len(toks) {
		return subjNone, i
	}
	w := toks[i].norm
	switch {
	case firstPersonSingular.hasWord(w):
		// "my team and I" is we; "I" is I.
		return subjI, i + 1
	case firstPersonPlural.hasWord(w):
		return subjWe, i + 1
	case otherPronouns.hasWord(w):
		return subjOther, i + 1
	}
	// Noun phrases: "my team", "the team", "our team", "their lead",
	// "the platform team", "finance", "my manager".
	if w == "my" || w == "our" || w == "the" || w == "their" || w == "his" || w == "her" {
		for j := i + 1; j < len(toks) && j <= i+4; j++ {
			n := toks[j].norm
			if toks[j].punct {
				break
			}
			if groupNouns.hasWord(n) {
				// "my team and I" → we.
				if j+2 < len(toks) && toks[j+1].norm == "and" && firstPersonSingular.has(&toks[j+2]) {
					return subjWe, j + 3
				}
				if (w == "my" || w == "our" || w == "the") && (n == "team" || n == "squad" || n == "group") {
					if w == "the" && j > i+1 {
						return subjOther, j + 1 // "the platform team"
					}
					return subjWe, j + 1
				}
				return subjOther, j + 1
			}
			if verbish(toks[j]) {
				break
			}
		}
	}
	// A fronted phrase before the actor: "On June 4th I pulled…", "For
	// those 26 I set up…", "After two review rounds we pushed…". It must
	// open like an adverbial, so "a layer we wrote" stays a noun phrase.
	timeAhead := toks[i].norm == "a" && i+1 < len(toks) && (setTimeunit.has(&toks[i+1]) || toks[i+1].norm == "few" || toks[i+1].norm == "couple")
	// The fronted phrase may begin with a word skipped above as a filler
	// ("For transport I set up…").
	from := i
	for from > 0 && !frontings.has(&toks[from]) && leadingFillers.has(&toks[from-1]) && frontings.has(&toks[from-1]) {
		from--
	}
	if !frontings.has(&toks[from]) && !toks[from].isNum && !timeAhead {
		return subjNone, i
	}
	for k := from; k < len(toks) && k <= from+6; k++ {
		w := toks[k].norm
		if toks[k].punct || verbish(toks[k]) || isModal(toks[k]) {
			break
		}
		switch {
		case w == "i" || w == "i've" || w == "i'd":
			return subjI, k + 1
		case w == "we" || w == "we've" || w == "we'd":
			return subjWe, k + 1
		case w == "they" || w == "he" || w == "she":
			return subjOther, k + 1
		}
	}
	return subjNone, i
}

var leadingFillers = newWordSet("and", "but", "so", "then", "also", "first", "firstly", "next", "afterwards", "afterward",
	"later", "finally", "eventually", "honestly", "actually", "basically", "that", "which", "who", "where",
	"after", "once", "since", "because", "when", "while", "until", "before", "instead", "plus", "now", "yes",
	"yeah", "no", "well", "ok", "okay", "sure", "anyway", "meanwhile", "together", "still", "ultimately",
	"initially", "personally", "though", "within", "over", "in", "on", "from", "by", "for", "during")

// frontings open an adverbial phrase that can precede the actor.
var frontings = newWordSet("on", "in", "at", "for", "after", "before", "by", "over", "during", "within", "from", "since",
	"last", "next", "this", "that", "every", "each", "early", "late", "later", "around", "about", "across", "between",
	"throughout", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "one",
	"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
	"december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "once", "when", "until",
	"with", "without", "under", "as", "first", "then", "meanwhile", "overnight", "today", "yesterday", "to")

var firstPersonSingular = newWordSet("i", "i've", "i'd", "i'll", "i'm", "me", "myself")
var firstPersonPlural = newWordSet("we", "we've", "we'd", "we'll", "we're", "us", "ourselves")
var otherPronouns = newWordSet("they", "they've", "they'd", "he", "she", "he'd", "she'd", "someone", "somebody", "nobody", "everyone", "everybody")

var groupNouns = newWordSet("team", "teams", "squad", "squads", "group", "lead", "leads", "manager", "managers", "boss",
	"director", "vp", "engineer", "engineers", "on-call", "oncall", "colleague", "colleagues", "peers",
	"department", "org", "organisation", "organization", "owners", "owner", "staff", "people", "folks",
	"analyst", "analysts", "developer", "developers", "architect", "tech", "cto", "ceo", "admin", "admins",
	"vendor", "vendors", "supplier", "suppliers", "contractor", "contractors", "provider", "agency", "partner",
	"consultant", "consultants", "desk", "support", "department's", "owners'")

// verbish guesses whether a token is a verb form (used to stop noun-phrase scans).
func verbish(t token) bool {
	return pastIrregular.has(&t) || strings.HasSuffix(t.norm, "ed") || auxiliaries.has(&t)
}

var auxiliaries = newWordSet("is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did",
	"will", "would", "could", "should", "can", "may", "might", "must", "shall")

// analyseClause fills in subject, main verb, tense, hypothetical and
// negation for a clause; inherit is the subject of the previous clause.
func analyseClause(c *clause, inherit subject, inCondition, inList bool) {
	s, i := readSubject(c.toks)
	conj := inList || len(c.toks) > 0 && (c.toks[0].norm == "and" || c.toks[0].norm == "or" || c.toks[0].norm == "then" || c.toks[0].norm == "but")
	if s == subjNone && conj && i < len(c.toks) && (pastForm(c.toks[i].norm) || isModal(c.toks[i])) {
		// "…, and matched every event": the previous actor goes on.
		s = inherit
	}
	c.subj = s
	first := ""
	if i > 0 && i <= len(c.toks) {
		first = c.toks[i-1].norm
	}
	if first == "i'd" || first == "we'd" || first == "they'd" || first == "he'd" || first == "she'd" {
		// "I'd been hired" is past perfect; "I'd push" is hypothetical.
		if i < len(c.toks) && (c.toks[i].norm == "been" || pastParticiple(c.toks[i].norm)) {
			c.past = true
		} else {
			c.hypothetical = true
		}
	}
	if first == "i've" || first == "we've" || first == "they've" {
		c.past = true
	}
	for j := i; j < len(c.toks) && j < i+5; j++ {
		w := c.toks[j].norm
		if negators.hasWord(w) {
			c.negated = true
			continue
		}
		if adverbs.hasWord(w) {
			continue
		}
		if isModal(c.toks[j]) {
			c.hypothetical = true
			continue
		}
		if w == "have" || w == "has" || w == "had" {
			if j+1 < len(c.toks) && pastParticiple(c.toks[j+1].norm) {
				c.past = true
				continue
			}
		}
		if pastForm(w) {
			c.verb = j
			c.past = c.past || !c.hypothetical
			break
		}
		if c.hypothetical || c.past {
			c.verb = j
			break
		}
		if auxiliaries.hasWord(w) || w == "to" {
			continue
		}
		// Present tense or something else: stop looking.
		c.verb = j
		break
	}
	if inCondition {
		c.hypothetical = true
	}
	relative := len(c.toks) > 0 && (c.toks[0].norm == "which" || c.toks[0].norm == "that" || c.toks[0].norm == "who" || c.toks[0].norm == "where")
	if c.subj == subjNone && !relative {
		// "the alert was added", "it got fixed": passive voice (not a
		// description such as "which the hall was designed for").
		for j := 0; j+1 < len(c.toks) && j < 8; j++ {
			if (c.toks[j].norm == "was" || c.toks[j].norm == "were" || c.toks[j].norm == "got" || c.toks[j].norm == "been") && pastParticiple(c.toks[j+1].norm) && !statives.has(&c.toks[j+1]) {
				c.subj = subjPassive
				c.verb = j + 1
				c.past = true
				// "nothing was quarantined": a step that did not happen.
				for _, t := range c.toks[:j] {
					switch t.norm {
					case "nothing", "none", "no", "nobody", "neither":
						c.negated = true
					}
				}
				break
			}
		}
	}
}

// narrate reads a story told in the present tense ("So I take eight weeks
// of the data and I clean the filter…", common in spoken and non-native
// English) as past narration: each clause whose actor is the candidate or
// their team and whose verb is a plain present form takes that verb's past
// form. Habits ("I always check…") stay present.
func narrate(c *clause) {
	if c.past || c.hypothetical || c.verb < 0 || !ownActor(c.subj) {
		return
	}
	for _, t := range c.toks[:c.verb] {
		if habitual.has(&t) {
			return
		}
	}
	if p := pastOf(c.toks[c.verb].norm); p != "" {
		c.narrated, c.past = p, true
	}
}

var habitual = newWordSet("always", "usually", "generally", "typically", "normally", "often", "sometimes", "tend", "never")

// pastOf returns the past form of a present-tense verb when it is one the
// detectors know, "" otherwise.
func pastOf(w string) string {
	if p, ok := irregularPast[w]; ok {
		return p
	}
	base := strings.TrimSuffix(w, "s") // "she takes", rare after I/we
	if len(base) < 2 {
		return ""
	}
	for _, p := range []string{base + "ed", base + "d", strings.TrimSuffix(base, "y") + "ied", base + base[len(base)-1:] + "ed"} {
		if (concreteVerbs.hasWord(p) || vagueVerbs.hasWord(p) || setBuild.hasWord(p)) && regularPast(p) {
			return p
		}
	}
	return ""
}

var irregularPast = map[string]string{
	"take": "took", "write": "wrote", "make": "made", "do": "did", "build": "built", "find": "found", "put": "put",
	"run": "ran", "go": "went", "give": "gave", "send": "sent", "bring": "brought", "set": "set", "cut": "cut",
	"read": "read", "lead": "led", "teach": "taught", "draw": "drew", "choose": "chose", "hold": "held",
	"rewrite": "rewrote", "rebuild": "rebuilt", "sit": "sat", "meet": "met", "pull": "pulled", "keep": "kept",
	"get": "got", "tell": "told", "dig": "dug", "spend": "spent", "stop": "stopped", "shut": "shut", "split": "split",
}

// isModal: "may" written "May" is the month.
func isModal(t token) bool { return modals.has(&t) && !(t.upper && t.norm == "may") }

var modals = newWordSet("would", "could", "should", "might", "may", "will", "can", "shall", "must", "wouldn't", "couldn't", "shouldn't", "won't", "can't", "cannot")
var negators = newWordSet("not", "never", "didn't", "don't", "doesn't", "wasn't", "weren't", "haven't", "hasn't", "hadn't", "no", "won't", "wouldn't", "couldn't", "can't", "cannot", "isn't", "aren't", "neither", "nor")
var adverbs = newWordSet("also", "then", "just", "quickly", "personally", "immediately", "eventually", "finally", "first", "actually",
	"still", "even", "really", "only", "later", "carefully", "manually", "myself", "ourselves", "themselves", "simply",
	"directly", "basically", "initially", "soon", "next", "again", "instead", "always", "usually", "often", "already",
	"mostly", "partly", "quietly", "deliberately", "explicitly", "specifically", "probably", "honestly", "literally",
	"all", "both", "each", "together", "jointly", "once", "twice", "therefore", "thus", "subsequently", "afterwards",
	"recently", "gradually", "slowly", "fully", "completely", "properly", "roughly", "nearly", "almost", "ever")

// pastForm: a simple-past or past-participle verb form.
func pastForm(w string) bool {
	if pastIrregular.hasWord(w) {
		return true
	}
	return regularPast(w)
}

func regularPast(w string) bool {
	if len(w) < 5 || !strings.HasSuffix(w, "ed") {
		return false
	}
	return !notVerbsEndingEd.hasWord(w)
}

func pastParticiple(w string) bool { return pastForm(w) || participles.hasWord(w) }

var participles = newWordSet("been", "done", "gone", "seen", "taken", "given", "written", "driven", "shown", "known", "grown",
	"chosen", "broken", "spoken", "stolen", "forgotten", "gotten", "risen", "fallen", "begun", "run", "drawn", "flown",
	"shaken", "hidden", "ridden", "proven", "rewritten", "undone", "overridden", "withdrawn")

var notVerbsEndingEd = newWordSet("need", "speed", "feed", "seed", "bed", "shed", "weed", "bleed", "breed", "hundred", "red",
	"embed", "indeed", "proceed", "exceed", "succeed", "kindred", "sacred", "naked", "wicked", "rugged", "ragged",
	"jagged", "beloved", "learned", "aged", "crooked", "hatred", "shred", "creed", "greed", "tweed", "steed",
	"unbed", "ahead", "spread", "thread", "bread", "dread", "tread", "instead", "shared", "related", "based",
	"detailed", "limited", "advanced", "automated", "distributed", "dedicated", "experienced", "skilled",
	"interested", "excited", "tired", "worried", "bored", "scared", "annoyed", "frustrated", "confused", "surprised")

var pastIrregular = newWordSet("reran", "re-ran", "rebuilt", "redrew", "resent", "went", "got", "made", "took", "gave", "found", "built", "wrote", "ran", "sent", "brought", "bought",
	"caught", "taught", "thought", "told", "said", "set", "put", "cut", "kept", "left", "led", "met", "paid", "read",
	"saw", "spent", "spoke", "stood", "understood", "won", "lost", "began", "broke", "chose", "drove", "drew", "fell",
	"felt", "flew", "forgot", "grew", "held", "hid", "knew", "lay", "meant", "rode", "rose", "sat", "shook", "shot",
	"shut", "sold", "sought", "slept", "split", "spun", "stuck", "struck", "swore", "threw", "woke", "wore", "became",
	"came", "did", "had", "was", "were", "heard", "let", "hit", "quit", "rewrote", "rebuilt", "overrode", "undid",
	"withdrew", "upheld", "oversaw", "dug", "fed", "fought", "hung", "laid", "lit", "mistook", "proved", "rang",
	"redid", "sank", "shrank", "sped", "stole", "swept", "tore", "underwent", "wound", "dealt", "burnt", "learnt",
	"spelt", "spilt", "dreamt", "leapt", "built-in", "cast", "broadcast", "forecast", "bet", "shed")

var statives = newWordSet("was", "were", "had", "felt", "thought", "believed", "seemed", "wanted", "liked", "loved", "needed",
	"knew", "hoped", "wished", "meant", "appeared", "looked", "sounded", "remained", "stayed", "happened",
	"noticed", "realised", "realized", "heard", "saw", "became", "got", "found", "assumed", "expected",
	"supposed", "interested", "excited", "tired", "worried", "frustrated", "surprised", "involved", "based",
	"called", "named", "used", "supposed")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
