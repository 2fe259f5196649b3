// The storage adapters against a real database: a SQLite file in a temporary folder, or a
// database of its own on the test PostgreSQL server when the suite runs on PostgreSQL
// (support/test_database.hpp).
#include "domain/accounts/repository.hpp"
#include "domain/agenda/repository.hpp"
#include "domain/audit/repository.hpp"
#include "domain/common/text.hpp"
#include "domain/events/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/territories/repository.hpp"
#include "server/storage/postgres/store.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/store.hpp"
#include "support/test_database.hpp"

#include <array>
#include <atomic>
#include <filesystem>
#include <future>
#include <gtest/gtest.h>
#include <random>
#include <sqlite3.h>
#include <thread>

namespace rencontres {
namespace {

namespace fs = std::filesystem;

instant at(const char* text) {
    return *parse_instant(text);
}

// A test about SQLite's file itself skips on PostgreSQL.
#define SQLITE_ONLY(why)                                                                           \
    if (testing::on_postgres()) GTEST_SKIP() << "SQLite's own: " why

// A test of the application's group commit skips on PostgreSQL, where each write unit of work
// is its own transaction, committed before commit() returns (PostgreSQL groups the flushes).
#define GROUP_COMMIT_ONLY()                                                                        \
    if (testing::on_postgres())                                                                    \
    GTEST_SKIP() << "PostgreSQL commits each write alone, before commit() returns"

struct storage_fixture : ::testing::Test {
    // A published event row, as the tests insert them.
    static event published_row(std::string slug, instant now) {
        event e;
        e.slug = std::move(slug);
        e.title = "Rencontre";
        e.status = event_status::published;
        e.created_at = e.updated_at = now;
        return e;
    }

    fs::path dir;
    std::unique_ptr<testing::scratch_database> database;
    std::unique_ptr<storage::server_store> db;

