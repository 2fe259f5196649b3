// Questions from the floor and polls, and the session's live stream (API.md §14).
#include "server/api/floor.hpp"
#include "server/api/json_io.hpp"
#include "server/transport/context.hpp"
#include "server/transport/router.hpp"

#include <charconv>

namespace rencontres::http {
namespace {

response list_page(boost::json::array items, std::optional<int> next) {
    boost::json::object out{{"items", std::move(items)}, {"next_cursor", nullptr}};
    if (next) out["next_cursor"] = std::to_string(*next);
    return json_response(200, out);
}

response post_question(const request& req, const route_params& params, context& ctx) {
    const auto session_id = path_id(params, "id");
    const auto body = read_body(req, ctx, "FloorQuestionCreate");
    unwrap(ctx.app.floor.admit_question(ctx.client, ctx.now));
    const auto made = unwrap(ctx.app.floor.post_question(
        ctx.caller(), session_id, {string_field(body, "text"), string_field(body, "author_name")},
        ctx.now));
    auto r = json_response(201, floor_question_json(made));
    r.set("Location", "/v1/floor-questions/" + id_text(made.id));
    return r;
}

response list_questions(const request& req, const route_params& params, context& ctx) {
    const auto session_id = path_id(params, "id");
    const auto page = read_page(req);
    const auto status = req.query_value("status").value_or("");
    const auto found = unwrap(ctx.app.floor.list_questions(
        ctx.caller(), session_id, status, static_cast<int>(page.after.value_or(0)), page.limit));
    boost::json::array items;
    for (const auto& q : found.items)
        items.push_back(floor_question_json(q));
    return list_page(std::move(items), found.next_offset);
}

// Votes and answers come by the thousand in a plenary: checked off the write lane, run on it
// beside the other hot writes, answered once durable.
write_job vote(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    unwrap(ctx.app.floor.admit_vote(ctx.client, ctx.now));
    auto& floor = ctx.app.floor;
    return durable_write([&floor, who = ctx.caller(), id,
                          by = voter_of(req, ctx)] { return floor.vote(who, id, by); },
                         [](result<voted_question> outcome) {
                             return json_response(
                                 200, floor_question_json(unwrap(std::move(outcome)).question));
                         });
}

response moderate(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto body = read_body(req, ctx, "FloorQuestionPatch");
    const auto q = unwrap(ctx.app.floor.moderate(
        ctx.caller(), id, string_field(body, "status").value_or(""), ctx.now));
    return json_response(200, floor_question_json(q));
}

response create_poll(const request& req, const route_params& params, context& ctx) {
    const auto session_id = path_id(params, "id");
    const auto body = read_body(req, ctx, "PollCreate");
    poll_fields fields;
    fields.question = string_field(body, "question");
    fields.options = string_array_field(body, "options");
    if (const auto* multiple = body.if_contains("multiple"); multiple && multiple->is_bool())
        fields.multiple = multiple->as_bool();
    const auto made = unwrap(ctx.app.floor.create_poll(ctx.caller(), session_id, fields, ctx.now));
    auto r = json_response(201, poll_json({made, true, false}));
    r.set("Location", "/v1/polls/" + id_text(made.id));
    return r;
}

response list_polls(const request& req, const route_params& params, context& ctx) {
    const auto session_id = path_id(params, "id");
    boost::json::array items;
    for (const auto& p :
         unwrap(ctx.app.floor.list_polls(ctx.caller(), session_id, voter_of(req, ctx))))
        items.push_back(poll_json(p));
    return json_response(200, boost::json::object{{"items", std::move(items)}});
}

response get_poll(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    return json_response(
        200, poll_json(unwrap(ctx.app.floor.get_poll(ctx.caller(), id, voter_of(req, ctx)))));
}

response open_poll(const request&, const route_params& params, context& ctx) {
    const auto p = unwrap(ctx.app.floor.open_poll(ctx.caller(), path_id(params, "id"), ctx.now));
    return json_response(200, poll_json({p, true, false}));
}

response close_poll(const request&, const route_params& params, context& ctx) {
    const auto p = unwrap(ctx.app.floor.close_poll(ctx.caller(), path_id(params, "id"), ctx.now));
    return json_response(200, poll_json({p, true, false}));
}

write_job answer_poll(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto body = read_body(req, ctx, "PollAnswer");
    unwrap(ctx.app.floor.admit_vote(ctx.client, ctx.now));
    auto& floor = ctx.app.floor;
    return durable_write(
        [&floor, who = ctx.caller(), id, by = voter_of(req, ctx),
         chosen = string_array_field(body, "option_ids").value_or(std::vector<std::string>{})] {
            return floor.answer_poll(who, id, by, chosen);
        },
        [](result<answered_poll> outcome) {
            return json_response(200, poll_json(unwrap(std::move(outcome)).poll));
        });
}

// The id a listener resumes after: its Last-Event-ID (or `after`, for a page that knows where
// its content stands), never beyond the session's latest.
std::int64_t resume_point(const request& req, std::int64_t latest) {
    auto given = req.header_value("Last-Event-ID");
    if (!given) given = req.query_value("after");
    if (!given) return latest;
    std::int64_t value = -1;
    const auto* end = given->data() + given->size();
    const auto parsed = std::from_chars(given->data(), end, value);
    if (parsed.ec != std::errc{} || parsed.ptr != end || value < 0) return latest;
    return std::min(value, latest);
}

response stream(const request& req, const route_params& params, context& ctx) {
    const auto session_id = path_id(params, "id");
    const auto latest = unwrap(ctx.app.floor.stream_start(ctx.caller(), session_id));
    response r;
    r.set("Content-Type", "text/event-stream; charset=utf-8");
    r.set("Cache-Control", "no-store");
    r.set("X-Accel-Buffering", "no"); // nginx passes each event on at once
    r.live = live_subscription{static_cast<std::uint64_t>(session_id), resume_point(req, latest)};
    return r;
}

} // namespace

void register_floor_routes(router& r) {
    r.add("POST", "/v1/sessions/{id}/floor-questions", post_question);
    r.add("GET", "/v1/sessions/{id}/floor-questions", list_questions);
    r.add_write("POST", "/v1/floor-questions/{id}/vote", vote);
    r.add("PATCH", "/v1/floor-questions/{id}", moderate);
    r.add("POST", "/v1/sessions/{id}/polls", create_poll);
    r.add("GET", "/v1/sessions/{id}/polls", list_polls);
    r.add("GET", "/v1/polls/{id}", get_poll);
    r.add("POST", "/v1/polls/{id}/open", open_poll);
    r.add("POST", "/v1/polls/{id}/close", close_poll);
    r.add_write("POST", "/v1/polls/{id}/answers", answer_poll);
    r.add("GET", "/v1/sessions/{id}/stream", stream);
}

} // namespace rencontres::http
