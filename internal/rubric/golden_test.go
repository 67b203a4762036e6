package rubric

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden scorecards in testdata/golden")

// TestGoldenScorecards pins whole scorecards (evidence, tips, summary) for
// a spread of transcripts. Run `go test ./internal/rubric -update` after an
// intended rule change and review the diff.
func TestGoldenScorecards(t *testing.T) {
	inputs, err := filepath.Glob("testdata/golden/*.transcript.json")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".transcript.json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := ParseTranscript(data)
			if err != nil {
				t.Fatal(err)
			}
			got := mustMarshal(t, mustScore(t, tr))
			path := filepath.Join("testdata/golden", name+".scorecard.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("scorecard differs from %s (run with -update after an intended change)\ngot:\n%s", path, got)
			}
		})
	}
}

func mustMarshal(t testing.TB, sc Scorecard) []byte {
	t.Helper()
	b, err := json.MarshalIndent(sc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestDeterminism: identical input gives byte-identical output, also when
// different transcripts are scored concurrently (scoring reuses token
// arrays between runs).
func TestDeterminism(t *testing.T) {
	cases, err := LoadEvalCases(os.DirFS("testdata/heldout"), ".")
	if err != nil {
		t.Fatal(err)
	}
	want := make([][]byte, len(cases))
	for i, c := range cases {
		want[i] = mustMarshal(t, score(c.Transcript))
	}
	const workers = 4
	errs := make(chan string, workers)
	for w := range workers {
		go func() {
			for round := range 3 {
				for k := range cases {
					i := (k*(w+1) + round) % len(cases) // each worker its own order
					if got := mustMarshal(t, score(cases[i].Transcript)); !bytes.Equal(got, want[i]) {
						errs <- cases[i].Name + ": scorecard changed between runs"
						return
					}
				}
			}
			errs <- ""
		}()
	}
	for range workers {
		if msg := <-errs; msg != "" {
			t.Fatal(msg)
		}
	}
}