    void SetUp() override {
        dir = fs::temp_directory_path() /
              ("rencontres-storage-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
        database = std::make_unique<testing::scratch_database>((dir / "test.db").string());
        db = open(200);
    }
    void TearDown() override {
        db.reset();
        database.reset();
        fs::remove_all(dir);
    }
    std::unique_ptr<storage::server_store> open(int busy_timeout_ms) {
        if (testing::on_postgres()) {
            postgres::store_settings s;
            s.connection.url = database->location();
            s.connection.statement_timeout_ms = busy_timeout_ms;
            s.max_connections = 4;
            return std::make_unique<postgres::postgres_store>(s);
        }
        sqlite::store_settings s;
        s.connection.path = (dir / "test.db").string();
        s.connection.busy_timeout_ms = busy_timeout_ms;
        s.max_connections = 4;
        return std::make_unique<sqlite::sqlite_store>(s);
    }
    // A number read with SQL on the test's database, beside the store.
    std::int64_t scalar(const char* sql) {
        if (testing::on_postgres()) {
            postgres::connection c({database->location()});
            auto q = c.prepare(sql);
            EXPECT_TRUE(q.step()) << sql;
            return q.integer(0);
        }
        sqlite::connection c({(dir / "test.db").string()});
        auto q = c.prepare(sql);
        EXPECT_TRUE(q.step()) << sql;
        return q.integer(0);
    }
    std::string pragma(const char* name) {
        sqlite3* raw = nullptr;
        sqlite3_open((dir / "test.db").c_str(), &raw);
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(raw, (std::string("PRAGMA ") + name).c_str(), -1, &stmt, nullptr);
        std::string value;
        if (sqlite3_step(stmt) == SQLITE_ROW)
            value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        sqlite3_finalize(stmt);
        sqlite3_close(raw);
        return value;
    }
    account sample_account(const char* email) {
        const auto now = at("2026-11-26T10:00:00Z");
        return {0, email, "Someone", role::participant, now, now, "$argon2id$..."};
    }
    territory sample_territory(const char* name, const char* siren) {
        const auto now = at("2026-11-26T10:00:00Z");
        return {0,   name, territory_kind::commune, siren, "Nouvelle-Aquitaine", std::nullopt,
                now, now};
    }
};

TEST_F(storage_fixture, migrations_run_from_empty_and_are_recorded_once) {
    SQLITE_ONLY("its journal mode and its migrations (postgres_test.cpp has PostgreSQL's)");
    EXPECT_EQ(pragma("journal_mode"), "wal");
    EXPECT_EQ(pragma("user_version"), "0");
    EXPECT_TRUE(db->ready());
    // Opening again applies nothing new.
    auto conn = std::make_unique<sqlite::connection>(
        sqlite::connection_settings{(dir / "test.db").string()});
    EXPECT_EQ(sqlite::migrate(*conn), 0);
    auto rows = conn->prepare("SELECT version, name FROM schema_migrations ORDER BY version");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 1);
    EXPECT_EQ(rows.text(1), "V001__init.sql");
}

// Registrations written before their sort key and search text were kept (SQLite's V015,
// PostgreSQL's V004) get them as new ones do, when the migration runs.
TEST_F(storage_fixture, registrations_without_their_name_keys_get_them_when_migrated) {
    const auto now = at("2026-11-26T10:00:00Z");
    id_t id = 0;
    {
        auto uow = db->begin(access::write);
        const auto event_id = uow->events().insert(published_row("cles", now))->id;
        registration r;
        r.event_id = event_id;
        r.full_name = "Łucja de Saint-Exupéry";
        r.given_name = "Łucja";
        r.family_name = "de Saint-Exupéry";
        r.email = "lucja@x.fr";
        r.organization = "Mairie d'Égletons";
        r.created_at = r.updated_at = now;
        r.manage_digest = "m";
        r.feed_digest = "f";
        set_list_keys(r); // as the service does before the write
        id = uow->registrations().insert(r)->id;
        uow->commit();
    }
    const auto expected_key = name_sort_key("Łucja", "de Saint-Exupéry", "");
    const auto expected_text = std::string("lucja de saint-exupery mairie d'egletons lucja@x.fr");
    const auto check = [&](auto& c) {
        {
            auto kept = c.prepare("SELECT sort_key, search_text FROM registrations");
            ASSERT_TRUE(kept.step());
            EXPECT_EQ(kept.text(0), expected_key);
            EXPECT_EQ(kept.text(1), expected_text);
        }
        c.execute("UPDATE registrations SET sort_key = '', search_text = ''");
        EXPECT_EQ(storage::fill_name_keys(c), 1);
        EXPECT_EQ(storage::fill_name_keys(c), 0);
        auto filled = c.prepare("SELECT id, sort_key, search_text FROM registrations");
        ASSERT_TRUE(filled.step());
        EXPECT_EQ(filled.integer(0), id);
        EXPECT_EQ(filled.text(1), expected_key);
        EXPECT_EQ(filled.text(2), expected_text);
    };
    if (testing::on_postgres()) {
        postgres::connection c({database->location()});
        check(c);
    } else {
        sqlite::connection c({(dir / "test.db").string()});
        check(c);
    }
    // Searched by a fragment folded as the service folds it.
    auto uow = db->begin(access::read);
    const auto found = uow->registrations().list(uow->registrations().find(id)->event_id,
                                                 registration_status::confirmed,
                                                 search_fold("EXUPÉRY"), {10, std::nullopt});
    ASSERT_EQ(found.items.size(), 1u);
    EXPECT_EQ(found.items[0].family_name, "de Saint-Exupéry");
}

// On PostgreSQL a write nobody reads back is sent with the next statement or the COMMIT: the
// unit of work fails there, and nothing is stored either way.
TEST_F(storage_fixture, connections_enforce_foreign_keys) {
    auto uow = db->begin(access::write);
    EXPECT_THROW(
        {
            uow->accounts().insert_token(
                {"digest", 12345, at("2026-11-26T10:00:00Z"), at("2026-11-27T10:00:00Z")});
            uow->commit();
        },
        storage::constraint_violation);
}

TEST_F(storage_fixture, a_taken_email_surfaces_as_a_domain_conflict) {
    auto uow = db->begin(access::write);
    ASSERT_TRUE(uow->accounts().insert(sample_account("a@x.fr")));
    const auto again = uow->accounts().insert(sample_account("a@x.fr"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, errc::conflict);
    EXPECT_EQ(again.error().message, "An account with this email already exists.");
}

TEST_F(storage_fixture, a_taken_siren_is_a_conflict_on_insert_and_on_update) {
    auto uow = db->begin(access::write);
    ASSERT_TRUE(uow->territories().insert(sample_territory("A", "200071512")));
    auto b = uow->territories().insert(sample_territory("B", "200070639"));
    ASSERT_TRUE(b);
    EXPECT_EQ(uow->territories().insert(sample_territory("C", "200071512")).error().code,
              errc::conflict);
    territory moved = *b;
    moved.siren = "200071512";
    EXPECT_EQ(uow->territories().update(moved).error().code, errc::conflict);
}

TEST_F(storage_fixture, an_uncommitted_unit_of_work_rolls_back) {
    {
        auto uow = db->begin(access::write);
        ASSERT_TRUE(uow->accounts().insert(sample_account("gone@x.fr")));
    }
    auto uow = db->begin(access::read);
    EXPECT_FALSE(uow->accounts().find_by_email("gone@x.fr"));
}

TEST_F(storage_fixture, committed_rows_read_back_field_by_field) {
    territory t = sample_territory("Grand Guéret", "200070878");
    t.kind = territory_kind::communaute_agglomeration;
    t.department = "23";
    id_t id = 0;
    {
        auto uow = db->begin(access::write);
        id = uow->territories().insert(t)->id;
        uow->commit();
    }
    auto uow = db->begin(access::read);
    const auto found = uow->territories().find(id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->name, "Grand Guéret");
    EXPECT_EQ(found->kind, territory_kind::communaute_agglomeration);
    EXPECT_EQ(found->department, "23");
    EXPECT_EQ(found->created_at, at("2026-11-26T10:00:00Z"));
    // The folded name is what `q` searches; LIKE wildcards in the query are literal.
    EXPECT_EQ(uow->territories().list({std::string("gueret"), std::nullopt}, {}).items.size(), 1u);
    EXPECT_EQ(uow->territories().list({std::string("%"), std::nullopt}, {}).items.size(), 0u);
    EXPECT_EQ(uow->territories().list({std::nullopt, std::string("Bretagne")}, {}).items.size(),
              0u);
}

TEST_F(storage_fixture, pages_follow_ids_and_say_when_more_remain) {
    {
        auto uow = db->begin(access::write);
        for (const char* siren : {"200071512", "200070639", "200070878"})
            ASSERT_TRUE(uow->territories().insert(sample_territory(siren, siren)));
        uow->commit();
    }
    auto uow = db->begin(access::read);
    const auto first = uow->territories().list({}, {2, std::nullopt});
    ASSERT_EQ(first.items.size(), 2u);
    ASSERT_TRUE(first.next_after);
    const auto second = uow->territories().list({}, {2, first.next_after});
    ASSERT_EQ(second.items.size(), 1u);
    EXPECT_EQ(second.items[0].siren, "200070878");
    EXPECT_FALSE(second.next_after);
}

TEST_F(storage_fixture, tokens_are_found_by_digest_and_expired_ones_are_purged) {
    auto uow = db->begin(access::write);
    const auto holder = uow->accounts().insert(sample_account("a@x.fr"));
    uow->accounts().insert_token(
        {"old", holder->id, at("2026-11-01T00:00:00Z"), at("2026-11-02T00:00:00Z")});
    uow->accounts().insert_token(
        {"new", holder->id, at("2026-11-26T00:00:00Z"), at("2026-12-26T00:00:00Z")});
    uow->accounts().delete_expired_tokens(at("2026-11-26T10:00:00Z"));
    EXPECT_FALSE(uow->accounts().find_token("old"));
    const auto kept = uow->accounts().find_token("new");
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->account_id, holder->id);
    uow->accounts().delete_token("new");
    EXPECT_FALSE(uow->accounts().find_token("new"));
}

TEST_F(storage_fixture, the_audit_trail_lists_newest_first_with_filters) {
    auto uow = db->begin(access::write);
    const auto now = at("2026-11-26T10:00:00Z");
    uow->audit().append({0, 1, "create_territory", "territory", "5", now, "A"});
    uow->audit().append({0, 2, "update_account", "account", "3", now, "B"});
    uow->audit().append({0, 1, "update_territory", "territory", "5", now, "C"});
    const auto all = uow->audit().list({}, {2, std::nullopt});
    ASSERT_EQ(all.items.size(), 2u);
    EXPECT_EQ(all.items[0].summary, "C");
    EXPECT_EQ(all.items[1].summary, "B");
    const auto rest = uow->audit().list({}, {2, all.next_after});
    ASSERT_EQ(rest.items.size(), 1u);
    EXPECT_EQ(rest.items[0].summary, "A");
    EXPECT_EQ(uow->audit().list({std::string("account"), std::nullopt}, {}).items.size(), 1u);
    EXPECT_EQ(uow->audit().list({std::nullopt, 1}, {}).items.size(), 2u);
}

// A write holds its turns from its first statement until it ends (PostgreSQL sends BEGIN and
// the turn with that statement); on SQLite, the whole file.
TEST_F(storage_fixture, a_write_unit_of_work_holds_its_turn_from_its_start) {
    auto holder = db->begin(access::write);
    holder->take_turn(turn::account, 1);
    EXPECT_FALSE(holder->accounts().find_by_email("personne@x.fr"));
    // Another store on the same database cannot take that turn meanwhile.
    auto other = open(50);
    EXPECT_THROW(
        {
            auto waiting = other->begin(access::write);
            waiting->take_turn(turn::account, 1);
            waiting->accounts().find_by_email("personne@x.fr");
        },
        store_unavailable);
    if (testing::on_postgres()) {
        // Another account's turn, or none, is not waited for: no lock for the whole database.
        auto beside = other->begin(access::write);
        EXPECT_TRUE(beside->take_turn(turn::account, 2));
        EXPECT_FALSE(beside->accounts().find_by_email("personne@x.fr"));
        EXPECT_TRUE(beside->accounts().insert(sample_account("beside@x.fr")));
        beside->commit();
    }
    // Readers are not blocked (SQLite's WAL, PostgreSQL's snapshots).
    EXPECT_NO_THROW(other->begin(access::read));
    holder->commit();
    EXPECT_NO_THROW({
        auto after = other->begin(access::write);
        after->take_turn(turn::account, 1);
        after->accounts().find_by_email("personne@x.fr");
    });
}

TEST_F(storage_fixture, concurrent_writes_are_grouped_and_all_committed) {
    std::vector<std::thread> writers;
    std::atomic<int> committed{0};
    for (int t = 0; t < 8; ++t)
        writers.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                auto uow = db->begin(access::write);
                const auto email = "w" + std::to_string(t) + "-" + std::to_string(i) + "@x.fr";
                ASSERT_TRUE(uow->accounts().insert(sample_account(email.c_str())));
                if (i % 5 == 4) continue; // abandoned: rolled back alone
                uow->commit();
                ++committed;
            }
        });
    for (auto& w : writers)
        w.join();
    EXPECT_EQ(committed.load(), 160);
    auto uow = db->begin(access::read);
    EXPECT_EQ(uow->accounts().list(std::nullopt, {200, std::nullopt}).items.size(), 160u);
    EXPECT_TRUE(uow->accounts().find_by_email("w3-0@x.fr"));
    EXPECT_FALSE(uow->accounts().find_by_email("w3-4@x.fr"));
    const auto stats = db->write_stats();
    EXPECT_EQ(stats.writes, 160u);
    EXPECT_LE(stats.commits, stats.writes);
    EXPECT_EQ(stats.failed, 0u);
}

