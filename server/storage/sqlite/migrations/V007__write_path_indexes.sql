-- One index on registrations' emails instead of two. Emails arrive in random order, so each
-- index keyed by them takes a random page per registration, and a group commit writes (and the
-- checkpoint writes again) one page per registration for each such index: with two of them this
-- was the largest part of the write path's cost (13,552 against 11,067 registrations/s in the
-- same benchmark with one of them dropped).
--
-- The single index serves both purposes. It is keyed by email first, so that a person's
-- registrations (/v1/me, export, erasure) are found by email, and it is unique on
-- (email, event, 0) for active registrations, so that one email holds at most one active
-- registration per event whatever the concurrency. A cancelled registration's third key is NULL,
-- and NULLs are distinct in a unique index: cancelled registrations never conflict, with each
-- other or with a new registration of the same email.
DROP INDEX registrations_active_email;
DROP INDEX registrations_by_email;
CREATE UNIQUE INDEX registrations_by_email ON registrations
    (email, event_id, (CASE WHEN status <> 'cancelled' THEN 0 END));

-- The outbox worker looks for pending messages only; delivered ones, which are nearly all of
-- them, need no entry, and marking a message delivered then removes its entry instead of moving
-- it.
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE status = 'pending';
