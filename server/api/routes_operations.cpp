// /healthz, /readyz, /metrics and /openapi.json.
#include "domain/store.hpp"
#include "server/api/json_io.hpp"
#include "server/api/openapi.hpp"
#include "server/api/settings.hpp"
#include "server/transport/context.hpp"
#include "server/transport/metrics.hpp"
#include "server/transport/problem.hpp"

#include <sodium.h>

namespace rencontres::http {
namespace {

response healthz(const request&, const route_params&, context&) {
    return json_response(200, {{"status", "ok"}});
}

response readyz(const request&, const route_params&, context& ctx) {
    if (!ctx.app.db.ready()) {
        return unavailable("The database cannot be reached.");
    }
    if (!ctx.app.db.writable()) {
        return unavailable("The database is read-only: reads are served, writes are refused.", 10);
    }
    return json_response(200, {{"status", "ready"}});
}

// With metrics.token set, a scrape must present it as a bearer token (compared in constant time).
bool may_scrape(const request& req, const std::string& token) {
    if (token.empty()) return true;
    const auto header = req.header_value("Authorization");
    constexpr std::string_view scheme = "Bearer ";
    if (!header || header->size() != scheme.size() + token.size() ||
        !iequals(header->substr(0, scheme.size()), scheme))
        return false;
    return sodium_memcmp(header->data() + scheme.size(), token.data(), token.size()) == 0;
}

response metrics_text(const request& req, const route_params&, context& ctx) {
    if (!may_scrape(req, ctx.app.api_config.metrics_token))
        throw problem_exception(
            problem(401, "Metrics need Authorization: Bearer <metrics.token>."));
    response r;
    r.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.body = ctx.app.stats.render() + ctx.app.storage_metrics();
    return r;
}

response openapi_json(const request& req, const route_params&, context& ctx) {
    response r;
    r.set("Content-Type", "application/json; charset=utf-8");
    r.body = ctx.app.api.json_text();
    return with_etag(req, std::move(r));
}

} // namespace

void register_operations_routes(router& r) {
    r.add("GET", "/healthz", healthz, lane::network);
    r.add("GET", "/readyz", readyz, lane::database);
    r.add("GET", "/metrics", metrics_text, lane::database);
    r.add("GET", "/openapi.json", openapi_json, lane::network);
}

} // namespace rencontres::http
