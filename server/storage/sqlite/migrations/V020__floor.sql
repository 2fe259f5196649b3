-- Questions from the floor and polls (API.md §14).
ALTER TABLE sessions ADD COLUMN questions TEXT NOT NULL DEFAULT 'off'
    CHECK (questions IN ('off', 'open', 'moderated'));

-- Each change a session's room sees takes the session's next seq: the live stream's event ids.
-- Its row is updated in the changing transaction, so the session's changes commit in seq order.
CREATE TABLE floor_streams (
    session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL
) STRICT;

CREATE TABLE floor_questions (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    text        TEXT    NOT NULL,
    author_name TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'published', 'answered', 'hidden')),
    votes       INTEGER NOT NULL DEFAULT 0,
    seq         INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    answered_at INTEGER
) STRICT;
CREATE INDEX floor_questions_by_votes ON floor_questions (session_id, votes DESC, created_at, id);
CREATE INDEX floor_questions_by_seq ON floor_questions (session_id, seq);

-- One vote per question and voter (a key drawn from the device's cookie or the address).
CREATE TABLE floor_votes (
    question_id INTEGER NOT NULL REFERENCES floor_questions (id) ON DELETE CASCADE,
    voter       TEXT    NOT NULL,
    PRIMARY KEY (question_id, voter)
) STRICT, WITHOUT ROWID;

CREATE TABLE polls (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    question    TEXT    NOT NULL,
    multiple    INTEGER NOT NULL CHECK (multiple IN (0, 1)),
    status      TEXT    NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    respondents INTEGER NOT NULL DEFAULT 0,
    seq         INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    opened_at   INTEGER,
    closed_at   INTEGER
) STRICT;
CREATE INDEX polls_by_session ON polls (session_id, id);
-- One open poll per session at a time.
CREATE UNIQUE INDEX polls_one_open ON polls (session_id) WHERE status = 'open';

CREATE TABLE poll_options (
    id       INTEGER PRIMARY KEY,
    poll_id  INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label    TEXT    NOT NULL,
    votes    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (poll_id, position)
) STRICT;

CREATE TABLE poll_answers (
    poll_id INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    voter   TEXT    NOT NULL,
    PRIMARY KEY (poll_id, voter)
) STRICT, WITHOUT ROWID;
