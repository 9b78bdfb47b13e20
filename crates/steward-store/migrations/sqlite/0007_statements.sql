-- Joint statements and their co-signing. Sqlite dialect; keep in step with
-- migrations/postgres/0007_statements.sql. Columns marked "sealed" hold values encrypted by
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
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    published_at TEXT
);
CREATE INDEX statements_case ON statements (case_id);
CREATE INDEX statements_org ON statements (org_id);

CREATE TABLE statement_invitations (
    statement_id TEXT NOT NULL REFERENCES statements (id),
    org_id       TEXT NOT NULL REFERENCES orgs (id),
    position     INTEGER NOT NULL,
    answer       TEXT NOT NULL,
    answered_at  TEXT,
    answered_by  TEXT REFERENCES users (id),
    PRIMARY KEY (statement_id, org_id)
);
CREATE INDEX statement_invitations_org ON statement_invitations (org_id);
