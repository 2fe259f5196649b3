// The scheduler decides where and when each request runs (server/transport/scheduler.hpp): these
// tests drive it directly, with routes of their own and write-lane hooks they control, and check
// that the application's page and API registrations take the same path.
#include "server/app/application.hpp"
#include "server/transport/problem.hpp"
#include "server/transport/scheduler.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>

namespace rencontres {
namespace {

namespace net = boost::asio;
using http::lane;
using http::response;

// An application on a scratch database: its services are what the test routes' contexts carry.
struct scratch_application {
    scratch_application() : dir(testing::make_temp_dir("scheduler")) {
        database = std::make_unique<testing::scratch_database>(dir + "/test.db");
        auto c = testing::scratch_config(dir, *database);
        validate(c);
        app = std::make_unique<application>(c);
    }
    ~scratch_application() {
        app.reset();
        database.reset();
        std::filesystem::remove_all(dir);
    }
    http::services& services() { return app->dispatcher().app(); }

    std::string dir;
    std::unique_ptr<testing::scratch_database> database;
    std::unique_ptr<application> app;
};

// The write lane's hooks, recorded: what was announced and retracted, and the durability
// callbacks, held until the test settles them.
struct recorded_lane {
    std::mutex m;
    std::condition_variable changed;
    std::vector<std::string> events;
    std::vector<std::function<void(bool)>> pending;

    http::write_lane_hooks hooks() {
        return {[this] { note("announce"); }, [this] { note("retract"); },
                [this](durability_ticket t, std::function<void(bool)> settled) {
                    std::lock_guard lock(m);
                    events.push_back("when_durable " + std::to_string(t.group));
                    pending.push_back(std::move(settled));
                    changed.notify_all();
                }};
    }
    void note(std::string what) {
        std::lock_guard lock(m);
        events.push_back(std::move(what));
        changed.notify_all();
    }
    // Waits for the next durability callback and calls it.
    void settle(bool durable) {
        std::function<void(bool)> next;
        {
            std::unique_lock lock(m);
            ASSERT_TRUE(
                changed.wait_for(lock, std::chrono::seconds(10), [&] { return !pending.empty(); }));
            next = std::move(pending.front());
            pending.erase(pending.begin());
        }
        next(durable);
    }
    std::vector<std::string> seen() {
        std::lock_guard lock(m);
        return events;
    }
};

// The connection's side: a thread running an io_context, which the answers must come back to.
struct home_thread {
    net::io_context ioc;
    net::executor_work_guard<net::io_context::executor_type> guard{ioc.get_executor()};
    std::thread runner{[this] { ioc.run(); }};
    std::thread::id id() const { return runner.get_id(); }
    ~home_thread() {
        guard.reset();
        runner.join();
    }
};

struct answered {
    response res;
    std::thread::id on;
};

class scheduler_test : public ::testing::Test {
protected:
    scratch_application app;
    recorded_lane lane_hooks;
    home_thread home;
    http::router routes;
    // Where each part ran, by name.
    std::mutex where_m;
    std::map<std::string, std::thread::id> where;

    void ran(const std::string& part) {
        std::lock_guard lock(where_m);
        where[part] = std::this_thread::get_id();
    }
    std::thread::id ran_on(const std::string& part) {
        std::lock_guard lock(where_m);
        return where.at(part);
    }

    // Queues `req` on a scheduler over `routes` and returns the future answer.
    std::future<answered> queue(http::scheduler& lanes, const http::request& req,
                                http::route_match& matched) {
        auto promise = std::make_shared<std::promise<answered>>();
        auto future = promise->get_future();
        matched = lanes.dispatch().match(req);
        static const std::string id = "req-1", client = "192.0.2.1";
        lanes.queue(matched, req, id, client, home.ioc.get_executor(), [promise](response r) {
            promise->set_value({std::move(r), std::this_thread::get_id()});
        });
        return future;
    }

