package recruiting

import (
	"slices"

	"barraiser/internal/rubric"
)

// decisions are the four decisions, best first.
var decisions = []string{rubric.StrongHire, rubric.Hire, rubric.NoHire, rubric.StrongNoHire}

// Pair is a recruiter's vote beside the rubric's verdict on the same
// session.
type Pair struct {
	Vote             Vote
	Rubric           string          // the rubric's decision
	RubricDimensions map[string]bool // dimension id → pass
}

// Ratio is an agreement count.
type Ratio struct {
	Agree int     `json:"agree"`
	Total int     `json:"total"`
	Rate  float64 `json:"rate"` // Agree/Total; 0 when Total is 0
}

// DimensionAgreement is how often recruiters and the rubric disagreed on
// one dimension, over the votes that judged it.
type DimensionAgreement struct {
	ID       string `json:"id"`
	Compared int    `json:"compared"`
	Disagree int    `json:"disagree"`
	// RecruiterOnly counts votes that passed a dimension the rubric
	// failed; RubricOnly the reverse.
	RecruiterOnly int `json:"recruiter_only"`
	RubricOnly    int `json:"rubric_only"`
}

// Agreement is the calibration report.
type Agreement struct {
	Votes    int   `json:"votes"`
	HireSide Ratio `json:"hire_side"` // strong_hire/hire vs no_hire/strong_no_hire
	FourWay  Ratio `json:"four_way"`
	// Labels orders both axes of Confusion.
	Labels []string `json:"labels"`
	// Confusion[i][j] counts votes of Labels[i] where the rubric said
	// Labels[j].
	Confusion  [][]int              `json:"confusion"`
	Dimensions []DimensionAgreement `json:"dimensions"`
}

func hireSide(d string) bool { return d == rubric.StrongHire || d == rubric.Hire }

// Agree computes the agreement report of pairs. Pairs with a decision
// outside the four are left out.
func Agree(pairs []Pair) *Agreement {
	a := &Agreement{Labels: slices.Clone(decisions), Confusion: make([][]int, len(decisions)), Dimensions: []DimensionAgreement{}}
	for i := range a.Confusion {
		a.Confusion[i] = make([]int, len(decisions))
	}
	dims := map[string]*DimensionAgreement{}
	for _, p := range pairs {
		vi, ri := slices.Index(decisions, p.Vote.Decision), slices.Index(decisions, p.Rubric)
		if vi < 0 || ri < 0 {
			continue
		}
		a.Votes++
		a.Confusion[vi][ri]++
		a.FourWay.Total++
		a.HireSide.Total++
		if vi == ri {
			a.FourWay.Agree++
		}
		if hireSide(p.Vote.Decision) == hireSide(p.Rubric) {
			a.HireSide.Agree++
		}
		for id, pass := range p.Vote.Dimensions {
			rpass, ok := p.RubricDimensions[id]
			if !ok {
				continue
			}
			d := dims[id]
			if d == nil {
				d = &DimensionAgreement{ID: id}
				dims[id] = d
			}
			d.Compared++
			switch {
			case pass && !rpass:
				d.Disagree++
				d.RecruiterOnly++
			case !pass && rpass:
				d.Disagree++
				d.RubricOnly++
			}
		}
	}
	for _, r := range []*Ratio{&a.HireSide, &a.FourWay} {
		if r.Total > 0 {
			r.Rate = float64(r.Agree) / float64(r.Total)
		}
	}
	for _, id := range append(slices.Clone(rubric.CoreDimensions), rubric.AdvancedDimensions...) {
		if d := dims[id]; d != nil {
			a.Dimensions = append(a.Dimensions, *d)
		}
	}
	return a
}
