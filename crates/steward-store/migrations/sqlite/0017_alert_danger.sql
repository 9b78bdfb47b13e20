-- Whether the sender of a public alert says someone's life or freedom is in danger right now: the
-- triage queue puts those first, and the desk's webhook says so. A yes or no, not sealed: it
-- names no one. Sqlite dialect; keep in step with the other dialect's 0017_alert_danger.sql.
ALTER TABLE alerts ADD COLUMN danger BOOLEAN NOT NULL DEFAULT FALSE;
