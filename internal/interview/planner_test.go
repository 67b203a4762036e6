package interview

import (
	"testing"

	"barraiser/internal/rubric"
)

func transcript(level string, answers ...string) rubric.Transcript {
	t := rubric.Transcript{
		Principle: "Ownership",
		Question:  "Tell me about a time you took ownership of a problem nobody else was dealing with.",
		Level:     level,
	}
	t.Turns = append(t.Turns, rubric.Turn{Role: RoleInterviewer, Text: t.Question})
	for i, a := range answers {
		if i > 0 {
			t.Turns = append(t.Turns, rubric.Turn{Role: RoleInterviewer, Text: "Tell me more."})
		}
		t.Turns = append(t.Turns, rubric.Turn{Role: RoleCandidate, Text: a})
	}
	return t
}

func plan(t *testing.T, tr rubric.Transcript, probed []string, budget int) Plan {
	t.Helper()
	sc, err := rubric.Score(tr)
	if err != nil {
		t.Fatal(err)
	}
	return NextProbe(sc, rubric.Hints(tr), probed, nil, budget)
}

const weHeavy = "Last year our payment notifications were losing about 0.3 percent of events, and it wasn't our team's service. " +
	"We dug through the delivery logs together and we found a race between two workers. We wrote a fix that made the claim a conditional write, " +
	"we got it reviewed, and we rolled it out behind a flag. The drop rate went from 0.3 percent to zero, and we worked out from payment volumes that it had been worth about $8K a week."

const noNumbers = "Last year I noticed our payment notifications were quietly losing events; the service belongs to the platform team and nobody asked me to look. " +
	"I pulled a week of delivery logs and matched every queued event against every acknowledged one. I found a race between two workers claiming the same event. " +
	"I wrote a fix that made the claim a conditional write, got it reviewed by their lead, and rolled it out behind a flag over a week. After that things got much better and the team was happy."

func TestNextProbe(t *testing.T) {
	cases := []struct {
		name   string
		tr     rubric.Transcript
		probed []string
		budget int
		want   string
	}{
		{"a we-heavy answer gets an ownership probe", transcript("L5", weHeavy), nil, 3, rubric.FirstPersonActions},
		{"an answer with no numbers gets a metrics probe", transcript("L5", noNumbers), nil, 3, rubric.MetricDelta},
		{"never the same probe twice", transcript("L5", weHeavy), []string{rubric.FirstPersonActions}, 3, rubric.Mechanism},
		{"a handoff is asked about first", transcript("L5", noNumbers+" I also flagged it to their tech lead."), nil, 3, rubric.RoutingNotOwnership},
		{"no real example: ask for one", transcript("L5", "I would always look at the data first and then I would fix it."), nil, 3, rubric.NoRealExample},
		{"the budget is spent", transcript("L5", noNumbers), []string{"a", "b", "c"}, 3, ""},
		{"organizational thinking only at L6 and above", transcript("L5", weHeavy), []string{rubric.FirstPersonActions, rubric.Mechanism, rubric.SecondOrderEffect, rubric.SpecificReflection}, 6, ""},
		{"organizational thinking at L6", transcript("L6", weHeavy), []string{rubric.FirstPersonActions, rubric.Mechanism, rubric.SecondOrderEffect, rubric.SpecificReflection}, 6, rubric.OrganizationalThinking},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := plan(t, c.tr, c.probed, c.budget); got.Target != c.want {
				t.Fatalf("NextProbe target = %q, want %q", got.Target, c.want)
			}
		})
	}
}

func TestNextProbeCarriesTheCue(t *testing.T) {
	p := plan(t, transcript("L5", weHeavy), nil, 3)
	if p.Cue == "" {
		t.Fatal("a first-person probe should carry the candidate's 'we' words as its cue")
	}
}
