-- Delivery that can fail for good: a message the sink rejects, or that fails more times than the
-- configured limit, ends as 'failed' with the last error, for an admin to read and retry. SQLite
-- cannot change a CHECK constraint in place: the outbox is copied into a new table.
CREATE TABLE outbox_v8 (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    registration_id INTEGER REFERENCES registrations (id) ON DELETE SET NULL,
    account_id      INTEGER,
    last_error      TEXT
) STRICT;
INSERT INTO outbox_v8 (id, kind, recipient, subject, body, status, attempts, next_attempt_at,
                       created_at, delivered_at, registration_id, account_id)
SELECT id, kind, recipient, subject, body, status, attempts, next_attempt_at, created_at,
       delivered_at, registration_id, account_id
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v8 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_failed ON outbox (id) WHERE status = 'failed';
CREATE INDEX outbox_by_account ON outbox (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX outbox_by_registration ON outbox (registration_id) WHERE registration_id IS NOT NULL;

-- The link of a message about a registration opens the participant's page, which needs the
-- manage token; only its digest is kept for checking it. The token is also kept sealed (the
-- server's key, XSalsa20-Poly1305) so that the delivery worker can write the link, and only it:
-- the database alone reveals no token, and erasing a person's data removes the sealed copy.
ALTER TABLE registrations ADD COLUMN sealed_link TEXT;
