-- A new registration changed its event's counts row twice, by two triggers (registration_counts,
-- then registration_list_stamp), each an UPDATE of the same row, the first through a plpgsql
-- call: two row versions and two trigger functions on every registration, the write that comes
-- by the thousand. One trigger now makes one UPDATE for both on an INSERT; deletions and changes
-- keep the triggers they had (a check-in still leaves the list stamp alone).

CREATE FUNCTION registration_arrives() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE event_counts
    SET confirmed = confirmed + (NEW.status = 'confirmed')::int,
        waitlisted = waitlisted + (NEW.status = 'waitlisted')::int,
        cancelled = cancelled + (NEW.status = 'cancelled')::int,
        checked_in = checked_in + (NEW.status = 'confirmed' AND NEW.checked_in_at IS NOT NULL)::int,
        list_stamp = new_list_stamp()
    WHERE event_id = NEW.event_id;
    RETURN NULL;
END $$;

DROP TRIGGER registration_counts ON registrations;
CREATE TRIGGER registration_counts AFTER DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION registration_counts();
DROP TRIGGER registration_list_stamp ON registrations;
CREATE TRIGGER registration_list_stamp AFTER DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION registration_list_stamp();
CREATE TRIGGER registration_arrives AFTER INSERT ON registrations
    FOR EACH ROW EXECUTE FUNCTION registration_arrives();
