-- Messages organizers send to an event's registrants: kept for the audit and for the limit of
-- five per event and day; each recipient's copy is an outbox message.
CREATE TABLE announcements (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    statuses   TEXT    NOT NULL, -- "confirmed", "waitlisted" or "confirmed waitlisted"
    recipients INTEGER NOT NULL,
    sent_by    INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX announcements_by_event ON announcements (event_id, created_at);
