package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"barraiser/internal/interview"
)

// Defaults of Config.
const (
	chatDefaultRequestTimeout   = 30 * time.Second
	chatDefaultIdleTimeout      = 10 * time.Second
	chatDefaultMaxRetries       = 2
	chatDefaultBackoffBase      = 300 * time.Millisecond
	chatDefaultBackoffMax       = 5 * time.Second
	chatDefaultBreakerThreshold = 5
	chatDefaultBreakerCooldown  = 30 * time.Second
	chatDefaultMaxTokens        = 400
)

// Config configures the chat interviewer. Zero values take the defaults:
// RequestTimeout 30s, IdleTimeout 10s, MaxRetries 2, BackoffBase 300ms,
// BackoffMax 5s, BreakerThreshold 5, BreakerCooldown 30s, MaxTokens 400.
type Config struct {
	// APIKey is sent as a bearer token. It may be empty when BaseURL points
	// at a server without authentication (Ollama, vLLM, llama.cpp).
	APIKey string
	// BaseURL is the API root, e.g. http://localhost:11434/v1 for Ollama;
	// empty means OpenAI (https://api.openai.com/v1), which needs APIKey.
	BaseURL string
	// Model names the chat model; required.
	Model string
	// Temperature is sent when positive; 0 leaves it to the server. It is
	// not sent to reasoning models (o-series, gpt-5), which reject it.
	Temperature float32
	// MaxTokens caps the reply (default 400, sent as max_tokens). For
	// reasoning models it is sent as max_completion_tokens, and only when
	// set, since their budget includes hidden reasoning.
	MaxTokens int
	// RequestTimeout bounds a whole turn, retries included.
	RequestTimeout time.Duration
	// IdleTimeout bounds every wait for the stream: for the response and
	// then between chunks. A stalled stream is cancelled when it passes.
	IdleTimeout time.Duration
	// MaxRetries is how many times a failed attempt is retried (429, 5xx,
	// 408, 409, network errors and idle timeouts, and only before any text
	// was released). 0 means 2; negative means none.
	MaxRetries int
	// BackoffBase and BackoffMax shape the jittered exponential wait
	// between attempts; BackoffMax also caps a server's Retry-After.
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// BreakerThreshold consecutive failed turns open the circuit breaker;
	// it lets one trial turn through after BreakerCooldown.
	BreakerThreshold int
	BreakerCooldown  time.Duration
	// HTTPClient sends the requests (tests pass the httptest server's).
	// Leave its Timeout at 0: a client timeout cuts long streams; the
	// turn is bounded by RequestTimeout and IdleTimeout instead.
	HTTPClient *http.Client
	// Observer receives counters and timings; nil means none.
	Observer Observer
}

// String prints the configuration without the API key.
func (c Config) String() string {
	return fmt.Sprintf("openai.Config{Model: %q, BaseURL: %q, APIKey: %s}", c.Model, redactURL(c.BaseURL), maskKey(c.APIKey))
}

// GoString prints the configuration without the API key (%#v).
func (c Config) GoString() string { return c.String() }

// LogValue logs the configuration without the API key.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("model", c.Model),
		slog.String("base_url", redactURL(c.BaseURL)),
		slog.String("api_key", maskKey(c.APIKey)),
		slog.Duration("request_timeout", c.RequestTimeout),
		slog.Duration("idle_timeout", c.IdleTimeout),
		slog.Int("max_retries", c.MaxRetries),
	)
}

func maskKey(k string) string {
	if k == "" {
		return "(none)"
	}
	return "(set)"
}

// redactURL hides credentials and the query of a URL for logs.
func redactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid)"
	}
	u.RawQuery, u.Fragment = "", ""
	return u.Redacted()
}

