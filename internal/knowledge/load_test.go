package knowledge

import (
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// basePack returns a small valid pack: the shipped principles and probes and
// one exemplar file of two exemplars.
func basePack(t *testing.T) fstest.MapFS {
	t.Helper()
	sub, err := fs.Sub(data, "data")
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	for _, name := range []string{principlesFile, probesFile} {
		b, err := fs.ReadFile(sub, name)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: b}
	}
	m["exemplars/a.json"] = &fstest.MapFile{Data: exemplarFile(t, goodExemplar("one"), goodExemplar("two"))}
	return m
}

func goodExemplar(id string) map[string]any {
	return map[string]any{
		"id":        id,
		"principle": "Ownership",
		"dimension": ScopeBoundary,
		"label":     LabelStrong,
		"level":     "L5",
		"text":      "It was not my team's service and nobody had asked me to look.",
		"why":       "States the boundary.",
		"source":    SourcePack,
	}
}

func exemplarFile(t *testing.T, items ...map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"exemplars": items})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// editJSON decodes a file of m, lets edit change it, and writes it back.
func editJSON(t *testing.T, m fstest.MapFS, name string, edit func(doc map[string]any)) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(m[name].Data, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	m[name] = &fstest.MapFile{Data: b}
}

func principleAt(doc map[string]any, i int) map[string]any {
	return doc["principles"].([]any)[i].(map[string]any)
}

func TestLoadFSBasePackIsValid(t *testing.T) {
	p, err := LoadFS(basePack(t))
	if err != nil {
		t.Fatalf("LoadFS(base): %v", err)
	}
	if len(p.Exemplars) != 2 || len(p.Principles) != 16 {
		t.Errorf("got %d exemplars, %d principles; want 2, 16", len(p.Exemplars), len(p.Principles))
	}
}

