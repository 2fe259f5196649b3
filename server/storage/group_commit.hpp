// Group commit, for SQLite: one writer connection per process runs the write units of work, and a
// committer thread commits them together. See group_committer. (PostgreSQL takes many writers
// at once and groups its flushes itself: its store uses a pool of writers, sql_store.hpp.)
#pragma once

#include "server/storage/binding.hpp"

#include <array>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace rencontres::storage {

// How writes were grouped into commits, for /metrics.
struct commit_stats {
    static constexpr std::array<std::uint64_t, 10> bounds{1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    std::array<std::uint64_t, bounds.size()> buckets{};
    std::uint64_t commits = 0;
    std::uint64_t writes = 0;
    std::uint64_t failed = 0;
    std::uint64_t round_trips = 0; // of write transactions, to a database over the network
};

// Group commit. Every write unit of work runs, one at a time, on the single writer connection,
// inside a savepoint of a transaction shared with the writes around it; a committer thread
// commits that transaction as soon as no write is running or waiting (or the batch is full).
// commit() returns only once the group is durable, and throws store_unavailable if the group's
// COMMIT failed — so a write is acknowledged only after it is on disk, while writes arriving
// during one fsync share the next one instead of paying one each. A group's transaction starts
// with the connection's begin_exclusive(): SQLite's BEGIN IMMEDIATE.
//
// Visibility follows durability: PostgreSQL with synchronous_commit = on, and SQLite with
// synchronous=FULL, flush the write-ahead log at COMMIT before they publish the new snapshot, so
// other connections (readers, the outbox worker) never see a group that a power loss could take
// back. The only place where writes that are not yet durable can be read is the open group itself,
// by the writes that follow in it: their answers carry that group's ticket too, even when they roll
// back (a replay, a 409), so they are sent only once the group is durable, and fail with it.
// Tickets reach the caller through the port (unit_of_work::commit and ticket,
// access::write_deferred).
template <class Db> class group_committer {
public:
    group_committer(std::unique_ptr<Db> writer, std::size_t max_batch);
    ~group_committer();

    Db& acquire(); // waits for the writer connection; opens a savepoint
    // While holding the connection: the open group when others had released writes into it
    // before this write started (it can read them), else 0.
    std::uint64_t observed_group() const;
    void commit();            // releases the savepoint, waits for the group's COMMIT
    void rollback() noexcept; // undoes the savepoint (its observed_group still holds)
    // Releases the savepoint and returns its group without waiting; wait_durable(group) (or
    // when_durable) later, before acknowledging the write.
    std::uint64_t commit_deferred();
    void wait_durable(std::uint64_t group); // throws store_unavailable if the group failed
    // Calls `settled(true)` once `group` is durable, `settled(false)` if its COMMIT failed: at
    // once when the group is already settled, otherwise on the committer thread right after the
    // COMMIT (so `settled` must be quick and must not call back into the committer).
    void when_durable(std::uint64_t group, std::function<void(bool)> settled);
    // A write lane announces each write it has queued and retracts it once the write has run
    // (whether it wrote or not): the committer does not commit while announced writes remain,
    // so the writes queued behind the running one join its group instead of waiting a commit.
    void announce();
    void retract();
    commit_stats stats() const;
    // The writer connection, for what must be set on it before the first write.
    Db& connection() { return *db_; }

private:
    void run();
    void finish_group(bool ok);                // with the mutex held: close_group, then settle
    void close_group();                        // with the mutex held: the next group begins
    void settle(std::uint64_t group, bool ok); // with the mutex held; groups settle in order
    void hand_over();                          // with the mutex held, once the connection is free

    std::unique_ptr<Db> db_;
    std::size_t max_batch_;
    mutable std::mutex mutex_;
    // Separate wake-ups, so that a state change wakes only the threads it concerns.
    std::condition_variable connection_free_; // writes waiting for the connection
    std::condition_variable group_settled_;   // writes waiting for their group's COMMIT
    std::condition_variable committer_wake_;  // the committer
    bool busy_ = false;                       // a write holds the connection
    bool committing_ = false;                 // the committer holds it
    bool in_transaction_ = false;
    bool saw_open_group_ = false; // the running write started after others released theirs
    bool stopping_ = false;
    int waiting_ = 0;                  // writes waiting for the connection
    int announced_ = 0;                // writes queued or running on a write lane
    std::size_t released_ = 0;         // finished writes in the open transaction
    std::uint64_t group_ = 1;          // the open transaction
    std::uint64_t finished_group_ = 0; // every group up to this one is settled
    std::set<std::uint64_t> failed_groups_;
    std::set<std::uint64_t> settled_ahead_; // settled before an earlier group (out of order)
    std::map<std::uint64_t, std::vector<std::function<void(bool)>>> settled_callbacks_;
    commit_stats stats_;
    std::thread committer_;
};

} // namespace rencontres::storage
