// Package knowledge holds barraiser's shipped knowledge pack: the
// Leadership Principles with their behavioural questions, the follow-up
// probes a bar raiser uses for each rubric dimension and red flag, and the
// weak/strong example answers ("exemplars") that ground retrieval.
//
// The pack is plain JSON embedded in the binary (see data/). Load parses and
// validates it; LoadFS does the same for any fs.FS with the same layout, which
// is how tests exercise broken packs. A Pack is read-only after loading and
// safe for concurrent use.
package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"unicode"

	"barraiser/internal/rubric"
)

// Dimension and red-flag ids are the rubric's (see package rubric).
const (
	FirstPersonActions     = rubric.FirstPersonActions
	ConcreteActions        = rubric.ConcreteActions
	EndToEndOwnership      = rubric.EndToEndOwnership
	MetricDelta            = rubric.MetricDelta
	ConciseSituation       = rubric.ConciseSituation
	ScopeBoundary          = rubric.ScopeBoundary
	Mechanism              = rubric.Mechanism
	BusinessImpact         = rubric.BusinessImpact
	SecondOrderEffect      = rubric.SecondOrderEffect
	DataRigor              = rubric.DataRigor
	SpecificReflection     = rubric.SpecificReflection
	OrganizationalThinking = rubric.OrganizationalThinking

	RoutingNotOwnership = rubric.RoutingNotOwnership
	DirectedByManager   = rubric.DirectedByManager
	NoRealExample       = rubric.NoRealExample
	ManipulationAttempt = rubric.ManipulationAttempt
)

// Exemplar labels.
const (
	LabelWeak   = "weak"
	LabelStrong = "strong"
)

// Exemplar sources.
const (
	// SourceWalkthrough marks a lesson taken from the founding walkthrough.
	SourceWalkthrough = "walkthrough"
	// SourcePack marks an exemplar written for the pack.
	SourcePack = "pack"
)

// Dimensions lists the 12 rubric dimension ids, the four core ones first,
// in the rubric's order. Treat it as read-only.
var Dimensions = append(append([]string{}, rubric.CoreDimensions...), rubric.AdvancedDimensions...)

// RedFlags lists the 4 red flag ids in the rubric's order. Treat it as
// read-only.
var RedFlags = rubric.RedFlags

// PrincipleNames lists the 16 Leadership Principles by their exact names, in
// their customary order. Treat it as read-only.
var PrincipleNames = []string{
	"Customer Obsession",
	"Ownership",
	"Invent and Simplify",
	"Are Right, A Lot",
	"Learn and Be Curious",
	"Hire and Develop the Best",
	"Insist on the Highest Standards",
	"Think Big",
	"Bias for Action",
	"Frugality",
	"Earn Trust",
	"Dive Deep",
	"Have Backbone; Disagree and Commit",
	"Deliver Results",
	"Strive to be Earth's Best Employer",
	"Success and Scale Bring Broad Responsibility",
}

// Levels lists the candidate levels an exemplar may be tagged with.
var Levels = []string{"L4", "L5", "L6", "L7"}

// IsDimension reports whether id is one of the 12 dimension ids.
func IsDimension(id string) bool { return slices.Contains(Dimensions, id) }

// IsRedFlag reports whether id is one of the 4 red flag ids.
func IsRedFlag(id string) bool { return slices.Contains(RedFlags, id) }

// Exemplar is one example answer fragment, labelled weak or strong for a
// single dimension or red flag.
type Exemplar struct {
	// ID is stable and kebab-case, unique across the pack.
	ID string `json:"id"`
	// Principle is one of PrincipleNames, or "" for a principle-agnostic
	// lesson.
	Principle string `json:"principle"`
	// Dimension is a dimension id or a red flag id.
	Dimension string `json:"dimension"`
	// Label is LabelWeak or LabelStrong. For a red flag, weak shows the flag
	// firing and strong the contrasting good behaviour.
	Label string `json:"label"`
	// Level is "" or one of Levels, set where expectations differ by level.
	Level string `json:"level,omitempty"`
	// Text is what a candidate would say.
	Text string `json:"text"`
	// Why explains in one line what makes the text weak or strong.
	Why string `json:"why"`
	// Source is SourceWalkthrough or SourcePack.
	Source string `json:"source"`
}

