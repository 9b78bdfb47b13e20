-- Working a case: triage facts, incidents, actions and the history of edits. Sqlite dialect; keep in
-- step with migrations/postgres/0006_case_work.sql. Columns marked "sealed" hold values encrypted by
-- steward_core::seal, bound to their table, record and column. Calendar dates (due dates, incident
-- dates) are TEXT YYYY-MM-DD in both dialects; instants are timestamps.
ALTER TABLE cases ADD COLUMN urgency TEXT;
ALTER TABLE cases ADD COLUMN assignee_id TEXT REFERENCES users (id);
ALTER TABLE cases ADD COLUMN sector TEXT;
ALTER TABLE cases ADD COLUMN acknowledged_at TEXT;
ALTER TABLE cases ADD COLUMN first_action_at TEXT;

CREATE TABLE case_incidents (
    id                TEXT PRIMARY KEY,
    case_id           TEXT NOT NULL REFERENCES cases (id),
    kind              TEXT NOT NULL,
    date_from         TEXT,
    date_precision    TEXT,
    date_until        TEXT,
    until_precision   TEXT,
    place             TEXT, -- sealed
    perpetrator       TEXT,
    perpetrator_names TEXT, -- sealed: a JSON array of names
    description       TEXT, -- sealed
    victims           TEXT NOT NULL, -- JSON array of positions in case_people
    created_by        TEXT NOT NULL REFERENCES users (id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT,
    deleted_reason    TEXT  -- sealed
);
CREATE INDEX case_incidents_case ON case_incidents (case_id);

CREATE TABLE case_actions (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    kind           TEXT NOT NULL,
    owner_org_id   TEXT NOT NULL REFERENCES orgs (id),
    owner_user_id  TEXT REFERENCES users (id),
    status         TEXT NOT NULL,
    due            TEXT,
    description    TEXT, -- sealed
    outcome        TEXT, -- sealed
    outcome_date   TEXT,
    created_by     TEXT NOT NULL REFERENCES users (id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    deleted_reason TEXT  -- sealed
);
CREATE INDEX case_actions_case ON case_actions (case_id);
CREATE INDEX case_actions_owner ON case_actions (owner_org_id, status);

-- Every edit of a case or of its parts, field by field, values sealed: the history its readers
-- see. The audit trail records only that an edit happened and which fields it touched.
CREATE TABLE case_revisions (
    id       TEXT PRIMARY KEY,
    case_id  TEXT NOT NULL REFERENCES cases (id),
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    record   TEXT NOT NULL,
    field    TEXT NOT NULL,
    before   TEXT, -- sealed
    after    TEXT  -- sealed
);
CREATE INDEX case_revisions_case ON case_revisions (case_id, at);
