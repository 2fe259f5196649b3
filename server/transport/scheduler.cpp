#include "server/transport/scheduler.hpp"

#include "domain/store.hpp"
#include "server/transport/problem.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace rencontres::http {

namespace net = boost::asio;

namespace {

// Hands `res` to `done` on `home`.
void deliver(const net::any_io_executor& home, scheduler::reply done, response res) {
    net::post(home,
              [done = std::move(done), res = std::move(res)]() mutable { done(std::move(res)); });
}

response busy(int status, std::string detail, const std::string& id) {
    auto res = status == 503 ? unavailable(std::move(detail)) : problem(status, std::move(detail));
    if (status == 429) res.set("Retry-After", "5");
    res.set("X-Request-Id", id);
    return res;
}

// A write between its parts: the job, and what its transaction threw.
struct write_state {
    write_job job;
    std::exception_ptr failure;
};

} // namespace

struct scheduler::impl {
    impl(scheduler_settings s, const http::dispatcher& d)
        : settings(std::move(s)), dispatch(d),
          db_pool(static_cast<std::size_t>(std::max(1, settings.database_workers))),
          hash_pool(static_cast<std::size_t>(std::max(1, settings.hash_workers))),
          write_pool(static_cast<std::size_t>(std::max(1, settings.write_lanes))) {}

    scheduler_settings settings;
    const http::dispatcher& dispatch;
    net::thread_pool db_pool;
    net::thread_pool hash_pool;
    net::thread_pool write_pool; // the write lane: one thread per write that can run at once
    net::thread_pool documents_pool{static_cast<std::size_t>(documents_concurrency)};
    std::atomic<int> documents_running{0};
    std::atomic<int> hash_pending{0};
    std::atomic<int> sign_up_pending{0};
    bool joined = false;

    // Runs the route's handler on `pool`, then `after()` there, and answers on `home`.
    template <class After = void (*)()>
    void run_in(
        net::thread_pool& pool, const route_match& matched, const request& req,
        const std::string& id, const std::string& client, net::any_io_executor home, reply done,
        After after = [] {}) {
        net::post(pool, [this, &matched, &req, &id, &client, home = std::move(home),
                         done = std::move(done), after]() mutable {
            auto res = dispatch.run(matched, req, id, client);
            after();
            deliver(home, std::move(done), std::move(res));
        });
    }

    void hashing(bool sign_up, const route_match& matched, const request& req,
                 const std::string& id, const std::string& client, net::any_io_executor home,
                 reply done) {
        // Sign-ups hold at most half of the queue: sign-ins always find room.
        const int sign_up_max = std::max(1, settings.hash_queue_max / 2);
        if (sign_up && sign_up_pending.fetch_add(1) >= sign_up_max) {
            --sign_up_pending;
            deliver(home, std::move(done),
                    busy(503, "Too many sign-ups at once; try again shortly.", id));
            return;
        }
        if (hash_pending.fetch_add(1) >= settings.hash_queue_max) {
            --hash_pending;
            if (sign_up) --sign_up_pending;
            deliver(home, std::move(done),
                    busy(503, "Too many sign-ins at once; try again shortly.", id));
            return;
        }
        run_in(hash_pool, matched, req, id, client, std::move(home), std::move(done),
               [this, sign_up] {
                   --hash_pending;
                   if (sign_up) --sign_up_pending;
               });
    }

    void documents(const route_match& matched, const request& req, const std::string& id,
                   const std::string& client, net::any_io_executor home, reply done) {
        if (documents_running.fetch_add(1) >= documents_concurrency) {
            --documents_running;
            deliver(home, std::move(done),
                    busy(429, "Documents are being drawn already; try again shortly.", id));
            return;
        }
        run_in(documents_pool, matched, req, id, client, std::move(home), std::move(done),
               [this] { --documents_running; });
    }

