package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"barraiser/internal/interview"
	"barraiser/internal/rubric"
	"barraiser/internal/store/postgres"
	"barraiser/internal/store/postgres/pgtest"
	"barraiser/internal/store/storetest"
	"barraiser/migrations"
)

// TestSessionStore holds the PostgreSQL store to the contract the
// in-memory one is held to, on the package database.
func TestSessionStore(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	storetest.SessionStoreSuite(t, func(*testing.T) interview.Store { return s })
}

// TestAppendFromTwoProcesses: two stores with their own connection pools
// on one database — two server processes — appending to one session at
// once still number its messages 1, 2, 3, … with no gap, and store each
// client id once.
func TestAppendFromTwoProcesses(t *testing.T) {
	t.Parallel()
	a, _ := open(t, "")
	b, _ := open(t, "")
	sess := storetest.Create(t, a, nil)
	storetest.ConcurrentAppend(t, []interview.Store{a, b}, sess.ID)
}

// TestSessionSurvivesRestart: everything a store wrote is there for a new
// store on the same database, and numbering carries on.
func TestSessionSurvivesRestart(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	ctx := t.Context()
	before, _ := open(t, url)
	sess := storetest.Create(t, before, nil)
	var msgs []interview.Message
	for _, m := range []interview.Message{
		storetest.Answer("I owned the outage review.", "c-1", 0),
		storetest.Probe("What did you measure?", "metrics", 0),
	} {
		saved, _, err := before.AppendMessage(ctx, sess.ID, m)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, saved)
	}
	sess.Current, sess.Probed, sess.UpdatedAt = 1, [][]string{{"metrics"}, {}}, storetest.At(time.Hour)
	if err := before.UpdateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	card := storetest.NewScorecard(sess.ID, rubric.Hire)
	if err := before.SaveScorecard(ctx, sess.ID, card); err != nil {
		t.Fatal(err)
	}
	before.Close() // the server stops

	after, _ := open(t, url)
	got, err := after.Session(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := storetest.SameSession(got, sess); d != "" {
		t.Error(d)
	}
	gotMsgs, err := after.Messages(ctx, sess.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	storetest.CheckMessages(t, gotMsgs, msgs)
	if sc, err := after.Scorecard(ctx, sess.ID); err != nil || sc.Decision != rubric.Hire {
		t.Errorf("scorecard after restart: %+v %v", sc, err)
	}
	// The re-sent answer is still recognised, and numbering continues.
	if dup, stored, err := after.AppendMessage(ctx, sess.ID, storetest.Answer("again", "c-1", 0)); err != nil || stored || dup.Seq != 1 {
		t.Errorf("re-sent answer after restart: %+v stored=%v %v", dup, stored, err)
	}
	if next, _, err := after.AppendMessage(ctx, sess.ID, storetest.Answer("more", "c-2", 0)); err != nil || next.Seq != 3 {
		t.Errorf("next message after restart: seq %d %v, want 3", next.Seq, err)
	}
}

// TestDeleteSessionCascades: deleting a session (as a retention job
// would, in plain SQL) deletes its messages and scorecard.
func TestDeleteSessionCascades(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	ctx := t.Context()
	sess := storetest.Create(t, s, nil)
	keep := storetest.Create(t, s, nil)
	for _, id := range []string{sess.ID, keep.ID} {
		for i := range 3 {
			if _, _, err := s.AppendMessage(ctx, id, storetest.Answer("a", fmt.Sprint(i), 0)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SaveScorecard(ctx, id, storetest.NewScorecard(id, rubric.NoHire)); err != nil {
			t.Fatal(err)
		}
	}
	if tag, err := s.Pool().Exec(ctx, "DELETE FROM interview_sessions WHERE id = $1", sess.ID); err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("delete: %v %v", tag, err)
	}
	count := func(table, id string) int {
		var n int
		if err := s.Pool().QueryRow(ctx, "SELECT count(*) FROM "+table+" WHERE session_id = $1", id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, table := range []string{"interview_messages", "interview_scorecards"} {
		if n := count(table, sess.ID); n != 0 {
			t.Errorf("%d rows of the deleted session left in %s", n, table)
		}
	}
	if n := count("interview_messages", keep.ID); n != 3 {
		t.Errorf("the other session has %d messages, want 3", n)
	}
	if _, err := s.Messages(ctx, sess.ID, 0); !errors.Is(err, interview.ErrNotFound) {
		t.Errorf("messages of the deleted session: %v", err)
	}
	if _, err := s.Scorecard(ctx, sess.ID); !errors.Is(err, interview.ErrNotFound) {
		t.Errorf("scorecard of the deleted session: %v", err)
	}
}

// TestAppendCommitOutcomeUnknown: the connection breaks around the COMMIT
// of an append. Whether or not the commit happened, the message ends up
// stored exactly once and AppendMessage reports it stored (stored=false
// would make the engine skip the turn that follows the answer).
func TestAppendCommitOutcomeUnknown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		clientID  string
		committed bool
	}{
		{"committed, answer lost", "", true},
		{"committed, answer lost, with client id", "c-9", true},
		{"connection killed before the commit", "", false},
		{"connection killed before the commit, with client id", "c-9", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, logs := open(t, "")
			ctx := t.Context()
			sess := storetest.Create(t, s, nil)
			for i := range 2 {
				if _, _, err := s.AppendMessage(ctx, sess.ID, storetest.Probe(fmt.Sprint(i), "metrics", 0)); err != nil {
					t.Fatal(err)
				}
			}
			calls := 0
			commit := func(ctx context.Context, tx pgx.Tx) error {
				calls++
				if calls > 1 {
					return tx.Commit(ctx)
				}
				if tc.committed {
					if err := tx.Commit(ctx); err != nil {
						return err
					}
					return fmt.Errorf("read commit response: %w", io.ErrUnexpectedEOF)
				}
				// What a server restart does to the connection.
				pgtest.Exec(t, "SELECT pg_terminate_backend($1, 10000)", tx.Conn().PgConn().PID())
				err := tx.Commit(ctx)
				t.Logf("commit on the terminated connection: %v", err)
				return err
			}
			m := storetest.Answer("the answer", tc.clientID, 0)
			saved, stored, err := s.AppendMessageCommitting(ctx, sess.ID, m, commit)
			if err != nil {
				t.Fatal(err)
			}
			m.Seq = 3
			if !stored || !storetest.SameMessage(saved, m) {
				t.Errorf("got %+v stored=%v, want %+v stored=true", saved, stored, m)
			}
			msgs, err := s.Messages(ctx, sess.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 3 || !storetest.SameMessage(msgs[2], m) {
				t.Errorf("stored messages: %+v; want the two before and %+v once", msgs, m)
			}
			if !strings.Contains(logs.String(), "database connection lost; reconnecting") {
				t.Errorf("the lost connection was not logged:\n%s", logs)
			}
			uncertain := strings.Contains(logs.String(), "the next attempt checks whether it was stored")
			wantLog := "the lost commit had not stored the message"
			if tc.committed {
				wantLog = "the lost commit had stored the message"
			}
			switch {
			case tc.committed && !uncertain:
				t.Errorf("a commit whose answer was lost was not treated as uncertain:\n%s", logs)
			case !uncertain:
				t.Logf("pgx knew the commit had not been sent: a plain retry")
			case !strings.Contains(logs.String(), wantLog):
				t.Errorf("log lacks %q:\n%s", wantLog, logs)
			}
		})
	}
}

// TestAppendAfterLostBatch: a batched append (one round trip) whose
// connection broke after it was sent may or may not have stored the
// message, and its seq is unknown. The next attempt finds the message by
// its other fields if it was stored, and stores it otherwise: once either
// way, reported stored.
func TestAppendAfterLostBatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		clientID string
		stored   bool // whether the lost batch had committed
	}{
		{"the lost batch had stored it", "", true},
		{"the lost batch had stored it, with client id", "c-1", true},
		{"the lost batch had not stored it", "", false},
		{"the lost batch had not stored it, with client id", "c-1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _ := open(t, "")
			ctx := t.Context()
			sess := storetest.Create(t, s, nil)
			if _, _, err := s.AppendMessage(ctx, sess.ID, storetest.Probe("first", "metrics", 0)); err != nil {
				t.Fatal(err)
			}
			m := storetest.Answer("the answer", tc.clientID, 0)
			if tc.stored {
				if _, _, err := s.AppendMessage(ctx, sess.ID, m); err != nil {
					t.Fatal(err)
				}
			}
			saved, stored, err := s.AppendAfterLostBatch(ctx, sess.ID, m)
			if err != nil {
				t.Fatal(err)
			}
			m.Seq = 2
			if !stored || !storetest.SameMessage(saved, m) {
				t.Errorf("got %+v stored=%v, want %+v stored=true", saved, stored, m)
			}
			msgs, err := s.Messages(ctx, sess.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 2 || !storetest.SameMessage(msgs[1], m) {
				t.Errorf("stored messages: %+v; want the probe and %+v once", msgs, m)
			}
		})
	}
}