TEST_F(storage_fixture, checkpoints_run_beside_the_writer_and_keep_the_log_bounded) {
    SQLITE_ONLY("its write-ahead log file and its checkpoints");
    db.reset();
    sqlite::store_settings s;
    s.connection.path = (dir / "test.db").string();
    s.connection.synchronous = sqlite::synchronous_mode::normal;
    s.checkpoint_pages = 16;
    auto store = std::make_unique<sqlite::sqlite_store>(s);
    auto* checkpointed = store.get();
    db = std::move(store);
    const auto wal = dir / "test.db-wal";
    std::uintmax_t largest = 0;
    for (int i = 0; i < 600; ++i) {
        auto uow = db->begin(access::write);
        const auto email = "c" + std::to_string(i) + "@x.fr";
        ASSERT_TRUE(uow->accounts().insert(sample_account(email.c_str())));
        uow->commit();
        largest = std::max(largest, fs::file_size(wal));
    }
    // Each commit adds a few pages; the checkpointer thread copies them into the database, and
    // the log restarts from its beginning. Without checkpoints it would hold some 2,000 pages.
    EXPECT_GT(checkpointed->checkpoints(), 0u);
    constexpr std::uintmax_t frame = 24 + 4096;
    EXPECT_LE(largest, 32 + (4 * 16 + 16) * frame);
    auto uow = db->begin(access::read);
    EXPECT_EQ(uow->accounts().list(std::nullopt, {200, std::nullopt}).items.size(), 200u);
    EXPECT_TRUE(uow->accounts().find_by_email("c599@x.fr"));
}

