// A thin RAII layer over libpq, shaped like the SQLite one (server/storage/sqlite/connection.hpp)
// so that repositories read the same on both: one connection, its statements prepared once on
// the server and kept, and a statement handle that binds by position. SQL is written with
// SQLite's placeholders (`?` and `?N`), turned into PostgreSQL's `$N` when first prepared.
#pragma once

#include "server/storage/binding.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace rencontres::postgres {

struct connection_settings {
    // A libpq connection string: postgresql://user@host:port/dbname or "host=… dbname=…".
    std::string url;
    // How long a statement may run, and wait for a lock, before it is cancelled
    // (store_unavailable).
    int statement_timeout_ms = 5000;
};

// The keys of the advisory locks the adapter takes, one list so that no two uses meet:
// the writes' lock (connection::begin_write), the delivery lease (a session lock held by the
// delivering instance), the throttles' windows, and migrations.
namespace advisory_key {
inline constexpr long long writes = 7262636;
inline constexpr long long delivery = 7262637;
inline constexpr long long throttles = 7262638;
inline constexpr long long migrations = 7250157101;
} // namespace advisory_key

// SQLSTATE class 23; unique: 23505.
using storage::constraint_violation;

// True when `location` names a PostgreSQL database (a postgresql:// or postgres:// URL) rather
// than a SQLite file.
bool is_database_url(std::string_view location);
// The URL as it may be shown in logs and messages: its password replaced by `***`.
std::string without_password(std::string_view url);

// `?` and `?N` placeholders outside quotes and comments become `$N`; returns the text and the
// number of parameters.
std::pair<std::string, int> to_dollar_placeholders(std::string_view sql);

class statement : public storage::binds_by_position<statement> {
public:
    statement(pg_conn* db, const std::string& name, int parameters);
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    ~statement();

    // The primitive binds of storage::binds_by_position.
    statement& bind_value(int index, std::int64_t value);
    statement& bind_value(int index, double value);
    statement& bind_value(int index, std::string_view value);
    statement& bind_null(int index);

    bool step(); // runs the statement on its first call; true while a row is available
    void run();  // runs it, rows ignored

    std::int64_t integer(int column) const; // also reads booleans (t: 1, f: 0)
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;
    std::optional<std::int64_t> optional_integer(int column) const;

private:
    void execute();
    const char* value(int column) const;

    pg_conn* db_;
    const std::string& name_;
    std::vector<std::optional<std::string>> values_;
    pg_result* result_ = nullptr;
    int row_ = -1;
};

class connection {
public:
    explicit connection(const connection_settings& settings);
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection();

    // A statement prepared on the server once per connection (keyed by the SQL's address).
    statement prepare(const char* sql);
    void execute(const char* sql); // a script without parameters (migrations, BEGIN, COMMIT)
    pg_conn* handle() const { return db_; }

    // Runs `write` inside a savepoint: if a statement in it fails (a constraint), only `write` is
    // undone and the transaction goes on, as SQLite does for a failed statement. PostgreSQL
    // would otherwise refuse every later statement of the transaction.
    void guarded(const std::function<void()>& write);
    // Begins a write transaction holding the writes' lock (a transaction-level advisory lock,
    // one key for the database): exclusively, no other write runs on any instance until it ends,
    // as on SQLite's single writer; shared, it runs beside the other shared ones, and the rows it
    // locks decide (sql_registrations_repository::hold_event).
    enum class write_lock { exclusive, shared };
    void begin_write(write_lock lock);
    void begin_exclusive(); // begin_write(write_lock::exclusive)
    // Commits; throws (store_unavailable) if a statement failed in the transaction, which
    // PostgreSQL would otherwise end with a silent ROLLBACK.
    void commit_write();
    // Writes beside each other decide with row locks (sql_registrations_repository::hold_event).
    static constexpr bool locks_rows = true;
    // Begins a read-only transaction on one snapshot.
    void begin_snapshot();
    bool in_transaction() const;
    // A connection the server closed (a restart, a failover) is opened again, its statements
    // prepared anew; false when that fails.
    bool reconnect_if_broken();

private:
    void set_up();

    struct prepared {
        std::string name;
        int parameters;
    };
    connection_settings settings_;
    pg_conn* db_ = nullptr;
    std::unordered_map<const char*, prepared> cache_;
};

// Throws the exception that fits a failed result (constraint_violation, store_unavailable, or
// std::runtime_error for a bug), its message without the values involved.
[[noreturn]] void raise(pg_conn* db, pg_result* result, std::string_view context);

} // namespace rencontres::postgres
