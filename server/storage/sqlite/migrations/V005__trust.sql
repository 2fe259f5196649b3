-- Verified emails, owners of shared records, idempotency keys scoped to their caller, and
-- registration totals kept in the transaction of each change (so /metrics never counts rows).

-- An email is proven only by its verification. Existing admins were made on the command line,
-- where the operator vouches for the address.
ALTER TABLE accounts ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;
UPDATE accounts SET email_verified = 1 WHERE role = 'admin';

-- Single-use verification links: only the SHA-256 digest of the token is kept.
CREATE TABLE verification_tokens (
    digest     TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX verification_by_account ON verification_tokens (account_id, created_at);

-- A draft can no longer be cancelled (it is deleted instead): a cancelled event is one that was
-- published. Drafts cancelled before this rule go back to being drafts, so they stay private.
UPDATE events SET status = 'draft'
WHERE status = 'cancelled'
  AND CAST(id AS TEXT) NOT IN
      (SELECT entity_id FROM audit_log WHERE entity = 'event' AND action = 'publish_event');

-- Who created a shared record (NULL for records older than this column, or whose creator erased
-- its account): the creator may edit it; admins always may.
ALTER TABLE speakers ADD COLUMN created_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL;
ALTER TABLE territories ADD COLUMN created_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL;

-- The account a message concerns (its verification messages), so that an account whose email is
-- not verified finds and erases its own messages, and nobody else's sent to the same address.
ALTER TABLE outbox ADD COLUMN account_id INTEGER;
CREATE INDEX outbox_by_account ON outbox (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX outbox_by_registration ON outbox (registration_id) WHERE registration_id IS NOT NULL;

-- The caller an Idempotency-Key belongs to: 'account:<id>' or 'anonymous'. Older keys have ''
-- and are replayed to nobody.
ALTER TABLE idempotency_keys ADD COLUMN caller TEXT NOT NULL DEFAULT '';

-- Registrations by status over the whole database, kept by triggers in the writing transaction.
CREATE TABLE registration_totals (
    status TEXT    PRIMARY KEY CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    n      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO registration_totals (status, n)
    SELECT s.status, (SELECT count(*) FROM registrations r WHERE r.status = s.status)
    FROM (SELECT 'confirmed' AS status UNION ALL SELECT 'waitlisted' UNION ALL SELECT 'cancelled') s;

CREATE TRIGGER registration_totals_insert AFTER INSERT ON registrations BEGIN
    UPDATE registration_totals SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER registration_totals_update AFTER UPDATE OF status ON registrations
    WHEN OLD.status <> NEW.status BEGIN
    UPDATE registration_totals SET n = n - 1 WHERE status = OLD.status;
    UPDATE registration_totals SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER registration_totals_delete AFTER DELETE ON registrations BEGIN
    UPDATE registration_totals SET n = n - 1 WHERE status = OLD.status;
END;