TEST_F(storage_fixture, deferred_commits_return_their_ticket_and_are_durable_once_waited_for) {
    GROUP_COMMIT_ONLY();
    durability_ticket ticket;
    {
        auto uow = db->begin(access::write_deferred);
        ASSERT_TRUE(uow->accounts().insert(sample_account("later@x.fr")));
        ticket = uow->commit(); // does not wait
        EXPECT_EQ(uow->ticket(), ticket);
    }
    ASSERT_TRUE(ticket.pending());
    db->wait_durable(ticket);
    auto uow = db->begin(access::read);
    EXPECT_TRUE(uow->accounts().find_by_email("later@x.fr"));
    EXPECT_FALSE(uow->ticket().pending()) << "readers see only durable groups";
    // A waiting write returns once durable, with nothing left to await.
    auto waiting = db->begin(access::write);
    ASSERT_TRUE(waiting->accounts().insert(sample_account("now@x.fr")));
    EXPECT_FALSE(waiting->commit().pending());
}

TEST_F(storage_fixture, announced_writes_share_one_commit_and_are_called_back_once_durable) {
    GROUP_COMMIT_ONLY();
    const auto before = db->write_stats();
    for (int i = 0; i < 3; ++i)
        db->announce_write();
    std::vector<durability_ticket> tickets;
    for (const char* email : {"a1@x.fr", "a2@x.fr", "a3@x.fr"}) {
        auto uow = db->begin(access::write_deferred);
        ASSERT_TRUE(uow->accounts().insert(sample_account(email)));
        tickets.push_back(uow->commit());
        db->retract_write(); // the last retraction lets the committer commit
    }
    EXPECT_EQ(tickets[0], tickets[1]);
    EXPECT_EQ(tickets[1], tickets[2]);
    std::promise<bool> settled;
    db->when_durable(tickets[0], [&](bool durable) { settled.set_value(durable); });
    auto outcome = settled.get_future();
    ASSERT_EQ(outcome.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_TRUE(outcome.get());
    // Once settled, the callback comes at once, on the caller's thread.
    bool at_once = false;
    db->when_durable(tickets[0], [&](bool durable) { at_once = durable; });
    EXPECT_TRUE(at_once);
    const auto after = db->write_stats();
    EXPECT_EQ(after.writes - before.writes, 3u);
    EXPECT_EQ(after.commits - before.commits, 1u);
    auto uow = db->begin(access::read);
    EXPECT_TRUE(uow->accounts().find_by_email("a3@x.fr"));
}

TEST_F(storage_fixture, a_write_sees_the_writes_committed_before_it_in_its_group) {
    {
        auto first = db->begin(access::write);
        ASSERT_TRUE(first->accounts().insert(sample_account("one@x.fr")));
        first->commit();
    }
    auto second = db->begin(access::write);
    EXPECT_TRUE(second->accounts().find_by_email("one@x.fr"));
    EXPECT_EQ(second->accounts().insert(sample_account("one@x.fr")).error().code, errc::conflict);
}

// PostgreSQL's writes beside each other: registrations for two events run at once (each
// holds its event's row); an edit of the first event (its turn) and a third registration for it
// wait for the first to end; a write that takes no turn waits for none of them.
TEST_F(storage_fixture, writes_on_different_events_run_at_once_and_one_event_takes_turns) {
    if (!testing::on_postgres()) GTEST_SKIP() << "SQLite's file takes one writer at a time";
    const auto now = at("2026-11-26T10:00:00Z");
    id_t first = 0, second = 0;
    {
        auto uow = db->begin(access::write);
        first = uow->events().insert(published_row("premiere", now))->id;
        second = uow->events().insert(published_row("seconde", now))->id;
        uow->commit();
    }
    // As a registration does: the hold, then the event's counts read (which sends the hold).
    auto a = db->begin(access::write_deferred);
    a->registrations().hold_event(first);
    EXPECT_EQ(a->registrations().count_confirmed(first), 0);
    // Would wait for `a` (and time out after 200 ms) if writes took one lock.
    auto b = db->begin(access::write_deferred);
    b->registrations().hold_event(second);
    EXPECT_EQ(b->registrations().count_confirmed(second), 0);
    EXPECT_FALSE(b->commit().pending()) << "committed before commit() returns";
    // An edit of the second event, as event_service does: its turn, then the event.
    {
        auto edit = db->begin(access::write);
        EXPECT_TRUE(edit->take_turn(turn::event, second));
        EXPECT_TRUE(edit->events().find(second));
        edit->commit();
    }
    // A write that takes no turn (an account made) runs beside `a`.
    {
        auto beside = db->begin(access::write);
        EXPECT_TRUE(beside->accounts().insert(sample_account("beside@x.fr")));
        beside->commit();
    }

    std::atomic<bool> same_event_held{false}, edit_held{false};
    std::thread same_event([&] {
        auto c = db->begin(access::write_deferred);
        c->registrations().hold_event(first);
        c->registrations().count_confirmed(first);
        same_event_held = true;
        c->commit();
    });
    std::thread edit([&] {
        auto d = db->begin(access::write);
        d->take_turn(turn::event, first);
        d->events().find(first);
        edit_held = true;
        d->commit();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_FALSE(same_event_held.load()) << "a second registration for the event waits";
    EXPECT_FALSE(edit_held.load()) << "an edit of the event waits for its registration";
    a->commit();
    same_event.join();
    edit.join();
    EXPECT_TRUE(same_event_held.load());
    EXPECT_TRUE(edit_held.load());
}

} // namespace
} // namespace rencontres

namespace rencontres {
namespace {

// Kept counts (events, sessions, answers per option, and the totals of /metrics) against a full
// recount, after 10,000 random registrations, status changes, workshop seats, check-ins, changes
// of answers, erasures and rollbacks.
TEST_F(storage_fixture, kept_counts_equal_a_full_recount_after_random_changes) {
    const auto now = at("2026-11-26T10:00:00Z");
    std::vector<id_t> events, sessions;
    {
        auto uow = db->begin(access::write);
        for (int i = 0; i < 3; ++i) {
            events.push_back(
                uow->events().insert(published_row("rencontre-" + std::to_string(i), now))->id);
            session s;
            s.event_id = events.back();
            s.title = "Atelier";
            s.kind = session_kind::workshop;
            s.starts_at = now;
            s.ends_at = now + std::chrono::hours{1};
            s.capacity = 10;
            s.created_at = s.updated_at = now;
            sessions.push_back(uow->sessions().insert(s).id);
        }
        uow->commit();
    }
    std::mt19937 random(20261126);
    std::vector<std::pair<id_t, id_t>> made; // registration, its session
    const std::array<registration_status, 3> statuses{registration_status::confirmed,
                                                      registration_status::waitlisted,
                                                      registration_status::cancelled};
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    // Answers of each kind: a boolean, one option of three, two of three, a text.
    const auto some_answers = [&]() {
        std::vector<stored_answer> rows;
        const std::array<std::string, 3> options{"a", "b", "c"};
        if (random() % 2)
            rows.push_back(
                {"repas", question_kind::boolean, random() % 2 ? "true" : "false", std::nullopt});
        if (random() % 2) rows.push_back({"regime", question_kind::choice, options[pick(3)], {}});
        if (random() % 2) {
            rows.push_back({"themes", question_kind::choices, "a", std::nullopt});
            rows.push_back({"themes", question_kind::choices, options[1 + pick(2)], {}});
        }
        if (random() % 2) rows.push_back({"fonction", question_kind::text, "", "élue"});
        return rows;
    };
    for (int op = 0; op < 10'000; ++op) {
        auto uow = db->begin(access::write);
        const auto known = made.size(); // a rolled-back registration is forgotten
        const auto choice = random() % 7;
        if (choice < 2 || made.empty()) {
            const auto which = pick(events.size());
            registration r;
            r.event_id = events[which];
            r.full_name = "P";
            r.email = "p" + std::to_string(op) + "@x.fr";
            r.status = statuses[pick(2)];
            if (random() % 2 == 0) r.sessions.push_back({sessions[which], statuses[pick(2)], {}});
            r.created_at = r.updated_at = now;
            r.manage_digest = r.feed_digest = "d" + std::to_string(op);
            made.emplace_back(uow->registrations().insert(r)->id, sessions[which]);
            uow->registrations().put_answers(made.back().first, r.event_id, some_answers());
        } else {
            const auto [id, session_id] = made[pick(made.size())];
            if (choice == 2)
                uow->registrations().set_status(id, statuses[pick(3)], now);
            else if (choice == 3)
                uow->registrations().set_seat_status(id, session_id, statuses[pick(3)]);
            else if (choice == 4)
                uow->registrations().check_in(id, now);
            else if (choice == 5) {
                const auto r = *uow->registrations().find(id);
                if (r.email.rfind("erased-", 0) != 0) // as the erased person left it
                    uow->registrations().put_answers(id, r.event_id, some_answers());
            } else // erasure keeps statuses: counts must not move
                uow->registrations().anonymize_for_person(
                    std::nullopt, "p" + std::to_string(pick(op + 1)) + "@x.fr", now);
        }
        if (random() % 10 == 0) { // rolled back: counts must not move either
            made.resize(known);
            continue;
        }
        uow->commit();
    }

    const auto differences = [&](const char* sql) { return scalar(sql); };
    EXPECT_EQ(
        differences("SELECT count(*) FROM event_counts c WHERE "
                    "c.confirmed <> (SELECT count(*) FROM registrations r WHERE r.event_id = "
                    "c.event_id AND r.status = 'confirmed') OR "
                    "c.waitlisted <> (SELECT count(*) FROM registrations r WHERE r.event_id = "
                    "c.event_id AND r.status = 'waitlisted') OR "
                    "c.cancelled <> (SELECT count(*) FROM registrations r WHERE r.event_id = "
                    "c.event_id AND r.status = 'cancelled') OR "
                    "c.checked_in <> (SELECT count(*) FROM registrations r WHERE r.event_id = "
                    "c.event_id AND r.status = 'confirmed' AND r.checked_in_at IS NOT NULL)"),
        0);
    EXPECT_EQ(differences("SELECT count(*) FROM session_counts c WHERE "
                          "c.confirmed <> (SELECT count(*) FROM registration_sessions r WHERE "
                          "r.session_id = c.session_id AND r.status = 'confirmed') OR "
                          "c.waitlisted <> (SELECT count(*) FROM registration_sessions r WHERE "
                          "r.session_id = c.session_id AND r.status = 'waitlisted')"),
              0);
    EXPECT_EQ(differences("SELECT count(*) FROM answer_counts c WHERE c.total <> (SELECT "
                          "count(*) FROM registration_answers a WHERE a.event_id = c.event_id AND "
                          "a.question_code = c.question_code AND a.choice = c.choice) OR "
                          "c.active <> (SELECT count(*) FROM registration_answers a JOIN "
                          "registrations r ON r.id = a.registration_id WHERE a.event_id = "
                          "c.event_id AND a.question_code = c.question_code AND a.choice = "
                          "c.choice AND r.status <> 'cancelled')"),
              0);
    EXPECT_EQ(differences("SELECT count(*) FROM (SELECT DISTINCT event_id, question_code, choice "
                          "FROM registration_answers) g WHERE NOT EXISTS (SELECT 1 FROM "
                          "answer_counts c WHERE c.event_id = g.event_id AND c.question_code = "
                          "g.question_code AND c.choice = g.choice)"),
              0);
    EXPECT_GT(differences("SELECT sum(active) FROM answer_counts WHERE choice = 'true'"), 0);
    EXPECT_GT(differences("SELECT count(*) FROM registration_answers WHERE choice = ''"), 0);
    EXPECT_EQ(differences("SELECT count(*) FROM registration_answers WHERE choice = '' AND "
                          "registration_id IN (SELECT id FROM registrations WHERE anonymized = 1)"),
              0);
    EXPECT_EQ(differences("SELECT count(*) FROM registration_totals t WHERE t.n <> (SELECT "
                          "count(*) FROM registrations r WHERE r.status = t.status)"),
              0);
    EXPECT_EQ(differences("SELECT count(*) FROM event_counts"), 3);
    EXPECT_EQ(differences("SELECT count(*) FROM session_counts"), 3);
    EXPECT_GT(differences("SELECT count(*) FROM registrations"), 2'500);
    EXPECT_GT(differences("SELECT sum(checked_in) FROM event_counts"), 0);
    EXPECT_GT(differences("SELECT sum(confirmed) FROM session_counts"), 0);

    // What the domain reads is the kept count.
    auto uow = db->begin(access::read);
    const auto totals = db->registration_counts();
    registration_stats sum;
    for (const auto e : events) {
        const auto s = uow->registrations().stats(e);
        EXPECT_EQ(uow->registrations().count_confirmed(e), s.confirmed);
        EXPECT_EQ(uow->registrations().count_waitlisted(e), s.waitlisted);
        sum.confirmed += s.confirmed;
        sum.waitlisted += s.waitlisted;
        sum.cancelled += s.cancelled;
    }
    EXPECT_EQ(totals[0], (std::pair<std::string, std::int64_t>{"confirmed", sum.confirmed}));
    EXPECT_EQ(totals[1], (std::pair<std::string, std::int64_t>{"waitlisted", sum.waitlisted}));
    EXPECT_EQ(totals[2], (std::pair<std::string, std::int64_t>{"cancelled", sum.cancelled}));
}

// The console's table: pages in registration order, filtered by status and by a folded search,
// and waiting-list positions equal to those of a registration read alone, on every page.
TEST_F(storage_fixture, listed_pages_search_and_rank_the_waiting_list_as_single_reads_do) {
    const auto now = at("2026-11-26T10:00:00Z");
    auto uow = db->begin(access::write);
    const auto event_id = uow->events().insert(published_row("forum", now))->id;
    std::mt19937 random(20261129);
    for (int i = 0; i < 300; ++i) {
        registration r;
        r.event_id = event_id;
        // Family names out of registration order, so that the two orders differ.
        static const std::vector<std::string> families{"Roux",           "Delage", "Nguyen", "Élie",
                                                       "de La Fontaine", "Zola",   "Abadie"};
        r.given_name = (i % 7 == 0 ? "Hélène" : "Marc") + std::to_string(i);
        r.family_name = families[static_cast<std::size_t>(i * 5 % 7)];
        r.full_name = *r.given_name + " " + *r.family_name;
        r.email = "p" + std::to_string(i) + "@x.fr";
        r.organization =
            i % 5 == 0 ? std::optional<std::string>("Mairie d'Égletons") : std::nullopt;
        r.status = i < 40 ? registration_status::confirmed : registration_status::waitlisted;
        r.created_at = r.updated_at = now;
        r.manage_digest = r.feed_digest = "d" + std::to_string(i);
        set_list_keys(r);
        const auto id = uow->registrations().insert(r)->id;
        if (random() % 4 == 0)
            uow->registrations().set_status(id, registration_status::cancelled, now);
    }
    uow->commit();

    auto read = db->begin(access::read);
    for (const auto order : {list_order::registered, list_order::by_name})
        for (const auto& [status, query] :
             std::vector<std::pair<std::optional<registration_status>, std::optional<std::string>>>{
                 {std::nullopt, std::nullopt},
                 {registration_status::waitlisted, std::nullopt},
                 {std::nullopt, "helene"},
                 {registration_status::waitlisted, "egletons"}}) {
            page_request request{17, std::nullopt};
            int seen = 0, expected = 0;
            // Each row comes after the one before it in the order asked for, across pages.
            std::optional<std::pair<std::string, id_t>> previous;
            for (;;) {
                const auto page =
                    read->registrations().list(event_id, status, query, request, order);
                for (const auto& r : page.items) {
                    ++seen;
                    const std::pair<std::string, id_t> place{
                        order == list_order::by_name
                            ? name_sort_key(r.given_name, r.family_name, r.full_name)
                            : std::string(),
                        r.id};
                    if (previous) {
                        EXPECT_LT(*previous, place) << r.id;
                    }
                    previous = place;
                    const auto alone = read->registrations().find(r.id);
                    ASSERT_TRUE(alone);
                    EXPECT_EQ(r.waitlist_position, alone->waitlist_position) << r.id;
                    if (status) {
                        EXPECT_EQ(r.status, *status);
                    }
                    if (query) {
                        EXPECT_NE(search_fold(r.full_name + " " + r.organization.value_or("") +
                                              " " + r.email)
                                      .find(*query),
                                  std::string::npos);
                    }
                }
                if (!page.next_after) break;
                request.after = page.next_after;
            }
            for (int i = 0; i < 300; ++i) {
                const auto r = read->registrations().find(static_cast<id_t>(i + 1));
                if (!r || (status && r->status != *status)) continue;
                if (query &&
                    search_fold(r->full_name + " " + r->organization.value_or("") + " " + r->email)
                            .find(*query) == std::string::npos)
                    continue;
                ++expected;
            }
            EXPECT_EQ(seen, expected);
            EXPECT_GT(seen, 0);
        }
}

// A search by name matches in memory a list of the event's names kept per stamp
// (event_counts.list_stamp): every change of who is in a status, or of what their names and
// organizations say, shows in the next search; a check-in leaves the stamp, and the list, alone.
TEST_F(storage_fixture, a_search_by_name_follows_every_change_of_the_names_but_not_check_ins) {
    const auto now = at("2026-11-26T10:00:00Z");
    id_t event_id = 0;
    const auto add = [&](unit_of_work& uow, const char* given, const char* family) {
        registration r;
        r.event_id = event_id;
        r.given_name = given;
        r.family_name = family;
        r.full_name = std::string(given) + " " + family;
        r.email = std::string(given) + "@x.fr";
        r.created_at = r.updated_at = now;
        r.manage_digest = r.feed_digest = r.email;
        set_list_keys(r);
        return uow.registrations().insert(r)->id;
    };
    id_t anne = 0, bruno = 0;
    {
        auto uow = db->begin(access::write);
        event_id = uow->events().insert(published_row("accueil", now))->id;
        anne = add(*uow, "Anne", "Roux");
        bruno = add(*uow, "Bruno", "Delage");
        add(*uow, "Chloé", "Martin");
        uow->commit();
    }
    const auto found = [&](registration_status status, const char* query) {
        auto read = db->begin(access::read);
        std::vector<std::string> names;
        for (const auto& r : read->registrations()
                                 .list(event_id, status, std::string(query), {30, std::nullopt},
                                       list_order::by_name)
                                 .items)
            names.push_back(r.full_name);
        return names;
    };
    using names = std::vector<std::string>;
    const auto stamp_query =
        "SELECT list_stamp FROM event_counts WHERE event_id = " + std::to_string(event_id);
    const auto stamp = [&] { return scalar(stamp_query.c_str()); };
    const auto confirmed = registration_status::confirmed;
    EXPECT_EQ(found(confirmed, "roux"), names{"Anne Roux"});
    EXPECT_EQ(found(confirmed, "roux"), names{"Anne Roux"}); // from the kept list
    EXPECT_EQ(found(confirmed, "zola"), names{});
    const auto write = [&](auto change) {
        auto uow = db->begin(access::write);
        change(*uow);
        uow->commit();
    };
    // A newcomer.
    write([&](unit_of_work& uow) { add(uow, "Denise", "Roux"); });
    EXPECT_EQ(found(confirmed, "roux"), (names{"Anne Roux", "Denise Roux"}));
    // A change of status, seen from both lists.
    write([&](unit_of_work& uow) {
        uow.registrations().set_status(anne, registration_status::cancelled, now);
    });
    EXPECT_EQ(found(confirmed, "roux"), names{"Denise Roux"});
    EXPECT_EQ(found(registration_status::cancelled, "roux"), names{"Anne Roux"});
    // An organization changed: its words are searched.
    write([&](unit_of_work& uow) {
        uow.registrations().set_organization(bruno, std::string("Mairie de Roux"), now);
    });
    EXPECT_EQ(found(confirmed, "roux"), (names{"Bruno Delage", "Denise Roux"}));
    // A check-in changes no name: the stamp stays.
    const auto before_check_in = stamp();
    write([&](unit_of_work& uow) { uow.registrations().check_in(bruno, now); });
    EXPECT_EQ(stamp(), before_check_in);
    EXPECT_EQ(found(confirmed, "roux"), (names{"Bruno Delage", "Denise Roux"}));
    // Erased: the name is gone from the search.
    write([&](unit_of_work& uow) {
        uow.registrations().anonymize_for_person(std::nullopt, std::string_view("Bruno@x.fr"), now);
    });
    EXPECT_NE(stamp(), before_check_in);
    EXPECT_EQ(found(confirmed, "delage"), names{});
    EXPECT_EQ(found(confirmed, "roux"), names{"Denise Roux"});
}

// One index on emails holds both rules: one active registration per email and event, and any
// number of cancelled ones beside it; a person's registrations are found through it.
TEST_F(storage_fixture, an_email_holds_one_active_registration_per_event_and_any_cancelled) {
    const auto now = at("2026-11-26T10:00:00Z");
    auto uow = db->begin(access::write);
    std::vector<id_t> events;
    for (int i = 0; i < 2; ++i) {
        events.push_back(
            uow->events().insert(published_row("rencontre-" + std::to_string(i), now))->id);
    }
    const auto draft = [&](id_t event_id, registration_status status) {
        registration r;
        r.event_id = event_id;
        r.full_name = "Camille";
        r.email = "camille@x.fr";
        r.status = status;
        r.created_at = r.updated_at = now;
        r.manage_digest = r.feed_digest = "d";
        return r;
    };
    const auto first =
        uow->registrations().insert(draft(events[0], registration_status::confirmed));
    ASSERT_TRUE(first);
    for (const auto status : {registration_status::confirmed, registration_status::waitlisted}) {
        const auto again = uow->registrations().insert(draft(events[0], status));
        ASSERT_FALSE(again);
        EXPECT_EQ(again.error().code, errc::conflict);
        EXPECT_EQ(again.error().message, "This email already holds a registration for this event.");
    }
    // Another event takes the same email.
    ASSERT_TRUE(uow->registrations().insert(draft(events[1], registration_status::waitlisted)));
    // Cancelled, the first one frees the email: a new registration and more cancelled ones fit.
    uow->registrations().set_status(first->id, registration_status::cancelled, now);
    const auto second =
        uow->registrations().insert(draft(events[0], registration_status::waitlisted));
    ASSERT_TRUE(second);
    ASSERT_TRUE(uow->registrations().insert(draft(events[0], registration_status::cancelled)));
    uow->commit();
    // Reinstating the cancelled one while the second is active breaks the rule (a failed
    // statement ends a PostgreSQL transaction: this one runs alone). On PostgreSQL the UPDATE
    // goes with the COMMIT, where a unique index's refusal says that another transaction wrote
    // first: the write is to be run again from its start (store_conflict).
    {
        auto refused = db->begin(access::write);
        const auto reinstate = [&] {
            refused->registrations().set_status(first->id, registration_status::confirmed, now);
            refused->commit();
        };
        if (testing::on_postgres())
            EXPECT_THROW(reinstate(), store_conflict);
        else
            EXPECT_THROW(reinstate(), storage::constraint_violation);
    }
    uow = db->begin(access::read);
    const auto all = uow->registrations().for_person(std::nullopt, "camille@x.fr");
    ASSERT_EQ(all.size(), 4U);
    EXPECT_EQ(all[0].id, first->id);
    EXPECT_EQ(all[0].status, registration_status::cancelled);
    EXPECT_EQ(all[2].id, second->id);
    EXPECT_TRUE(uow->registrations().for_person(std::nullopt, "other@x.fr").empty());
}

TEST_F(storage_fixture, a_verification_link_is_found_by_digest_and_used_once) {
    const auto now = at("2026-11-26T10:00:00Z");
    auto uow = db->begin(access::write);
    const auto holder = uow->accounts().insert(sample_account("a@x.fr"));
    ASSERT_TRUE(holder);
    EXPECT_FALSE(holder->email_verified);
    EXPECT_FALSE(uow->accounts().last_verification(holder->id));
    uow->accounts().insert_verification(
        {"digest-1", holder->id, now, now + std::chrono::hours{48}, std::nullopt});
    uow->accounts().insert_verification({"digest-2", holder->id, now + std::chrono::minutes{5},
                                         now + std::chrono::hours{49}, std::nullopt});
    EXPECT_EQ(uow->accounts().count_verifications_since(holder->id, now), 2);
    EXPECT_EQ(uow->accounts().count_verifications_since(holder->id, now + std::chrono::minutes{1}),
              1);
    EXPECT_EQ(uow->accounts().last_verification(holder->id), now + std::chrono::minutes{5});
    uow->accounts().use_verification("digest-1", now + std::chrono::hours{1});
    uow->accounts().use_verification("digest-1", now + std::chrono::hours{2});
    const auto used = uow->accounts().find_verification("digest-1");
    ASSERT_TRUE(used);
    EXPECT_EQ(used->account_id, holder->id);
    EXPECT_EQ(used->expires_at, now + std::chrono::hours{48});
    EXPECT_EQ(used->used_at, now + std::chrono::hours{1}) << "the first use stands";
    EXPECT_FALSE(uow->accounts().find_verification("digest-3"));
    auto verified = *holder;
    verified.email_verified = true;
    uow->accounts().update(verified);
    EXPECT_TRUE(uow->accounts().find(holder->id)->email_verified);
    // Erasing the account takes its links with it.
    uow->accounts().remove(holder->id);
    EXPECT_FALSE(uow->accounts().find_verification("digest-2"));
    uow->commit();
}

} // namespace
} // namespace rencontres
