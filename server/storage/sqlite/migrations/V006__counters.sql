-- Seat counts and waiting-list lengths kept in the transaction of every change, so that the seat
-- check, a new waiting-list position and the stats read a row instead of counting rows: a
-- registration costs the same on the 100,000th as on the first. Triggers keep them, so every
-- path that changes a status (registration, cancellation, promotion, erasure, check-in, a
-- workshop seat) keeps them exact without having to remember to.
--
-- One narrow row per event and per session beside theirs, rather than columns of those rows: a
-- registration then rewrites a handful of integers, not an event row whose description may hold
-- 20,000 characters.

CREATE TABLE event_counts (
    event_id   INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    confirmed  INTEGER NOT NULL DEFAULT 0,
    waitlisted INTEGER NOT NULL DEFAULT 0,
    cancelled  INTEGER NOT NULL DEFAULT 0,
    checked_in INTEGER NOT NULL DEFAULT 0 -- confirmed and checked in
) STRICT;
INSERT INTO event_counts (event_id, confirmed, waitlisted, cancelled, checked_in)
SELECT e.id,
       (SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'confirmed'),
       (SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted'),
       (SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'cancelled'),
       (SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'confirmed'
            AND r.checked_in_at IS NOT NULL)
FROM events e;

CREATE TRIGGER event_counts_of_new_event AFTER INSERT ON events BEGIN
    INSERT INTO event_counts (event_id) VALUES (NEW.id);
END;
CREATE TRIGGER event_counts_insert AFTER INSERT ON registrations BEGIN
    UPDATE event_counts
    SET confirmed = confirmed + (NEW.status = 'confirmed'),
        waitlisted = waitlisted + (NEW.status = 'waitlisted'),
        cancelled = cancelled + (NEW.status = 'cancelled'),
        checked_in = checked_in + (NEW.status = 'confirmed' AND NEW.checked_in_at IS NOT NULL)
    WHERE event_id = NEW.event_id;
END;
CREATE TRIGGER event_counts_update AFTER UPDATE OF status, checked_in_at ON registrations BEGIN
    UPDATE event_counts
    SET confirmed = confirmed - (OLD.status = 'confirmed') + (NEW.status = 'confirmed'),
        waitlisted = waitlisted - (OLD.status = 'waitlisted') + (NEW.status = 'waitlisted'),
        cancelled = cancelled - (OLD.status = 'cancelled') + (NEW.status = 'cancelled'),
        checked_in = checked_in - (OLD.status = 'confirmed' AND OLD.checked_in_at IS NOT NULL)
                                + (NEW.status = 'confirmed' AND NEW.checked_in_at IS NOT NULL)
    WHERE event_id = NEW.event_id;
END;
CREATE TRIGGER event_counts_delete AFTER DELETE ON registrations BEGIN
    UPDATE event_counts
    SET confirmed = confirmed - (OLD.status = 'confirmed'),
        waitlisted = waitlisted - (OLD.status = 'waitlisted'),
        cancelled = cancelled - (OLD.status = 'cancelled'),
        checked_in = checked_in - (OLD.status = 'confirmed' AND OLD.checked_in_at IS NOT NULL)
    WHERE event_id = OLD.event_id;
END;

-- Workshop seats: the same for each session.
CREATE TABLE session_counts (
    session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    confirmed  INTEGER NOT NULL DEFAULT 0,
    waitlisted INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO session_counts (session_id, confirmed, waitlisted)
SELECT s.id,
       (SELECT count(*) FROM registration_sessions rs WHERE rs.session_id = s.id
            AND rs.status = 'confirmed'),
       (SELECT count(*) FROM registration_sessions rs WHERE rs.session_id = s.id
            AND rs.status = 'waitlisted')
FROM sessions s;

CREATE TRIGGER session_counts_of_new_session AFTER INSERT ON sessions BEGIN
    INSERT INTO session_counts (session_id) VALUES (NEW.id);
END;
CREATE TRIGGER session_counts_insert AFTER INSERT ON registration_sessions BEGIN
    UPDATE session_counts
    SET confirmed = confirmed + (NEW.status = 'confirmed'),
        waitlisted = waitlisted + (NEW.status = 'waitlisted')
    WHERE session_id = NEW.session_id;
END;
CREATE TRIGGER session_counts_update AFTER UPDATE OF status ON registration_sessions BEGIN
    UPDATE session_counts
    SET confirmed = confirmed - (OLD.status = 'confirmed') + (NEW.status = 'confirmed'),
        waitlisted = waitlisted - (OLD.status = 'waitlisted') + (NEW.status = 'waitlisted')
    WHERE session_id = NEW.session_id;
END;
CREATE TRIGGER session_counts_delete AFTER DELETE ON registration_sessions BEGIN
    UPDATE session_counts
    SET confirmed = confirmed - (OLD.status = 'confirmed'),
        waitlisted = waitlisted - (OLD.status = 'waitlisted')
    WHERE session_id = OLD.session_id;
END;
