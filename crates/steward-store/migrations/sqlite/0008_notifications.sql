-- Response-clock events, in-app notifications and organisations' webhooks. Sqlite dialect; keep in
-- step with migrations/postgres/0008_notifications.sql. Nothing here holds a case's words: events
-- name a case by id, its clock and when it was due.
CREATE TABLE clock_events (
    id      TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    clock   TEXT NOT NULL,
    state   TEXT NOT NULL,
    due     TEXT NOT NULL,
    at      TEXT NOT NULL,
    UNIQUE (case_id, clock, state, due)
);

CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    event_id   TEXT NOT NULL REFERENCES clock_events (id),
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL UNIQUE REFERENCES orgs (id),
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL, -- sealed: the key payloads are signed with
    created_at TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id       TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES clock_events (id),
    org_id   TEXT NOT NULL REFERENCES orgs (id),
    at       TEXT NOT NULL,
    status   INTEGER,
    error    TEXT
);
CREATE INDEX webhook_deliveries_org ON webhook_deliveries (org_id, at);
