// Package recruiting is the recruiter side of barraiser: organisations and
// their recruiters, how a recruiter proves who they are (a password login
// with a CSRF-protected cookie session, or a bearer API token), the
// question sets they configure (versioned), the single-use invites they
// send candidates, their own votes on finished interviews and how those
// votes agree with the rubric, and the privacy rules (deleting a session,
// purging after the organisation's retention period).
//
// Everything here is scoped to an organisation: every read and write that
// a recruiter makes names the caller's org, and a row of another org is
// reported as not found.
//
// Like interview, it is a domain package: it declares the stores it
// consumes (Store, SessionStore) and imports no transport or driver.
package recruiting

import (
	"context"
	"errors"
	"fmt"
	"time"

	"barraiser/internal/interview"
)

// Roles of a recruiter.
const (
	RoleAdmin     = "admin"     // may mint and revoke tokens and change the org's settings
	RoleRecruiter = "recruiter" // everything else
)

// Org is a recruiting organisation.
type Org struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// RetentionDays is how long finished sessions are kept; 0 keeps them
	// until they are deleted by hand.
	RetentionDays int       `json:"retention_days"`
	CreatedAt     time.Time `json:"created_at"`
}

// Recruiter is an account of an org.
type Recruiter struct {
	ID           string    `json:"id"`
	OrgID        string    `json:"org_id"`
	Email        string    `json:"email"`
	PasswordHash string    `json:"-"` // bcrypt; the password is never stored
	Role         string    `json:"role"`
	CreatedAt    time.Time `json:"created_at"`
}

// APIToken is a bearer token for scripts. Only its hash is stored; the
// token is shown once, when it is minted.
type APIToken struct {
	ID          string     `json:"id"`
	OrgID       string     `json:"org_id"`
	RecruiterID string     `json:"recruiter_id"`
	Name        string     `json:"name"`
	Role        string     `json:"role"` // the recruiter's role when it was minted
	Hash        string     `json:"-"`
	CreatedAt   time.Time  `json:"created_at"`
	RevokedAt   *time.Time `json:"revoked_at,omitempty"`
}

