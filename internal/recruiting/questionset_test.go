package recruiting_test

import (
	"errors"
	"strings"
	"testing"

	"barraiser/internal/recruiting"
	"barraiser/internal/rubric"
)

func validInput() recruiting.QuestionSetInput {
	return recruiting.QuestionSetInput{
		Name:        "Backend engineers",
		Description: "Ownership and depth for L5/L6.",
		Questions: []recruiting.SetQuestion{
			{Principle: "Ownership", Text: "Tell me about a time you fixed something nobody asked you to.", Levels: []string{"L5", "L6"},
				Probes: []recruiting.SetProbe{{Dimension: rubric.MetricDelta, Text: "How did you know it worked?"}}},
			{Principle: "Dive Deep", Text: "Tell me about a bug you chased to its root."},
		},
		Dimensions:            []string{rubric.Mechanism, rubric.DataRigor},
		QuestionsPerInterview: 2,
		ProbesPerQuestion:     2,
		TimeLimitMinutes:      45,
		Exemplars: []recruiting.SetExemplar{
			{Principle: "Ownership", Dimension: rubric.EndToEndOwnership, Label: "strong", Text: "I stayed on it until the fix shipped."},
		},
	}
}

// TestValidateNamesTheField: every field of a question set is checked,
// and the error names the field that is wrong.
func TestValidateNamesTheField(t *testing.T) {
	big := func(n int) string { return strings.Repeat("x", n) }
	for _, tc := range []struct {
		name  string
		edit  func(*recruiting.QuestionSetInput)
		field string
	}{
		{"empty name", func(in *recruiting.QuestionSetInput) { in.Name = "  " }, "name"},
		{"oversize name", func(in *recruiting.QuestionSetInput) { in.Name = big(recruiting.MaxNameBytes + 1) }, "name"},
		{"name not UTF-8", func(in *recruiting.QuestionSetInput) { in.Name = "\xff" }, "name"},
		{"name with control characters", func(in *recruiting.QuestionSetInput) { in.Name = "a\x00b" }, "name"},
		{"oversize description", func(in *recruiting.QuestionSetInput) { in.Description = big(recruiting.MaxDescriptionBytes + 1) }, "description"},
		{"no questions", func(in *recruiting.QuestionSetInput) { in.Questions = nil }, "questions"},
		{"too many questions", func(in *recruiting.QuestionSetInput) {
			for len(in.Questions) <= recruiting.MaxSetQuestions {
				in.Questions = append(in.Questions, in.Questions[0])
			}
		}, "questions"},
		{"unknown principle", func(in *recruiting.QuestionSetInput) { in.Questions[1].Principle = "Be Nice" }, "questions[1].principle"},
		{"principle in the wrong case", func(in *recruiting.QuestionSetInput) { in.Questions[0].Principle = "ownership" }, "questions[0].principle"},
		{"empty question text", func(in *recruiting.QuestionSetInput) { in.Questions[0].Text = "" }, "questions[0].text"},
		{"oversize question text", func(in *recruiting.QuestionSetInput) { in.Questions[0].Text = big(recruiting.MaxQuestionBytes + 1) }, "questions[0].text"},
		{"unknown level", func(in *recruiting.QuestionSetInput) { in.Questions[0].Levels = []string{"L5", "L9"} }, "questions[0].levels[1]"},
		{"too many probes", func(in *recruiting.QuestionSetInput) {
			in.Questions[0].Probes = make([]recruiting.SetProbe, recruiting.MaxSetProbes+1)
		}, "questions[0].probes"},
		{"probe of an unknown dimension", func(in *recruiting.QuestionSetInput) { in.Questions[0].Probes[0].Dimension = "charisma" }, "questions[0].probes[0].dimension"},
		{"probe of a dimension that cannot be probed", func(in *recruiting.QuestionSetInput) {
			in.Questions[0].Probes[0].Dimension = rubric.ConciseSituation
		}, "questions[0].probes[0].dimension"},
		{"empty probe text", func(in *recruiting.QuestionSetInput) { in.Questions[0].Probes[0].Text = "" }, "questions[0].probes[0].text"},
		{"oversize probe text", func(in *recruiting.QuestionSetInput) {
			in.Questions[0].Probes[0].Text = big(recruiting.MaxProbeBytes + 1)
		}, "questions[0].probes[0].text"},
		{"a core dimension among the advanced", func(in *recruiting.QuestionSetInput) { in.Dimensions = []string{rubric.MetricDelta} }, "dimensions[0]"},
		{"unknown dimension", func(in *recruiting.QuestionSetInput) { in.Dimensions = []string{rubric.Mechanism, "vibes"} }, "dimensions[1]"},
		{"dimension twice", func(in *recruiting.QuestionSetInput) { in.Dimensions = []string{rubric.Mechanism, rubric.Mechanism} }, "dimensions[1]"},
		{"more questions per interview than the set has", func(in *recruiting.QuestionSetInput) { in.QuestionsPerInterview = 3 }, "questions_per_interview"},
		{"negative questions per interview", func(in *recruiting.QuestionSetInput) { in.QuestionsPerInterview = -1 }, "questions_per_interview"},
		{"too many probes per question", func(in *recruiting.QuestionSetInput) { in.ProbesPerQuestion = 7 }, "probes_per_question"},
		{"negative probes per question", func(in *recruiting.QuestionSetInput) { in.ProbesPerQuestion = -1 }, "probes_per_question"},
		{"negative time limit", func(in *recruiting.QuestionSetInput) { in.TimeLimitMinutes = -5 }, "time_limit_minutes"},
		{"time limit over four hours", func(in *recruiting.QuestionSetInput) { in.TimeLimitMinutes = 241 }, "time_limit_minutes"},
		{"too many exemplars", func(in *recruiting.QuestionSetInput) {
			in.Exemplars = make([]recruiting.SetExemplar, recruiting.MaxSetExemplars+1)
		}, "exemplars"},
		{"exemplar of an unknown principle", func(in *recruiting.QuestionSetInput) { in.Exemplars[0].Principle = "Be Nice" }, "exemplars[0].principle"},
		{"exemplar of an unknown dimension", func(in *recruiting.QuestionSetInput) { in.Exemplars[0].Dimension = "" }, "exemplars[0].dimension"},
		{"exemplar label", func(in *recruiting.QuestionSetInput) { in.Exemplars[0].Label = "meh" }, "exemplars[0].label"},
		{"empty exemplar text", func(in *recruiting.QuestionSetInput) { in.Exemplars[0].Text = " " }, "exemplars[0].text"},
		{"oversize exemplar text", func(in *recruiting.QuestionSetInput) { in.Exemplars[0].Text = big(recruiting.MaxExemplarBytes + 1) }, "exemplars[0].text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput()
			tc.edit(&in)
			_, err := in.Validate()
			var fe *recruiting.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate = %v, want a FieldError on %s", err, tc.field)
			}
			if fe.Field != tc.field {
				t.Errorf("error names %q (%v), want %q", fe.Field, err, tc.field)
			}
			if !errors.Is(err, recruiting.ErrInvalid) {
				t.Errorf("%v does not wrap ErrInvalid", err)
			}
		})
	}
}

