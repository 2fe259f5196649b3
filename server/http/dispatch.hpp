// From a complete request to a response: routing, 404/405, calling the handler, and turning
// exceptions into problems. No network types here: the server, the tests and the fuzz targets
// all go through this one function.
#pragma once

#include "server/http/context.hpp"
#include "server/http/router.hpp"

#include <string>

namespace rencontres::http {

class dispatcher {
public:
    dispatcher(const router& routes, services& app) : routes_(routes), app_(app) {}

    route_match match(const request& req) const { return routes_.find(req.method, req.path); }
    // The route's fast path, when it has one and it can answer.
    std::optional<response> try_fast(const route_match& matched, const request& req,
                                     const std::string& request_id) const;
    // The route's admission check, when it has one and it refuses the request.
    std::optional<response> refuse(const route_match& matched, const request& req,
                                   const std::string& request_id, const std::string& client) const;
    // Runs the matched handler (or answers 404/405); never throws.
    response run(const route_match& matched, const request& req, const std::string& request_id,
                 const std::string& client) const;

    services& app() const { return app_; }
    const router& routes() const { return routes_; }

private:
    const router& routes_;
    services& app_;
};

} // namespace rencontres::http
