// The PostgreSQL adapter's foundations against a throwaway server (tests/support/
// test-postgres.sh, started by ctest): its connection layer, its errors, its migrations and the
// counts its triggers keep. Each test works in a database of its own, dropped at the end.
#include "domain/store.hpp"
#include "server/storage/postgres/connection.hpp"
#include "server/storage/postgres/migrate.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/store.hpp"
#include "support/test_database.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <unistd.h>

namespace rencontres {
namespace {

using postgres::connection;
using postgres::connection_settings;

struct postgres_fixture : ::testing::Test {
    std::unique_ptr<testing::scratch_database> database;
    std::unique_ptr<connection> db;

    void SetUp() override {
        database = std::make_unique<testing::scratch_database>(
            testing::scratch_database::on_postgres_server);
        db = open();
    }
    void TearDown() override {
        db.reset();
        database.reset();
    }
    std::unique_ptr<connection> open(int timeout_ms = 5000) {
        return std::make_unique<connection>(connection_settings{database->location(), timeout_ms});
    }
    std::int64_t scalar(connection& c, const char* sql) {
        auto q = c.prepare(sql);
        EXPECT_TRUE(q.step()) << sql;
        return q.integer(0);
    }
};

TEST(postgres_placeholders, question_marks_become_numbered_parameters_outside_quotes) {
    EXPECT_EQ(postgres::to_dollar_placeholders("SELECT a FROM t WHERE b = ? AND c = ?"),
              std::make_pair(std::string("SELECT a FROM t WHERE b = $1 AND c = $2"), 2));
    EXPECT_EQ(postgres::to_dollar_placeholders("UPDATE t SET a = ?2 WHERE id = ?1 OR x = ?2"),
              std::make_pair(std::string("UPDATE t SET a = $2 WHERE id = $1 OR x = $2"), 2));
    EXPECT_EQ(postgres::to_dollar_placeholders("SELECT '?', \"a?\" -- why?\nFROM t WHERE a = ?"),
              std::make_pair(std::string("SELECT '?', \"a?\" -- why?\nFROM t WHERE a = $1"), 1));
}

TEST(postgres_connection, an_unreachable_server_is_store_unavailable) {
    EXPECT_THROW(connection({"host=/nonexistent-folder dbname=x user=postgres"}),
                 store_unavailable);
}

TEST_F(postgres_fixture, migrations_run_from_empty_once_and_are_recorded) {
    EXPECT_EQ(postgres::migrate(*db), 12);
    EXPECT_EQ(postgres::migrate(*db), 0);
    auto rows = db->prepare("SELECT version, name FROM schema_migrations ORDER BY version");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 1);
    EXPECT_EQ(rows.text(1), "V001__schema.sql");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 2);
    EXPECT_EQ(rows.text(1), "V002__throttle_windows.sql");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 3);
    EXPECT_EQ(rows.text(1), "V003__trust.sql");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 4);
    EXPECT_EQ(rows.text(1), "V004__names.sql");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 5);
    EXPECT_EQ(rows.text(1), "V005__lists_and_contacts.sql");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 6);
    EXPECT_EQ(rows.text(1), "V006__list_stamps.sql");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 7);
    EXPECT_EQ(rows.text(1), "V007__postal_regions.sql");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 8);
    EXPECT_EQ(rows.text(1), "V008__invitations.sql");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 9);
    EXPECT_EQ(rows.text(1), "V009__writes_beside_each_other.sql");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 10);
    EXPECT_EQ(rows.text(1), "V010__floor.sql");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 11);
    EXPECT_EQ(rows.text(1), "V011__reports.sql");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 12);
    EXPECT_EQ(rows.text(1), "V012__one_update_per_registration.sql");
    EXPECT_FALSE(rows.step());
}

// The statement timeout protects requests; a migration (a table rewritten, an index built, or
// another instance's migration waited for) is not cut by it, even on a loaded machine.
TEST_F(postgres_fixture, migrations_are_not_cut_by_the_request_timeout) {
    auto hurried = open(1);
    EXPECT_EQ(postgres::migrate(*hurried), 12);
    EXPECT_EQ(postgres::migrate(*db), 0);
}

