package openai

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
)

// ErrUnavailable is returned at once, without calling the endpoint, while
// the circuit breaker is open: the endpoint failed BreakerThreshold turns in
// a row and its cooldown has not passed (or a half-open trial is already in
// flight). The engine's scripted fallback takes the turn.
var ErrUnavailable = errors.New("chat endpoint unavailable (circuit open)")

// errIdle is the cause of an attempt cancelled because no chunk arrived
// within IdleTimeout.
var errIdle = errors.New("chat stream idle")

// Failure reasons passed to Observer.Failure: a small fixed set, fit for a
// metric label.
const (
	ReasonUnavailable = "unavailable"  // the breaker is open
	ReasonCanceled    = "canceled"     // the caller went away
	ReasonTimeout     = "timeout"      // RequestTimeout passed
	ReasonIdle        = "idle"         // no chunk within IdleTimeout
	ReasonRateLimited = "rate_limited" // 429
	ReasonServer      = "server"       // 5xx, 408, 409
	ReasonClient      = "client"       // other 4xx (bad key, bad model, bad request)
	ReasonNetwork     = "network"      // connection refused, reset, broken stream
	ReasonStream      = "stream"       // an error event inside a stream that had started
	ReasonRejected    = "rejected"     // the output guard rejected the reply, or it was cut off or filtered
	ReasonPrompt      = "prompt"       // the prompt could not be rendered or the request was refused locally
)

// Observer receives the interviewer's counters and timings, e.g. to back
// Prometheus metrics. Calls come from the goroutine that runs Speak, from many
// sessions at once, so implementations must be safe for concurrent use.
type Observer interface {
	Retry()                     // an attempt failed before any token and is retried
	Failure(reason string)      // a turn failed (once per failed turn); reason is a Reason… constant
	FirstToken(d time.Duration) // the first checked token of a turn was released, d after Speak began
	Done(d time.Duration)       // a turn succeeded, d after Speak began
}

type nopChatObserver struct{}

func (nopChatObserver) Retry()                   {}
func (nopChatObserver) Failure(string)           {}
func (nopChatObserver) FirstToken(time.Duration) {}
func (nopChatObserver) Done(time.Duration)       {}

// chatFailure is a failed attempt, classified.
type chatFailure struct {
	reason     string
	retryable  bool
	retryAfter time.Duration // the server's Retry-After, if it sent one
	err        error
}

func (f *chatFailure) Error() string { return f.err.Error() }
func (f *chatFailure) Unwrap() error { return f.err }

// countsAgainstEndpoint reports whether the failure is the endpoint's
// (it counts towards opening the breaker). A caller that went away, a
// reply the guard rejected (the endpoint did answer) and a request refused
// before it was sent do not.
func (f *chatFailure) countsAgainstEndpoint() bool {
	switch f.reason {
	case ReasonCanceled, ReasonRejected, ReasonPrompt:
		return false
	}
	return true
}

// chatAttempt records, for one attempt, what the HTTP layer saw: go-openai
// surfaces neither response headers nor whether a request was sent when
// it returns an error, so the client's HTTPDoer is wrapped to note them.
type chatAttempt struct {
	sent       bool
	status     int
	retryAfter time.Duration
}

type chatAttemptKey struct{}

// chatDoer wraps the HTTP client and records each response's status
// and Retry-After into the chatAttempt carried by the request context. Do
// runs on the goroutine that called CreateChatCompletionStream, so no
// locking is needed.
type chatDoer struct {
	client *http.Client
	now    func() time.Time
}

func (d chatDoer) Do(req *http.Request) (*http.Response, error) {
	info, _ := req.Context().Value(chatAttemptKey{}).(*chatAttempt)
	if info != nil {
		info.sent = true
	}
	resp, err := d.client.Do(req)
	if err == nil && info != nil {
		info.status = resp.StatusCode
		info.retryAfter = parseRetryAfter(resp.Header, d.now())
	}
	return resp, err
}

