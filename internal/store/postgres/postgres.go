// Package postgres keeps exemplar vectors in PostgreSQL with the pgvector
// extension and searches them by cosine similarity. *Store implements
// retrieval.VectorStore.
//
// Open runs the migrations (which create the extension) before it builds
// the connection pool, because the pool registers pgvector's types on every
// new connection and those types only exist once the extension does.
//
// Vectors of every embedder live in one table, exemplar_vectors, whose
// embedding column has no fixed length. Each embedder gets its own partial
// HNSW expression index, created when its vectors are first stored (see
// index.go); searches are written so the planner matches that index.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"

	"barraiser/internal/retrieval"
)

// Store is the PostgreSQL vector store. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	opts options

	mu sync.Mutex
	// dims caches embedder → the length of its stored vectors, learnt when
	// they are stored or first searched.
	dims map[string]int
	// indexed records the embedders whose HNSW index is known to exist,
	// with the dimension it was built for.
	indexed map[string]int
	// counts caches embedder → its rows per filter value (see filterRows).
	counts map[string]filterCounts
}

var _ retrieval.VectorStore = (*Store)(nil)

// Defaults of the options.
const (
	// DefaultEfSearch is hnsw.ef_search, the size of the candidate list an
	// HNSW search keeps: higher finds more of the true nearest neighbours
	// (recall) at the cost of latency. On 100,000 clustered 384-dimensional
	// vectors ("api vectorbench", 2 cores) pgvector's default, 40, gives a
	// recall@10 of 0.947; 100 gives 0.99 with a p99 under 3ms; 200 adds
	// nothing but latency. A search never uses less than k.
	DefaultEfSearch = 100
	// DefaultMaxScanTuples is hnsw.max_scan_tuples: how many index tuples
	// an iterative scan may visit while looking for k rows that pass a
	// filter before it gives up (pgvector's default). Past that, Search
	// falls back to an exact scan of the filtered rows.
	DefaultMaxScanTuples = 20000
	// DefaultExactFilterRows is the most rows a filter on principle,
	// dimension or label may pass for Search to rank them exactly instead
	// of walking the HNSW index. Ranking costs about half a microsecond a
	// row through the embedder's filter index (see index.go), twice that
	// through the table: the largest dimension of "api vectorbench", 7,900
	// of 100,000 rows, ranks in about 5ms with a recall of 1, where the
	// graph walk needs longer for a recall of 0.84.
	DefaultExactFilterRows = 10000
	// DefaultMaintenanceWorkMem is maintenance_work_mem for index builds.
	// HNSW builds are far faster while the graph fits in it; 100,000
	// 384-dimensional vectors need about 200MB.
	DefaultMaintenanceWorkMem = "512MB"
)

type options struct {
	efSearch           int
	maxScanTuples      int
	exactFilterRows    int
	maintenanceWorkMem string
	buildWorkers       int // -1: the server's max_parallel_maintenance_workers
	maxConns           int32
	minConns           int32
}

// Option configures Open.
type Option func(*options)

// WithEfSearch sets hnsw.ef_search for searches (default DefaultEfSearch).
func WithEfSearch(n int) Option { return func(o *options) { o.efSearch = n } }

// WithMaxScanTuples sets hnsw.max_scan_tuples for searches (default
// DefaultMaxScanTuples).
func WithMaxScanTuples(n int) Option { return func(o *options) { o.maxScanTuples = n } }

// WithExactFilterRows sets the most rows a filter may pass to be ranked
// exactly (default DefaultExactFilterRows); 0 always walks the HNSW index
// first.
func WithExactFilterRows(n int) Option { return func(o *options) { o.exactFilterRows = n } }

// WithIndexBuild sets maintenance_work_mem (e.g. "512MB"; "" keeps
// DefaultMaintenanceWorkMem) and max_parallel_maintenance_workers (-1 keeps
// the server's setting) for HNSW index builds.
func WithIndexBuild(maintenanceWorkMem string, workers int) Option {
	return func(o *options) {
		if maintenanceWorkMem != "" {
			o.maintenanceWorkMem = maintenanceWorkMem
		}
		o.buildWorkers = workers
	}
}

// What a cancelled context does to a statement in flight: the server is
// asked to cancel it after cancelRequestDelay, and the connection is given
// up after cancelDeadline.
const (
	cancelRequestDelay = 50 * time.Millisecond
	cancelDeadline     = time.Second
)

// WithMaxConns sets the pool size (default: pgxpool's, the greater of 4
// and the number of CPUs).
func WithMaxConns(n int32) Option { return func(o *options) { o.maxConns = n } }

// WithMinConns keeps at least n connections open (default: none). Opening
// a connection costs the TLS/auth handshake, the vector type lookup and
// preparing every statement again, tens of milliseconds a request would
// otherwise wait for the first time the pool grows.
func WithMinConns(n int32) Option { return func(o *options) { o.minConns = n } }

