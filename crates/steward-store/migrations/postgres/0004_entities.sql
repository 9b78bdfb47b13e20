-- Entity lists (parties: companies, people, organisations). PostgreSQL dialect; keep in step with
-- migrations/sqlite/0004_entities.sql. Multi-valued fields are JSON arrays of strings.
CREATE TABLE list_entities (
    edition_id  TEXT NOT NULL REFERENCES list_editions (id),
    row_no      BIGINT NOT NULL,
    entity_key  TEXT NOT NULL,
    schema      TEXT NOT NULL,
    name        TEXT NOT NULL,
    aliases     TEXT NOT NULL,
    countries   TEXT NOT NULL,
    identifiers TEXT NOT NULL,
    notes       TEXT NOT NULL,
    PRIMARY KEY (edition_id, row_no)
);
