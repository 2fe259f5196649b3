// From a complete request to a response: routing, 404/405, calling the handler, and turning
// exceptions into problems. No network types here: the server, the tests and the fuzz targets
// all go through this one function.
#pragma once

#include "server/transport/context.hpp"
#include "server/transport/router.hpp"

#include <exception>
#include <functional>
#include <string>

namespace rencontres::http {

class dispatcher {
public:
    // `not_found_page`: what a browser asking for HTML outside /v1/ gets for a path without a
    // route (the site's page); API clients get problem+json.
    using page_maker = response (*)();
    dispatcher(const router& routes, services& app, page_maker not_found_page)
        : routes_(routes), app_(app), not_found_page_(not_found_page) {}

    route_match match(const request& req) const { return routes_.find(req.method, req.path); }
    // The route's fast path, when it has one and it can answer.
    std::optional<response> try_fast(const route_match& matched, const request& req,
                                     const std::string& request_id) const;
    // The route's admission check, when it has one and it refuses the request.
    std::optional<response> refuse(const route_match& matched, const request& req,
                                   const std::string& request_id, const std::string& client) const;
    // The first part of a write-lane route: a job for the lane, or the response (a refusal).
    // Never throws.
    std::optional<response> prepare_write(const route_match& matched, const request& req,
                                          const std::string& request_id, const std::string& client,
                                          write_job& job) const;
    // The lane's part; returns the ticket to await; a failure is kept for answer(). Never
    // throws.
    durability_ticket transact(write_job& job, std::exception_ptr& failure) const noexcept;
    // The last part, once durable: the response, or what the failure maps to (the job's
    // `failed`, else a problem).
    response answer(write_job& job, std::exception_ptr failure, const request& req,
                    const std::string& request_id, const std::string& client) const;
    // Runs the matched handler (or answers 404/405); never throws.
    response run(const route_match& matched, const request& req, const std::string& request_id,
                 const std::string& client) const;

    services& app() const { return app_; }
    const router& routes() const { return routes_; }

private:
    // Calls `produce`, mapping what it throws to problems as every handler's failures are; a
    // store_conflict runs it again (retrying_conflicts) unless `retry` is false (an answer that
    // only reports a failure).
    response guarded(const std::string& request_id, const std::function<response()>& produce,
                     bool retry = true) const;

    const router& routes_;
    services& app_;
    page_maker not_found_page_;
};

} // namespace rencontres::http
