-- Entity lists (parties: companies, people, organisations). SQLite dialect; keep in step with
-- migrations/postgres/0004_entities.sql. Multi-valued fields are JSON arrays of strings.
CREATE TABLE list_entities (
    edition_id  TEXT NOT NULL REFERENCES list_editions (id),
    row_no      INTEGER NOT NULL,
    entity_key  TEXT NOT NULL,
    schema      TEXT NOT NULL,
    name        TEXT NOT NULL,
    aliases     TEXT NOT NULL,
    countries   TEXT NOT NULL,
    identifiers TEXT NOT NULL,
    notes       TEXT NOT NULL,
    PRIMARY KEY (edition_id, row_no)
);
