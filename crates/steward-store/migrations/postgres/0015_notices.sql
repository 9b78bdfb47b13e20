-- Notices beside the response-clock notifications: a public alert waiting at the user's desk, an
-- invitation to co-sign a statement, an action or a case given to the user. Each names what it is
-- about by id and nothing else; a notice about a case is shown only while its reader may see the
-- case. Postgres dialect; keep in step with the other dialect's 0015_notices.sql.
CREATE TABLE notices (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    case_id    TEXT REFERENCES cases (id),
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ
);
CREATE INDEX notices_user ON notices (user_id, created_at);
