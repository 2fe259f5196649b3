-- The questions an event asks its registrants, their answers, and the counts per option kept in
-- the transaction of every change, like the seat counts of V006: the stats read a handful of
-- rows whatever the number of registrations.

CREATE TABLE event_questions (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    code     TEXT    NOT NULL,
    position INTEGER NOT NULL, -- display order
    label    TEXT    NOT NULL,
    kind     TEXT    NOT NULL CHECK (kind IN ('text', 'choice', 'choices', 'boolean')),
    required INTEGER NOT NULL CHECK (required IN (0, 1)),
    help     TEXT,
    PRIMARY KEY (event_id, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE question_options (
    event_id      INTEGER NOT NULL,
    question_code TEXT    NOT NULL,
    code          TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    label         TEXT    NOT NULL,
    PRIMARY KEY (event_id, question_code, code),
    FOREIGN KEY (event_id, question_code) REFERENCES event_questions (event_id, code)
        ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- One row per chosen option ('true' or 'false' for a boolean); a text answer is one row with
-- the choice '' and its text. The question's kind is kept so that the answer reads back in its
-- shape (one option, or a list of them). The rowid keeps the options of a `choices` answer in the order
-- they were given (the question's).
CREATE TABLE registration_answers (
    id              INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    event_id        INTEGER NOT NULL,
    question_code   TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('text', 'choice', 'choices', 'boolean')),
    choice          TEXT    NOT NULL,
    text            TEXT,
    UNIQUE (registration_id, question_code, choice)
) STRICT;

-- Per event, question and choice: how many answers exist (`total`, cancelled registrations
-- included: what a change of the questions must respect) and how many active registrations
-- hold it (`active`: the stats).
CREATE TABLE answer_counts (
    event_id      INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    question_code TEXT    NOT NULL,
    choice        TEXT    NOT NULL,
    total         INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, question_code, choice)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER answer_counts_insert AFTER INSERT ON registration_answers BEGIN
    INSERT INTO answer_counts (event_id, question_code, choice, total, active)
    VALUES (NEW.event_id, NEW.question_code, NEW.choice, 1,
            coalesce((SELECT status <> 'cancelled' FROM registrations
                      WHERE id = NEW.registration_id), 0))
    ON CONFLICT (event_id, question_code, choice) DO UPDATE
    SET total = total + 1, active = active + excluded.active;
END;
CREATE TRIGGER answer_counts_delete AFTER DELETE ON registration_answers BEGIN
    UPDATE answer_counts
    SET total = total - 1,
        active = active - coalesce((SELECT status <> 'cancelled' FROM registrations
                                    WHERE id = OLD.registration_id), 0)
    WHERE event_id = OLD.event_id AND question_code = OLD.question_code AND choice = OLD.choice;
END;
-- A registration cancelled (or, in principle, made active again) moves its answers.
CREATE TRIGGER answer_counts_status AFTER UPDATE OF status ON registrations
WHEN (OLD.status = 'cancelled') <> (NEW.status = 'cancelled') BEGIN
    UPDATE answer_counts
    SET active = active + CASE WHEN NEW.status = 'cancelled' THEN -1 ELSE 1 END
    WHERE event_id = NEW.event_id
      AND (question_code, choice) IN (SELECT question_code, choice FROM registration_answers
                                      WHERE registration_id = NEW.id);
END;
