package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"barraiser/internal/interview"
	"barraiser/internal/recruiting"
)

// Recruiting data, in the tables of migrations/0003_recruiting.sql. *Store
// implements recruiting.Store, and recruiting.SessionStore over the
// interview tables.

var (
	_ recruiting.Store        = (*Store)(nil)
	_ recruiting.SessionStore = (*Store)(nil)
)

// uniqueViolation reports whether err is a unique or primary key
// violation.
func uniqueViolation(err error) bool {
	pgErr, ok := errors.AsType[*pgconn.PgError](err)
	return ok && pgErr.Code == "23505"
}

// notFound turns pgx.ErrNoRows into recruiting.ErrNotFound.
func notFound(what string, err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: %s: %w", what, recruiting.ErrNotFound)
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}

// exec runs one statement with the store's retry and reports the rows it
// touched.
func (s *Store) exec(ctx context.Context, op, sql string, args ...any) (int64, error) {
	var n int64
	err := s.retry(ctx, op, func(ctx context.Context) error {
		tag, err := s.pool.Exec(ctx, sql, args...)
		n = tag.RowsAffected()
		return err
	})
	return n, err
}

// CreateOrg stores an org with its first recruiter in one transaction.
func (s *Store) CreateOrg(ctx context.Context, o *recruiting.Org, admin *recruiting.Recruiter) error {
	err := s.retry(ctx, "create org", func(ctx context.Context) error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO orgs (id, name, retention_days, created_at) VALUES ($1, $2, $3, $4)`,
				o.ID, o.Name, o.RetentionDays, o.CreatedAt); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO recruiters (id, org_id, email, password_hash, role, created_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, admin.ID, o.ID, admin.Email, admin.PasswordHash, admin.Role, admin.CreatedAt)
			return err
		})
	})
	if uniqueViolation(err) {
		return fmt.Errorf("postgres: create org: the email or id is taken: %w", recruiting.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("postgres: create org: %w", err)
	}
	return nil
}

const orgColumns = "id, name, retention_days, created_at"

func scanOrg(row pgx.Row) (*recruiting.Org, error) {
	var o recruiting.Org
	if err := row.Scan(&o.ID, &o.Name, &o.RetentionDays, &o.CreatedAt); err != nil {
		return nil, err
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return &o, nil
}

// Org returns an org.
func (s *Store) Org(ctx context.Context, id string) (*recruiting.Org, error) {
	var o *recruiting.Org
	err := s.retry(ctx, "get org", func(ctx context.Context) error {
		var err error
		o, err = scanOrg(s.pool.QueryRow(ctx, "SELECT "+orgColumns+" FROM orgs WHERE id = $1", id))
		return err
	})
	if err != nil {
		return nil, notFound("org "+id, err)
	}
	return o, nil
}

// Orgs lists every org.
func (s *Store) Orgs(ctx context.Context) ([]recruiting.Org, error) {
	var out []recruiting.Org
	err := s.retry(ctx, "list orgs", func(ctx context.Context) error {
		out = nil
		rows, err := s.pool.Query(ctx, "SELECT "+orgColumns+" FROM orgs ORDER BY id")
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (recruiting.Org, error) {
			o, err := scanOrg(r)
			if err != nil {
				return recruiting.Org{}, err
			}
			return *o, nil
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list orgs: %w", err)
	}
	return out, nil
}

// SetRetention sets an org's retention period.
func (s *Store) SetRetention(ctx context.Context, orgID string, days int) error {
	n, err := s.exec(ctx, "set retention", "UPDATE orgs SET retention_days = $2 WHERE id = $1", orgID, days)
	if err != nil {
		return fmt.Errorf("postgres: set retention of %s: %w", orgID, err)
	}
	if n == 0 {
		return fmt.Errorf("postgres: org %s: %w", orgID, recruiting.ErrNotFound)
	}
	return nil
}

// RecruiterByEmail returns the recruiter with this (lower-case) email.
func (s *Store) RecruiterByEmail(ctx context.Context, email string) (*recruiting.Recruiter, error) {
	var r recruiting.Recruiter
	err := s.retry(ctx, "get recruiter", func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, `SELECT id, org_id, email, password_hash, role, created_at FROM recruiters WHERE email = $1`, email).
			Scan(&r.ID, &r.OrgID, &r.Email, &r.PasswordHash, &r.Role, &r.CreatedAt)
	})
	if err != nil {
		return nil, notFound("recruiter", err)
	}
	return &r, nil
}

// CreateRecruiter adds a recruiter to an org.
func (s *Store) CreateRecruiter(ctx context.Context, r *recruiting.Recruiter) error {
	_, err := s.exec(ctx, "create recruiter", `INSERT INTO recruiters (id, org_id, email, password_hash, role, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, r.ID, r.OrgID, r.Email, r.PasswordHash, r.Role, r.CreatedAt)
	if uniqueViolation(err) {
		return fmt.Errorf("postgres: create recruiter: the email is taken: %w", recruiting.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("postgres: create recruiter: %w", err)
	}
	return nil
}

// Recruiters lists the org's recruiters by email.
func (s *Store) Recruiters(ctx context.Context, orgID string) ([]recruiting.Recruiter, error) {
	var out []recruiting.Recruiter
	err := s.retry(ctx, "list recruiters", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `SELECT id, org_id, email, password_hash, role, created_at FROM recruiters
			WHERE org_id = $1 ORDER BY email`, orgID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (recruiting.Recruiter, error) {
			var x recruiting.Recruiter
			err := r.Scan(&x.ID, &x.OrgID, &x.Email, &x.PasswordHash, &x.Role, &x.CreatedAt)
			return x, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list recruiters: %w", err)
	}
	return out, nil
}

// CreateToken stores an API token.
func (s *Store) CreateToken(ctx context.Context, t *recruiting.APIToken) error {
	_, err := s.exec(ctx, "create token", `INSERT INTO api_tokens (id, org_id, recruiter_id, name, role, token_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, t.ID, t.OrgID, t.RecruiterID, t.Name, t.Role, t.Hash, t.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create token: %w", err)
	}
	return nil
}

// TokenByHash returns the token with this hash.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*recruiting.APIToken, error) {
	var t recruiting.APIToken
	err := s.retry(ctx, "get token", func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, `SELECT id, org_id, recruiter_id, name, role, token_hash, created_at, revoked_at
			FROM api_tokens WHERE token_hash = $1`, hash).
			Scan(&t.ID, &t.OrgID, &t.RecruiterID, &t.Name, &t.Role, &t.Hash, &t.CreatedAt, &t.RevokedAt)
	})
	if err != nil {
		return nil, notFound("token", err)
	}
	return &t, nil
}

// RevokeToken revokes a token of the org; an empty org matches any.
func (s *Store) RevokeToken(ctx context.Context, orgID, id string, at time.Time) error {
	n, err := s.exec(ctx, "revoke token", `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3)
		WHERE id = $1 AND ($2 = '' OR org_id = $2)`, id, orgID, at)
	if err != nil {
		return fmt.Errorf("postgres: revoke token: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("postgres: token %s: %w", id, recruiting.ErrNotFound)
	}
	return nil
}

// CreateLogin stores a console session.
func (s *Store) CreateLogin(ctx context.Context, l *recruiting.Login) error {
	_, err := s.exec(ctx, "create login", `INSERT INTO recruiter_logins (token_hash, csrf_hash, recruiter_id, org_id, role, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, l.Hash, l.CSRFHash, l.RecruiterID, l.OrgID, l.Role, l.CreatedAt, l.ExpiresAt)
	if err != nil {
		return fmt.Errorf("postgres: create login: %w", err)
	}
	return nil
}

// LoginByHash returns a console session.
func (s *Store) LoginByHash(ctx context.Context, hash string) (*recruiting.Login, error) {
	var l recruiting.Login
	err := s.retry(ctx, "get login", func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, `SELECT token_hash, csrf_hash, recruiter_id, org_id, role, created_at, expires_at
			FROM recruiter_logins WHERE token_hash = $1`, hash).
			Scan(&l.Hash, &l.CSRFHash, &l.RecruiterID, &l.OrgID, &l.Role, &l.CreatedAt, &l.ExpiresAt)
	})
	if err != nil {
		return nil, notFound("login", err)
	}
	return &l, nil
}

// DeleteLogin ends a console session.
func (s *Store) DeleteLogin(ctx context.Context, hash string) error {
	if _, err := s.exec(ctx, "delete login", "DELETE FROM recruiter_logins WHERE token_hash = $1", hash); err != nil {
		return fmt.Errorf("postgres: delete login: %w", err)
	}
	return nil
}

// DeleteExpiredLogins removes the console sessions expired at t.
func (s *Store) DeleteExpiredLogins(ctx context.Context, t time.Time) (int, error) {
	n, err := s.exec(ctx, "delete expired logins", "DELETE FROM recruiter_logins WHERE expires_at <= $1", t)
	if err != nil {
		return 0, fmt.Errorf("postgres: delete expired logins: %w", err)
	}
	return int(n), nil
}

// AddQuestionSetVersion stores a version of a set.
func (s *Store) AddQuestionSetVersion(ctx context.Context, qs *recruiting.QuestionSet) error {
	body, err := json.Marshal(qs)
	if err != nil {
		return fmt.Errorf("postgres: question set %s: encode: %w", qs.ID, err)
	}
	_, err = s.exec(ctx, "add question set", `INSERT INTO question_sets (id, version, org_id, body, created_at)
		VALUES ($1, $2, $3, $4, $5)`, qs.ID, qs.Version, qs.OrgID, body, qs.CreatedAt)
	if uniqueViolation(err) {
		return fmt.Errorf("postgres: question set %s v%d exists: %w", qs.ID, qs.Version, recruiting.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("postgres: add question set %s: %w", qs.ID, err)
	}
	return nil
}

func decodeSet(b []byte) (recruiting.QuestionSet, error) {
	var qs recruiting.QuestionSet
	if err := json.Unmarshal(b, &qs); err != nil {
		return qs, fmt.Errorf("decode question set: %w", err)
	}
	return qs, nil
}

// QuestionSet returns a version of the org's set; 0 is the latest.
func (s *Store) QuestionSet(ctx context.Context, orgID, id string, version int) (*recruiting.QuestionSet, error) {
	var b []byte
	err := s.retry(ctx, "get question set", func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, `SELECT body FROM question_sets
			WHERE org_id = $1 AND id = $2 AND ($3 = 0 OR version = $3)
			ORDER BY version DESC LIMIT 1`, orgID, id, version).Scan(&b)
	})
	if err != nil {
		return nil, notFound("question set "+id, err)
	}
	qs, err := decodeSet(b)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &qs, nil
}

