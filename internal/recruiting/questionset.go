package recruiting

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"barraiser/internal/interview"
	"barraiser/internal/knowledge"
	"barraiser/internal/retrieval"
	"barraiser/internal/rubric"
)

// QuestionSet is what a recruiter configures candidates to be asked. Each
// edit stores a new Version; a session keeps the version it started with.
type QuestionSet struct {
	ID      string `json:"id"`
	OrgID   string `json:"org_id"`
	Version int    `json:"version"`
	// The editable part; its fields read as the set's own (qs.Name) and
	// sit at the top level of the set's JSON.
	QuestionSetInput
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// SetQuestion is one question of a set.
type SetQuestion struct {
	Principle string     `json:"principle"`
	Text      string     `json:"text"`
	Levels    []string   `json:"levels"` // empty: every level
	Probes    []SetProbe `json:"probes"`
}

// SetProbe is the recruiter's own wording of a probe for one dimension.
type SetProbe struct {
	Dimension string `json:"dimension"`
	Text      string `json:"text"`
}

// SetExemplar is the recruiter's own weak or strong example answer.
type SetExemplar struct {
	Principle string `json:"principle"`
	Dimension string `json:"dimension"`
	Label     string `json:"label"`
	Text      string `json:"text"`
}

// Limits of a question set.
const (
	MaxNameBytes        = 200
	MaxDescriptionBytes = 4 << 10
	MaxSetQuestions     = 50
	MaxQuestionBytes    = 2 << 10
	MaxSetProbes        = 20
	MaxProbeBytes       = 1 << 10
	MaxSetExemplars     = 100
	MaxExemplarBytes    = 4 << 10
	MaxTimeLimitMinutes = 240
)

// QuestionSetInput is the editable part of a question set.
type QuestionSetInput struct {
	Name                  string        `json:"name"`
	Description           string        `json:"description"`
	Questions             []SetQuestion `json:"questions"`
	Dimensions            []string      `json:"dimensions"`
	QuestionsPerInterview int           `json:"questions_per_interview"`
	ProbesPerQuestion     int           `json:"probes_per_question"`
	TimeLimitMinutes      int           `json:"time_limit_minutes"`
	Exemplars             []SetExemplar `json:"exemplars"`
}

// Validate checks every field and returns the input with defaults filled
// in, or a *FieldError naming the first field that is wrong.
func (in QuestionSetInput) Validate() (QuestionSetInput, error) {
	if err := text("name", in.Name, MaxNameBytes, true); err != nil {
		return in, err
	}
	if err := text("description", in.Description, MaxDescriptionBytes, false); err != nil {
		return in, err
	}
	if len(in.Questions) == 0 {
		return in, fieldErr("questions", "must hold at least one question")
	}
	if len(in.Questions) > MaxSetQuestions {
		return in, fieldErr("questions", "holds %d questions, more than the limit of %d", len(in.Questions), MaxSetQuestions)
	}
	for i, q := range in.Questions {
		f := fmt.Sprintf("questions[%d]", i)
		if !slices.Contains(knowledge.PrincipleNames, q.Principle) {
			return in, fieldErr(f+".principle", "%q is not one of the 16 Leadership Principles", clip(q.Principle))
		}
		if err := text(f+".text", q.Text, MaxQuestionBytes, true); err != nil {
			return in, err
		}
		for j, l := range q.Levels {
			if !slices.Contains(knowledge.Levels, l) {
				return in, fieldErr(fmt.Sprintf("%s.levels[%d]", f, j), "%q is not one of L4, L5, L6, L7", clip(l))
			}
		}
		if len(q.Probes) > MaxSetProbes {
			return in, fieldErr(f+".probes", "holds more than %d probes", MaxSetProbes)
		}
		for j, p := range q.Probes {
			pf := fmt.Sprintf("%s.probes[%d]", f, j)
			if !slices.Contains(interview.DefaultProbeOrder, p.Dimension) {
				return in, fieldErr(pf+".dimension", "%q is not a dimension or red flag that can be probed", clip(p.Dimension))
			}
			if err := text(pf+".text", p.Text, MaxProbeBytes, true); err != nil {
				return in, err
			}
		}
	}
	seen := map[string]bool{}
	for i, d := range in.Dimensions {
		f := fmt.Sprintf("dimensions[%d]", i)
		if !slices.Contains(rubric.AdvancedDimensions, d) || !slices.Contains(interview.DefaultProbeOrder, d) {
			return in, fieldErr(f, "%q is not an advanced dimension that can be probed", clip(d))
		}
		if seen[d] {
			return in, fieldErr(f, "%q is listed twice", d)
		}
		seen[d] = true
	}
	if in.Dimensions == nil {
		in.Dimensions = defaultAdvanced()
	}
	if in.QuestionsPerInterview == 0 {
		in.QuestionsPerInterview = min(len(in.Questions), interview.MaxQuestions)
	}
	if in.QuestionsPerInterview < 1 || in.QuestionsPerInterview > interview.MaxQuestions {
		return in, fieldErr("questions_per_interview", "must be between 1 and %d", interview.MaxQuestions)
	}
	if in.QuestionsPerInterview > len(in.Questions) {
		return in, fieldErr("questions_per_interview", "is %d but the set has %d questions", in.QuestionsPerInterview, len(in.Questions))
	}
	if in.ProbesPerQuestion == 0 {
		in.ProbesPerQuestion = interview.DefaultProbes
	}
	if in.ProbesPerQuestion < 0 || in.ProbesPerQuestion > interview.MaxProbes {
		return in, fieldErr("probes_per_question", "must be between 0 and %d", interview.MaxProbes)
	}
	if in.TimeLimitMinutes < 0 || in.TimeLimitMinutes > MaxTimeLimitMinutes {
		return in, fieldErr("time_limit_minutes", "must be between 0 (none) and %d", MaxTimeLimitMinutes)
	}
	if len(in.Exemplars) > MaxSetExemplars {
		return in, fieldErr("exemplars", "holds more than %d exemplars", MaxSetExemplars)
	}
	for i, e := range in.Exemplars {
		f := fmt.Sprintf("exemplars[%d]", i)
		if e.Principle != "" && !slices.Contains(knowledge.PrincipleNames, e.Principle) {
			return in, fieldErr(f+".principle", "%q is not one of the 16 Leadership Principles", clip(e.Principle))
		}
		if !knowledge.IsDimension(e.Dimension) && !knowledge.IsRedFlag(e.Dimension) {
			return in, fieldErr(f+".dimension", "%q is not a rubric dimension or red flag", clip(e.Dimension))
		}
		if e.Label != retrieval.LabelWeak && e.Label != retrieval.LabelStrong {
			return in, fieldErr(f+".label", "must be %q or %q", retrieval.LabelWeak, retrieval.LabelStrong)
		}
		if err := text(f+".text", e.Text, MaxExemplarBytes, true); err != nil {
			return in, err
		}
	}
	for i := range in.Questions {
		if in.Questions[i].Levels == nil {
			in.Questions[i].Levels = []string{}
		}
		if in.Questions[i].Probes == nil {
			in.Questions[i].Probes = []SetProbe{}
		}
	}
	if in.Exemplars == nil {
		in.Exemplars = []SetExemplar{}
	}
	return in, nil
}

// text checks one free-text field.
func text(field, s string, limit int, required bool) error {
	switch {
	case !utf8.ValidString(s):
		return fieldErr(field, "is not valid UTF-8")
	case len(s) > limit:
		return fieldErr(field, "is %d bytes, more than the limit of %d", len(s), limit)
	case required && strings.TrimSpace(s) == "":
		return fieldErr(field, "must not be empty")
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }) >= 0:
		return fieldErr(field, "holds control characters")
	}
	return nil
}

