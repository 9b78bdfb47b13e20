-- Screened supplier files and the registries organisations keep of them. A file screened on the
-- web is kept (unsaved) so its results can be filtered and downloaded; saved, it becomes a
-- registry, re-screened whenever the lists in force change, each change an alert. Supplier data
-- is the organisation's business: headers, rows and results are sealed.
CREATE TABLE registries (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs (id),
    created_by  TEXT NOT NULL REFERENCES users (id),
    filename    TEXT NOT NULL, -- sealed
    name        TEXT,          -- sealed; set when saved
    saved       BOOLEAN NOT NULL,
    created_at  TEXT NOT NULL,
    screened_at TEXT NOT NULL,
    editions    TEXT NOT NULL, -- the edition ids screened against, comma-separated
    counts      TEXT NOT NULL, -- JSON: rows by status
    headers     TEXT NOT NULL, -- sealed JSON
    rows_json   TEXT NOT NULL, -- sealed JSON
    results     TEXT NOT NULL  -- sealed JSON
);
CREATE INDEX registries_org ON registries (org_id, created_at);

CREATE TABLE registry_alerts (
    id          TEXT PRIMARY KEY,
    registry_id TEXT NOT NULL REFERENCES registries (id),
    org_id      TEXT NOT NULL REFERENCES orgs (id),
    created_at  TEXT NOT NULL,
    change      TEXT NOT NULL, -- 'new' or 'removed'
    row_no      INTEGER NOT NULL,
    detail      TEXT NOT NULL, -- sealed: the supplier and the listed entity
    read_at     TEXT
);
CREATE INDEX registry_alerts_org ON registry_alerts (org_id, created_at);
