package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"barraiser/internal/interview"
	"barraiser/internal/recruiting"
)

// Limits of POST /api/v1/sessions.
const (
	maxStartBodyBytes  = 16 << 10
	maxCandidateBytes  = 200
	maxPrincipleNames  = 16
	maxPrincipleLength = 100
)

var errInterviewsOff = errorf(codeUnavailable, "live interviews are not configured on this server")

// startSessionRequest is the body of POST /api/v1/sessions; every field is
// optional.
type startSessionRequest struct {
	Principles    []string `json:"principles"`
	Principle     string   `json:"principle"` // one more principle, for convenience
	QuestionSetID string   `json:"question_set_id"`
	Level         string   `json:"level"`
	Questions     int      `json:"questions"` // how many; 0 means the default
	Probes        int      `json:"probes"`    // per question; 0 means the default
	Candidate     string   `json:"candidate"` // a label, not an account
}

type sessionQuestion struct {
	Principle string `json:"principle"`
	Text      string `json:"text"`
}

// sessionStarted is the answer to POST /api/v1/sessions. The token is
// shown once; only its hash is kept.
type sessionStarted struct {
	ID        string            `json:"id"`
	Token     string            `json:"token"`
	WSURL     string            `json:"ws_url"`
	Level     string            `json:"level"`
	Questions []sessionQuestion `json:"questions"`
	Status    string            `json:"status"`
	// TimeLimitMinutes is the question set's time limit (0: none).
	TimeLimitMinutes int `json:"time_limit_minutes,omitempty"`
}

