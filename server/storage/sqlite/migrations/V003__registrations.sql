-- Registrations with their workshop seats, the outbox of notifications, idempotency records.

CREATE TABLE registrations (
    id              INTEGER PRIMARY KEY, -- also the FIFO order of the waiting list
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    full_name       TEXT    NOT NULL,
    email           TEXT    NOT NULL, -- normalized: trimmed, lower case
    organization    TEXT,
    territory_id    INTEGER REFERENCES territories (id),
    account_id      INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    status          TEXT    NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    manage_digest   TEXT    NOT NULL, -- SHA-256 of the manage token
    feed_digest     TEXT    NOT NULL, -- SHA-256 of the calendar feed key
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    cancelled_at    INTEGER,
    checked_in_at   INTEGER,
    anonymized      INTEGER NOT NULL DEFAULT 0
) STRICT;
-- One active registration per email and event, whatever the concurrency.
CREATE UNIQUE INDEX registrations_active_email ON registrations (event_id, email)
    WHERE status <> 'cancelled';
CREATE INDEX registrations_by_event_status ON registrations (event_id, status, id);
CREATE INDEX registrations_by_email ON registrations (email);
CREATE INDEX registrations_by_account ON registrations (account_id);

CREATE TABLE registration_sessions (
    id              INTEGER PRIMARY KEY, -- the FIFO order of the session's waiting list
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    status          TEXT    NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    UNIQUE (registration_id, session_id)
) STRICT;
CREATE INDEX registration_sessions_by_session ON registration_sessions (session_id, status, id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    registration_id INTEGER REFERENCES registrations (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX outbox_pending ON outbox (status, next_attempt_at, id);

-- The first response to a request carrying an Idempotency-Key, sealed (it holds one-time tokens).
CREATE TABLE idempotency_keys (
    scope        TEXT    NOT NULL, -- route and event
    key          TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    status       INTEGER NOT NULL,
    sealed_body  TEXT    NOT NULL, -- base64url of nonce and ciphertext
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);
