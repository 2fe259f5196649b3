// The pages a link sent by email opens to make or recover an account (API.md §3, §13):
// /invitation accepts an invitation (an account with the invited role, signed in at once),
// /mot-de-passe-oublie asks for a link to choose a new password (the same answer whatever the
// address), /mot-de-passe sets it. Opening a link only shows a form: scanners that fetch every
// link of a message use nothing up. Same domain operations as the JSON API.
#include "server/security/form_tokens.hpp"
#include "server/transport/router.hpp"
#include "server/web/console.hpp"
#include "server/web/routes.hpp"

namespace rencontres::web {
namespace {

constexpr std::string_view invitation_purpose = "invitation";
constexpr std::string_view forgotten_purpose = "password-forgotten";
constexpr std::string_view new_password_purpose = "password-new";

// Pages that hold a link's token: never cached, never sent as a Referer.
response secret_page(const std::string& name, const std::string& heading, view v, int status,
                     bool failed = false) {
    v.set("heading", heading);
    page_options o;
    o.status = status;
    o.secret = true;
    return page(name, (failed ? "Erreur : " : "") + heading, v, o);
}

form_field password_field(const std::string& error) {
    form_field f{"password", "Mot de passe", "password", "", "10 caractères au moins", error, true};
    f.autocomplete = "new-password";
    return f;
}

// The fields of a form, with the errors the domain found, in the French of `form`.
std::vector<field_error> shown_errors(std::string_view form, const domain_error& e) {
    std::vector<field_error> out;
    for (const auto& f : e.fields)
        out.push_back(shown(form, f));
    return out;
}

// -- accepting an invitation --------------------------------------------------------------------

response link_gone(const std::string& name, const std::string& text) {
    view v;
    v.set("text", text);
    return secret_page(name, "Ce lien n'est plus valable", v, 410);
}

response invitation_gone() {
    return link_gone("invitation",
                     "Ce lien d'invitation est inconnu, a déjà servi, a été retiré ou a expiré "
                     "(il vaut 7 jours). Demandez à la personne qui vous a invité·e de vous en "
                     "envoyer un nouveau. Si vous avez déjà créé votre compte, connectez-vous.");
}

std::string invited_to(const invitation_preview& p) {
    if (p.event_title)
        return "Vous êtes invité·e à co-organiser la rencontre « " + *p.event_title +
               " » sur Rencontres.";
    switch (p.role) {
    case role::organizer:
        return "Vous êtes invité·e à organiser des rencontres sur Rencontres.";
    case role::jury:
        return "Vous êtes invité·e à rejoindre le jury du label « Territoires innovants ».";
    case role::admin:
        return "Vous êtes invité·e à administrer Rencontres.";
    case role::participant:
        break;
    }
    return "Vous êtes invité·e à ouvrir un compte sur Rencontres.";
}

response invitation_form(context& ctx, const std::string& token, const invitation_preview& p,
                         const std::string& name, const std::vector<field_error>& errors,
                         int status, bool expired = false) {
    view v;
    v.set("form", flag(true));
    v.set("expired", flag(expired));
    v.set("token", token);
    v.set("email", p.email);
    v.set("invited_to", invited_to(p));
    v.set("csrf", ctx.app.forms.issue(invitation_purpose, ctx.now));
    form_field display{"display_name",
                       "Nom affiché",
                       "text",
                       name,
                       "prénom et nom, tels que les autres les verront",
                       error_for(errors, "display_name"),
                       true};
    display.autocomplete = "name";
    const std::vector<form_field> fields{display, password_field(error_for(errors, "password"))};
    v.set("fields", fields_view(fields));
    set_error_summary(v, fields);
    return secret_page("invitation", "Accepter l'invitation", v, status,
                       !errors.empty() || expired);
}

response show_invitation(const request& req, const route_params&, context& ctx) {
    const auto token = std::string(req.query_value("token").value_or(""));
    const auto found = ctx.app.invitations.preview(token, ctx.now);
    if (!found) return invitation_gone();
    return invitation_form(ctx, token, *found, found->display_name, {}, 200);
}

response accept_invitation(const request& req, const route_params&, context& ctx) {
    if (cross_site(req, ctx)) return error_page(403);
    const auto form = read_form(req);
    const auto token = form_value(form, "token");
    const auto found = ctx.app.invitations.preview(token, ctx.now);
    if (!found) return invitation_gone();
    const auto name = form_value(form, "display_name");
    // A stale form comes back with what was typed (the password aside) and a fresh token.
    if (!ctx.app.forms.valid(form_value(form, "csrf"), invitation_purpose, ctx.now))
        return invitation_form(ctx, token, *found, name, {}, 403, true);
    const auto created =
        ctx.app.invitations.accept({token, form_value(form, "password"), name}, ctx.now);
    if (!created) {
        if (created.error().code != errc::invalid) return error_page_for(created.error());
        const auto errors = shown_errors("invitation", created.error());
        if (!error_for(errors, "token").empty()) return invitation_gone();
        return invitation_form(ctx, token, *found, name, errors, 422);
    }
    const auto session = ctx.app.accounts.session_for(*created, ctx.now);
    return enter_console(req, ctx, session.token, *created);
}

// -- asking for a new password ------------------------------------------------------------------

response forgotten_form(context& ctx, const std::string& email,
                        const std::vector<field_error>& errors, int status, bool expired = false,
                        const std::string& refusal = {}) {
    view v;
    v.set("form", flag(true));
    v.set("expired", flag(expired));
    if (!refusal.empty()) v.set("refusal", refusal);
    v.set("csrf", ctx.app.forms.issue(forgotten_purpose, ctx.now));
    form_field address{"email", "Adresse électronique",     "email", email,
                       "",      error_for(errors, "email"), true};
    address.autocomplete = "username";
    const std::vector<form_field> fields{address};
    v.set("fields", fields_view(fields));
    set_error_summary(v, fields);
    return secret_page("password_forgotten", "Mot de passe oublié", v, status,
                       !errors.empty() || expired || !refusal.empty());
}

response show_forgotten(const request&, const route_params&, context& ctx) {
    return forgotten_form(ctx, "", {}, 200);
}

response ask_new_password(const request& req, const route_params&, context& ctx) {
    if (cross_site(req, ctx)) return error_page(403);
    const auto form = read_form(req);
    const auto email = form_value(form, "email");
    if (!ctx.app.forms.valid(form_value(form, "csrf"), forgotten_purpose, ctx.now))
        return forgotten_form(ctx, email, {}, 403, true);
    const auto asked = ctx.app.accounts.request_password_reset(email, ctx.client, ctx.now);
    if (!asked) {
        const auto& e = asked.error();
        if (e.code == errc::rate_limited) {
            auto r =
                forgotten_form(ctx, email, {}, 429, false, std::string(render::french(e.broken)));
            r.set("Retry-After", std::to_string(e.retry_after_seconds.value_or(3600)));
            return r;
        }
        if (e.code != errc::invalid) return error_page_for(e);
        return forgotten_form(ctx, email, shown_errors("forgotten", e), 422);
    }
    view v;
    v.set("sent", flag(true));
    v.set("email", email);
    return secret_page("password_forgotten", "Vérifiez votre messagerie", v, 200);
}

// -- choosing the new password ------------------------------------------------------------------

response reset_gone() {
    return link_gone("password_new",
                     "Ce lien pour choisir un mot de passe est inconnu, a déjà servi ou a expiré "
                     "(il vaut une heure). Demandez-en un nouveau.");
}

response new_password_form(context& ctx, const std::string& token,
                           const std::vector<field_error>& errors, int status,
                           bool expired = false) {
    view v;
    v.set("form", flag(true));
    v.set("expired", flag(expired));
    v.set("token", token);
    v.set("csrf", ctx.app.forms.issue(new_password_purpose, ctx.now));
    auto password = password_field(error_for(errors, "password"));
    password.label = "Nouveau mot de passe";
    const std::vector<form_field> fields{password};
    v.set("fields", fields_view(fields));
    set_error_summary(v, fields);
    return secret_page("password_new", "Choisir un nouveau mot de passe", v, status,
                       !errors.empty() || expired);
}

response show_new_password(const request& req, const route_params&, context& ctx) {
    const auto token = std::string(req.query_value("token").value_or(""));
    if (!ctx.app.accounts.reset_link_usable(token, ctx.now)) return reset_gone();
    return new_password_form(ctx, token, {}, 200);
}

response set_new_password(const request& req, const route_params&, context& ctx) {
    if (cross_site(req, ctx)) return error_page(403);
    const auto form = read_form(req);
    const auto token = form_value(form, "token");
    if (!ctx.app.forms.valid(form_value(form, "csrf"), new_password_purpose, ctx.now))
        return new_password_form(ctx, token, {}, 403, true);
    const auto changed =
        ctx.app.accounts.reset_password(token, form_value(form, "password"), ctx.now);
    if (!changed) {
        if (changed.error().code != errc::invalid) return error_page_for(changed.error());
        const auto errors = shown_errors("password", changed.error());
        if (!error_for(errors, "token").empty()) return reset_gone();
        return new_password_form(ctx, token, errors, 422);
    }
    return see_other("/connexion?fait=mot-de-passe");
}

} // namespace

void register_account_pages(http::router& r) {
    r.add("GET", "/invitation", page_route(show_invitation));
    r.add("POST", "/invitation", page_route(accept_invitation), http::lane::hashing);
    r.add("GET", "/mot-de-passe-oublie", page_route(show_forgotten));
    r.add("POST", "/mot-de-passe-oublie", page_route(ask_new_password));
    r.add("GET", "/mot-de-passe", page_route(show_new_password));
    r.add("POST", "/mot-de-passe", page_route(set_new_password), http::lane::hashing);
}

} // namespace rencontres::web