// Open migrates the database at url and connects to it. It fails with an
// error wrapping ErrVectorUnavailable when the server cannot provide
// pgvector. logger may be nil.
func Open(ctx context.Context, url string, logger *slog.Logger, opts ...Option) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	o := options{
		efSearch:           DefaultEfSearch,
		maxScanTuples:      DefaultMaxScanTuples,
		exactFilterRows:    DefaultExactFilterRows,
		maintenanceWorkMem: DefaultMaintenanceWorkMem,
		buildWorkers:       -1,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.efSearch < 1 || o.efSearch > 1000 {
		return nil, fmt.Errorf("postgres: ef_search %d out of range 1..1000", o.efSearch)
	}
	if o.maxScanTuples < 1 {
		return nil, fmt.Errorf("postgres: max_scan_tuples %d must be positive", o.maxScanTuples)
	}

	if o.exactFilterRows < 0 {
		return nil, fmt.Errorf("postgres: exact filter rows %d must not be negative", o.exactFilterRows)
	}

	// Migrations first: they create the vector extension, whose types the
	// pool registers on every connection it makes.
	rep, err := Migrate(ctx, url)
	if err != nil {
		return nil, err
	}
	for _, name := range rep.Applied {
		logger.Info("applied migration", slog.String("migration", name))
	}
	logger.Debug("database schema", slog.Int64("version", rep.Version))

	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse database URL: %w", err)
	}
	if o.maxConns > 0 {
		cfg.MaxConns = o.maxConns
	}
	if o.minConns > 0 {
		cfg.MinConns = min(o.minConns, cfg.MaxConns)
	}
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "barraiser"
	}
	// A cancelled context (a candidate who leaves mid-turn) lets the
	// statement finish, asks the server to cancel it if it runs on, and
	// drops the connection only if the server does not answer even then.
	// pgx's default drops it at once, and the next request pays for a new
	// one (handshake, type lookup, statements prepared again).
	cfg.ConnConfig.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, CancelRequestDelay: cancelRequestDelay, DeadlineDelay: cancelDeadline}
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		if err := pgxvec.RegisterTypes(ctx, conn); err != nil {
			return fmt.Errorf("register pgvector types: %w", err)
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return &Store{
		pool:    pool,
		log:     logger,
		opts:    o,
		dims:    map[string]int{},
		indexed: map[string]int{},
		counts:  map[string]filterCounts{},
	}, nil
}

// Close closes every connection. The store is unusable afterwards.
func (s *Store) Close() { s.pool.Close() }

// Ping reports whether the database answers. After the server has dropped
// the pool's connections (a restart, a failover, an administrator
// terminating them) it reconnects: Ping fails only if a fresh connection
// fails too.
func (s *Store) Ping(ctx context.Context) error {
	err := s.retry(ctx, "ping", func(ctx context.Context) error { return s.pool.Ping(ctx) })
	if err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// retry runs f, and once more when f failed because the connection had
// been lost (on a fresh connection) or because the transaction lost a
// deadlock or serialization conflict. Every operation of the store is safe
// to repeat: reads trivially, writes because they run in one transaction
// (rolled back when it fails) and are idempotent.
//
// A lost connection usually means the server dropped all of them, so the
// whole pool is reset rather than discovering the dead connections one
// failed request at a time.
func (s *Store) retry(ctx context.Context, op string, f func(context.Context) error) error {
	err := f(ctx)
	if err == nil || ctx.Err() != nil {
		return err
	}
	switch {
	case connectionLost(err):
		s.log.Warn("database connection lost; reconnecting", slog.String("op", op), slog.Any("error", err))
		s.pool.Reset()
	case conflict(err):
		s.log.Info("transaction conflict; retrying", slog.String("op", op), slog.Any("error", err))
	default:
		return err
	}
	return f(ctx)
}

// conflict reports whether err is a deadlock or serialization failure:
// the transaction was rolled back and may simply run again.
func conflict(err error) bool {
	pgErr, ok := errors.AsType[*pgconn.PgError](err)
	return ok && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

// connectionLost reports whether err means the connection broke, as
// opposed to the statement failing on a healthy connection.
func connectionLost(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch {
		case len(pgErr.Code) == 5 && pgErr.Code[:2] == "08": // connection_exception
			return true
		case pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03": // admin/crash shutdown, cannot connect now
			return true
		}
		return false
	}
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok {
		// Could not open a connection at all: another attempt right away
		// would fail the same way.
		return false
	}
	if pgconn.SafeToRetry(err) {
		return true
	}
	if errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	_, ok := errors.AsType[*net.OpError](err)
	return ok
}
