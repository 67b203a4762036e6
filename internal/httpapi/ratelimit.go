package httpapi

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// Limits bounds how fast clients may call the API. A zero rate turns that
// limit off; login throttling is always on.
type Limits struct {
	// PerIP is requests per second from one client address, with bursts
	// of IPBurst (default: twice the rate, at least 1).
	PerIP   float64
	IPBurst int
	// PerToken is requests per second with one recruiter API token, with
	// bursts of TokenBurst.
	PerToken   float64
	TokenBurst int
	// LoginBurst login attempts are allowed at once per address (and
	// four times as many per client), then one every LoginEvery; zero
	// values take the defaults (5, 20s).
	LoginBurst int
	LoginEvery time.Duration
}

// Login throttling: a few attempts at once per address and per client,
// then one every loginEvery.
const (
	loginBurst = 5
	loginEvery = 20 * time.Second
	// maxLimiterKeys bounds each limiter table; idle entries are dropped
	// beyond it.
	maxLimiterKeys = 10000
	limiterIdle    = 10 * time.Minute
)

var errRateLimited = errorf(codeRateLimited, "too many requests; retry after the time in Retry-After")

// limiters holds the rate limiters of a server.
type limiters struct {
	ip, token, loginEmail, loginIP *limiterTable
}

func newLimiters(l Limits) *limiters {
	burst := func(b int, r float64) int {
		if b > 0 {
			return b
		}
		return max(1, int(math.Ceil(2*r)))
	}
	lb, le := loginBurst, loginEvery
	if l.LoginBurst > 0 {
		lb = l.LoginBurst
	}
	if l.LoginEvery > 0 {
		le = l.LoginEvery
	}
	out := &limiters{
		loginEmail: newLimiterTable(rate.Every(le), lb),
		loginIP:    newLimiterTable(rate.Every(le/4), 4*lb),
	}
	if l.PerIP > 0 {
		out.ip = newLimiterTable(rate.Limit(l.PerIP), burst(l.IPBurst, l.PerIP))
	}
	if l.PerToken > 0 {
		out.token = newLimiterTable(rate.Limit(l.PerToken), burst(l.TokenBurst, l.PerToken))
	}
	return out
}

type limiterEntry struct {
	lim  *rate.Limiter
	seen time.Time
}

// limiterTable keeps one token bucket per key.
type limiterTable struct {
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	maxKeys int
	m       map[string]*limiterEntry
}

func newLimiterTable(limit rate.Limit, burst int) *limiterTable {
	return &limiterTable{limit: limit, burst: burst, maxKeys: maxLimiterKeys, m: map[string]*limiterEntry{}}
}

// take takes one token for key and returns how long to wait when there is
// none (0: allowed).
func (t *limiterTable) take(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.m[key]
	if e == nil {
		if len(t.m) >= t.maxKeys {
			for k, old := range t.m {
				if now.Sub(old.seen) > limiterIdle {
					delete(t.m, k)
				}
			}
			// Still full (a flood of fresh addresses): forget arbitrary
			// ones, which only ever gives a client a fresh budget.
			for k := range t.m {
				if len(t.m) < t.maxKeys {
					break
				}
				delete(t.m, k)
			}
		}
		e = &limiterEntry{lim: rate.NewLimiter(t.limit, t.burst)}
		t.m[key] = e
	}
	e.seen = now
	r := e.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}

// retryAfter sets Retry-After to d rounded up to whole seconds.
func retryAfter(c *gin.Context, d time.Duration) {
	c.Header("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
}

// limitIP is the middleware limiting each client address.
func (s *Server) limitIP(c *gin.Context) {
	if s.limits.ip != nil {
		if d := s.limits.ip.take(c.ClientIP(), time.Now()); d > 0 {
			retryAfter(c, d)
			s.fail(c, errRateLimited)
			return
		}
	}
	c.Next()
}

// allowToken takes a request from an API token's budget, setting
// Retry-After when there is none.
func (l *limiters) allowToken(c *gin.Context, key string) bool {
	if l.token == nil {
		return true
	}
	if d := l.token.take(key, time.Now()); d > 0 {
		retryAfter(c, d)
		return false
	}
	return true
}

// allowLogin takes a login attempt from the address's and the client's
// budgets.
func (l *limiters) allowLogin(c *gin.Context, email string) bool {
	now := time.Now()
	d := l.loginIP.take(c.ClientIP(), now)
	if d == 0 {
		d = l.loginEmail.take(email, now)
	}
	if d > 0 {
		retryAfter(c, d)
		return false
	}
	return true
}

// maxBodyBytes bounds every request body; routes read less with their own
// limits.
const maxBodyBytes = 1 << 20

// limitBodies caps every request body at maxBodyBytes (the transcript
// limit, the largest any route accepts).
func limitBodies(c *gin.Context) {
	if c.Request.Body != nil && c.Request.Body != http.NoBody {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes+1)
	}
	c.Next()
}
