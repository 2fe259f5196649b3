-- A stamp per event that changes whenever the list of its registrations by name may have: a
-- registration comes or goes, changes status, or changes what its name keys hold (sort_key,
-- search_text). Not on a check-in: the names stay as they were. A search by name keeps the
-- list of an event's names in memory and reads it again only when the stamp moved (see
-- name_lists in registrations_repository.cpp). A new random value each time rather than a
-- counter, so that the stamps of two databases (a test's, another store's) never name the same
-- list but by chance.

ALTER TABLE event_counts ADD COLUMN list_stamp INTEGER NOT NULL DEFAULT 0;
UPDATE event_counts SET list_stamp = random();

DROP TRIGGER event_counts_of_new_event;
CREATE TRIGGER event_counts_of_new_event AFTER INSERT ON events BEGIN
    INSERT INTO event_counts (event_id, list_stamp) VALUES (NEW.id, random());
END;

DROP TRIGGER event_counts_insert;
CREATE TRIGGER event_counts_insert AFTER INSERT ON registrations BEGIN
    UPDATE event_counts
    SET confirmed = confirmed + (NEW.status = 'confirmed'),
        waitlisted = waitlisted + (NEW.status = 'waitlisted'),
        cancelled = cancelled + (NEW.status = 'cancelled'),
        checked_in = checked_in + (NEW.status = 'confirmed' AND NEW.checked_in_at IS NOT NULL),
        list_stamp = random()
    WHERE event_id = NEW.event_id;
END;

DROP TRIGGER event_counts_update;
CREATE TRIGGER event_counts_update AFTER UPDATE OF status, checked_in_at ON registrations BEGIN
    UPDATE event_counts
    SET confirmed = confirmed - (OLD.status = 'confirmed') + (NEW.status = 'confirmed'),
        waitlisted = waitlisted - (OLD.status = 'waitlisted') + (NEW.status = 'waitlisted'),
        cancelled = cancelled - (OLD.status = 'cancelled') + (NEW.status = 'cancelled'),
        checked_in = checked_in - (OLD.status = 'confirmed' AND OLD.checked_in_at IS NOT NULL)
                                + (NEW.status = 'confirmed' AND NEW.checked_in_at IS NOT NULL),
        list_stamp = CASE WHEN OLD.status = NEW.status THEN list_stamp ELSE random() END
    WHERE event_id = NEW.event_id;
END;

DROP TRIGGER event_counts_delete;
CREATE TRIGGER event_counts_delete AFTER DELETE ON registrations BEGIN
    UPDATE event_counts
    SET confirmed = confirmed - (OLD.status = 'confirmed'),
        waitlisted = waitlisted - (OLD.status = 'waitlisted'),
        cancelled = cancelled - (OLD.status = 'cancelled'),
        checked_in = checked_in - (OLD.status = 'confirmed' AND OLD.checked_in_at IS NOT NULL),
        list_stamp = random()
    WHERE event_id = OLD.event_id;
END;

CREATE TRIGGER event_list_stamp_names AFTER UPDATE OF sort_key, search_text ON registrations
WHEN OLD.sort_key IS NOT NEW.sort_key OR OLD.search_text IS NOT NEW.search_text BEGIN
    UPDATE event_counts SET list_stamp = random() WHERE event_id = NEW.event_id;
END;
