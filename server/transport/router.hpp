// Routes are values: each endpoint group adds its own with register_*_routes(router&). A route
// template is a path with `{name}` segments (optionally followed by a literal suffix, as in
// `{year}.csv`); the most literal template wins when several match.
#pragma once

#include "domain/common/durability.hpp"
#include "server/transport/message.hpp"

#include <array>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace rencontres::http {

class context;

// Where a handler runs: on the network thread (no blocking at all), on the database workers,
// on the small pool that hashes passwords (so a burst of logins cannot take every worker), or
// on the single write lane, which runs hot writes back to back without waiting for each one's
// COMMIT: their replies wait for durability elsewhere, so writes arriving during one fsync
// share the next.
// `sign_ups` hash too, but may hold at most half of the hashing queue, so that a flood of
// sign-ups never keeps people from signing in.
// `documents` (PDF drawn from many rows) runs on a pool of its own, at most
// `documents_concurrency` at once server-wide, further ones refused at once (429): a burst of
// badge sheets never takes the database workers.
enum class lane { network, database, hashing, sign_ups, writes, documents };
inline constexpr int documents_concurrency = 2;

class route_params {
public:
    void add(std::string name, std::string value) {
        values_.emplace_back(std::move(name), std::move(value));
    }
    std::string_view get(std::string_view name) const;

private:
    std::vector<std::pair<std::string, std::string>> values_;
};

using handler = std::function<response(const request&, const route_params&, context&)>;

// A write in three parts, so that the single write lane runs the transaction and nothing else:
// the write handler (decode, authenticate, validate: everything that needs no write lock) runs
// before, off the lane; `transact` (one domain operation) runs on the lane; `answer` (map the
// result, encode) runs once what the transaction wrote and read is durable, on the connection's
// thread, or on the database workers when `answer_reads` (a page shown again with the values
// typed). Each part may throw problem_exception or store_unavailable as handlers do.
// `transact` returns the ticket of what the domain operation wrote or read (its result's, value
// or refusal alike): the answer waits for it. A job without `transact` is answered at once (a
// refusal decided before the lane). `failed`, when set, answers a failure of the transaction, or
// a write that never became durable (store_unavailable), instead of the problem it maps to.
struct write_job {
    std::function<durability_ticket()> transact;
    std::function<response(context&)> answer; // with a context of its own, of the same request
    std::function<response(std::exception_ptr)> failed{};
    bool answer_reads = false;

    static write_job answered(response r) {
        return {{}, [r = std::move(r)](context&) { return r; }};
    }
};

// What a write waits for before it is answered.
inline durability_ticket ticket_of(durability_ticket t) {
    return t;
}
template <class T>
requires requires(const T& v) {
    v.durable_after;
}
durability_ticket ticket_of(const T& value) {
    return value.durable_after;
}

// The write job of one domain operation returning a result<T>: `operation()` runs on the lane,
// `reply(result<T>)` or `reply(result<T>, context&)` once its ticket (the value's or the
// refusal's) is durable. The outcome stays inside the job.
template <class Operation, class Reply> write_job durable_write(Operation operation, Reply reply) {
    using outcome = std::invoke_result_t<Operation&>;
    auto kept = std::make_shared<std::optional<outcome>>();
    return {[kept, operation = std::move(operation)]() mutable {
                const auto& done = kept->emplace(operation());
                return done ? ticket_of(*done) : done.error().durable_after;
            },
            [kept, reply = std::move(reply)](context& ctx) {
                if constexpr (std::is_invocable_v<Reply&, outcome&&, context&>)
                    return reply(std::move(**kept), ctx);
                else
                    return reply(std::move(**kept));
            }};
}

using write_handler = std::function<write_job(const request&, const route_params&, context&)>;
// Where the first part of a write runs: on the connection's thread when it needs no database
// (`in_memory`: decoding and validating; a bearer token, when there is one, is checked on the
// database workers), or always on the database workers (`reads_database`).
enum class preparing { in_memory, reads_database };
struct services;
// Tried on the network thread before the handler: answers from memory when it can (a cached
// agenda), or returns nothing to let the handler run on its lane. Must not block or throw.
using fast_path =
    std::function<std::optional<response>(const request&, const route_params&, services&)>;

// Tried on the network thread before the request is queued on its lane: refuses it at once (a
// 429) when the caller is over a limit, so that refused requests cost no queue slot. Gets the
// client's address. Must not block.
using admission =
    std::function<std::optional<response>(const request&, services&, const std::string& client)>;

// One segment of a route template: a literal, or a `{name}` with an optional literal suffix.
struct route_segment {
    std::string literal;
    std::string param;
    std::string suffix;
    bool is_param() const { return !param.empty(); }
};

struct route {
    std::string method;
    std::string pattern;
    handler fn;
    http::lane lane = lane::database;
    fast_path fast{};
    http::admission admit{};
    write_handler write{}; // set for routes of the write lane (add_write)
    preparing prepare = preparing::in_memory;
    std::vector<route_segment> segments{}; // parsed once from `pattern`
};

struct route_match {
    const route* found = nullptr;
    std::size_t index = 0; // of `found` among the router's routes
    route_params params;
    std::vector<std::string_view> allowed; // methods of the path, when the method did not match
};

class router {
public:
    void add(std::string method, std::string pattern, handler fn, lane where = lane::database);
    void add(std::string method, std::string pattern, handler fn, fast_path fast);
    void add(std::string method, std::string pattern, handler fn, lane where, admission admit);
    // A route of the write lane; `fn` runs the three parts in a row where there is no lane
    // (the fuzz targets, a store without group commit).
    void add_write(std::string method, std::string pattern, write_handler write,
                   preparing prepare = preparing::in_memory);
    // HEAD is answered by the GET route of the same path (RFC 9110 §9.3.2).
    route_match find(std::string_view method, std::string_view path) const;
    const std::vector<route>& routes() const { return routes_; }

private:
    void add_route(route r);
    std::vector<route> routes_;
    // The indexes of the routes, by their number of path segments (at most 16), then by their
    // first two segments.
    struct route_group {
        std::string first, second; // "" for a parameter
        std::vector<std::size_t> routes;
    };
    std::array<std::vector<route_group>, 17> by_length_{};
};

} // namespace rencontres::http
