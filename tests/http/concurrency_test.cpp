// Real concurrent clients against the real server: no overbooking, no gaps in the waiting list,
// one registration per email. (SIGKILL during a write load is in fault_test.cpp.)
#include "support/test_server.hpp"

#include <atomic>
#include <gtest/gtest.h>
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

} // namespace
} // namespace rencontres::testing
