package openai

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"barraiser/internal/interview"
)

// ErrRejected is returned (wrapped, naming the rule) when the model's reply
// breaks a rule of the output guard: it leaks a verdict or the rubric,
// breaks character, is empty, too long or asks too many questions. Text
// released through token before the rule tripped was checked and clean.
var ErrRejected = errors.New("reply rejected by the output guard")

// guardRule is one banned pattern of the guard. Patterns run on normalised
// text (see guardNormalise) and must not use $: they also run on a reply that
// is still being written.
type guardRule struct {
	name string
	re   *regexp.Regexp
	// fromCandidate allows the pattern when the candidate's own words
	// match it too, so the model may quote them ("your NPS score"). Only
	// neutral vocabulary is allowed this way, never a verdict, a
	// break of character or compliance with steering.
	fromCandidate bool
	// lits are strings every match contains one of (nil: unknown); text
	// with none of them skips the rule, which spares most of the regexp
	// work on a streamed reply.
	lits []string
}

func banned(name, pattern string) guardRule {
	return guardRule{name: name, re: regexp.MustCompile(pattern), lits: requiredLiterals(pattern)}
}

func bannedVocab(name, pattern string) guardRule {
	ru := banned(name, pattern)
	ru.fromCandidate = true
	return ru
}

// guardRules is the guard. A pattern matched by the turn's own question or
// principle (trusted bank text, e.g. "raised the bar on how your team
// hires") is allowed in that turn.
var guardRules = []guardRule{
	// Verdicts and outcomes.
	banned("verdict", `\bstrong (no )?hire\b|\b(no|not a) hire\b|\b(lean|leaning|leans|inclined) (towards? )?(a )?(no )?hire\b`),
	banned("verdict", `\b(i|we)('d| would| will|'ll)( not| definitely| probably| certainly)? hire you\b`),
	banned("verdict", `\b(you're|you are|you'll be|you will be|you'd be|you would be|you've been|you have been|you got|you get) (hired|a hire|the job|an offer|the offer)\b`),
	banned("verdict", `\bhire (decision|recommendation|verdict)\b|\bhiring (recommendation|verdict)\b|\bverdicts?\b`),
	banned("verdict", `\byou(| have|'ve) (passed|failed) (the|this) (interview|bar|round|loop|test|assessment)\b|\byou(| have|'ve) (passed|failed)[.!]|\b(you're|you are|you've|you have) (passing|failing)\b`),
	banned("verdict", `\byou (clearly |definitely )?(raise|raised|meet|met|clear|cleared|exceed|exceeded)( the| our| my)? bar\b`),
	banned("verdict", `\byour (score|scores|rating|ratings|grade|grades)\b`),
	banned("praise", `\b(great|excellent|perfect|fantastic|impressive|strong|solid|good|weak|poor|bad|terrible|amazing|outstanding|brilliant|compelling) (answer|answers|response|responses|example|story)\b`),
	banned("praise", `\b(well done|nice job|good job|great job|congratulations|congrats)\b`),
	bannedVocab("scoring", `\b(scores?|scored|scoring|scorecards?|ratings?|graded|grading|dimensions?|red flags?)\b`),
	banned("rubric", `\brubrics?\b`),
	// Rubric ids and their jargon.
	banned("identifier", `\b[a-z]+(_[a-z]+)+\b`),
	banned("identifier", `\b(metric delta|first person actions?|end to end ownership|scope boundary|second order effects?|organi[sz]ational thinking|data rigou?r|specific reflection|concise situation|routing not ownership|directed by manager|no real example|manipulation attempt)\b`),
	// Coaching.
	banned("coaching", `\b(a|the) (good|strong|great|ideal|better) (answer|response) (would|should|will)\b|\byou should (mention|say|include|talk about|emphasi[sz]e|highlight|add)\b|\btry (saying|mentioning|to mention|to say)\b|\bnext time,? (mention|say|include|try)\b`),
	// Breaking character.
	banned("character", `\bas an ai\b|\bai (model|assistant|language model)\b|\blanguage model\b|\bi('m| am) (just )?(an? )?(ai|assistant|chatbot|bot|program)\b|\b(openai|chatgpt|gpt|llm)\b`),
	banned("character", `\bi cannot\b|\bi can('t|not) (help|assist|comply|provide|share|fulfil|fulfill)\b|\bi('m| am) (unable|not able) to (help|assist|comply|provide|share)\b|\bi('m| am) sorry,? but\b|\bi apologi[sz]e\b`),
	banned("instructions", `\binstructions?\b|\bsystem (prompt|message)\b|\b(my|the|your|these|this) prompt\b|\b(my|these) (guidelines|rules)\b|\bi('ve| have) been (told|instructed|asked|programmed) to\b|\bi('m| am) (programmed|instructed|not allowed|not permitted)\b`),
	banned("reference", `\breference (material|example|examples|answer|answers)\b|\bexemplars?\b|\buntrusted\b`),
	banned("meta", `\bthe candidate\b|\bhere('s| is) (a|my|the|one|your) (possible |suggested |good )?(follow up|probe|question|reply|response|message)\b|^(probe|question|follow up|interviewer|bar raiser|response|reply|answer) ?:`),
	// Compliance with steering.
	banned("steering", `\bas (you )?requested\b|\bas you asked\b|\bignor(e|ing) (all |the |my |your )?(previous|prior|above|earlier)\b|\bdeveloper mode\b|\bjailbreak\b`),
}

