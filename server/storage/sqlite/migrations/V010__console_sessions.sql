-- Sessions of the console (API.md §13): the browser holds an opaque id in a cookie; only its
-- digest is kept. A session ends after a time without use, at sign-out, and as soon as the
-- account's role or password is no longer the one it was opened with.
CREATE TABLE console_sessions (
    digest         TEXT    PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role           TEXT    NOT NULL, -- the role when the session was opened
    password_stamp TEXT    NOT NULL, -- a digest of the password hash then
    created_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX console_sessions_by_last_seen ON console_sessions (last_seen_at);
