// A thin RAII layer over the SQLite C API: one connection, its cache of prepared statements, and
// a statement handle that binds by position. SQL text lives next to the repositories that use it.
#pragma once

#include "server/storage/binding.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace rencontres::sqlite {

enum class synchronous_mode { full, normal };

struct connection_settings {
    std::string path;
    int busy_timeout_ms = 5000;
    synchronous_mode synchronous = synchronous_mode::full;
    std::string vfs;   // a registered SQLite VFS by name; empty: the default (tests inject faults)
    int cache_kib = 0; // page cache of this connection; 0: SQLite's default (2 MiB)
    // Bytes of the database file read through a memory map instead of read(2) into the page
    // cache: the pages are shared by every connection (the kernel's cache) and not copied.
    std::int64_t mmap_bytes = 0;
};

using storage::constraint_violation;

// Throws store_unavailable for infrastructure failures, constraint_violation for constraints,
// std::runtime_error for anything else (a bug).
[[noreturn]] void raise(sqlite3* db, int code, std::string_view context);

class statement : public storage::binds_by_position<statement> {
public:
    statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    ~statement(); // resets the cached statement and clears its bindings

    // The primitive binds of storage::binds_by_position.
    statement& bind_value(int index, std::int64_t value);
    statement& bind_value(int index, double value);
    statement& bind_value(int index, std::string_view value);
    statement& bind_null(int index);

    bool step(); // true while a row is available
    void run();  // steps to completion

    std::int64_t integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;
    std::optional<std::int64_t> optional_integer(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

class connection {
public:
    explicit connection(const connection_settings& settings);
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection();

    // A prepared statement from this connection's cache (prepared once, reused).
    statement prepare(const char* sql);
    void execute(const char* sql); // a script without parameters (migrations, BEGIN, COMMIT)
    sqlite3* handle() const { return db_; }

    // Runs `write`. A statement that fails (a constraint) is undone alone and the transaction
    // goes on; postgres::connection needs a savepoint for this.
    template <class Write> void guarded(const Write& write) { write(); }
    // Begins a transaction that holds the database's write lock (BEGIN IMMEDIATE).
    void begin_exclusive();
    // The same: SQLite's file has one writer at a time.
    void begin_write() { begin_exclusive(); }
    void commit_write() { execute("COMMIT"); }
    // Writes are serialised already: no row lock to take (sql_registrations_repository).
    static constexpr bool locks_rows = false;
    // Each read is a function call: nothing is gained by asking for it ahead.
    static constexpr bool reads_ahead = false;
    // An embedded database: no round trip to count.
    std::uint64_t round_trips() const { return 0; }
    // Begins a read transaction: one snapshot from its first read to its end.
    void begin_snapshot() { execute("BEGIN"); }
    bool in_transaction() const;
    // A file connection does not break: nothing to open again.
    bool reconnect_if_broken() { return true; }

private:
    sqlite3* db_ = nullptr;
    std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

} // namespace rencontres::sqlite
