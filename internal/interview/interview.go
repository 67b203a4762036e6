// Package interview runs a bar-raiser interview: it asks a Leadership
// Principle question, scores every answer with the rubric, decides what to
// probe next (the most important missing dimension or a suspected red
// flag), moves on, wraps up and keeps the scorecard.
//
// It is the domain core. It declares what it consumes — a Store for
// sessions and messages, an Interviewer that words each turn, a Retriever
// for the exemplars that ground a probe — and imports no transport, no
// database driver and no vendor SDK. The interviewer only decides how to
// say a turn; what to ask is decided here.
package interview

import (
	"context"
	"errors"
	"time"

	"barraiser/internal/retrieval"
	"barraiser/internal/rubric"
)

// Roles of a message.
const (
	RoleInterviewer = rubric.RoleInterviewer
	RoleCandidate   = rubric.RoleCandidate
)

// Kinds of message.
const (
	KindQuestion = "question" // a new Leadership Principle question (the first one greets)
	KindProbe    = "probe"    // a follow-up aimed at one dimension or red flag
	KindWrapUp   = "wrapup"   // the closing message; the scorecard follows
	KindAnswer   = "answer"   // the candidate's words
)

// Session statuses.
const (
	StatusActive   = "active"
	StatusFinished = "finished"
)

// Limits.
const (
	// MaxAnswerBytes bounds one answer; a long spoken answer is ~600 words.
	MaxAnswerBytes = 16 << 10
	// MaxQuestions bounds the questions of one interview.
	MaxQuestions = 8
	// MaxProbes bounds the probes per question.
	MaxProbes = 6
	// DefaultQuestions and DefaultProbes apply when a request names none.
	DefaultQuestions = 1
	DefaultProbes    = 3
)

// Message is one turn of the interview. Seq increases by one per message
// of a session, starting at 1.
type Message struct {
	Seq       int64     `json:"seq"`
	Role      string    `json:"role"`
	Kind      string    `json:"kind"`
	Text      string    `json:"text"`
	Dimension string    `json:"dimension,omitempty"` // a probe's target
	Question  int       `json:"question"`            // index of the question it belongs to
	ClientID  string    `json:"client_id,omitempty"` // the client's id for an answer (idempotency)
	At        time.Time `json:"at"`
}

// Question is one question of an interview.
type Question struct {
	ID        string `json:"id"`
	Principle string `json:"principle"`
	Text      string `json:"text"`
	// Probes are a recruiter's own wordings of probes for this question;
	// they are suggested ahead of the knowledge pack's.
	Probes []Probe `json:"probes,omitempty"`
}

// Probe is a recruiter's wording of a probe aimed at one dimension.
type Probe struct {
	Dimension string `json:"dimension"`
	Text      string `json:"text"`
}

// Session is one interview.
type Session struct {
	ID                 string     `json:"id"`
	TokenHash          string     `json:"-"` // hex SHA-256 of the session token
	Org                string     `json:"org,omitempty"`
	QuestionSetID      string     `json:"question_set_id,omitempty"`
	QuestionSetVersion int        `json:"question_set_version,omitempty"`
	Candidate          string     `json:"candidate,omitempty"` // a label, not an account
	Level              string     `json:"level"`
	Questions          []Question `json:"questions"`
	ProbesPerQuestion  int        `json:"probes_per_question"`
	// ProbeOrder lists the dimensions in the order they are probed when
	// missing; empty means DefaultProbeOrder.
	ProbeOrder []string `json:"probe_order,omitempty"`
	// TimeLimitMinutes, when not 0, ends the interview with the first
	// answer given after that long: it is scored, then the wrap-up.
	TimeLimitMinutes int        `json:"time_limit_minutes,omitempty"`
	Status           string     `json:"status"`
	Current          int        `json:"current"` // index of the question being asked
	Probed           [][]string `json:"probed"`  // per question, the targets already probed
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	FinishedAt       *time.Time `json:"finished_at,omitempty"`
}

// QuestionScore is the scorecard of one question's exchange.
type QuestionScore struct {
	Index     int              `json:"index"`
	Principle string           `json:"principle"`
	Question  string           `json:"question"`
	Scorecard rubric.Scorecard `json:"scorecard"`
}

// Scorecard is a finished session's verdict. Its embedded rubric scorecard
// is the overall one, in the shape `api score` prints; evidence turns index
// Transcript. With several questions the overall scorecard is that of the
// weakest answer (the lowest decision, the earlier question on a tie): a
// bar raiser does not average a no-hire story away.
type Scorecard struct {
	rubric.Scorecard
	SessionID  string          `json:"session_id"`
	Questions  []QuestionScore `json:"questions"`
	Transcript []rubric.Turn   `json:"transcript"`
}

// Errors. Adapters map them to statuses and frame codes.
var (
	ErrNotFound     = errors.New("not found")
	ErrFinished     = errors.New("the interview has finished")
	ErrInvalidInput = errors.New("invalid input")
	ErrBusy         = errors.New("the interviewer is still answering")
)

// Store keeps sessions, their messages and scorecards. Implementations
// must make AppendMessage atomic per session: it assigns the next Seq, and
// a message whose ClientID was already stored for the session is not
// stored again (the stored one is returned with stored=false).
type Store interface {
	CreateSession(ctx context.Context, s *Session) error
	Session(ctx context.Context, id string) (*Session, error)
	// SessionWithMessages returns the session with all its messages, in order: what
	// Session and Messages(ctx, id, 0) return, read together (in one
	// round trip where the store can).
	SessionWithMessages(ctx context.Context, id string) (*Session, []Message, error)
	// OverdueSessions returns the ids of up to limit active sessions
	// whose time limit (TimeLimitMinutes after CreatedAt) has passed by
	// now, oldest first.
	OverdueSessions(ctx context.Context, now time.Time, limit int) ([]string, error)
	UpdateSession(ctx context.Context, s *Session) error
	AppendMessage(ctx context.Context, sessionID string, m Message) (saved Message, stored bool, err error)
	Messages(ctx context.Context, sessionID string, afterSeq int64) ([]Message, error)
	SaveScorecard(ctx context.Context, sessionID string, sc *Scorecard) error
	Scorecard(ctx context.Context, sessionID string) (*Scorecard, error)
}

// Prompt is everything an Interviewer needs to word one turn.
type Prompt struct {
	Kind      string // KindQuestion, KindProbe or KindWrapUp
	SessionID string
	Level     string
	Principle string
	Question  string // the question being asked (a probe's question too)
	Number    int    // 1-based number of the question
	Count     int    // questions in the interview
	First     bool   // the interview's first message: greet
	// For probes:
	Dimension string            // the target: a dimension or red-flag id
	Cue       string            // the candidate's own words that show the gap ("" if none)
	Suggested []string          // bar-raiser phrasings for this target: the recruiter's own first, then the knowledge pack's
	Own       []string          // the recruiter's own phrasings for this target (also in Suggested); use one when there are any
	Exemplars []retrieval.Match // nearest weak and strong exemplars for the target
	History   []Message         // this question's exchange so far
	Previous  []string          // probe texts already used in this interview
}

// Interviewer words a turn. It may stream: token is called with each piece
// of text as it is written (possibly never, for a non-streaming
// interviewer); the returned string is the whole message.
type Interviewer interface {
	Name() string
	Speak(ctx context.Context, p Prompt, token func(string)) (string, error)
}

// Retriever finds exemplars near a text.
type Retriever interface {
	Search(ctx context.Context, q retrieval.Query) ([]retrieval.Match, error)
}
