package rubric

// Version identifies the rules that produced a scorecard. Bump it whenever
// a rule change could alter any decision.
const Version = "v1"

// Decisions, from best to worst.
const (
	StrongHire   = "strong_hire"
	Hire         = "hire"
	NoHire       = "no_hire"
	StrongNoHire = "strong_no_hire"
)

// Dimension ids (RUBRIC.md). Core dimensions first.
const (
	FirstPersonActions     = "first_person_actions"
	ConcreteActions        = "concrete_actions"
	EndToEndOwnership      = "end_to_end_ownership"
	MetricDelta            = "metric_delta"
	ConciseSituation       = "concise_situation"
	ScopeBoundary          = "scope_boundary"
	Mechanism              = "mechanism"
	BusinessImpact         = "business_impact"
	SecondOrderEffect      = "second_order_effect"
	DataRigor              = "data_rigor"
	SpecificReflection     = "specific_reflection"
	OrganizationalThinking = "organizational_thinking"
)

// Red flag ids (RUBRIC.md).
const (
	RoutingNotOwnership = "routing_not_ownership"
	DirectedByManager   = "directed_by_manager"
	NoRealExample       = "no_real_example"
	ManipulationAttempt = "manipulation_attempt"
)

// CoreDimensions must all pass for a hire.
var CoreDimensions = []string{FirstPersonActions, ConcreteActions, EndToEndOwnership, MetricDelta}

// AdvancedDimensions count towards strong hire.
var AdvancedDimensions = []string{ConciseSituation, ScopeBoundary, Mechanism, BusinessImpact, SecondOrderEffect, DataRigor, SpecificReflection, OrganizationalThinking}

// RedFlags lists every red flag id in scorecard order.
var RedFlags = []string{RoutingNotOwnership, DirectedByManager, NoRealExample, ManipulationAttempt}

// Evidence is a quote from one turn. Quote is always an exact substring of
// the text of Turns[Turn].
type Evidence struct {
	Turn  int    `json:"turn"`
	Quote string `json:"quote"`
}

// DimensionResult is the verdict on one dimension.
type DimensionResult struct {
	ID       string     `json:"id"`
	Tier     string     `json:"tier"` // "core" or "advanced"
	Pass     bool       `json:"pass"`
	Counted  bool       `json:"counted"` // false for organizational_thinking below L6
	Evidence []Evidence `json:"evidence"`
	// Tip says what was missing in this answer; set only when Pass is false.
	Tip string `json:"tip,omitempty"`
	// Cue quotes the candidate's words that show the gap, when there are
	// any; an interviewer can probe from it ("You said 'we' — …").
	Cue *Evidence `json:"cue,omitempty"`
}

// RedFlagResult is a red flag that fired, with the candidate's own words.
type RedFlagResult struct {
	ID       string     `json:"id"`
	Evidence []Evidence `json:"evidence"`
	Reason   string     `json:"reason"`
}

// Counts summarises the inputs of the decision policy.
type Counts struct {
	CoreFailed     int `json:"core_failed"`
	RedFlags       int `json:"red_flags"`
	AdvancedPassed int `json:"advanced_passed"`
}

// Scorecard is the scorer's output.
type Scorecard struct {
	Decision      string            `json:"decision"`
	RubricVersion string            `json:"rubric_version"`
	Level         string            `json:"level"`
	Principle     string            `json:"principle,omitempty"`
	Counts        Counts            `json:"counts"`
	Summary       string            `json:"summary"`
	Dimensions    []DimensionResult `json:"dimensions"`
	RedFlags      []RedFlagResult   `json:"red_flags"`
}

// HireSide reports whether a decision is on the hire side.
func HireSide(decision string) bool { return decision == StrongHire || decision == Hire }
