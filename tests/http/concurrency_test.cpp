// Real concurrent clients against the real server: no overbooking, no gaps in the waiting list,
// one registration per email; and a SIGKILL in the middle of a registration load loses nothing
// that was acknowledged.
#include "support/process.hpp"
#include "support/test_server.hpp"

#include <atomic>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <mutex>
#include <set>
#include <signal.h>
#include <sqlite3.h>
#include <thread>

namespace rencontres::testing {
namespace {

using boost::json::object;

std::string published_event(unsigned short port, const std::string& token, int capacity) {
    const header_list auth{{"Authorization", "Bearer " + token},
                           {"Content-Type", "application/json"}};
    auto r = send_request(port, "POST", "/v1/events",
                          boost::json::serialize(object{{"title", "Assemblée générale"},
                                                        {"starts_at", "2031-06-11T09:00:00+02:00"},
                                                        {"ends_at", "2031-06-11T17:00:00+02:00"},
                                                        {"venue", object{{"city", "Limoges"}}},
                                                        {"capacity", capacity}}),
                          auth);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id(r.json().at("id").as_string());
    EXPECT_EQ(send_request(port, "POST", "/v1/events/" + id + "/publish", "", auth).status, 200);
    return id;
}

reply register_one(unsigned short port, const std::string& event, const std::string& email) {
    return send_request(
        port, "POST", "/v1/events/" + event + "/registrations",
        boost::json::serialize(
            object{{"full_name", "Participant " + email}, {"email", email}, {"consent", true}}),
        {{"Content-Type", "application/json"}});
}

// Runs `work(i)` for i in [0, count) on `threads` threads at once.
template <class F> void in_parallel(int threads, int count, F work) {
    std::atomic<int> next{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (int i = next++; i < count; i = next++)
                work(i);
        });
    for (auto& t : pool)
        t.join();
}

struct seat_state {
    int confirmed = 0;
    std::vector<int> positions; // of the waitlisted, sorted
    std::set<std::string> confirmed_ids;
    std::map<std::string, int> position_of;
};

seat_state read_state(test_server& server, const std::string& event, const std::string& token) {
    seat_state s;
    std::string cursor;
    for (;;) {
        const auto page = server
                              .call("GET",
                                    "/v1/events/" + event + "/registrations?limit=200" +
                                        (cursor.empty() ? "" : "&cursor=" + cursor),
                                    std::nullopt, token)
                              .json();
        for (const auto& item : page.at("items").as_array()) {
            const std::string id(item.at("id").as_string());
            if (item.at("status") == "confirmed") {
                ++s.confirmed;
                s.confirmed_ids.insert(id);
            }
            if (item.at("status") == "waitlisted") {
                const auto position = static_cast<int>(item.at("waitlist_position").as_int64());
                s.positions.push_back(position);
                s.position_of[id] = position;
            }
        }
        if (page.at("next_cursor").is_null()) break;
        cursor = std::string(page.at("next_cursor").as_string());
    }
    std::sort(s.positions.begin(), s.positions.end());
    return s;
}

std::vector<int> one_to(int n) {
    std::vector<int> v(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        v[static_cast<std::size_t>(i)] = i + 1;
    return v;
}

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
    auto state = read_state(server, event, owner);
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
    const auto after = read_state(server, event, owner);
    EXPECT_EQ(after.confirmed, 50);
    EXPECT_EQ(after.positions, one_to(240));
    for (const auto& id : first_ten)
        EXPECT_TRUE(after.confirmed_ids.count(id)) << id << " was promoted";
    const auto stats =
        server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner).json();
    EXPECT_EQ(
        stats,
        boost::json::parse(
            R"({"confirmed":50,"waitlisted":240,"cancelled":10,"checked_in":0,"capacity":50})"));
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

std::string integrity(const std::string& path) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
    std::string out;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        out += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
}

TEST(crash, sigkill_during_registrations_loses_no_acknowledged_one) {
    const auto dir = make_temp_dir("crash");
    const auto db = dir + "/r.db";
    ASSERT_EQ(
        run_binary({"admin", "create", "--db", db, "--email", "admin@x.fr"}, "admin password 1\n")
            .exit_code,
        0);
    std::string token, event;
    struct acknowledged {
        std::string id, token, email, status;
    };
    std::vector<acknowledged> acked;
    std::mutex acked_mutex;
    {
        child_server server({"--db", db});
        const auto login = send_request(server.port(), "POST", "/v1/auth/token",
                                        R"({"email":"admin@x.fr","password":"admin password 1"})",
                                        {{"Content-Type", "application/json"}});
        token = std::string(login.json().at("token").as_string());
        event = published_event(server.port(), token, 30);
        std::atomic<bool> stop{false};
        std::atomic<int> counter{0};
        std::vector<std::thread> load;
        for (int t = 0; t < 16; ++t)
            load.emplace_back([&] {
                while (!stop) {
                    const auto email = "c" + std::to_string(counter++) + "@x.fr";
                    try {
                        const auto r = register_one(server.port(), event, email);
                        if (r.status != 201) continue;
                        const auto body = r.json();
                        std::lock_guard lock(acked_mutex);
                        acked.push_back({std::string(body.at("id").as_string()),
                                         std::string(body.at("manage_token").as_string()), email,
                                         std::string(body.at("status").as_string())});
                    } catch (const std::exception&) {
                        // The server is gone: this request was not acknowledged.
                    }
                }
            });
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        server.signal(SIGKILL);
        EXPECT_EQ(server.wait(std::chrono::seconds(10)), -SIGKILL);
        stop = true;
        for (auto& t : load)
            t.join();
    }
    ASSERT_GT(acked.size(), 30u) << "the load did not get going";
    EXPECT_EQ(integrity(db), "ok");
    child_server again({"--db", db});
    for (const auto& a : acked) {
        const auto r = send_request(again.port(), "GET", "/v1/registrations/" + a.id, "",
                                    {{"X-Registration-Token", a.token}});
        ASSERT_EQ(r.status, 200) << "acknowledged registration " << a.id << " is missing";
        EXPECT_EQ(r.json().at("email"), boost::json::value(a.email));
    }
    const auto stats = send_request(again.port(), "GET", "/v1/events/" + event + "/stats", "",
                                    {{"Authorization", "Bearer " + token}})
                           .json();
    EXPECT_LE(stats.at("confirmed").as_int64(), 30);
    EXPECT_EQ(stats.at("confirmed").as_int64(), 30)
        << "more than 30 were acknowledged, so all seats are taken";
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace rencontres::testing
