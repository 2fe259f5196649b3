// Sessions, the agenda and its calendar feed (API.md §7).
#include "domain/agenda/ics.hpp"
#include "server/api/agenda_cache.hpp"
#include "server/api/decoders.hpp"
#include "server/api/json_io.hpp"
#include "server/api/representations.hpp"
#include "server/transport/context.hpp"

namespace rencontres::http {
namespace {

// A session is rendered in its event's zone, which the service reads with it.
boost::json::object shown_json(const shown_session& s) {
    return session_json(s, s.timezone);
}

response list_sessions(const request&, const route_params& params, context& ctx) {
    const auto found = unwrap(ctx.app.sessions.list_sessions(ctx.caller(), params.get("id")));
    boost::json::array items;
    for (const auto& s : found.items)
        items.push_back(session_json(s, found.timezone));
    return json_response(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
}

response get_session(const request& req, const route_params& params, context& ctx) {
    const auto sid = path_id(params, "sid");
    const auto found = unwrap(ctx.app.sessions.get_session(ctx.caller(), params.get("id"), sid));
    return resource_response(req, 200, shown_json(found));
}

response create_session(const request& req, const route_params& params, context& ctx) {
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "SessionCreate");
    const auto created = unwrap(
        ctx.app.sessions.create_session(who, params.get("id"), session_fields_of(body), ctx.now));
    auto r = resource_response(req, 201, shown_json(created));
    r.set("Location",
          "/v1/events/" + id_text(created.event_id) + "/sessions/" + id_text(created.id));
    return r;
}

response patch_session(const request& req, const route_params& params, context& ctx) {
    const auto sid = path_id(params, "sid");
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "SessionPatch");
    const auto changed =
        unwrap(ctx.app.sessions.update_session(who, params.get("id"), sid, session_fields_of(body),
                                               if_match<shown_session>(req, shown_json), ctx.now));
    return resource_response(req, 200, shown_json(changed));
}

response delete_session(const request&, const route_params& params, context& ctx) {
    const auto sid = path_id(params, "sid");
    unwrap(ctx.app.sessions.delete_session(ctx.caller(), params.get("id"), sid, ctx.now));
    return no_content();
}

// --- the agenda: rendered once per change, then served from memory ---------------------------

std::shared_ptr<const agenda_rendering> render(context& ctx, const std::string& key) {
    const auto made = ctx.app.agendas.find_or_make(key, ctx.now, [&] {
        const auto a = unwrap(ctx.app.sessions.get_agenda(ctx.caller(), key));
        auto made = std::make_shared<agenda_rendering>();
        made->event_id = a.event.id;
        made->is_public = a.event.status != event_status::draft;
        made->json = boost::json::serialize(agenda_json(a));
        made->json_etag = etag_of(made->json);
        made->ics = agenda_to_ics(a);
        made->ics_etag = etag_of(made->ics);
        return made;
    });
    // A draft's rendering, kept or made for another request, is only for its organizers and
    // admins: check this caller's right again.
    if (!made->is_public) unwrap(ctx.app.events.get_event(ctx.caller(), key));
    return made;
}

// The JSON or iCalendar bytes of a rendering, shared with the cache rather than copied.
response serve(const request& req, const std::shared_ptr<const agenda_rendering>& made, bool ics) {
    const auto& etag = ics ? made->ics_etag : made->json_etag;
    response r;
    r.set("ETag", etag);
    if (ics)
        r.set("Content-Disposition",
              "inline; filename=\"agenda-" + id_text(made->event_id) + ".ics\"");
    if (const auto none_match = req.header_value("If-None-Match");
        none_match && etag_listed(*none_match, etag, true)) {
        r.status = 304;
        return r;
    }
    r.set("Content-Type", ics ? "text/calendar; charset=utf-8" : "application/json; charset=utf-8");
    r.shared_body = std::shared_ptr<const std::string>(made, ics ? &made->ics : &made->json);
    return r;
}

response agenda(const request& req, const route_params& params, context& ctx) {
    return serve(req, render(ctx, std::string(params.get("id"))), false);
}

response agenda_ics(const request& req, const route_params& params, context& ctx) {
    return serve(req, render(ctx, std::string(params.get("id"))), true);
}

// On the network thread: a public event's current rendering, without touching the database.
std::optional<response> cached(const request& req, const route_params& params, services& app,
                               bool ics) {
    if (req.header_value("Authorization")) return std::nullopt; // let the handler check the token
    const auto made = app.agendas.find(std::string(params.get("id")), app.time.now());
    if (!made || !made->is_public) return std::nullopt;
    return serve(req, made, ics);
}

} // namespace

void register_sessions_routes(router& r) {
    r.add("GET", "/v1/events/{id}/sessions", list_sessions);
    r.add("POST", "/v1/events/{id}/sessions", create_session);
    r.add("GET", "/v1/events/{id}/sessions/{sid}", get_session);
    r.add("PATCH", "/v1/events/{id}/sessions/{sid}", patch_session);
    r.add("DELETE", "/v1/events/{id}/sessions/{sid}", delete_session);
    r.add("GET", "/v1/events/{id}/agenda", agenda,
          [](const request& req, const route_params& p, services& app) {
              return cached(req, p, app, false);
          });
    r.add("GET", "/v1/events/{id}/agenda.ics", agenda_ics,
          [](const request& req, const route_params& p, services& app) {
              return cached(req, p, app, true);
          });
}

} // namespace rencontres::http