// TestValidateDefaults: a minimal set gets every question at most
// MaxQuestions, the default probes and every advanced dimension.
func TestValidateDefaults(t *testing.T) {
	in, err := recruiting.QuestionSetInput{
		Name:      "minimal",
		Questions: []recruiting.SetQuestion{{Principle: "Frugality", Text: "Tell me about doing more with less."}},
	}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if in.QuestionsPerInterview != 1 || in.ProbesPerQuestion != 3 || len(in.Dimensions) == 0 {
		t.Errorf("defaults: %+v", in)
	}
	if _, err := validInput().Validate(); err != nil {
		t.Errorf("the valid input: %v", err)
	}
}

// TestProbeOrderAndQuestions: a session from a set probes red flags and
// core dimensions first, then only the set's advanced dimensions in its
// order, and asks the set's questions for the level.
func TestProbeOrderAndQuestions(t *testing.T) {
	in, err := validInput().Validate()
	if err != nil {
		t.Fatal(err)
	}
	qs := &recruiting.QuestionSet{ID: "qs1", Version: 2, QuestionSetInput: recruiting.QuestionSetInput{
		Questions: in.Questions, Dimensions: in.Dimensions, QuestionsPerInterview: 2}}
	order := qs.ProbeOrder()
	tail := order[len(order)-2:]
	if tail[0] != rubric.Mechanism || tail[1] != rubric.DataRigor {
		t.Errorf("probe order ends %v, want the set's advanced dimensions", tail)
	}
	for _, d := range order {
		if d == rubric.BusinessImpact {
			t.Errorf("probe order %v holds an advanced dimension the set left out", order)
		}
	}
	if got := qs.QuestionsFor("L4"); len(got) != 1 || got[0].Principle != "Dive Deep" {
		t.Errorf("L4 questions = %+v, want only the question for every level", got)
	}
	got := qs.QuestionsFor("L5")
	if len(got) != 2 || len(got[0].Probes) != 1 || got[0].ID != "qs1-v2-q0" {
		t.Errorf("L5 questions = %+v", got)
	}
}
