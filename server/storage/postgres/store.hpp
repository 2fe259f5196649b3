// The PostgreSQL store: the shared units of work and pools (server/storage/sql_store.hpp) on
// libpq connections, with a pool of writer connections, each write unit of work its own
// transaction, and PostgreSQL's own group commit. Several instances can share one database.
//
// How writes that meet are decided. There is no lock for the whole database: each write is a
// READ COMMITTED transaction that takes, before it reads what its rules check, the turns the
// domain names (unit_of_work::take_turn, domain/store.hpp), and each statement then reads what
// the writes before it in that turn committed.
// - An event's turn is the row of its counts, locked FOR UPDATE
//   (sql_registrations_repository::hold_event): its registrations, cancellations, walk-ins,
//   check-ins, edits, organizers, sessions and rooms, questions asked of registrants,
//   announcements, polls opened and report. Writes on different events run in parallel, on
//   every instance.
// - Every other turn is a transaction-level advisory lock keyed by the turn and the object
//   (advisory_key::turn): a speaker (their sessions at one time across events, their removal),
//   an account (its links used once, its password, its messages' pace), who is an admin (the
//   last admin), the label (campaign steps, candidacies, reviews, awards), a territory, a
//   webhook, invitations, the slugs of new events, the demo's load.
// - Constraints decide alone where a write checks nothing else: one active registration per
//   address and event (registrations_by_email), one account per address, one territory per
//   SIREN, one vote per device and question, one answer per device and poll.
// - Writes that check nothing another write could change take no turn: a question asked, a
//   poll created or closed, a question moderated (the last moderation stands), a speaker or a
//   territory created, a message or a delivery queued again, sent marks, tokens and sessions
//   (access::write_beside).
// - The throttles' windows lock their own rows (shared_throttle_windows).
// Turns are taken in one order (who is an admin, an account, events ascending, speakers
// ascending); a deadlock or a serialization failure all the same (store_conflict) is run again
// by the server.
// Caches are kept current across instances and one instance delivers at a time (instances.hpp).
#pragma once

#include "server/storage/postgres/connection.hpp"
#include "server/storage/postgres/instances.hpp"
#include "server/storage/sql_store.hpp"

namespace rencontres::postgres {

struct store_settings {
    connection_settings connection;
    std::size_t max_connections = 8; // read connections: one per worker thread is enough
    std::size_t max_writers = 8;     // writer connections: writes running at once
};

class postgres_store final : public storage::sql_store<connection> {
public:
    // Connects and applies the migrations not yet applied; store_unavailable when the database
    // cannot be reached.
    explicit postgres_store(store_settings settings);
    ~postgres_store() override;

    // Writes can be stored: the server is a primary, not a standby in recovery.
    bool writable() override;
    std::unique_ptr<agenda_observer> share_changes(agenda_observer& local) override;
    bool may_deliver() override { return lease_.held(); }
    throttle_windows& throttles() override { return throttles_; }

private:
    connection_settings settings_;
    delivery_lease lease_;
    shared_throttle_windows throttles_;
};

} // namespace rencontres::postgres
