package rubric

// Score validates a transcript and scores it.
func Score(t Transcript) (Scorecard, error) {
	if err := t.Validate(); err != nil {
		return Scorecard{}, err
	}
	return score(t), nil
}

// score runs every detector and applies the decision policy. It assumes a
// valid transcript.
func score(t Transcript) Scorecard {
	arrays := tokenArrays.Get().(*tokenArray)
	defer tokenArrays.Put(arrays)
	d := newDoc(t, arrays)

	// Text aimed at the scorer and rubric-term lists are set aside first so
	// that no later detector can credit them.
	manip := d.detectManipulation()
	stuffing := d.markKeywordLists()
	actors := d.countActors()
	noExample := d.detectNoExample(actors, stuffing)
	routing, reportOnly := d.detectRouting()
	directed := d.detectDirected()

	var dims map[string]finding
	if noExample.pass {
		dims = map[string]finding{}
		for _, id := range append(append([]string{}, CoreDimensions...), AdvancedDimensions...) {
			dims[id] = finding{note: noExample.note}
		}
	} else {
		metric := d.metricDelta()
		dims = map[string]finding{
			FirstPersonActions:     d.firstPerson(actors, routing.pass),
			ConcreteActions:        d.concreteActions(actors),
			EndToEndOwnership:      d.endToEnd(actors, reportOnly),
			MetricDelta:            metric,
			ConciseSituation:       d.conciseSituation(),
			ScopeBoundary:          d.scopeBoundary(),
			Mechanism:              d.mechanism(),
			BusinessImpact:         d.businessImpact(),
			SecondOrderEffect:      d.secondOrder(),
			DataRigor:              d.dataRigor(metric),
			SpecificReflection:     d.reflection(),
			OrganizationalThinking: d.orgThinking(),
		}
	}

	flags := map[string]finding{
		RoutingNotOwnership: routing,
		DirectedByManager:   directed,
		NoRealExample:       noExample,
		ManipulationAttempt: manip,
	}
	return assemble(d, dims, flags)
}

// assemble builds the scorecard in a fixed order and applies the decision
// policy of RUBRIC.md.
func assemble(d *doc, dims, flags map[string]finding) Scorecard {
	sc := Scorecard{
		RubricVersion: Version,
		Level:         d.level,
		Principle:     d.t.Principle,
		Dimensions:    make([]DimensionResult, 0, len(CoreDimensions)+len(AdvancedDimensions)),
		RedFlags:      []RedFlagResult{},
	}
	senior := d.level == LevelL6 || d.level == LevelL7
	for _, id := range CoreDimensions {
		f := dims[id]
		sc.Dimensions = append(sc.Dimensions, dimensionResult(id, "core", true, f))
		if !f.pass {
			sc.Counts.CoreFailed++
		}
	}
	for _, id := range AdvancedDimensions {
		f := dims[id]
		counted := id != OrganizationalThinking || senior
		sc.Dimensions = append(sc.Dimensions, dimensionResult(id, "advanced", counted, f))
		if f.pass && counted {
			sc.Counts.AdvancedPassed++
		}
	}
	for _, id := range RedFlags {
		f := flags[id]
		if !f.pass {
			continue
		}
		sc.RedFlags = append(sc.RedFlags, RedFlagResult{ID: id, Evidence: nonNil(f.ev), Reason: flagReason(id, f)})
		sc.Counts.RedFlags++
	}
	sc.Decision = decide(sc.Counts, flags[NoRealExample].pass, senior, dims[OrganizationalThinking].pass)
	sc.Summary = summarise(sc)
	return sc
}

func nonNil(ev []Evidence) []Evidence {
	if ev == nil {
		return []Evidence{}
	}
	return ev
}

func dimensionResult(id, tier string, counted bool, f finding) DimensionResult {
	r := DimensionResult{ID: id, Tier: tier, Pass: f.pass, Counted: counted, Evidence: nonNil(f.ev)}
	if !f.pass {
		r.Evidence = []Evidence{}
		r.Tip = tip(id, f.note)
		r.Cue = f.cue
	}
	return r
}

// decide is the decision policy of RUBRIC.md, verbatim.
func decide(c Counts, noExample, senior, orgPass bool) string {
	switch {
	case noExample || c.CoreFailed >= 2 || c.RedFlags >= 2 || (c.CoreFailed >= 1 && c.RedFlags >= 1):
		return StrongNoHire
	case c.CoreFailed == 1 || c.RedFlags == 1:
		return NoHire
	case c.AdvancedPassed >= 5 && (!senior || orgPass):
		return StrongHire
	}
	return Hire
}
