// What both storage adapters share above their connections: a pool of read connections, the
// group-committing writer, and the units of work over the SQL repositories
// (server/storage/sql/). sqlite::sqlite_store and postgres::postgres_store add what is their
// own: opening, migrating, and knowing whether writes can be stored.
#pragma once

#include "domain/accounts/login_throttle.hpp"
#include "domain/agenda/observer.hpp"
#include "domain/store.hpp"
#include "server/storage/group_commit.hpp"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rencontres::storage {

// The store as the application sees it: the port, and figures for /metrics.
class server_store : public store {
public:
    virtual commit_stats write_stats() const = 0;
    // A write lane announces each write it queues and retracts it once run
    // (group_committer::announce), so that queued writes join the running group.
    virtual void announce_write() = 0;
    virtual void retract_write() = 0;
    // Registrations by status, every status listed.
    virtual std::vector<std::pair<std::string, std::int64_t>> registration_counts() = 0;
    // On a database that several instances share, an observer that passes changes to `local`
    // (this instance's caches) and to the other instances, whose changes reach `local` in turn;
    // the caller owns it and destroys it before `local`. Null on a database of one process.
    virtual std::unique_ptr<agenda_observer> share_changes(agenda_observer& /*local*/) {
        return nullptr;
    }
    // Whether this instance delivers the outbox and the webhooks now: on a shared database, one
    // instance at a time.
    virtual bool may_deliver() { return true; }
    // Where the login and sign-up throttles count: this process's memory, or on a shared
    // database the database.
    virtual throttle_windows& throttles() { return memory_throttles_; }

private:
    memory_throttle_windows memory_throttles_;
};

// Connections leased for the length of a unit of work, at most `max` open at once. A
// connection the server closed is opened again on lease; store_unavailable when that fails.
template <class Db> class connection_pool {
public:
    using opener = std::function<std::unique_ptr<Db>()>;
    connection_pool(opener open, std::size_t max) : open_(std::move(open)), max_(max) {}
    std::unique_ptr<Db> acquire();
    void release(std::unique_ptr<Db> db);
    void discard(std::unique_ptr<Db> db); // closes it, making room for another

private:
    opener open_;
    std::size_t max_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Db>> idle_;
    std::size_t open_count_ = 0;
};

// A writer connection leased from the pool for one transaction; given back when the lease ends,
// or closed if its transaction could not be ended.
template <class Db> struct leased_writer {
    explicit leased_writer(connection_pool<Db>& from) : pool(from), db(from.acquire()) {}
    ~leased_writer() {
        if (!db) return;
        if (db->in_transaction())
            pool.discard(std::move(db));
        else
            pool.release(std::move(db));
    }
    connection_pool<Db>& pool;
    std::unique_ptr<Db> db;
};

// How write units of work reach the database.
template <class Db> struct write_path {
    // One writer connection and group commit (group_committer): SQLite, whose file takes one
    // writer at a time anyway.
    std::unique_ptr<Db> group_writer;
    std::size_t max_batch = 512;
    // Or, when group_writer is null, a pool of this many writer connections, each write unit of
    // work its own transaction committed before commit() returns, and the database's own group
    // commit: PostgreSQL, where many writers work at once under row locks.
    std::size_t max_writers = 0;
};

template <class Db> class sql_store : public server_store {
public:
    using opener = typename connection_pool<Db>::opener;
    // `open` makes read connections, at most `max_connections` at once (and the writers of a
    // pooled write path).
    sql_store(opener open, write_path<Db> writes, std::size_t max_connections);
    ~sql_store() override;

    std::unique_ptr<unit_of_work> begin(access mode) override;
    // Reads can be served: the database is reachable and migrated.
    bool ready() override;
    void when_durable(durability_ticket ticket, std::function<void(bool)> settled) override;
    void wait_durable(durability_ticket ticket) override;
    commit_stats write_stats() const override;
    void announce_write() override {
        if (writer_) writer_->announce();
    }
    void retract_write() override {
        if (writer_) writer_->retract();
    }
    std::vector<std::pair<std::string, std::int64_t>> registration_counts() override;

    // Read connections, leased for the length of a unit of work.
    std::unique_ptr<Db> acquire() { return readers_.acquire(); }
    void release(std::unique_ptr<Db> db) { readers_.release(std::move(db)); }
    // The group-committing writer (a group write path only).
    group_committer<Db>& writer() { return *writer_; }
    // The writer connections (a pooled write path only).
    connection_pool<Db>& writers() { return *writers_; }
    // Counts a write transaction of the pooled path as it ended, and the round trips it took,
    // for /metrics.
    enum class pooled_end { committed, failed, rolled_back };
    void count_pooled_write(pooled_end end, std::uint64_t round_trips);

protected:
    // Stops the writer (its last COMMIT included) before what it uses is destroyed.
    void close_writer() { writer_.reset(); }

private:
    connection_pool<Db> readers_;
    std::unique_ptr<group_committer<Db>> writer_;
    std::unique_ptr<connection_pool<Db>> writers_;
    mutable std::mutex pooled_stats_mutex_;
    commit_stats pooled_stats_;
};

} // namespace rencontres::storage
