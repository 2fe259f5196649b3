#include "server/storage/copy.hpp"

#include "server/storage/postgres/connection.hpp"
#include "server/storage/postgres/migrate.hpp"
#include "server/storage/sql/fts.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"
#include "server/storage/sqlite/store.hpp"

#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <variant>
#include <vector>

namespace rencontres::storage {
namespace {

// Every table, parents before children (the order of PostgreSQL's V001__schema.sql). A table the
// copy does not know stops it: a new migration must say here whether its table is copied.
constexpr const char* copied_tables[] = {"accounts",
                                         "tokens",
                                         "territories",
                                         "audit_log",
                                         "events",
                                         "event_organizers",
                                         "speakers",
                                         "sessions",
                                         "session_speakers",
                                         "registrations",
                                         "registration_sessions",
                                         "outbox",
                                         "idempotency_keys",
                                         "label_campaigns",
                                         "label_categories",
                                         "label_criteria",
                                         "label_candidacies",
                                         "label_reviews",
                                         "label_scores",
                                         "label_awards",
                                         "verification_tokens",
                                         "webhooks",
                                         "webhook_deliveries",
                                         "console_sessions",
                                         "event_questions",
                                         "question_options",
                                         "registration_answers",
                                         "announcements",
                                         "mail_suppressions",
                                         "account_invitations",
                                         "floor_streams",
                                         "floor_questions",
                                         "floor_votes",
                                         "polls",
                                         "poll_options",
                                         "poll_answers",
                                         "reports",
                                         "report_sessions",
                                         "report_quotes",
                                         "report_resources"};
// Kept by the target itself as the rows arrive (triggers), then compared with the source's.
constexpr const char* kept_tables[] = {"registration_totals", "event_counts", "session_counts",
                                       "answer_counts"};
// Each adapter's own: the search index (rebuilt), the migrations (applied on each side), the
// regions of postal codes (written by a migration on each side), and on PostgreSQL the throttles'
// windows (minutes long; SQLite keeps them in memory).
constexpr const char* own_tables[] = {"events_fts", "schema_migrations", "postal_regions",
                                      "throttle_windows"};

constexpr const char* sqlite_tables =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE "
    "'\\' AND name NOT LIKE 'events\\_fts\\_%' ESCAPE '\\' ORDER BY name";
constexpr const char* postgres_tables =
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
    "AND table_type = 'BASE TABLE' ORDER BY table_name";
constexpr const char* postgres_columns =
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position";
constexpr const char* postgres_identities =
    "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND is_identity = 'YES' AND column_name = 'id'";
constexpr const char* every_event = "SELECT id FROM events ORDER BY id";

bool listed(const auto& list, const std::string& name) {
    for (const char* item : list)
        if (name == item) return true;
    return false;
}

// One side of the copy, opened on its adapter and migrated.
using database =
    std::variant<std::unique_ptr<sqlite::connection>, std::unique_ptr<postgres::connection>>;

database open(const std::string& location) {
    if (postgres::is_database_url(location)) {
        auto db = std::make_unique<postgres::connection>(
            postgres::connection_settings{location, 600'000});
        postgres::migrate(*db);
        return db;
    }
    auto db = std::make_unique<sqlite::connection>(sqlite::connection_settings{location});
    sqlite::migrate(*db);
    return db;
}

// The SQL the copy builds from table and column names (never from data). Connections keep
// prepared statements by the text's address: these texts live as long as the copy.
class texts {
public:
    const char* operator()(std::string sql) { return kept_.emplace_back(std::move(sql)).c_str(); }

private:
    std::deque<std::string> kept_;
};

template <class Db>
std::vector<std::string> strings(Db& db, const char* sql,
                                 std::optional<std::string> parameter = {}) {
    auto query = db.prepare(sql);
    if (parameter) query.bind(1, *parameter);
    std::vector<std::string> out;
    while (query.step())
        out.push_back(query.text(0));
    return out;
}

template <class Db> std::vector<std::string> tables(Db& db) {
    return strings(db, is_postgres<Db> ? postgres_tables : sqlite_tables);
}

template <class Db> std::vector<std::string> columns(Db& db, texts& sql, const std::string& table) {
    if constexpr (is_postgres<Db>) {
        return strings(db, postgres_columns, table);
    } else {
        // The table's name is one of copied_tables, never data.
        return strings(db, sql("SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid"));
    }
}

std::string joined(const std::vector<std::string>& items, const std::string& each) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? ", " : "") + (each.empty() ? items[i] : each);
    return out;
}

// Every row of `table` as text, in a stable order, for comparing two databases.
template <class Db>
std::vector<std::vector<std::optional<std::string>>>
rows_of(Db& db, texts& sql, const std::string& table, const std::vector<std::string>& names) {
    auto query = db.prepare(
        sql("SELECT " + joined(names, "") + " FROM " + table + " ORDER BY " + joined(names, "")));
    std::vector<std::vector<std::optional<std::string>>> out;
    while (query.step()) {
        std::vector<std::optional<std::string>> row;
        for (std::size_t c = 0; c < names.size(); ++c)
            row.push_back(query.optional_text(static_cast<int>(c)));
        out.push_back(std::move(row));
    }
    return out;
}

template <class Db> std::int64_t count(Db& db, texts& sql, const std::string& table) {
    auto query = db.prepare(sql("SELECT count(*) FROM " + table));
    query.step();
    return query.integer(0);
}

template <class From, class To> copy_report copy_between(From& from, To& to) {
    texts sql;
    // The tables each side has are the ones this version knows.
    const auto source_tables = tables(from), target_tables = tables(to);
    for (const auto& list : {source_tables, target_tables})
        for (const auto& name : list)
            if (!listed(copied_tables, name) && !listed(kept_tables, name) &&
                !listed(own_tables, name))
                throw std::runtime_error("table " + name +
                                         " is unknown to this version of rencontres copy");
    copy_report report;
    from.begin_snapshot();
    to.begin_exclusive();
    try {
        for (const char* table : copied_tables) {
            const auto names = columns(to, sql, table);
            if (columns(from, sql, table) != names)
                throw std::runtime_error(std::string("the columns of ") + table +
                                         " differ between the two databases: run both with "
                                         "this version first");
            if (count(to, sql, table) != 0)
                throw std::runtime_error("the target is not empty (" + std::string(table) +
                                         " has rows): copy only into a new database");
            const char* insert = sql("INSERT INTO " + std::string(table) + " (" +
                                     joined(names, "") + ") VALUES (" + joined(names, "?") + ")");
            auto read = from.prepare(sql("SELECT " + joined(names, "") + " FROM " + table +
                                         " ORDER BY " + names.front()));
            while (read.step()) {
                auto write = to.prepare(insert);
                for (std::size_t c = 0; c < names.size(); ++c)
                    write.bind(static_cast<int>(c) + 1, read.optional_text(static_cast<int>(c)));
                write.run();
                ++report.rows;
            }
            ++report.tables;
        }
        if constexpr (is_postgres<To>) {
            // Identities go on after the largest id copied.
            for (const auto& table : strings(to, postgres_identities))
                to.prepare(sql("SELECT setval(pg_get_serial_sequence('" + table +
                               "', 'id'), coalesce(max(id), 0) + 1, false) FROM " + table))
                    .step();
        }
        for (const auto& id : strings(to, every_event))
            reindex_event(to, std::stoll(id));
        // What was copied, and what the target kept as the rows came, equals the source's.
        for (const char* table : copied_tables)
            if (count(from, sql, table) != count(to, sql, table))
                throw std::runtime_error(std::string("the copy of ") + table +
                                         " does not hold as many rows as the source");
        for (const char* table : kept_tables) {
            // Counts, not the stamps of event_counts (random on each side by design).
            auto names = columns(to, sql, table);
            std::erase(names, std::string("list_stamp"));
            if (rows_of(from, sql, table, names) != rows_of(to, sql, table, names))
                throw std::runtime_error(std::string("the counts kept in ") + table +
                                         " differ from the source's after the copy");
        }
        to.execute("COMMIT");
    } catch (...) {
        try {
            to.execute("ROLLBACK");
        } catch (...) {
        }
        throw;
    }
    from.execute("ROLLBACK");
    return report;
}

} // namespace

copy_report copy_database(const std::string& from, const std::string& to) {
    auto source = open(from);
    auto target = open(to);
    return std::visit([](auto& a, auto& b) { return copy_between(*a, *b); }, source, target);
}

} // namespace rencontres::storage
