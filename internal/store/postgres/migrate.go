package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"barraiser/migrations"
)

// ErrVectorUnavailable is wrapped by the error Open and Migrate return when
// the database server cannot provide the pgvector extension: its files are
// not installed, or the role may not create it.
var ErrVectorUnavailable = errors.New("the pgvector extension is not available")

// How to get pgvector, for the errors that say it is missing.
const vectorHowTo = "on Debian or Ubuntu run scripts/postgres.sh (it installs pgvector and creates the extension), " +
	"or run PostgreSQL from the pgvector/pgvector image (docker compose up -d db)"

// migrationLockID serialises migrations of one database: processes that
// start together (replicas, test packages) wait for each other instead of
// racing through the same statements. Advisory locks are per database, so
// it never blocks migrations of another database.
const migrationLockID int64 = 0x62617272_6d696772 // "barr" "migr"

// MigrationReport says what Migrate did.
type MigrationReport struct {
	// Applied lists the migrations run now, in order (file names).
	Applied []string
	// Version is the schema version after migrating.
	Version int64
}

// Migrate brings the database at url up to the newest schema in
// barraiser/migrations, using goose over a short-lived database/sql
// connection. It is a no-op when the schema is current, and concurrent
// calls on one database wait for each other.
func Migrate(ctx context.Context, url string) (MigrationReport, error) {
	// pgxpool's parser, so the URL may carry pool_max_conns and the like
	// (pgx's own would pass them to the server as settings).
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return MigrationReport{}, fmt.Errorf("postgres: parse database URL: %w", err)
	}
	db := stdlib.OpenDB(*cfg.ConnConfig)
	defer db.Close()

	// One connection holds the lock; goose uses others from db.
	lockConn, err := db.Conn(ctx)
	if err != nil {
		return MigrationReport{}, fmt.Errorf("postgres: connect: %w", err)
	}
	defer lockConn.Close()

	st, err := vectorStatus(ctx, lockConn)
	if err != nil {
		return MigrationReport{}, fmt.Errorf("postgres: connect: %w", err)
	}
	if !st.installed && !st.available {
		return MigrationReport{}, st.notAvailableError()
	}

	if _, err := lockConn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockID); err != nil {
		return MigrationReport{}, fmt.Errorf("postgres: migrations: take lock: %w", err)
	}
	defer func() {
		// Closing the connection would release the lock too, but db keeps
		// it open until db.Close; release it explicitly, even after ctx
		// has been cancelled.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_, _ = lockConn.ExecContext(uctx, "SELECT pg_advisory_unlock($1)", migrationLockID)
	}()

	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS,
		goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return MigrationReport{}, fmt.Errorf("postgres: migrations: %w", err)
	}
	results, err := provider.Up(ctx)
	if err != nil {
		if !st.installed {
			if verr := st.createError(err); verr != nil {
				return MigrationReport{}, verr
			}
		}
		return MigrationReport{}, fmt.Errorf("postgres: migrate: %w", err)
	}
	var rep MigrationReport
	for _, r := range results {
		rep.Applied = append(rep.Applied, path.Base(r.Source.Path))
	}
	if rep.Version, err = provider.GetDBVersion(ctx); err != nil {
		return rep, fmt.Errorf("postgres: migrations: read version: %w", err)
	}
	return rep, nil
}

// vectorState is what the server says about pgvector.
type vectorState struct {
	installed bool // CREATE EXTENSION vector has been run in this database
	available bool // the server has the extension's files
	database  string
	role      string
}

func vectorStatus(ctx context.Context, conn *sql.Conn) (vectorState, error) {
	var st vectorState
	err := conn.QueryRowContext(ctx, `
		SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'vector'),
		       EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'vector'),
		       current_database(), current_user`).Scan(&st.installed, &st.available, &st.database, &st.role)
	return st, err
}

func (st vectorState) notAvailableError() error {
	return fmt.Errorf("postgres: %w on the database server: it has no pgvector files "+
		"(\"vector\" is not in pg_available_extensions). Install pgvector on the server: %s",
		ErrVectorUnavailable, vectorHowTo)
}

// createError explains a failed migration when it failed because the
// extension could not be created, and returns nil otherwise.
func (st vectorState) createError(err error) error {
	pgErr, ok := errors.AsType[*pgconn.PgError](err)
	if !ok {
		return nil
	}
	switch pgErr.Code {
	case "42501": // insufficient_privilege
		reason := pgErr.Message
		if pgErr.Hint != "" {
			reason += ": " + strings.TrimSuffix(pgErr.Hint, ".")
		}
		return fmt.Errorf("postgres: %w in database %q: role %q may not create it (%s). "+
			"A superuser must run CREATE EXTENSION vector in that database once, then run the migrations again; "+
			"for a local development database, %s",
			ErrVectorUnavailable, st.database, st.role, reason, vectorHowTo)
	case "58P01", "0A000": // undefined_file: control file present, library missing; feature_not_supported
		return fmt.Errorf("postgres: %w on the database server: CREATE EXTENSION vector failed (%s). Reinstall pgvector on the server: %s",
			ErrVectorUnavailable, pgErr.Message, vectorHowTo)
	}
	return nil
}
