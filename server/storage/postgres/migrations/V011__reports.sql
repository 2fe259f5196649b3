-- The meeting's report (API.md §15): one per event, its sessions' summaries, quotes and resources.
CREATE TABLE reports (
    event_id     BIGINT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    status       TEXT    NOT NULL CHECK (status IN ('draft', 'published')),
    introduction TEXT    NOT NULL,
    published_at BIGINT,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX reports_published ON reports (published_at) WHERE status = 'published';

CREATE TABLE report_sessions (
    event_id   BIGINT  NOT NULL REFERENCES reports (event_id) ON DELETE CASCADE,
    session_id BIGINT  NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    summary    TEXT    NOT NULL,
    PRIMARY KEY (event_id, session_id)
);

CREATE TABLE report_quotes (
    event_id   BIGINT  NOT NULL REFERENCES reports (event_id) ON DELETE CASCADE,
    session_id BIGINT  NOT NULL,
    position   INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    speaker_id BIGINT  REFERENCES speakers (id) ON DELETE SET NULL,
    PRIMARY KEY (event_id, session_id, position)
);

CREATE TABLE report_resources (
    event_id   BIGINT  NOT NULL REFERENCES reports (event_id) ON DELETE CASCADE,
    session_id BIGINT  NOT NULL,
    position   INTEGER NOT NULL,
    label      TEXT    NOT NULL,
    url        TEXT    NOT NULL,
    PRIMARY KEY (event_id, session_id, position)
);
