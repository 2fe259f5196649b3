// The PostgreSQL store: the shared units of work, pool and group-committing writer
// (server/storage/sql_store.hpp) on libpq connections. Several instances can share one database:
// write transactions take the database's write lock (connection::begin_exclusive), so the
// check-then-write rules of the domain hold across instances as they do on SQLite's single writer.
// Caches are kept current across instances and one instance delivers at a time (instances.hpp).
#pragma once

#include "server/storage/postgres/connection.hpp"
#include "server/storage/postgres/instances.hpp"
#include "server/storage/sql_store.hpp"

namespace rencontres::postgres {

struct store_settings {
    connection_settings connection;
    std::size_t max_connections = 8; // read connections: one per worker thread is enough
    std::size_t max_batch = 512;     // writes committed together at most
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
