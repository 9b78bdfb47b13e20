-- Cases of defenders at risk and public alerts. Postgres dialect; keep in step with
-- migrations/sqlite/0005_cases.sql. Columns marked "sealed" hold values encrypted by
-- steward_core::seal, bound to their table, record and column; the database never sees them plain.
CREATE TABLE cases (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES orgs (id),
    created_by     TEXT NOT NULL REFERENCES users (id),
    visibility     TEXT NOT NULL,
    status         TEXT NOT NULL,
    risk           TEXT NOT NULL,
    country        TEXT,
    title          TEXT NOT NULL, -- sealed
    summary        TEXT NOT NULL, -- sealed
    pseudonym      TEXT,          -- sealed
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    deleted_at     TIMESTAMPTZ,
    deleted_reason TEXT           -- sealed
);
CREATE INDEX cases_org ON cases (org_id);

CREATE TABLE case_people (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    position     BIGINT NOT NULL,
    name         TEXT NOT NULL, -- sealed
    role         TEXT,
    organisation TEXT,          -- sealed
    contact      TEXT           -- sealed
);
CREATE INDEX case_people_case ON case_people (case_id);

-- The users named on a case: all who may see a restricted one.
CREATE TABLE case_members (
    case_id TEXT NOT NULL REFERENCES cases (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_members_user ON case_members (user_id);

-- The organisations a partners case is shared with.
CREATE TABLE case_shares (
    case_id TEXT NOT NULL REFERENCES cases (id),
    org_id  TEXT NOT NULL REFERENCES orgs (id),
    PRIMARY KEY (case_id, org_id)
);
CREATE INDEX case_shares_org ON case_shares (org_id);

-- Alerts from the public form. The passphrase is stored only as an Argon2 hash.
CREATE TABLE alerts (
    id              TEXT PRIMARY KEY,
    receipt         TEXT NOT NULL UNIQUE,
    passphrase_hash TEXT NOT NULL,
    desk_org_id     TEXT NOT NULL REFERENCES orgs (id),
    status          TEXT NOT NULL,
    country         TEXT,
    summary         TEXT NOT NULL, -- sealed
    name            TEXT,          -- sealed
    contact         TEXT,          -- sealed
    case_id         TEXT REFERENCES cases (id),
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX alerts_desk ON alerts (desk_org_id, status);

CREATE TABLE alert_notes (
    id             TEXT PRIMARY KEY,
    alert_id       TEXT NOT NULL REFERENCES alerts (id),
    at             TIMESTAMPTZ NOT NULL,
    from_submitter BOOLEAN NOT NULL,
    body           TEXT NOT NULL -- sealed
);
CREATE INDEX alert_notes_alert ON alert_notes (alert_id);
