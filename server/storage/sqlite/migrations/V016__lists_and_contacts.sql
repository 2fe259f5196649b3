-- The console's lists (the registrations table, the door) read one status of one event by name:
-- an index in that order, which also holds the folded text a search compares, so that a search
-- among thousands of people reads the index alone. It replaces the index by event and name.
DROP INDEX registrations_by_name;
CREATE INDEX registrations_by_name ON registrations (event_id, status, sort_key, id, search_text);
-- One registration's history on its page in the console: the audit entries about it.
DROP INDEX audit_by_entity;
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id, id);

-- Where registrants' replies go: the event's contact address (the Reply-To of its messages),
-- the first organizer's for the events made before it was kept; and each message's Reply-To.
ALTER TABLE events ADD COLUMN contact_email TEXT;
UPDATE events SET contact_email = (
    SELECT a.email FROM event_organizers o JOIN accounts a ON a.id = o.account_id
    WHERE o.event_id = events.id ORDER BY o.added_at, o.account_id LIMIT 1);
ALTER TABLE outbox ADD COLUMN reply_to TEXT;