// withDefaults validates c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	c.Model = strings.TrimSpace(c.Model)
	c.BaseURL = strings.TrimSpace(c.BaseURL)
	if c.Model == "" {
		return c, errors.New("openai interviewer: no model configured")
	}
	if c.APIKey == "" && c.BaseURL == "" {
		return c, errors.New("openai interviewer: an API key is needed for the OpenAI API (set a base URL for a local server)")
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("openai interviewer: base URL %q is not an http(s) URL", redactURL(c.BaseURL))
		}
	}
	for name, d := range map[string]time.Duration{
		"request timeout": c.RequestTimeout, "idle timeout": c.IdleTimeout, "backoff base": c.BackoffBase,
		"backoff max": c.BackoffMax, "breaker cooldown": c.BreakerCooldown,
	} {
		if d < 0 {
			return c, fmt.Errorf("openai interviewer: negative %s", name)
		}
	}
	if c.Temperature < 0 || c.Temperature > 2 {
		return c, fmt.Errorf("openai interviewer: temperature %v outside [0, 2]", c.Temperature)
	}
	if c.MaxTokens < 0 {
		return c, errors.New("openai interviewer: negative max tokens")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.RequestTimeout, chatDefaultRequestTimeout)
	def(&c.IdleTimeout, chatDefaultIdleTimeout)
	def(&c.BackoffBase, chatDefaultBackoffBase)
	def(&c.BackoffMax, chatDefaultBackoffMax)
	def(&c.BreakerCooldown, chatDefaultBreakerCooldown)
	switch {
	case c.MaxRetries == 0:
		c.MaxRetries = chatDefaultMaxRetries
	case c.MaxRetries < 0:
		c.MaxRetries = 0
	}
	if c.BreakerThreshold <= 0 {
		c.BreakerThreshold = chatDefaultBreakerThreshold
	}
	if c.BackoffMax < c.BackoffBase {
		c.BackoffMax = c.BackoffBase
	}
	if c.Observer == nil {
		c.Observer = nopChatObserver{}
	}
	return c, nil
}

// Interviewer words interview turns with a chat model behind any
// OpenAI-compatible endpoint, streaming its reply through an output guard.
// Whenever it fails it returns an error and writes nothing more; the
// engine's scripted interviewer then takes the turn. It is safe for
// concurrent use.
type Interviewer struct {
	cfg       Config
	client    *goopenai.Client
	prompts   *promptRenderer
	log       *slog.Logger
	breaker   *chatBreaker
	reasoning bool // the model takes max_completion_tokens and no temperature

	// Replaced in tests.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// NewInterviewer checks cfg, parses the prompt templates (normally
// prompts.FS) and returns the interviewer. A template that does not parse
// or render is an error here, not on the first turn. logger may be nil.
func NewInterviewer(cfg Config, templates fs.FS, logger *slog.Logger) (*Interviewer, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With(slog.String("interviewer", "openai"), slog.String("model", cfg.Model))
	prompts, err := newPromptRenderer(templates)
	if err != nil {
		return nil, fmt.Errorf("openai interviewer: %w", err)
	}
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = &http.Client{}
	} else if httpClient.Timeout > 0 {
		logger.Warn("the HTTP client has a Timeout, which cuts long streamed replies; RequestTimeout and IdleTimeout bound a turn already",
			slog.Duration("timeout", httpClient.Timeout))
	}
	iv := &Interviewer{cfg: cfg, prompts: prompts, log: logger, now: time.Now, sleep: chatSleep}
	cc := goopenai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		cc.BaseURL = cfg.BaseURL
	}
	cc.HTTPClient = chatDoer{client: httpClient, now: func() time.Time { return iv.now() }}
	iv.client = goopenai.NewClientWithConfig(cc)

	// go-openai knows which models are reasoning models: they refuse
	// max_tokens.
	v := goopenai.NewReasoningValidator()
	//lint:ignore SA1019 probing with the deprecated field is the point
	iv.reasoning = v.Validate(goopenai.ChatCompletionRequest{Model: cfg.Model, MaxTokens: 1}) != nil
	if iv.reasoning && cfg.Temperature > 0 {
		logger.Warn("temperature is not sent to a reasoning model")
	}
	if err := v.Validate(iv.request(nil)); err != nil {
		return nil, fmt.Errorf("openai interviewer: model %q: %w", cfg.Model, err)
	}

	iv.breaker = newChatBreaker(cfg.BreakerThreshold, cfg.BreakerCooldown, func() time.Time { return iv.now() },
		func(from, to string) {
			logger.Warn("chat circuit breaker", slog.String("from", from), slog.String("to", to))
		})
	logger.Info("openai interviewer ready", slog.Any("config", cfg), slog.Bool("reasoning_model", iv.reasoning))
	return iv, nil
}

