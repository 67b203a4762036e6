-- Exemplar vectors: the weak and strong example answers, embedded, that
-- retrieval searches by cosine similarity.

-- +goose Up

-- pgvector. Creating it needs a superuser (the extension is not marked
-- trusted); on a managed server it is usually created once by an
-- administrator, after which this statement is a no-op.
CREATE EXTENSION IF NOT EXISTS vector;

-- One row per exemplar per embedder. A vector is only ever compared with
-- vectors of the same embedder, so (embedder, id) is the key and every
-- query filters on embedder first.
--
-- embedding has no fixed dimension because embedders differ in length
-- (the local embedder's 384, a configured OpenAI size, ...). dims records
-- the length and the check keeps the two in step. An HNSW index needs a
-- fixed dimension, so the store creates one partial expression index per
-- embedder at run time, when it first stores that embedder's vectors:
--
--   CREATE INDEX exemplar_vectors_hnsw_<hash of embedder>
--       ON exemplar_vectors USING hnsw ((embedding::vector(N)) vector_cosine_ops)
--       WITH (m = 16, ef_construction = 64)
--       WHERE embedder = '<embedder>';
--
-- and searches with ORDER BY embedding::vector(N) <=> $1 ... WHERE
-- embedder = '<embedder>', which the planner matches to that index (see
-- internal/store/postgres for the parameters and why they were chosen).
CREATE TABLE exemplar_vectors (
    embedder     text        NOT NULL CHECK (embedder <> ''),
    id           text        NOT NULL CHECK (id <> ''),
    principle    text        NOT NULL DEFAULT '',
    dimension    text        NOT NULL DEFAULT '',
    label        text        NOT NULL DEFAULT '',
    level        text        NOT NULL DEFAULT '',
    text         text        NOT NULL,
    why          text        NOT NULL DEFAULT '',
    source       text        NOT NULL DEFAULT '',
    -- A recruiter organisation's private exemplar; '' is the shared pack.
    org          text        NOT NULL DEFAULT '',
    -- Hash of the content that was embedded: an unchanged exemplar is
    -- never embedded (or written) again.
    content_hash text        NOT NULL,
    dims         integer     NOT NULL CHECK (dims > 0),
    embedding    vector      NOT NULL CHECK (vector_dims(embedding) = dims),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (embedder, id)
);

-- B-tree indexes for the search filters. With a selective filter the
-- planner can fetch the few matching rows through these and sort them
-- exactly instead of walking the HNSW graph. org has none: a search always
-- asks for the shared pack (org '') plus at most one organisation's rows,
-- which is nearly every row, so such an index would never be used.
CREATE INDEX exemplar_vectors_principle_idx ON exemplar_vectors (embedder, principle);
CREATE INDEX exemplar_vectors_dimension_idx ON exemplar_vectors (embedder, dimension);
CREATE INDEX exemplar_vectors_label_idx ON exemplar_vectors (embedder, label);

-- +goose Down

-- Dropping the table drops the per-embedder HNSW indexes with it. The
-- extension stays: other objects in the database may use it.
DROP TABLE exemplar_vectors;