func TestLoadFSErrors(t *testing.T) {
	withExemplar := func(change func(e map[string]any)) func(*testing.T, fstest.MapFS) {
		return func(t *testing.T, m fstest.MapFS) {
			e := goodExemplar("foo")
			change(e)
			m["exemplars/a.json"] = &fstest.MapFile{Data: exemplarFile(t, goodExemplar("one"), e)}
		}
	}
	tests := []struct {
		name    string
		corrupt func(*testing.T, fstest.MapFS)
		want    []string
	}{
		{
			name:    "unknown dimension",
			corrupt: withExemplar(func(e map[string]any) { e["dimension"] = "metrics" }),
			want:    []string{`exemplars/a.json: exemplar "foo" (index 1): unknown dimension "metrics"`},
		},
		{
			name:    "bad label",
			corrupt: withExemplar(func(e map[string]any) { e["label"] = "great" }),
			want:    []string{`exemplars/a.json: exemplar "foo" (index 1): bad label "great"`},
		},
		{
			name:    "bad level",
			corrupt: withExemplar(func(e map[string]any) { e["level"] = "L9" }),
			want:    []string{`exemplars/a.json: exemplar "foo" (index 1): bad level "L9"`},
		},
		{
			name:    "empty text",
			corrupt: withExemplar(func(e map[string]any) { e["text"] = "   " }),
			want:    []string{`exemplars/a.json: exemplar "foo" (index 1): empty text`},
		},
		{
			name:    "empty why",
			corrupt: withExemplar(func(e map[string]any) { e["why"] = "" }),
			want:    []string{`exemplars/a.json: exemplar "foo" (index 1): empty why`},
		},
		{
			name:    "bad source",
			corrupt: withExemplar(func(e map[string]any) { e["source"] = "internet" }),
			want:    []string{`exemplars/a.json: exemplar "foo" (index 1): bad source "internet"`},
		},
		{
			name:    "unknown principle on exemplar",
			corrupt: withExemplar(func(e map[string]any) { e["principle"] = "Have Backbone" }),
			want:    []string{`exemplars/a.json: exemplar "foo" (index 1): unknown principle "Have Backbone"`},
		},
		{
			name:    "id not kebab-case",
			corrupt: withExemplar(func(e map[string]any) { e["id"] = "Foo_Bar" }),
			want:    []string{`exemplars/a.json: exemplar "Foo_Bar" (index 1): id must be non-empty kebab-case`},
		},
		{
			name:    "missing id",
			corrupt: withExemplar(func(e map[string]any) { delete(e, "id") }),
			want:    []string{`exemplars/a.json: exemplar "" (index 1): id must be non-empty kebab-case`},
		},
		{
			name:    "duplicate id in one file",
			corrupt: withExemplar(func(e map[string]any) { e["id"] = "one" }),
			want:    []string{`exemplars/a.json: exemplar "one" (index 1): duplicate id (first in exemplars/a.json index 0)`},
		},
		{
			name: "duplicate id across files",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				m["exemplars/b.json"] = &fstest.MapFile{Data: exemplarFile(t, goodExemplar("two"))}
			},
			want: []string{`exemplars/b.json: exemplar "two" (index 0): duplicate id (first in exemplars/a.json index 1)`},
		},
		{
			name:    "unknown field",
			corrupt: withExemplar(func(e map[string]any) { e["lable"] = "weak" }),
			want:    []string{`exemplars/a.json: invalid JSON`, `unknown field "lable"`},
		},
		{
			name: "syntax error",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				m["exemplars/a.json"] = &fstest.MapFile{Data: []byte("{\n\"exemplars\": [\n{\"id\": \"x\",,}\n]}")}
			},
			want: []string{`exemplars/a.json: invalid JSON at line 3`},
		},
		{
			name: "wrong type",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				m["exemplars/a.json"] = &fstest.MapFile{Data: []byte("{\n\"exemplars\": [\n{\"id\": 7}\n]}")}
			},
			want: []string{`exemplars/a.json: invalid JSON at line 3`},
		},
		{
			name: "trailing data",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				m["exemplars/a.json"] = &fstest.MapFile{Data: append(exemplarFile(t, goodExemplar("x")), "{}"...)}
			},
			want: []string{`exemplars/a.json: unexpected data after the top-level object`},
		},
		{
			name: "empty exemplar file",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				m["exemplars/a.json"] = &fstest.MapFile{Data: []byte(`{"exemplars": []}`)}
			},
			want: []string{`exemplars/a.json: no exemplars`},
		},
		{
			name:    "no exemplar files",
			corrupt: func(t *testing.T, m fstest.MapFS) { delete(m, "exemplars/a.json") },
			want:    []string{`exemplars/*.json: no exemplar files`},
		},
		{
			name:    "missing principles file",
			corrupt: func(t *testing.T, m fstest.MapFS) { delete(m, principlesFile) },
			want:    []string{`principles.json: open principles.json`},
		},
		{
			name: "principle with too few questions",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				editJSON(t, m, principlesFile, func(doc map[string]any) {
					pr := principleAt(doc, 3)
					pr["questions"] = pr["questions"].([]any)[:2]
				})
			},
			want: []string{`principles.json: principle "Are Right, A Lot" (index 3): too few questions (2, want at least 3)`},
		},
		{
			name: "duplicate question id",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				editJSON(t, m, principlesFile, func(doc map[string]any) {
					q := principleAt(doc, 1)["questions"].([]any)[0].(map[string]any)
					q["id"] = principleAt(doc, 0)["questions"].([]any)[0].(map[string]any)["id"]
				})
			},
			want: []string{`principles.json: principle "Ownership" (index 1): question "co-out-of-your-way" (index 0): duplicate question id (first in principle "Customer Obsession")`},
		},
		{
			name: "empty question",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				editJSON(t, m, principlesFile, func(doc map[string]any) {
					principleAt(doc, 2)["questions"].([]any)[1].(map[string]any)["text"] = ""
				})
			},
			want: []string{`principles.json: principle "Invent and Simplify" (index 2): question "simplify-invented-approach" (index 1): empty text`},
		},
		{
			name: "unknown and missing principle",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				editJSON(t, m, principlesFile, func(doc map[string]any) {
					principleAt(doc, 9)["name"] = "Thrift"
				})
			},
			want: []string{
				`principles.json: principle "Thrift" (index 9): unknown principle`,
				`principles.json: missing principle "Frugality"`,
			},
		},
		{
			name: "duplicate principle",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				editJSON(t, m, principlesFile, func(doc map[string]any) {
					list := doc["principles"].([]any)
					doc["principles"] = append(list, list[0])
				})
			},
			want: []string{`principles.json: principle "Customer Obsession" (index 16): duplicate principle (first at index 0)`},
		},
		{
			name: "alias clash",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				editJSON(t, m, principlesFile, func(doc map[string]any) {
					principleAt(doc, 0)["aliases"] = []any{"dive deep"}
				})
			},
			want: []string{`principles.json: principle "Dive Deep" (index 11): name or alias "Dive Deep" clashes with principle "Customer Obsession"`},
		},
		{
			name: "principle probe for unknown dimension",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				editJSON(t, m, principlesFile, func(doc map[string]any) {
					principleAt(doc, 0)["probes"] = map[string]any{"metrics": []any{"How much?"}}
				})
			},
			want: []string{`principles.json: principle "Customer Obsession" (index 0): probes: unknown dimension "metrics"`},
		},
		{
			name: "dimension with no probes",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				editJSON(t, m, probesFile, func(doc map[string]any) {
					delete(doc["probes"].(map[string]any), DataRigor)
					doc["probes"].(map[string]any)[ManipulationAttempt] = []any{}
				})
			},
			want: []string{
				`probes.json: dimension "data_rigor" has no probes`,
				`probes.json: dimension "manipulation_attempt" has no probes`,
			},
		},
		{
			name: "probe for unknown dimension",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				editJSON(t, m, probesFile, func(doc map[string]any) {
					doc["probes"].(map[string]any)["metrics"] = []any{"How much?"}
				})
			},
			want: []string{`probes.json: unknown dimension "metrics"`},
		},
		{
			name: "empty and duplicate probe",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				editJSON(t, m, probesFile, func(doc map[string]any) {
					doc["probes"].(map[string]any)[Mechanism] = []any{"Why?", "", "Why?"}
				})
			},
			want: []string{
				`probes.json: dimension "mechanism" probe 1: empty text`,
				`probes.json: dimension "mechanism" probe 2: duplicate probe "Why?"`,
			},
		},
		{
			name: "all problems are collected",
			corrupt: func(t *testing.T, m fstest.MapFS) {
				bad := goodExemplar("foo")
				bad["dimension"], bad["label"], bad["level"] = "metrics", "ok", "L3"
				m["exemplars/a.json"] = &fstest.MapFile{Data: exemplarFile(t, bad, goodExemplar("foo"))}
				delete(m, probesFile)
			},
			want: []string{
				`probes.json: open probes.json`,
				`exemplars/a.json: exemplar "foo" (index 0): unknown dimension "metrics"`,
				`exemplars/a.json: exemplar "foo" (index 0): bad label "ok"`,
				`exemplars/a.json: exemplar "foo" (index 0): bad level "L3"`,
				`exemplars/a.json: exemplar "foo" (index 1): duplicate id (first in exemplars/a.json index 0)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := basePack(t)
			tt.corrupt(t, m)
			p, err := LoadFS(m)
			if err == nil {
				t.Fatalf("LoadFS succeeded, want errors containing %q", tt.want)
			}
			if p != nil {
				t.Error("LoadFS returned a pack along with an error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not contain %q; got:\n%s", w, msg)
				}
			}
		})
	}
}

func TestLoadFSJoinsErrors(t *testing.T) {
	m := basePack(t)
	delete(m, principlesFile)
	delete(m, probesFile)
	_, err := LoadFS(m)
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) || len(joined.Unwrap()) != 2 {
		t.Fatalf("want two joined errors, got %v", err)
	}
}
