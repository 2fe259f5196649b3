#include "server/storage/sqlite/connection.hpp"

#include "domain/common/text.hpp"
#include "domain/store.hpp"

#include <sqlite3.h>

namespace rencontres::sqlite {

void raise(sqlite3* db, int code, std::string_view context) {
    const int extended = db ? sqlite3_extended_errcode(db) : code;
    std::string what =
        std::string(context) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
    switch (code & 0xFF) {
    case SQLITE_CONSTRAINT:
        throw constraint_violation(
            extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY, what);
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
        throw store_unavailable(what);
    default:
        throw std::runtime_error(what);
    }
}

statement::~statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

statement& statement::bind_value(int index, std::int64_t value) {
    if (const int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK)
        raise(db_, rc, "bind");
    return *this;
}

statement& statement::bind_value(int index, double value) {
    if (const int rc = sqlite3_bind_double(stmt_, index, value); rc != SQLITE_OK)
        raise(db_, rc, "bind");
    return *this;
}

statement& statement::bind_value(int index, std::string_view value) {
    if (const int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                                           SQLITE_TRANSIENT, SQLITE_UTF8);
        rc != SQLITE_OK)
        raise(db_, rc, "bind");
    return *this;
}

statement& statement::bind_null(int index) {
    if (const int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) raise(db_, rc, "bind");
    return *this;
}

bool statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    raise(db_, rc, "step");
}

void statement::run() {
    while (step()) {
    }
}

std::int64_t statement::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

double statement::real(int column) const {
    return sqlite3_column_double(stmt_, column);
}

std::string statement::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
                : std::string();
}

std::optional<std::string> statement::optional_text(int column) const {
    if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
    return text(column);
}

std::optional<std::int64_t> statement::optional_integer(int column) const {
    if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
    return integer(column);
}

namespace {

// search_fold(text): the text as searches compare it (lower case, without accents), so that a
// query can filter rows it has no stored folded column for.
void sql_search_fold(sqlite3_context* context, int, sqlite3_value** args) {
    const auto* text = sqlite3_value_text(args[0]);
    if (!text) {
        sqlite3_result_null(context);
        return;
    }
    const auto folded = search_fold(
        std::string_view(reinterpret_cast<const char*>(text), sqlite3_value_bytes(args[0])));
    sqlite3_result_text(context, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
}

// contains_text(haystack, needle): 1 when the needle occurs in the haystack (bytes), 0 when not,
// NULL when either is. SQLite's instr() counts characters and calls memcmp at every offset; a
// search reads thousands of rows' text per request, and std::string_view::find is several times
// faster at that.
void sql_contains_text(sqlite3_context* context, int, sqlite3_value** args) {
    const auto* haystack = sqlite3_value_text(args[0]);
    const auto* needle = sqlite3_value_text(args[1]);
    if (!haystack || !needle) {
        sqlite3_result_null(context);
        return;
    }
    const std::string_view h(reinterpret_cast<const char*>(haystack),
                             static_cast<std::size_t>(sqlite3_value_bytes(args[0])));
    const std::string_view n(reinterpret_cast<const char*>(needle),
                             static_cast<std::size_t>(sqlite3_value_bytes(args[1])));
    sqlite3_result_int(context, h.find(n) != std::string_view::npos ? 1 : 0);
}

} // namespace

connection::connection(const connection_settings& settings) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const char* vfs = settings.vfs.empty() ? nullptr : settings.vfs.c_str();
    if (const int rc = sqlite3_open_v2(settings.path.c_str(), &db_, flags, vfs); rc != SQLITE_OK) {
        const std::string what = "open " + settings.path + ": " + sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw store_unavailable(what);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_create_function_v2(db_, "search_fold", 1,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                               sql_search_fold, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db_, "contains_text", 2,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                               sql_contains_text, nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(db_, settings.busy_timeout_ms);
    execute("PRAGMA journal_mode = WAL");
    execute("PRAGMA foreign_keys = ON");
    execute(settings.synchronous == synchronous_mode::full ? "PRAGMA synchronous = FULL"
                                                           : "PRAGMA synchronous = NORMAL");
    // Temporary tables, sorts and the statement journals of savepoints stay in memory: a write
    // in a group runs in a savepoint, whose journal would otherwise spill to a file in /var/tmp
    // (created, written and unlinked on the write path) once it passes a few pages.
    execute("PRAGMA temp_store = MEMORY");
    if (settings.cache_kib > 0)
        execute(("PRAGMA cache_size = -" + std::to_string(settings.cache_kib)).c_str());
    if (settings.mmap_bytes > 0)
        execute(("PRAGMA mmap_size = " + std::to_string(settings.mmap_bytes)).c_str());
}

connection::~connection() {
    for (auto& [sql, stmt] : cache_)
        sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
}

statement connection::prepare(const char* sql) {
    auto& slot = cache_[sql];
    if (!slot) {
        if (const int rc =
                sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot, nullptr);
            rc != SQLITE_OK) {
            cache_.erase(sql);
            raise(db_, rc, "prepare");
        }
    }
    return statement(db_, slot);
}

void connection::execute(const char* sql) {
    char* message = nullptr;
    if (const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message); rc != SQLITE_OK) {
        sqlite3_free(message);
        raise(db_, rc, "execute");
    }
}

void connection::begin_exclusive() {
    // Prepared once and kept: it runs for every group of writes.
    prepare("BEGIN IMMEDIATE").step();
}

bool connection::in_transaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

} // namespace rencontres::sqlite
