package rubric

import (
	"errors"
	"strings"
	"testing"
)

func errorsAs(err error, target **InputError) bool { return errors.As(err, target) }

func TestParseTranscriptErrors(t *testing.T) {
	long := `{"turns":[{"role":"candidate","text":"` + strings.Repeat("a", MaxTranscriptBytes) + `"}]}`
	cases := []struct {
		name, in, code string
	}{
		{"not JSON", `{"turns": [`, CodeInvalidJSON},
		{"empty body", ``, CodeInvalidJSON},
		{"array instead of object", `[1,2]`, CodeInvalidJSON},
		{"turns of the wrong type", `{"turns": "hello"}`, CodeInvalidJSON},
		{"no turns", `{"turns": []}`, CodeEmptyTranscript},
		{"no candidate turn", `{"turns":[{"role":"interviewer","text":"Tell me about a time."}]}`, CodeNoCandidate},
		{"unknown role", `{"turns":[{"role":"coach","text":"hi"}]}`, CodeUnknownRole},
		{"unknown level", `{"level":"L9","turns":[{"role":"candidate","text":"hi"}]}`, CodeUnknownLevel},
		{"invalid UTF-8", "{\"turns\":[{\"role\":\"candidate\",\"text\":\"caf\xe9\"}]}", CodeInvalidUTF8},
		{"over the size limit", long, CodeTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTranscript([]byte(c.in))
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *InputError", err)
			}
			if ie.Code != c.code {
				t.Fatalf("code = %s, want %s (%s)", ie.Code, c.code, ie.Message)
			}
			if !errors.Is(err, ErrInput) {
				t.Fatal("errors.Is(err, ErrInput) = false")
			}
		})
	}
}

// A transcript built in code (the live interview's) is held to the same
// limit as a parsed one.
func TestScoreRefusesOversizeTurn(t *testing.T) {
	tr := Transcript{Turns: []Turn{{Role: RoleCandidate, Text: strings.Repeat("I fixed it. ", MaxTranscriptBytes/12+1)}}}
	_, err := Score(tr)
	var ie *InputError
	if !errors.As(err, &ie) || ie.Code != CodeTooLarge {
		t.Fatalf("Score of a %d-byte turn: err = %v, want %s", len(tr.Turns[0].Text), err, CodeTooLarge)
	}
}

func TestParseTranscriptAccepts(t *testing.T) {
	tr, err := ParseTranscript([]byte(`{"level":"l6","extra":true,"turns":[{"role":"candidate","text":"I wrote the fix.","mood":"calm"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Score(tr)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Level != LevelL6 {
		t.Fatalf("level = %s, want L6 (levels are case-insensitive)", sc.Level)
	}
	if sc, _ := Score(Transcript{Turns: []Turn{{Role: RoleCandidate, Text: "x"}}}); sc.Level != DefaultLevel {
		t.Fatalf("default level = %s, want %s", sc.Level, DefaultLevel)
	}
}

func TestDecisionPolicy(t *testing.T) {
	cases := []struct {
		name      string
		c         Counts
		noExample bool
		senior    bool
		org       bool
		want      string
	}{
		{"no real example forces strong no hire", Counts{AdvancedPassed: 8}, true, false, true, StrongNoHire},
		{"two core failures", Counts{CoreFailed: 2}, false, false, false, StrongNoHire},
		{"two red flags", Counts{RedFlags: 2, AdvancedPassed: 7}, false, false, false, StrongNoHire},
		{"a core failure and a red flag", Counts{CoreFailed: 1, RedFlags: 1}, false, false, false, StrongNoHire},
		{"one core failure", Counts{CoreFailed: 1, AdvancedPassed: 7}, false, false, false, NoHire},
		{"one red flag", Counts{RedFlags: 1, AdvancedPassed: 7}, false, false, false, NoHire},
		{"five advanced at L5", Counts{AdvancedPassed: 5}, false, false, false, StrongHire},
		{"four advanced", Counts{AdvancedPassed: 4}, false, false, false, Hire},
		{"senior without organizational thinking", Counts{AdvancedPassed: 7}, false, true, false, Hire},
		{"senior with organizational thinking", Counts{AdvancedPassed: 5}, false, true, true, StrongHire},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := decide(c.c, c.noExample, c.senior, c.org); got != c.want {
				t.Fatalf("decide = %s, want %s", got, c.want)
			}
		})
	}
}