// TestAppendRacesWriterWithoutLock: a writer that inserts a message
// without taking the session lock (a future code path, a person with
// psql) and has not committed yet. AppendMessage waits for it, then, by
// the database's constraints alone:
//   - the same client id (at another seq, so only the client id index
//     conflicts): stores nothing and returns the other writer's message
//     (stored=false);
//   - the same seq: starts over and takes the next seq;
//   - the other writer rolls back: takes the seq it would have had.
func TestAppendRacesWriterWithoutLock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		theirSeq    int64
		theirClient string
		ourClient   string
		rollback    bool
		wantSeq     int64
		wantStored  bool
	}{
		{"same client id", 5, "raced", "raced", false, 5, false},
		{"same seq, no client ids", 1, "", "", false, 2, true},
		{"same seq, different client ids", 1, "theirs", "ours", false, 2, true},
		{"other writer rolls back", 1, "raced", "raced", true, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _ := open(t, "")
			ctx := t.Context()
			sess := storetest.Create(t, s, nil)

			tx, err := s.Pool().Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
			if _, err := tx.Exec(ctx, `INSERT INTO interview_messages (session_id, seq, role, kind, text, client_id, at)
				VALUES ($1, $2, 'candidate', 'answer', 'from the other writer', $3, now())`, sess.ID, tc.theirSeq, tc.theirClient); err != nil {
				t.Fatal(err)
			}
			type result struct {
				m      interview.Message
				stored bool
				err    error
			}
			done := make(chan result, 1)
			go func() {
				var r result
				r.m, r.stored, r.err = s.AppendMessage(ctx, sess.ID, storetest.Answer("ours", tc.ourClient, 0))
				done <- r
			}()
			waitUntilBlocked(t, s.Pool(), tx.Conn().PgConn().PID(), done)
			if tc.rollback {
				err = tx.Rollback(ctx)
			} else {
				err = tx.Commit(ctx)
			}
			if err != nil {
				t.Fatal(err)
			}
			var r result
			select {
			case r = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("AppendMessage still waiting after the other writer finished")
			}
			if r.err != nil {
				t.Fatal(r.err)
			}
			if r.m.Seq != tc.wantSeq || r.stored != tc.wantStored {
				t.Errorf("got seq %d stored=%v (%q), want seq %d stored=%v", r.m.Seq, r.stored, r.m.Text, tc.wantSeq, tc.wantStored)
			}
			if !tc.wantStored && r.m.Text != "from the other writer" {
				t.Errorf("the duplicate came back as %+v, want the other writer's message", r.m)
			}
			msgs, err := s.Messages(ctx, sess.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if tc.theirSeq != 1 {
				return // the other writer made the gap
			}
			for i, m := range msgs {
				if m.Seq != int64(i+1) {
					t.Errorf("seqs %v have a gap", msgs)
				}
			}
		})
	}
}

