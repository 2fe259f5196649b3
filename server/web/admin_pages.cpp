// The admins' console (API.md §13): accounts (search, role changes with the API's rules — the
// last admin stays, a demotion takes effect at once —, whether the email is verified), the
// messages and webhook deliveries that failed with their last error and a retry button, and the
// audit log filtered by entity and actor, 50 entries a page.
#include "domain/common/french.hpp"
#include "server/transport/router.hpp"
#include "server/web/console.hpp"

#include <array>

namespace rencontres::web {
namespace {

constexpr int rows_per_page = 50;

constexpr std::array<std::pair<role, const char*>, 4> role_labels{{
    {role::participant, "Participant·e"},
    {role::organizer, "Organisateur·rice"},
    {role::jury, "Jury du label"},
    {role::admin, "Administrateur·rice"},
}};

response show_home(const request&, const route_params&, context&, const account&) {
    return page("admin_home", "Administration", view{}, private_page());
}

// -- accounts and invitations ------------------------------------------------------------------

// What the accounts page shows besides the list: a notice, a refusal, and the invitation form as
// it was sent when it failed.
struct accounts_state {
    std::string notice;
    std::string refusal;
    int status = 200;
    std::string invite_email, invite_name, invite_role = "organizer";
    std::vector<field_error> invite_errors;
};

std::string role_label(role r) {
    for (const auto& [each, label] : role_labels)
        if (each == r) return label;
    return {};
}

view_list invitation_rows(context& ctx, const account& me, const std::string& csrf) {
    auto rows = list_view();
    const auto found = ctx.app.invitations.list(actor{me.id, me.role}, {200, std::nullopt});
    if (!found) return rows;
    for (const auto& i : found->items) {
        auto row = invitation_row(i, ctx.now, "/admin/invitations/" + id_text(i.id), csrf);
        row.set("role", role_label(i.role));
        rows.push_back(row);
    }
    return rows;
}

response accounts_page(const request& req, context& ctx, const account& me,
                       const accounts_state& state) {
    const auto q = std::string(req.query_value("q").value_or(""));
    page_request request{rows_per_page, std::nullopt};
    if (const auto after = req.query_value("apres")) {
        request.after = parse_id(*after);
        if (!request.after) return error_page(404);
    }
    const auto found = ctx.app.accounts.list(actor{me.id, me.role}, request,
                                             q.empty() ? std::nullopt : std::optional(q));
    if (!found) return error_page_for(found.error());
    const auto csrf = console_token(req, ctx);
    view v;
    v.set("q", q);
    v.set("csrf", csrf);
    auto rows = list_view();
    for (const auto& a : found->items) {
        view row;
        row.set("id", id_text(a.id));
        row.set("name", a.display_name);
        row.set("email", a.email);
        row.set("verified", std::string(a.email_verified ? "Confirmée" : "À confirmer"));
        row.set("action", "/admin/comptes/" + id_text(a.id) + "/role");
        row.set("csrf", csrf);
        row.set("q", q);
        auto roles = list_view();
        for (const auto& [r, label] : role_labels) {
            view o;
            o.set("option_value", std::string(to_string(r)));
            o.set("option_label", std::string(label));
            o.set("selected", flag(r == a.role));
            roles.push_back(o);
        }
        row.set("roles", roles);
        rows.push_back(row);
    }
    v.set("rows", rows);
    v.set("has_rows", flag(!found->items.empty()));
    if (found->next_after)
        v.set("next",
              "/admin/comptes?q=" + query_escape(q) + "&apres=" + id_text(*found->next_after));
    if (!state.notice.empty()) v.set("notice", state.notice);
    if (!state.refusal.empty()) v.set("refusal", state.refusal);

    std::vector<std::pair<std::string, std::string>> role_options;
    for (const auto& [r, label] : role_labels)
        role_options.emplace_back(std::string(to_string(r)), label);
    form_field email{"email", "Adresse électronique",
                     "email", state.invite_email,
                     "",      error_for(state.invite_errors, "email"),
                     true};
    email.autocomplete = "off";
    const std::vector<form_field> invite{
        email,
        {"display_name", "Nom", "text", state.invite_name, "prénom et nom",
         error_for(state.invite_errors, "display_name"), true},
        {"role", "Rôle", "select", state.invite_role, "", error_for(state.invite_errors, "role"),
         true, role_options}};
    v.set("invite_fields", fields_view(invite));
    set_error_summary(v, invite);
    const auto invitations = invitation_rows(ctx, me, csrf);
    v.set("has_invitations", flag(invitations.is_non_empty_list()));
    v.set("invitations", invitations);
    return page("admin_accounts",
                (state.invite_errors.empty() ? "" : "Erreur : ") + std::string("Comptes"), v,
                private_page(state.status));
}

std::string accounts_notice(const request& req) {
    const auto done = req.query_value("fait").value_or("");
    if (done == "1") return "Le rôle est changé ; il s'applique dès la prochaine page du compte.";
    if (done == "invitation")
        return "L'invitation est envoyée. Son lien vaut 7 jours ; la personne choisit alors son "
               "mot de passe.";
    if (done == "renvoi") return "L'invitation est renvoyée avec un nouveau lien, valable 7 jours.";
    if (done == "retrait") return "L'invitation est retirée : son lien ne fonctionne plus.";
    return {};
}

response show_accounts(const request& req, const route_params&, context& ctx, const account& me) {
    return accounts_page(req, ctx, me, {.notice = accounts_notice(req)});
}

response change_role(const request& req, const route_params& params, context& ctx,
                     const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto form = read_form(req);
    const account_patch patch{form_value(form, "role"), std::nullopt};
    const auto changed = ctx.app.accounts.update(actor{me.id, me.role}, *id, patch, {}, ctx.now);
    const auto q = form_value(form, "q");
    if (!changed) {
        if (changed.error().code == errc::conflict)
            return accounts_page(req, ctx, me,
                                 {.refusal = "Ce rôle ne peut pas être changé : il faut au moins "
                                             "un compte qui administre.",
                                  .status = 409});
        if (changed.error().code == errc::invalid)
            return accounts_page(req, ctx, me,
                                 {.refusal = "Choisissez un rôle de la liste.", .status = 422});
        return error_page_for(changed.error());
    }
    return see_other("/admin/comptes?fait=1" + (q.empty() ? "" : "&q=" + query_escape(q)));
}

response invite(const request& req, const route_params&, context& ctx, const account& me) {
    const auto form = read_form(req);
    accounts_state state;
    state.invite_email = form_value(form, "email");
    state.invite_name = form_value(form, "display_name");
    state.invite_role = form_value(form, "role");
    const auto sent = ctx.app.invitations.invite(
        actor{me.id, me.role},
        {state.invite_email, state.invite_name, state.invite_role, std::nullopt}, ctx.now);
    if (sent) return see_other("/admin/comptes?fait=invitation");
    const auto& e = sent.error();
    if (e.code == errc::invalid) {
        for (const auto& f : e.fields)
            state.invite_errors.push_back(shown("invite", f));
        state.status = 422;
    } else if (e.code == errc::conflict) {
        // An address with an account, or one already invited: said beside the address.
        state.invite_errors.push_back(
            {"email", field_rule::refused, std::string(render::french(e.broken))});
        state.status = 409;
    } else {
        return error_page_for(e);
    }
    return accounts_page(req, ctx, me, state);
}

response resend_invitation(const request&, const route_params& params, context& ctx,
                           const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto sent = ctx.app.invitations.resend(actor{me.id, me.role}, *id, ctx.now);
    if (!sent) return error_page_for(sent.error());
    return see_other("/admin/comptes?fait=renvoi");
}

response withdraw_invitation(const request&, const route_params& params, context& ctx,
                             const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto gone = ctx.app.invitations.withdraw(actor{me.id, me.role}, *id, ctx.now);
    if (!gone) return error_page_for(gone.error());
    return see_other("/admin/comptes?fait=retrait");
}

// -- notifications ----------------------------------------------------------------------------

response show_notifications(const request& req, const route_params&, context& ctx,
                            const account& me) {
    page_request request{rows_per_page, std::nullopt};
    if (const auto after = req.query_value("apres")) {
        request.after = parse_id(*after);
        if (!request.after) return error_page(404);
    }
    const auto found =
        ctx.app.notifications.list_outbox(actor{me.id, me.role}, std::string("failed"), request);
    if (!found) return error_page_for(found.error());
    const auto csrf = console_token(req, ctx);
    view v;
    auto rows = list_view();
    for (const auto& m : found->items) {
        view row;
        row.set("subject", m.subject);
        row.set("recipient", m.recipient);
        row.set("attempts", std::to_string(m.attempts));
        row.set("last_error", m.last_error.value_or(""));
        row.set("created", when_text(m.created_at));
        row.set("action", "/admin/notifications/" + id_text(m.id) + "/relance");
        row.set("csrf", csrf);
        rows.push_back(row);
    }
    v.set("rows", rows);
    v.set("has_rows", flag(!found->items.empty()));
    if (found->next_after)
        v.set("next", "/admin/notifications?apres=" + id_text(*found->next_after));
    // The webhooks' deliveries that failed, newest first (the first 50).
    const auto deliveries =
        ctx.app.webhooks.failed_deliveries(actor{me.id, me.role}, {rows_per_page, std::nullopt});
    if (!deliveries) return error_page_for(deliveries.error());
    auto failed = list_view();
    for (const auto& d : deliveries->items) {
        view row;
        row.set("type", d.type);
        row.set("webhook", "webhook " + id_text(d.webhook_id));
        row.set("attempts", std::to_string(d.attempts));
        row.set("last_error", d.last_error.value_or(
                                  d.response_status ? "HTTP " + std::to_string(*d.response_status)
                                                    : std::string()));
        row.set("created", when_text(d.created_at));
        row.set("action", "/admin/livraisons/" + id_text(d.id) + "/relance");
        row.set("csrf", csrf);
        failed.push_back(row);
    }
    v.set("deliveries", failed);
    v.set("has_deliveries", flag(!deliveries->items.empty()));
    if (req.query_value("fait") == "1")
        v.set("notice", std::string("Le message repart : il sera envoyé dans un instant."));
    if (req.query_value("fait") == "livraison")
        v.set("notice", std::string("La livraison repart, si son webhook est actif."));
    return page("admin_notifications", "Notifications en échec", v, private_page());
}

response retry(const request&, const route_params& params, context& ctx, const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto done = ctx.app.notifications.retry_message(actor{me.id, me.role}, *id, ctx.now);
    if (!done && done.error().code != errc::conflict) return error_page_for(done.error());
    return see_other("/admin/notifications?fait=1");
}

response retry_delivery(const request&, const route_params& params, context& ctx,
                        const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto done = ctx.app.webhooks.retry_delivery(actor{me.id, me.role}, *id, ctx.now);
    if (!done && done.error().code != errc::conflict) return error_page_for(done.error());
    return see_other("/admin/notifications?fait=livraison");
}

// -- the audit log ----------------------------------------------------------------------------

response show_audit(const request& req, const route_params&, context& ctx, const account& me) {
    audit_filter filter;
    const auto entity = std::string(req.query_value("entite").value_or(""));
    const auto actor_text = std::string(req.query_value("acteur").value_or(""));
    if (!entity.empty()) filter.entity = entity;
    if (!actor_text.empty()) {
        filter.actor_id = parse_id(actor_text);
        if (!filter.actor_id) return error_page(404);
    }
    page_request request{rows_per_page, std::nullopt};
    if (const auto after = req.query_value("apres")) {
        request.after = parse_id(*after);
        if (!request.after) return error_page(404);
    }
    const auto found = ctx.app.audit.list(actor{me.id, me.role}, filter, request);
    if (!found) return error_page_for(found.error());
    view v;
    v.set("entity", entity);
    v.set("actor", actor_text);
    auto rows = list_view();
    for (const auto& e : found->items) {
        view row;
        row.set("when", when_text(e.at));
        row.set("actor", e.actor_id ? "compte " + id_text(*e.actor_id) : std::string("système"));
        row.set("action", e.action);
        row.set("entity", e.entity + " " + e.entity_id);
        row.set("summary", e.summary);
        rows.push_back(row);
    }
    v.set("rows", rows);
    v.set("has_rows", flag(!found->items.empty()));
    if (found->next_after)
        v.set("next", "/admin/journal?entite=" + query_escape(entity) + "&acteur=" +
                          query_escape(actor_text) + "&apres=" + id_text(*found->next_after));
    return page("admin_audit", "Journal des modifications", v, private_page());
}

} // namespace

void register_admin_pages(http::router& r) {
    r.add("GET", "/admin", console_page(admins, show_home));
    r.add("GET", "/admin/comptes", console_page(admins, show_accounts));
    r.add("POST", "/admin/comptes/{id}/role", console_page(admins, change_role));
    r.add("POST", "/admin/comptes/invitations", console_page(admins, invite));
    r.add("POST", "/admin/invitations/{id}/renvoi", console_page(admins, resend_invitation));
    r.add("POST", "/admin/invitations/{id}/retrait", console_page(admins, withdraw_invitation));
    r.add("GET", "/admin/notifications", console_page(admins, show_notifications));
    r.add("POST", "/admin/notifications/{id}/relance", console_page(admins, retry));
    r.add("POST", "/admin/livraisons/{id}/relance", console_page(admins, retry_delivery));
    r.add("GET", "/admin/journal", console_page(admins, show_audit));
}

} // namespace rencontres::web