// QuestionSets lists the latest version of each of the org's sets.
func (s *Store) QuestionSets(ctx context.Context, orgID string) ([]recruiting.QuestionSet, error) {
	var out []recruiting.QuestionSet
	err := s.retry(ctx, "list question sets", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `SELECT DISTINCT ON (id) body FROM question_sets
			WHERE org_id = $1 ORDER BY id, version DESC`, orgID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (recruiting.QuestionSet, error) {
			var b []byte
			if err := r.Scan(&b); err != nil {
				return recruiting.QuestionSet{}, err
			}
			return decodeSet(b)
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list question sets: %w", err)
	}
	return out, nil
}

// DeleteQuestionSet removes every version of the org's set.
func (s *Store) DeleteQuestionSet(ctx context.Context, orgID, id string) error {
	n, err := s.exec(ctx, "delete question set", "DELETE FROM question_sets WHERE org_id = $1 AND id = $2", orgID, id)
	if err != nil {
		return fmt.Errorf("postgres: delete question set %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("postgres: question set %s: %w", id, recruiting.ErrNotFound)
	}
	return nil
}

const inviteColumns = `id, org_id, code_hash, question_set_id, level, candidate, created_by, created_at, expires_at,
	used_at, session_id, revoked_at`

func scanInvite(row pgx.Row) (recruiting.Invite, error) {
	var i recruiting.Invite
	err := row.Scan(&i.ID, &i.OrgID, &i.Hash, &i.QuestionSetID, &i.Level, &i.Candidate, &i.CreatedBy, &i.CreatedAt,
		&i.ExpiresAt, &i.UsedAt, &i.SessionID, &i.RevokedAt)
	return i, err
}

// CreateInvite stores an invite.
func (s *Store) CreateInvite(ctx context.Context, i *recruiting.Invite) error {
	_, err := s.exec(ctx, "create invite", `INSERT INTO invites (`+inviteColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		i.ID, i.OrgID, i.Hash, i.QuestionSetID, i.Level, i.Candidate, i.CreatedBy, i.CreatedAt, i.ExpiresAt,
		i.UsedAt, i.SessionID, i.RevokedAt)
	if err != nil {
		return fmt.Errorf("postgres: create invite: %w", err)
	}
	return nil
}

// InviteByHash returns the invite with this code hash.
func (s *Store) InviteByHash(ctx context.Context, hash string) (*recruiting.Invite, error) {
	var i recruiting.Invite
	err := s.retry(ctx, "get invite", func(ctx context.Context) error {
		var err error
		i, err = scanInvite(s.pool.QueryRow(ctx, "SELECT "+inviteColumns+" FROM invites WHERE code_hash = $1", hash))
		return err
	})
	if err != nil {
		return nil, notFound("invite", err)
	}
	return &i, nil
}

// Invites lists the org's invites, newest first.
func (s *Store) Invites(ctx context.Context, orgID string) ([]recruiting.Invite, error) {
	var out []recruiting.Invite
	err := s.retry(ctx, "list invites", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, "SELECT "+inviteColumns+" FROM invites WHERE org_id = $1 ORDER BY created_at DESC, id", orgID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (recruiting.Invite, error) { return scanInvite(r) })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list invites: %w", err)
	}
	return out, nil
}

// UseInvite marks an invite used unless it already is.
func (s *Store) UseInvite(ctx context.Context, id string, at time.Time) error {
	n, err := s.exec(ctx, "use invite", "UPDATE invites SET used_at = $2 WHERE id = $1 AND used_at IS NULL", id, at)
	if err != nil {
		return fmt.Errorf("postgres: use invite %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("postgres: invite %s: %w", id, recruiting.ErrInviteUsed)
	}
	return nil
}

// ReleaseInvite makes a used invite that started no session usable again.
func (s *Store) ReleaseInvite(ctx context.Context, id string) error {
	if _, err := s.exec(ctx, "release invite", "UPDATE invites SET used_at = NULL WHERE id = $1 AND session_id = ''", id); err != nil {
		return fmt.Errorf("postgres: release invite %s: %w", id, err)
	}
	return nil
}

// SetInviteSession records the session an invite started.
func (s *Store) SetInviteSession(ctx context.Context, id, sessionID string) error {
	if _, err := s.exec(ctx, "set invite session", "UPDATE invites SET session_id = $2 WHERE id = $1", id, sessionID); err != nil {
		return fmt.Errorf("postgres: set invite session %s: %w", id, err)
	}
	return nil
}

// RevokeInvite revokes one of the org's invites.
func (s *Store) RevokeInvite(ctx context.Context, orgID, id string, at time.Time) error {
	n, err := s.exec(ctx, "revoke invite", `UPDATE invites SET revoked_at = coalesce(revoked_at, $3)
		WHERE org_id = $1 AND id = $2`, orgID, id, at)
	if err != nil {
		return fmt.Errorf("postgres: revoke invite %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("postgres: invite %s: %w", id, recruiting.ErrNotFound)
	}
	return nil
}

// PutVote stores or replaces a recruiter's vote.
func (s *Store) PutVote(ctx context.Context, v *recruiting.Vote) error {
	dims := v.Dimensions
	if dims == nil {
		dims = map[string]bool{}
	}
	b, err := json.Marshal(dims)
	if err != nil {
		return fmt.Errorf("postgres: vote: encode: %w", err)
	}
	_, err = s.exec(ctx, "put vote", `INSERT INTO session_votes (session_id, recruiter_id, org_id, decision, dimensions, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (session_id, recruiter_id) DO UPDATE SET decision = EXCLUDED.decision,
			dimensions = EXCLUDED.dimensions, note = EXCLUDED.note, created_at = EXCLUDED.created_at`,
		v.SessionID, v.RecruiterID, v.OrgID, v.Decision, b, v.Note, v.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: put vote on %s: %w", v.SessionID, err)
	}
	return nil
}

// Votes lists the org's votes.
func (s *Store) Votes(ctx context.Context, orgID string) ([]recruiting.Vote, error) {
	var out []recruiting.Vote
	err := s.retry(ctx, "list votes", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `SELECT session_id, recruiter_id, org_id, decision, dimensions, note, created_at
			FROM session_votes WHERE org_id = $1 ORDER BY created_at, session_id, recruiter_id`, orgID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (recruiting.Vote, error) {
			var v recruiting.Vote
			var dims []byte
			if err := r.Scan(&v.SessionID, &v.RecruiterID, &v.OrgID, &v.Decision, &dims, &v.Note, &v.CreatedAt); err != nil {
				return v, err
			}
			return v, json.Unmarshal(dims, &v.Dimensions)
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list votes: %w", err)
	}
	return out, nil
}

// ForgetSession removes a session's votes and its id on invites.
func (s *Store) ForgetSession(ctx context.Context, sessionID string) error {
	err := s.retry(ctx, "forget session", func(ctx context.Context) error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "DELETE FROM session_votes WHERE session_id = $1", sessionID); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "UPDATE invites SET session_id = '' WHERE session_id = $1", sessionID)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("postgres: forget session %s: %w", sessionID, err)
	}
	return nil
}

// OrgSessions lists the org's sessions with their decisions, newest first.
func (s *Store) OrgSessions(ctx context.Context, org string, limit int) ([]recruiting.SessionInfo, error) {
	var out []recruiting.SessionInfo
	err := s.retry(ctx, "list org sessions", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `SELECT s.id, s.status, coalesce(c.decision, ''), s.candidate, s.level,
				s.question_set_id, s.question_set_version, s.created_at, s.finished_at
			FROM interview_sessions s LEFT JOIN interview_scorecards c ON c.session_id = s.id
			WHERE s.org = $1 AND s.org <> '' ORDER BY s.created_at DESC, s.id LIMIT $2`, org, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (recruiting.SessionInfo, error) {
			var i recruiting.SessionInfo
			err := r.Scan(&i.ID, &i.Status, &i.Decision, &i.Candidate, &i.Level, &i.QuestionSetID,
				&i.QuestionSetVersion, &i.CreatedAt, &i.FinishedAt)
			return i, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list sessions of %s: %w", org, err)
	}
	return out, nil
}

// DeleteSession deletes a session; its messages, scorecard and votes go
// with it (ON DELETE CASCADE).
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	n, err := s.exec(ctx, "delete session", "DELETE FROM interview_sessions WHERE id = $1", id)
	if err != nil {
		return fmt.Errorf("postgres: delete session %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("postgres: session %s: %w", id, interview.ErrNotFound)
	}
	return nil
}

// FinishedBefore lists the org's sessions finished before t.
func (s *Store) FinishedBefore(ctx context.Context, org string, t time.Time, limit int) ([]string, error) {
	var out []string
	err := s.retry(ctx, "finished before", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `SELECT id FROM interview_sessions
			WHERE org = $1 AND org <> '' AND finished_at IS NOT NULL AND finished_at < $2 ORDER BY finished_at LIMIT $3`, org, t, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: sessions of %s finished before %s: %w", org, t, err)
	}
	return out, nil
}
