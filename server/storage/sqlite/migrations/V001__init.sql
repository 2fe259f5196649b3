-- Accounts, bearer tokens, territories and the audit trail.
-- Instants are INTEGER seconds since the Unix epoch, UTC.

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('participant', 'organizer', 'jury', 'admin')),
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

-- Only the SHA-256 digest of a token is kept.
CREATE TABLE tokens (
    digest     TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX tokens_by_expiry ON tokens (expires_at);
CREATE INDEX tokens_by_account ON tokens (account_id);

CREATE TABLE territories (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    search_name TEXT    NOT NULL, -- name folded to lower case without accents
    kind        TEXT    NOT NULL,
    siren       TEXT    NOT NULL UNIQUE CHECK (length(siren) = 9),
    region      TEXT    NOT NULL,
    department  TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX territories_by_region ON territories (region, id);

-- No foreign key on actor_id: the trail outlives the accounts it names.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    actor_id  INTEGER,
    action    TEXT    NOT NULL,
    entity    TEXT    NOT NULL,
    entity_id TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    summary   TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_by_entity ON audit_log (entity, id);
CREATE INDEX audit_by_actor ON audit_log (actor_id, id);
