package rubric

import (
	"slices"
	"testing"
)

func TestHints(t *testing.T) {
	ownership := "Tell me about a time you took ownership of a problem nobody else was dealing with."
	cases := []struct {
		name, question, answer string
		want                   []string
	}{
		{"a handoff without an outcome", ownership, "I found the race in the delivery logs, wrote up the repro and flagged it to their tech lead.", []string{RoutingNotOwnership}},
		{"a handoff that is already routing is a flag, not a hint", ownership, "I sent them a Slack message and they handled it from there.", nil},
		{"a manager in the story of an initiative question", ownership, "My manager was in the room when I found the race, and I wrote the fix that afternoon.", []string{DirectedByManager}},
		{"a manager who did not ask", ownership, "My manager didn't ask for it; I wrote the fix that afternoon.", nil},
		{"nothing to ask about", ownership, "I wrote the fix, shipped it behind a flag and watched the dashboard for a week.", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := Transcript{Question: c.question, Turns: []Turn{{Role: RoleInterviewer, Text: c.question}, {Role: RoleCandidate, Text: c.answer}}}
			if got := Hints(tr); !slices.Equal(got, c.want) {
				t.Fatalf("Hints = %v, want %v", got, c.want)
			}
		})
	}
}
