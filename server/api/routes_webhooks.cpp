// Webhooks (API.md §12): an organizer's or admin's subscriptions to the changes of their events,
// and what became of each delivery.
#include "server/api/json_io.hpp"
#include "server/api/representations.hpp"
#include "server/transport/context.hpp"
#include "server/transport/router.hpp"

namespace rencontres::http {
namespace {

webhook_fields webhook_fields_of(const boost::json::object& body) {
    webhook_fields f;
    f.url = string_field(body, "url");
    f.events = string_array_field(body, "events");
    f.event_id = string_field(body, "event_id");
    f.status = string_field(body, "status");
    return f;
}

response create_webhook(const request& req, const route_params&, context& ctx) {
    const auto fields = webhook_fields_of(read_body(req, ctx, "WebhookCreate"));
    const auto made = unwrap(ctx.app.webhooks.create_webhook(ctx.caller(), fields, ctx.now));
    auto out = webhook_json(made.webhook);
    out["secret"] = made.secret; // shown this once
    auto r = json_response(201, out);
    r.set("Cache-Control", "no-store");
    r.set("Location", "/v1/webhooks/" + id_text(made.webhook.id));
    return r;
}

response list_webhooks(const request&, const route_params&, context& ctx) {
    boost::json::array items;
    for (const auto& w : unwrap(ctx.app.webhooks.list_webhooks(ctx.caller())))
        items.push_back(webhook_json(w));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

response event_webhooks(const request&, const route_params& params, context& ctx) {
    boost::json::array items;
    for (const auto& w :
         unwrap(ctx.app.webhooks.event_webhooks(ctx.caller(), std::string(params.get("id")))))
        items.push_back(webhook_json(w));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

response get_webhook(const request&, const route_params& params, context& ctx) {
    return json_response(
        200,
        webhook_json(unwrap(ctx.app.webhooks.get_webhook(ctx.caller(), path_id(params, "id")))));
}

response patch_webhook(const request& req, const route_params& params, context& ctx) {
    const auto fields = webhook_fields_of(read_body(req, ctx, "WebhookPatch"));
    return json_response(200, webhook_json(unwrap(ctx.app.webhooks.update_webhook(
                                  ctx.caller(), path_id(params, "id"), fields, ctx.now))));
}

response delete_webhook(const request&, const route_params& params, context& ctx) {
    unwrap(ctx.app.webhooks.delete_webhook(ctx.caller(), path_id(params, "id"), ctx.now));
    return no_content();
}

response list_deliveries(const request& req, const route_params& params, context& ctx) {
    const auto found = unwrap(
        ctx.app.webhooks.list_deliveries(ctx.caller(), path_id(params, "id"), read_page(req)));
    boost::json::array items;
    for (const auto& d : found.items)
        items.push_back(delivery_json(d));
    return json_response(200, page_json(std::move(items), found.next_after));
}

} // namespace

std::string webhook_payload(webhook_service& webhooks, std::string_view type, id_t subject,
                            instant now) {
    boost::json::value data = boost::json::object{{"id", id_text(subject)}};
    if (type.rfind("registration.", 0) == 0) {
        if (const auto r = webhooks.registration_of(subject)) data = registration_json(*r);
    } else if (type.rfind("event.", 0) == 0) {
        if (const auto e = webhooks.event_of(subject)) data = event_json(*e);
    } else if (const auto a = webhooks.award_of(subject)) {
        data = award_json(*a);
    }
    return boost::json::serialize(
        boost::json::object{{"type", type}, {"timestamp", format_utc(now)}, {"data", data}});
}

void register_webhooks_routes(router& r) {
    r.add("POST", "/v1/webhooks", create_webhook);
    r.add("GET", "/v1/webhooks", list_webhooks);
    r.add("GET", "/v1/webhooks/{id}", get_webhook);
    r.add("PATCH", "/v1/webhooks/{id}", patch_webhook);
    r.add("DELETE", "/v1/webhooks/{id}", delete_webhook);
    r.add("GET", "/v1/webhooks/{id}/deliveries", list_deliveries);
    r.add("GET", "/v1/events/{id}/webhooks", event_webhooks);
}

} // namespace rencontres::http
