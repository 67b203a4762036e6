package httpapi

import "github.com/gin-gonic/gin"

// routes registers every route the API serves. Keep this the only place
// that does.
func (s *Server) routes(e *gin.Engine) {
	e.NoRoute(deadlines(requestTimeout), s.notFound)
	e.NoMethod(deadlines(requestTimeout), s.methodNotAllowed)

	// Every route in this group reads its request and writes its answer
	// within requestTimeout. Routes that stream or upgrade the connection
	// (the interview websocket) belong outside it and set their own
	// deadlines.
	r := e.Group("", deadlines(requestTimeout))

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	if s.metrics != nil {
		r.GET("/metrics", gin.WrapH(s.metrics))
	}

	// The candidate's pages (package web); the HTML routes stay outside
	// /api/. Each page asks the API below for its data.
	if s.pages != nil {
		r.GET("/", s.page(pagePractice))
		r.GET("/interview/:id", s.page(pageInterview))
		r.GET("/scorecard/:id", s.page(pageScorecard))
		r.GET("/static/*path", s.staticFile)
	}

	r.POST("/api/v1/score", s.score)
	r.GET("/api/v1/principles", s.principles)
	r.GET("/api/v1/exemplars", s.searchExemplars)

	r.POST("/api/v1/sessions", s.createSession)
	r.GET("/api/v1/sessions/:id/scorecard", s.sessionScorecard)
	// The live interview: upgraded to a websocket that keeps its own
	// read and write deadlines, so it is outside the deadline group.
	e.GET("/api/v1/sessions/:id/ws", s.sessionSocket)
}