// clip shortens a value quoted back in an error message.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	for i := 60; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i] + "…"
		}
	}
	return ""
}

func defaultAdvanced() []string {
	var out []string
	for _, d := range interview.DefaultProbeOrder {
		if slices.Contains(rubric.AdvancedDimensions, d) {
			out = append(out, d)
		}
	}
	return out
}

// ProbeOrder is the session's probe order: the red flags and core
// dimensions in their default order, then the set's advanced dimensions
// in the set's order. Advanced dimensions the set leaves out are never
// probed.
func (qs *QuestionSet) ProbeOrder() []string {
	var out []string
	for _, d := range interview.DefaultProbeOrder {
		if !slices.Contains(rubric.AdvancedDimensions, d) {
			out = append(out, d)
		}
	}
	return append(out, qs.Dimensions...)
}

// QuestionsFor picks the questions of an interview at level: the set's
// questions for that level (a question with no levels suits every
// level), in order, at most QuestionsPerInterview.
func (qs *QuestionSet) QuestionsFor(level string) []interview.Question {
	var out []interview.Question
	for i, q := range qs.Questions {
		if len(q.Levels) > 0 && !slices.Contains(q.Levels, level) {
			continue
		}
		iq := interview.Question{ID: fmt.Sprintf("%s-v%d-q%d", qs.ID, qs.Version, i), Principle: q.Principle, Text: q.Text}
		for _, p := range q.Probes {
			iq.Probes = append(iq.Probes, interview.Probe{Dimension: p.Dimension, Text: p.Text})
		}
		out = append(out, iq)
		if len(out) == qs.QuestionsPerInterview {
			break
		}
	}
	return out
}
