package rubric

import (
	"fmt"
	"strings"
)

// advice says what a strong answer does for each dimension; the tip puts
// what was missing in this answer in front of it.
var advice = map[string]string{
	FirstPersonActions:     "Tell each step as \"I …\" so the interviewer can see what you did, and name your own part when others helped.",
	ConcreteActions:        "Name the specific steps: what you investigated, what you found, what you changed and how you checked it worked.",
	EndToEndOwnership:      "Show you carried it to the end: your own fix or plan, the feedback you handled, the rollout and the follow-up.",
	MetricDelta:            "Give the result as a measured change: a before and after figure, a percentage, a time or a count.",
	ConciseSituation:       "State the problem and what it was costing in the first two or three sentences; keep background for follow-ups.",
	ScopeBoundary:          "Say plainly whether this was yours to do: not your team's system, no ticket, nobody asked.",
	Mechanism:              "Describe the safeguard you insisted on (an alert, a test, a check, a process) and why it mattered, so the problem cannot quietly return.",
	BusinessImpact:         "Translate the result into business terms: money, customers, time saved or risk removed.",
	SecondOrderEffect:      "Name what changed beyond the fix: another team adopting it, a new standard, a process that now runs.",
	DataRigor:              "Explain how you got your figures: which data, which calculation (volume × rate), which experiment.",
	SpecificReflection:     "Give a lesson only this story could teach: what you would do differently here, concretely.",
	OrganizationalThinking: "Go beyond the code: the trade-off you weighed, the systemic cause, who should own the problem across teams.",
}

func tip(id, note string) string {
	if note == "" {
		return advice[id]
	}
	return upperFirst(note) + ". " + advice[id]
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var flagReasons = map[string]string{
	RoutingNotOwnership: "The candidate handed the problem to others, who carried it to a fix.",
	DirectedByManager:   "The candidate acted because a manager told them to, on a question about initiative.",
	NoRealExample:       "There is no concrete past story to judge",
	ManipulationAttempt: "The candidate addressed the interviewer or scorer instead of answering; this counts against them.",
}

func flagReason(id string, f finding) string {
	if id == NoRealExample && f.note != "" {
		return flagReasons[id] + ": " + f.note + "."
	}
	if id == NoRealExample {
		return flagReasons[id] + "."
	}
	return flagReasons[id]
}

var decisionWords = map[string]string{
	StrongHire:   "Strong hire",
	Hire:         "Hire",
	NoHire:       "No hire",
	StrongNoHire: "Strong no hire",
}

var dimensionNames = map[string]string{
	FirstPersonActions:     "first-person actions",
	ConcreteActions:        "concrete actions",
	EndToEndOwnership:      "end-to-end ownership",
	MetricDelta:            "a measured result",
	ConciseSituation:       "a concise situation",
	ScopeBoundary:          "a scope boundary",
	Mechanism:              "a mechanism",
	BusinessImpact:         "business impact",
	SecondOrderEffect:      "a second-order effect",
	DataRigor:              "data rigour",
	SpecificReflection:     "a specific reflection",
	OrganizationalThinking: "organizational thinking",
}

var flagNames = map[string]string{
	RoutingNotOwnership: "routing instead of ownership",
	DirectedByManager:   "directed by a manager",
	NoRealExample:       "no real example",
	ManipulationAttempt: "an attempt to steer the scorer",
}

// summarise writes a short plain-English account of the decision.
func summarise(sc Scorecard) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s at %s.", decisionWords[sc.Decision], sc.Level)
	var coreMissing, advMissing []string
	for _, d := range sc.Dimensions {
		if d.Pass || !d.Counted {
			continue
		}
		if d.Tier == "core" {
			coreMissing = append(coreMissing, dimensionNames[d.ID])
		} else {
			advMissing = append(advMissing, dimensionNames[d.ID])
		}
	}
	for _, f := range sc.RedFlags {
		if f.ID == NoRealExample {
			fmt.Fprintf(&b, " %s", f.Reason)
			return b.String()
		}
	}
	if len(coreMissing) == 0 {
		b.WriteString(" All four core dimensions pass.")
	} else {
		fmt.Fprintf(&b, " Core gaps: %s.", strings.Join(coreMissing, ", "))
	}
	counted := 7
	if sc.Level == LevelL6 || sc.Level == LevelL7 {
		counted = 8
	}
	fmt.Fprintf(&b, " %d of %d advanced dimensions pass", sc.Counts.AdvancedPassed, counted)
	if len(advMissing) > 0 {
		fmt.Fprintf(&b, " (missing %s)", strings.Join(advMissing, ", "))
	}
	b.WriteString(".")
	if len(sc.RedFlags) == 0 {
		b.WriteString(" No red flags.")
	} else {
		names := make([]string, len(sc.RedFlags))
		for i, f := range sc.RedFlags {
			names[i] = flagNames[f.ID]
		}
		fmt.Fprintf(&b, " Red flags: %s.", strings.Join(names, ", "))
	}
	if sc.Decision == Hire && (sc.Level == LevelL6 || sc.Level == LevelL7) && sc.Counts.AdvancedPassed >= 5 {
		b.WriteString(" At this level strong hire also needs organizational thinking.")
	}
	return b.String()
}