// Name identifies the interviewer in logs and metrics.
func (iv *Interviewer) Name() string { return "openai:" + iv.cfg.Model }

// BreakerState reports the circuit breaker's state: "closed", "open" or
// "half-open".
func (iv *Interviewer) BreakerState() string { return iv.breaker.State() }

// Speak words the turn described by p. It streams the model's reply
// through the output guard, passing checked text to token (which may be
// nil) as it goes, and returns the whole reply: exactly the concatenation
// of what token received. On any failure it returns an error, and the
// caller should have another interviewer take the turn; errors.Is reports
// ErrUnavailable (breaker open), ErrRejected (the guard refused the reply)
// and the caller's context error.
func (iv *Interviewer) Speak(ctx context.Context, p interview.Prompt, token func(string)) (string, error) {
	start := iv.now()
	if err := ctx.Err(); err != nil {
		return "", err
	}
	msgs, err := iv.prompts.render(p)
	if err != nil {
		iv.cfg.Observer.Failure(ReasonPrompt)
		return "", fmt.Errorf("openai interviewer: %w", err)
	}
	if err := iv.breaker.allow(); err != nil {
		iv.cfg.Observer.Failure(ReasonUnavailable)
		return "", err
	}
	text, f := iv.turn(ctx, p, iv.request(msgs), token, start)
	if f == nil {
		iv.breaker.success()
		iv.cfg.Observer.Done(iv.now().Sub(start))
		return text, nil
	}
	switch {
	case f.reason == ReasonRejected:
		iv.breaker.success() // the endpoint answered
	case f.countsAgainstEndpoint():
		iv.breaker.failure()
	default:
		iv.breaker.abandon()
	}
	iv.cfg.Observer.Failure(f.reason)
	iv.log.Debug("turn failed", slog.String("session", p.SessionID), slog.String("kind", p.Kind),
		slog.String("reason", f.reason), slog.Any("error", iv.redact(f)))
	return "", fmt.Errorf("openai interviewer: %w", iv.redact(f))
}

// request builds the streamed chat request.
func (iv *Interviewer) request(msgs []goopenai.ChatCompletionMessage) goopenai.ChatCompletionRequest {
	req := goopenai.ChatCompletionRequest{Model: iv.cfg.Model, Messages: msgs, Stream: true}
	if iv.reasoning {
		req.MaxCompletionTokens = iv.cfg.MaxTokens
		return req
	}
	// max_tokens is deprecated by OpenAI in favour of
	// max_completion_tokens, but Ollama, llama.cpp and older vLLM only
	// read max_tokens, and OpenAI's chat models still accept it.
	maxTokens := iv.cfg.MaxTokens
	if maxTokens == 0 {
		maxTokens = chatDefaultMaxTokens
	}
	req.MaxTokens = maxTokens //lint:ignore SA1019 see above
	req.Temperature = iv.cfg.Temperature
	return req
}

