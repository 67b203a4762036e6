package rubric

// SignalNames names the entries of the vector Signals returns.
var SignalNames = append(append(append([]string{}, CoreDimensions...), AdvancedDimensions...),
	RoutingNotOwnership, DirectedByManager, NoRealExample, ManipulationAttempt,
	"share_i", "share_we", "share_passive")

// Signals describes a piece of candidate text in the rubric's terms: for
// each dimension whether its detector credits the text, for each red flag
// whether it would fire, and the shares of actions told as "I", "we" and
// in the passive. Unlike Score it applies no whole-interview gates (a
// one-sentence snippet is judged on what it says), so it suits short texts
// such as exemplars and retrieval queries. The result is deterministic and
// has len(SignalNames) entries in that order.
func Signals(text string) []float32 {
	d := newDoc(Transcript{Turns: []Turn{{Role: RoleCandidate, Text: text}}}, nil)
	d.snippet = true
	manip := d.detectManipulation()
	d.markKeywordLists()
	a := d.countActors()
	routing, reportOnly := d.detectRouting()
	metric := d.metricDelta()
	dims := []finding{
		d.firstPerson(a, routing.pass),
		d.concreteActions(a),
		d.endToEnd(a, reportOnly),
		metric,
		d.conciseSituation(),
		d.scopeBoundary(),
		d.mechanism(),
		d.businessImpact(),
		d.secondOrder(),
		d.dataRigor(metric),
		d.reflection(),
		d.orgThinking(),
	}
	out := make([]float32, 0, len(SignalNames))
	for _, f := range dims {
		out = append(out, boolf(f.pass))
	}
	directed := false
	for _, s := range d.sents {
		if has(s.ws, &managerDirected) {
			directed = true
		}
	}
	noExample := false
	for _, s := range d.sents {
		if has(s.ws, &noExamplePhrases) || hypotheticalSentence(s) {
			noExample = true
		}
	}
	out = append(out, boolf(routing.pass), boolf(directed), boolf(noExample), boolf(manip.pass))
	total := float32(a.i + a.we + a.passive)
	if total == 0 {
		total = 1
	}
	out = append(out, float32(a.i)/total, float32(a.we)/total, float32(a.passive)/total)
	return out
}

func boolf(b bool) float32 {
	if b {
		return 1
	}
	return 0
}
