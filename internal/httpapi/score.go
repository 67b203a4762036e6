package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"barraiser/internal/rubric"
)

// score answers a transcript with its scorecard.
func (s *Server) score(c *gin.Context) {
	if err := requireJSON(c.Request); err != nil {
		s.fail(c, err)
		return
	}
	body, err := readBody(c.Writer, c.Request, rubric.MaxTranscriptBytes)
	if err != nil {
		s.fail(c, err)
		return
	}
	t, err := rubric.ParseTranscript(body)
	if err != nil {
		s.fail(c, err)
		return
	}
	card, err := rubric.Score(t)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respond(c, http.StatusOK, card)
}

// requireJSON accepts a request without a Content-Type, or with a JSON one
// (application/json or any application/*+json) in UTF-8.
func requireJSON(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !(mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return errorf(codeUnsupportedMediaType, "Content-Type %q is not supported; send application/json", ct)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return errorf(codeUnsupportedMediaType, "charset %q is not supported; send UTF-8", cs)
	}
	return nil
}

// readBody reads the whole request body, refusing more than limit bytes
// with rubric's too_large error.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	tooLarge := &rubric.InputError{
		Code:    rubric.CodeTooLarge,
		Message: fmt.Sprintf("request body is larger than the limit of %d bytes", limit),
	}
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, tooLarge
		}
		return nil, errorf(codeUnreadableBody, "could not read the request body: %v", err)
	}
	return body, nil
}
