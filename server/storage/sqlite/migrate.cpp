#include "domain/common/time.hpp"
#include "server/storage/sql/fts.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/store.hpp"

#include <sqlite_migrations.hpp>

namespace rencontres::sqlite {
namespace {

constexpr const char* create_migrations_table = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
) STRICT)sql";
constexpr const char* find_migrations_table =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
constexpr const char* count_migrations = "SELECT count(*) FROM schema_migrations";
constexpr const char* find_migration = "SELECT name FROM schema_migrations WHERE version = ?";
constexpr const char* record_migration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)";

} // namespace

int migrate(connection& db) {
    // An up-to-date database is checked without taking the write lock, so that opening a store
    // never waits for (or blocks) a writer.
    bool has_table = false;
    {
        auto probe = db.prepare(find_migrations_table);
        has_table = probe.step();
    }
    if (!has_table) db.execute(create_migrations_table);
    std::size_t recorded_count = 0;
    {
        auto count = db.prepare(count_migrations);
        if (count.step()) recorded_count = static_cast<std::size_t>(count.integer(0));
    }
    if (recorded_count >= std::size(embedded::sqlite_migrations)) return 0;

    int applied = 0;
    for (const auto& file : embedded::sqlite_migrations) {
        const int version = file.version();
        db.execute("BEGIN IMMEDIATE");
        try {
            std::optional<std::string> recorded;
            {
                auto existing = db.prepare(find_migration);
                existing.bind(1, version);
                if (existing.step()) recorded = existing.text(0);
            }
            if (recorded) {
                file.check_recorded_as(*recorded);
                db.execute("ROLLBACK");
                continue;
            }
            db.execute(std::string(*file.sql).c_str());
            db.prepare(record_migration)
                .bind_all(version, file.name, system_clock{}.now().time_since_epoch().count())
                .run();
            db.execute("COMMIT");
            ++applied;
        } catch (...) {
            db.execute("ROLLBACK");
            throw;
        }
    }
    // Keys the application computes for rows a migration just gave the column to.
    if (applied == 0) return applied;
    db.execute("BEGIN IMMEDIATE");
    try {
        storage::fill_name_keys(db);
        // and the events' full-text index, folded by the application.
        storage::reindex_every_event(db);
        db.execute("COMMIT");
    } catch (...) {
        db.execute("ROLLBACK");
        throw;
    }
    return applied;
}

} // namespace rencontres::sqlite