// Question is one behavioural question of a principle.
type Question struct {
	// ID is stable and kebab-case, unique across the pack.
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Principle is a Leadership Principle with its question bank.
type Principle struct {
	// Name is the exact name, one of PrincipleNames.
	Name string `json:"name"`
	// Aliases are other spellings Pack.Principle accepts (for example the
	// two halves of "Have Backbone; Disagree and Commit").
	Aliases []string `json:"aliases,omitempty"`
	// Description is a one-line summary in the project's own words.
	Description string `json:"description"`
	// Initiative is true when questions for this principle are about
	// self-started initiative or ownership, so that acting on a manager's
	// instruction counts against the candidate (directed_by_manager).
	Initiative bool `json:"initiative"`
	// Questions holds at least three behavioural questions.
	Questions []Question `json:"questions"`
	// Probes holds principle-specific follow-ups by dimension or red flag
	// id; Pack.Probes puts them before the generic ones.
	Probes map[string][]string `json:"probes,omitempty"`
}

// Pack is the loaded, validated knowledge pack.
type Pack struct {
	// Exemplars in file order (files sorted by name).
	Exemplars []Exemplar
	// Principles in PrincipleNames order.
	Principles []Principle
	// ProbesByDimension holds the generic follow-up probes for every
	// dimension and red flag id.
	ProbesByDimension map[string][]string
}

// Principle finds a principle by name or alias. Matching ignores case,
// punctuation and extra spaces, so "are right a lot" finds
// "Are Right, A Lot".
func (p *Pack) Principle(name string) (Principle, bool) {
	key := normalizeName(name)
	if key == "" {
		return Principle{}, false
	}
	for _, pr := range p.Principles {
		if normalizeName(pr.Name) == key {
			return pr, true
		}
	}
	for _, pr := range p.Principles {
		for _, a := range pr.Aliases {
			if normalizeName(a) == key {
				return pr, true
			}
		}
	}
	return Principle{}, false
}

// Probes returns the follow-up probes for a dimension or red flag id: the
// principle's own probes first (when principle names one), then the generic
// ones, without duplicates. The result is a fresh slice the caller may keep
// or modify.
func (p *Pack) Probes(dimension, principle string) []string {
	var out []string
	if pr, ok := p.Principle(principle); ok {
		out = append(out, pr.Probes[dimension]...)
	}
	for _, q := range p.ProbesByDimension[dimension] {
		if !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	return out
}

// ExemplarsFor returns the exemplars for a dimension or red flag id with the
// given label; an empty label matches both. The result is a fresh slice.
func (p *Pack) ExemplarsFor(dimension, label string) []Exemplar {
	var out []Exemplar
	for _, e := range p.Exemplars {
		if e.Dimension == dimension && (label == "" || e.Label == label) {
			out = append(out, e)
		}
	}
	return out
}

// hashDomain prefixes the hashed encoding so that a change of encoding can
// be made to change every hash.
const hashDomain = "barraiser/knowledge/exemplars/v1\n"

// Hash returns the hex SHA-256 of a canonical encoding of the exemplars:
// sorted by id, one JSON object per line with fields in declaration order.
// It changes whenever any exemplar field changes and not when exemplars are
// merely reordered or moved between files, so a store can skip re-embedding
// an unchanged pack.
func (p *Pack) Hash() string {
	ex := slices.Clone(p.Exemplars)
	slices.SortStableFunc(ex, func(a, b Exemplar) int { return strings.Compare(a.ID, b.ID) })
	h := sha256.New()
	h.Write([]byte(hashDomain))
	enc := json.NewEncoder(h)
	for _, e := range ex {
		// An Exemplar holds only strings, so encoding cannot fail, and
		// writes to a hash never fail.
		_ = enc.Encode(e)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// normalizeName folds case, drops apostrophes and turns every other run of
// non-letters into one space, so that principle names match loosely.
func normalizeName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case r == '\'' || r == '\u2018' || r == '\u2019':
			// "Earth's" and "Earth’s" both become "earths".
		default:
			space = true
		}
	}
	return b.String()
}
