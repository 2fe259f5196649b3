-- Given and family names beside the full name, and what lists sort and search by: a French
-- collation key of the names and the folded text of name, organization and email, both computed
-- by the application (ICU) so that SQLite and PostgreSQL order and match alike. Rows written
-- before this migration get theirs when the store opens (fill_name_keys).
ALTER TABLE registrations ADD COLUMN given_name TEXT;
ALTER TABLE registrations ADD COLUMN family_name TEXT;
ALTER TABLE registrations ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE registrations ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE INDEX registrations_by_name ON registrations (event_id, sort_key);
-- Someone registered at the door may have no email address (''): one active registration per
-- email and event holds for addresses only.
DROP INDEX registrations_by_email;
CREATE UNIQUE INDEX registrations_by_email ON registrations
    (email, event_id, (CASE WHEN status <> 'cancelled' AND email <> '' THEN 0 END));