// Login is a web console session made by a password login. Its cookie
// value and CSRF token are stored hashed.
type Login struct {
	Hash        string
	CSRFHash    string
	RecruiterID string
	OrgID       string
	Role        string
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// Principal is an authenticated recruiter.
type Principal struct {
	OrgID       string
	RecruiterID string
	Role        string
	// Method is how they proved it: MethodToken or MethodCookie.
	Method string
	// Login is the console session behind a cookie principal; it holds
	// the CSRF token's hash.
	Login *Login
}

// Authentication methods.
const (
	MethodToken  = "token"
	MethodCookie = "cookie"
)

// Invite is a single-use, expiring link for one candidate.
type Invite struct {
	ID            string     `json:"id"`
	OrgID         string     `json:"org_id"`
	Hash          string     `json:"-"` // of the code in the link
	QuestionSetID string     `json:"question_set_id"`
	Level         string     `json:"level"`
	Candidate     string     `json:"candidate,omitempty"`
	CreatedBy     string     `json:"created_by"`
	CreatedAt     time.Time  `json:"created_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	UsedAt        *time.Time `json:"used_at,omitempty"`
	SessionID     string     `json:"session_id,omitempty"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
}

// Vote is a recruiter's own verdict on a finished session, for
// calibrating the rubric. Dimensions holds the dimensions the recruiter
// judged (id → pass); it may be empty.
type Vote struct {
	SessionID   string          `json:"session_id"`
	OrgID       string          `json:"org_id"`
	RecruiterID string          `json:"recruiter_id"`
	Decision    string          `json:"decision"`
	Dimensions  map[string]bool `json:"dimensions,omitempty"`
	Note        string          `json:"note,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
}

// SessionInfo is one row of an org's session list.
type SessionInfo struct {
	ID                 string     `json:"id"`
	Status             string     `json:"status"`
	Decision           string     `json:"decision,omitempty"`
	Candidate          string     `json:"candidate,omitempty"`
	Level              string     `json:"level"`
	QuestionSetID      string     `json:"question_set_id,omitempty"`
	QuestionSetVersion int        `json:"question_set_version,omitempty"`
	CreatedAt          time.Time  `json:"created_at"`
	FinishedAt         *time.Time `json:"finished_at,omitempty"`
}

// Errors. Adapters map them to statuses.
var (
	ErrNotFound        = errors.New("not found")
	ErrUnauthenticated = errors.New("not authenticated")
	ErrForbidden       = errors.New("forbidden")
	ErrConflict        = errors.New("conflict")
	ErrInviteExpired   = errors.New("the invite has expired")
	ErrInviteUsed      = errors.New("the invite has already been used")
	ErrInvalid         = errors.New("invalid input")
)

// FieldError is a validation failure of one field; Field is its JSON
// path, e.g. "questions[2].principle".
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Unwrap makes every FieldError match ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Store keeps the recruiting data. Reads of a missing row return an error
// wrapping ErrNotFound; every org-scoped read takes the org and treats
// another org's row as missing.
type Store interface {
	// CreateOrg stores an org with its first recruiter; an email already
	// taken is ErrConflict.
	CreateOrg(ctx context.Context, o *Org, admin *Recruiter) error
	Org(ctx context.Context, id string) (*Org, error)
	Orgs(ctx context.Context) ([]Org, error)
	SetRetention(ctx context.Context, orgID string, days int) error
	RecruiterByEmail(ctx context.Context, email string) (*Recruiter, error)
	// CreateRecruiter adds a recruiter to an org; an email already taken
	// is ErrConflict.
	CreateRecruiter(ctx context.Context, r *Recruiter) error
	// Recruiters lists the org's recruiters by email.
	Recruiters(ctx context.Context, orgID string) ([]Recruiter, error)

	CreateToken(ctx context.Context, t *APIToken) error
	TokenByHash(ctx context.Context, hash string) (*APIToken, error)
	// RevokeToken marks the org's token revoked at (idempotent).
	RevokeToken(ctx context.Context, orgID, id string, at time.Time) error

	CreateLogin(ctx context.Context, l *Login) error
	LoginByHash(ctx context.Context, hash string) (*Login, error)
	DeleteLogin(ctx context.Context, hash string) error
	// DeleteExpiredLogins removes the console sessions expired at t.
	DeleteExpiredLogins(ctx context.Context, t time.Time) (int, error)

	// AddQuestionSetVersion stores qs as a new version; a version that
	// already exists is ErrConflict (a concurrent edit).
	AddQuestionSetVersion(ctx context.Context, qs *QuestionSet) error
	// QuestionSet returns one version of the org's set; 0 is the latest.
	QuestionSet(ctx context.Context, orgID, id string, version int) (*QuestionSet, error)
	// QuestionSets returns the latest version of each of the org's sets.
	QuestionSets(ctx context.Context, orgID string) ([]QuestionSet, error)
	// DeleteQuestionSet removes every version of the org's set.
	DeleteQuestionSet(ctx context.Context, orgID, id string) error

	CreateInvite(ctx context.Context, inv *Invite) error
	InviteByHash(ctx context.Context, hash string) (*Invite, error)
	Invites(ctx context.Context, orgID string) ([]Invite, error)
	// UseInvite marks the invite used, atomically: an invite already used
	// is ErrInviteUsed.
	UseInvite(ctx context.Context, id string, at time.Time) error
	// ReleaseInvite undoes UseInvite for an invite that started no
	// session (the start failed), so its link works again.
	ReleaseInvite(ctx context.Context, id string) error
	// SetInviteSession records the session a used invite started.
	SetInviteSession(ctx context.Context, id, sessionID string) error
	RevokeInvite(ctx context.Context, orgID, id string, at time.Time) error

	// PutVote stores or replaces the recruiter's vote on a session.
	PutVote(ctx context.Context, v *Vote) error
	Votes(ctx context.Context, orgID string) ([]Vote, error)
	// ForgetSession removes what refers to a deleted session: its votes,
	// and the session id on the invite that started it.
	ForgetSession(ctx context.Context, sessionID string) error
}

// SessionStore is what recruiting needs of the interview session store.
type SessionStore interface {
	Session(ctx context.Context, id string) (*interview.Session, error)
	Scorecard(ctx context.Context, id string) (*interview.Scorecard, error)
	// OrgSessions lists the org's sessions, newest first, at most limit.
	OrgSessions(ctx context.Context, org string, limit int) ([]SessionInfo, error)
	// DeleteSession removes a session with its messages and scorecard.
	DeleteSession(ctx context.Context, id string) error
	// FinishedBefore lists the org's sessions that finished before t.
	FinishedBefore(ctx context.Context, org string, t time.Time, limit int) ([]string, error)
}

// Starter starts interviews (the interview engine).
type Starter interface {
	Start(ctx context.Context, req interview.StartRequest) (*interview.Session, string, error)
}

// ExemplarIndex keeps an org's private exemplars searchable.
type ExemplarIndex interface {
	// PutOrgExemplars replaces the exemplars of one question set.
	PutOrgExemplars(ctx context.Context, orgID, setID string, ex []OrgExemplar) error
}

// OrgExemplar is a private exemplar of a question set, ready to index.
type OrgExemplar struct {
	ID string
	SetExemplar
}
