// Speakers (API.md §6): shared across events; email for organizers and admins only.
#include "server/api/decoders.hpp"
#include "server/api/json_io.hpp"
#include "server/api/representations.hpp"
#include "server/transport/context.hpp"

namespace rencontres::http {
namespace {

bool sees_emails(context& ctx) {
    return require(ctx.caller(), capability::see_speaker_emails).ok();
}

response list_speakers(const request& req, const route_params&, context& ctx) {
    std::optional<std::string> q;
    if (const auto text = req.query_value("q")) q = std::string(*text);
    const auto found = unwrap(ctx.app.speakers.list_speakers(q, read_page(req)));
    const bool emails = sees_emails(ctx);
    boost::json::array items;
    for (const auto& s : found.items)
        items.push_back(speaker_json(s, emails));
    return json_response(200, page_json(std::move(items), found.next_after));
}

response get_speaker(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto profile = unwrap(ctx.app.speakers.get_speaker(id));
    auto out = speaker_json(profile.speaker, sees_emails(ctx));
    boost::json::array sessions;
    for (const auto& s : profile.published_sessions) {
        const auto* owner = profile.event_of(s);
        auto item = session_json(s, owner ? owner->timezone : std::string(default_zone));
        if (owner)
            item["event"] = {
                {"id", id_text(owner->id)}, {"slug", owner->slug}, {"title", owner->title}};
        sessions.push_back(std::move(item));
    }
    out["sessions"] = std::move(sessions);
    return resource_response(req, 200, out);
}

response create_speaker(const request& req, const route_params&, context& ctx) {
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "SpeakerCreate");
    const auto created =
        unwrap(ctx.app.speakers.create_speaker(who, speaker_fields_of(body), ctx.now));
    auto r = resource_response(req, 201, speaker_json(created, true));
    r.set("Location", "/v1/speakers/" + id_text(created.id));
    return r;
}

response patch_speaker(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "SpeakerPatch");
    const auto render = [](const speaker& s) { return speaker_json(s, true); };
    const auto changed = unwrap(ctx.app.speakers.update_speaker(
        who, id, speaker_fields_of(body), if_match<speaker>(req, render), ctx.now));
    return resource_response(req, 200, speaker_json(changed, true));
}

response delete_speaker(const request&, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    unwrap(ctx.app.speakers.delete_speaker(ctx.caller(), id, ctx.now));
    return no_content();
}

} // namespace

void register_speakers_routes(router& r) {
    r.add("GET", "/v1/speakers", list_speakers);
    r.add("POST", "/v1/speakers", create_speaker);
    r.add("GET", "/v1/speakers/{id}", get_speaker);
    r.add("PATCH", "/v1/speakers/{id}", patch_speaker);
    r.add("DELETE", "/v1/speakers/{id}", delete_speaker);
}

} // namespace rencontres::http