// waitUntilBlocked waits until some backend waits for a lock held by the
// backend pid, failing if done delivers first (the call did not wait).
func waitUntilBlocked[T any](t *testing.T, pool *pgxpool.Pool, pid uint32, done <-chan T) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	timeout := time.After(30 * time.Second)
	for {
		var n int
		if err := pool.QueryRow(t.Context(),
			"SELECT count(*) FROM pg_stat_activity WHERE $1::int = ANY (pg_blocking_pids(pid))", int32(pid)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		select {
		case r := <-done:
			t.Fatalf("returned without waiting for the other writer: %+v", r)
		case <-timeout:
			t.Fatal("nothing waited for the other writer's lock")
		case <-tick.C:
		}
	}
}

// TestSessionTextPostgresCannotHold: what PostgreSQL text cannot hold (NUL)
// is invalid input, not a database failure.
func TestSessionTextPostgresCannotHold(t *testing.T) {
	t.Parallel()
	s, _ := open(t, "")
	ctx := t.Context()
	sess := storetest.Create(t, s, nil)
	card := storetest.NewScorecard(sess.ID, rubric.Hire)
	card.Summary = "nul \x00 byte"
	for _, tc := range []struct {
		op string
		f  func() error
	}{
		{"AppendMessage", func() error {
			_, _, err := s.AppendMessage(ctx, sess.ID, storetest.Answer("nul \x00 byte", "c", 0))
			return err
		}},
		{"AppendMessage client id", func() error {
			_, _, err := s.AppendMessage(ctx, sess.ID, storetest.Answer("text", "c\x00", 0))
			return err
		}},
		{"CreateSession", func() error {
			n := storetest.NewSession()
			n.Candidate = "nul \x00"
			return s.CreateSession(ctx, n)
		}},
		{"CreateSession question", func() error {
			n := storetest.NewSession()
			n.Questions[1].Text = "nul \x00"
			return s.CreateSession(ctx, n)
		}},
		{"CreateSession status", func() error {
			n := storetest.NewSession()
			n.Status = "paused"
			return s.CreateSession(ctx, n)
		}},
		{"UpdateSession probed", func() error {
			u := *sess
			u.Probed = [][]string{{"nul \x00"}, {}}
			return s.UpdateSession(ctx, &u)
		}},
		{"SaveScorecard", func() error { return s.SaveScorecard(ctx, sess.ID, card) }},
		{"SaveScorecard nil", func() error { return s.SaveScorecard(ctx, sess.ID, nil) }},
	} {
		if err := tc.f(); !errors.Is(err, interview.ErrInvalidInput) {
			t.Errorf("%s: %v, want ErrInvalidInput", tc.op, err)
		}
	}
	if msgs, err := s.Messages(ctx, sess.ID, 0); err != nil || len(msgs) != 0 {
		t.Errorf("%d messages stored, %v; want none", len(msgs), err)
	}
}

// TestSessionsMigrationDownAndUp: 0002's Down section undoes it (the
// vector table stays), and migrating again restores it.
func TestSessionsMigrationDownAndUp(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	ctx := t.Context()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	// Down to version 1: undoes the recruiting tables (3), which refer to
	// the session tables, and then the session tables (2).
	res, err := provider.DownTo(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Source.Version != 3 || res[1].Source.Version != 2 {
		t.Fatalf("DownTo(1) undid %d migrations, want versions 3 and 2", len(res))
	}
	tables := func() []string {
		t.Helper()
		rows, err := db.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
			WHERE table_schema = 'public' AND table_name IN ('exemplar_vectors', 'interview_sessions', 'interview_messages', 'interview_scorecards')
			ORDER BY table_name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			out = append(out, name)
		}
		return out
	}
	if got := tables(); !slices.Equal(got, []string{"exemplar_vectors"}) {
		t.Errorf("tables after Down: %v", got)
	}
	rep, err := postgres.Migrate(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Applied, []string{"0002_sessions.sql", "0003_recruiting.sql"}) || rep.Version != 3 {
		t.Errorf("migrating again: %+v", rep)
	}
	if got := tables(); len(got) != 4 {
		t.Errorf("tables after migrating again: %v", got)
	}
}