// turn runs the attempts of one turn within RequestTimeout, retrying
// failures that happen before any text was released.
func (iv *Interviewer) turn(ctx context.Context, p interview.Prompt, req goopenai.ChatCompletionRequest, token func(string), start time.Time) (string, *chatFailure) {
	turnCtx, cancel := context.WithTimeout(ctx, iv.cfg.RequestTimeout)
	defer cancel()
	first := true
	g := newReplyGuard(p, func(s string) {
		if first {
			first = false
			iv.cfg.Observer.FirstToken(iv.now().Sub(start))
		}
		if token != nil {
			token(s)
		}
	})
	for attempt := 0; ; attempt++ {
		g.reset()
		text, f := iv.attempt(ctx, turnCtx, req, g)
		if f == nil {
			return text, nil
		}
		if !f.retryable || g.hasReleased() || attempt >= iv.cfg.MaxRetries {
			return "", f
		}
		delay := chatBackoff(attempt, iv.cfg.BackoffBase, iv.cfg.BackoffMax, f.retryAfter)
		if deadline, ok := turnCtx.Deadline(); ok && time.Until(deadline) <= delay {
			return "", f // no time left for another attempt
		}
		iv.cfg.Observer.Retry()
		iv.log.Debug("retrying", slog.String("session", p.SessionID), slog.Int("attempt", attempt+1),
			slog.String("reason", f.reason), slog.Duration("delay", delay))
		if err := iv.sleep(turnCtx, delay); err != nil {
			return "", classifyChatError(err, ctx, turnCtx, turnCtx, &chatAttempt{})
		}
	}
}

// attempt makes one streamed request and feeds its reply to g.
func (iv *Interviewer) attempt(caller, turnCtx context.Context, req goopenai.ChatCompletionRequest, g *replyGuard) (string, *chatFailure) {
	info := &chatAttempt{}
	ctx, cancel := context.WithCancelCause(context.WithValue(turnCtx, chatAttemptKey{}, info))
	defer cancel(nil)
	// The idle timer cancels the attempt when the server goes quiet: while
	// waiting for the response, and between chunks.
	idle := time.AfterFunc(iv.cfg.IdleTimeout, func() { cancel(errIdle) })
	defer idle.Stop()
	fail := func(err error) (string, *chatFailure) {
		return "", classifyChatError(err, caller, turnCtx, ctx, info)
	}
	reject := func(err error) (string, *chatFailure) {
		return "", &chatFailure{reason: ReasonRejected, err: err}
	}

	stream, err := iv.client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return fail(err)
	}
	defer stream.Close()
	var finish goopenai.FinishReason
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(err)
		}
		idle.Reset(iv.cfg.IdleTimeout)
		for _, c := range resp.Choices { // none in usage and keep-alive chunks
			if c.Index != 0 {
				continue
			}
			if c.Delta.Content != "" {
				if err := g.write(c.Delta.Content); err != nil {
					return reject(err)
				}
			}
			if c.FinishReason != "" {
				finish = c.FinishReason
			}
		}
	}
	if ctx.Err() != nil { // a cancelled body read that looked like the end
		return fail(context.Cause(ctx))
	}
	switch finish {
	case goopenai.FinishReasonLength:
		return reject(fmt.Errorf("%w: cut off at the token limit", ErrRejected))
	case goopenai.FinishReasonContentFilter:
		return reject(fmt.Errorf("%w: filtered by the provider", ErrRejected))
	}
	text, err := g.finish()
	if err != nil {
		return reject(err)
	}
	return text, nil
}

// chatSleep waits for d or until ctx is done.
func chatSleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}

// redact keeps the API key out of an error's text (a proxy may echo it).
func (iv *Interviewer) redact(err error) error {
	if len(iv.cfg.APIKey) < 8 || !strings.Contains(err.Error(), iv.cfg.APIKey) {
		return err
	}
	return redactedError{err: err, key: iv.cfg.APIKey}
}

type redactedError struct {
	err error
	key string
}

func (e redactedError) Error() string { return strings.ReplaceAll(e.err.Error(), e.key, "[redacted]") }
func (e redactedError) Unwrap() error { return e.err }
