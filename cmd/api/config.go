package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// config is everything the binary takes from its environment. Environment
// variables fill it; each subcommand then binds the fields it uses to
// flags, with the environment's values as the flags' defaults, so a flag
// wins over a variable.
type config struct {
	ListenAddr  string // LISTEN_ADDR
	LogLevel    string // LOG_LEVEL: debug, info, warn, error
	LogFormat   string // LOG_FORMAT: text, json
	DatabaseURL string // DATABASE_URL: PostgreSQL with pgvector; empty means in memory

	// An OpenAI-compatible chat endpoint. With neither a key nor a base
	// URL the scripted interviewer runs.
	OpenAIKey     string // OPENAI_API_KEY (never logged)
	OpenAIBaseURL string // OPENAI_BASE_URL, e.g. http://localhost:11434/v1 for Ollama
	OpenAIModel   string // OPENAI_MODEL
	// OPENAI_TIMEOUT bounds a whole interviewer turn and
	// OPENAI_IDLE_TIMEOUT the silence between streamed chunks (Go
	// durations; zero means the interviewer's defaults, 30s and 10s).
	OpenAITimeout     time.Duration
	OpenAIIdleTimeout time.Duration

	Embedder            string   // EMBEDDER: local or openai
	EmbeddingModel      string   // OPENAI_EMBEDDING_MODEL (openai embedder)
	EmbeddingDimensions int      // OPENAI_EMBEDDING_DIMENSIONS (openai embedder; 0 = the model's own)
	AllowedOrigins      []string // ALLOWED_ORIGINS, comma-separated; empty means same host only

	// RATE_LIMIT_IP and RATE_LIMIT_TOKEN: requests per second per client
	// address and per recruiter API token; 0 turns a limit off.
	RateLimitIP    float64
	RateLimitToken float64
	// COOKIE_INSECURE=1 drops Secure from the console cookies (plain HTTP
	// in development only).
	InsecureCookies bool
	// RETENTION_INTERVAL: how often serve purges sessions past their
	// org's retention period.
	RetentionInterval time.Duration
	// ADMIN_EMAIL and ADMIN_PASSWORD (never logged): serve makes sure a
	// console admin with this email exists, in an org named ORG_NAME
	// (default "barraiser"), creating both if the email is unknown. It is
	// how the console gets its first login without a database, where
	// "api org create" cannot reach the server's memory.
	AdminEmail    string
	AdminPassword string
	OrgName       string
}

// Defaults of the rate limits and the purge interval.
const (
	defaultRateLimitIP       = 50
	defaultRateLimitToken    = 20
	defaultRetentionInterval = time.Hour
)

// defaultOrgName names the org serve creates for ADMIN_EMAIL.
const defaultOrgName = "barraiser"

// defaultChatModel is used with an OpenAI key when OPENAI_MODEL is unset.
const defaultChatModel = "gpt-4o-mini"

// usesLLM reports whether an OpenAI-compatible endpoint is configured.
func (c config) usesLLM() bool { return c.OpenAIKey != "" || c.OpenAIBaseURL != "" }

func configFromEnv(getenv func(string) string) config {
	cfg := config{
		ListenAddr:  getenv("LISTEN_ADDR"),
		LogLevel:    getenv("LOG_LEVEL"),
		LogFormat:   getenv("LOG_FORMAT"),
		DatabaseURL: getenv("DATABASE_URL"),

		OpenAIKey:      getenv("OPENAI_API_KEY"),
		OpenAIBaseURL:  getenv("OPENAI_BASE_URL"),
		OpenAIModel:    getenv("OPENAI_MODEL"),
		Embedder:       getenv("EMBEDDER"),
		EmbeddingModel: getenv("OPENAI_EMBEDDING_MODEL"),
	}
	if d, err := strconv.Atoi(getenv("OPENAI_EMBEDDING_DIMENSIONS")); err == nil && d > 0 {
		cfg.EmbeddingDimensions = d
	}
	if d, err := time.ParseDuration(getenv("OPENAI_TIMEOUT")); err == nil && d > 0 {
		cfg.OpenAITimeout = d
	}
	if d, err := time.ParseDuration(getenv("OPENAI_IDLE_TIMEOUT")); err == nil && d > 0 {
		cfg.OpenAIIdleTimeout = d
	}
	cfg.RateLimitIP, cfg.RateLimitToken = defaultRateLimitIP, defaultRateLimitToken
	if r, err := strconv.ParseFloat(getenv("RATE_LIMIT_IP"), 64); err == nil && r >= 0 {
		cfg.RateLimitIP = r
	}
	if r, err := strconv.ParseFloat(getenv("RATE_LIMIT_TOKEN"), 64); err == nil && r >= 0 {
		cfg.RateLimitToken = r
	}
	cfg.InsecureCookies = getenv("COOKIE_INSECURE") == "1"
	cfg.AdminEmail, cfg.AdminPassword, cfg.OrgName = getenv("ADMIN_EMAIL"), getenv("ADMIN_PASSWORD"), getenv("ORG_NAME")
	if cfg.OrgName == "" {
		cfg.OrgName = defaultOrgName
	}
	cfg.RetentionInterval = defaultRetentionInterval
	if d, err := time.ParseDuration(getenv("RETENTION_INTERVAL")); err == nil && d > 0 {
		cfg.RetentionInterval = d
	}
	for _, o := range strings.Split(getenv("ALLOWED_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.AllowedOrigins = append(cfg.AllowedOrigins, o)
		}
	}
	if cfg.Embedder == "" {
		cfg.Embedder = "local"
	}
	if cfg.ListenAddr == "" {
		cfg.ListenAddr = ":8080"
	}
	if cfg.LogLevel == "" {
		cfg.LogLevel = "info"
	}
	if cfg.LogFormat == "" {
		cfg.LogFormat = "text"
	}
	return cfg
}

func (c *config) bindServeFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.ListenAddr, "addr", c.ListenAddr, "`address` to listen on; port 0 picks a free port (env LISTEN_ADDR)")
	c.bindDatabaseFlag(fs, "PostgreSQL `URL`; empty keeps everything in memory")
	fs.StringVar(&c.OpenAIBaseURL, "openai-base-url", c.OpenAIBaseURL, "OpenAI-compatible `URL` ending in /v1 (env OPENAI_BASE_URL)")
	fs.StringVar(&c.OpenAIModel, "openai-model", c.OpenAIModel, "chat `model` (env OPENAI_MODEL)")
	fs.StringVar(&c.Embedder, "embedder", c.Embedder, "`embedder`: local or openai (env EMBEDDER)")
	c.bindLogFlags(fs)
}

func (c *config) bindDatabaseFlag(fs *flag.FlagSet, usage string) {
	fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, usage+" (env DATABASE_URL)")
}

func (c *config) bindLogFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log `level`: debug, info, warn or error (env LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log `format`: text or json (env LOG_FORMAT)")
}

// logger builds the process's logger, writing to w.
func (c config) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("invalid log level %q: want debug, info, warn or error", c.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(c.LogFormat) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("invalid log format %q: want text or json", c.LogFormat)
}
