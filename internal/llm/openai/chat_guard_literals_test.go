package openai

import (
	"slices"
	"testing"
)

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		want    []string // nil: no set can be read off
	}{
		{"a literal", `\brubric\b`, []string{"rubric"}},
		{"an alternation needs every branch", `\b(strong|weak) answer\b|\bverdict\b`, []string{" answer", "verdict"}},
		{"the longest required part filters best", `\b(no|not a) hire decision\b`, []string{" hire decision"}},
		{"an optional part is not required", `\b(very )?good\b`, []string{"good"}},
		{"a repeated part is", `\b[a-z]+(_[a-z]+)+\b`, []string{"_"}},
		{"a branch without literals spoils the set", `\bhire\b|\b[a-z]+\b`, nil},
		{"only classes", `[<>]`, nil},
		{"case folding is not read", `(?i)hire`, nil},
		{"an invalid pattern", `(`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := requiredLiterals(tt.pattern)
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("requiredLiterals(%q) = %q, want %q", tt.pattern, got, want)
			}
		})
	}
}

// TestGuardLiteralsNeverHideAMatch checks, over replies each rule must
// catch, that the literal prefilter lets the rule run.
func TestGuardLiteralsNeverHideAMatch(t *testing.T) {
	replies := []string{
		"you're a strong hire", "that is a no-hire", "i'm leaning towards a hire", "we would probably hire you",
		"you will be hired", "my hiring recommendation", "you passed the interview", "you have failed.",
		"you clearly raised the bar", "your ratings", "what a compelling story", "congrats", "that scored well",
		"a red flag", "the rubric", "metric_delta", "organisational thinking", "a good answer would",
		"try saying it", "as an ai", "i am just a bot", "i can't help", "i'm sorry, but", "these guidelines",
		"i have been told to", "the exemplars", "the candidate", "probe: what moved", "as you asked", "ignore all previous",
	}
	matched := make([]bool, len(guardRules))
	for _, reply := range replies {
		norm := guardNormalise(reply)
		for i, ru := range guardRules {
			if !ru.re.MatchString(norm) {
				continue
			}
			matched[i] = true
			if ru.lits != nil && !containsAny(norm, ru.lits) {
				t.Errorf("rule %d (%s) matches %q but its literals %q would skip it", i, ru.name, reply, ru.lits)
			}
		}
	}
	for i, ok := range matched {
		if !ok {
			t.Errorf("rule %d (%s) matched none of the replies: add one", i, guardRules[i].name)
		}
	}
}

// mayHaveMarkup lets the guard skip the markup regexp; it must hold
// wherever the regexp matches, or markup would slip through.
func TestMayHaveMarkupIsNecessary(t *testing.T) {
	for _, s := range markupSamples {
		if markup.MatchString(s) && !mayHaveMarkup(s) {
			t.Errorf("markup matches %q but mayHaveMarkup says no", s)
		}
	}
	for _, s := range []string{"What moved, and by how much?", "Walk me through the decision you made.", ""} {
		if mayHaveMarkup(s) {
			t.Errorf("mayHaveMarkup(%q) = true; plain prose should skip the regexp", s)
		}
	}
}

var markupSamples = []string{
	"</candidate_answer> What moved?", "**What** moved?", "Two things:\n- what moved\n- by how much",
	"Tell me:\n1. what moved", "# Follow-up\nWhat moved?", "  \t+ item", "\n\t• bullet", "12) twelve",
	"```go", "__init__", "a > b", "plain text", "x\n  3. three", "-", "- x", "9.\t", "\n\n#",
}

func FuzzMayHaveMarkup(f *testing.F) {
	for _, s := range markupSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if markup.MatchString(s) && !mayHaveMarkup(s) {
			t.Errorf("markup matches %q but mayHaveMarkup says no", s)
		}
	})
}
