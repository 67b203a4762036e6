-- Recruiters: organisations, their accounts, API tokens and console
-- logins, versioned question sets, invites and calibration votes
-- (internal/store/postgres implements recruiting.Store over these tables).
-- Secrets (passwords, tokens, cookies, invite codes) are never stored:
-- passwords as bcrypt hashes, the high-entropy secrets as hex SHA-256.

-- +goose Up

CREATE TABLE orgs (
    id             text        PRIMARY KEY CHECK (id <> ''),
    name           text        NOT NULL,
    -- Days finished sessions are kept; 0 keeps them.
    retention_days integer     NOT NULL DEFAULT 0 CHECK (retention_days >= 0),
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recruiters (
    id            text        PRIMARY KEY CHECK (id <> ''),
    org_id        text        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    -- Lower-cased by the domain; one account per address across orgs, so
    -- a login needs only the address.
    email         text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('admin', 'recruiter')),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
    id           text        PRIMARY KEY CHECK (id <> ''),
    org_id       text        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    recruiter_id text        NOT NULL REFERENCES recruiters (id) ON DELETE CASCADE,
    name         text        NOT NULL DEFAULT '',
    -- The recruiter's role when the token was minted.
    role         text        NOT NULL CHECK (role IN ('admin', 'recruiter')),
    token_hash   text        NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);

CREATE TABLE recruiter_logins (
    token_hash   text        PRIMARY KEY,
    csrf_hash    text        NOT NULL,
    recruiter_id text        NOT NULL REFERENCES recruiters (id) ON DELETE CASCADE,
    org_id       text        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    role         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

-- Every version of every set is kept: a session names the version it
-- started with. The set's content is read and written whole, so it is
-- jsonb (recruiting.QuestionSet as it marshals).
CREATE TABLE question_sets (
    id         text        NOT NULL CHECK (id <> ''),
    version    integer     NOT NULL CHECK (version > 0),
    org_id     text        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    body       jsonb       NOT NULL CHECK (jsonb_typeof(body) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, version)
);

-- An org's sets, for listing.
CREATE INDEX question_sets_org_idx ON question_sets (org_id, id, version);

CREATE TABLE invites (
    id              text        PRIMARY KEY CHECK (id <> ''),
    org_id          text        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    code_hash       text        NOT NULL UNIQUE,
    question_set_id text        NOT NULL,
    level           text        NOT NULL,
    candidate       text        NOT NULL DEFAULT '',
    created_by      text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    -- The session the invite started; '' once that session is deleted.
    session_id      text        NOT NULL DEFAULT '',
    revoked_at      timestamptz
);

CREATE INDEX invites_org_created_idx ON invites (org_id, created_at);

-- A recruiter's own verdict on a session, one per recruiter and session;
-- deleting the session deletes its votes.
CREATE TABLE session_votes (
    session_id   text        NOT NULL REFERENCES interview_sessions (id) ON DELETE CASCADE,
    recruiter_id text        NOT NULL REFERENCES recruiters (id) ON DELETE CASCADE,
    org_id       text        NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    decision     text        NOT NULL,
    dimensions   jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(dimensions) = 'object'),
    note         text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, recruiter_id)
);

CREATE INDEX session_votes_org_idx ON session_votes (org_id);

-- A question set's time limit, copied onto the session it starts; 0 is
-- none. Written once, by CreateSession.
ALTER TABLE interview_sessions ADD COLUMN time_limit_minutes integer NOT NULL DEFAULT 0
    CHECK (time_limit_minutes >= 0);

-- Retention purges look for an org's sessions finished before a cutoff.
CREATE INDEX interview_sessions_org_finished_idx ON interview_sessions (org, finished_at)
    WHERE finished_at IS NOT NULL;

-- +goose Down

DROP INDEX interview_sessions_org_finished_idx;
ALTER TABLE interview_sessions DROP COLUMN time_limit_minutes;
DROP TABLE session_votes;
DROP TABLE invites;
DROP TABLE question_sets;
DROP TABLE recruiter_logins;
DROP TABLE api_tokens;
DROP TABLE recruiters;
DROP TABLE orgs;
