package httpapi

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

// RequestIDHeader carries the request ID in both directions.
const RequestIDHeader = "X-Request-Id"

type requestIDKey struct{}

func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// requestID keeps a well-formed X-Request-Id from the client (so a proxy's
// ID follows the request) or makes one, echoes it in the response and puts
// it in the request context.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(RequestIDHeader)
		if !validRequestID(id) {
			id = rand.Text()
		}
		c.Header(RequestIDHeader, id)
		c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), requestIDKey{}, id))
		c.Next()
	}
}

// validRequestID accepts 1–128 characters from a conservative set, so a
// client cannot inject anything odd into logs or headers.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		b := id[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9',
			b == '-', b == '_', b == '.', b == ':':
		default:
			return false
		}
	}
	return true
}

// logRequests logs one line per request: method, path, route, status, size,
// duration and request ID. Never bodies or query strings, which can hold
// candidate text.
func logRequests(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		level := slog.LevelInfo
		if status >= http.StatusInternalServerError {
			level = slog.LevelError
		}
		ctx := c.Request.Context()
		log.LogAttrs(ctx, level, "request",
			slog.String("method", c.Request.Method),
			slog.String("path", c.Request.URL.Path),
			slog.String("route", c.FullPath()),
			slog.Int("status", status),
			slog.Int("bytes", max(c.Writer.Size(), 0)),
			slog.Duration("duration", time.Since(start)),
			slog.String("request_id", requestIDFrom(ctx)),
		)
	}
}

var errPanic = errors.New("handler panicked")

// recoverPanics turns a panicking handler into a logged 500 with the JSON
// error body. http.ErrAbortHandler is re-raised: it is net/http's way to
// abort a response on purpose.
func (s *Server) recoverPanics() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			s.log.LogAttrs(c.Request.Context(), slog.LevelError, "panic",
				slog.String("request_id", requestIDFrom(c.Request.Context())),
				slog.Any("panic", rec),
				slog.String("stack", string(debug.Stack())))
			c.Abort()
			if !c.Writer.Written() {
				status, body := errorResponse(errPanic)
				s.respond(c, status, body)
			}
		}()
		c.Next()
	}
}

// deadlines bounds reading the request and writing the answer on the
// connection itself. The http.Server has no ReadTimeout or WriteTimeout
// because those deadlines would stay on hijacked (websocket) connections;
// net/http clears these per-request deadlines when the request ends.
// Recorders without deadline support (httptest) are left alone.
func deadlines(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		rc := http.NewResponseController(c.Writer)
		at := time.Now().Add(d)
		_ = rc.SetReadDeadline(at)
		_ = rc.SetWriteDeadline(at)
		c.Next()
	}
}
