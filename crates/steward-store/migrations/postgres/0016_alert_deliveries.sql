-- Webhook deliveries that announce a public alert waiting at an organisation's desk (the clock
-- deliveries name clock events; these name the alert by id, and nothing of what it says).
-- Postgres dialect; keep in step with the other dialect's 0016_alert_deliveries.sql.
CREATE TABLE alert_deliveries (
    id       TEXT PRIMARY KEY,
    alert_id TEXT NOT NULL REFERENCES alerts (id),
    org_id   TEXT NOT NULL REFERENCES orgs (id),
    at       TIMESTAMPTZ NOT NULL,
    status   INTEGER,
    error    TEXT
);
CREATE INDEX alert_deliveries_org ON alert_deliveries (org_id, at);
