// Territories (API.md §4).
#include "server/api/decoders.hpp"
#include "server/api/json_io.hpp"
#include "server/transport/context.hpp"

namespace rencontres::http {
namespace {

boost::json::object territory_json(const territory& t) {
    boost::json::object out{{"id", id_text(t.id)},
                            {"name", t.name},
                            {"kind", to_string(t.kind)},
                            {"siren", t.siren},
                            {"region", t.region}};
    if (t.department) out["department"] = *t.department;
    return out;
}

response list_territories(const request& req, const route_params&, context& ctx) {
    territory_filter filter;
    if (const auto q = req.query_value("q")) filter.q = std::string(*q);
    if (const auto region = req.query_value("region")) filter.region = std::string(*region);
    const auto found = unwrap(ctx.app.territories.list_territories(filter, read_page(req)));
    boost::json::array items;
    for (const auto& t : found.items)
        items.push_back(territory_json(t));
    return json_response(200, page_json(std::move(items), found.next_after));
}

response get_territory(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    return resource_response(req, 200,
                             territory_json(unwrap(ctx.app.territories.get_territory(id))));
}

response create_territory(const request& req, const route_params&, context& ctx) {
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "TerritoryCreate");
    const auto created =
        unwrap(ctx.app.territories.create_territory(who, territory_fields_of(body), ctx.now));
    auto r = resource_response(req, 201, territory_json(created));
    r.set("Location", "/v1/territories/" + id_text(created.id));
    return r;
}

response patch_territory(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "TerritoryPatch");
    const auto changed = unwrap(ctx.app.territories.update_territory(
        who, id, territory_fields_of(body), if_match<territory>(req, territory_json), ctx.now));
    return resource_response(req, 200, territory_json(changed));
}

} // namespace

void register_territories_routes(router& r) {
    r.add("GET", "/v1/territories", list_territories);
    r.add("GET", "/v1/territories/{id}", get_territory);
    r.add("POST", "/v1/territories", create_territory);
    r.add("PATCH", "/v1/territories/{id}", patch_territory);
}

} // namespace rencontres::http
