-- Interview sessions, their messages and scorecards: what lets an
-- interview survive a server restart and lets several server processes
-- share one database (internal/store/postgres implements interview.Store
-- over these tables).

-- +goose Up

-- One row per interview. The scalar fields a recruiter will filter or sort
-- on are columns; the nested values the engine always reads and writes
-- whole (the questions, the probe order, the targets probed per question)
-- are jsonb, stored exactly as interview.Session marshals them.
--
-- Identity fields (token_hash, org, question set, candidate, level,
-- questions, probes, probe_order, created_at) are written once, by
-- CreateSession; UpdateSession writes only the state that moves:
-- status, current_question, probed, updated_at and finished_at.
CREATE TABLE interview_sessions (
    id                   text        PRIMARY KEY CHECK (id <> ''),
    -- Hex SHA-256 of the session's bearer token; the token itself is
    -- never stored.
    token_hash           text        NOT NULL,
    -- A recruiter organisation; '' for a self-serve interview.
    org                  text        NOT NULL DEFAULT '',
    question_set_id      text        NOT NULL DEFAULT '',
    question_set_version integer     NOT NULL DEFAULT 0 CHECK (question_set_version >= 0),
    -- A label the recruiter chose, not an account.
    candidate            text        NOT NULL DEFAULT '',
    level                text        NOT NULL,
    questions            jsonb       NOT NULL CHECK (jsonb_typeof(questions) = 'array'),
    probes_per_question  integer     NOT NULL CHECK (probes_per_question >= 0),
    probe_order          jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(probe_order) = 'array'),
    -- The two states of the engine's state machine; anything else is a bug
    -- that should fail loudly here rather than confuse a reader later.
    status               text        NOT NULL CHECK (status IN ('active', 'finished')),
    -- Index into questions of the question being asked.
    current_question     integer     NOT NULL DEFAULT 0 CHECK (current_question >= 0),
    -- Per question, the dimensions and red flags already probed.
    probed               jsonb       NOT NULL CHECK (jsonb_typeof(probed) = 'array'),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    finished_at          timestamptz
);

-- Recruiter views list an organisation's sessions newest first
-- (WHERE org = $1 ORDER BY created_at DESC, paged by created_at): the
-- b-tree is scanned backwards for that, so no DESC is needed.
CREATE INDEX interview_sessions_org_created_idx ON interview_sessions (org, created_at);

-- Sessions by state (the active ones in progress, the finished ones to
-- review), newest first. created_at rather than updated_at as the second
-- column: it never changes, so the index entry is written once, and the
-- engine does not bump updated_at on every turn anyway.
CREATE INDEX interview_sessions_status_created_idx ON interview_sessions (status, created_at);

-- The transcript. seq numbers a session's messages 1, 2, 3, … with no
-- gaps; the store assigns it while holding the session row's lock, so
-- (session_id, seq) is the key and its index serves both "the next seq"
-- (max(seq) is one step down the index) and "messages after seq N, in
-- order" (a range scan), the two reads the engine makes.
--
-- role and kind are the domain's vocabulary (interviewer/candidate;
-- question/probe/wrapup/answer) and are not constrained here, so that a
-- new kind of message does not need a migration.
CREATE TABLE interview_messages (
    session_id text        NOT NULL REFERENCES interview_sessions (id) ON DELETE CASCADE,
    seq        bigint      NOT NULL CHECK (seq > 0),
    role       text        NOT NULL,
    kind       text        NOT NULL,
    text       text        NOT NULL,
    -- A probe's target: a dimension or red-flag id; '' otherwise.
    dimension  text        NOT NULL DEFAULT '',
    -- Index of the question the message belongs to.
    question   integer     NOT NULL DEFAULT 0 CHECK (question >= 0),
    -- The client's id for an answer, which makes sending it again
    -- harmless; '' when the client gave none (and for the interviewer's
    -- messages).
    client_id  text        NOT NULL DEFAULT '',
    at         timestamptz NOT NULL,
    PRIMARY KEY (session_id, seq)
);

-- A client id is stored at most once per session: the database's own
-- guarantee behind AppendMessage's idempotency, which holds even for a
-- writer that did not take the session lock (and for a retry after a lost
-- connection). Partial, because most messages have no client id and ''
-- must not collide with ''.
CREATE UNIQUE INDEX interview_messages_client_id_key ON interview_messages (session_id, client_id)
    WHERE client_id <> '';

-- A finished session's verdict, written once when it finishes (and
-- overwritten if it is scored again). decision is copied out of the
-- scorecard so that recruiter views can filter and count by it without
-- reading the jsonb.
CREATE TABLE interview_scorecards (
    session_id text        PRIMARY KEY REFERENCES interview_sessions (id) ON DELETE CASCADE,
    decision   text        NOT NULL,
    scorecard  jsonb       NOT NULL CHECK (jsonb_typeof(scorecard) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- When it was last overwritten; created_at keeps the first save.
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down

-- Children first: interview_sessions cannot be dropped while they
-- reference it.
DROP TABLE interview_scorecards;
DROP TABLE interview_messages;
DROP TABLE interview_sessions;
