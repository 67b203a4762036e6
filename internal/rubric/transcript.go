// Package rubric turns an interview transcript into a bar-raiser scorecard.
//
// The scorer is a deterministic rules layer: identical transcripts produce
// byte-identical scorecards, and no model is involved. It implements the
// reference rubric (RUBRIC.md v1): four core dimensions, eight advanced
// dimensions, four red flags and a fixed decision policy.
package rubric

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxTranscriptBytes is the largest transcript the scorer accepts. A long
// interview is a few thousand words; a megabyte leaves ample room while
// keeping a single request cheap.
const MaxTranscriptBytes = 1 << 20

// MaxTurns bounds the number of turns in one transcript.
const MaxTurns = 200

// Roles a turn may have.
const (
	RoleInterviewer = "interviewer"
	RoleCandidate   = "candidate"
)

// Levels the rubric knows. DefaultLevel applies when a transcript names none.
const (
	LevelL4      = "L4"
	LevelL5      = "L5"
	LevelL6      = "L6"
	LevelL7      = "L7"
	DefaultLevel = LevelL5
)

// Turn is one message in the interview.
type Turn struct {
	Role string `json:"role"`
	Text string `json:"text"`
}

// Transcript is the scorer's input.
type Transcript struct {
	Principle string `json:"principle,omitempty"`
	Question  string `json:"question,omitempty"`
	Level     string `json:"level,omitempty"`
	Turns     []Turn `json:"turns"`
}

// InputError describes why a transcript cannot be scored. Code is a stable
// machine-readable identifier; Message is meant for people.
type InputError struct {
	Code    string
	Message string
}

func (e *InputError) Error() string { return e.Message }

// Input error codes.
const (
	CodeInvalidJSON     = "invalid_json"
	CodeInvalidUTF8     = "invalid_utf8"
	CodeTooLarge        = "too_large"
	CodeNoCandidate     = "no_candidate_turn"
	CodeUnknownRole     = "unknown_role"
	CodeUnknownLevel    = "unknown_level"
	CodeTooManyTurns    = "too_many_turns"
	CodeEmptyTranscript = "empty_transcript"
)

// ErrInput is matched by every *InputError through errors.Is.
var ErrInput = errors.New("invalid transcript")

// Is lets errors.Is(err, ErrInput) recognise any input error.
func (e *InputError) Is(target error) bool { return target == ErrInput }

func inputErr(code, format string, args ...any) error {
	return &InputError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ParseTranscript decodes and validates a JSON transcript. Unknown fields
// are ignored. Every failure is an *InputError naming the problem.
func ParseTranscript(data []byte) (Transcript, error) {
	var t Transcript
	if len(data) > MaxTranscriptBytes {
		return t, inputErr(CodeTooLarge, "transcript is %d bytes; the limit is %d bytes", len(data), MaxTranscriptBytes)
	}
	if !utf8.Valid(data) {
		return t, inputErr(CodeInvalidUTF8, "transcript is not valid UTF-8 (first bad byte at offset %d)", firstInvalidUTF8(data))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return t, inputErr(CodeInvalidJSON, "transcript is empty; expected a JSON object with a \"turns\" array")
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return Transcript{}, inputErr(CodeInvalidJSON, "transcript is not valid JSON: %s", describeJSONError(err))
	}
	if err := t.Validate(); err != nil {
		return Transcript{}, err
	}
	return t, nil
}

// Validate checks a decoded transcript. It is also used by callers that
// build transcripts in code (the live interview).
func (t *Transcript) Validate() error {
	if len(t.Turns) == 0 {
		return inputErr(CodeEmptyTranscript, "transcript has no turns; expected at least one candidate turn")
	}
	if len(t.Turns) > MaxTurns {
		return inputErr(CodeTooManyTurns, "transcript has %d turns; the limit is %d", len(t.Turns), MaxTurns)
	}
	if t.Level != "" {
		if _, ok := normaliseLevel(t.Level); !ok {
			return inputErr(CodeUnknownLevel, "unknown level %q; expected one of L4, L5, L6, L7", t.Level)
		}
	}
	candidates := 0
	for i, turn := range t.Turns {
		switch turn.Role {
		case RoleCandidate:
			candidates++
		case RoleInterviewer:
		default:
			return inputErr(CodeUnknownRole, "turn %d has unknown role %q; expected \"interviewer\" or \"candidate\"", i, turn.Role)
		}
		if len(turn.Text) > MaxTranscriptBytes {
			// Also what keeps a token's byte offsets within int32.
			return inputErr(CodeTooLarge, "turn %d text is %d bytes; the limit is %d bytes", i, len(turn.Text), MaxTranscriptBytes)
		}
		if !utf8.ValidString(turn.Text) {
			return inputErr(CodeInvalidUTF8, "turn %d text is not valid UTF-8", i)
		}
	}
	if candidates == 0 {
		return inputErr(CodeNoCandidate, "transcript has no candidate turn; there is nothing to score")
	}
	return nil
}

// normaliseLevel accepts "L5", "l5" and surrounding spaces.
func normaliseLevel(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	switch s {
	case LevelL4, LevelL5, LevelL6, LevelL7:
		return s, true
	}
	return "", false
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

func describeJSONError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("%v (at byte %d)", syn, syn.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("field %q must be %s, not %s", typ.Field, typ.Type, typ.Value)
		}
		return fmt.Sprintf("expected a JSON object, got %s", typ.Value)
	}
	return err.Error()
}
