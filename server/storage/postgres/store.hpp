// The PostgreSQL store: the shared units of work and pools (server/storage/sql_store.hpp) on
// libpq connections, with a pool of writer connections, each write unit of work its own
// transaction, and PostgreSQL's own group commit. Several instances can share one database.
//
// How writes that meet are decided (connection::begin_write):
// - registrations, cancellations and reports of unwanted mail (access::write_deferred, the hot
//   path) share the writes' lock and serialise per event on the row of its counts
//   (sql_registrations_repository::hold_event, SELECT … FOR UPDATE): writes on different events
//   run in parallel, on every instance; one address holding one active registration per event is
//   also the unique index registrations_by_email;
// - every other write (access::write: accounts, events, sessions, the label, webhooks) takes the
//   writes' lock exclusively, so the domain's check-then-write rules that span tables (a speaker
//   at two times, the last admin, one candidacy per territory and category) hold as on SQLite's
//   single writer. They are rare beside registrations; each waits for the running hot writes.
// - the throttles' windows lock their own rows (shared_throttle_windows).
// Deadlocks and serialization failures (store_conflict) are run again by the server.
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
