// Real concurrent clients against the real server: no overbooking, no gaps in the waiting list,
// one registration per email. (SIGKILL during a write load is in fault_test.cpp.)
#include "server/storage/postgres/connection.hpp"
#include "support/test_server.hpp"

#include <atomic>
#include <cstdio>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <set>
#include <thread>

namespace rencontres::testing {
namespace {

using boost::json::object;

TEST(concurrency, three_hundred_registrations_for_fifty_seats_from_32_connections) {
    test_server server([](config& c) { c.database.workers = 16; });
    const auto owner = server.token_for(role::organizer, "owner@x.fr");
    const auto event = published_event(server.port(), owner, 50);

    std::atomic<int> created{0};
    in_parallel(32, 300, [&](int i) {
        const auto r = register_one(server.port(), event, "p" + std::to_string(i) + "@x.fr");
        if (r.status == 201) ++created;
    });
    EXPECT_EQ(created.load(), 300);
    auto state = read_state(server.port(), event, owner);
    EXPECT_EQ(state.confirmed, 50);
    EXPECT_EQ(state.positions, one_to(250)) << "waiting list positions 1..250, no gap, no repeat";

    // Ten confirmed registrations cancelled at once: exactly the first ten waiting are confirmed.
    std::vector<std::string> to_cancel(state.confirmed_ids.begin(), state.confirmed_ids.end());
    to_cancel.resize(10);
    std::set<std::string> first_ten;
    for (const auto& [id, position] : state.position_of)
        if (position <= 10) first_ten.insert(id);
    std::atomic<int> cancelled{0};
    in_parallel(10, 10, [&](int i) {
        const auto r = send_request(server.port(), "DELETE",
                                    "/v1/registrations/" + to_cancel[static_cast<std::size_t>(i)],
                                    "", {{"Authorization", "Bearer " + owner}});
        if (r.status == 204) ++cancelled;
    });
    EXPECT_EQ(cancelled.load(), 10);
    const auto after = read_state(server.port(), event, owner);
    EXPECT_EQ(after.confirmed, 50);
    EXPECT_EQ(after.positions, one_to(240));
    for (const auto& id : first_ten)
        EXPECT_TRUE(after.confirmed_ids.count(id)) << id << " was promoted";
    const auto stats =
        server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner).json();
    EXPECT_EQ(
        stats,
        boost::json::parse(
            R"({"confirmed":50,"waitlisted":240,"cancelled":10,"checked_in":0,"capacity":50,"answers":{}})"));
}

TEST(concurrency, the_same_email_twenty_times_at_once_registers_once) {
    test_server server([](config& c) { c.database.workers = 16; });
    const auto owner = server.token_for(role::organizer, "owner@x.fr");
    const auto event = published_event(server.port(), owner, 50);
    std::atomic<int> created{0}, refused{0};
    in_parallel(20, 20, [&](int) {
        const auto r = register_one(server.port(), event, "same@x.fr");
        if (r.status == 201) ++created;
        if (r.status == 409) ++refused;
    });
    EXPECT_EQ(created.load(), 1);
    EXPECT_EQ(refused.load(), 19);
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner)
                  .json()
                  .at("confirmed"),
              1);
}

// Rules across rows that writes check before they write, with two writers at once for ten
// rounds: the turns they take (domain/store.hpp) decide, on SQLite and on PostgreSQL alike.
// A speaker given two sessions at the same hour in two events: one is refused.
TEST(concurrency, one_speaker_at_one_hour_in_two_events_at_once_is_placed_once) {
    test_server server([](config& c) { c.database.workers = 16; });
    const auto owner = server.token_for(role::organizer, "owner@x.fr");
    const std::string events[2] = {published_event(server.port(), owner, 50),
                                   published_event(server.port(), owner, 50)};
    const auto made =
        server.call("POST", "/v1/speakers", object{{"full_name", "Jeanne Martin"}}, owner);
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string speaker(made.json().at("id").as_string());
    for (int round = 0; round < 10; ++round) {
        const auto at = [&](int minutes) {
            const int m = 9 * 60 + round * 30 + minutes;
            char text[40];
            std::snprintf(text, sizeof text, "2031-06-11T%02d:%02d:00+02:00", m / 60, m % 60);
            return std::string(text);
        };
        std::atomic<int> created{0}, clashed{0};
        in_parallel(2, 2, [&](int i) {
            const auto r = server.call(
                "POST", "/v1/events/" + events[i] + "/sessions",
                object{{"title", "Table ronde"},
                       {"kind", "round_table"},
                       {"starts_at", at(0)},
                       {"ends_at", at(25)},
                       {"speaker_ids", boost::json::array{boost::json::value(speaker)}}},
                owner);
            if (r.status == 201) ++created;
            if (r.status == 409 && r.json().at("code") == "session_clash") ++clashed;
        });
        EXPECT_EQ(created.load(), 1) << "round " << round;
        EXPECT_EQ(clashed.load(), 1) << "round " << round;
    }
}

