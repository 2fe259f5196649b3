#pragma once

#include "domain/store.hpp"
#include "server/storage/sqlite/connection.hpp"

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace rencontres::sqlite {

struct store_settings {
    connection_settings connection;
    // Checkpoints run on a thread of their own once the write-ahead log holds this many pages,
    // so that the writer never copies the log into the database between two groups.
    int checkpoint_pages = 1000;
    std::size_t max_connections = 8; // read connections: one per worker thread is enough
    std::size_t max_batch = 512;     // writes committed together at most
    // The single writer touches the indexes of every event being registered for: a larger page
    // cache keeps them in memory (read connections keep SQLite's default).
    int writer_cache_kib = 64 * 1024;
};

// Applies the embedded migrations that are not yet recorded, each in its own transaction.
// Returns the number applied. Throws when a recorded migration does not match the embedded one.
int migrate(connection& db);

// A consistent copy of the database at `source` into the new file `target` while other
// processes may write to it; returns the copy's size. Throws std::runtime_error (or
// store_unavailable) with a message for the operator.
std::uintmax_t backup_database(const connection_settings& source, const std::string& target);

// How writes were grouped into commits, for /metrics.
struct commit_stats {
    static constexpr std::array<std::uint64_t, 10> bounds{1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    std::array<std::uint64_t, bounds.size()> buckets{};
    std::uint64_t commits = 0;
    std::uint64_t writes = 0;
    std::uint64_t failed = 0;
};

// Copies the write-ahead log into the database on its own connection and thread (PASSIVE
// checkpoints, which neither wait for nor block the writer or the readers), woken by the writer
// after a COMMIT that leaves `pages` or more in the log. SQLite's automatic checkpoint would run
// the copy and its fsync inside that COMMIT, on the single write lane, holding every write queued
// behind it. If the log still reaches four times `pages` (this thread starved or slowed by the
// disk), the writer waits for this thread's checkpoint and checkpoints itself after its COMMIT,
// as SQLite would: the log stays bounded by the disk's pace, not by this thread's.
class checkpointer {
public:
    checkpointer(const connection_settings& settings, int pages);
    ~checkpointer();
    // Installs the wake-up on the writer's connection (this replaces SQLite's automatic
    // checkpoint on it).
    void watch(connection& writer);
    std::uint64_t checkpoints() const { return done_.load(); }

private:
    static int on_commit(void* self, struct sqlite3* db, const char* schema, int pages);
    void run();

    std::unique_ptr<connection> db_;
    int pages_;
    std::mutex mutex_;
    std::mutex running_; // held by whoever checkpoints: this thread or the writer's fallback
    std::condition_variable wake_;
    bool due_ = false;
    bool stopping_ = false;
    std::atomic<std::uint64_t> done_{0};
    std::thread thread_;
};

// Group commit. Every write unit of work runs, one at a time, on the single writer connection,
// inside a savepoint of a transaction shared with the writes around it; a committer thread
// commits that transaction as soon as no write is running or waiting (or the batch is full).
// commit() returns only once the group is durable, and throws store_unavailable if the group's
// COMMIT failed — so a write is acknowledged only after it is on disk, while writes arriving
// during one fsync share the next one instead of paying one each.
//
// Visibility follows durability, as in PostgreSQL: with synchronous=FULL the COMMIT syncs the
// write-ahead log before it publishes the new snapshot, so other connections (readers, the
// outbox worker) never see a group that a power loss could take back. The only place where
// writes that are not yet durable can be read is the open group itself, by the writes that
// follow in it: their answers carry that group's ticket too, even when they roll back (a
// replay, a 409), so they are sent only once the group is durable, and fail with it. Tickets
// reach the caller through the port (unit_of_work::commit and ticket, access::write_deferred).
class group_committer {
public:
    group_committer(const connection_settings& settings, std::size_t max_batch,
                    int checkpoint_pages);
    ~group_committer();

    connection& acquire(); // waits for the writer connection; opens a savepoint
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
    std::uint64_t checkpoints() const { return checkpointer_.checkpoints(); }

private:
    void run();
    void finish_group(bool ok);                // with the mutex held: close_group, then settle
    void close_group();                        // with the mutex held: the next group begins
    void settle(std::uint64_t group, bool ok); // with the mutex held; groups settle in order
    void hand_over();                          // with the mutex held, once the connection is free

    std::unique_ptr<connection> db_;
    checkpointer checkpointer_;
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

class sqlite_store final : public store {
public:
    explicit sqlite_store(store_settings settings);
    ~sqlite_store() override;

    std::unique_ptr<unit_of_work> begin(access mode) override;
    bool ready() override;
    bool writable() override;
    void when_durable(durability_ticket ticket, std::function<void(bool)> settled) override;
    void wait_durable(durability_ticket ticket) override;
    commit_stats write_stats() const { return writer_->stats(); }
    // Checkpoints completed beside the writer.
    std::uint64_t checkpoints() const { return writer_->checkpoints(); }
    // Registrations by status, every status listed.
    std::vector<std::pair<std::string, std::int64_t>> registration_counts();

    // Read connections are leased for the length of a unit of work.
    std::unique_ptr<connection> acquire();
    void release(std::unique_ptr<connection> db);
    group_committer& writer() { return *writer_; }

private:
    store_settings settings_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<connection>> idle_;
    std::size_t open_ = 0;
    std::unique_ptr<group_committer> writer_;
};

} // namespace rencontres::sqlite
