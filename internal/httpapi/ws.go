package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/websocket"

	"barraiser/internal/interview"
)

// LiveConfig tunes the live interview websockets. Zero fields take the
// Default values below.
type LiveConfig struct {
	// AnswerBurst and AnswerEvery rate-limit answers per session (across
	// all its connections) with a token bucket: AnswerBurst answers at
	// once, then one more every AnswerEvery.
	AnswerBurst int
	AnswerEvery time.Duration
	// MaxFrameBytes is the largest client frame the server acts on; a
	// larger one gets an error frame "too_large" and the connection lives
	// on. (Frames over 1 MiB close the connection: see hardReadLimit.)
	MaxFrameBytes int
	// PingPeriod is how often the server pings; PongWait how long it
	// waits for any frame or pong before it gives the client up.
	// PingPeriod must be shorter than PongWait (it is halved until it is).
	PingPeriod time.Duration
	PongWait   time.Duration
	// WriteWait bounds every write, and how long a full send buffer may
	// stay full before the client is disconnected as too slow.
	WriteWait time.Duration
	// SendBuffer is how many frames may wait for the write pump.
	SendBuffer int
	// CloseTimeout bounds how long Server.Close waits for live
	// connections to finish their close handshake.
	CloseTimeout time.Duration
	// OnError is told the code of every error frame sent (metrics); nil
	// means nobody listens.
	OnError func(code string)
}

// Defaults of LiveConfig.
const (
	DefaultAnswerBurst   = 3
	DefaultAnswerEvery   = 2 * time.Second
	DefaultMaxFrameBytes = 32 << 10
	DefaultPingPeriod    = 30 * time.Second
	DefaultPongWait      = 60 * time.Second
	DefaultWriteWait     = 10 * time.Second
	DefaultSendBuffer    = 64
	DefaultCloseTimeout  = 5 * time.Second
)

const (
	// hardReadLimit is gorilla's read limit: a frame over it closes the
	// connection (1009). It only guards memory; MaxFrameBytes is the
	// limit clients meet.
	hardReadLimit = 1 << 20
	// closeGrace is how long a server-initiated close waits for the
	// client's close frame before dropping the connection.
	closeGrace = time.Second
	// jobQueue bounds the engine calls waiting for a connection's worker.
	jobQueue = 4
	// maxSessionIDBytes bounds the {id} of a session path.
	maxSessionIDBytes = 64
)

func (c LiveConfig) withDefaults() LiveConfig {
	if c.OnError == nil {
		c.OnError = func(string) {}
	}
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt(&c.AnswerBurst, DefaultAnswerBurst)
	def(&c.AnswerEvery, DefaultAnswerEvery)
	defInt(&c.MaxFrameBytes, DefaultMaxFrameBytes)
	c.MaxFrameBytes = min(c.MaxFrameBytes, hardReadLimit)
	def(&c.PingPeriod, DefaultPingPeriod)
	def(&c.PongWait, DefaultPongWait)
	for c.PingPeriod >= c.PongWait {
		c.PingPeriod /= 2
	}
	def(&c.WriteWait, DefaultWriteWait)
	defInt(&c.SendBuffer, DefaultSendBuffer)
	def(&c.CloseTimeout, DefaultCloseTimeout)
	return c
}

// liveHub owns the live interview connections: the upgrader, the Origin
// policy, the answer rate limits and the registry that Server.Close uses
// to close hijacked connections, which http.Server.Shutdown does not see.
type liveHub struct {
	cfg      LiveConfig
	log      *slog.Logger
	origins  map[string]bool // normalised allowed origins
	upgrader websocket.Upgrader
	now      func() time.Time

	mu      sync.Mutex
	closed  bool
	clients map[*client]struct{}
	limits  map[string]*bucket // session → answer bucket
}

