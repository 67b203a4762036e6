package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"barraiser/internal/interview"
)

// Server timeouts. There is no ReadTimeout or WriteTimeout: net/http leaves
// those deadlines on hijacked connections, which would cut the interview
// websocket. httpapi sets per-request read and write deadlines on every
// ordinary route instead; the websocket manages its own.
const (
	readHeaderTimeout = 5 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
	// shutdownTimeout bounds the graceful shutdown; it stays under the
	// 30s a container runtime usually waits between SIGTERM and SIGKILL.
	shutdownTimeout = 20 * time.Second
)

// overdueInterval is how often serve ends the interviews whose time limit
// has passed with nobody answering.
const overdueInterval = time.Minute

// endOverdueEvery runs engine.EndOverdue every interval until ctx ends.
func endOverdueEvery(ctx context.Context, engine *interview.Engine, interval time.Duration, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := engine.EndOverdue(ctx); err != nil && ctx.Err() == nil {
			logger.Error("ending overdue interviews failed", slog.Any("error", err))
		}
	}
}

func runServe(ctx context.Context, cfg config, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg.bindServeFlags(fs)
	if code, ok := parseFlags(fs, "serve [FLAGS]", 0, args, stdout, stderr); !ok {
		return code
	}
	logger, err := cfg.logger(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "api serve: %v\n", err)
		return exitUsage
	}
	if err := serve(ctx, cfg, logger); err != nil {
		logger.Error("server stopped", slog.Any("error", err))
		return exitFailure
	}
	return exitOK
}

// serve runs the HTTP server until ctx is cancelled, then shuts it down
// gracefully. The bound address is logged as "listening" with addr=HOST:PORT.
func serve(ctx context.Context, cfg config, logger *slog.Logger) error {
	// The database comes first (inside buildApp): its migrations must
	// have run before anything is served. An unreachable database fails
	// the start (a supervisor restarts the process); one that goes away
	// later makes /readyz answer 503 until it is back.
	a, err := buildApp(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.close()
	if err := ensureAdmin(ctx, a.recruiting, cfg, logger); err != nil {
		return err
	}
	api := a.api

	srv := &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		// Requests see ctx's values but not its cancellation: a signal
		// starts the graceful shutdown below instead of failing the
		// requests in flight.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	// Shutdown does not wait for hijacked connections; let the API close
	// them as soon as shutdown starts (and again on return, for when Serve
	// fails on its own).
	srv.RegisterOnShutdown(func() { _ = api.Close() })

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	logger.Info("listening", slog.String("addr", ln.Addr().String()))

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	purgeDone := make(chan struct{})
	go func() {
		defer close(purgeDone)
		purgeEvery(ctx, a.recruiting, cfg.RetentionInterval, logger)
	}()
	defer func() { <-purgeDone }()
	overdueDone := make(chan struct{})
	go func() {
		defer close(overdueDone)
		endOverdueEvery(ctx, a.interviews, overdueInterval, logger)
	}()
	defer func() { <-overdueDone }()

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	logger.Info("shutting down", slog.Duration("timeout", shutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		<-served
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}
