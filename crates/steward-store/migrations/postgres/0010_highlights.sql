-- Public highlights: a case's story as approved for publication, shown on the public page only
-- while the consent recorded for it stands. One row per publication; withdrawing ends it at once
-- and publishing again needs consent again. Texts and who consented are sealed like the rest.
CREATE TABLE case_highlights (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    consent_from   TEXT NOT NULL,  -- 'person' or 'organisation'
    consent_by     TEXT NOT NULL,  -- sealed: who gave consent
    consent_on     TEXT NOT NULL,  -- YYYY-MM-DD
    title          TEXT NOT NULL,  -- sealed: the approved title
    summary        TEXT NOT NULL,  -- sealed: the approved summary
    country        TEXT,
    published_by   TEXT NOT NULL REFERENCES users (id),
    published_at   TIMESTAMPTZ NOT NULL,
    withdrawn_at   TIMESTAMPTZ,
    withdrawn_reason TEXT          -- sealed
);
CREATE INDEX case_highlights_case ON case_highlights (case_id);
