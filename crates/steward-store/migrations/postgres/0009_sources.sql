-- Sources of a case and the files attached to them. Postgres dialect; keep in step with the other
-- dialect's 0009_sources.sql. Columns marked "sealed" hold values encrypted by steward_core::seal.
-- Attachment contents are sealed too (base64 of the bytes, then sealed): a file is as protected as
-- the case it belongs to. Dates reported are TEXT YYYY-MM-DD in both dialects.
CREATE TABLE case_sources (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    reporter       TEXT, -- sealed
    channel        TEXT NOT NULL,
    reported_on    TEXT,
    reliability    TEXT NOT NULL,
    credibility    TEXT NOT NULL,
    notes          TEXT, -- sealed
    created_by     TEXT NOT NULL REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL,
    deleted_at     TIMESTAMPTZ,
    deleted_reason TEXT  -- sealed
);
CREATE INDEX case_sources_case ON case_sources (case_id);

CREATE TABLE case_attachments (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    source_id      TEXT REFERENCES case_sources (id),
    filename       TEXT NOT NULL, -- sealed
    kind           TEXT NOT NULL,
    size           BIGINT NOT NULL,
    sha256         TEXT NOT NULL, -- sealed
    content        TEXT NOT NULL, -- sealed
    created_by     TEXT NOT NULL REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL,
    deleted_at     TIMESTAMPTZ,
    deleted_reason TEXT  -- sealed
);
CREATE INDEX case_attachments_case ON case_attachments (case_id);