func newLiveHub(cfg LiveConfig, allowedOrigins []string, log *slog.Logger) *liveHub {
	h := &liveHub{
		cfg:     cfg.withDefaults(),
		log:     log,
		origins: map[string]bool{},
		now:     time.Now,
		clients: map[*client]struct{}{},
		limits:  map[string]*bucket{},
	}
	for _, o := range allowedOrigins {
		if strings.TrimSpace(o) == "" {
			continue
		}
		n, ok := normaliseOrigin(strings.TrimSpace(o))
		if !ok {
			log.Warn("ignoring an allowed origin that is not scheme://host[:port]", slog.String("origin", o))
			continue
		}
		h.origins[n] = true
	}
	h.upgrader = websocket.Upgrader{
		HandshakeTimeout: h.cfg.WriteWait,
		// Small buffers: an idle interview holds only its read buffer;
		// write buffers come from the pool while a frame is written.
		ReadBufferSize:  1024,
		WriteBufferSize: 4096,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     h.allowOrigin,
		Error:           handshakeError,
	}
	return h
}

// allowOrigin applies the Origin policy to a request.
func (h *liveHub) allowOrigin(r *http.Request) bool {
	return originAllowed(r.Header.Get("Origin"), r.Host, h.origins)
}

// originAllowed reports whether a page at origin may open the websocket
// on host. No Origin (a client that is not a browser) is allowed; a
// browser page is allowed from the server's own host and from the
// allowed origins (normalised, see normaliseOrigin).
func originAllowed(origin, host string, allowed map[string]bool) bool {
	if origin == "" {
		return true
	}
	o, ok := normaliseOrigin(origin)
	if !ok {
		return false
	}
	if allowed[o] {
		return true
	}
	_, oHost, _ := strings.Cut(o, "://")
	return host != "" && strings.EqualFold(oHost, stripDefaultPort(strings.ToLower(host)))
}

// normaliseOrigin lower-cases scheme://host[:port] and drops the scheme's
// default port. It refuses "null", paths, queries and credentials.
func normaliseOrigin(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSuffix(s, "/"))
	if err != nil || u.Host == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", false
	}
	host := strings.ToLower(u.Host)
	if p := u.Port(); (scheme == "http" && p == "80") || (scheme == "https" && p == "443") {
		host = strings.TrimSuffix(host, ":"+p)
	}
	return scheme + "://" + host, true
}

// stripDefaultPort drops :80 or :443 from a Host header, which browsers
// leave out of Origin.
func stripDefaultPort(host string) string {
	if h, p, err := net.SplitHostPort(host); err == nil && (p == "80" || p == "443") {
		if strings.Contains(h, ":") {
			return "[" + h + "]"
		}
		return h
	}
	return host
}

// handshakeError answers a failed websocket handshake with the JSON error
// body. The handler checks the upgrade, the Origin and the token first, so
// this only sees malformed handshakes.
func handshakeError(w http.ResponseWriter, _ *http.Request, status int, reason error) {
	b, _ := json.Marshal(errorBody{errorDetail{Code: "bad_handshake", Message: reason.Error()}})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// sessionSocket is GET /api/v1/sessions/{id}/ws: the live interview. The
// request is checked (an upgrade, the Origin, the session token) before
// the connection is upgraded, so every refusal is an ordinary JSON error.
func (s *Server) sessionSocket(c *gin.Context) {
	if s.interviews == nil {
		s.fail(c, errInterviewsOff)
		return
	}
	r := c.Request
	if !websocket.IsWebSocketUpgrade(r) {
		c.Header("Upgrade", "websocket")
		s.fail(c, errorf(codeUpgradeRequired, "this is a websocket endpoint; open it with a websocket client"))
		return
	}
	if !s.live.allowOrigin(r) {
		s.fail(c, errorf(codeForbiddenOrigin, "this page's origin may not open the interview; the server allows its own host and ALLOWED_ORIGINS"))
		return
	}
	sess, err := s.authorizeSession(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if s.live.isClosed() {
		s.fail(c, errorf(codeUnavailable, "the server is shutting down; reconnect in a moment"))
		return
	}
	c.Status(http.StatusSwitchingProtocols) // for the request log; gorilla writes the real answer
	reqID := requestIDFrom(r.Context())
	conn, err := s.live.upgrader.Upgrade(c.Writer, r, http.Header{RequestIDHeader: {reqID}})
	if err != nil {
		return // the upgrader has answered
	}
	// The request's context ends when this handler returns; the
	// connection keeps its values (the request ID) but not its end.
	s.live.serve(context.WithoutCancel(r.Context()), conn, s.interviews, sess, reqID)
}

func (h *liveHub) isClosed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
}

// serve starts the connection's pumps and worker and returns.
func (h *liveHub) serve(parent context.Context, conn *websocket.Conn, engine *interview.Engine, sess *interview.Session, reqID string) {
	c := newClient(h, parent, conn, engine, sess, reqID)
	if !h.register(c) {
		deadline := time.Now().Add(h.cfg.WriteWait)
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down"), deadline)
		_ = conn.Close()
		c.cancel()
		return
	}
	c.log.Info("websocket connected", slog.String("status", sess.Status))
	c.jobs <- job{kind: jobHello} // first: the session frame, then Open
	go c.writePump()
	c.wake()
	go c.readPump()
}

func (h *liveHub) register(c *client) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	now := h.now()
	for id, b := range h.limits { // forget idle sessions whose bucket has refilled
		if b.conns == 0 && b.full(now, h.cfg) {
			delete(h.limits, id)
		}
	}
	h.clients[c] = struct{}{}
	b := h.limits[c.session]
	if b == nil {
		b = &bucket{tokens: float64(h.cfg.AnswerBurst), at: now}
		h.limits[c.session] = b
	}
	b.conns++
	return true
}

