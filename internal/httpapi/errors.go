package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"barraiser/internal/interview"
	"barraiser/internal/recruiting"
	"barraiser/internal/retrieval"
	"barraiser/internal/rubric"
)

// apiError is a failure of the HTTP layer itself (routing, content type,
// reading the body). Domain packages report their own errors; errorResponse
// maps both kinds to a status.
type apiError struct {
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Message }

func errorf(code, format string, args ...any) error {
	return &apiError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error codes of the HTTP layer. Transcript problems use rubric's codes.
const (
	codeNotFound             = "not_found"
	codeMethodNotAllowed     = "method_not_allowed"
	codeUnsupportedMediaType = "unsupported_media_type"
	codeUnreadableBody       = "unreadable_body"
	codeInternal             = "internal"
)

// Error codes of the interview session routes.
const (
	codeInvalidRequest  = "invalid_request"  // a field of the request is wrong; the message names it
	codeUnauthorized    = "unauthorized"     // no session token
	codeForbiddenOrigin = "forbidden_origin" // a browser page on an origin that is not allowed
	codeNotFinished     = "not_finished"     // the scorecard of an interview still running
	codeFinished        = "finished"         // acting on an interview that has finished
	codeBusy            = "busy"             // the interviewer is still answering
	codeUpgradeRequired = "upgrade_required" // a plain request to the websocket endpoint
	codeUnavailable     = "unavailable"      // live interviews not configured, or shutting down
)

// Error codes of the exemplar search.
const (
	codeInvalidQuery = "invalid_query" // a search parameter is wrong; the message names it
)

// apiErrorStatus is the status of each apiError code.
var apiErrorStatus = map[string]int{
	codeNotFound:             http.StatusNotFound,
	codeMethodNotAllowed:     http.StatusMethodNotAllowed,
	codeUnsupportedMediaType: http.StatusUnsupportedMediaType,
	codeUnreadableBody:       http.StatusBadRequest,
	codeInvalidRequest:       http.StatusBadRequest,
	codeUnauthorized:         http.StatusUnauthorized,
	codeForbiddenOrigin:      http.StatusForbidden,
	codeNotFinished:          http.StatusConflict,
	codeUpgradeRequired:      http.StatusUpgradeRequired,
	codeUnavailable:          http.StatusServiceUnavailable,
	codeInvalidQuery:         http.StatusBadRequest,
	codeForbidden:            http.StatusForbidden,
	codeCSRF:                 http.StatusForbidden,
	codeConflict:             http.StatusConflict,
	codeInviteExpired:        http.StatusGone,
	codeInviteUsed:           http.StatusConflict,
	codeRateLimited:          http.StatusTooManyRequests,
}

// errorBody is the JSON shape of every error answer:
// {"error":{"code":"...","message":"..."}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Field names the request field a validation error is about.
	Field string `json:"field,omitempty"`
}

