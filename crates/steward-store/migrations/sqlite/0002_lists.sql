-- Official lists as dated editions. SQLite dialect; keep in step with migrations/postgres/0002_lists.sql.

CREATE TABLE list_editions (
    id          TEXT PRIMARY KEY,
    list_name   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    source      TEXT NOT NULL,
    published   TEXT,
    imported_at TEXT NOT NULL,
    checksum    TEXT NOT NULL,
    row_count   INTEGER NOT NULL,
    UNIQUE (list_name, checksum)
);

CREATE TABLE list_goods (
    edition_id            TEXT NOT NULL REFERENCES list_editions (id),
    row_no                INTEGER NOT NULL,
    good                  TEXT NOT NULL,
    sector                TEXT NOT NULL,
    country               TEXT NOT NULL,
    country_name          TEXT NOT NULL,
    child_labor           BOOLEAN NOT NULL,
    forced_labor          BOOLEAN NOT NULL,
    forced_child_labor    BOOLEAN NOT NULL,
    derived               BOOLEAN NOT NULL,
    derived_input_country TEXT,
    PRIMARY KEY (edition_id, row_no)
);
CREATE INDEX list_goods_country ON list_goods (edition_id, country);
