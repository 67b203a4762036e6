package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

type healthResponse struct {
	Status string `json:"status"`
}

// healthz answers 200 while the process is up.
func (s *Server) healthz(c *gin.Context) {
	s.respond(c, http.StatusOK, healthResponse{Status: "ok"})
}

type readyResponse struct {
	Status string            `json:"status"` // "ready" or "not_ready"
	Checks map[string]string `json:"checks"` // name → "ok" or the failure
}

// readyz runs every readiness check concurrently, each under the check
// timeout, and answers 503 if any fails. A check that ignores its context
// is reported as timed out rather than holding the probe.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.checkTimeout)
	defer cancel()

	type result struct {
		i   int
		err error
	}
	results := make(chan result, len(s.checks)) // buffered: stragglers never block
	for i, chk := range s.checks {
		go func() { results <- result{i, runCheck(ctx, chk)} }()
	}

	// A check that has not answered by the deadline, or that gave up
	// because of it, timed out; both read the same.
	timedOut := fmt.Errorf("timed out after %s", s.checkTimeout)
	errs := make([]error, len(s.checks))
	for i := range errs {
		errs[i] = timedOut
	}
collect:
	for range s.checks {
		select {
		case r := <-results:
			errs[r.i] = r.err
			if errors.Is(r.err, context.DeadlineExceeded) {
				errs[r.i] = timedOut
			}
		case <-ctx.Done():
			break collect
		}
	}

	resp := readyResponse{Status: "ready", Checks: make(map[string]string, len(s.checks))}
	status := http.StatusOK
	for i, chk := range s.checks {
		resp.Checks[chk.Name] = "ok"
		if errs[i] != nil {
			resp.Checks[chk.Name] = errs[i].Error()
			resp.Status = "not_ready"
			status = http.StatusServiceUnavailable
		}
	}
	s.respond(c, status, resp)
}

// runCheck runs one check, turning a panic into a failure: checks run on
// their own goroutines, out of reach of the recovery middleware.
func runCheck(ctx context.Context, chk Check) (err error) {
	defer func() {
		if rec := recover(); rec != nil {
			err = fmt.Errorf("check panicked: %v", rec)
		}
	}()
	return chk.Func(ctx)
}
