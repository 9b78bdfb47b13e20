-- Joint statements and their co-signing. Postgres dialect; keep in step with
-- migrations/sqlite/0007_statements.sql. Columns marked "sealed" hold values encrypted by
-- steward_core::seal, bound to their table, record and column.
CREATE TABLE statements (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    org_id       TEXT NOT NULL REFERENCES orgs (id),
    status       TEXT NOT NULL,
    title        TEXT NOT NULL, -- sealed
    body         TEXT NOT NULL, -- sealed
    signatories  TEXT,          -- JSON array of organisation ids, frozen at publication
    created_by   TEXT NOT NULL REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX statements_case ON statements (case_id);
CREATE INDEX statements_org ON statements (org_id);

CREATE TABLE statement_invitations (
    statement_id TEXT NOT NULL REFERENCES statements (id),
    org_id       TEXT NOT NULL REFERENCES orgs (id),
    position     BIGINT NOT NULL,
    answer       TEXT NOT NULL,
    answered_at  TIMESTAMPTZ,
    answered_by  TEXT REFERENCES users (id),
    PRIMARY KEY (statement_id, org_id)
);
CREATE INDEX statement_invitations_org ON statement_invitations (org_id);
