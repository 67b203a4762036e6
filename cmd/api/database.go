package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"barraiser/internal/httpapi"
	"barraiser/internal/interview"
	"barraiser/internal/recruiting"
	"barraiser/internal/retrieval"
	"barraiser/internal/store/postgres"
)

// databaseOpenTimeout bounds connecting to the database and migrating it
// when serve starts.
const databaseOpenTimeout = time.Minute

// dbConns is the connection pool size: every answer of every live
// interview reads and writes the session, and pgxpool's default (four on
// this machine) queues them behind each other. PostgreSQL's default
// max_connections is 100; two server processes fit.
const dbConns = 32

// dbIdleConns stay open however quiet the server is, so a burst of answers
// does not wait for new connections to be set up.
const dbIdleConns = dbConns / 2

// noDatabase is the error of the commands that need a database and got
// none.
const noDatabase = "no database: set DATABASE_URL or pass -database URL (scripts/postgres.sh prints one for a local server)"

// database is what serve gets from DATABASE_URL: the vector store (a nil
// interface when no URL is configured: use the in-memory store), its
// readiness checks, and a close function that is always safe to call.
type database struct {
	Vectors  retrieval.VectorStore
	Sessions interview.Store
	// Recruiting and RecruitingSessions are the recruiter side's stores
	// (nil interfaces without a database).
	Recruiting         recruiting.Store
	RecruitingSessions recruiting.SessionStore
	Checks             []httpapi.Check
	Close              func()
}

// openDatabase migrates and connects to cfg.DatabaseURL. With no URL it
// returns an empty database whose Close does nothing.
func openDatabase(ctx context.Context, cfg config, logger *slog.Logger) (database, error) {
	if cfg.DatabaseURL == "" {
		return database{Close: func() {}}, nil
	}
	// Bounded, so a server that never answers fails the start instead of
	// hanging it. Migrations wait here for another process's to finish.
	ctx, cancel := context.WithTimeout(ctx, databaseOpenTimeout)
	defer cancel()
	s, err := postgres.Open(ctx, cfg.DatabaseURL, logger.With(slog.String("component", "postgres")), postgres.WithMaxConns(dbConns), postgres.WithMinConns(dbIdleConns))
	if err != nil {
		return database{}, err
	}
	return database{
		Vectors:            s,
		Sessions:           s,
		Recruiting:         s,
		RecruitingSessions: s,
		Checks:             []httpapi.Check{{Name: "database", Func: s.Ping}},
		Close:              s.Close,
	}, nil
}

// runMigrate applies the pending migrations and says what it did.
func runMigrate(ctx context.Context, cfg config, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg.bindDatabaseFlag(fs, "PostgreSQL `URL` to migrate")
	if code, ok := parseFlags(fs, "migrate [FLAGS]", 0, args, stdout, stderr); !ok {
		return code
	}
	if cfg.DatabaseURL == "" {
		fmt.Fprintf(stderr, "api migrate: %s\n", noDatabase)
		return exitUsage
	}
	rep, err := postgres.Migrate(ctx, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintf(stderr, "api migrate: %v\n", err)
		return exitFailure
	}
	for _, name := range rep.Applied {
		fmt.Fprintf(stdout, "applied %s\n", name)
	}
	if len(rep.Applied) == 0 {
		fmt.Fprintf(stdout, "schema version %d: up to date\n", rep.Version)
	} else {
		fmt.Fprintf(stdout, "schema version %d\n", rep.Version)
	}
	return exitOK
}
