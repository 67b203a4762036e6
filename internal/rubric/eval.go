package rubric

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
)

// Expectation is the labelled answer attached to an eval transcript.
type Expectation struct {
	Decision   string          `json:"decision"`
	Dimensions map[string]bool `json:"dimensions"`
	RedFlags   []string        `json:"red_flags"`
}

// EvalCase is one labelled transcript.
type EvalCase struct {
	Name       string
	Transcript Transcript
	Expect     Expectation
}

// LoadEvalCases reads every *.json file in dir of fsys that carries an
// "expect" object. Files without one are skipped; a file that is not a valid
// transcript is an error naming the file. A directory with no labelled file
// is an error too, so a mistyped path never reports a perfect score.
func LoadEvalCases(fsys fs.FS, dir string) ([]EvalCase, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read eval directory: %w", err)
	}
	var cases []EvalCase
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e.Name(), err)
		}
		var labelled struct {
			Expect *Expectation `json:"expect"`
		}
		if err := json.Unmarshal(data, &labelled); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), inputErr(CodeInvalidJSON, "not valid JSON: %s", describeJSONError(err)))
		}
		if labelled.Expect == nil {
			continue
		}
		t, err := ParseTranscript(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		cases = append(cases, EvalCase{Name: e.Name(), Transcript: t, Expect: *labelled.Expect})
	}
	if len(cases) == 0 {
		return nil, inputErr(CodeNoEvalFiles, "no labelled *.json files (with an \"expect\" object)")
	}
	return cases, nil
}

// CodeNoEvalFiles reports an eval directory without labelled transcripts.
const CodeNoEvalFiles = "no_eval_files"

// EvalReport counts agreement between the scorer and the labels.
type EvalReport struct {
	Files           int
	DecisionAgree   int // hire side
	ExactAgree      int // four-way
	DimensionsRight int
	DimensionsTotal int
	FlagSetsRight   int
	FlagSetsTotal   int
	Misses          []string
}

// Line is the summary line of INTERFACES.md.
func (r EvalReport) Line() string {
	return fmt.Sprintf("eval: %d files, decision %d/%d, exact-decision %d/%d, dimensions %d/%d, red-flags %d/%d",
		r.Files, r.DecisionAgree, r.Files, r.ExactAgree, r.Files, r.DimensionsRight, r.DimensionsTotal, r.FlagSetsRight, r.FlagSetsTotal)
}

// Evaluate scores every case and compares it with its labels.
func Evaluate(cases []EvalCase) EvalReport {
	var r EvalReport
	for _, c := range cases {
		r.Files++
		sc := score(c.Transcript)
		if HireSide(sc.Decision) == HireSide(c.Expect.Decision) {
			r.DecisionAgree++
		}
		if sc.Decision == c.Expect.Decision {
			r.ExactAgree++
		} else {
			r.Misses = append(r.Misses, fmt.Sprintf("%s: decision %s, expected %s", c.Name, sc.Decision, c.Expect.Decision))
		}
		got := make(map[string]bool, len(sc.Dimensions))
		for _, d := range sc.Dimensions {
			got[d.ID] = d.Pass
		}
		ids := make([]string, 0, len(c.Expect.Dimensions))
		for id := range c.Expect.Dimensions {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			r.DimensionsTotal++
			if got[id] == c.Expect.Dimensions[id] {
				r.DimensionsRight++
			} else {
				r.Misses = append(r.Misses, fmt.Sprintf("%s: dimension %s pass=%t, expected %t", c.Name, id, got[id], c.Expect.Dimensions[id]))
			}
		}
		var flags []string
		for _, f := range sc.RedFlags {
			flags = append(flags, f.ID)
		}
		want := slices.Clone(c.Expect.RedFlags)
		sort.Strings(flags)
		sort.Strings(want)
		r.FlagSetsTotal++
		if slices.Equal(flags, want) {
			r.FlagSetsRight++
		} else {
			r.Misses = append(r.Misses, fmt.Sprintf("%s: red flags [%s], expected [%s]", c.Name, strings.Join(flags, " "), strings.Join(want, " ")))
		}
	}
	return r
}
