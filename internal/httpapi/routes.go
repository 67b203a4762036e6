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
		// The recruiter console. Each page asks /api/v1/org whether the
		// browser is logged in (the session cookie) and shows the login
		// form, or sends the reader to it, when it is not.
		r.GET("/console", s.page(pageConsole))
		r.GET("/console/question-sets/new", s.page(pageConsoleSet))
		r.GET("/console/question-sets/:id", s.page(pageConsoleSet))
		r.GET("/console/sessions", s.page(pageConsoleSessions))
		r.GET("/console/sessions/:id", s.page(pageConsoleReview))
		r.GET("/console/calibration", s.page(pageConsoleCalibration))
		r.GET("/static/*path", s.staticFile)
	}

	r.POST("/api/v1/score", s.score)
	r.GET("/api/v1/principles", s.principles)
	r.GET("/api/v1/exemplars", s.searchExemplars)

	r.GET("/api/v1/openapi.json", s.openAPI)

	// Open to anyone: practice interviews on the default question bank
	// (a question_set_id needs recruiter credentials), and a candidate
	// redeeming an invite.
	r.POST("/api/v1/sessions", s.createSession)
	r.POST("/api/v1/invites/redeem", s.redeemInvite)
	// The session token, or a recruiter of the session's org.
	r.GET("/api/v1/sessions/:id/scorecard", s.sessionScorecard)
	r.DELETE("/api/v1/sessions/:id", s.deleteSession)

	r.POST("/api/v1/auth/login", s.login)
	// Recruiters only, scoped to their org: a bearer API token, or the
	// console session cookie with the CSRF header on unsafe methods.
	rec := r.Group("", s.requireRecruiter)
	rec.POST("/api/v1/auth/logout", s.logout)
	rec.GET("/api/v1/org", s.getOrg)
	rec.PUT("/api/v1/org/retention", s.putRetention)
	rec.GET("/api/v1/recruiters", s.listRecruiters)
	rec.POST("/api/v1/recruiters", s.addRecruiter)
	rec.GET("/api/v1/question-sets", s.listQuestionSets)
	rec.POST("/api/v1/question-sets", s.createQuestionSet)
	rec.GET("/api/v1/question-sets/:id", s.getQuestionSet)
	rec.PUT("/api/v1/question-sets/:id", s.updateQuestionSet)
	rec.DELETE("/api/v1/question-sets/:id", s.deleteQuestionSet)
	rec.GET("/api/v1/question-sets/:id/versions/:version", s.getQuestionSet)
	rec.GET("/api/v1/invites", s.listInvites)
	rec.POST("/api/v1/invites", s.createInvite)
	rec.DELETE("/api/v1/invites/:id", s.revokeInvite)
	rec.GET("/api/v1/sessions", s.listSessions)
	rec.GET("/api/v1/sessions/:id/vote", s.getVote)
	rec.PUT("/api/v1/sessions/:id/vote", s.putVote)
	rec.GET("/api/v1/calibration", s.calibration)
	// The live interview: upgraded to a websocket that keeps its own
	// read and write deadlines, so it is outside the deadline group.
	e.GET("/api/v1/sessions/:id/ws", s.sessionSocket)
}
