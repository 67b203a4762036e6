// Package httpapi is barraiser's HTTP interface: a gin engine, the routes
// listed in routes.go, request/response encoding, and the one mapping from
// errors to HTTP statuses (errors.go).
package httpapi

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"barraiser/internal/interview"
	"barraiser/internal/recruiting"
)

// Check is a named readiness check run by GET /readyz. Func must honour
// its context, which carries the check timeout.
type Check struct {
	Name string
	Func func(context.Context) error
}

// Config holds what the server depends on.
type Config struct {
	// Logger receives one line per request and every internal error.
	// Nil discards logs.
	Logger *slog.Logger
	// Checks are run concurrently by GET /readyz. Names must be unique.
	Checks []Check
	// CheckTimeout bounds each readiness check; zero means
	// DefaultCheckTimeout.
	CheckTimeout time.Duration
	// Interviews runs live interviews; nil makes the session routes
	// answer 503.
	Interviews *interview.Engine
	// AllowedOrigins lists the browser origins (scheme://host[:port])
	// that may open the interview websocket besides the server's own
	// host. Requests without an Origin (non-browser clients) are allowed.
	AllowedOrigins []string
	// Live tunes the interview websockets; zero fields take defaults.
	Live LiveConfig
	// Metrics, when set, is served at GET /metrics.
	Metrics http.Handler
	// Exemplars answers GET /api/v1/exemplars; nil makes that route
	// answer 503.
	Exemplars ExemplarSearcher
	// Recruiting serves the recruiter routes (question sets, invites,
	// the org's sessions, calibration); nil makes them answer 503.
	Recruiting *recruiting.Service
	// Limits rate-limits clients; the zero value limits only logins.
	Limits Limits
	// InsecureCookies drops the Secure attribute of the console's
	// cookies, for a console served over plain HTTP in development.
	InsecureCookies bool
	// Pages, when set, holds the web pages (package web: pages/*.html
	// and static/…), served at /, /interview/{id}, /scorecard/{id} and
	// /static/…. Nil serves no pages.
	Pages fs.FS
	// Catalog lists the principles and levels for GET /api/v1/principles;
	// without principles that route answers 503.
	Catalog Catalog
}

// DefaultCheckTimeout bounds a readiness check when Config.CheckTimeout is
// zero. Probes usually time out after one or two seconds.
const DefaultCheckTimeout = time.Second

// requestTimeout bounds reading and answering one ordinary request; see
// the deadlines middleware.
const requestTimeout = 30 * time.Second

// Server is the HTTP API. It is safe for concurrent use.
type Server struct {
	log          *slog.Logger
	checks       []Check
	checkTimeout time.Duration
	engine       *gin.Engine
	interviews   *interview.Engine
	metrics      http.Handler
	live         *liveHub
	exemplars    ExemplarSearcher
	recruiting   *recruiting.Service
	limits       *limiters

	insecureCookies bool
	pages           webFiles // nil: no pages; empty: they failed to load
	catalog         Catalog
}

// New builds the server and registers every route.
func New(cfg Config) *Server {
	s := &Server{
		log:          cfg.Logger,
		checks:       cfg.Checks,
		checkTimeout: cfg.CheckTimeout,
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.checkTimeout <= 0 {
		s.checkTimeout = DefaultCheckTimeout
	}
	s.interviews = cfg.Interviews
	s.metrics = cfg.Metrics
	s.exemplars = cfg.Exemplars
	s.recruiting = cfg.Recruiting
	s.limits = newLimiters(cfg.Limits)
	s.insecureCookies = cfg.InsecureCookies
	s.live = newLiveHub(cfg.Live, cfg.AllowedOrigins, s.log)
	s.catalog = cfg.Catalog
	if cfg.Pages != nil {
		// The pages are embedded in the binary, so this fails only on a
		// broken build; the page routes then answer 503 and say so.
		pages, err := loadWebFiles(cfg.Pages)
		if err != nil {
			s.log.Error("web pages", slog.Any("error", err))
			pages = webFiles{}
		}
		s.pages = pages
	}

	// gin's mode is process-wide. Its default (debug) prints every route
	// and a warning to stdout; release mode prints nothing. An explicit
	// GIN_MODE=test or release is left alone.
	if gin.Mode() == gin.DebugMode {
		gin.SetMode(gin.ReleaseMode)
	}
	e := gin.New()
	e.HandleMethodNotAllowed = true // 405 with Allow, not 404
	e.RedirectTrailingSlash = false // an API answers 404, not a redirect that skips the middleware
	_ = e.SetTrustedProxies(nil)    // never believe X-Forwarded-For; cannot fail for nil
	e.Use(requestID(), logRequests(s.log), s.recoverPanics(), limitBodies, s.limitIP)
	s.routes(e)
	s.engine = e
	return s
}

// Handler returns the root handler to mount in an http.Server.
func (s *Server) Handler() http.Handler { return s.engine }

// Close releases whatever outlives a single request. http.Server.Shutdown
// does not track hijacked connections, so the caller must run Close when
// shutting down (http.Server.RegisterOnShutdown does that): it sends every
// live interview websocket a close frame (1001 going away), refuses new
// ones and waits, up to LiveConfig.CloseTimeout, for them to end. Close is
// safe to call more than once.
func (s *Server) Close() error { return s.live.close() }

// LiveConnections is the number of open interview websockets.
func (s *Server) LiveConnections() int { return s.live.count() }