// Two admins who take each other's role at once: one of them stays an admin.
TEST(concurrency, two_admins_demoting_each_other_at_once_leave_one_admin) {
    test_server server([](config& c) { c.database.workers = 16; });
    auto keeper = server.token_for(role::admin, "admin0@x.fr");
    auto keeper_id = server.account_id("admin0@x.fr");
    for (int round = 1; round <= 10; ++round) {
        const auto email = "admin" + std::to_string(round) + "@x.fr";
        const auto other = server.token_for(role::participant, email);
        const auto other_id = server.account_id(email);
        ASSERT_EQ(server
                      .call("PATCH", "/v1/accounts/" + std::to_string(other_id),
                            object{{"role", "admin"}}, keeper)
                      .status,
                  200);
        const std::pair<std::string, id_t> sides[2] = {{keeper, other_id}, {other, keeper_id}};
        int statuses[2] = {0, 0};
        in_parallel(2, 2, [&](int i) {
            statuses[i] = server
                              .call("PATCH", "/v1/accounts/" + std::to_string(sides[i].second),
                                    object{{"role", "organizer"}}, sides[i].first)
                              .status;
        });
        // The second finds itself the last admin (409), or no longer one (403).
        const int passed = (statuses[0] == 200) + (statuses[1] == 200);
        EXPECT_EQ(passed, 1) << "round " << round << ": " << statuses[0] << ", " << statuses[1];
        for (const int status : statuses)
            EXPECT_TRUE(status == 200 || status == 409 || status == 403) << status;
        if (statuses[1] == 200) {
            keeper = other;
            keeper_id = other_id;
        }
        const auto me = server.call("GET", "/v1/me", std::nullopt, keeper);
        ASSERT_EQ(me.status, 200);
        EXPECT_EQ(me.json().at("role"), "admin") << "round " << round;
    }
}

} // namespace
} // namespace rencontres::testing

namespace rencontres::testing {
namespace {

// The round trips a registration costs on PostgreSQL, at most (the test below): BEGIN, the
// event's hold and every read the registration makes (its event and
// organizers, its questions, its seats, whether the address is taken, the new number, a stored
// reply), in one; the INSERT, its answers, the message, the webhooks' deliveries, a reply kept
// for its key and the COMMIT, in the other.
constexpr long long ROUND_TRIPS_PER_REGISTRATION = 2;

// On PostgreSQL, a registration whose transaction the database undoes because another stood in
// its way is run again by the server before anyone sees a 503.
struct conflicts : ::testing::Test {
    std::unique_ptr<test_server> server;
    std::unique_ptr<postgres::connection> db; // the test's own, beside the server's
    std::string owner, event;

