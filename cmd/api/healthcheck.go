package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheckTimeout bounds one probe; container runtimes run it often.
const healthcheckTimeout = 3 * time.Second

// runHealthcheck asks a running server on this host for /healthz and exits
// 0 when it answers 200. It lets images without curl declare a health
// check ("api healthcheck").
func runHealthcheck(ctx context.Context, cfg config, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.StringVar(&cfg.ListenAddr, "addr", cfg.ListenAddr, "`address` the server listens on (env LISTEN_ADDR)")
	if code, ok := parseFlags(fs, "healthcheck [FLAGS]", 0, args, stdout, stderr); !ok {
		return code
	}
	url, err := healthURL(cfg.ListenAddr)
	if err != nil {
		fmt.Fprintf(stderr, "api healthcheck: %v\n", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintf(stderr, "api healthcheck: %v\n", err)
		return exitUsage
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "api healthcheck: %v\n", err)
		return exitFailure
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "api healthcheck: %s answered %s\n", url, resp.Status)
		return exitFailure
	}
	fmt.Fprintln(stdout, "ok")
	return exitOK
}

// healthURL turns a listen address (":8080", "0.0.0.0:8080",
// "127.0.0.1:9000") into the loopback URL of its /healthz.
func healthURL(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("listen address %q: %w", listen, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
