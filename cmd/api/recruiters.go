package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"barraiser/internal/recruiting"
	"barraiser/internal/store/postgres"
)

// recruiterService opens the database and returns the recruiting service
// over it, for the org and token commands.
func recruiterService(ctx context.Context, cfg config, logger *slog.Logger) (*recruiting.Service, func(), error) {
	if cfg.DatabaseURL == "" {
		return nil, nil, fmt.Errorf("%s", noDatabase)
	}
	ctx, cancel := context.WithTimeout(ctx, databaseOpenTimeout)
	defer cancel()
	s, err := postgres.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return nil, nil, err
	}
	return recruiting.NewService(recruiting.Config{Store: s, Sessions: s, Logger: logger}), s.Close, nil
}

const orgUsage = `org create -name NAME -admin-email EMAIL [-password-stdin]

Creates an organisation and its first admin. The password is read from
the first line of stdin with -password-stdin, else from ADMIN_PASSWORD,
else generated and printed once. It is stored only as a bcrypt hash.`

// runOrg is "api org create".
func runOrg(ctx context.Context, cfg config, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintf(stderr, "Usage: api %s\n", orgUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	fs := flag.NewFlagSet("org create", flag.ContinueOnError)
	name := fs.String("name", "", "the organisation's `name`")
	email := fs.String("admin-email", "", "the first admin's `email`")
	fromStdin := fs.Bool("password-stdin", false, "read the admin's password from the first line of stdin")
	cfg.bindDatabaseFlag(fs, "PostgreSQL `URL`")
	if code, ok := parseFlags(fs, "org create [FLAGS]", 0, args[1:], stdout, stderr); !ok {
		return code
	}
	if *name == "" || *email == "" {
		fmt.Fprintln(stderr, "api org create: -name and -admin-email are required")
		return exitUsage
	}
	password := getenv("ADMIN_PASSWORD")
	if *fromStdin {
		line, err := bufio.NewReader(io.LimitReader(stdin, 1024)).ReadString('\n')
		if err != nil && err != io.EOF {
			fmt.Fprintf(stderr, "api org create: read the password: %v\n", err)
			return exitFailure
		}
		password = strings.TrimRight(line, "\r\n")
	}
	svc, closeDB, err := recruiterService(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintf(stderr, "api org create: %v\n", err)
		return exitUsage
	}
	defer closeDB()
	o, r, pw, err := svc.CreateOrg(ctx, *name, *email, password)
	if err != nil {
		fmt.Fprintf(stderr, "api org create: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "org %s %q\nadmin %s %s\n", o.ID, o.Name, r.ID, r.Email)
	if password == "" {
		fmt.Fprintf(stdout, "password %s\n(shown once: store it now)\n", pw)
	}
	return exitOK
}

const tokenUsage = `token mint -email EMAIL [-name NAME] | token revoke ID|TOKEN

mint prints a new API token for the recruiter (shown once; only its hash
is stored); revoke stops a token, named by its id or the token itself.`

// runToken is "api token mint|revoke".
func runToken(ctx context.Context, cfg config, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "mint" && args[0] != "revoke" {
		fmt.Fprintf(stderr, "Usage: api %s\n", tokenUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	verb := args[0]
	fs := flag.NewFlagSet("token "+verb, flag.ContinueOnError)
	email := fs.String("email", "", "the recruiter's `email` (mint)")
	name := fs.String("name", "", "a `label` for the token (mint)")
	cfg.bindDatabaseFlag(fs, "PostgreSQL `URL`")
	nargs := 0
	if verb == "revoke" {
		nargs = 1
	}
	if code, ok := parseFlags(fs, "token "+verb+" [FLAGS]", nargs, args[1:], stdout, stderr); !ok {
		return code
	}
	if verb == "mint" && *email == "" {
		fmt.Fprintln(stderr, "api token mint: -email is required")
		return exitUsage
	}
	svc, closeDB, err := recruiterService(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintf(stderr, "api token %s: %v\n", verb, err)
		return exitUsage
	}
	defer closeDB()
	if verb == "revoke" {
		if err := svc.RevokeToken(ctx, fs.Arg(0)); err != nil {
			fmt.Fprintf(stderr, "api token revoke: %v\n", err)
			return exitFailure
		}
		fmt.Fprintln(stdout, "revoked")
		return exitOK
	}
	t, token, err := svc.MintToken(ctx, *email, *name)
	if err != nil {
		fmt.Fprintf(stderr, "api token mint: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "token %s\nid %s (org %s)\n(shown once: store it now)\n", token, t.ID, t.OrgID)
	return exitOK
}

// purgeEvery deletes the sessions past their org's retention period now
// and then every interval, until ctx ends.
func purgeEvery(ctx context.Context, svc *recruiting.Service, interval time.Duration, logger *slog.Logger) {
	if svc == nil || interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := svc.Purge(ctx); err != nil && ctx.Err() == nil {
			logger.Error("retention purge failed", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ensureAdmin makes sure the console admin named by ADMIN_EMAIL exists
// (see config.AdminEmail). An email that already has an account is left
// as it is: its password is not reset.
func ensureAdmin(ctx context.Context, svc *recruiting.Service, cfg config, logger *slog.Logger) error {
	if cfg.AdminEmail == "" {
		return nil
	}
	if cfg.AdminPassword == "" {
		return errors.New("ADMIN_EMAIL is set but ADMIN_PASSWORD is not: set both to create the console's first admin")
	}
	o, r, _, err := svc.CreateOrg(ctx, cfg.OrgName, cfg.AdminEmail, cfg.AdminPassword)
	switch {
	case errors.Is(err, recruiting.ErrConflict):
		logger.Info("ADMIN_EMAIL already has an account; left as it is")
	case err != nil:
		return fmt.Errorf("ADMIN_EMAIL: create the console admin: %w", err)
	default:
		logger.Info("console admin created from ADMIN_EMAIL", slog.String("org", o.ID), slog.String("recruiter", r.ID))
	}
	return nil
}
