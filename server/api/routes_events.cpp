// Events (API.md §5).
#include "domain/common/zone.hpp"
#include "server/api/decoders.hpp"
#include "server/api/json_io.hpp"
#include "server/api/representations.hpp"
#include "server/transport/context.hpp"

#include <charconv>

namespace rencontres::http {
namespace {

// `from` and `to` are instants, or dates taken in Europe/Paris (from: the day's start; to: its
// end).
std::optional<instant> read_bound(const request& req, std::string_view name, bool end_of_day) {
    const auto text = req.query_value(name);
    if (!text) return std::nullopt;
    if (auto at = parse_instant(*text)) return at;
    if (auto day = start_of_local_date(*text, default_zone)) {
        if (!end_of_day) return day;
        const auto next = start_of_local_date(
            local_date(*day + std::chrono::hours{36}, default_zone), default_zone);
        return *next - std::chrono::seconds{1};
    }
    bad_query(std::string(name) + " must be a date (YYYY-MM-DD) or an RFC 3339 instant.");
}

std::optional<event_cursor> read_cursor(const request& req) {
    const auto text = req.query_value("cursor");
    if (!text) return std::nullopt;
    auto cursor = parse_event_cursor(*text);
    if (!cursor) bad_query("cursor is not one this server gave.");
    return cursor;
}

response list_events(const request& req, const route_params&, context& ctx) {
    event_filter filter;
    filter.from = read_bound(req, "from", false);
    filter.to = read_bound(req, "to", true);
    filter.territory = query_id(req, "territory");
    if (const auto q = req.query_value("q")) filter.q = std::string(*q);
    if (const auto status = req.query_value("status")) {
        filter.status = parse_event_status(*status);
        if (!filter.status) bad_query("status must be draft, published or cancelled.");
    }
    filter.limit = read_limit(req);
    filter.after = read_cursor(req);
    const auto found = unwrap(ctx.app.events.list_events(ctx.caller(), filter));
    boost::json::array items;
    for (const auto& e : found.items)
        items.push_back(event_json(e));
    boost::json::object out{{"items", std::move(items)}};
    if (found.next)
        out["next_cursor"] = event_cursor_text(*found.next);
    else
        out["next_cursor"] = nullptr;
    return json_response(200, out);
}

// If-Match holds the tag of the representation the client read: the public one, or the one its
// organizers see (with the contact address). Either matches the event as it is.
precondition<event> event_if_match(const request& req) {
    const auto header = req.header_value("If-Match");
    if (!header) return {};
    return [expected = std::string(*header)](const event& current) {
        return etag_listed(expected, etag_of(boost::json::serialize(event_json(current))), false) ||
               etag_listed(expected,
                           etag_of(boost::json::serialize(organizers_event_json(current))), false);
    };
}

response create_event(const request& req, const route_params&, context& ctx) {
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "EventCreate");
    const auto created = unwrap(ctx.app.events.create_event(who, event_fields_of(body), ctx.now));
    auto r = resource_response(req, 201, organizers_event_json(created));
    r.set("Location", "/v1/events/" + id_text(created.id));
    return r;
}

response get_event(const request& req, const route_params& params, context& ctx) {
    const auto found = unwrap(ctx.app.events.get_event(ctx.caller(), params.get("id")));
    return resource_response(req, 200,
                             found.managed_by(ctx.caller()) ? organizers_event_json(found)
                                                            : event_json(found));
}

response patch_event(const request& req, const route_params& params, context& ctx) {
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "EventPatch");
    const auto changed = unwrap(ctx.app.events.update_event(
        who, params.get("id"), event_fields_of(body), event_if_match(req), ctx.now));
    return resource_response(req, 200, organizers_event_json(changed));
}

response publish_event(const request& req, const route_params& params, context& ctx) {
    return resource_response(req, 200,
                             organizers_event_json(unwrap(ctx.app.events.publish_event(
                                 ctx.caller(), params.get("id"), ctx.now))));
}

response cancel_event(const request& req, const route_params& params, context& ctx) {
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "EventCancel");
    return resource_response(req, 200,
                             organizers_event_json(unwrap(ctx.app.events.cancel_event(
                                 who, params.get("id"), *string_field(body, "reason"), ctx.now))));
}

response delete_event(const request&, const route_params& params, context& ctx) {
    unwrap(ctx.app.events.delete_event(ctx.caller(), params.get("id"), ctx.now));
    return no_content();
}

response put_organizer(const request& req, const route_params& params, context& ctx) {
    const auto account = path_id(params, "account_id");
    return resource_response(req, 200,
                             organizers_event_json(unwrap(ctx.app.events.add_organizer(
                                 ctx.caller(), params.get("id"), account, ctx.now))));
}

response delete_organizer(const request& req, const route_params& params, context& ctx) {
    const auto account = path_id(params, "account_id");
    return resource_response(req, 200,
                             organizers_event_json(unwrap(ctx.app.events.remove_organizer(
                                 ctx.caller(), params.get("id"), account, ctx.now))));
}

} // namespace

void register_events_routes(router& r) {
    r.add("GET", "/v1/events", list_events);
    r.add("POST", "/v1/events", create_event);
    r.add("GET", "/v1/events/{id}", get_event);
    r.add("PATCH", "/v1/events/{id}", patch_event);
    r.add("DELETE", "/v1/events/{id}", delete_event);
    r.add("POST", "/v1/events/{id}/publish", publish_event);
    r.add("POST", "/v1/events/{id}/cancel", cancel_event);
    r.add("PUT", "/v1/events/{id}/organizers/{account_id}", put_organizer);
    r.add("DELETE", "/v1/events/{id}/organizers/{account_id}", delete_organizer);
}

} // namespace rencontres::http