// errorResponse is the one place that maps an error to a status and a body.
// Anything it does not recognise is an internal error whose details stay in
// the log.
func errorResponse(err error) (int, errorBody) {
	var in *rubric.InputError
	var ae *apiError
	var qe *retrieval.QueryError
	var fe *recruiting.FieldError
	switch {
	case errors.As(err, &fe):
		return http.StatusBadRequest, errorBody{errorDetail{Code: codeInvalidRequest, Message: fe.Error(), Field: fe.Field}}
	case errors.Is(err, recruiting.ErrInvalid):
		return http.StatusBadRequest, errorBody{errorDetail{Code: codeInvalidRequest, Message: "invalid request"}}
	case errors.Is(err, recruiting.ErrUnauthenticated):
		return http.StatusUnauthorized, errorBody{errorDetail{Code: codeUnauthorized, Message: "the credentials are missing, wrong, expired or revoked"}}
	case errors.Is(err, recruiting.ErrForbidden):
		return http.StatusForbidden, errorBody{errorDetail{Code: codeForbidden, Message: "not allowed"}}
	case errors.Is(err, recruiting.ErrNotFound):
		return http.StatusNotFound, errorBody{errorDetail{Code: codeNotFound, Message: "not found"}}
	case errors.Is(err, recruiting.ErrInviteExpired):
		return http.StatusGone, errorBody{errorDetail{Code: codeInviteExpired, Message: "the invite has expired; ask the recruiter for a new link"}}
	case errors.Is(err, recruiting.ErrInviteUsed):
		return http.StatusConflict, errorBody{errorDetail{Code: codeInviteUsed, Message: "the invite has already been used"}}
	case errors.Is(err, recruiting.ErrConflict):
		return http.StatusConflict, errorBody{errorDetail{Code: codeConflict, Message: conflictMessage(err)}}
	case errors.As(err, &in):
		status := http.StatusBadRequest
		if in.Code == rubric.CodeTooLarge {
			status = http.StatusRequestEntityTooLarge
		}
		return status, errorBody{errorDetail{Code: in.Code, Message: in.Message}}
	case errors.As(err, &ae):
		if status, ok := apiErrorStatus[ae.Code]; ok {
			return status, errorBody{errorDetail{Code: ae.Code, Message: ae.Message}}
		}
	case errors.As(err, &qe):
		return http.StatusBadRequest, errorBody{errorDetail{Code: codeInvalidQuery, Message: queryParam(qe.Param) + " " + qe.Reason}}
	case errors.Is(err, retrieval.ErrInvalidQuery):
		return http.StatusBadRequest, errorBody{errorDetail{Code: codeInvalidQuery, Message: "invalid search query"}}
	case errors.Is(err, interview.ErrInvalidInput):
		return http.StatusBadRequest, errorBody{errorDetail{Code: codeInvalidRequest, Message: domainMessage(err)}}
	case errors.Is(err, interview.ErrNotFound):
		return http.StatusNotFound, errorBody{errorDetail{Code: codeNotFound, Message: "not found"}}
	case errors.Is(err, interview.ErrFinished):
		return http.StatusConflict, errorBody{errorDetail{Code: codeFinished, Message: "the interview has finished"}}
	case errors.Is(err, interview.ErrBusy):
		return http.StatusConflict, errorBody{errorDetail{Code: codeBusy, Message: "the interviewer is still answering"}}
	}
	return http.StatusInternalServerError, errorBody{errorDetail{Code: codeInternal, Message: "internal server error"}}
}

// fail answers the request with err, logging it if it is the server's
// fault, and stops the handler chain.
func (s *Server) fail(c *gin.Context, err error) {
	status, body := errorResponse(err)
	if status >= http.StatusInternalServerError {
		s.log.LogAttrs(c.Request.Context(), slog.LevelError, "request failed",
			slog.String("request_id", requestIDFrom(c.Request.Context())),
			slog.Any("error", err))
	}
	c.Abort()
	s.respond(c, status, body)
}

// respond writes v as JSON. It encodes before writing anything, so an
// encoding failure still becomes a proper 500.
func (s *Server) respond(c *gin.Context, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.log.LogAttrs(c.Request.Context(), slog.LevelError, "encode response",
			slog.String("request_id", requestIDFrom(c.Request.Context())),
			slog.Any("error", err))
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{errorDetail{Code: codeInternal, Message: "internal server error"}})
	}
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	c.Data(status, "application/json; charset=utf-8", b)
}

func (s *Server) notFound(c *gin.Context) {
	s.fail(c, errorf(codeNotFound, "no route for %s %s", c.Request.Method, c.Request.URL.Path))
}

func (s *Server) methodNotAllowed(c *gin.Context) {
	s.fail(c, errorf(codeMethodNotAllowed, "%s is not allowed on %s; allowed: %s",
		c.Request.Method, c.Request.URL.Path, c.Writer.Header().Get("Allow")))
}

// conflictMessage is what follows the last "conflict: " of a domain
// conflict, the part written for the caller.
func conflictMessage(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, recruiting.ErrConflict.Error()+": "); i >= 0 {
		return msg[i+len(recruiting.ErrConflict.Error())+2:]
	}
	return "the request conflicts with the current state"
}
