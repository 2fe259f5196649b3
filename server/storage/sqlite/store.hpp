#pragma once

#include "domain/store.hpp"
#include "server/storage/sql_store.hpp"
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

class sqlite_store final : public storage::sql_store<connection> {
public:
    explicit sqlite_store(store_settings settings);
    ~sqlite_store() override;

    // Writes can be stored: the database file and its folder are writable.
    bool writable() override;
    // Checkpoints completed beside the writer.
    std::uint64_t checkpoints() const { return checkpointer_.checkpoints(); }

private:
    store_settings settings_;
    checkpointer checkpointer_;
};

} // namespace rencontres::sqlite
