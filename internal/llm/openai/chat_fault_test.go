package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none", nil, 0},
		{"seconds", map[string]string{"Retry-After": "1"}, time.Second},
		{"fractional seconds", map[string]string{"Retry-After": "0.5"}, 500 * time.Millisecond},
		{"HTTP date", map[string]string{"Retry-After": now.Add(3 * time.Second).Format(http.TimeFormat)}, 3 * time.Second},
		{"date in the past", map[string]string{"Retry-After": now.Add(-time.Minute).Format(http.TimeFormat)}, 0},
		{"garbage", map[string]string{"Retry-After": "soon"}, 0},
		{"negative", map[string]string{"Retry-After": "-4"}, 0},
		{"milliseconds first", map[string]string{"Retry-After": "2", "Retry-After-Ms": "250"}, 250 * time.Millisecond},
		{"bad milliseconds fall back", map[string]string{"Retry-After": "2", "Retry-After-Ms": "x"}, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := parseRetryAfter(h, now); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChatBackoff(t *testing.T) {
	base, ceiling := 300*time.Millisecond, 5*time.Second
	for attempt := range 8 {
		full := min(base<<attempt, ceiling)
		for range 200 {
			d := chatBackoff(attempt, base, ceiling, 0)
			if d < full/2 || d > full {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, full/2, full)
			}
		}
	}
	if d := chatBackoff(0, base, ceiling, 2*time.Second); d != 2*time.Second {
		t.Errorf("Retry-After 2s gave %v", d)
	}
	if d := chatBackoff(0, base, ceiling, time.Minute); d != ceiling {
		t.Errorf("Retry-After 1m gave %v, want the ceiling", d)
	}
}

func TestClassifyChatError(t *testing.T) {
	bg := context.Background()
	canceled, cancel := context.WithCancel(bg)
	cancel()
	idle, cancelIdle := context.WithCancelCause(bg)
	cancelIdle(errIdle)
	expired, cancelExpired := context.WithTimeout(bg, -time.Second)
	defer cancelExpired()
	sent := &chatAttempt{sent: true}
	tests := []struct {
		name                  string
		err                   error
		caller, turn, attempt context.Context
		info                  *chatAttempt
		reason                string
		retryable             bool
	}{
		{"429", &goopenai.APIError{HTTPStatusCode: 429}, bg, bg, bg, sent, ReasonRateLimited, true},
		{"500", &goopenai.APIError{HTTPStatusCode: 500}, bg, bg, bg, sent, ReasonServer, true},
		{"503 request error", &goopenai.RequestError{HTTPStatusCode: 503}, bg, bg, bg, sent, ReasonServer, true},
		{"408", &goopenai.APIError{HTTPStatusCode: 408}, bg, bg, bg, sent, ReasonServer, true},
		{"409", &goopenai.APIError{HTTPStatusCode: 409}, bg, bg, bg, sent, ReasonServer, true},
		{"401", &goopenai.APIError{HTTPStatusCode: 401}, bg, bg, bg, sent, ReasonClient, false},
		{"422", &goopenai.RequestError{HTTPStatusCode: 422}, bg, bg, bg, sent, ReasonClient, false},
		{"status only from the response", errors.New("odd"), bg, bg, bg, &chatAttempt{sent: true, status: 502}, ReasonServer, true},
		{"error event in the stream", fmt.Errorf("error, %w", &goopenai.APIError{Message: "overloaded"}), bg, bg, bg, sent, ReasonStream, false},
		{"refused before sending", goopenai.ErrReasoningModelMaxTokensDeprecated, bg, bg, bg, &chatAttempt{}, ReasonPrompt, false},
		{"connection reset", io.ErrUnexpectedEOF, bg, bg, bg, sent, ReasonNetwork, true},
		{"caller gone", context.Canceled, canceled, canceled, canceled, sent, ReasonCanceled, false},
		{"idle", context.Canceled, bg, bg, idle, sent, ReasonIdle, true},
		{"turn deadline", context.DeadlineExceeded, bg, expired, expired, sent, ReasonTimeout, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := classifyChatError(tt.err, tt.caller, tt.turn, tt.attempt, tt.info)
			if f.reason != tt.reason || f.retryable != tt.retryable {
				t.Errorf("got %s retryable=%v, want %s retryable=%v", f.reason, f.retryable, tt.reason, tt.retryable)
			}
		})
	}
}

func TestChatBreaker(t *testing.T) {
	now := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	var changes []string
	b := newChatBreaker(2, time.Minute, func() time.Time { return now }, func(from, to string) { changes = append(changes, from+">"+to) })

	mustAllow := func(want error) {
		t.Helper()
		if err := b.allow(); !errors.Is(err, want) && !(want == nil && err == nil) {
			t.Fatalf("allow = %v, want %v", err, want)
		}
	}
	mustAllow(nil)
	b.failure()
	mustAllow(nil)
	b.success() // a success resets the count
	mustAllow(nil)
	b.failure()
	mustAllow(nil)
	b.failure()
	if b.State() != breakerOpen {
		t.Fatalf("state %s after 2 consecutive failures", b.State())
	}
	mustAllow(ErrUnavailable)
	now = now.Add(59 * time.Second)
	mustAllow(ErrUnavailable)
	now = now.Add(time.Second)
	mustAllow(nil) // the trial
	if b.State() != breakerHalfOpen {
		t.Fatalf("state %s, want half-open", b.State())
	}
	mustAllow(ErrUnavailable) // one trial at a time
	b.abandon()               // the trial's caller went away
	mustAllow(nil)            // so the next turn is the trial
	b.success()
	if b.State() != breakerClosed {
		t.Fatalf("state %s after a good trial", b.State())
	}
	want := "[closed>open open>half-open half-open>closed]"
	if fmt.Sprint(changes) != want {
		t.Errorf("changes %v, want %s", changes, want)
	}
}

// Only one of many concurrent turns is the half-open trial.
func TestChatBreakerOneTrial(t *testing.T) {
	now := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	b := newChatBreaker(1, time.Second, func() time.Time { return now }, nil)
	b.failure()
	now = now.Add(time.Second)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 50 {
		wg.Go(func() {
			if b.allow() == nil {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if allowed != 1 {
		t.Errorf("%d trials allowed, want 1", allowed)
	}
}