    // A write whose three parts note where they ran; its ticket is group 7.
    http::write_job noted_write(bool answer_reads) {
        ran("prepare");
        http::write_job job{[this] {
                                ran("transact");
                                return durability_ticket{7};
                            },
                            [this](http::context&) {
                                ran("answer");
                                response r;
                                r.status = 201;
                                r.body = "written";
                                return r;
                            }};
        job.answer_reads = answer_reads;
        return job;
    }
};

http::request post(std::string path, std::vector<http::header> headers = {}) {
    http::request req;
    req.method = "POST";
    req.target = path;
    req.path = std::move(path);
    req.headers = std::move(headers);
    return req;
}

TEST_F(scheduler_test,
       a_write_is_prepared_here_transacted_on_the_lane_and_answered_home_once_durable) {
    routes.add_write("POST", "/w",
                     [this](const http::request&, const http::route_params&, http::context&) {
                         return noted_write(false);
                     });
    http::dispatcher d(routes, app.services(), [] { return response{}; });
    http::scheduler lanes(http::scheduler_settings{1, 1, 64, 1, lane_hooks.hooks()}, d);
    http::route_match matched;
    const auto req = post("/w");
    auto future = queue(lanes, req, matched);
    // Prepared at once on the caller's thread (no database needed, no token to check).
    EXPECT_EQ(ran_on("prepare"), std::this_thread::get_id());
    // Not answered before the group is durable.
    EXPECT_EQ(future.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
    lane_hooks.settle(true);
    const auto got = future.get();
    EXPECT_EQ(got.res.status, 201);
    EXPECT_EQ(got.res.body, "written");
    EXPECT_EQ(got.res.header_value("X-Request-Id").value_or(""), "req-1");
    EXPECT_EQ(got.on, home.id());
    EXPECT_EQ(ran_on("answer"), home.id());
    EXPECT_NE(ran_on("transact"), home.id());
    EXPECT_NE(ran_on("transact"), std::this_thread::get_id());
    EXPECT_EQ(lane_hooks.seen(),
              (std::vector<std::string>{"announce", "retract", "when_durable 7"}));
    lanes.join();
}

TEST_F(scheduler_test, a_write_that_never_becomes_durable_is_a_503_or_what_its_route_says) {
    routes.add_write("POST", "/api",
                     [this](const http::request&, const http::route_params&, http::context&) {
                         return noted_write(false);
                     });
    routes.add_write("POST", "/page",
                     [this](const http::request&, const http::route_params&, http::context&) {
                         auto job = noted_write(false);
                         job.failed = [](std::exception_ptr failure) {
                             try {
                                 std::rethrow_exception(failure);
                             } catch (const store_unavailable&) {
                                 response r;
                                 r.status = 503;
                                 r.body = "<p>Service indisponible</p>";
                                 return r;
                             }
                         };
                         return job;
                     });
    http::dispatcher d(routes, app.services(), [] { return response{}; });
    http::scheduler lanes(http::scheduler_settings{1, 1, 64, 1, lane_hooks.hooks()}, d);
    http::route_match m1, m2;
    const auto api = post("/api"), page = post("/page");
    auto first = queue(lanes, api, m1);
    lane_hooks.settle(false);
    const auto refused = first.get().res;
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.header_value("Content-Type").value_or(""), "application/problem+json");
    EXPECT_EQ(refused.header_value("Retry-After").value_or(""), "1");
    EXPECT_EQ(refused.body.find("written"), std::string::npos);
    auto second = queue(lanes, page, m2);
    lane_hooks.settle(false);
    const auto shown = second.get().res;
    EXPECT_EQ(shown.status, 503);
    EXPECT_EQ(shown.body, "<p>Service indisponible</p>");
    lanes.join();
}

TEST_F(scheduler_test, a_write_that_reads_is_prepared_and_answered_on_the_database_workers) {
    routes.add_write(
        "POST", "/w",
        [this](const http::request&, const http::route_params&, http::context&) {
            return noted_write(true);
        },
        http::preparing::reads_database);
    http::dispatcher d(routes, app.services(), [] { return response{}; });
    http::scheduler lanes(http::scheduler_settings{1, 1, 64, 1, lane_hooks.hooks()}, d);
    http::route_match matched;
    const auto req = post("/w");
    auto future = queue(lanes, req, matched);
    lane_hooks.settle(true);
    const auto got = future.get();
    EXPECT_EQ(got.res.status, 201);
    EXPECT_EQ(got.on, home.id());
    // One database worker: preparing and answering share it, and it is neither the caller's
    // thread, the connection's nor the lane's.
    EXPECT_EQ(ran_on("prepare"), ran_on("answer"));
    EXPECT_NE(ran_on("prepare"), std::this_thread::get_id());
    EXPECT_NE(ran_on("answer"), home.id());
    EXPECT_NE(ran_on("answer"), ran_on("transact"));
    lanes.join();
}

TEST_F(scheduler_test, a_refusal_decided_before_the_lane_never_reaches_it) {
    routes.add_write("POST", "/w",
                     [](const http::request&, const http::route_params&, http::context&) {
                         response r;
                         r.status = 403;
                         r.body = "non";
                         return http::write_job::answered(std::move(r));
                     });
    routes.add_write(
        "POST", "/thrown",
        [](const http::request&, const http::route_params&, http::context&) -> http::write_job {
            throw http::problem_exception(http::problem(422, "bad"));
        });
    http::dispatcher d(routes, app.services(), [] { return response{}; });
    http::scheduler lanes(http::scheduler_settings{1, 1, 64, 1, lane_hooks.hooks()}, d);
    http::route_match m1, m2;
    const auto a = post("/w"), b = post("/thrown");
    const auto first = queue(lanes, a, m1).get();
    EXPECT_EQ(first.res.status, 403);
    EXPECT_EQ(first.res.body, "non");
    EXPECT_EQ(first.on, home.id());
    const auto second = queue(lanes, b, m2).get();
    EXPECT_EQ(second.res.status, 422);
    EXPECT_TRUE(lane_hooks.seen().empty());
    lanes.join();
}

TEST_F(scheduler_test, sign_ups_hold_half_of_the_hashing_queue_and_documents_two_at_a_time) {
    std::promise<void> release;
    auto released = release.get_future().share();
    std::atomic<int> started{0};
    const http::handler held = [&](const http::request&, const http::route_params&,
                                   http::context&) {
        ++started;
        released.wait();
        return response{};
    };
    routes.add("POST", "/sign-up", held, lane::sign_ups);
    routes.add("POST", "/sign-in", held, lane::hashing);
    routes.add("POST", "/pdf", held, lane::documents);
    http::dispatcher d(routes, app.services(), [] { return response{}; });
    http::scheduler lanes(http::scheduler_settings{1, 1, 4, 1, lane_hooks.hooks()}, d);
    std::vector<http::request> reqs;
    for (const auto* path : {"/sign-up", "/sign-up", "/sign-up", "/sign-in", "/sign-in", "/sign-in",
                             "/pdf", "/pdf", "/pdf"})
        reqs.push_back(post(path));
    std::vector<http::route_match> matches(reqs.size());
    std::vector<std::future<answered>> answers;
    for (std::size_t i = 0; i < reqs.size(); ++i)
        answers.push_back(queue(lanes, reqs[i], matches[i]));
    // Of a queue of 4: two sign-ups, the third refused at once; two sign-ins fill it, the
    // third refused. Two documents at a time, the third refused with a 429.
    const auto status_of = [&](std::size_t i) { return answers[i].get().res.status; };
    EXPECT_EQ(status_of(2), 503);
    EXPECT_EQ(status_of(5), 503);
    const auto third_pdf = answers[8].get().res;
    EXPECT_EQ(third_pdf.status, 429);
    EXPECT_EQ(third_pdf.header_value("Retry-After").value_or(""), "5");
    release.set_value();
    for (const std::size_t i : {0, 1, 3, 4, 6, 7})
        EXPECT_EQ(status_of(i), 200) << i;
    EXPECT_EQ(started.load(), 6);
    // Once they are done, the quotas are free again.
    http::route_match again;
    const auto more = post("/sign-up");
    EXPECT_EQ(queue(lanes, more, again).get().res.status, 200);
    lanes.join();
}

TEST_F(scheduler_test, page_and_api_registrations_and_cancellations_take_the_write_lane) {
    const auto& served = app.app->dispatcher();
    const auto lane_of = [&](std::string method, std::string path) {
        http::request req = post(path);
        req.method = std::move(method);
        const auto m = served.match(req);
        EXPECT_NE(m.found, nullptr) << path;
        return m.found ? std::pair{m.found->lane, m.found->write != nullptr}
                       : std::pair{lane::network, false};
    };
    const auto on_lane = std::pair{lane::writes, true};
    EXPECT_EQ(lane_of("POST", "/v1/events/1/registrations"), on_lane);
    EXPECT_EQ(lane_of("POST", "/evenements/une-rencontre/inscription"), on_lane);
    EXPECT_EQ(lane_of("DELETE", "/v1/registrations/1"), on_lane);
    EXPECT_EQ(lane_of("POST", "/inscriptions/1/annulation"), on_lane);
}

} // namespace
} // namespace rencontres