// Every table and column of the SQLite schema, and nothing else, so that rows move between the
// two column for column.
TEST_F(postgres_fixture, the_schema_has_the_tables_and_columns_of_sqlites) {
    postgres::migrate(*db);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("rencontres-schema-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::map<std::string, std::set<std::string>> lite, pg;
    {
        sqlite::connection lite_db({(dir / "schema.db").string()});
        sqlite::migrate(lite_db);
        auto tables = lite_db.prepare(
            "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE "
            "m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'events_fts_%'");
        while (tables.step())
            lite[tables.text(0)].insert(tables.text(1));
    }
    std::filesystem::remove_all(dir);
    lite["events_fts"] = {"event_id", "body", "document"}; // FTS5's rowid and body; a tsvector
    // PostgreSQL's own: the throttles' windows that instances share (SQLite keeps them in memory).
    lite["throttle_windows"] = {"key", "failures", "started_at"};
    auto columns = db->prepare("SELECT c.table_name, c.column_name FROM information_schema.columns "
                               "c JOIN information_schema.tables t USING (table_schema, "
                               "table_name) WHERE c.table_schema = 'public' AND t.table_type = "
                               "'BASE TABLE'");
    while (columns.step())
        pg[columns.text(0)].insert(columns.text(1));
    // A view on PostgreSQL, summing the events' counts (V009), that no writer updates.
    EXPECT_EQ(lite["registration_totals"], (std::set<std::string>{"status", "n"}));
    lite.erase("registration_totals");
    EXPECT_EQ(pg, lite);
    EXPECT_EQ(pg.size(), 47u);
}

TEST_F(postgres_fixture, instances_starting_together_apply_the_migrations_once) {
    std::vector<int> applied(4, -1);
    std::vector<std::thread> instances;
    for (int i = 0; i < 4; ++i)
        instances.emplace_back([&, i] {
            auto own = open();
            applied[static_cast<std::size_t>(i)] = postgres::migrate(*own);
        });
    for (auto& t : instances)
        t.join();
    std::sort(applied.begin(), applied.end());
    EXPECT_EQ(applied, (std::vector<int>{0, 0, 0, 12}));
    EXPECT_EQ(scalar(*db, "SELECT count(*) FROM schema_migrations"), 12);
}

TEST_F(postgres_fixture, values_bind_and_read_back_with_their_types) {
    postgres::migrate(*db);
    db->prepare("INSERT INTO accounts (email, display_name, role, password_hash, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind_all("élise@x.fr", "Élise « Ï » d'Aixe", "admin", "$argon2id$...",
                  std::int64_t{4102444800}, std::int64_t{-1})
        .run();
    auto row = db->prepare("SELECT id, display_name, created_at, updated_at, email_verified = 0, "
                           "NULL::text, NULL::bigint, 2.5::float8 FROM accounts WHERE email = ?");
    row.bind(1, "élise@x.fr");
    ASSERT_TRUE(row.step());
    EXPECT_EQ(row.integer(0), 1);
    EXPECT_EQ(row.text(1), "Élise « Ï » d'Aixe");
    EXPECT_EQ(row.integer(2), 4102444800);
    EXPECT_EQ(row.integer(3), -1);
    EXPECT_EQ(row.integer(4), 1); // a boolean reads as 1
    EXPECT_EQ(row.optional_text(5), std::nullopt);
    EXPECT_EQ(row.optional_integer(6), std::nullopt);
    EXPECT_DOUBLE_EQ(row.real(7), 2.5);
    EXPECT_FALSE(row.step());
}

TEST_F(postgres_fixture, constraints_surface_as_violations_without_the_values) {
    postgres::migrate(*db);
    const char* insert = "INSERT INTO accounts (email, display_name, role, password_hash, "
                         "created_at, updated_at) VALUES (?, 'A', ?, 'h', 0, 0)";
    db->prepare(insert).bind_all("a@x.fr", "participant").run();
    try {
        db->prepare(insert).bind_all("a@x.fr", "participant").run();
        FAIL() << "a second account with the same email";
    } catch (const postgres::constraint_violation& e) {
        EXPECT_TRUE(e.is_unique());
        EXPECT_EQ(std::string(e.what()).find("a@x.fr"), std::string::npos) << e.what();
    }
    try {
        db->prepare(insert).bind_all("b@x.fr", "emperor").run();
        FAIL() << "a role outside the list";
    } catch (const postgres::constraint_violation& e) {
        EXPECT_FALSE(e.is_unique());
        EXPECT_NE(std::string(e.what()).find("accounts_role_check"), std::string::npos) << e.what();
    }
    EXPECT_THROW(db->prepare("INSERT INTO tokens (digest, account_id, created_at, expires_at) "
                             "VALUES ('d', 12345, 0, 1)")
                     .run(),
                 postgres::constraint_violation);
    // A bug in SQL is not a store failure (it is a 500, not a 503).
    try {
        db->prepare("SELECT no_such_column FROM accounts").run();
        FAIL();
    } catch (const store_unavailable&) {
        FAIL() << "a bug reported as an unavailable store";
    } catch (const std::runtime_error&) {
    }
}

TEST_F(postgres_fixture, a_waiting_lock_times_out_as_store_unavailable) {
    postgres::migrate(*db);
    auto other = open(200);
    db->execute("BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE");
    EXPECT_THROW(other->prepare("SELECT count(*) FROM accounts").run(), store_unavailable);
    db->execute("ROLLBACK");
}

// The counts kept by the triggers equal a recount after random registrations, status changes,
// check-ins, seat changes, answers and deletions, with rolled-back transactions among them.
TEST_F(postgres_fixture, kept_counts_equal_a_full_recount_after_random_changes) {
    postgres::migrate(*db);
    db->execute("INSERT INTO events (slug, title, status, timezone, created_at, updated_at) "
                "VALUES ('a', 'A', 'published', 'Europe/Paris', 0, 0), "
                "('b', 'B', 'published', 'Europe/Paris', 0, 0)");
    db->execute("INSERT INTO sessions (event_id, title, kind, starts_at, ends_at, created_at, "
                "updated_at) VALUES (1, 'W1', 'workshop', 10, 20, 0, 0), "
                "(1, 'W2', 'workshop', 10, 20, 0, 0), (2, 'W3', 'workshop', 10, 20, 0, 0)");
    db->execute("INSERT INTO event_questions VALUES (1, 'q', 0, 'Q', 'choices', 0, NULL), "
                "(2, 'q', 0, 'Q', 'choices', 0, NULL)");
    const char* statuses[] = {"confirmed", "waitlisted", "cancelled"};
    std::mt19937 random(20261129);
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
    int made = 0;
    for (int op = 0; op < 3000; ++op) {
        const bool rollback = pick(10) == 0;
        db->execute("BEGIN");
        switch (pick(6)) {
        case 0:
        case 1: {
            const int event = 1 + pick(2);
            db->prepare("INSERT INTO registrations (event_id, full_name, email, status, "
                        "manage_digest, feed_digest, created_at, updated_at) VALUES "
                        "(?, 'P', ?, ?, 'm', 'f', 0, 0)")
                .bind_all(event, "p" + std::to_string(++made) + "@x.fr", statuses[pick(2)])
                .run();
            break;
        }
        case 2:
            db->prepare("UPDATE registrations SET status = ? WHERE id = (SELECT id FROM "
                        "registrations ORDER BY random() LIMIT 1)")
                .bind_all(statuses[pick(3)])
                .run();
            break;
        case 3:
            db->prepare("UPDATE registrations SET checked_in_at = CASE WHEN checked_in_at IS "
                        "NULL THEN 5 END WHERE id = (SELECT id FROM registrations ORDER BY "
                        "random() LIMIT 1)")
                .run();
            break;
        case 4:
            db->prepare("INSERT INTO registration_sessions (registration_id, session_id, status) "
                        "SELECT r.id, s.id, ? FROM registrations r JOIN sessions s ON "
                        "s.event_id = r.event_id ORDER BY random() LIMIT 1 ON CONFLICT "
                        "(registration_id, session_id) DO UPDATE SET status = excluded.status")
                .bind_all(statuses[pick(3)])
                .run();
            db->prepare("INSERT INTO registration_answers (registration_id, event_id, "
                        "question_code, kind, choice) SELECT id, event_id, 'q', 'choices', ? "
                        "FROM registrations ORDER BY random() LIMIT 1 ON CONFLICT DO NOTHING")
                .bind_all(pick(2) ? "x" : "y")
                .run();
            break;
        default:
            db->prepare(pick(2) ? "DELETE FROM registrations WHERE id = (SELECT id FROM "
                                  "registrations ORDER BY random() LIMIT 1)"
                                : "DELETE FROM registration_answers WHERE id = (SELECT id FROM "
                                  "registration_answers ORDER BY random() LIMIT 1)")
                .run();
            break;
        }
        db->execute(rollback ? "ROLLBACK" : "COMMIT");
    }
    ASSERT_GT(scalar(*db, "SELECT count(*) FROM registrations"), 500);
    ASSERT_GT(scalar(*db, "SELECT count(*) FROM registration_answers"), 100);
    EXPECT_EQ(scalar(*db, R"sql(SELECT count(*) FROM event_counts c WHERE
        c.confirmed <> (SELECT count(*) FROM registrations r WHERE r.event_id = c.event_id AND r.status = 'confirmed') OR
        c.waitlisted <> (SELECT count(*) FROM registrations r WHERE r.event_id = c.event_id AND r.status = 'waitlisted') OR
        c.cancelled <> (SELECT count(*) FROM registrations r WHERE r.event_id = c.event_id AND r.status = 'cancelled') OR
        c.checked_in <> (SELECT count(*) FROM registrations r WHERE r.event_id = c.event_id AND r.status = 'confirmed' AND r.checked_in_at IS NOT NULL))sql"),
              0);
    EXPECT_EQ(scalar(*db, R"sql(SELECT count(*) FROM registration_totals t WHERE
        t.n <> (SELECT count(*) FROM registrations r WHERE r.status = t.status))sql"),
              0);
    EXPECT_EQ(scalar(*db, R"sql(SELECT count(*) FROM session_counts c WHERE
        c.confirmed <> (SELECT count(*) FROM registration_sessions s WHERE s.session_id = c.session_id AND s.status = 'confirmed') OR
        c.waitlisted <> (SELECT count(*) FROM registration_sessions s WHERE s.session_id = c.session_id AND s.status = 'waitlisted'))sql"),
              0);
    EXPECT_EQ(scalar(*db, R"sql(SELECT count(*) FROM answer_counts c WHERE
        c.total <> (SELECT count(*) FROM registration_answers a WHERE a.event_id = c.event_id AND a.question_code = c.question_code AND a.choice = c.choice) OR
        c.active <> (SELECT count(*) FROM registration_answers a JOIN registrations r ON r.id = a.registration_id
                     WHERE a.event_id = c.event_id AND a.question_code = c.question_code AND a.choice = c.choice AND r.status <> 'cancelled'))sql"),
              0);
}

TEST_F(postgres_fixture, search_folds_accents_and_case_and_matches_words_by_prefix) {
    postgres::migrate(*db);
    db->execute("INSERT INTO events (slug, title, status, timezone, created_at, updated_at) "
                "VALUES ('a', 'A', 'published', 'Europe/Paris', 0, 0)");
    db->prepare("INSERT INTO events_fts (event_id, body) VALUES (1, ?)")
        .bind_all("La Révolution numérique en débat à Aixe-sur-Vienne, tiers-lieux")
        .run();
    const char* query = "SELECT count(*) FROM events_fts WHERE document @@ "
                        "to_tsquery('simple', search_fold(?) || ':*')";
    auto matches = [&](const char* words) {
        auto q = db->prepare(query);
        q.bind(1, words);
        return q.step() ? q.integer(0) : -1;
    };
    for (const char* found : {"revolution", "RÉVOLUTION", "numeriq", "aixe", "debat", "tiers"})
        EXPECT_EQ(matches(found), 1) << found;
    for (const char* missing : {"revolutions", "numerical", "paris"})
        EXPECT_EQ(matches(missing), 0) << missing;
}

// The statements a registration sends are prepared once per connection and, after five runs,
// PostgreSQL may keep one generic plan for them, made while the table was as small as the
// statistics then said (a new database has none). A statement that finds a registration by its
// address and event (the draw of a new registration: its number, and whether its address already
// holds one; the lookup of "send my link again") must still go through the unique index, not walk
// the event's registrations: it reads a few pages when the event holds thousands, as on the first.
TEST_F(postgres_fixture, a_lookup_by_address_reads_a_few_pages_however_many_the_event_holds) {
    postgres::migrate(*db);
    // As the server's connections on a new database: no statistics yet, none gathered during
    // the test, and the plan kept is the generic one.
    db->execute("ALTER TABLE registrations SET (autovacuum_enabled = false)");
    db->execute("SET plan_cache_mode = force_generic_plan");
    db->execute("INSERT INTO events (slug, title, status, timezone, created_at, updated_at) "
                "VALUES ('a', 'A', 'published', 'Europe/Paris', 0, 0)");
    storage::sql_registrations_repository<connection> registrations(*db);
    auto draft = [](int n) {
        registration r;
        r.event_id = 1;
        r.full_name = "P " + std::to_string(n);
        r.email = "p" + std::to_string(n) + "@x.fr";
        r.manage_digest = "m" + std::to_string(n);
        r.feed_digest = "f" + std::to_string(n);
        return r;
    };
    for (int n = 1; n <= 5; ++n) {
        db->execute("BEGIN");
        ASSERT_TRUE(registrations.insert(draft(n)).ok());
        db->execute("COMMIT");
        EXPECT_TRUE(registrations.active_by_email(1, "p" + std::to_string(n) + "@x.fr"));
    }
    db->execute("INSERT INTO registrations (event_id, full_name, email, status, manage_digest, "
                "feed_digest, created_at, updated_at) SELECT 1, 'P', 'q' || n || '@x.fr', "
                "'confirmed', 'mq' || n, 'fq' || n, 0, 0 FROM generate_series(1, 3000) n");
    // The pages a prepared statement of the repository reads, run with these arguments.
    auto pages = [&](const char* statement, const std::string& arguments) {
        std::string name;
        {
            auto q = db->prepare("SELECT name FROM pg_prepared_statements WHERE statement LIKE ?");
            q.bind(1, statement);
            EXPECT_TRUE(q.step()) << statement << " is a prepared statement of the connection";
            name = q.text(0);
        }
        auto q = db->prepare(
            ("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE " + name + "(" + arguments + ")")
                .c_str());
        EXPECT_TRUE(q.step());
        const auto plan = q.text(0);
        const auto at = plan.find("\"Shared Hit Blocks\": ");
        EXPECT_NE(at, std::string::npos) << plan;
        return std::stoi(plan.substr(at + 21));
    };
    const char* draw = "SELECT nextval(%";
    const char* by_address = "SELECT r.id FROM registrations r WHERE r.email%";
    EXPECT_LE(pages(draw, "'new@x.fr', 1"), 8);
    EXPECT_LE(pages(draw, "'q2999@x.fr', 1"), 8);
    EXPECT_LE(pages(by_address, "'new@x.fr', 1"), 8);
    EXPECT_LE(pages(by_address, "'q2999@x.fr', 1"), 8);
    // Both still find the address taken, and only an active registration.
    db->execute("BEGIN");
    auto again = draft(3);
    again.manage_digest = "m-again";
    again.feed_digest = "f-again";
    EXPECT_FALSE(registrations.insert(again).ok());
    db->execute("ROLLBACK");
    const auto found = registrations.active_by_email(1, "q2999@x.fr");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->email, "q2999@x.fr");
    db->execute("UPDATE registrations SET status = 'cancelled' WHERE email = 'q2999@x.fr'");
    EXPECT_FALSE(registrations.active_by_email(1, "q2999@x.fr"));
    EXPECT_FALSE(registrations.active_by_email(1, "new@x.fr"));
}

} // namespace
} // namespace rencontres
