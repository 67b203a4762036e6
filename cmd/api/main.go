// Command api is barraiser's one binary: the HTTP server and the scorer's
// command line. Run "api help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"

	"barraiser/internal/rubric"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the command could not do its job (e.g. the port is taken)
	exitUsage   = 2 // bad command line or bad input
)

const usage = `Usage: api [COMMAND] [FLAGS] [ARGS]

Commands:
  serve        run the HTTP server (the default when no command is given)
  score FILE   print the scorecard JSON of one transcript; FILE "-" reads stdin
  eval DIR     score every labelled *.json in DIR and report agreement
  migrate      bring the PostgreSQL schema (DATABASE_URL) up to date
  vectorbench  load synthetic exemplar vectors into PostgreSQL and time HNSW search
  loadtest     drive simulated candidates through live interviews on a local server
  fakellm      serve a fake OpenAI-compatible streaming chat endpoint (for loadtest)
  healthcheck  exit 0 when the server on LISTEN_ADDR answers /healthz
  version      print the version
  help         print this help

Run "api COMMAND -h" for a command's flags.

Environment (flags override):
  LISTEN_ADDR  address serve listens on (default :8080)
  LOG_LEVEL    debug, info, warn or error (default info)
  LOG_FORMAT   text or json (default text)
  DATABASE_URL PostgreSQL with pgvector, e.g. $(scripts/postgres.sh); empty
               keeps everything in memory
  OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL
               an OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM,
               llama.cpp); with no key and no base URL the scripted
               interviewer runs
  EMBEDDER     local (default, offline) or openai; OPENAI_EMBEDDING_MODEL and
               OPENAI_EMBEDDING_DIMENSIONS configure the openai one
  ALLOWED_ORIGINS
               comma-separated browser origins allowed to open the interview
               websocket (default: the server's own host only)
  RATE_LIMIT_IP, RATE_LIMIT_TOKEN
               requests per second per client address (default 50) and per
               recruiter API token (default 20); 0 turns a limit off
  RETENTION_INTERVAL
               how often serve purges sessions past their org's retention
               (default 1h)
  COOKIE_INSECURE=1
               console cookies without Secure (plain HTTP, development only)
`

// run is the whole program; main only supplies the process's context,
// arguments, environment and standard streams, so tests can call run.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd, rest := "serve", args
	if len(args) > 0 {
		cmd, rest = args[0], args[1:]
	}
	cfg := configFromEnv(getenv)
	switch cmd {
	case "serve":
		return runServe(ctx, cfg, rest, stdout, stderr)
	case "score":
		return runScore(rest, stdin, stdout, stderr)
	case "eval":
		return runEval(rest, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, cfg, rest, stdout, stderr)
	case "org":
		return runOrg(ctx, cfg, rest, getenv, stdin, stdout, stderr)
	case "token":
		return runToken(ctx, cfg, rest, stdout, stderr)
	case "vectorbench":
		return runVectorbench(ctx, cfg, rest, stdout, stderr)
	case "loadtest":
		return runLoadtest(ctx, cfg, rest, stdout, stderr)
	case "fakellm":
		return runFakeLLM(ctx, rest, stdout, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, cfg, rest, stdout, stderr)
	case "version":
		return runVersion(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "api: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

// parseFlags parses a subcommand's flags. It returns an exit code and
// false when run should stop: help asked for (0, on stdout) or bad flags
// or arguments (2, on stderr). nargs is the exact number of positional
// arguments the command takes.
func parseFlags(fs *flag.FlagSet, synopsis string, nargs int, args []string, stdout, stderr io.Writer) (int, bool) {
	fs.SetOutput(io.Discard) // usage is printed below, to the right stream
	printUsage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: api %s\n", synopsis)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(stdout)
		return exitOK, false
	case err != nil:
		fmt.Fprintf(stderr, "api %s: %v\n", fs.Name(), err)
		printUsage(stderr)
		return exitUsage, false
	case fs.NArg() != nargs:
		fmt.Fprintf(stderr, "api %s: expected %d argument(s), got %d\n", fs.Name(), nargs, fs.NArg())
		printUsage(stderr)
		return exitUsage, false
	}
	return exitOK, true
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if code, ok := parseFlags(fs, "version", 0, args, stdout, stderr); !ok {
		return code
	}
	version, revision := "(devel)", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				revision = " " + s.Value
			}
		}
	}
	fmt.Fprintf(stdout, "barraiser %s%s rubric %s %s\n", version, revision, rubric.Version, runtime.Version())
	return exitOK
}