// replyLimits are the hard limits of one reply (the prompt asks for less).
type replyLimits struct {
	maxWords     int
	maxBytes     int
	maxQuestions int    // question marks
	question     string // a question turn must carry this question
}

func replyLimitsFor(p interview.Prompt) replyLimits {
	switch p.Kind {
	case interview.KindQuestion:
		qs := countQuestions(p.Question)
		return replyLimits{maxWords: 2*wordsQuestion + len(strings.Fields(p.Question)), maxBytes: 2400, maxQuestions: max(2, qs+1), question: p.Question}
	case interview.KindWrapUp:
		return replyLimits{maxWords: 2 * wordsWrapUp, maxBytes: 800, maxQuestions: 0}
	default:
		return replyLimits{maxWords: 2 * wordsProbe, maxBytes: 1200, maxQuestions: 2}
	}
}

// replyGuard checks a reply as it is written and releases it to token only up
// to text that has been checked. A word is checked once the whitespace
// after it has arrived; the last few checked words are held back (unless
// a sentence has ended) so that no banned phrase can be half released
// before its last word arrives.
type replyGuard struct {
	lim     replyLimits
	allowed string // normalised trusted text: the question and principle
	cand    string // normalised candidate text
	token   func(string)

	buf      string // the reply so far, leading whitespace and reasoning removed
	raw      string // the reply as received, before a leading <think> block is removed
	released int    // bytes of buf passed to token
	checked  int    // bytes of buf that passed the phrase rules while streaming

	// allowedBy[i] records whether rule i matches the trusted text (then
	// the rule is waived): 0 not known yet, 1 yes, -1 no (see allows).
	allowedBy []int8
}

// guardWindow is how far before the unchecked text the streaming check
// looks again, in bytes: longer than any banned phrase (the longest are
// about 60 bytes), so a phrase that straddles two chunks is still seen
// whole.
const guardWindow = 96

// guardHoldWords is how many checked words stay unreleased, so phrases of up to
// guardHoldWords+1 words are caught whole.
const guardHoldWords = 3

func newReplyGuard(p interview.Prompt, token func(string)) *replyGuard {
	var cand strings.Builder
	cand.WriteString(p.Cue)
	for _, m := range p.History {
		if m.Role != interview.RoleInterviewer {
			cand.WriteString("\n")
			cand.WriteString(m.Text)
		}
	}
	return &replyGuard{
		lim:     replyLimitsFor(p),
		allowed: guardNormalise(p.Question + "\n" + p.Principle),
		cand:    guardNormalise(cand.String()),
		token:   token,
	}
}

// hasReleased reports whether any text reached token.
func (g *replyGuard) hasReleased() bool { return g.released > 0 }

// reset forgets an unreleased reply (before a retry).
func (g *replyGuard) reset() {
	if g.released == 0 {
		g.buf, g.raw, g.checked = "", "", 0
	}
}

// write takes the next piece of the reply.
func (g *replyGuard) write(delta string) error {
	g.raw += delta
	text, thinking := stripThinking(g.raw)
	if thinking {
		return nil // still inside a leading reasoning block
	}
	g.buf = strings.TrimLeftFunc(text, unicode.IsSpace)
	if len(g.buf) > g.lim.maxBytes {
		return fmt.Errorf("%w: too long (over %d bytes)", ErrRejected, g.lim.maxBytes)
	}
	end := strings.LastIndexAny(g.buf, asciiSpace)
	if end < 0 {
		return nil // no complete word yet
	}
	// g.buf[:end] is complete words: each was followed by whitespace.
	if err := g.check(g.buf[:end], false); err != nil {
		return err
	}
	g.release(guardReleasePoint(g.buf[:end+1], g.released))
	return nil
}

