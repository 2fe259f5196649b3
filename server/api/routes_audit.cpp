// The audit trail (API.md §10), admin only.
#include "server/api/json_io.hpp"
#include "server/transport/context.hpp"

namespace rencontres::http {
namespace {

boost::json::object entry_json(const audit_entry& e) {
    boost::json::object out{{"id", id_text(e.id)},    {"action", e.action},
                            {"entity", e.entity},     {"entity_id", e.entity_id},
                            {"at", format_utc(e.at)}, {"summary", e.summary}};
    if (e.actor_id)
        out["actor_id"] = id_text(*e.actor_id);
    else
        out["actor_id"] = nullptr;
    return out;
}

response list_audit(const request& req, const route_params&, context& ctx) {
    const auto& who = ctx.caller();
    audit_filter filter;
    if (const auto entity = req.query_value("entity")) filter.entity = std::string(*entity);
    filter.actor_id = query_id(req, "actor");
    const auto found = unwrap(ctx.app.audit.list(who, filter, read_page(req)));
    boost::json::array items;
    for (const auto& e : found.items)
        items.push_back(entry_json(e));
    return json_response(200, page_json(std::move(items), found.next_after));
}

} // namespace

void register_audit_routes(router& r) {
    r.add("GET", "/v1/audit", list_audit);
}

} // namespace rencontres::http
