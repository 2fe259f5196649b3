-- What lets writes for different events run beside each other, in fewer round trips.

-- Registrations by status for /metrics were kept in one row per status, which every
-- registration of every event updated inside its transaction: writes for different events, which
-- otherwise run beside each other, queued on that row. The totals are now the sum of the events'
-- own counts (one row per event, which only that event's writes update), read by a scrape.

CREATE OR REPLACE FUNCTION count_registration(r registrations, sign INTEGER) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE event_counts
    SET confirmed = confirmed + sign * (r.status = 'confirmed')::int,
        waitlisted = waitlisted + sign * (r.status = 'waitlisted')::int,
        cancelled = cancelled + sign * (r.status = 'cancelled')::int,
        checked_in = checked_in
                     + sign * (r.status = 'confirmed' AND r.checked_in_at IS NOT NULL)::int
    WHERE event_id = r.event_id;
END $$;

DROP TABLE registration_totals;
CREATE VIEW registration_totals (status, n) AS
SELECT s.status,
       coalesce((SELECT sum(CASE s.status WHEN 'confirmed' THEN c.confirmed
                                          WHEN 'waitlisted' THEN c.waitlisted
                                          ELSE c.cancelled END)
                 FROM event_counts c), 0)::bigint
FROM (VALUES ('confirmed'), ('waitlisted'), ('cancelled')) AS s (status);

-- SQLite's group_concat(value, separator), so that one statement reads an event and the ids of
-- its organizers on both databases (one round trip instead of two on PostgreSQL).
CREATE FUNCTION group_concat_step(list TEXT, value TEXT, separator TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN list WHEN list IS NULL THEN value
                ELSE list || separator || value END
$$;
CREATE AGGREGATE group_concat(TEXT, TEXT) (SFUNC = group_concat_step, STYPE = TEXT);
