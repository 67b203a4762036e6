package knowledge

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// data holds the shipped pack. Its layout, which LoadFS expects at the root
// of any fs.FS it is given:
//
//	principles.json       {"principles": [Principle…]}
//	probes.json           {"probes": {"<dimension or red flag id>": ["…"]}}
//	exemplars/*.json      {"exemplars": [Exemplar…]}, read in name order
//
//go:embed data
var data embed.FS

// File names inside a pack.
const (
	principlesFile = "principles.json"
	probesFile     = "probes.json"
	exemplarsGlob  = "exemplars/*.json"
)

// minQuestions is the fewest questions a principle may have.
const minQuestions = 3

// idPattern is the shape of exemplar and question ids: kebab-case.
var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Load parses and validates the pack embedded in the binary.
func Load() (*Pack, error) {
	sub, err := fs.Sub(data, "data")
	if err != nil {
		return nil, fmt.Errorf("knowledge: %w", err)
	}
	return LoadFS(sub)
}

// LoadFS parses and validates a pack laid out like the embedded one at the
// root of fsys. It reports every problem it finds, joined with errors.Join;
// each message names the file and, where there is one, the item and its
// index, e.g.
//
//	exemplars/core.json: exemplar "foo" (index 12): unknown dimension "metrics"
func LoadFS(fsys fs.FS) (*Pack, error) {
	v := &validator{}
	p := &Pack{}

	var pf struct {
		Principles []Principle `json:"principles"`
	}
	if v.decode(fsys, principlesFile, &pf) {
		p.Principles = v.principles(pf.Principles)
	}

	var qf struct {
		Probes map[string][]string `json:"probes"`
	}
	if v.decode(fsys, probesFile, &qf) {
		v.probes(qf.Probes)
		p.ProbesByDimension = qf.Probes
	}

	files, err := fs.Glob(fsys, exemplarsGlob)
	if err != nil {
		v.addf("%s: %v", exemplarsGlob, err)
	}
	if err == nil && len(files) == 0 {
		v.addf("%s: no exemplar files", exemplarsGlob)
	}
	slices.Sort(files)
	seen := map[string]string{} // exemplar id -> "file index N"
	for _, name := range files {
		var ef struct {
			Exemplars []Exemplar `json:"exemplars"`
		}
		if !v.decode(fsys, name, &ef) {
			continue
		}
		if len(ef.Exemplars) == 0 {
			v.addf("%s: no exemplars", name)
		}
		for i, e := range ef.Exemplars {
			v.exemplar(name, i, e, seen)
		}
		p.Exemplars = append(p.Exemplars, ef.Exemplars...)
	}

	if err := errors.Join(v.errs...); err != nil {
		return nil, err
	}
	return p, nil
}

// validator collects problems instead of stopping at the first.
type validator struct {
	errs []error
}

func (v *validator) addf(format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf(format, args...))
}

// decode reads name from fsys into dst strictly: unknown fields and trailing
// data are errors. It reports whether dst was filled.
func (v *validator) decode(fsys fs.FS, name string, dst any) bool {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		v.addf("%s: %v", name, err)
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		v.addf("%s: %s", name, describeJSONError(b, err))
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		v.addf("%s: unexpected data after the top-level object", name)
		return false
	}
	return true
}

// describeJSONError adds a line number to syntax and type errors.
func describeJSONError(b []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(b)) {
		return "invalid JSON: " + err.Error()
	}
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	return fmt.Sprintf("invalid JSON at line %d: %v", line, err)
}

