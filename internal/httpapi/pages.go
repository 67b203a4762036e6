package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// The web pages (package web) are served from an fs.FS holding pages/*.html
// (rendered with the shared pieces in pages/*.tmpl) and static/… .
// Everything is read once at start-up: the FS is embedded and never
// changes while the process runs.

// Page documents, by route.
const (
	pagePractice  = "pages/practice.html"
	pageInterview = "pages/interview.html"
	pageScorecard = "pages/scorecard.html"

	// The recruiter console (pages/console*.html).
	pageConsole            = "pages/console.html"
	pageConsoleSet         = "pages/console-question-set.html"
	pageConsoleSessions    = "pages/console-sessions.html"
	pageConsoleReview      = "pages/console-scorecard.html"
	pageConsoleCalibration = "pages/console-calibration.html"
)

// pageCSP is the Content-Security-Policy of every page and asset: nothing
// from any other origin, no inline script or style, no plugins, no
// framing. connect-src 'self' covers fetch and the same-host websocket.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// webFile is one file of the pages FS, ready to serve.
type webFile struct {
	body  []byte
	etag  string
	ctype string
}

// webFiles maps a path inside the FS ("static/css/base.css") to its file.
type webFiles map[string]webFile

// loadWebFiles reads every file of fsys.
func loadWebFiles(fsys fs.FS) (webFiles, error) {
	files := webFiles{}
	partials, err := fs.Glob(fsys, pagePartials)
	if err != nil {
		return nil, fmt.Errorf("load web pages: %w", err)
	}
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(name) == ".tmpl" {
			return err
		}
		var b []byte
		if path.Dir(name) == "pages" && path.Ext(name) == ".html" {
			b, err = renderPage(fsys, name, partials)
		} else {
			b, err = fs.ReadFile(fsys, name)
		}
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		files[name] = webFile{body: b, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ctype: contentType(name)}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load web pages: %w", err)
	}
	for _, p := range []string{pagePractice, pageInterview, pageScorecard} {
		if _, ok := files[p]; !ok {
			return nil, fmt.Errorf("load web pages: %s is missing", p)
		}
	}
	return files, nil
}

// pagePartials are the pieces pages share (the head, the headers), as
// html/template definitions; they are not served themselves.
const pagePartials = "pages/*.tmpl"

// renderPage executes the page template name with the partials, once, at
// load: the pages take no data, so what is served is fixed per release.
func renderPage(fsys fs.FS, name string, partials []string) ([]byte, error) {
	t, err := template.ParseFS(fsys, append([]string{name}, partials...)...)
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, path.Base(name), nil); err != nil {
		return nil, fmt.Errorf("page %s: %w", name, err)
	}
	return b.Bytes(), nil
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".json":
		return "application/json; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// serveWebFile writes f with the headers every page and asset gets. Files
// are not fingerprinted (there is no build step), so browsers revalidate
// each time (no-cache) and get a 304 while the ETag holds: a new release
// is picked up at once and an unchanged one costs a round trip, no body.
func serveWebFile(c *gin.Context, f webFile) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	if match := c.GetHeader("If-None-Match"); match != "" && etagMatches(match, f.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, f.ctype, f.body)
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// page serves one HTML document. Routes with a session id check its
// length only; the page itself asks the API, with the session token, for
// everything else.
func (s *Server) page(name string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if id, ok := c.Params.Get("id"); ok && (id == "" || len(id) > maxSessionIDBytes) {
			s.notFound(c)
			return
		}
		f, ok := s.pages[name]
		if !ok {
			s.fail(c, errorf(codeUnavailable, "the web pages could not be loaded; see the server log"))
			return
		}
		serveWebFile(c, f)
	}
}

// staticFile serves GET /static/*path.
func (s *Server) staticFile(c *gin.Context) {
	name := "static" + path.Clean("/"+c.Param("path"))
	f, ok := s.pages[name]
	if !ok {
		s.notFound(c)
		return
	}
	serveWebFile(c, f)
}

// Principle is a Leadership Principle as GET /api/v1/principles lists it.
type Principle struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Catalog is what a practice interview can be started with.
type Catalog struct {
	Principles []Principle `json:"principles"`
	Levels     []string    `json:"levels"`
}

// principles is GET /api/v1/principles: the principles and levels a
// practice interview can be started with.
func (s *Server) principles(c *gin.Context) {
	if len(s.catalog.Principles) == 0 {
		s.fail(c, errorf(codeUnavailable, "the principle catalogue is not configured on this server"))
		return
	}
	c.Header("Cache-Control", "no-cache")
	s.respond(c, http.StatusOK, s.catalog)
}
