// The cache of rendered agendas and event pages (server/api/agenda_cache.hpp): requests that miss
// at the same moment share one rendering; an error, a change meanwhile or an expired page makes
// the next request render again.
#include "server/api/agenda_cache.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <gtest/gtest.h>
#include <stdexcept>
#include <thread>
#include <vector>

namespace rencontres::http {
namespace {

using namespace std::chrono_literals;

const instant noon = instant{} + std::chrono::hours(24 * 365 * 60);

std::shared_ptr<const agenda_rendering> rendering_of(id_t event, std::string json) {
    auto r = std::make_shared<agenda_rendering>();
    r->event_id = event;
    r->is_public = true;
    r->json = std::move(json);
    return r;
}

// Until `done()` holds, for at most ten seconds; whether it came to hold.
template <class Done> bool eventually(Done done) {
    for (int i = 0; i < 10'000; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(1ms);
    }
    return done();
}

// `waiters` requests that miss while a first one is rendering: the first's maker returns what
// `lead` returns once they all wait; theirs count their calls and return their own rendering.
struct crowd {
    agenda_cache cache;
    std::atomic<int> made_by_waiters{0};
    std::shared_ptr<const agenda_rendering> first;
    std::vector<std::shared_ptr<const agenda_rendering>> theirs;
    std::exception_ptr first_failure;

    template <class Lead> void run(int waiters, Lead lead) {
        std::promise<void> started;
        std::thread leader([&] {
            try {
                first = cache.find_or_make("1", noon, [&] {
                    started.set_value();
                    EXPECT_TRUE(eventually(
                        [&] { return cache.waiting() == static_cast<std::size_t>(waiters); }));
                    return lead();
                });
            } catch (...) {
                first_failure = std::current_exception();
            }
        });
        started.get_future().wait();
        theirs.resize(static_cast<std::size_t>(waiters));
        std::vector<std::thread> others;
        for (int i = 0; i < waiters; ++i)
            others.emplace_back([&, i] {
                theirs[static_cast<std::size_t>(i)] = cache.find_or_make("1", noon, [&] {
                    ++made_by_waiters;
                    return rendering_of(1, "theirs");
                });
            });
        for (auto& t : others)
            t.join();
        leader.join();
    }
};

TEST(agenda_cache, requests_that_miss_together_share_the_first_ones_rendering) {
    crowd c;
    c.run(3, [] { return rendering_of(1, "first"); });
    ASSERT_NE(c.first, nullptr);
    EXPECT_EQ(c.first->json, "first");
    EXPECT_EQ(c.made_by_waiters.load(), 0);
    for (const auto& r : c.theirs)
        EXPECT_EQ(r, c.first);
    EXPECT_EQ(c.cache.find("1", noon), c.first);
    EXPECT_EQ(c.cache.waiting(), 0u);
}

TEST(agenda_cache, after_an_error_with_nothing_to_keep_one_waiter_renders_for_the_others) {
    crowd c;
    c.run(3, [] { return std::shared_ptr<const agenda_rendering>(); });
    EXPECT_EQ(c.first, nullptr);
    // One of them rendered; the other two took its rendering.
    EXPECT_EQ(c.made_by_waiters.load(), 1);
    ASSERT_NE(c.theirs[0], nullptr);
    EXPECT_EQ(c.theirs[0]->json, "theirs");
    EXPECT_EQ(c.theirs[1], c.theirs[0]);
    EXPECT_EQ(c.theirs[2], c.theirs[0]);
    EXPECT_EQ(c.cache.find("1", noon), c.theirs[0]);
}

TEST(agenda_cache, a_maker_that_throws_fails_its_own_request_only) {
    crowd c;
    c.run(1, []() -> std::shared_ptr<const agenda_rendering> {
        throw std::runtime_error("the database went away");
    });
    ASSERT_NE(c.first_failure, nullptr);
    EXPECT_THROW(std::rethrow_exception(c.first_failure), std::runtime_error);
    EXPECT_EQ(c.made_by_waiters.load(), 1);
    ASSERT_NE(c.theirs[0], nullptr);
    EXPECT_EQ(c.theirs[0]->json, "theirs");
}

TEST(agenda_cache, a_change_committed_during_the_rendering_makes_the_waiters_read_again) {
    crowd c;
    c.run(2, [&] {
        // Read before the change: the event changed after its data was read.
        auto stale = rendering_of(1, "before the change");
        c.cache.agenda_changed(1);
        return stale;
    });
    ASSERT_NE(c.first, nullptr);
    EXPECT_EQ(c.first->json, "before the change"); // its own request read before the change
    EXPECT_EQ(c.made_by_waiters.load(), 1);
    ASSERT_NE(c.theirs[0], nullptr);
    EXPECT_EQ(c.theirs[0]->json, "theirs");
    EXPECT_EQ(c.theirs[1], c.theirs[0]);
    EXPECT_EQ(c.cache.find("1", noon), c.theirs[0]); // never the stale one
}

TEST(agenda_cache, a_kept_page_is_made_again_once_past_its_end_of_validity) {
    agenda_cache cache;
    int made = 0;
    const auto page = [&] {
        ++made;
        auto r = std::make_shared<agenda_rendering>();
        r->event_id = 7;
        r->is_public = true;
        r->with_seats = true;
        r->html = "page " + std::to_string(made);
        r->valid_until = noon + 1h;
        return r;
    };
    const auto first = cache.find_or_make("page:x", noon, page);
    EXPECT_EQ(cache.find_or_make("page:x", noon + 59min, page), first);
    EXPECT_EQ(made, 1);
    const auto second = cache.find_or_make("page:x", noon + 1h, page);
    EXPECT_EQ(made, 2);
    EXPECT_EQ(second->html, "page 2");
    // Seats changed: the page shows them, so it is made again; the agenda would not be.
    cache.seats_changed(7);
    EXPECT_EQ(cache.find_or_make("page:x", noon, page)->html, "page 3");
}

} // namespace
} // namespace rencontres::http
