package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"barraiser/internal/interview"
)

// Internals of the session store for the tests in package postgres_test.

// AppendMessageCommitting is AppendMessage with commit in place of
// tx.Commit, for tests that break the connection around the commit.
func (s *Store) AppendMessageCommitting(ctx context.Context, sessionID string, m interview.Message,
	commit func(context.Context, pgx.Tx) error) (interview.Message, bool, error) {
	return s.appendMessage(ctx, sessionID, m, commit)
}

// AppendAfterLostBatch is the attempt that follows a batched append whose
// outcome was lost with the connection: unsure is the message it sent,
// without a seq.
func (s *Store) AppendAfterLostBatch(ctx context.Context, sessionID string, m interview.Message) (interview.Message, bool, error) {
	unsure := m
	unsure.At = unsure.At.UTC()
	return s.appendOnce(ctx, sessionID, unsure, &unsure, commitTx)
}
