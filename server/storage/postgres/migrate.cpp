#include "server/storage/postgres/migrate.hpp"

#include "domain/common/time.hpp"
#include "server/storage/sql/fts.hpp"
#include "server/storage/sql/repositories.hpp"

#include <postgres_migrations.hpp>

namespace rencontres::postgres {
namespace {

// Instances starting together migrate one after the other: the first applies, the others find
// every migration recorded. The lock is the transaction's, released by its COMMIT or ROLLBACK.
const std::string lock_migrations =
    "SELECT pg_advisory_xact_lock(" + std::to_string(advisory_key::migrations) + ")";
constexpr const char* migration_timeouts =
    "SET LOCAL statement_timeout = '15min'; SET LOCAL lock_timeout = '15min'";
constexpr const char* create_migrations_table = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at BIGINT  NOT NULL
))sql";
constexpr const char* find_migration = "SELECT name FROM schema_migrations WHERE version = ?";
constexpr const char* record_migration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)";

} // namespace

int migrate(connection& db) {
    // DDL is transactional in PostgreSQL: every pending migration is applied in one transaction,
    // all or nothing.
    db.execute("BEGIN");
    try {
        // A migration may rewrite a large table, and an instance may wait for another's: neither
        // is bound by the timeout that protects requests.
        db.execute(migration_timeouts);
        db.execute(lock_migrations.c_str());
        db.execute(create_migrations_table);
        int applied = 0;
        for (const auto& file : embedded::postgres_migrations) {
            const int version = file.version();
            auto existing = db.prepare(find_migration);
            existing.bind(1, version);
            if (existing.step()) {
                file.check_recorded_as(existing.text(0));
                continue;
            }
            db.execute(std::string(*file.sql).c_str());
            db.prepare(record_migration)
                .bind_all(version, file.name, system_clock{}.now().time_since_epoch().count())
                .run();
            ++applied;
        }
        // Keys the application computes for rows a migration just gave the column to.
        // and the events' full-text index, folded by the application.
        if (applied > 0) {
            storage::fill_name_keys(db);
            storage::reindex_every_event(db);
        }
        db.execute("COMMIT");
        return applied;
    } catch (...) {
        try {
            db.execute("ROLLBACK");
        } catch (...) {
            // The connection is gone: the server rolls the transaction back.
        }
        throw;
    }
}

} // namespace rencontres::postgres
