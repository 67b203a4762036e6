package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"barraiser/internal/interview"
)

// Interview sessions, their messages and scorecards, in the tables of
// migrations/0002_sessions.sql. *Store implements interview.Store, so
// interviews survive a restart and several server processes may share one
// database.
//
// AppendMessage is the one operation with a concurrency contract: it is
// atomic per session across processes. It runs one transaction that locks
// the session's row, so appends to a session take turns (see
// appendOnce); appends to different sessions never wait for each other.

var _ interview.Store = (*Store)(nil)

// Constraint names from the migration that errors are told apart by.
const (
	messagesPrimaryKey = "interview_messages_pkey"
	messagesSession    = "interview_messages_session_id_fkey"
	scorecardsSession  = "interview_scorecards_session_id_fkey"
)

// seqAttempts bounds how many times AppendMessage starts over when the seq
// it chose was taken by a writer that did not lock the session (see
// appendOnce); with every writer locking, the first attempt succeeds.
const seqAttempts = 3

const sessionColumns = `id, token_hash, org, question_set_id, question_set_version, candidate, level,
	questions, probes_per_question, probe_order, status, current_question, probed,
	created_at, updated_at, finished_at, time_limit_minutes`

const messageColumns = `seq, role, kind, text, dimension, question, client_id, at`