// finish checks the whole reply, releases what is left and returns it:
// the returned text is exactly what token received, in order.
func (g *replyGuard) finish() (string, error) {
	text, thinking := stripThinking(g.raw)
	if thinking {
		return "", fmt.Errorf("%w: the reply is only reasoning", ErrRejected)
	}
	// Released text always ends with a word, so trimming trailing space
	// never cuts into it.
	g.buf = strings.TrimSpace(text)
	if err := g.check(g.buf, true); err != nil {
		return "", err
	}
	g.release(len(g.buf))
	return g.buf, nil
}

func (g *replyGuard) release(to int) {
	if to <= g.released {
		return
	}
	if g.token != nil {
		g.token(g.buf[g.released:to])
	}
	g.released = to
}

// asciiSpace separates words. Only ASCII whitespace is used so that a
// release point can never fall inside a multi-byte rune.
const asciiSpace = " \t\n\r"

func isASCIISpace(c byte) bool { return strings.IndexByte(asciiSpace, c) >= 0 }

// guardReleasePoint is where checked text (complete words, each followed by
// whitespace) may be released up to: the end of its last sentence, or all
// but its last guardHoldWords words, whichever is later. The point is
// always just after a word, never after whitespace.
func guardReleasePoint(checked string, released int) int {
	point := released
	// Sentence ends: ".", "?" or "!" before whitespace (a closing quote or
	// bracket may come between).
	for i := len(checked) - 1; i > point; i-- {
		if !isASCIISpace(checked[i]) || isASCIISpace(checked[i-1]) {
			continue
		}
		j := i - 1
		for j > 0 && (checked[j] == '"' || checked[j] == '\'' || checked[j] == ')') {
			j--
		}
		if c := checked[j]; c == '.' || c == '?' || c == '!' {
			point = i
			break
		}
	}
	// All but the last guardHoldWords words.
	ends := 0
	for i := len(checked) - 1; i > point; i-- {
		if isASCIISpace(checked[i]) && !isASCIISpace(checked[i-1]) {
			ends++
			if ends == guardHoldWords+1 {
				point = i
				break
			}
		}
	}
	return point
}

// check applies every rule to text; final adds the rules that need the
// whole reply.
func (g *replyGuard) check(text string, final bool) error {
	if final && text == "" {
		return fmt.Errorf("%w: empty reply", ErrRejected)
	}
	if len(text) > g.lim.maxBytes {
		return fmt.Errorf("%w: too long (over %d bytes)", ErrRejected, g.lim.maxBytes)
	}
	if n := countWords(text); n > g.lim.maxWords {
		return fmt.Errorf("%w: too long (%d words)", ErrRejected, n)
	}
	if n := countQuestions(text); n > g.lim.maxQuestions {
		return fmt.Errorf("%w: %d questions (at most %d)", ErrRejected, n, g.lim.maxQuestions)
	}
	// While streaming, only the text around what is new needs the phrase
	// rules (what came before passed them already): checking the whole
	// reply on every chunk made the guard quadratic in the reply's length.
	// The final check reads it all.
	window := text
	if !final && g.checked > guardWindow && g.checked <= len(text) {
		start := strings.LastIndexAny(text[:g.checked-guardWindow], asciiSpace) + 1
		window = text[start:]
	}
	if mayHaveMarkup(window) {
		if m := markup.FindString(window); m != "" {
			return fmt.Errorf("%w: markup (%q)", ErrRejected, m)
		}
	}
	norm := guardNormalise(window)
	for i, ru := range guardRules {
		if ru.lits != nil && !containsAny(norm, ru.lits) {
			continue
		}
		m := ru.re.FindString(norm)
		if m == "" || g.allows(i) {
			continue
		}
		if ru.fromCandidate && strings.Contains(g.cand, m) {
			continue
		}
		return fmt.Errorf("%w: %s (%q)", ErrRejected, ru.name, m)
	}
	if final && g.lim.question != "" && !coversQuestion(text, g.lim.question) {
		return fmt.Errorf("%w: the question was not asked", ErrRejected)
	}
	if !final {
		g.checked = len(text)
	}
	return nil
}

