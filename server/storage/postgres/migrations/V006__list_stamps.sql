-- A stamp per event that changes whenever the list of its registrations by name may have: a
-- registration comes or goes, changes status, or changes what its name keys hold (sort_key,
-- search_text). Not on a check-in: the names stay as they were. A search by name keeps the
-- list of an event's names in memory and reads it again only when the stamp moved (see
-- name_lists in registrations_repository.cpp). A new random value each time rather than a
-- counter, so that the stamps of two databases never name the same list but by chance.

CREATE FUNCTION new_list_stamp() RETURNS BIGINT LANGUAGE sql VOLATILE AS $$
    SELECT ((random() - 0.5) * 1.8e19)::bigint
$$;

-- Each existing row gets its own value (a volatile default is evaluated per row).
ALTER TABLE event_counts ADD COLUMN list_stamp BIGINT NOT NULL DEFAULT new_list_stamp();

CREATE FUNCTION registration_list_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE event_counts SET list_stamp = new_list_stamp()
    WHERE event_id = CASE WHEN TG_OP = 'DELETE' THEN OLD.event_id ELSE NEW.event_id END;
    RETURN NULL;
END $$;
CREATE TRIGGER registration_list_stamp AFTER INSERT OR DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION registration_list_stamp();
CREATE TRIGGER registration_list_stamp_update AFTER UPDATE OF status, sort_key, search_text
    ON registrations
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.sort_key IS DISTINCT FROM NEW.sort_key
                       OR OLD.search_text IS DISTINCT FROM NEW.search_text)
    EXECUTE FUNCTION registration_list_stamp();
