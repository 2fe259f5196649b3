// Two instances of the server on one PostgreSQL database, as deploy/ runs them behind nginx, with
// the test as the round-robin proxy: the seat rules hold across instances, the outbox is
// delivered once, a change made on one instance shows on the other, and killing one instance
// loses nothing it acknowledged while the other keeps serving, and throttles count on every
// instance. On SQLite (one process per
// database file) these tests skip.
#include "support/process.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace rencontres::testing {
namespace {

using boost::json::object;
using boost::json::value;

// Two instances on a fresh database: the same key file (sealed links and form tokens must open
// on both), each its own outbox log.
struct instances : ::testing::Test {
    std::string dir = make_temp_dir("instances");
    std::unique_ptr<scratch_database> database;
    std::unique_ptr<child_server> a, b;

    void SetUp() override {
        if (!on_postgres()) GTEST_SKIP() << "several instances share a PostgreSQL database";
        database = std::make_unique<scratch_database>(dir + "/r.db");
        create_admin(database->location(), env("setup"));
        a = start("a");
        b = start("b");
    }
    void TearDown() override {
        a.reset();
        b.reset();
        database.reset();
        std::filesystem::remove_all(dir);
    }
    std::map<std::string, std::string> env(const std::string& name) const {
        std::filesystem::create_directories(dir + "/" + name);
        return {{"RENCONTRES_SECURITY_KEY_FILE", dir + "/rencontres.key"},
                {"RENCONTRES_OUTBOX_SINK_PATH", dir + "/" + name + "/outbox.log"},
                {"RENCONTRES_OUTBOX_POLL_INTERVAL_MS", "50"},
                {"RENCONTRES_DATABASE_WORKERS", "16"},
                // Several writes at once on each instance, as in production.
                {"RENCONTRES_DATABASE_MAX_WRITERS", "4"}};
    }
    std::unique_ptr<child_server> start(const std::string& name) {
        return std::make_unique<child_server>(
            std::vector<std::string>{"--db", database->location()}, env(name));
    }
    // Round robin, as the proxy does.
    unsigned short port(int i) const { return i % 2 == 0 ? a->port() : b->port(); }
    // Message ids written to the outbox logs of both instances, with how often each was.
    std::map<std::string, int> delivered() const {
        std::map<std::string, int> seen;
        for (const auto* name : {"a", "b"}) {
            std::ifstream log(dir + "/" + name + "/outbox.log");
            for (std::string line; std::getline(log, line);)
                ++seen[std::string(boost::json::parse(line).at("id").as_string())];
        }
        return seen;
    }
};

TEST_F(instances, seats_waiting_list_promotions_and_the_outbox_hold_across_two_instances) {
    const auto token = login(a->port());
    const auto event = published_event(b->port(), token, 50);

    std::atomic<int> created{0};
    in_parallel(32, 300, [&](int i) {
        const auto r = register_one(port(i), event, "p" + std::to_string(i) + "@x.fr");
        if (r.status == 201) ++created;
    });
    EXPECT_EQ(created.load(), 300);
    const auto state = read_state(a->port(), event, token);
    EXPECT_EQ(state.confirmed, 50) << "never more confirmed than the capacity";
    EXPECT_EQ(state.positions, one_to(250)) << "waiting list positions 1..250, no gap, no repeat";

    // Twenty cancellations at once, through both instances: exactly the first twenty waiting are
    // promoted, each once.
    std::vector<std::string> to_cancel(state.confirmed_ids.begin(), state.confirmed_ids.end());
    to_cancel.resize(20);
    std::set<std::string> first_twenty;
    for (const auto& [id, position] : state.position_of)
        if (position <= 20) first_twenty.insert(id);
    std::atomic<int> cancelled{0};
    in_parallel(20, 20, [&](int i) {
        const auto r =
            send_request(port(i), "DELETE", "/v1/registrations/" + to_cancel[std::size_t(i)], "",
                         {{"Authorization", "Bearer " + token}});
        if (r.status == 204) ++cancelled;
    });
    EXPECT_EQ(cancelled.load(), 20);
    const auto after = read_state(b->port(), event, token);
    EXPECT_EQ(after.confirmed, 50);
    EXPECT_EQ(after.positions, one_to(230));
    for (const auto& id : first_twenty)
        EXPECT_TRUE(after.confirmed_ids.count(id)) << id << " was promoted";
    const auto stats = send_request(a->port(), "GET", "/v1/events/" + event + "/stats", "",
                                    {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(stats.json(), boost::json::parse(R"({"confirmed":50,"waitlisted":230,"cancelled":20,)"
                                               R"("checked_in":0,"capacity":50,"answers":{}})"));

    // Every message (300 receipts, 20 cancellations, 20 promotions) is delivered, by one
    // instance or the other, once.
    std::map<std::string, int> seen;
    for (int i = 0; i < 200; ++i) {
        seen = delivered();
        if (seen.size() >= 340) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // a second delivery would show
    seen = delivered();
    EXPECT_EQ(seen.size(), 340u);
    for (const auto& [id, times] : seen)
        EXPECT_EQ(times, 1) << "message " << id << " delivered " << times << " times";
    const auto outbox = send_request(b->port(), "GET", "/v1/admin/outbox?status=pending&limit=200",
                                     "", {{"Authorization", "Bearer " + token}});
    EXPECT_TRUE(outbox.json().at("items").as_array().empty()) << outbox.body;
}

// A workshop's waiting list, filled and emptied from both instances at once: never more seats
// than it has, positions without gap or repeat, and the first on its list promoted.
TEST_F(instances, a_workshops_list_holds_across_two_instances) {
    const auto token = login(a->port());
    const auto event = published_event(b->port(), token, 1000);
    const auto workshop = tiers_lieux_workshop(a->port(), token, event, 20);
    std::mutex mutex;
    std::vector<std::string> ids;
    in_parallel(32, 80, [&](int i) {
        const auto r = send_request(
            port(i), "POST", "/v1/events/" + event + "/registrations",
            boost::json::serialize(object{{"full_name", "Atelier " + std::to_string(i)},
                                          {"email", "w" + std::to_string(i) + "@x.fr"},
                                          {"consent", true},
                                          {"session_ids", boost::json::array{value(workshop)}}}),
            {{"Content-Type", "application/json"}});
        ASSERT_EQ(r.status, 201) << r.body;
        std::lock_guard lock(mutex);
        ids.emplace_back(r.json().at("id").as_string());
    });
    ASSERT_EQ(ids.size(), 80u);
    // Each registration's seat in the workshop, read back: status and position.
    const auto seats = [&] {
        std::vector<std::string> holders;
        std::map<int, std::string> waiting;
        for (const auto& id : ids) {
            const auto r = send_request(b->port(), "GET", "/v1/registrations/" + id, "",
                                        {{"Authorization", "Bearer " + token}});
            const auto body = r.json();
            const auto& seat = body.at("sessions").at(0).as_object();
            if (seat.at("status") == "confirmed")
                holders.push_back(id);
            else
                EXPECT_TRUE(
                    waiting.emplace(static_cast<int>(seat.at("waitlist_position").as_int64()), id)
                        .second)
                    << "a position given twice";
        }
        return std::pair{holders, waiting};
    };
    auto [holders, waiting] = seats();
    EXPECT_EQ(holders.size(), 20u);
    ASSERT_EQ(waiting.size(), 60u);
    EXPECT_EQ(waiting.rbegin()->first, 60) << "positions 1..60, no gap";
    std::set<std::string> first_ten;
    for (int p = 1; p <= 10; ++p)
        first_ten.insert(waiting.at(p));
    in_parallel(10, 10, [&](int i) {
        EXPECT_EQ(send_request(port(i), "DELETE",
                               "/v1/registrations/" + holders[static_cast<std::size_t>(i)], "",
                               {{"Authorization", "Bearer " + token}})
                      .status,
                  204);
    });
    std::erase_if(ids, [&](const std::string& id) {
        return std::find(holders.begin(), holders.begin() + 10, id) != holders.begin() + 10;
    });
    auto [after_holders, after_waiting] = seats();
    EXPECT_EQ(after_holders.size(), 20u);
    ASSERT_EQ(after_waiting.size(), 50u);
    EXPECT_EQ(after_waiting.rbegin()->first, 50);
    for (const auto& id : first_ten)
        EXPECT_NE(std::find(after_holders.begin(), after_holders.end(), id), after_holders.end())
            << id << " was first on the list and should hold a seat";
}

TEST_F(instances, a_change_on_one_instance_shows_on_the_other_within_a_second) {
    const auto token = login(a->port());
    const auto event = published_event(a->port(), token, 50);
    const std::string agenda = "/v1/events/" + event + "/agenda";
    // Rendered and cached on b.
    const auto before = send_request(b->port(), "GET", agenda);
    ASSERT_EQ(before.status, 200);
    EXPECT_TRUE(before.json().at("days").as_array().empty());
    ASSERT_EQ(send_request(b->port(), "GET", agenda).body, before.body);

    const auto made =
        send_request(a->port(), "POST", "/v1/events/" + event + "/sessions",
                     boost::json::serialize(object{{"title", "Tiers-lieux et inclusion numérique"},
                                                   {"kind", "talk"},
                                                   {"starts_at", "2031-06-11T10:00:00+02:00"},
                                                   {"ends_at", "2031-06-11T11:00:00+02:00"}}),
                     {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
    ASSERT_EQ(made.status, 201) << made.body;
    const auto changed_at = std::chrono::steady_clock::now();
    reply now;
    do {
        now = send_request(b->port(), "GET", agenda);
        if (now.body != before.body) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() - changed_at < std::chrono::seconds(1));
    ASSERT_NE(now.body, before.body) << "b still serves the agenda it cached a second later";
    EXPECT_EQ(now.json().at("days").at(0).at("sessions").at(0).at("title"),
              "Tiers-lieux et inclusion numérique");

    // Seats left, on the public event page that b renders and keeps, follow a registration
    // made on a.
    const auto slug = std::string(
        send_request(b->port(), "GET", "/v1/events/" + event).json().at("slug").as_string());
    const auto page = "/evenements/" + slug;
    const auto full_page = send_request(b->port(), "GET", page);
    ASSERT_EQ(full_page.status, 200);
    EXPECT_NE(full_page.body.find("Il reste 50 places"), std::string::npos) << full_page.body;
    ASSERT_EQ(register_one(a->port(), event, "seat@x.fr").status, 201);
    const auto registered_at = std::chrono::steady_clock::now();
    do {
        now = send_request(b->port(), "GET", page);
        if (now.body.find("Il reste 49 places") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() - registered_at < std::chrono::seconds(1));
    EXPECT_NE(now.body.find("Il reste 49 places"), std::string::npos)
        << "seats left on b a second later";
}

// A question asked and supported through one instance reaches the listeners of the other
// (LISTEN/NOTIFY), within a second.
TEST_F(instances, a_rooms_listeners_on_one_instance_hear_what_is_posted_on_the_other) {
    const auto token = login(a->port());
    const auto event = published_event(a->port(), token, 50);
    const header_list auth{{"Authorization", "Bearer " + token},
                           {"Content-Type", "application/json"}};
    const auto made =
        send_request(a->port(), "POST", "/v1/events/" + event + "/sessions",
                     boost::json::serialize(object{{"title", "Débat avec la salle"},
                                                   {"kind", "round_table"},
                                                   {"questions", "open"},
                                                   {"starts_at", "2031-06-11T10:00:00+02:00"},
                                                   {"ends_at", "2031-06-11T11:00:00+02:00"}}),
                     auth);
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string session(made.json().at("id").as_string());
    sse_client on_b(b->port(), "/v1/sessions/" + session + "/stream");
    ASSERT_TRUE(on_b.wait_for("retry: 3000\n\n"));
    const auto asked =
        send_request(a->port(), "POST", "/v1/sessions/" + session + "/floor-questions",
                     boost::json::serialize(object{{"text", "Et la fibre ?"}}),
                     {{"Content-Type", "application/json"}});
    ASSERT_EQ(asked.status, 201) << asked.body;
    EXPECT_TRUE(on_b.wait_for("Et la fibre ?", std::chrono::seconds{1})) << on_b.received;
    const std::string id(asked.json().at("id").as_string());
    ASSERT_EQ(send_request(a->port(), "POST", "/v1/floor-questions/" + id + "/vote").status, 200);
    EXPECT_TRUE(on_b.wait_for("\"votes\":1", std::chrono::seconds{1})) << on_b.received;
}

TEST_F(instances, wrong_passwords_count_on_every_instance) {
    const header_list json{{"Content-Type", "application/json"}};
    const auto wrong = R"({"email":"admin@x.fr","password":"not the password"})";
    const auto right = R"({"email":"admin@x.fr","password":"admin password 1"})";
    // Five failures from one client, spread over both instances, reach the limit of five.
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(send_request(port(i), "POST", "/v1/auth/token", wrong, json).status, 401) << i;
    for (auto* instance : {a.get(), b.get()}) {
        const auto held = send_request(instance->port(), "POST", "/v1/auth/token", right, json);
        EXPECT_EQ(held.status, 429) << "the client is held back on every instance";
        EXPECT_FALSE(held.header("Retry-After").empty());
    }
}

TEST_F(instances, killing_one_instance_loses_no_acknowledged_write_and_the_other_serves_on) {
    const auto token = login(a->port());
    const auto event = published_event(a->port(), token, 100'000);
    std::mutex mutex;
    std::set<std::string> acknowledged;
    std::atomic<bool> a_killed{false};
    std::atomic<int> served_by_b_after_kill{0};
    std::atomic<int> next{0};
    const auto a_port = a->port(), b_port = b->port();
    std::vector<std::thread> clients;
    for (int t = 0; t < 16; ++t)
        clients.emplace_back([&, t] {
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
            while (std::chrono::steady_clock::now() < deadline) {
                const int i = next++;
                const bool to_a = (i + t) % 2 == 0;
                const auto email = "k" + std::to_string(i) + "@x.fr";
                reply r;
                try {
                    r = register_one(to_a ? a_port : b_port, event, email);
                } catch (const std::exception&) {
                    continue; // a died with the request: not acknowledged
                }
                if (r.status / 100 == 2) {
                    std::lock_guard lock(mutex);
                    acknowledged.insert(email);
                    if (!to_a && a_killed) ++served_by_b_after_kill;
                }
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    a->signal(SIGKILL);
    a_killed = true;
    EXPECT_EQ(a->wait(std::chrono::seconds(10)), -SIGKILL);
    for (auto& c : clients)
        c.join();

    EXPECT_GT(served_by_b_after_kill.load(), 0) << "b kept serving after a was killed";
    ASSERT_GT(acknowledged.size(), 100u);
    const auto state = read_state(b_port, event, token);
    for (const auto& email : acknowledged)
        EXPECT_TRUE(state.emails.count(email)) << email << " was acknowledged, then lost";
    // a comes back on the same database and sees the same.
    a = start("a");
    EXPECT_EQ(read_state(a->port(), event, token).emails, state.emails);
}

} // namespace
} // namespace rencontres::testing
