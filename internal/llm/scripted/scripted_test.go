package scripted

import (
	"context"
	"strings"
	"testing"

	"barraiser/internal/interview"
	"barraiser/internal/rubric"
)

func speak(t *testing.T, p interview.Prompt) (string, string) {
	t.Helper()
	var streamed strings.Builder
	text, err := New().Speak(context.Background(), p, func(s string) { streamed.WriteString(s) })
	if err != nil {
		t.Fatal(err)
	}
	return text, streamed.String()
}

func TestSpeak(t *testing.T) {
	question := interview.Prompt{Kind: interview.KindQuestion, SessionID: "s1", Principle: "Ownership",
		Question: "Describe a problem that had fallen between teams until you picked it up.", Number: 1, Count: 2, First: true}
	probe := interview.Prompt{Kind: interview.KindProbe, SessionID: "s1", Principle: "Ownership", Question: question.Question,
		Dimension: rubric.FirstPersonActions, Cue: "We dug through the delivery logs together and eventually saw that the missing events all had duplicate retries",
		Suggested: []string{"Which part of that was yours?", "What did you personally do?"}}
	cases := []struct {
		name   string
		p      interview.Prompt
		expect []string
	}{
		{"the first question greets and asks", question, []string{question.Question, "Question 1 of 2, on Ownership"}},
		{"a probe quotes the candidate back", probe, []string{"\"We dug through the delivery logs together"}},
		{"the wrap-up points at the scorecard", interview.Prompt{Kind: interview.KindWrapUp, SessionID: "s1"}, []string{"scorecard"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, streamed := speak(t, c.p)
			if streamed != text {
				t.Fatalf("streamed pieces %q do not add up to %q", streamed, text)
			}
			for _, want := range c.expect {
				if !strings.Contains(text, want) {
					t.Errorf("%q lacks %q", text, want)
				}
			}
			again, _ := speak(t, c.p)
			if again != text {
				t.Fatalf("not deterministic: %q then %q", text, again)
			}
		})
	}
}

func TestProbeNeverRepeatsAPreviousOne(t *testing.T) {
	p := interview.Prompt{Kind: interview.KindProbe, SessionID: "s2", Dimension: rubric.MetricDelta,
		Suggested: []string{"What was the number before and after?", "How did you measure it?"}}
	first, _ := speak(t, p)
	p.Previous = []string{first}
	second, _ := speak(t, p)
	if second == first {
		t.Fatalf("probe repeated: %q", first)
	}
}

func TestUnknownKind(t *testing.T) {
	if _, err := New().Speak(context.Background(), interview.Prompt{Kind: "sing"}, nil); err == nil {
		t.Fatal("an unknown turn kind should be an error")
	}
}

// TestProbeUsesTheRecruitersOwnWording: when a question set brings its
// own probe for the target, that is what the scripted interviewer asks.
func TestProbeUsesTheRecruitersOwnWording(t *testing.T) {
	const mine = "Give me the before and after numbers, please."
	for _, session := range []string{"s1", "s2", "s3", "s4", "s5"} {
		p := interview.Prompt{Kind: interview.KindProbe, SessionID: session, Dimension: rubric.MetricDelta,
			Own: []string{mine}, Suggested: []string{mine, "What was the number before and after?", "How did you measure it?"}}
		if text, _ := speak(t, p); !strings.Contains(text, mine) {
			t.Errorf("session %s: probe %q is not the recruiter's own", session, text)
		}
	}
}
