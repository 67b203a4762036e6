package httpapi

import "github.com/gin-gonic/gin"

// Routes lists the routes a server registered, for the test that holds
// openapi.json to routes.go.
func Routes(s *Server) gin.RoutesInfo { return s.engine.Routes() }
