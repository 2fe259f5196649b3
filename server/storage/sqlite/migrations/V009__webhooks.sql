-- Webhooks (API.md §12) and their deliveries. A delivery is written in the transaction of the
-- change it announces, one per active webhook that wants its type, and sent afterwards by the
-- delivery worker, like the outbox.
CREATE TABLE webhooks (
    id                   INTEGER PRIMARY KEY,
    owner_id             INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    url                  TEXT    NOT NULL,
    events               TEXT    NOT NULL, -- the types, each between spaces: " a b "
    event_id             INTEGER REFERENCES events (id) ON DELETE CASCADE,
    sealed_secret        TEXT    NOT NULL, -- the signing secret, sealed with the server's key
    status               TEXT    NOT NULL CHECK (status IN ('active', 'paused', 'disabled')),
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
) STRICT;
CREATE INDEX webhooks_by_owner ON webhooks (owner_id, id);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY, -- also the webhook-id of the request (stable across retries)
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    type            TEXT    NOT NULL,
    subject_id      INTEGER NOT NULL, -- the registration, event or award it is about
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    response_status INTEGER,
    duration_ms     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
) STRICT;
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (next_attempt_at, id)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, status, id);