// createSession is POST /api/v1/sessions: it starts a practice interview.
// Practice sessions need no account; the session token authorises the
// websocket and the scorecard.
func (s *Server) createSession(c *gin.Context) {
	if s.interviews == nil {
		s.fail(c, errInterviewsOff)
		return
	}
	if err := requireJSON(c.Request); err != nil {
		s.fail(c, err)
		return
	}
	body, err := readBody(c.Writer, c.Request, maxStartBodyBytes)
	if err != nil {
		s.fail(c, err)
		return
	}
	req, err := parseStartRequest(body)
	if err != nil {
		s.fail(c, err)
		return
	}
	if req.QuestionSetID != "" {
		s.startFromQuestionSet(c, req)
		return
	}
	principles := req.Principles
	if p := strings.TrimSpace(req.Principle); p != "" {
		principles = append(principles, p)
	}
	sess, token, err := s.interviews.Start(c.Request.Context(), interview.StartRequest{
		Principles:        principles,
		Level:             req.Level,
		NumQuestions:      req.Questions,
		ProbesPerQuestion: req.Probes,
		Candidate:         strings.TrimSpace(req.Candidate),
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	s.sessionCreated(c, sess, token)
}

// startFromQuestionSet starts an interview on one of the caller's org's
// question sets (its latest version): a recruiter trying a set, or
// handing the session to a candidate. It needs recruiter credentials.
func (s *Server) startFromQuestionSet(c *gin.Context, req startSessionRequest) {
	s.requireRecruiter(c)
	if c.IsAborted() {
		return
	}
	sess, token, err := s.recruiting.StartFromSet(c.Request.Context(), principal(c), req.QuestionSetID, req.Level, strings.TrimSpace(req.Candidate))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sessionCreated(c, sess, token)
}

// parseStartRequest decodes and checks the body; an empty body starts an
// interview with every default.
func parseStartRequest(body []byte) (startSessionRequest, error) {
	var req startSessionRequest
	if len(bytes.TrimSpace(body)) == 0 {
		return req, nil
	}
	if !utf8.Valid(body) {
		return req, errorf(codeInvalidRequest, "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, errorf(codeInvalidRequest, "%s", startJSONProblem(err))
	}
	if _, err := dec.Token(); err == nil {
		return req, errorf(codeInvalidRequest, "the body holds more than one JSON value")
	}
	switch {
	case len(req.QuestionSetID) > maxPrincipleLength:
		return req, errorf(codeInvalidRequest, "question_set_id: longer than %d bytes", maxPrincipleLength)
	case len(req.Principles) > maxPrincipleNames:
		return req, errorf(codeInvalidRequest, "principles: name at most %d", maxPrincipleNames)
	case len(req.Candidate) > maxCandidateBytes:
		return req, errorf(codeInvalidRequest, "candidate: the label is longer than %d bytes", maxCandidateBytes)
	case strings.IndexFunc(req.Candidate, unicode.IsControl) >= 0:
		return req, errorf(codeInvalidRequest, "candidate: the label holds control characters")
	}
	for _, p := range req.Principles {
		if len(p) > maxPrincipleLength || len(req.Principle) > maxPrincipleLength {
			return req, errorf(codeInvalidRequest, "principles: a name is longer than %d bytes", maxPrincipleLength)
		}
	}
	return req, nil
}

// startJSONProblem names what is wrong with a start body, and the field
// when there is one.
func startJSONProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "the body is not valid JSON: " + se.Error()
	case errors.As(err, &te) && te.Field != "":
		return te.Field + ": must be " + jsonKind(te.Type.Kind().String())
	case errors.As(err, &te):
		return "the body must be a JSON object"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "the body is not valid JSON"
}

func jsonKind(kind string) string {
	switch kind {
	case "int", "int64":
		return "a whole number"
	case "slice":
		return "a list of strings"
	}
	return "a " + kind
}

// socketURL is the absolute websocket URL of a session on the host the
// client reached. Forwarded headers are not trusted: wss only when this
// server terminated TLS itself.
func socketURL(r *http.Request, id string) string {
	u := url.URL{Scheme: "ws", Host: r.Host, Path: "/api/v1/sessions/" + id + "/ws"}
	if r.TLS != nil {
		u.Scheme = "wss"
	}
	return u.String()
}

// sessionToken is the bearer token of the request: the Authorization
// header, else the token query parameter (browsers cannot set headers on
// a websocket).
func sessionToken(r *http.Request) string {
	if scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		if token = strings.TrimSpace(token); token != "" {
			return token
		}
	}
	return r.URL.Query().Get("token")
}

// authorizeSession returns the session named in the path when the request
// carries its token. An unknown session and a wrong token get the same
// 404, so the answer does not tell which sessions exist.
func (s *Server) authorizeSession(c *gin.Context) (*interview.Session, error) {
	token := sessionToken(c.Request)
	if token == "" {
		c.Header("WWW-Authenticate", `Bearer realm="barraiser"`)
		return nil, errorf(codeUnauthorized, "the session token is required: send Authorization: Bearer TOKEN or ?token=TOKEN")
	}
	id := c.Param("id")
	if id == "" || len(id) > maxSessionIDBytes {
		return nil, errNoSession
	}
	sess, err := s.interviews.Authorize(c.Request.Context(), id, token)
	if errors.Is(err, interview.ErrNotFound) {
		return nil, errNoSession
	}
	return sess, err
}

var errNoSession = errorf(codeNotFound, "no session with this id and token")

// sessionScorecard is GET /api/v1/sessions/{id}/scorecard: the finished
// session's scorecard, in the shape `api score` prints plus the session's
// fields (session_id, questions, transcript).
func (s *Server) sessionScorecard(c *gin.Context) {
	if s.interviews == nil {
		s.fail(c, errInterviewsOff)
		return
	}
	if token := sessionToken(c.Request); (token == "" || recruiting.IsAPIToken(token)) && s.recruiting != nil {
		s.recruiterScorecard(c)
		return
	}
	sess, err := s.authorizeSession(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if sess.Status != interview.StatusFinished {
		s.fail(c, errorf(codeNotFinished, "the interview has not finished; answer its last question or send an end frame"))
		return
	}
	sc, err := s.interviews.Scorecard(c.Request.Context(), sess.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	s.respond(c, http.StatusOK, sc)
}

// recruiterScorecard answers the scorecard route for a recruiter: any
// finished session of their org.
func (s *Server) recruiterScorecard(c *gin.Context) {
	s.requireRecruiter(c)
	if c.IsAborted() {
		return
	}
	sc, err := s.recruiting.Scorecard(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		if errors.Is(err, recruiting.ErrConflict) {
			err = errorf(codeNotFinished, "the interview has not finished")
		}
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	s.respond(c, http.StatusOK, sc)
}