    void SetUp() override {
        if (!on_postgres()) GTEST_SKIP() << "SQLite's single writer never meets another";
        server = std::make_unique<test_server>();
        db = std::make_unique<postgres::connection>(
            postgres::connection_settings{server->database_location(), 30'000});
        owner = server->token_for(role::organizer, "owner@x.fr");
        event = published_event(server->port(), owner, 50);
    }
    std::int64_t number(const char* sql) {
        auto q = db->prepare(sql);
        EXPECT_TRUE(q.step()) << sql;
        return q.integer(0);
    }
    std::int64_t registrations() { return number("SELECT count(*) FROM registrations"); }
};

// PostgreSQL raises serialization failures at SERIALIZABLE; the server's writes run at READ
// COMMITTED under locks, so the test makes the registration's INSERT fail with that SQLSTATE
// (40001) the first times, as a trigger, counting the attempts in a sequence (which no
// rollback takes back).
TEST_F(conflicts, a_serialization_failure_is_run_again_and_only_a_lasting_one_is_503) {
    db->execute(R"sql(
        CREATE SEQUENCE attempts;
        CREATE TABLE failing (below BIGINT NOT NULL);
        INSERT INTO failing VALUES (3);
        CREATE FUNCTION fail_first() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF nextval('attempts') < (SELECT below FROM failing) THEN
                RAISE EXCEPTION 'provoked' USING ERRCODE = 'serialization_failure';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER fail_first BEFORE INSERT ON registrations
            FOR EACH ROW EXECUTE FUNCTION fail_first();)sql");
    // Two failures, then the third attempt passes.
    const auto passed = register_one(server->port(), event, "tenace@x.fr");
    EXPECT_EQ(passed.status, 201) << passed.body;
    EXPECT_EQ(number("SELECT last_value FROM attempts"), 3);
    EXPECT_EQ(registrations(), 1);

    // Failing every time: five attempts in all, then 503, and nothing stored.
    db->execute("UPDATE failing SET below = 1000");
    const auto refused = register_one(server->port(), event, "malchance@x.fr");
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
    EXPECT_EQ(refused.json().at("status"), 503);
    EXPECT_FALSE(refused.header("Retry-After").empty());
    EXPECT_EQ(number("SELECT last_value FROM attempts"), 8);
    EXPECT_EQ(registrations(), 1);
}

// A real deadlock: the test holds the event's counts row; the server's addition of a
// co-organizer takes the account's turn, then waits for the event's turn (that row); the test
// then asks for the account's turn. PostgreSQL's deadlock check (deadlock_timeout, 1 s) ends the
// server's transaction, which waited first; the server runs it again once the test's
// transaction is over.
TEST_F(conflicts, a_deadlock_is_run_again_and_the_write_is_made_once) {
    server->token_for(role::organizer, "collegue@x.fr");
    const auto colleague_id = server->account_id("collegue@x.fr");
    const auto deadlocks_before =
        number("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
    db->execute("BEGIN; SET LOCAL deadlock_timeout = '10s'");
    db->prepare("SELECT 1 FROM event_counts WHERE event_id = ? FOR UPDATE")
        .bind(1, std::int64_t{std::stoll(event)})
        .run();
    reply made;
    std::thread client([&] {
        made = server->call("PUT",
                            "/v1/events/" + event + "/organizers/" + std::to_string(colleague_id),
                            std::nullopt, owner);
    });
    // The server's write is waiting for the row once it shows in pg_locks as not granted.
    for (int i = 0; i < 200; ++i) {
        if (number(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'") >
            0)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // Granted once the server gives way.
    db->prepare("SELECT pg_advisory_xact_lock(?)")
        .bind(1, static_cast<std::int64_t>(
                     postgres::advisory_key::turn(static_cast<int>(turn::account), colleague_id)))
        .step();
    db->execute("ROLLBACK");
    client.join();
    EXPECT_EQ(made.status, 200) << made.body;
    const auto organizers =
        "SELECT count(*) FROM event_organizers WHERE account_id = " + std::to_string(colleague_id);
    EXPECT_EQ(number(organizers.c_str()), 1);
    // pg_stat_database counts the deadlock (its figures are sent within a second or so).
    std::int64_t deadlocks = 0;
    for (int i = 0; i < 100 && deadlocks == deadlocks_before; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        db->execute("SELECT pg_stat_clear_snapshot()");
        deadlocks =
            number("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
    }
    EXPECT_EQ(deadlocks, deadlocks_before + 1);
}

// What one registration costs on PostgreSQL in round trips to the database, as the server
// counts them on its writer connections (rencontres_db_write_round_trips_total): confirmed or
// on the waiting list, with answers to the event's questions, with an Idempotency-Key and its
// replay.
TEST(round_trips, a_registration_costs_two_round_trips_on_postgresql) {
    if (!on_postgres()) GTEST_SKIP() << "SQLite is in the process: no round trip";
    // One writer connection, whose statements the first registrations prepare; no delivery
    // worker writing meanwhile.
    test_server server([](config& c) {
        c.database.max_writers = 1;
        c.outbox.poll_interval_ms = 600'000;
    });
    const auto owner = server.token_for(role::organizer, "owner@x.fr");
    const auto counted = [&] {
        const auto body = send_request(server.port(), "GET", "/metrics").body;
        const std::string name = "\nrencontres_db_write_round_trips_total ";
        const auto at = body.find(name);
        EXPECT_NE(at, std::string::npos);
        return std::stoll(body.substr(at + name.size()));
    };
    const auto cost = [&](const std::string& event, const std::string& email,
                          const std::string& expected_status, const header_list& headers = {},
                          bool answers = false) {
        boost::json::object body{
            {"full_name", "Participant " + email}, {"email", email}, {"consent", true}};
        if (answers)
            body["answers"] = boost::json::object{{"dejeuner", true}, {"regime", "vegetarien"}};
        header_list all{{"Content-Type", "application/json"}};
        all.insert(all.end(), headers.begin(), headers.end());
        const auto before = counted();
        const auto r = send_request(server.port(), "POST", "/v1/events/" + event + "/registrations",
                                    boost::json::serialize(body), all);
        EXPECT_EQ(r.status, 201) << r.body;
        EXPECT_EQ(r.json().at("status"), expected_status.c_str()) << r.body;
        return counted() - before;
    };

    const auto full = published_event(server.port(), owner, 1);
    cost(full, "premiere@x.fr", "confirmed"); // the statements prepared
    cost(full, "attente@x.fr", "waitlisted");
    const auto waitlisted = cost(full, "seconde@x.fr", "waitlisted");
    EXPECT_EQ(waitlisted, ROUND_TRIPS_PER_REGISTRATION) << "a place on the waiting list";
    // Its position, read from the counts held with the event, is the list's last.
    EXPECT_EQ(read_state(server.port(), full, owner).positions, one_to(2));

    const auto open = published_event(server.port(), owner, 50);
    cost(open, "premiere@x.fr", "confirmed");
    const auto confirmed = cost(open, "seconde@x.fr", "confirmed");
    EXPECT_EQ(confirmed, ROUND_TRIPS_PER_REGISTRATION) << "a confirmed registration";

    const header_list keyed{{"Idempotency-Key", "cle-premiere-inscription"}};
    cost(open, "cle@x.fr", "confirmed", {{"Idempotency-Key", "cle-de-preparation"}});
    const auto with_key = cost(open, "cle2@x.fr", "confirmed", keyed);
    EXPECT_EQ(with_key, ROUND_TRIPS_PER_REGISTRATION) << "a registration with a key";
    const auto replayed = cost(open, "cle2@x.fr", "confirmed", keyed);
    EXPECT_LE(replayed, ROUND_TRIPS_PER_REGISTRATION) << "its replay";

    const auto asked = published_event(server.port(), owner, 50);
    ASSERT_EQ(server
                  .call("PUT", "/v1/events/" + asked + "/questions", boost::json::parse(R"([
      {"code": "dejeuner", "label": "Déjeuner sur place", "kind": "boolean", "required": true},
      {"code": "regime", "label": "Régime", "kind": "choice", "required": false,
       "options": [{"code": "aucun", "label": "Aucun"}, {"code": "vegetarien", "label": "Végétarien"}]}
    ])"),
                        owner)
                  .status,
              200);
    cost(asked, "reponses@x.fr", "confirmed", {}, true);
    const auto answered = cost(asked, "reponses2@x.fr", "confirmed", {}, true);
    EXPECT_EQ(answered, ROUND_TRIPS_PER_REGISTRATION) << "a registration with answers";
    // The address taken is found in the first round trip; the second is the ROLLBACK.
    const auto before = counted();
    const auto taken =
        send_request(server.port(), "POST", "/v1/events/" + asked + "/registrations",
                     R"({"full_name": "Autre", "email": "reponses@x.fr", "consent": true,
            "answers": {"dejeuner": false}})",
                     {{"Content-Type", "application/json"}});
    EXPECT_EQ(taken.status, 409) << taken.body;
    EXPECT_EQ(taken.json().at("code"), "already_registered");
    EXPECT_EQ(counted() - before, 2);
    std::cout << "round trips: " << confirmed << " confirmed, " << waitlisted << " waitlisted, "
              << with_key << " with a key, " << answered << " with answers\n";
}

} // namespace
} // namespace rencontres::testing