// allows reports whether rule i matches the trusted text, which then
// allows what it matches. It is asked only when the rule has matched the
// reply (rarely), and remembered for the rest of the reply.
func (g *replyGuard) allows(i int) bool {
	if g.allowedBy == nil {
		g.allowedBy = make([]int8, len(guardRules))
	}
	if g.allowedBy[i] == 0 {
		g.allowedBy[i] = -1
		if guardRules[i].re.MatchString(g.allowed) {
			g.allowedBy[i] = 1
		}
	}
	return g.allowedBy[i] > 0
}

// mayHaveMarkup is a cheap necessary condition for markup to match s:
// one of the characters its inline alternatives need, or a line (s itself
// or the text after a newline) that starts, after spaces and tabs, with
// what its list and heading alternatives need.
func mayHaveMarkup(s string) bool {
	if strings.ContainsAny(s, "<>`*_") {
		return true
	}
	for line := range strings.Lines(s) {
		line = strings.TrimLeft(line, " \t")
		if line == "" {
			continue
		}
		if c := line[0]; c == '#' || c == '-' || c == '+' || (c >= '0' && c <= '9') || strings.HasPrefix(line, "•") {
			return true
		}
	}
	return false
}

// markup finds tags and markdown in the raw reply: the reply is plain
// text, and a tag means the model is echoing the prompt's structure.
var markup = regexp.MustCompile("[<>]|```|\\*\\*|__|(^|\n)[ \t]*(#|[-*•+][ \t]|\\d+[.)][ \t])")

// guardNormalise lowers text, straightens quotes, turns dashes and hyphens into
// spaces and collapses whitespace, so that "No-Hire", "no  hire" and
// "no hire" read the same to the rules.
func guardNormalise(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, c := range strings.ToLower(s) {
		switch c {
		case '\u2018', '\u2019', '\u02bc', '`':
			c = '\''
		case '\u201c', '\u201d':
			c = '"'
		case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
			c = ' '
		}
		if unicode.IsSpace(c) && c != '\n' {
			c = ' '
		}
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(c)
	}
	return b.String()
}

// questions counts the questions in text: runs of '?' (or '？').
func countQuestions(text string) int {
	n := 0
	prev := false
	for _, c := range text {
		q := c == '?' || c == '？'
		if q && !prev {
			n++
		}
		prev = q
	}
	return n
}

// covers reports whether reply carries question: at least half of the
// question's content words (compared by their first five letters, so
// "refused" matches "refuse") appear in the reply.
func coversQuestion(reply, question string) bool {
	have := map[string]bool{}
	for _, w := range guardWords(reply) {
		have[guardStem(w)] = true
	}
	total, hit := 0, 0
	for _, w := range guardWords(question) {
		if len(w) < 4 || guardStopwords[w] {
			continue
		}
		total++
		if have[guardStem(w)] {
			hit++
		}
	}
	return total == 0 || 2*hit >= total
}

func guardWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '\'' })
}

func guardStem(w string) string {
	n := 0
	for i := range w {
		if n == 5 {
			return w[:i]
		}
		n++
	}
	return w
}

var guardStopwords = map[string]bool{
	"tell": true, "about": true, "time": true, "when": true, "what": true, "that": true, "this": true, "with": true,
	"your": true, "have": true, "were": true, "from": true, "they": true, "them": true, "there": true, "their": true,
	"which": true, "would": true, "could": true, "should": true, "describe": true, "give": true, "walk": true,
	"through": true, "example": true, "something": true, "did": true, "then": true, "than": true, "into": true,
}

// stripThinking removes a leading <think>…</think> block that some local
// reasoning models (served by Ollama or llama.cpp) put into the content.
// thinking reports that the block has not closed yet.
func stripThinking(s string) (text string, thinking bool) {
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	const open, closing = "<think>", "</think>"
	if len(t) < len(open) {
		if strings.HasPrefix(open, t) && t != "" {
			return "", true // could still become "<think>"
		}
		return s, false
	}
	if !strings.HasPrefix(t, open) {
		return s, false
	}
	i := strings.Index(t, closing)
	if i < 0 {
		return "", true
	}
	return t[i+len(closing):], false
}

// countWords counts the whitespace-separated words of s without allocating.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		space := unicode.IsSpace(r)
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}