    // A write: prepared off the lane (on the connection's thread when it needs no database),
    // its transaction alone on the lane, its answer once what it rests on is durable.
    void write(const route_match& matched, const request& req, const std::string& id,
               const std::string& client, net::any_io_executor home, reply done) {
        auto state = std::make_shared<write_state>();
        auto prepare = [this, state, &matched, &req, &id, &client, home,
                        done = std::move(done)]() mutable {
            if (auto refused = dispatch.prepare_write(matched, req, id, client, state->job))
                deliver(home, std::move(done), std::move(*refused));
            else
                transact(std::move(state), req, id, client, std::move(home), std::move(done));
        };
        if (matched.found->prepare == preparing::reads_database ||
            req.header_value("Authorization"))
            net::post(db_pool, std::move(prepare));
        else
            prepare();
    }

    // Only the transaction runs on the lane, with deferred commits: on SQLite's single lane
    // thread, the writes queued behind it join its group. The committer's callback only posts the
    // answer onward: no HTTP work runs on the committer's thread.
    void transact(std::shared_ptr<write_state> state, const request& req, const std::string& id,
                  const std::string& client, net::any_io_executor home, reply done) {
        settings.writes.announce();
        net::post(write_pool, [this, state, &req, &id, &client, home = std::move(home),
                               done = std::move(done)]() mutable {
            const auto ticket = dispatch.transact(state->job, state->failure);
            settings.writes.retract();
            settings.writes.when_durable(ticket, [this, state, &req, &id, &client, home,
                                                  done](bool durable) {
                if (!durable && !state->failure)
                    state->failure = std::make_exception_ptr(
                        store_unavailable("what the write rests on could not be made durable"));
                const auto where =
                    state->job.answer_reads ? net::any_io_executor(db_pool.get_executor()) : home;
                net::post(where, [this, state, &req, &id, &client, home, done]() mutable {
                    auto res = dispatch.answer(state->job, state->failure, req, id, client);
                    if (state->job.answer_reads)
                        deliver(home, std::move(done), std::move(res));
                    else
                        done(std::move(res));
                });
            });
        });
    }
};

scheduler::scheduler(scheduler_settings settings, const http::dispatcher& dispatch)
    : impl_(std::make_unique<impl>(std::move(settings), dispatch)) {}

scheduler::~scheduler() {
    join();
}

std::optional<response> scheduler::answer_now(const route_match& matched, const request& req,
                                              const std::string& id,
                                              const std::string& client) const {
    const auto& s = *impl_;
    if (auto fast = s.dispatch.try_fast(matched, req, id)) return fast;
    if (auto refused = s.dispatch.refuse(matched, req, id, client)) return refused;
    if (!matched.found || matched.found->lane == lane::network)
        return s.dispatch.run(matched, req, id, client);
    return std::nullopt;
}

void scheduler::queue(const route_match& matched, const request& req, const std::string& id,
                      const std::string& client, net::any_io_executor home, reply done) {
    auto& s = *impl_;
    switch (matched.found->lane) {
    case lane::hashing:
    case lane::sign_ups:
        s.hashing(matched.found->lane == lane::sign_ups, matched, req, id, client, std::move(home),
                  std::move(done));
        return;
    case lane::documents:
        s.documents(matched, req, id, client, std::move(home), std::move(done));
        return;
    case lane::writes:
        if (s.settings.writes.complete() && matched.found->write) {
            s.write(matched, req, id, client, std::move(home), std::move(done));
            return;
        }
        break;
    default:
        break;
    }
    s.run_in(s.db_pool, matched, req, id, client, std::move(home), std::move(done));
}

void scheduler::join() {
    auto& s = *impl_;
    if (s.joined) return;
    s.joined = true;
    s.db_pool.join();
    s.hash_pool.join();
    s.write_pool.join();
    s.documents_pool.join();
}

void scheduler::run_on_database(std::function<void()> job) {
    net::post(impl_->db_pool, std::move(job));
}

const http::dispatcher& scheduler::dispatch() const {
    return impl_->dispatch;
}

} // namespace rencontres::http