// parseRetryAfter reads how long the server asked us to wait: OpenAI's
// retry-after-ms first, then Retry-After as seconds or an HTTP date. It
// returns 0 when there is no usable value.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 && ms < 1e9 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 || s > 1e6 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// classifyChatError turns an attempt's error into a chatFailure. caller is the
// context Speak was given, turn the one bounded by RequestTimeout, attempt
// the one the idle timer cancels.
func classifyChatError(err error, caller, turn, attempt context.Context, info *chatAttempt) *chatFailure {
	var f *chatFailure
	if errors.As(err, &f) {
		return f
	}
	f = &chatFailure{err: err, retryAfter: info.retryAfter}
	switch {
	case caller.Err() != nil:
		f.reason, f.err = ReasonCanceled, context.Cause(caller)
	case errors.Is(context.Cause(attempt), errIdle):
		f.reason, f.retryable, f.err = ReasonIdle, true, errIdle
	case turn.Err() != nil:
		f.reason, f.err = ReasonTimeout, context.DeadlineExceeded
	case errors.Is(err, ErrRejected):
		f.reason = ReasonRejected
	default:
		status := chatHTTPStatus(err)
		if status == 0 && info.status >= 400 {
			status = info.status
		}
		switch {
		case status == http.StatusTooManyRequests:
			f.reason, f.retryable = ReasonRateLimited, true
		case status >= 500, status == http.StatusRequestTimeout, status == http.StatusConflict:
			f.reason, f.retryable = ReasonServer, true
		case status >= 400:
			f.reason = ReasonClient
		case isChatStreamError(err):
			f.reason = ReasonStream
		case !info.sent:
			// go-openai refused the request before sending it (an
			// unsupported model or parameter): retrying cannot help.
			f.reason = ReasonPrompt
		default:
			f.reason, f.retryable = ReasonNetwork, true
		}
	}
	return f
}

// chatHTTPStatus is the HTTP status carried by a go-openai error, or 0.
func chatHTTPStatus(err error) int {
	var apiErr *goopenai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	var reqErr *goopenai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode
	}
	return 0
}

// isChatStreamError reports an error event inside a stream that had started
// (go-openai reports it as an APIError without a status).
func isChatStreamError(err error) bool {
	var apiErr *goopenai.APIError
	return errors.As(err, &apiErr) && apiErr.HTTPStatusCode == 0
}

// chatBackoff returns the wait before retry number attempt+1: exponential from
// base with jitter (half fixed, half random), at least the server's
// Retry-After, and at most ceiling.
func chatBackoff(attempt int, base, ceiling, serverAsked time.Duration) time.Duration {
	d := base
	for i := 0; i < attempt && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	if half := d / 2; half > 0 {
		d = half + rand.N(half+1)
	}
	d = max(d, serverAsked)
	return min(d, ceiling)
}

// Breaker states.
const (
	breakerClosed   = "closed"
	breakerOpen     = "open"
	breakerHalfOpen = "half-open"
)

// chatBreaker is a consecutive-failure circuit breaker: closed until threshold
// turns in a row fail against the endpoint, then open (every turn fails
// fast) for cooldown, then half-open: one trial turn goes through; its
// success closes the breaker, its failure opens it for another cooldown.
type chatBreaker struct {
	threshold int
	cooldown  time.Duration
	now       func() time.Time
	onChange  func(from, to string)

	mu       sync.Mutex
	state    string
	failures int
	openedAt time.Time
	trial    bool // the half-open trial is in flight
}

func newChatBreaker(threshold int, cooldown time.Duration, now func() time.Time, onChange func(from, to string)) *chatBreaker {
	return &chatBreaker{threshold: threshold, cooldown: cooldown, now: now, onChange: onChange, state: breakerClosed}
}

// allow reports whether a turn may call the endpoint. Every allowed turn
// must end with exactly one of success, failure or abandon.
func (b *chatBreaker) allow() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case breakerOpen:
		if b.now().Sub(b.openedAt) < b.cooldown {
			return ErrUnavailable
		}
		b.set(breakerHalfOpen)
		b.trial = true
		return nil
	case breakerHalfOpen:
		if b.trial {
			return ErrUnavailable
		}
		b.trial = true
		return nil
	}
	return nil
}

// success records a turn the endpoint answered.
func (b *chatBreaker) success() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures, b.trial = 0, false
	b.set(breakerClosed)
}

// failure records a turn that failed against the endpoint.
func (b *chatBreaker) failure() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures++
	if b.state == breakerHalfOpen || b.failures >= b.threshold {
		b.trial = false
		b.openedAt = b.now()
		b.set(breakerOpen)
	}
}

// abandon records a turn that says nothing about the endpoint (the caller
// went away): a half-open trial slot is freed for the next turn.
func (b *chatBreaker) abandon() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trial = false
}

// State returns the breaker's state, for tests and health reports.
func (b *chatBreaker) State() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}

func (b *chatBreaker) set(state string) {
	if b.state == state {
		return
	}
	from := b.state
	b.state = state
	if b.onChange != nil {
		b.onChange(from, state)
	}
}
