package interview

import (
	"slices"

	"barraiser/internal/rubric"
)

// DefaultProbeOrder is the order in which missing things are probed: red
// flags that need clearing up first (a handoff that may have been routing,
// a manager who may have directed the work, no real example yet, text
// aimed at the scorer), then the core dimensions, then the advanced ones.
// A concise situation cannot be probed after the fact, so it is not here.
var DefaultProbeOrder = []string{
	rubric.NoRealExample,
	rubric.ManipulationAttempt,
	rubric.RoutingNotOwnership,
	rubric.DirectedByManager,
	rubric.FirstPersonActions,
	rubric.ConcreteActions,
	rubric.EndToEndOwnership,
	rubric.MetricDelta,
	rubric.ScopeBoundary,
	rubric.Mechanism,
	rubric.DataRigor,
	rubric.BusinessImpact,
	rubric.SecondOrderEffect,
	rubric.SpecificReflection,
	rubric.OrganizationalThinking,
}

// probeable reports whether target can be probed at all.
func probeable(target string) bool { return slices.Contains(DefaultProbeOrder, target) }

// Plan is the decision after an answer.
type Plan struct {
	// Target is the dimension or red flag to probe; "" means move on.
	Target string
	// Cue is the candidate's own words behind the gap, if any.
	Cue string
}

// NextProbe decides what to probe after an answer, from the scorecard of
// the question's exchange so far and the hints of flags worth asking
// about. It never returns a target already in probed, returns "" once the
// budget is spent or nothing is missing, and only asks for organizational
// thinking at L6 and above, where it counts.
func NextProbe(sc rubric.Scorecard, hints []string, probed []string, order []string, budget int) Plan {
	if len(probed) >= budget {
		return Plan{}
	}
	if len(order) == 0 {
		order = DefaultProbeOrder
	}
	missing := map[string]string{} // target → cue
	for _, f := range sc.RedFlags {
		missing[f.ID] = firstQuote(f.Evidence)
	}
	for _, h := range hints {
		if _, ok := missing[h]; !ok {
			missing[h] = ""
		}
	}
	senior := sc.Level == rubric.LevelL6 || sc.Level == rubric.LevelL7
	noExample := false
	for _, f := range sc.RedFlags {
		if f.ID == rubric.NoRealExample {
			noExample = true
		}
	}
	if !noExample {
		// Without a real example every dimension fails; asking for the
		// example comes first and the rest can wait for it.
		for _, d := range sc.Dimensions {
			if d.Pass || !d.Counted || (d.ID == rubric.OrganizationalThinking && !senior) {
				continue
			}
			cue := ""
			if d.Cue != nil {
				cue = d.Cue.Quote
			}
			missing[d.ID] = cue
		}
	}
	for _, target := range order {
		cue, ok := missing[target]
		if !ok || slices.Contains(probed, target) || !probeable(target) {
			continue
		}
		return Plan{Target: target, Cue: cue}
	}
	return Plan{}
}

func firstQuote(ev []rubric.Evidence) string {
	if len(ev) == 0 {
		return ""
	}
	return ev[0].Quote
}
