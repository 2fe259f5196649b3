-- Events, their organizers, speakers, sessions and the full-text index of the programme.

CREATE TABLE events (
    id                     INTEGER PRIMARY KEY,
    slug                   TEXT    NOT NULL UNIQUE,
    title                  TEXT    NOT NULL,
    summary                TEXT    NOT NULL DEFAULT '',
    description            TEXT    NOT NULL DEFAULT '',
    status                 TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'cancelled')),
    timezone               TEXT    NOT NULL,
    starts_at              INTEGER,
    ends_at                INTEGER,
    venue_name             TEXT    NOT NULL DEFAULT '',
    venue_address          TEXT    NOT NULL DEFAULT '',
    venue_postal_code      TEXT    NOT NULL DEFAULT '',
    venue_city             TEXT    NOT NULL DEFAULT '',
    host_territory_id      INTEGER REFERENCES territories (id),
    capacity               INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    registration_opens_at  INTEGER,
    registration_closes_at INTEGER,
    cancel_reason          TEXT,
    revision               INTEGER NOT NULL DEFAULT 0,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
) STRICT;
-- Events without dates sort last (year 9999).
CREATE INDEX events_by_start ON events (coalesce(starts_at, 253402300799), id);
CREATE INDEX events_by_territory ON events (host_territory_id);

CREATE TABLE event_organizers (
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (event_id, account_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX organizers_by_account ON event_organizers (account_id, event_id);

CREATE TABLE speakers (
    id           INTEGER PRIMARY KEY,
    full_name    TEXT    NOT NULL,
    search_name  TEXT    NOT NULL, -- name and organization folded to lower case without accents
    title        TEXT,
    organization TEXT,
    bio          TEXT,
    links        TEXT    NOT NULL DEFAULT '', -- one URL per line (URLs hold no line breaks)
    email        TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    title      TEXT    NOT NULL,
    abstract   TEXT,
    kind       TEXT    NOT NULL CHECK (kind IN ('keynote', 'talk', 'round_table', 'workshop', 'break', 'other')),
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL,
    room       TEXT,
    track      TEXT,
    capacity   INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    sequence   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
) STRICT;
CREATE INDEX sessions_by_event ON sessions (event_id, starts_at, ends_at, id);
CREATE INDEX sessions_by_time ON sessions (starts_at, ends_at);

-- A speaker in a session cannot be deleted (no cascade on speaker_id).
CREATE TABLE session_speakers (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    speaker_id INTEGER NOT NULL REFERENCES speakers (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (session_id, speaker_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX session_speakers_by_speaker ON session_speakers (speaker_id, session_id);

-- One row per event (rowid = event id): title, summary, description, session titles and
-- abstracts, speaker names. Case- and accent-insensitive. Rebuilt by the storage layer whenever
-- one of those changes.
CREATE VIRTUAL TABLE events_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
