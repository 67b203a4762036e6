package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"barraiser/internal/httpapi"
	"barraiser/web"
)

// TestConsolePages: the recruiter console's pages are served from the embedded FS with the pages' CSP; they
// carry no data (each asks the API, with the console cookie), so they are
// open to anyone, and an over-long id is a 404.
func TestConsolePages(t *testing.T) {
	h := newServer(t, httpapi.Config{Pages: web.FS})
	cases := []struct{ path, want string }{
		{"/console", `src="/static/js/console/console.js"`},
		{"/console/question-sets/new", `src="/static/js/console/question-set.js"`},
		{"/console/question-sets/qs_abc", `src="/static/js/console/question-set.js"`},
		{"/console/sessions", `src="/static/js/console/sessions.js"`},
		{"/console/sessions/abc123", `src="/static/js/console/review.js"`},
		{"/console/calibration", `src="/static/js/console/calibration.js"`},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			r := do(t, h, httptest.NewRequest(http.MethodGet, c.path, nil))
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(string(r.body), c.want) {
				t.Fatalf("GET %s: %d %q, want the page loading %s", c.path, r.status, r.header.Get("Content-Type"), c.want)
			}
			if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("CSP %q", csp)
			}
		})
	}
	for _, path := range []string{"/console/sessions/" + strings.Repeat("a", 65), "/console/nosuch", "/console/question-sets"} {
		if r := do(t, h, httptest.NewRequest(http.MethodGet, path, nil)); r.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.status)
		}
	}
}