// CreateSession stores a new session. A session with the same id must not
// exist.
func (s *Store) CreateSession(ctx context.Context, sess *interview.Session) error {
	if err := checkSession(sess); err != nil {
		return fmt.Errorf("postgres: create session: %w", err)
	}
	questions, err := jsonArray(sess.Questions)
	if err != nil {
		return fmt.Errorf("postgres: create session %s: %w", sess.ID, err)
	}
	probeOrder, err := jsonArray(sess.ProbeOrder)
	if err != nil {
		return fmt.Errorf("postgres: create session %s: %w", sess.ID, err)
	}
	probed, err := jsonArray(sess.Probed)
	if err != nil {
		return fmt.Errorf("postgres: create session %s: %w", sess.ID, err)
	}
	attempt := 0
	err = s.retry(ctx, "create session", func(ctx context.Context) error {
		attempt++
		tag, err := s.pool.Exec(ctx, `
			INSERT INTO interview_sessions (`+sessionColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
			ON CONFLICT (id) DO NOTHING`,
			sess.ID, sess.TokenHash, sess.Org, sess.QuestionSetID, sess.QuestionSetVersion, sess.Candidate, sess.Level,
			questions, sess.ProbesPerQuestion, probeOrder, sess.Status, sess.Current, probed,
			sess.CreatedAt, sess.UpdatedAt, sess.FinishedAt, sess.TimeLimitMinutes)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			return nil
		}
		if attempt > 1 {
			// The first attempt lost its connection, possibly after its
			// insert had committed. The token hash (of 32 random bytes)
			// tells that row from another session's that has the id.
			var hash string
			err := s.pool.QueryRow(ctx, "SELECT token_hash FROM interview_sessions WHERE id = $1", sess.ID).Scan(&hash)
			if err == nil && hash == sess.TokenHash {
				return nil
			}
		}
		return errors.New("a session with this id already exists")
	})
	if err != nil {
		return fmt.Errorf("postgres: create session %s: %w", sess.ID, err)
	}
	return nil
}

// Session returns a session or an error wrapping interview.ErrNotFound.
func (s *Store) Session(ctx context.Context, id string) (*interview.Session, error) {
	var sess *interview.Session
	err := s.retry(ctx, "get session", func(ctx context.Context) error {
		var err error
		sess, err = scanSession(s.pool.QueryRow(ctx, "SELECT "+sessionColumns+" FROM interview_sessions WHERE id = $1", id))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: session %s: %w", id, interview.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: session %s: %w", id, err)
	}
	return sess, nil
}

// SessionWithMessages returns the session and all its messages in one round trip: both
// queries go in one batch.
func (s *Store) SessionWithMessages(ctx context.Context, id string) (*interview.Session, []interview.Message, error) {
	var (
		sess *interview.Session
		msgs []interview.Message
	)
	err := s.retry(ctx, "load session", func(ctx context.Context) (err error) {
		b := &pgx.Batch{}
		b.Queue("SELECT "+sessionColumns+" FROM interview_sessions WHERE id = $1", id)
		b.Queue("SELECT "+messageColumns+" FROM interview_messages WHERE session_id = $1 ORDER BY seq", id)
		br := s.pool.SendBatch(ctx, b)
		defer func() {
			if cerr := br.Close(); err == nil {
				err = cerr
			}
		}()
		if sess, err = scanSession(br.QueryRow()); err != nil {
			return err
		}
		rows, err := br.Query()
		if err != nil {
			return err
		}
		msgs, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (interview.Message, error) {
			return scanMessage(row)
		})
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, fmt.Errorf("postgres: session %s: %w", id, interview.ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: load session %s: %w", id, err)
	}
	if msgs == nil {
		msgs = []interview.Message{}
	}
	return sess, msgs, nil
}

// OverdueSessions returns the active sessions whose time limit has passed.
func (s *Store) OverdueSessions(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var ids []string
	err := s.retry(ctx, "overdue sessions", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `
			SELECT id FROM interview_sessions
			WHERE status = 'active' AND time_limit_minutes > 0
			  AND created_at + make_interval(mins => time_limit_minutes) <= $1
			ORDER BY created_at, id LIMIT $2`, now, max(limit, 0))
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: overdue sessions: %w", err)
	}
	if ids == nil {
		ids = []string{}
	}
	return ids, nil
}

// UpdateSession stores the state of a session that moves as the interview
// goes on: status, current question, the targets probed, updated_at and
// finished_at. The rest of a session is fixed when it is created.
func (s *Store) UpdateSession(ctx context.Context, sess *interview.Session) error {
	if err := checkStatus(sess.Status); err != nil {
		return fmt.Errorf("postgres: update session %s: %w", sess.ID, err)
	}
	if err := checkProbed(sess.Probed); err != nil {
		return fmt.Errorf("postgres: update session %s: %w", sess.ID, err)
	}
	probed, err := jsonArray(sess.Probed)
	if err != nil {
		return fmt.Errorf("postgres: update session %s: %w", sess.ID, err)
	}
	var n int64
	// The same UPDATE twice leaves the same row: safe to retry.
	err = s.retry(ctx, "update session", func(ctx context.Context) error {
		tag, err := s.pool.Exec(ctx, `
			UPDATE interview_sessions
			SET status = $2, current_question = $3, probed = $4, updated_at = $5, finished_at = $6
			WHERE id = $1`,
			sess.ID, sess.Status, sess.Current, probed, sess.UpdatedAt, sess.FinishedAt)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: update session %s: %w", sess.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("postgres: update session %s: %w", sess.ID, interview.ErrNotFound)
	}
	return nil
}

// AppendMessage assigns m the session's next seq and stores it, unless m
// has a client id already stored for the session: then nothing is stored
// and the stored message comes back with stored=false.
//
// See appendOnce for how concurrent appends take turns and for what
// happens when the connection is lost.
func (s *Store) AppendMessage(ctx context.Context, sessionID string, m interview.Message) (interview.Message, bool, error) {
	return s.appendMessage(ctx, sessionID, m, nil)
}

func commitTx(ctx context.Context, tx pgx.Tx) error { return tx.Commit(ctx) }

// querier runs a query returning one row: a transaction or the pool.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// uncertainCommit is the error of an append whose COMMIT was sent but
// whose connection broke before the answer came: the message may or may
// not have been stored.
type uncertainCommit struct {
	m   interview.Message // what was being committed, with its seq
	err error
}

func (e *uncertainCommit) Error() string {
	return fmt.Sprintf("commit of message %d: outcome unknown: %v", e.m.Seq, e.err)
}

func (e *uncertainCommit) Unwrap() error { return e.err }

// errSeqTaken: the seq chosen was stored meanwhile by a writer that did
// not take the session lock. The transaction was rolled back.
var errSeqTaken = errors.New("the next seq was taken by a concurrent writer")

// appendMessage is AppendMessage with the commit as a parameter, so tests
// can break the connection around it. With a nil commit the first attempt
// is appendBatch (one round trip) and any later one appendOnce.
func (s *Store) appendMessage(ctx context.Context, sessionID string, m interview.Message,
	commit func(context.Context, pgx.Tx) error) (interview.Message, bool, error) {
	if err := checkMessage(m); err != nil {
		return interview.Message{}, false, fmt.Errorf("postgres: append message to session %s: %w", sessionID, err)
	}
	m.At = m.At.UTC()
	var (
		saved  interview.Message
		stored bool
		// unsure is the message of an attempt whose commit may have
		// happened, for the next attempt to look for.
		unsure *interview.Message
		err    error
	)
	for range seqAttempts {
		err = s.retry(ctx, "append message", func(ctx context.Context) error {
			var err error
			switch {
			case commit == nil && unsure == nil:
				saved, stored, err = s.appendBatch(ctx, sessionID, m)
			case commit == nil:
				saved, stored, err = s.appendOnce(ctx, sessionID, m, unsure, commitTx)
			default:
				saved, stored, err = s.appendOnce(ctx, sessionID, m, unsure, commit)
			}
			if uc, ok := errors.AsType[*uncertainCommit](err); ok {
				unsure = &uc.m
				s.log.Warn("connection lost while committing a message; the next attempt checks whether it was stored",
					slog.String("session", sessionID), slog.Int64("seq", uc.m.Seq))
			}
			return err
		})
		if !errors.Is(err, errSeqTaken) {
			break
		}
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows), isForeignKey(err, messagesSession):
		// No session row to lock, or (for a racing delete) none to
		// reference.
		return interview.Message{}, false, fmt.Errorf("postgres: append message to session %s: %w", sessionID, interview.ErrNotFound)
	case err != nil:
		return interview.Message{}, false, fmt.Errorf("postgres: append message to session %s: %w", sessionID, err)
	}
	return saved, stored, nil
}

// appendBatch is appendOnce's steps 1 and 3 sent as one batch: pgx sends
// it as one pipeline ended by a single Sync, which PostgreSQL runs as one
// implicit transaction, so the lock is held until the insert commits, the
// insert (a statement of its own under READ COMMITTED) sees the previous
// holder's message, and the whole append costs one round trip instead of
// four. Step 2 comes for free: an insert whose client id is stored already
// conflicts, stores nothing and returns no row, and the stored message is
// read afterwards. A missing session fails the lock (no row) and the
// insert (its foreign key). When the connection breaks after the batch was
// sent, the outcome is unknown: the message comes back in uncertainCommit
// without a seq, and the next attempt (appendOnce) looks for it by its
// other fields.
func (s *Store) appendBatch(ctx context.Context, sessionID string, m interview.Message) (interview.Message, bool, error) {
	b := &pgx.Batch{}
	b.Queue("SELECT 1 FROM interview_sessions WHERE id = $1 FOR NO KEY UPDATE", sessionID)
	b.Queue(insertMessage, sessionID, m.Role, m.Kind, m.Text, m.Dimension, m.Question, m.ClientID, m.At)
	br := s.pool.SendBatch(ctx, b)
	lockErr := br.QueryRow().Scan(new(int))
	saved := m
	insertErr := br.QueryRow().Scan(&saved.Seq, &saved.At)
	closeErr := br.Close()
	err := cmp.Or(lockErr, insertErr, closeErr)
	switch {
	case err == nil:
		saved.At = saved.At.UTC()
		return saved, true, nil
	case lockErr == nil && errors.Is(insertErr, pgx.ErrNoRows) && closeErr == nil:
		got, err := storedByClientID(ctx, s.pool, sessionID, m.ClientID)
		if err != nil {
			return interview.Message{}, false, fmt.Errorf("read the message stored with client id %q: %w", m.ClientID, err)
		}
		return got, false, nil
	case isUniqueViolation(err, messagesPrimaryKey):
		return interview.Message{}, false, errSeqTaken
	case connectionLost(err) && !pgconn.SafeToRetry(err):
		return interview.Message{}, false, &uncertainCommit{m: m, err: err}
	}
	return interview.Message{}, false, err
}

// insertMessage stores a message at the session's next seq; a client id
// stored before makes it store nothing and return no row.
const insertMessage = `
		INSERT INTO interview_messages (session_id, seq, role, kind, text, dimension, question, client_id, at)
		VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM interview_messages WHERE session_id = $1),
		        $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (session_id, client_id) WHERE client_id <> '' DO NOTHING
		RETURNING seq, at`

// appendOnce is one attempt at AppendMessage, in one transaction:
//
//  1. lock the session's row (FOR NO KEY UPDATE). Every append to the
//     session, from any process, takes this lock first, so they run one
//     after another; the lock is held until commit. NO KEY UPDATE is the
//     strongest lock needed: it excludes other appends (and UpdateSession,
//     whose UPDATE takes the same lock) but not the KEY SHARE lock that
//     the foreign keys of a concurrent SaveScorecard take.
//  2. if m has a client id already stored for the session, return the
//     stored message (stored=false).
//  3. insert m with seq = max(seq) + 1. Under READ COMMITTED each
//     statement sees everything committed before it started, so after
//     waiting for the lock this sees the previous holder's message.
//  4. commit.
//
// A writer that skips the lock (none in this package; a future one, or a
// person with psql) is handled by the constraints: the insert's ON
// CONFLICT on the (session_id, client_id) unique index waits for a racing
// insert of the same client id and then stores nothing (the stored
// message is returned, stored=false), and a seq taken under our feet
// fails the primary key, which rolls back and starts over (errSeqTaken).
//
// Retrying after a lost connection (Store.retry) is safe whenever the
// COMMIT was not sent: the server rolls back a transaction whose
// connection dies. When it was sent and no answer came, the outcome is
// unknown (uncertainCommit), and the next attempt, passed the message as
// unsure, first looks for it: after taking the lock — which also waits
// out the old transaction if the server is still finishing it — a row at
// the seq it was given with every field equal (down to the microsecond of
// At) is that message, stored by the lost commit; it is returned with
// stored=true, as the first attempt would have. Otherwise it was not
// stored and this attempt stores it. Either way the message is stored once
// and the caller learns that it was stored; a client id makes even a
// mistaken second insert impossible.
func (s *Store) appendOnce(ctx context.Context, sessionID string, m interview.Message, unsure *interview.Message,
	commit func(context.Context, pgx.Tx) error) (interview.Message, bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return interview.Message{}, false, err
	}
	defer func() {
		// A no-op after a commit; otherwise it ends the transaction and
		// releases the lock at once, even when ctx is done (bounded, in
		// case the connection hangs; the server rolls back a transaction
		// whose connection is gone anyway).
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = tx.Rollback(rctx)
	}()

	if err := tx.QueryRow(ctx, "SELECT 1 FROM interview_sessions WHERE id = $1 FOR NO KEY UPDATE", sessionID).Scan(new(int)); err != nil {
		return interview.Message{}, false, err
	}

	if unsure != nil {
		got, err := scanMessage(tx.QueryRow(ctx, `
			SELECT `+messageColumns+` FROM interview_messages
			WHERE session_id = $1 AND ($2 = 0 OR seq = $2) AND role = $3 AND kind = $4 AND text = $5
			  AND dimension = $6 AND question = $7 AND client_id = $8 AND at = $9`,
			sessionID, unsure.Seq, unsure.Role, unsure.Kind, unsure.Text, unsure.Dimension, unsure.Question,
			unsure.ClientID, unsure.At))
		switch {
		case err == nil:
			s.log.Info("the lost commit had stored the message", slog.String("session", sessionID), slog.Int64("seq", got.Seq))
			return got, true, nil
		case !errors.Is(err, pgx.ErrNoRows):
			return interview.Message{}, false, err
		}
		s.log.Info("the lost commit had not stored the message; storing it now", slog.String("session", sessionID))
	}

	if m.ClientID != "" {
		got, err := storedByClientID(ctx, tx, sessionID, m.ClientID)
		switch {
		case err == nil:
			return got, false, nil
		case !errors.Is(err, pgx.ErrNoRows):
			return interview.Message{}, false, err
		}
	}

	err = tx.QueryRow(ctx, insertMessage,
		sessionID, m.Role, m.Kind, m.Text, m.Dimension, m.Question, m.ClientID, m.At).Scan(&m.Seq, &m.At)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		// The client id was stored by a writer that raced past the lock.
		got, err := storedByClientID(ctx, tx, sessionID, m.ClientID)
		if err != nil {
			return interview.Message{}, false, fmt.Errorf("read the message stored with client id %q: %w", m.ClientID, err)
		}
		return got, false, nil
	case isUniqueViolation(err, messagesPrimaryKey):
		return interview.Message{}, false, errSeqTaken
	case err != nil:
		return interview.Message{}, false, err
	}
	m.At = m.At.UTC()

	if err := commit(ctx, tx); err != nil {
		if connectionLost(err) && !pgconn.SafeToRetry(err) {
			return interview.Message{}, false, &uncertainCommit{m: m, err: err}
		}
		return interview.Message{}, false, err
	}
	return m, true, nil
}

func storedByClientID(ctx context.Context, q querier, sessionID, clientID string) (interview.Message, error) {
	return scanMessage(q.QueryRow(ctx,
		"SELECT "+messageColumns+" FROM interview_messages WHERE session_id = $1 AND client_id = $2",
		sessionID, clientID))
}

// Messages returns the session's messages with seq > afterSeq, in order;
// an empty slice when there are none, and an error wrapping
// interview.ErrNotFound for an unknown session.
func (s *Store) Messages(ctx context.Context, sessionID string, afterSeq int64) ([]interview.Message, error) {
	var msgs []interview.Message
	err := s.retry(ctx, "get messages", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx,
			"SELECT "+messageColumns+" FROM interview_messages WHERE session_id = $1 AND seq > $2 ORDER BY seq",
			sessionID, afterSeq)
		if err != nil {
			return err
		}
		msgs, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (interview.Message, error) {
			return scanMessage(row)
		})
		if err != nil || len(msgs) > 0 {
			return err
		}
		// Nothing after afterSeq: is there a session at all?
		var exists bool
		if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM interview_sessions WHERE id = $1)", sessionID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return interview.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: messages of session %s: %w", sessionID, err)
	}
	if msgs == nil {
		msgs = []interview.Message{}
	}
	return msgs, nil
}

// SaveScorecard stores the session's scorecard, replacing any stored
// before.
func (s *Store) SaveScorecard(ctx context.Context, sessionID string, sc *interview.Scorecard) error {
	if sc == nil {
		return fmt.Errorf("postgres: save scorecard of session %s: %w: no scorecard", sessionID, interview.ErrInvalidInput)
	}
	b, err := json.Marshal(sc)
	if err != nil {
		return fmt.Errorf("postgres: save scorecard of session %s: %w", sessionID, err)
	}
	// An upsert: running it twice leaves the same row, so it may be retried.
	err = s.retry(ctx, "save scorecard", func(ctx context.Context) error {
		_, err := s.pool.Exec(ctx, `
			INSERT INTO interview_scorecards (session_id, decision, scorecard) VALUES ($1, $2, $3)
			ON CONFLICT (session_id) DO UPDATE
			SET decision = EXCLUDED.decision, scorecard = EXCLUDED.scorecard, updated_at = now()`,
			sessionID, sc.Decision, b)
		return err
	})
	switch {
	case isForeignKey(err, scorecardsSession):
		return fmt.Errorf("postgres: save scorecard of session %s: %w", sessionID, interview.ErrNotFound)
	case invalidText(err):
		return fmt.Errorf("postgres: save scorecard of session %s: %w: %w", sessionID, interview.ErrInvalidInput, err)
	case err != nil:
		return fmt.Errorf("postgres: save scorecard of session %s: %w", sessionID, err)
	}
	return nil
}

// Scorecard returns the session's scorecard, or an error wrapping
// interview.ErrNotFound when the session is unknown or has none.
func (s *Store) Scorecard(ctx context.Context, sessionID string) (*interview.Scorecard, error) {
	var b []byte
	err := s.retry(ctx, "get scorecard", func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, "SELECT scorecard FROM interview_scorecards WHERE session_id = $1", sessionID).Scan(&b)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: scorecard of session %s: %w", sessionID, interview.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: scorecard of session %s: %w", sessionID, err)
	}
	sc := new(interview.Scorecard)
	if err := json.Unmarshal(b, sc); err != nil {
		return nil, fmt.Errorf("postgres: scorecard of session %s: decode: %w", sessionID, err)
	}
	return sc, nil
}

func scanSession(row pgx.Row) (*interview.Session, error) {
	var (
		sess                          interview.Session
		questions, probeOrder, probed []byte
		createdAt, updatedAt          time.Time
		finishedAt                    *time.Time
	)
	err := row.Scan(&sess.ID, &sess.TokenHash, &sess.Org, &sess.QuestionSetID, &sess.QuestionSetVersion,
		&sess.Candidate, &sess.Level, &questions, &sess.ProbesPerQuestion, &probeOrder, &sess.Status,
		&sess.Current, &probed, &createdAt, &updatedAt, &finishedAt, &sess.TimeLimitMinutes)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		b    []byte
		v    any
	}{{"questions", questions, &sess.Questions}, {"probe_order", probeOrder, &sess.ProbeOrder}, {"probed", probed, &sess.Probed}} {
		if err := json.Unmarshal(f.b, f.v); err != nil {
			return nil, fmt.Errorf("decode %s: %w", f.name, err)
		}
	}
	if len(sess.ProbeOrder) == 0 {
		sess.ProbeOrder = nil // "none", as the JSON of a session says it
	}
	sess.CreatedAt, sess.UpdatedAt = createdAt.UTC(), updatedAt.UTC()
	if finishedAt != nil {
		t := finishedAt.UTC()
		sess.FinishedAt = &t
	}
	return &sess, nil
}

func scanMessage(row pgx.Row) (interview.Message, error) {
	var m interview.Message
	if err := row.Scan(&m.Seq, &m.Role, &m.Kind, &m.Text, &m.Dimension, &m.Question, &m.ClientID, &m.At); err != nil {
		return interview.Message{}, err
	}
	m.At = m.At.UTC()
	return m, nil
}

// jsonArray encodes a slice for a jsonb array column; nil is the empty
// array, which the columns' checks (jsonb_typeof = 'array') accept.
func jsonArray[T any](v []T) ([]byte, error) {
	if v == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(v)
}

// checkSession rejects what the tables cannot hold, as invalid input
// rather than as a database error.
func checkSession(sess *interview.Session) error {
	if sess == nil {
		return fmt.Errorf("%w: no session", interview.ErrInvalidInput)
	}
	if sess.ID == "" {
		return fmt.Errorf("%w: the session has no id", interview.ErrInvalidInput)
	}
	if err := checkStatus(sess.Status); err != nil {
		return err
	}
	fields := []struct{ name, val string }{
		{"id", sess.ID}, {"token hash", sess.TokenHash}, {"org", sess.Org}, {"question set id", sess.QuestionSetID},
		{"candidate", sess.Candidate}, {"level", sess.Level},
	}
	for _, q := range sess.Questions {
		fields = append(fields, struct{ name, val string }{"question id", q.ID},
			struct{ name, val string }{"question principle", q.Principle}, struct{ name, val string }{"question text", q.Text})
	}
	for _, d := range sess.ProbeOrder {
		fields = append(fields, struct{ name, val string }{"probe order", d})
	}
	for _, f := range fields {
		if err := checkText(f.name, f.val); err != nil {
			return fmt.Errorf("%w: %w", interview.ErrInvalidInput, err)
		}
	}
	return checkProbed(sess.Probed)
}

func checkProbed(probed [][]string) error {
	for _, targets := range probed {
		for _, t := range targets {
			if err := checkText("probed target", t); err != nil {
				return fmt.Errorf("%w: %w", interview.ErrInvalidInput, err)
			}
		}
	}
	return nil
}

func checkStatus(status string) error {
	if status != interview.StatusActive && status != interview.StatusFinished {
		return fmt.Errorf("%w: session status %q", interview.ErrInvalidInput, status)
	}
	return nil
}

func checkMessage(m interview.Message) error {
	for _, f := range []struct{ name, val string }{
		{"role", m.Role}, {"kind", m.Kind}, {"text", m.Text}, {"dimension", m.Dimension}, {"client id", m.ClientID},
	} {
		if err := checkText("message "+f.name, f.val); err != nil {
			return fmt.Errorf("%w: %w", interview.ErrInvalidInput, err)
		}
	}
	if m.Question < 0 {
		return fmt.Errorf("%w: message question %d", interview.ErrInvalidInput, m.Question)
	}
	return nil
}

func isUniqueViolation(err error, constraint string) bool {
	pgErr, ok := errors.AsType[*pgconn.PgError](err)
	return ok && pgErr.Code == "23505" && pgErr.ConstraintName == constraint
}

func isForeignKey(err error, constraint string) bool {
	pgErr, ok := errors.AsType[*pgconn.PgError](err)
	return ok && pgErr.Code == "23503" && pgErr.ConstraintName == constraint
}

// invalidText reports text PostgreSQL cannot store: a NUL character
// (which jsonb rejects as \u0000 too) or bytes invalid in its encoding.
func invalidText(err error) bool {
	pgErr, ok := errors.AsType[*pgconn.PgError](err)
	return ok && (pgErr.Code == "22P05" || pgErr.Code == "22021")
}
