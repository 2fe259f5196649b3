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

// The keys of the advisory locks the adapter takes, one list so that no two uses meet: the
// delivery lease (a session lock held by the delivering instance), the throttles' windows,
// migrations, and the turns writes take (unit_of_work::take_turn), one key per turn and object.
namespace advisory_key {
inline constexpr long long delivery = 7262637;
inline constexpr long long throttles = 7262638;
inline constexpr long long migrations = 7250157101;
// Above every key before: (kind + 1) × 2^48 + the object's id (ids stay below 2^48).
constexpr long long turn(int kind, long long id) {
    return (static_cast<long long>(kind) + 1) * (1LL << 48) + id;
}
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

class connection;

class statement : public storage::binds_by_position<statement> {
public:
    statement(connection& owner, const std::string& name, int parameters);
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    ~statement();

    // The primitive binds of storage::binds_by_position.
    statement& bind_value(int index, std::int64_t value);
    statement& bind_value(int index, double value);
    statement& bind_value(int index, std::string_view value);
    statement& bind_null(int index);

    bool step(); // runs the statement on its first call; true while a row is available
    // Runs it, rows ignored. Inside a write transaction, it is only queued: it goes to the server
    // with the next statement whose rows are read, or with the COMMIT, in one round trip
    // (connection::flush); a failure then surfaces there, and fails the transaction.
    void run();
    // Inside a transaction, sends it with the next exchange without waiting for it, and keeps its
    // rows for the identical statement (same SQL, same values) that the unit of work runs next:
    // the reads a write is about to make, asked for at once. Its step() then costs no round
    // trip, and its run() nothing (it was run). Rows read ahead are read once, and dropped at the
    // transaction's end; a read ahead must come before any write that could change its rows.
    void send_ahead();

    std::int64_t integer(int column) const; // also reads booleans (t: 1, f: 0)
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;
    std::optional<std::int64_t> optional_integer(int column) const;

private:
    void execute();
    const char* value(int column) const;

    connection& owner_;
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

    // Statements whose answer nobody waits for (BEGIN, a lock, a write's run()) are queued while
    // a transaction queues (begin_write, begin_snapshot) and sent together with the next one
    // whose answer is awaited, in libpq's pipeline mode: one round trip for all.
    void flush();
    // Exchanges with the server that waited for its answer (each a round trip), since the
    // connection opened.
    std::uint64_t round_trips() const { return round_trips_; }

    // Runs `write` inside a savepoint: if a statement in it fails (a constraint), only `write` is
    // undone and the transaction goes on, as SQLite does for a failed statement. PostgreSQL
    // would otherwise refuse every later statement of the transaction.
    void guarded(const std::function<void()>& write);
    // Begins a write transaction (READ COMMITTED), queued: it goes with the first statement
    // awaited. No lock for the database: the turns the domain takes (unit_of_work::take_turn)
    // and the rows' own locks decide between writes, which run beside each other.
    void begin_write();
    void begin_exclusive() { begin_write(); } // the same, for code shared with SQLite
    // Commits; throws (store_unavailable) if a statement failed in the transaction, which
    // PostgreSQL would otherwise end with a silent ROLLBACK.
    void commit_write();
    // Writes beside each other decide with row locks (sql_registrations_repository::hold_event).
    static constexpr bool locks_rows = true;
    // Statements may be sent ahead of need (statement::send_ahead): each read costs a round trip.
    static constexpr bool reads_ahead = true;
    // Begins a read-only transaction on one snapshot.
    void begin_snapshot();
    bool in_transaction() const;
    // A connection the server closed (a restart, a failover) is opened again, its statements
    // prepared anew; false when that fails.
    bool reconnect_if_broken();

private:
    friend class statement;
    void set_up();

    // A statement waiting to be sent: a prepared one with its values, or a text without any.
    struct queued {
        std::string name_or_text;
        bool prepared;
        std::vector<std::optional<std::string>> values;
        bool ahead = false; // its rows kept in ahead_
    };
    // Runs `last` after what is queued, in one round trip; its result (the caller clears it).
    // Raises the first failure among them.
    pg_result* exchange(queued last);
    // Sends what is queued in pipeline mode; the last statement's result unless it was sent
    // ahead.
    pg_result* send_pending();
    void queue(queued item) { pending_.push_back(std::move(item)); }

    // A statement sent ahead, and its rows once they came.
    struct read_ahead {
        const std::string* name;
        std::vector<std::optional<std::string>> values;
        pg_result* rows = nullptr;
    };
    read_ahead* ahead_of(const std::string& name,
                         const std::vector<std::optional<std::string>>& values);
    // The rows of the statement sent ahead (flushed first if it was not sent yet), given up by
    // ahead_; null when no such statement was sent ahead.
    pg_result* take_ahead(const std::string& name,
                          const std::vector<std::optional<std::string>>& values);
    // True (and forgotten) when such a statement was sent ahead: it needs no other run.
    bool ran_ahead(const std::string& name, const std::vector<std::optional<std::string>>& values);
    void drop_ahead();

    struct prepared {
        std::string name;
        int parameters;
    };
    connection_settings settings_;
    pg_conn* db_ = nullptr;
    std::unordered_map<const char*, prepared> cache_;
    std::vector<queued> pending_;
    std::vector<read_ahead> ahead_;
    bool queueing_ = false; // in a transaction begun by begin_write or begin_snapshot
    std::uint64_t round_trips_ = 0;
};

// Throws the exception that fits a failed result (constraint_violation, store_unavailable, or
// std::runtime_error for a bug), its message without the values involved.
[[noreturn]] void raise(pg_conn* db, pg_result* result, std::string_view context);

} // namespace rencontres::postgres
