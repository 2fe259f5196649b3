-- Trust, second pass (docs/RELIABILITY.md, "who may do what").
--
-- A message's credential (the verification token) is kept sealed beside its body, never in it:
-- its link is written when the message is delivered, and forgotten once it is. Bodies written
-- before held the link in clear: those links stop working (their text is replaced), and a new one
-- is asked for from the account.
ALTER TABLE outbox ADD COLUMN sealed_token TEXT;
UPDATE outbox SET body = 'Bonjour,' || char(10) || char(10) ||
    'Ce lien de confirmation a été retiré. Demandez-en un nouveau depuis votre compte.'
    WHERE kind = 'account_verification';

-- A version of each account's rights, counted up at every change of its role: a console session
-- or a webhook holds the version it was granted under, so that a demotion followed by a promotion
-- never brings it back to life.
ALTER TABLE accounts ADD COLUMN rights_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE console_sessions ADD COLUMN rights_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE webhooks ADD COLUMN rights_version INTEGER NOT NULL DEFAULT 1;

-- A delivery whose webhook's owner lost the right to read what it carries is `skipped`.
CREATE TABLE webhook_deliveries_new (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    type            TEXT    NOT NULL,
    subject_id      INTEGER NOT NULL,
    status          TEXT    NOT NULL
                    CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    response_status INTEGER,
    duration_ms     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
) STRICT;
INSERT INTO webhook_deliveries_new SELECT * FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
ALTER TABLE webhook_deliveries_new RENAME TO webhook_deliveries;
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (next_attempt_at, id)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, status, id);
CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (id) WHERE status = 'failed';

-- Addresses that reported a registration they did not make: no more mail to them about that
-- event (the one-click link of the confirmation).
CREATE TABLE mail_suppressions (
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    email      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (event_id, email)
) STRICT;

-- A delivery skipped because the webhook's owner lost the right disables the webhook.
CREATE TRIGGER webhook_skipped_disables AFTER INSERT ON webhook_deliveries
WHEN NEW.status = 'skipped' BEGIN
    UPDATE webhooks SET status = 'disabled' WHERE id = NEW.webhook_id;
END;
