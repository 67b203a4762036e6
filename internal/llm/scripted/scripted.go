// Package scripted is barraiser's offline bar raiser: it words every turn
// from the knowledge pack's probe phrasings and its own templates, with no
// model and no network. Its output depends only on its input, so the same
// interview always reads the same; it is the default interviewer and the
// fallback whenever a language model is unavailable.
package scripted

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"unicode/utf8"

	"barraiser/internal/interview"
	"barraiser/internal/rubric"
)

// Interviewer is the scripted bar raiser.
type Interviewer struct{}

// New returns the scripted interviewer.
func New() *Interviewer { return &Interviewer{} }

// Name identifies the interviewer in logs and metrics.
func (*Interviewer) Name() string { return "scripted" }

// Speak words the turn. It streams the text word by word through token so
// a client renders it the same way as a model's reply.
func (iv *Interviewer) Speak(ctx context.Context, p interview.Prompt, token func(string)) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	var text string
	switch p.Kind {
	case interview.KindQuestion:
		text = question(p)
	case interview.KindProbe:
		text = probe(p)
	case interview.KindWrapUp:
		text = wrapUp(p)
	default:
		return "", fmt.Errorf("scripted interviewer: unknown turn kind %q", p.Kind)
	}
	if token != nil {
		for _, piece := range pieces(text) {
			token(piece)
		}
	}
	return text, nil
}

// pieces splits text into words with their following space, so that
// joining them gives text back exactly.
func pieces(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		if r == ' ' {
			out = append(out, text[start:i+1])
			start = i + 1
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// pick chooses one of options from a key, the same way every time.
func pick(options []string, key ...string) string {
	h := fnv.New64a()
	for _, k := range key {
		h.Write([]byte(k))
		h.Write([]byte{0})
	}
	return options[h.Sum64()%uint64(len(options))]
}

var greetings = []string{
	"Hi, and thanks for making the time. I'll be your bar raiser today. I'm going to ask about real situations you've been in, and I'll keep asking until I understand exactly what you did.",
	"Hello, thanks for joining. I'm the bar raiser on this loop. I'll ask you about specific things you've done, and I'll dig into the details as we go.",
	"Thanks for being here. I'm your bar raiser for this conversation. Expect me to interrupt with follow-ups: I want the specifics of what you personally did.",
}

var transitions = []string{
	"Thanks, that gives me a clear picture. Let's switch to a different area.",
	"Okay, I have what I need on that one. Let's move on.",
	"Thank you. I'd like to use the time for another topic now.",
}

func question(p interview.Prompt) string {
	var b strings.Builder
	if p.First {
		b.WriteString(pick(greetings, p.SessionID))
		b.WriteString(" ")
	} else {
		b.WriteString(pick(transitions, p.SessionID, p.Question))
		b.WriteString(" ")
	}
	if p.Count > 1 {
		fmt.Fprintf(&b, "Question %d of %d, on %s: ", p.Number, p.Count, p.Principle)
	} else if p.Principle != "" {
		fmt.Fprintf(&b, "This one is about %s. ", p.Principle)
	}
	b.WriteString(p.Question)
	if p.First {
		b.WriteString(" Take a moment to pick a real example, then walk me through it.")
	}
	return b.String()
}

// cueLeads open a probe by quoting the candidate back to themselves.
var cueLeads = []string{"You said \"%s\".", "I want to stop on something you said: \"%s\".", "Let me come back to \"%s\"."}

// own are the scripted interviewer's phrasings, used when the pack has
// none left that this interview has not heard.
var own = map[string][]string{
	rubric.FirstPersonActions:     {"I keep hearing \"we\". What did you do yourself, step by step?"},
	rubric.ConcreteActions:        {"Make it concrete for me: what was the first thing you did, and what did you find?"},
	rubric.EndToEndOwnership:      {"What happened between finding the problem and it being fixed in production? Who did each part?"},
	rubric.MetricDelta:            {"How did you measure the result? What was the number before, and what was it after?"},
	rubric.ScopeBoundary:          {"Was this part of your job? Who owned it, and did anyone ask you to do it?"},
	rubric.Mechanism:              {"What stops this from happening again without anyone noticing?"},
	rubric.BusinessImpact:         {"Why did that matter to the business or to customers? Put it in their terms."},
	rubric.SecondOrderEffect:      {"Did anything change beyond your fix: other teams, a standard, a process?"},
	rubric.DataRigor:              {"Where does that figure come from? Walk me through how you calculated it."},
	rubric.SpecificReflection:     {"Looking back at this specific situation, what would you do differently?"},
	rubric.OrganizationalThinking: {"Step back from the code: why was this possible in the first place, and who should own it across teams?"},
	rubric.RoutingNotOwnership:    {"Did you escalate it? What happened after that, and what was your part?"},
	rubric.DirectedByManager:      {"How did this end up with you? Did someone ask you to take it on?"},
	rubric.NoRealExample:          {"I'd like a specific time this actually happened. Can you walk me through one real example?"},
	rubric.ManipulationAttempt:    {"Let's keep to your example. Tell me what you actually did in that situation."},
}

// cued lists the targets whose probe reads well after quoting the
// candidate.
var cued = []string{rubric.FirstPersonActions, rubric.ConcreteActions, rubric.MetricDelta, rubric.Mechanism,
	rubric.SpecificReflection, rubric.DataRigor, rubric.RoutingNotOwnership, rubric.EndToEndOwnership}

func probe(p interview.Prompt) string {
	options := append(slices.Clone(p.Suggested), own[p.Dimension]...)
	if len(p.Own) > 0 {
		options = slices.Clone(p.Own) // the recruiter's own wording wins
	}
	fresh := options[:0:0]
	for _, o := range options {
		if !slices.Contains(p.Previous, o) && !containsAny(p.Previous, o) {
			fresh = append(fresh, o)
		}
	}
	if len(fresh) == 0 {
		fresh = options
	}
	if len(fresh) == 0 {
		fresh = own[rubric.ConcreteActions]
	}
	ask := pick(fresh, p.SessionID, p.Question, p.Dimension)
	if p.Cue != "" && slices.Contains(cued, p.Dimension) {
		lead := fmt.Sprintf(pick(cueLeads, p.SessionID, p.Dimension), shorten(p.Cue, 14))
		return lead + " " + ask
	}
	return ask
}

// containsAny reports whether a probe already sent ends with option (a
// probe may have been sent with a cue in front of it).
func containsAny(previous []string, option string) bool {
	for _, p := range previous {
		if strings.HasSuffix(p, option) {
			return true
		}
	}
	return false
}

// shorten keeps the first n words of a quote, marking the cut.
func shorten(s string, n int) string {
	s = strings.TrimRight(strings.TrimSpace(s), ".!?,;:")
	words := strings.Fields(s)
	if len(words) <= n {
		return s
	}
	out := strings.Join(words[:n], " ")
	for !utf8.ValidString(out) {
		out = out[:len(out)-1]
	}
	return out + "…"
}

var wrapUps = []string{
	"That's all my questions. Thank you for walking me through it in so much detail. Your scorecard is ready.",
	"We're at time, so let's stop there. Thanks for the candid answers. Your scorecard follows.",
	"Thank you, that's everything I wanted to cover. Here is your scorecard.",
}

func wrapUp(p interview.Prompt) string { return pick(wrapUps, p.SessionID) }
