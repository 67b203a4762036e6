package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"barraiser/internal/httpapi"
	"barraiser/web"
)

func pagesFS() fstest.MapFS {
	return fstest.MapFS{
		"pages/practice.html":  {Data: []byte("<!doctype html><title>practice</title>")},
		"pages/interview.html": {Data: []byte("<!doctype html><title>interview</title>")},
		"pages/scorecard.html": {Data: []byte("<!doctype html><title>scorecard</title>")},
		"static/css/base.css":  {Data: []byte("body{}")},
		"static/js/api.js":     {Data: []byte("export {}")},
		"static/img/icon.svg":  {Data: []byte("<svg/>")},
	}
}

func TestPages(t *testing.T) {
	h := newServer(t, httpapi.Config{Pages: pagesFS()})
	long := strings.Repeat("a", 65)
	cases := []struct {
		path, wantType, wantBody string
		wantStatus               int
	}{
		{"/", "text/html; charset=utf-8", "practice", 200},
		{"/interview/abc123", "text/html; charset=utf-8", "interview", 200},
		{"/scorecard/abc123", "text/html; charset=utf-8", "scorecard", 200},
		{"/static/css/base.css", "text/css; charset=utf-8", "body{}", 200},
		{"/static/js/api.js", "text/javascript; charset=utf-8", "export", 200},
		{"/static/img/icon.svg", "image/svg+xml", "<svg/>", 200},
		{"/static/js/missing.js", "application/json; charset=utf-8", "not_found", 404},
		{"/static/../pages/practice.html", "application/json; charset=utf-8", "not_found", 404},
		{"/interview/" + long, "application/json; charset=utf-8", "not_found", 404},
		{"/interview/", "application/json; charset=utf-8", "not_found", 404},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			r := do(t, h, httptest.NewRequest(http.MethodGet, c.path, nil))
			if r.status != c.wantStatus || r.header.Get("Content-Type") != c.wantType || !strings.Contains(string(r.body), c.wantBody) {
				t.Fatalf("GET %s: %d %q %q, want %d %q containing %q", c.path, r.status, r.header.Get("Content-Type"), r.body, c.wantStatus, c.wantType, c.wantBody)
			}
			if r.status != 200 {
				return
			}
			csp := r.header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "connect-src 'self'", "script-src 'self'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "http") || strings.Contains(csp, "*") || strings.Contains(csp, "unsafe") {
				t.Errorf("CSP %q allows another origin or unsafe sources", csp)
			}
			if got := r.header.Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy %q, want no-referrer", got)
			}
			if got := r.header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control %q, want no-cache", got)
			}
			if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("ETag") == "" {
				t.Errorf("headers %v lack nosniff or an ETag", r.header)
			}

			// Revalidation: the same ETag gets a 304 without a body.
			req := httptest.NewRequest(http.MethodGet, c.path, nil)
			req.Header.Set("If-None-Match", `"other", `+r.header.Get("ETag"))
			again := do(t, h, req)
			if again.status != http.StatusNotModified || len(again.body) != 0 {
				t.Errorf("revalidation: %d with %d bytes, want 304 and no body", again.status, len(again.body))
			}
		})
	}
}

func TestPagesOff(t *testing.T) {
	h := newServer(t, httpapi.Config{})
	if r := do(t, h, httptest.NewRequest(http.MethodGet, "/", nil)); r.status != http.StatusNotFound {
		t.Fatalf("GET / without pages: %d, want 404", r.status)
	}
	// A pages FS without its pages (a broken build) says so.
	broken := pagesFS()
	delete(broken, "pages/interview.html")
	h = newServer(t, httpapi.Config{Pages: broken})
	if r := do(t, h, httptest.NewRequest(http.MethodGet, "/interview/x", nil)); r.status != http.StatusServiceUnavailable {
		t.Fatalf("GET /interview/x with a broken pages FS: %d %s, want 503", r.status, r.body)
	}
}

// TestEmbeddedPages serves the real embedded pages.
func TestEmbeddedPages(t *testing.T) {
	h := newServer(t, httpapi.Config{Pages: web.FS})
	for _, path := range []string{"/", "/interview/x", "/scorecard/x", "/static/css/base.css", "/static/js/live.js"} {
		if r := do(t, h, httptest.NewRequest(http.MethodGet, path, nil)); r.status != http.StatusOK {
			t.Errorf("GET %s: %d", path, r.status)
		}
	}
}

func TestPrinciples(t *testing.T) {
	cat := httpapi.Catalog{
		Principles: []httpapi.Principle{{Name: "Ownership", Description: "Acts on behalf of the whole company."}},
		Levels:     []string{"L4", "L5"},
	}
	r := do(t, newServer(t, httpapi.Config{Catalog: cat}), httptest.NewRequest(http.MethodGet, "/api/v1/principles", nil))
	var got httpapi.Catalog
	if r.status != http.StatusOK || json.Unmarshal(r.body, &got) != nil || len(got.Principles) != 1 || got.Principles[0].Name != "Ownership" || len(got.Levels) != 2 {
		t.Fatalf("GET /api/v1/principles: %d %s", r.status, r.body)
	}
	r = do(t, newServer(t, httpapi.Config{}), httptest.NewRequest(http.MethodGet, "/api/v1/principles", nil))
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("GET /api/v1/principles without a catalogue: %d, want 503", r.status)
	}
}
