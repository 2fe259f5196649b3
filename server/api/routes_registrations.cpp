// Registrations (API.md §8), the organizers' views, the personal calendar feed, and the
// caller's personal data (§10).
#include "domain/agenda/ics.hpp"
#include "domain/common/csv.hpp"
#include "server/api/decoders.hpp"
#include "server/api/json_io.hpp"
#include "server/api/representations.hpp"
#include "server/security/sealer.hpp"
#include "server/transport/context.hpp"

namespace rencontres::http {
namespace {

std::optional<std::string_view> manage_token(const request& req) {
    return req.header_value("X-Registration-Token");
}

std::optional<idempotency> idempotency_of(const request& req) {
    const auto key = req.header_value("Idempotency-Key");
    if (!key) return std::nullopt;
    if (key->empty() || key->size() > 200)
        bad_query("Idempotency-Key must be 1 to 200 characters.");
    for (const char c : *key)
        if (c < 0x21 || c > 0x7E) bad_query("Idempotency-Key must be printable ASCII.");
    return idempotency{std::string(*key), security::sha256_hex(req.body)};
}

stored_reply render_registration(const registration_receipt& receipt) {
    auto out = registration_json(receipt.registration);
    out["manage_token"] = receipt.manage_token;
    out["feed_key"] = receipt.feed_key;
    return stored_reply{201, boost::json::serialize(out)};
}

// Decoded, authenticated and validated off the write lane; only register_participant runs on it.
write_job create_registration(const request& req, const route_params& params, context& ctx) {
    const auto who = ctx.caller();
    const auto key = idempotency_of(req);
    const auto command = registration_command_of(read_body(req, ctx, "RegistrationCreate"));
    // Without an account, one client cannot fill an event nor mail addresses of its choice.
    if (!who.authenticated()) unwrap(ctx.app.accounts.admit_registration(ctx.client, ctx.now));
    auto& registrations = ctx.app.registrations;
    return durable_write(
        [=, &registrations, event = std::string(params.get("id")), now = ctx.now] {
            return registrations.register_participant(who, event, command, key, render_registration,
                                                      now);
        },
        [](result<registration_outcome> outcome) {
            const auto done = unwrap(std::move(outcome));
            const auto reply = done.replay ? *done.replay : render_registration(*done.receipt);
            response r;
            r.status = reply.status;
            r.set("Content-Type", "application/json; charset=utf-8");
            r.set("Cache-Control", "no-store");
            if (done.replay) r.set("Idempotent-Replayed", "true");
            r.body = reply.body;
            if (done.receipt)
                r.set("Location", "/v1/registrations/" + id_text(done.receipt->registration.id));
            return r;
        });
}

response get_registration(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto found =
        unwrap(ctx.app.registrations.get_registration(ctx.caller(), id, manage_token(req)));
    return resource_response(req, 200, registration_json(found));
}

write_job cancel_registration(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto who = ctx.caller();
    std::optional<std::string> token;
    if (const auto given = manage_token(req)) token = std::string(*given);
    // The organizers may say why (optional body).
    std::optional<std::string> reason;
    if (!req.body.empty())
        reason = string_field(read_body(req, ctx, "RegistrationCancel"), "reason");
    auto& registrations = ctx.app.registrations;
    return durable_write(
        [=, &registrations, now = ctx.now] {
            return registrations.cancel_registration(who, id, token, now, reason);
        },
        [](result<durability_ticket> outcome) {
            unwrap(std::move(outcome));
            return no_content();
        });
}

response update_registration(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto patch = registration_patch_of(read_body(req, ctx, "RegistrationPatch"));
    return resource_response(req, 200,
                             registration_json(unwrap(ctx.app.registrations.update_registration(
                                 ctx.caller(), id, manage_token(req), patch, ctx.now))));
}

response questions_response(const request& req, const std::vector<question>& list) {
    boost::json::array items;
    for (const auto& q : list)
        items.push_back(question_json(q));
    return resource_response(req, 200, {{"items", std::move(items)}});
}

response get_questions(const request& req, const route_params& params, context& ctx) {
    return questions_response(
        req, unwrap(ctx.app.registrations.questions(ctx.caller(), params.get("id"))));
}

response put_questions(const request& req, const route_params& params, context& ctx) {
    const auto wanted = questions_of(read_list_body(req, ctx, "QuestionList"));
    return questions_response(req, unwrap(ctx.app.registrations.replace_questions(
                                       ctx.caller(), params.get("id"), wanted, ctx.now)));
}

// "Renvoyer mon lien": the same answer whether or not the address is registered; the per-client
// budget of anonymous registrations bounds how many addresses one client has written to.
response send_link_again(const request& req, const route_params& params, context& ctx) {
    const auto body = read_body(req, ctx, "RegistrationLinkRequest");
    unwrap(ctx.app.accounts.admit_registration(ctx.client, ctx.now));
    unwrap(ctx.app.registrations.send_link_again(ctx.caller(), params.get("id"),
                                                 *string_field(body, "email"), ctx.now));
    return json_response(202, {{"status", "sent_if_registered"}});
}

response send_announcement(const request& req, const route_params& params, context& ctx) {
    const auto command = announcement_command_of(read_body(req, ctx, "AnnouncementCreate"));
    const auto n = unwrap(
        ctx.app.registrations.send_announcement(ctx.caller(), params.get("id"), command, ctx.now));
    return json_response(202, {{"recipients", n}});
}

response list_registrations(const request& req, const route_params& params, context& ctx) {
    std::optional<std::string> status;
    if (const auto s = req.query_value("status")) status = std::string(*s);
    std::optional<std::string> q;
    if (const auto s = req.query_value("q")) q = std::string(*s);
    const auto found = unwrap(ctx.app.registrations.list_registrations(
        ctx.caller(), params.get("id"), status, read_page(req), q));
    boost::json::array items;
    for (const auto& r : found.items)
        items.push_back(registration_json(r));
    return json_response(200, page_json(std::move(items), found.next_after));
}

response registrations_csv(const request& req, const route_params& params, context& ctx) {
    const auto dialect = req.query_value("dialect");
    if (dialect && *dialect != "excel-fr")
        bad_query("dialect must be excel-fr, or absent for RFC 4180 CSV.");
    auto data = unwrap(ctx.app.registrations.export_registrations(ctx.caller(), params.get("id")));
    return dialect ? registrations_excel_csv_response(data) : registrations_csv_response(data);
}

response check_in(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    return resource_response(
        req, 200,
        registration_json(unwrap(ctx.app.registrations.check_in(ctx.caller(), id, ctx.now))));
}

response undo_check_in(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    return resource_response(
        req, 200,
        registration_json(unwrap(ctx.app.registrations.undo_check_in(ctx.caller(), id, ctx.now))));
}

response event_stats(const request&, const route_params& params, context& ctx) {
    const auto s = unwrap(ctx.app.registrations.event_stats(ctx.caller(), params.get("id")));
    boost::json::object out{{"confirmed", s.confirmed},
                            {"waitlisted", s.waitlisted},
                            {"cancelled", s.cancelled},
                            {"checked_in", s.checked_in}};
    if (s.capacity)
        out["capacity"] = *s.capacity;
    else
        out["capacity"] = nullptr;
    boost::json::object answers;
    for (const auto& [code, counts] : s.answers) {
        boost::json::object per_option;
        for (const auto& [option, n] : counts)
            per_option[option] = n;
        answers[code] = std::move(per_option);
    }
    out["answers"] = std::move(answers);
    return json_response(200, out);
}

response calendar(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto key = req.query_value("key").value_or("");
    const auto feed = unwrap(ctx.app.registrations.calendar(id, key));
    response r;
    r.set("Content-Type", "text/calendar; charset=utf-8");
    r.set("Cache-Control", "private, no-cache");
    r.body =
        registration_to_ics(feed.agenda, feed.registration.id,
                            std::max(feed.registration.updated_at, feed.agenda.event.updated_at));
    return with_etag(req, std::move(r));
}

response my_registrations(const request&, const route_params&, context& ctx) {
    const auto rows = unwrap(ctx.app.registrations.my_registrations(ctx.caller()));
    boost::json::array items;
    for (const auto& r : rows)
        items.push_back(registration_json(r));
    return json_response(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
}

response export_me(const request&, const route_params&, context& ctx) {
    const auto data = unwrap(ctx.app.privacy.export_personal_data(ctx.caller()));
    boost::json::array registrations;
    for (const auto& r : data.registrations)
        registrations.push_back(registration_json(r));
    boost::json::array messages;
    for (const auto& m : data.messages)
        messages.push_back(message_json(m));
    auto r = json_response(200, {{"account", account_json(data.holder)},
                                 {"registrations", std::move(registrations)},
                                 {"messages", std::move(messages)}});
    r.set("Cache-Control", "no-store");
    return r;
}

response erase_me(const request&, const route_params&, context& ctx) {
    unwrap(ctx.app.privacy.erase_account(ctx.caller(), ctx.now));
    return no_content();
}

response admin_outbox(const request& req, const route_params&, context& ctx) {
    std::optional<std::string> status;
    if (const auto s = req.query_value("status")) {
        if (!parse_delivery_status(*s)) bad_query("status must be pending, delivered or failed.");
        status = std::string(*s);
    }
    const auto found =
        unwrap(ctx.app.notifications.list_outbox(ctx.caller(), status, read_page(req)));
    boost::json::array items;
    for (const auto& m : found.items)
        items.push_back(message_json(m));
    return json_response(200, page_json(std::move(items), found.next_after));
}

response retry_message(const request&, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    return json_response(
        200, message_json(unwrap(ctx.app.notifications.retry_message(ctx.caller(), id, ctx.now))));
}

} // namespace

void register_registrations_routes(router& r) {
    r.add_write("POST", "/v1/events/{id}/registrations", create_registration);
    r.add("GET", "/v1/events/{id}/registrations", list_registrations);
    r.add("GET", "/v1/events/{id}/registrations.csv", registrations_csv);
    r.add("GET", "/v1/events/{id}/stats", event_stats);
    r.add("GET", "/v1/events/{id}/questions", get_questions);
    r.add("POST", "/v1/events/{id}/announcements", send_announcement);
    r.add("POST", "/v1/events/{id}/registrations/link", send_link_again);
    r.add("PUT", "/v1/events/{id}/questions", put_questions);
    r.add("GET", "/v1/registrations/{id}", get_registration);
    r.add("PATCH", "/v1/registrations/{id}", update_registration);
    r.add_write("DELETE", "/v1/registrations/{id}", cancel_registration);
    r.add("POST", "/v1/registrations/{id}/check-in", check_in);
    r.add("DELETE", "/v1/registrations/{id}/check-in", undo_check_in);
    r.add("GET", "/v1/registrations/{id}/calendar.ics", calendar);
    r.add("GET", "/v1/me/registrations", my_registrations);
    r.add("GET", "/v1/me/export", export_me);
    r.add("DELETE", "/v1/me", erase_me);
    r.add("GET", "/v1/admin/outbox", admin_outbox);
    r.add("POST", "/v1/admin/outbox/{id}/retry", retry_message);
}

} // namespace rencontres::http
