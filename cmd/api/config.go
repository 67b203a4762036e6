package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// config is everything the binary takes from its environment. Environment
// variables fill it; each subcommand then binds the fields it uses to
// flags, with the environment's values as the flags' defaults, so a flag
// wins over a variable.
type config struct {
	ListenAddr string // LISTEN_ADDR
	LogLevel   string // LOG_LEVEL: debug, info, warn, error
	LogFormat  string // LOG_FORMAT: text, json
}

func configFromEnv(getenv func(string) string) config {
	cfg := config{
		ListenAddr: getenv("LISTEN_ADDR"),
		LogLevel:   getenv("LOG_LEVEL"),
		LogFormat:  getenv("LOG_FORMAT"),
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
	c.bindLogFlags(fs)
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