func (h *liveHub) unregister(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	if b := h.limits[c.session]; b != nil {
		b.conns--
	}
}

// allowAnswer takes one answer from the session's bucket, or says how long
// until one is available.
func (h *liveHub) allowAnswer(session string) (bool, time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	b := h.limits[session]
	if b == nil { // not registered: cannot happen while a connection reads
		return true, 0
	}
	return b.take(h.now(), h.cfg)
}

func (h *liveHub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// close sends every live connection a close frame (1001 going away) and
// waits, up to CloseTimeout, for their pumps to exit. New connections are
// refused from then on.
// sessionGone tells the open connections of a deleted session so, with
// the fatal not_found error frame, and closes them.
func (h *liveHub) sessionGone(id string) {
	h.mu.Lock()
	var cs []*client
	for c := range h.clients {
		if c.session == id {
			cs = append(cs, c)
		}
	}
	h.mu.Unlock()
	for _, c := range cs {
		c.fail(interview.ErrNotFound)
	}
}

func (h *liveHub) close() error {
	h.mu.Lock()
	h.closed = true
	cs := make([]*client, 0, len(h.clients))
	for c := range h.clients {
		cs = append(cs, c)
	}
	h.mu.Unlock()
	if len(cs) == 0 {
		return nil
	}
	h.log.Info("closing live interviews", slog.Int("connections", len(cs)))
	for _, c := range cs {
		c.closeWith(websocket.CloseGoingAway, "server shutting down", "server shutting down", true)
	}
	timer := time.NewTimer(h.cfg.CloseTimeout)
	defer timer.Stop()
	for i, c := range cs {
		select {
		case <-c.done:
		case <-timer.C:
			err := fmt.Errorf("%d live interview connections still open after %s", len(cs)-i, h.cfg.CloseTimeout)
			h.log.Warn("closing live interviews", slog.Any("error", err))
			return err
		}
	}
	return nil
}

// bucket is a token bucket of answers.
type bucket struct {
	tokens float64
	at     time.Time
	conns  int // live connections of the session
}

func (b *bucket) refill(now time.Time, cfg LiveConfig) {
	if now.After(b.at) {
		b.tokens = min(float64(cfg.AnswerBurst), b.tokens+float64(now.Sub(b.at))/float64(cfg.AnswerEvery))
	}
	b.at = now
}

func (b *bucket) full(now time.Time, cfg LiveConfig) bool {
	b.refill(now, cfg)
	return b.tokens >= float64(cfg.AnswerBurst)
}

func (b *bucket) take(now time.Time, cfg LiveConfig) (bool, time.Duration) {
	b.refill(now, cfg)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(cfg.AnswerEvery))
	return false, max(wait, time.Millisecond)
}
