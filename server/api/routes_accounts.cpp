// Accounts and tokens (API.md §3).
#include "domain/common/time.hpp"
#include "server/api/json_io.hpp"
#include "server/api/representations.hpp"
#include "server/transport/context.hpp"
#include "server/transport/problem.hpp"

namespace rencontres::http {
namespace {

response create_account(const request& req, const route_params&, context& ctx) {
    const auto body = read_body(req, ctx, "AccountCreate");
    const sign_up_command command{*string_field(body, "email"), *string_field(body, "password"),
                                  *string_field(body, "display_name")};
    const auto created = unwrap(ctx.app.accounts.sign_up(command, ctx.now));
    auto r = json_response(201, account_json(created));
    r.set("Location", "/v1/accounts/" + id_text(created.id));
    return r;
}

response verify_account(const request& req, const route_params&, context& ctx) {
    const auto body = read_body(req, ctx, "AccountVerification");
    const auto verified =
        unwrap(ctx.app.accounts.verify_email(*string_field(body, "token"), ctx.now));
    auto r = json_response(200, account_json(verified));
    r.set("Cache-Control", "no-store");
    return r;
}

response resend_verification(const request&, const route_params&, context& ctx) {
    unwrap(ctx.app.accounts.resend_verification(ctx.caller(), ctx.now));
    return json_response(202, {{"status", "queued"}});
}

response issue_token(const request& req, const route_params&, context& ctx) {
    const auto body = read_body(req, ctx, "TokenRequest");
    const credentials given{*string_field(body, "email"), *string_field(body, "password"),
                            ctx.client};
    const auto issued = unwrap(ctx.app.accounts.issue_token(given, ctx.now));
    auto r = json_response(200, {{"token", issued.token},
                                 {"expires_at", format_utc(issued.expires_at)},
                                 {"account", account_json(issued.holder)}});
    r.set("Cache-Control", "no-store");
    return r;
}

response revoke_token(const request& req, const route_params&, context& ctx) {
    if (!ctx.caller().authenticated()) throw problem_exception(problem_from(unauthenticated()));
    const auto header = *req.header_value("Authorization");
    unwrap(ctx.app.accounts.revoke_token(header.substr(std::string_view("Bearer ").size())));
    return no_content();
}

response me(const request& req, const route_params&, context& ctx) {
    return resource_response(req, 200, account_json(unwrap(ctx.app.accounts.me(ctx.caller()))));
}

response list_accounts(const request& req, const route_params&, context& ctx) {
    std::optional<std::string> q;
    if (const auto given = req.query_value("q")) q = std::string(*given);
    const auto found = unwrap(ctx.app.accounts.list(ctx.caller(), read_page(req), q));
    boost::json::array items;
    for (const auto& a : found.items)
        items.push_back(account_json(a));
    return json_response(200, page_json(std::move(items), found.next_after));
}

response get_account(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    return resource_response(req, 200,
                             account_json(unwrap(ctx.app.accounts.get(ctx.caller(), id))));
}

response patch_account(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto who = ctx.caller();
    const auto body = read_body(req, ctx, "AccountPatch");
    const account_patch patch{string_field(body, "role"), string_field(body, "display_name")};
    const auto changed = unwrap(
        ctx.app.accounts.update(who, id, patch, if_match<account>(req, account_json), ctx.now));
    return resource_response(req, 200, account_json(changed));
}

boost::json::object invitation_json(const invitation& i, instant now) {
    boost::json::object out{{"id", id_text(i.id)},
                            {"email", i.email},
                            {"display_name", i.display_name},
                            {"role", to_string(i.role)},
                            {"created_at", format_utc(i.created_at)},
                            {"expires_at", format_utc(i.expires_at)},
                            {"status", i.expires_at > now ? "pending" : "expired"}};
    out["event_id"] = i.event_id ? boost::json::value(id_text(*i.event_id)) : nullptr;
    out["invited_by"] = i.invited_by ? boost::json::value(id_text(*i.invited_by)) : nullptr;
    return out;
}

response invite(const request& req, const route_params&, context& ctx) {
    const auto body = read_body(req, ctx, "InvitationCreate");
    invitation_command command{*string_field(body, "email"), *string_field(body, "display_name"),
                               *string_field(body, "role"), std::nullopt};
    if (const auto* event = body.if_contains("event_id")) {
        // An id that cannot be one names no event: id 0, which the domain reports as unknown.
        if (event->is_string())
            command.event_id = parse_id(event->as_string()).value_or(0);
        else
            command.event_id = event->as_int64() > 0 ? static_cast<id_t>(event->as_int64()) : 0;
    }
    const auto sent = unwrap(ctx.app.invitations.invite(ctx.caller(), command, ctx.now));
    auto r = json_response(201, invitation_json(sent, ctx.now));
    r.set("Location", "/v1/accounts/invitations/" + id_text(sent.id));
    return r;
}

response list_invitations(const request& req, const route_params&, context& ctx) {
    const auto found = unwrap(ctx.app.invitations.list(ctx.caller(), read_page(req)));
    boost::json::array items;
    for (const auto& i : found.items)
        items.push_back(invitation_json(i, ctx.now));
    return json_response(200, page_json(std::move(items), found.next_after));
}

response resend_invitation(const request&, const route_params& params, context& ctx) {
    const auto renewed =
        unwrap(ctx.app.invitations.resend(ctx.caller(), path_id(params, "id"), ctx.now));
    return json_response(200, invitation_json(renewed, ctx.now));
}

response withdraw_invitation(const request&, const route_params& params, context& ctx) {
    unwrap(ctx.app.invitations.withdraw(ctx.caller(), path_id(params, "id"), ctx.now));
    return no_content();
}

response accept_invitation(const request& req, const route_params&, context& ctx) {
    const auto body = read_body(req, ctx, "InvitationAcceptance");
    const acceptance given{*string_field(body, "token"), *string_field(body, "password"),
                           string_field(body, "display_name")};
    const auto created = unwrap(ctx.app.invitations.accept(given, ctx.now));
    const auto issued = ctx.app.accounts.token_for(created, ctx.now);
    auto r = json_response(201, {{"token", issued.token},
                                 {"expires_at", format_utc(issued.expires_at)},
                                 {"account", account_json(issued.holder)}});
    r.set("Cache-Control", "no-store");
    r.set("Location", "/v1/accounts/" + id_text(created.id));
    return r;
}

response ask_password_reset(const request& req, const route_params&, context& ctx) {
    const auto body = read_body(req, ctx, "PasswordResetRequest");
    unwrap(
        ctx.app.accounts.request_password_reset(*string_field(body, "email"), ctx.client, ctx.now));
    return json_response(202, {{"status", "queued"}});
}

response confirm_password_reset(const request& req, const route_params&, context& ctx) {
    const auto body = read_body(req, ctx, "PasswordResetConfirmation");
    const auto changed = unwrap(ctx.app.accounts.reset_password(
        *string_field(body, "token"), *string_field(body, "password"), ctx.now));
    auto r = json_response(200, account_json(changed));
    r.set("Cache-Control", "no-store");
    return r;
}

} // namespace

void register_accounts_routes(router& r) {
    r.add("POST", "/v1/accounts", create_account, lane::sign_ups,
          [](const request&, services& app, const std::string& client) -> std::optional<response> {
              if (auto admitted = app.accounts.admit_sign_up(client, app.time.now()); !admitted)
                  return problem_from(admitted.error());
              return std::nullopt;
          });
    r.add("POST", "/v1/accounts/verify", verify_account);
    r.add("POST", "/v1/me/verification", resend_verification);
    r.add("POST", "/v1/auth/token", issue_token, lane::hashing);
    r.add("DELETE", "/v1/auth/token", revoke_token);
    r.add("GET", "/v1/me", me);
    r.add("GET", "/v1/accounts", list_accounts);
    r.add("POST", "/v1/accounts/invitations", invite);
    r.add("GET", "/v1/accounts/invitations", list_invitations);
    r.add("POST", "/v1/accounts/invitations/accept", accept_invitation, lane::hashing);
    r.add("POST", "/v1/accounts/invitations/{id}/resend", resend_invitation);
    r.add("DELETE", "/v1/accounts/invitations/{id}", withdraw_invitation);
    r.add("POST", "/v1/auth/password-reset", ask_password_reset);
    r.add("POST", "/v1/auth/password-reset/confirm", confirm_password_reset, lane::hashing);
    r.add("GET", "/v1/accounts/{id}", get_account);
    r.add("PATCH", "/v1/accounts/{id}", patch_account);
}

} // namespace rencontres::http
