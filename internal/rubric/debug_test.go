package rubric

import (
	"encoding/json"
	"os"
	"testing"
)

// TestDebugScore prints the scorecard of the file named by RUBRIC_DEBUG.
func TestDebugScore(t *testing.T) {
	p := os.Getenv("RUBRIC_DEBUG")
	if p == "" {
		t.Skip("set RUBRIC_DEBUG to a transcript path")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ParseTranscript(data)
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := Score(tr)
	out, _ := json.MarshalIndent(sc, "", "  ")
	t.Log(string(out))
	d := newDoc(tr)
	for _, s := range d.sents {
		for _, c := range s.clauses {
			q := d.quoteTokens(s, c.toks).Quote
			t.Logf("subj=%d verb=%q past=%t hyp=%t neg=%t concrete=%t | %s", c.subj, c.verbNorm(), c.past, c.hypothetical, c.negated, concreteClause(c), q)
		}
	}
}

// TestDebugPhrases lists which phrase of which list matches RUBRIC_TEXT.
func TestDebugPhrases(t *testing.T) {
	text := os.Getenv("RUBRIC_TEXT")
	if text == "" {
		t.Skip("set RUBRIC_TEXT")
	}
	lists := map[string]phraseSet{"manipulation": manipulationPhrases, "scope": scopePhrases, "adoption": adoptionPhrases,
		"org": orgStrong, "derivation": derivationPhrases, "gut": gutFeel, "handoff": handoffPhrases, "resolved": othersResolved,
		"driving": drivingPhrases, "directed": managerDirected, "noexample": noExamplePhrases, "rubricTerms": rubricTerms,
		"reflection": reflectionMarkers, "generic": genericReflection, "notShipped": notShipped, "nice": niceToHave}
	ws := words(tokenize(text))
	for name, ps := range lists {
		for _, p := range ps.phrases {
			for i := range ws {
				if e, ok := p.matchAt(ws, i); ok && e > i {
					t.Logf("%s: %q matched %v", name, p.src, ws[i].norm)
					break
				}
			}
		}
	}
}
