package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"barraiser/internal/interview"
	"barraiser/internal/recruiting"
)

// Cookies and headers of the recruiter console.
const (
	// SessionCookie holds the console session (HttpOnly).
	SessionCookie = "barraiser_session"
	// CSRFCookie holds the CSRF token, readable by the console's script,
	// which echoes it in CSRFHeader on every unsafe request (double
	// submit; the server also checks it against the session's own token).
	CSRFCookie = "barraiser_csrf"
	CSRFHeader = "X-CSRF-Token"
)

// Limits of the recruiter routes' bodies.
const (
	maxLoginBodyBytes       = 4 << 10
	maxQuestionSetBodyBytes = 512 << 10
	maxSmallBodyBytes       = 16 << 10
)

// Error codes of the recruiter routes.
const (
	codeForbidden     = "forbidden"      // authenticated, but not allowed
	codeCSRF          = "csrf_failed"    // a cookie request without the CSRF token
	codeConflict      = "conflict"       // the state does not allow it (e.g. not finished)
	codeInviteExpired = "invite_expired" // the invite's link has expired
	codeInviteUsed    = "invite_used"    // the invite's link was used already
	codeRateLimited   = "rate_limited"   // too many requests; see Retry-After
)

var errRecruitingOff = errorf(codeUnavailable, "recruiter features are not configured on this server")

// principal returns the recruiter the auth middleware let through.
func principal(c *gin.Context) *recruiting.Principal {
	p, _ := c.Get("principal")
	pr, _ := p.(*recruiting.Principal)
	return pr
}

// safeMethod reports whether a method only reads.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// authenticateRecruiter finds the recruiter behind a request: a bearer API
// token, else the console session cookie (with the CSRF token on unsafe
// methods). It returns nil and no error when the request carries neither.
func (s *Server) authenticateRecruiter(c *gin.Context) (*recruiting.Principal, error) {
	if token := bearer(c.Request); token != "" {
		p, err := s.recruiting.AuthenticateToken(c.Request.Context(), token)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
	cookie, err := c.Request.Cookie(SessionCookie)
	if err != nil || cookie.Value == "" {
		return nil, nil
	}
	p, err := s.recruiting.AuthenticateCookie(c.Request.Context(), cookie.Value)
	if err != nil {
		return nil, err
	}
	if !safeMethod(c.Request.Method) {
		header := c.GetHeader(CSRFHeader)
		double, _ := c.Request.Cookie(CSRFCookie)
		if double == nil || double.Value != header || !recruiting.CheckCSRF(p, header) {
			return nil, errorf(codeCSRF, "this request needs the %s header holding the %s cookie's value", CSRFHeader, CSRFCookie)
		}
	}
	return p, nil
}

// bearer is the Authorization: Bearer token, or "".
func bearer(r *http.Request) string {
	if scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(token)
	}
	return ""
}

var errNoRecruiter = errorf(codeUnauthorized, "recruiter credentials are required: send Authorization: Bearer API_TOKEN or log in")

// requireRecruiter lets only an authenticated recruiter through; the
// handlers read them with principal(c).
func (s *Server) requireRecruiter(c *gin.Context) {
	if s.recruiting == nil {
		s.fail(c, errRecruitingOff)
		return
	}
	p, err := s.authenticateRecruiter(c)
	if err == nil && p == nil {
		err = errNoRecruiter
	}
	if err != nil {
		if errors.Is(err, recruiting.ErrUnauthenticated) || errors.Is(err, errNoRecruiter) {
			c.Header("WWW-Authenticate", `Bearer realm="barraiser"`)
		}
		s.fail(c, err)
		return
	}
	if p.Method == recruiting.MethodToken && !s.limits.allowToken(c, p.RecruiterID+"/"+bearerHash(c.Request)) {
		s.fail(c, errRateLimited)
		return
	}
	c.Set("principal", p)
	c.Next()
}

func bearerHash(r *http.Request) string { return recruiting.HashSecret(bearer(r))[:16] }