// principles validates the principles file and returns the principles in
// PrincipleNames order.
func (v *validator) principles(list []Principle) []Principle {
	const f = principlesFile
	byName := map[string]int{}        // exact name -> index in list
	questionAt := map[string]string{} // question id -> principle name
	aliasOf := map[string]string{}    // normalised name or alias -> principle
	for i, pr := range list {
		at := fmt.Sprintf("%s: principle %q (index %d)", f, pr.Name, i)
		known := slices.Contains(PrincipleNames, pr.Name)
		switch {
		case strings.TrimSpace(pr.Name) == "":
			v.addf("%s: missing name", at)
		case !known:
			v.addf("%s: unknown principle", at)
		}
		if j, dup := byName[pr.Name]; dup && pr.Name != "" {
			v.addf("%s: duplicate principle (first at index %d)", at, j)
		} else {
			byName[pr.Name] = i
		}
		names := pr.Aliases
		if pr.Name != "" {
			names = append([]string{pr.Name}, names...)
		}
		for _, n := range names {
			k := normalizeName(n)
			if k == "" {
				v.addf("%s: empty alias %q", at, n)
				continue
			}
			if other, ok := aliasOf[k]; ok && other != pr.Name {
				v.addf("%s: name or alias %q clashes with principle %q", at, n, other)
				continue
			}
			aliasOf[k] = pr.Name
		}
		if strings.TrimSpace(pr.Description) == "" {
			v.addf("%s: empty description", at)
		}
		if len(pr.Questions) < minQuestions {
			v.addf("%s: too few questions (%d, want at least %d)", at, len(pr.Questions), minQuestions)
		}
		for j, q := range pr.Questions {
			qat := fmt.Sprintf("%s: question %q (index %d)", at, q.ID, j)
			if !idPattern.MatchString(q.ID) {
				v.addf("%s: id must be non-empty kebab-case", qat)
			} else if first, dup := questionAt[q.ID]; dup {
				v.addf("%s: duplicate question id (first in principle %q)", qat, first)
			} else {
				questionAt[q.ID] = pr.Name
			}
			if strings.TrimSpace(q.Text) == "" {
				v.addf("%s: empty text", qat)
			}
		}
		for _, dim := range slices.Sorted(maps.Keys(pr.Probes)) {
			v.probeList(at+": probes", dim, pr.Probes[dim])
		}
	}
	out := make([]Principle, 0, len(PrincipleNames))
	for _, name := range PrincipleNames {
		i, ok := byName[name]
		if !ok {
			v.addf("%s: missing principle %q", f, name)
			continue
		}
		out = append(out, list[i])
	}
	return out
}

// probes validates the generic probes: known ids only, and every dimension
// and red flag covered.
func (v *validator) probes(m map[string][]string) {
	const f = probesFile
	for _, dim := range slices.Sorted(maps.Keys(m)) {
		v.probeList(f, dim, m[dim])
	}
	for _, id := range slices.Concat(Dimensions, RedFlags) {
		if len(m[id]) == 0 {
			v.addf("%s: dimension %q has no probes", f, id)
		}
	}
}

// probeList checks one id's probes; at names where they live.
func (v *validator) probeList(at, dim string, list []string) {
	if !IsDimension(dim) && !IsRedFlag(dim) {
		v.addf("%s: unknown dimension %q", at, dim)
	}
	seen := map[string]bool{}
	for i, q := range list {
		switch {
		case strings.TrimSpace(q) == "":
			v.addf("%s: dimension %q probe %d: empty text", at, dim, i)
		case seen[q]:
			v.addf("%s: dimension %q probe %d: duplicate probe %q", at, dim, i, q)
		}
		seen[q] = true
	}
}

// exemplar validates one exemplar; seen maps ids already used to where.
func (v *validator) exemplar(file string, i int, e Exemplar, seen map[string]string) {
	at := fmt.Sprintf("%s: exemplar %q (index %d)", file, e.ID, i)
	where := fmt.Sprintf("%s index %d", file, i)
	if !idPattern.MatchString(e.ID) {
		v.addf("%s: id must be non-empty kebab-case", at)
	} else if first, dup := seen[e.ID]; dup {
		v.addf("%s: duplicate id (first in %s)", at, first)
	} else {
		seen[e.ID] = where
	}
	if e.Principle != "" && !slices.Contains(PrincipleNames, e.Principle) {
		v.addf("%s: unknown principle %q", at, e.Principle)
	}
	if !IsDimension(e.Dimension) && !IsRedFlag(e.Dimension) {
		v.addf("%s: unknown dimension %q", at, e.Dimension)
	}
	if e.Label != LabelWeak && e.Label != LabelStrong {
		v.addf("%s: bad label %q (want %q or %q)", at, e.Label, LabelWeak, LabelStrong)
	}
	if e.Level != "" && !slices.Contains(Levels, e.Level) {
		v.addf("%s: bad level %q (want one of %s, or none)", at, e.Level, strings.Join(Levels, ", "))
	}
	if strings.TrimSpace(e.Text) == "" {
		v.addf("%s: empty text", at)
	}
	if strings.TrimSpace(e.Why) == "" {
		v.addf("%s: empty why", at)
	}
	if e.Source != SourceWalkthrough && e.Source != SourcePack {
		v.addf("%s: bad source %q (want %q or %q)", at, e.Source, SourceWalkthrough, SourcePack)
	}
}
