package rubric

import (
	"os"
	"testing"
)

func TestDevEvalReport(t *testing.T) {
	for _, dir := range []string{"../../../shared/eval/dev", "testdata/heldout"} {
		cases, err := LoadEvalCases(os.DirFS(dir), ".")
		if err != nil {
			t.Logf("%s: %v", dir, err)
			continue
		}
		r := Evaluate(cases)
		for _, m := range r.Misses {
			t.Log(m)
		}
		t.Log(dir, r.Line())
	}
}