// decodeJSON decodes a JSON object body into v, refusing unknown fields,
// with a message naming the field that is wrong.
func decodeJSON(c *gin.Context, limit int64, v any) error {
	if err := requireJSON(c.Request); err != nil {
		return err
	}
	body, err := readBody(c.Writer, c.Request, limit)
	if err != nil {
		return err
	}
	if !utf8.Valid(body) {
		return errorf(codeInvalidRequest, "the body is not valid UTF-8")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return errorf(codeInvalidRequest, "the body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errorf(codeInvalidRequest, "%s", startJSONProblem(err))
	}
	if _, err := dec.Token(); err == nil {
		return errorf(codeInvalidRequest, "the body holds more than one JSON value")
	}
	return nil
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type loginResponse struct {
	OrgID       string    `json:"org_id"`
	RecruiterID string    `json:"recruiter_id"`
	Role        string    `json:"role"`
	CSRFToken   string    `json:"csrf_token"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// login is POST /api/v1/auth/login: email and password in, a console
// session cookie and CSRF token out. Attempts are throttled per address
// and per client.
func (s *Server) login(c *gin.Context) {
	if s.recruiting == nil {
		s.fail(c, errRecruitingOff)
		return
	}
	var req loginRequest
	if err := decodeJSON(c, maxLoginBodyBytes, &req); err != nil {
		s.fail(c, err)
		return
	}
	if !s.limits.allowLogin(c, strings.ToLower(strings.TrimSpace(req.Email))) {
		s.fail(c, errRateLimited)
		return
	}
	cookie, csrf, l, err := s.recruiting.Login(c.Request.Context(), req.Email, req.Password)
	if err != nil {
		if errors.Is(err, recruiting.ErrUnauthenticated) {
			err = errorf(codeUnauthorized, "wrong email or password")
		}
		s.fail(c, err)
		return
	}
	maxAge := int(time.Until(l.ExpiresAt).Seconds())
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: cookie, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: !s.insecureCookies, SameSite: http.SameSiteStrictMode})
	http.SetCookie(c.Writer, &http.Cookie{Name: CSRFCookie, Value: csrf, Path: "/", MaxAge: maxAge,
		Secure: !s.insecureCookies, SameSite: http.SameSiteStrictMode})
	c.Header("Cache-Control", "no-store")
	s.respond(c, http.StatusOK, loginResponse{OrgID: l.OrgID, RecruiterID: l.RecruiterID, Role: l.Role, CSRFToken: csrf, ExpiresAt: l.ExpiresAt})
}

// logout is POST /api/v1/auth/logout.
func (s *Server) logout(c *gin.Context) {
	if ck, err := c.Request.Cookie(SessionCookie); err == nil {
		if err := s.recruiting.Logout(c.Request.Context(), ck.Value); err != nil {
			s.fail(c, err)
			return
		}
	}
	for _, name := range []string{SessionCookie, CSRFCookie} {
		http.SetCookie(c.Writer, &http.Cookie{Name: name, Path: "/", MaxAge: -1, Secure: !s.insecureCookies, SameSite: http.SameSiteStrictMode})
	}
	c.Status(http.StatusNoContent)
}

type orgResponse struct {
	recruiting.Org
	RecruiterID string `json:"recruiter_id"`
	Role        string `json:"role"`
}

// getOrg is GET /api/v1/org: the caller's org and who they are.
func (s *Server) getOrg(c *gin.Context) {
	p := principal(c)
	o, err := s.recruiting.Org(c.Request.Context(), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respond(c, http.StatusOK, orgResponse{Org: *o, RecruiterID: p.RecruiterID, Role: p.Role})
}

type retentionRequest struct {
	RetentionDays *int `json:"retention_days"`
}

// putRetention is PUT /api/v1/org/retention: how many days finished
// sessions are kept (0: until deleted). Admins only.
func (s *Server) putRetention(c *gin.Context) {
	var req retentionRequest
	if err := decodeJSON(c, maxSmallBodyBytes, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.RetentionDays == nil {
		s.fail(c, &recruiting.FieldError{Field: "retention_days", Reason: "is required"})
		return
	}
	p := principal(c)
	if err := s.recruiting.SetRetention(c.Request.Context(), p, *req.RetentionDays); err != nil {
		s.fail(c, err)
		return
	}
	s.getOrg(c)
}

type questionSetList struct {
	QuestionSets []recruiting.QuestionSet `json:"question_sets"`
}

func (s *Server) listQuestionSets(c *gin.Context) {
	sets, err := s.recruiting.QuestionSets(c.Request.Context(), principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	if sets == nil {
		sets = []recruiting.QuestionSet{}
	}
	s.respond(c, http.StatusOK, questionSetList{sets})
}

func (s *Server) createQuestionSet(c *gin.Context) {
	var in recruiting.QuestionSetInput
	if err := decodeJSON(c, maxQuestionSetBodyBytes, &in); err != nil {
		s.fail(c, err)
		return
	}
	qs, err := s.recruiting.CreateQuestionSet(c.Request.Context(), principal(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/question-sets/"+qs.ID)
	s.respond(c, http.StatusCreated, qs)
}

func (s *Server) getQuestionSet(c *gin.Context) {
	version := 0
	if v := c.Param("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.fail(c, errorf(codeInvalidRequest, "version: must be a whole number from 1"))
			return
		}
		version = n
	}
	qs, err := s.recruiting.QuestionSet(c.Request.Context(), principal(c), c.Param("id"), version)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respond(c, http.StatusOK, qs)
}

func (s *Server) updateQuestionSet(c *gin.Context) {
	var in recruiting.QuestionSetInput
	if err := decodeJSON(c, maxQuestionSetBodyBytes, &in); err != nil {
		s.fail(c, err)
		return
	}
	qs, err := s.recruiting.UpdateQuestionSet(c.Request.Context(), principal(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respond(c, http.StatusOK, qs)
}

func (s *Server) deleteQuestionSet(c *gin.Context) {
	if err := s.recruiting.DeleteQuestionSet(c.Request.Context(), principal(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type inviteRequest struct {
	QuestionSetID  string `json:"question_set_id"`
	Level          string `json:"level"`
	Candidate      string `json:"candidate"`
	ExpiresInHours int    `json:"expires_in_hours"` // 0: a week
}

type inviteCreated struct {
	recruiting.Invite
	Code     string `json:"code"`      // shown once
	StartURL string `json:"start_url"` // POST {"code"} here to start
}

func (s *Server) createInvite(c *gin.Context) {
	var req inviteRequest
	if err := decodeJSON(c, maxSmallBodyBytes, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.ExpiresInHours < 0 || req.ExpiresInHours > int(recruiting.MaxInviteTTL.Hours()) {
		s.fail(c, &recruiting.FieldError{Field: "expires_in_hours", Reason: "must be between 1 and " + strconv.Itoa(int(recruiting.MaxInviteTTL.Hours()))})
		return
	}
	inv, code, err := s.recruiting.CreateInvite(c.Request.Context(), principal(c), recruiting.InviteInput{
		QuestionSetID: req.QuestionSetID, Level: req.Level, Candidate: req.Candidate,
		TTL: time.Duration(req.ExpiresInHours) * time.Hour,
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	s.respond(c, http.StatusCreated, inviteCreated{Invite: *inv, Code: code, StartURL: "/api/v1/invites/redeem"})
}

type inviteList struct {
	Invites []recruiting.Invite `json:"invites"`
}

func (s *Server) listInvites(c *gin.Context) {
	list, err := s.recruiting.Invites(c.Request.Context(), principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	if list == nil {
		list = []recruiting.Invite{}
	}
	s.respond(c, http.StatusOK, inviteList{list})
}

func (s *Server) revokeInvite(c *gin.Context) {
	if err := s.recruiting.RevokeInvite(c.Request.Context(), principal(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type redeemRequest struct {
	Code string `json:"code"`
}

// redeemInvite is POST /api/v1/invites/redeem: the candidate's link's
// code in, a started interview out (as POST /api/v1/sessions answers).
// No account is needed; the code works once and until it expires. The
// code travels in the body, never the path, so it stays out of logs.
func (s *Server) redeemInvite(c *gin.Context) {
	if s.recruiting == nil {
		s.fail(c, errRecruitingOff)
		return
	}
	var req redeemRequest
	if err := decodeJSON(c, maxLoginBodyBytes, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.Code == "" || len(req.Code) > 100 {
		s.fail(c, &recruiting.FieldError{Field: "code", Reason: "must be the code of an invite link"})
		return
	}
	sess, token, err := s.recruiting.Redeem(c.Request.Context(), req.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sessionCreated(c, sess, token)
}

// started is the answer of a new session.
func started(c *gin.Context, sess *interview.Session, token string) sessionStarted {
	out := sessionStarted{
		ID: sess.ID, Token: token, WSURL: socketURL(c.Request, sess.ID),
		Level: sess.Level, Status: sess.Status, Questions: make([]sessionQuestion, len(sess.Questions)),
		TimeLimitMinutes: sess.TimeLimitMinutes,
	}
	for i, q := range sess.Questions {
		out.Questions[i] = sessionQuestion{Principle: q.Principle, Text: q.Text}
	}
	return out
}

// sessionCreated answers 201 with a new session and its token, which no
// cache may keep.
func (s *Server) sessionCreated(c *gin.Context, sess *interview.Session, token string) {
	c.Header("Cache-Control", "no-store")
	s.respond(c, http.StatusCreated, started(c, sess, token))
}

type sessionList struct {
	Sessions []recruiting.SessionInfo `json:"sessions"`
}

// listSessions is GET /api/v1/sessions: the org's sessions, newest first.
func (s *Server) listSessions(c *gin.Context) {
	list, err := s.recruiting.Sessions(c.Request.Context(), principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	if list == nil {
		list = []recruiting.SessionInfo{}
	}
	s.respond(c, http.StatusOK, sessionList{list})
}

// deleteSession is DELETE /api/v1/sessions/{id}: a recruiter deletes one
// of their org's sessions, or a candidate their own practice session,
// with everything derived from it.
func (s *Server) deleteSession(c *gin.Context) {
	if s.recruiting == nil || s.interviews == nil {
		s.fail(c, errRecruitingOff)
		return
	}
	if token := sessionToken(c.Request); token != "" && !recruiting.IsAPIToken(token) {
		sess, err := s.authorizeSession(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		if err := s.recruiting.DeleteOwnSession(c.Request.Context(), sess); err != nil {
			s.fail(c, err)
			return
		}
		s.live.sessionGone(sess.ID)
		c.Status(http.StatusNoContent)
		return
	}
	s.requireRecruiter(c)
	if c.IsAborted() {
		return
	}
	if err := s.recruiting.DeleteSession(c.Request.Context(), principal(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	s.live.sessionGone(c.Param("id"))
	c.Status(http.StatusNoContent)
}

// putVote is PUT /api/v1/sessions/{id}/vote: the caller's own verdict on
// a finished session of their org.
func (s *Server) putVote(c *gin.Context) {
	var in recruiting.VoteInput
	if err := decodeJSON(c, maxSmallBodyBytes, &in); err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.recruiting.Vote(c.Request.Context(), principal(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respond(c, http.StatusOK, v)
}

// myVote is the answer of GET /api/v1/sessions/{id}/vote.
type myVote struct {
	Vote *recruiting.Vote `json:"vote"` // null: the caller has not voted
}

// getVote is GET /api/v1/sessions/{id}/vote: the caller's own vote on one
// of the org's sessions, so the console can show it.
func (s *Server) getVote(c *gin.Context) {
	v, err := s.recruiting.MyVote(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respond(c, http.StatusOK, myVote{Vote: v})
}

// calibration is GET /api/v1/calibration: how the org's votes agree with
// the rubric.
func (s *Server) calibration(c *gin.Context) {
	a, err := s.recruiting.Calibration(c.Request.Context(), principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respond(c, http.StatusOK, a)
}

type recruiterRequest struct {
	Email string `json:"email"`
	Role  string `json:"role"` // admin or recruiter (default)
}

type recruiterAdded struct {
	recruiting.Recruiter
	Password string `json:"password"` // generated; shown once
}

type recruiterList struct {
	Recruiters []recruiting.Recruiter `json:"recruiters"`
}

// listRecruiters is GET /api/v1/recruiters: the org's accounts.
func (s *Server) listRecruiters(c *gin.Context) {
	list, err := s.recruiting.Recruiters(c.Request.Context(), principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	if list == nil {
		list = []recruiting.Recruiter{}
	}
	s.respond(c, http.StatusOK, recruiterList{list})
}

// addRecruiter is POST /api/v1/recruiters: an admin adds an account to
// their org; its generated password is in the answer, once.
func (s *Server) addRecruiter(c *gin.Context) {
	var req recruiterRequest
	if err := decodeJSON(c, maxSmallBodyBytes, &req); err != nil {
		s.fail(c, err)
		return
	}
	r, password, err := s.recruiting.AddRecruiter(c.Request.Context(), principal(c), req.Email, req.Role)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	s.respond(c, http.StatusCreated, recruiterAdded{Recruiter: *r, Password: password})
}
