// Signing in to the console (API.md §13): /connexion, /deconnexion, and /gestion, the organizer's
// list of events. A session is an opaque id in a cookie (HttpOnly, SameSite=Lax, Secure when the
// site is served over HTTPS), stored only as a digest, ended after a time without use, at
// sign-out, and when the account's role or password changes. Every form that changes state
// carries a token bound to the session (or, for the sign-in form, to its purpose).
#include "domain/common/french.hpp"
#include "domain/common/text.hpp"
#include "domain/store.hpp"
#include "server/security/form_tokens.hpp"
#include "server/security/sealer.hpp"
#include "server/transport/router.hpp"
#include "server/web/console.hpp"
#include "server/web/settings.hpp"

#include <array>

namespace rencontres::web {
namespace {

constexpr std::string_view cookie_name = "rencontres_session";
// Over HTTPS the cookie is named with the __Host- prefix: browsers then accept it only Secure, for
// the whole site and from the site itself, so that a neighbouring subdomain cannot plant one.
constexpr std::string_view host_cookie_name = "__Host-rencontres_session";

// Secure when the site is served over HTTPS (request::over_https).
std::string cookie(const request& req, const context& ctx, const std::string& value, bool end) {
    const bool https = req.over_https(ctx.app.site_config.public_base_url);
    return std::string(https ? host_cookie_name : cookie_name) + "=" + value +
           "; Path=/; HttpOnly; SameSite=Lax" + (https ? "; Secure" : "") +
           (end ? "; Max-Age=0" : "");
}

std::string session_purpose(const std::string& session_id) {
    return "session:" + security::sha256_hex(session_id);
}

// A page of the console a browser may be sent back to after signing in: a path of this site
// under /gestion, /label or /admin, never another site's address.
bool console_path(std::string_view path) {
    const bool console =
        path.starts_with("/gestion") || path.starts_with("/label") || path.starts_with("/admin");
    return console && path.find("//") == std::string_view::npos &&
           path.find('\\') == std::string_view::npos && path.size() <= 2000;
}

// The sign-in form as shown: what was typed, and what it carries for the page that sent the
// browser there (its address, and the values of a form posted after the session ended).
struct sign_in_state {
    std::string email;
    std::string error;
    std::string notice;
    std::string back_to;
    form_values_t kept;
};
constexpr std::string_view kept_prefix = "garde:";

response sign_in_form(context& ctx, const sign_in_state& state, int status);
form_values_t kept_of(const form_values_t& form, bool from_sign_in);

// The sign-in form, keeping the values of `form` posted to `target` after the session ended.
response sign_in_keeping(context& ctx, const std::string& target, const form_values_t& form) {
    sign_in_state state;
    state.back_to = target;
    state.kept = kept_of(form, false);
    state.notice = "Votre session a pris fin avant l'envoi du formulaire. Connectez-vous : ce que "
                   "vous aviez saisi est gardé et vous sera proposé de nouveau.";
    return sign_in_form(ctx, state, 200);
}

} // namespace

// The __Host- cookie when there is one, else the plain one (a site served over plain HTTP).
std::optional<std::string> session_cookie(const request& req) {
    auto value = req.cookie_value(host_cookie_name);
    if (!value) value = req.cookie_value(cookie_name);
    if (!value) return std::nullopt;
    return std::string(*value);
}

std::string when_text(instant at) {
    return capitalized(french_date(at, default_zone)) + ", " + french_time(at, default_zone);
}

view invitation_row(const invitation& i, instant now, const std::string& base,
                    const std::string& csrf) {
    view row;
    row.set("name", i.display_name);
    row.set("email", i.email);
    row.set("state", link_validity_text(i.expires_at, now));
    row.set("resend", base + "/renvoi");
    row.set("withdraw", base + "/retrait");
    row.set("csrf", csrf);
    return row;
}

std::string link_validity_text(instant expires_at, instant now) {
    if (expires_at <= now) return "lien expiré";
    return "lien valable jusqu'au " + french_date(expires_at, default_zone) + ", " +
           french_time(expires_at, default_zone);
}

response see_other(const std::string& location) {
    response r;
    r.status = 303;
    r.set("Location", location);
    r.set("Cache-Control", "no-store");
    return r;
}

page_options private_page(int status) {
    page_options o;
    o.status = status;
    o.secret = true;
    return o;
}

namespace {

// The signed-in account, or the response that sends the browser to sign in. Pages reach it
// only through console_page and event_page.
std::variant<account, response> signed_in(const request& req, context& ctx) {
    // After signing in, the browser comes back to the page it asked for.
    const auto to_sign_in = "/connexion?retour=" + query_escape(req.target);
    const auto id = session_cookie(req);
    if (!id) return see_other(to_sign_in);
    auto holder = ctx.app.accounts.session_account(*id, ctx.now);
    if (!holder) {
        auto r = see_other(to_sign_in);
        r.set("Set-Cookie", cookie(req, ctx, "", true));
        return r;
    }
    return *holder;
}

// A form posted from the console: from this site, by a live session, with that session's token.
// Posted without a live session (it ended while the form was being filled), it is not lost: the
// sign-in form keeps its values and offers them again once signed in.
std::variant<account, response> signed_in_post(const request& req, context& ctx) {
    if (cross_site(req, ctx.app.site_config.public_base_url)) return error_page(403);
    const auto form = read_form(req);
    auto who = signed_in(req, ctx);
    if (std::holds_alternative<response>(who)) {
        auto r = sign_in_keeping(ctx, req.target, form);
        if (session_cookie(req)) r.set("Set-Cookie", cookie(req, ctx, "", true));
        return r;
    }
    if (!ctx.app.forms.valid(form_value(form, "csrf"), session_purpose(*session_cookie(req)),
                             ctx.now))
        return error_page(403);
    return who;
}

} // namespace

std::string console_token(const request& req, context& ctx) {
    const auto id = session_cookie(req);
    return id ? ctx.app.forms.issue(session_purpose(*id), ctx.now) : std::string();
}

namespace {

constexpr const char* organizers_only =
    "Cet espace est réservé aux équipes d'organisation et à l'administration.";

bool may_use_console(const account& me) {
    return me.role == role::organizer || me.role == role::admin;
}

} // namespace

const audience signed_in_accounts{{role::participant, role::organizer, role::jury, role::admin},
                                  ""};
const audience organizers{{role::organizer, role::admin}, organizers_only, true};
const audience jurors{{role::jury, role::admin},
                      "Cette page est réservée au jury du label et à son administration."};
const audience admins{{role::admin}, "Cette page est réservée à l'administration."};
const audience label_admins{{role::admin}, "Cette page est réservée à l'administration du label."};
const audience candidates{{role::organizer, role::admin},
                          "Les candidatures sont déposées par les équipes d'organisation.",
                          true};

namespace {

bool posted(const request& req) {
    return req.method == "POST";
}

std::optional<response> refusal_for(const audience& who,
                                    const std::variant<account, response>& caller) {
    if (const auto* r = std::get_if<response>(&caller)) return *r;
    const auto& me = std::get<account>(caller);
    if (std::find(who.roles.begin(), who.roles.end(), me.role) == who.roles.end())
        return error_page(403, who.refusal);
    if (who.verified_email && !me.email_verified) return see_other("/gestion");
    return std::nullopt;
}

// The event of a console URL with the signed-in organizer's (or admin's) rights over it; anyone
// else gets the page for "not found" or "forbidden" (a 404 either way: the console does not say
// which events exist), an absent session the way to sign in.
std::variant<managed_event, response> console_event(const request& req, context& ctx,
                                                    std::string_view id, bool posting) {
    auto who = posting ? signed_in_post(req, ctx) : signed_in(req, ctx);
    if (auto refused = refusal_for(organizers, who)) return std::move(*refused);
    auto& me = std::get<account>(who);
    const actor as{me.id, me.role};
    if (!parse_id(id)) return error_page(404);
    auto found = ctx.app.events.get_event(as, id);
    if (!found || !found->managed_by(as)) return error_page(404);
    return managed_event{std::move(me), std::move(*found)};
}

} // namespace

namespace {

// Each role's home in the console, and how the banner names it.
struct role_home {
    role r;
    const char* path;
    const char* path_text;
    const char* role_text;
};
constexpr std::array<role_home, 4> role_homes{{
    {role::admin, "/admin", "Administration", "administrateur·rice"},
    {role::jury, "/label", "Espace du label", "membre du jury"},
    {role::organizer, "/gestion", "Mes rencontres", "organisateur·rice"},
    {role::participant, "/gestion", "Mon espace", "participant·e"},
}};

const role_home& home_entry(const account& me) {
    for (const auto& h : role_homes)
        if (h.r == me.role) return h;
    return role_homes.back();
}

// The layout's banner for the signed-in account (view.hpp).
signed_in_banner banner_of(const request& req, context& ctx, const account& me) {
    const auto& home = home_entry(me);
    return {me.display_name, home.role_text, home.path, home.path_text, console_token(req, ctx)};
}

} // namespace

std::string home_of(const account& me) {
    return home_entry(me).path;
}

http::handler console_page(const audience& who, account_page fn) {
    return page_route([&who, fn](const request& req, const route_params& params, context& ctx) {
        const auto caller = posted(req) ? signed_in_post(req, ctx) : signed_in(req, ctx);
        if (const auto* me = std::get_if<account>(&caller)) {
            const signed_in_scope banner(banner_of(req, ctx, *me));
            if (auto refused = refusal_for(who, caller)) return std::move(*refused);
            return fn(req, params, ctx, *me);
        }
        return std::get<response>(caller);
    });
}

http::handler event_page(event_page_fn fn) {
    return page_route([fn](const request& req, const route_params& params, context& ctx) {
        auto managed = console_event(req, ctx, params.get("id"), posted(req));
        if (auto* r = std::get_if<response>(&managed)) return std::move(*r);
        const auto& m = std::get<managed_event>(managed);
        const signed_in_scope banner(banner_of(req, ctx, m.me));
        return fn(req, params, ctx, m);
    });
}

std::string code_of(const std::string& name) {
    std::string out;
    for (const char c : search_fold(name)) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (keep)
            out.push_back(c);
        else if (!out.empty() && out.back() != '-')
            out.push_back('-');
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    if (out.size() > 40) out.resize(40);
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? "q" : out;
}

std::string unique_code(const std::string& name, std::set<std::string>& taken) {
    const auto base = code_of(name);
    auto code = base;
    for (int n = 2; taken.count(code); ++n)
        code = base + "-" + std::to_string(n);
    taken.insert(code);
    return code;
}

std::optional<std::optional<long long>> optional_count(const std::string& text) {
    if (text.empty()) return std::optional<long long>();
    try {
        std::size_t used = 0;
        const auto n = std::stoll(text, &used);
        if (used != text.size()) return std::nullopt;
        return std::optional<long long>(n);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

view field_view(const form_field& f) {
    view v;
    v.set("name", f.name);
    v.set("label", f.label);
    v.set("value", f.value);
    if (!f.hint.empty()) v.set("hint", f.hint);
    // Not "error": every template is also a partial of that name.
    if (!f.error.empty()) v.set("problem", f.error);
    v.set("required", flag(f.required));
    if (!f.autocomplete.empty()) v.set("autocomplete", f.autocomplete);
    if (f.type == "textarea") {
        v.set("textarea", flag(true));
    } else if (f.type == "select") {
        auto options = list_view();
        for (const auto& [value, label] : f.options) {
            view o;
            o.set("option_value", value);
            o.set("option_label", label);
            o.set("selected", flag(value == f.value));
            options.push_back(o);
        }
        v.set("select", flag(true));
        v.set("options", options);
    } else {
        v.set("input", flag(true));
        v.set("type", f.type);
    }
    return v;
}

view_list fields_view(const std::vector<form_field>& fields) {
    auto out = list_view();
    for (const auto& f : fields)
        out.push_back(field_view(f));
    return out;
}

std::string error_for(const std::vector<field_error>& errors, std::string_view field) {
    for (const auto& e : errors)
        if (e.field == field) return e.message;
    return {};
}

void set_error_summary(view& v, const std::vector<form_field>& fields) {
    std::vector<field_error> errors;
    for (const auto& f : fields)
        if (!f.error.empty()) errors.emplace_back(f.name, field_rule::refused, f.error);
    set_error_summary(v, errors);
}

void set_error_summary(view& v, const std::vector<field_error>& errors) {
    if (errors.empty()) return;
    auto list = list_view();
    for (const auto& e : errors) {
        view item;
        item.set("field", e.field);
        item.set("message", e.message);
        list.push_back(item);
    }
    v.set("has_errors", flag(true));
    v.set("errors", list);
    v.set("error_count_text", errors.size() == 1 ? std::string("Le formulaire contient une erreur")
                                                 : "Le formulaire contient " +
                                                       std::to_string(errors.size()) + " erreurs");
}

std::vector<territory> every_territory(context& ctx) {
    std::vector<territory> out;
    page_request request{100, std::nullopt};
    for (int pages = 0; pages < 30; ++pages) {
        const auto found = ctx.app.territories.list_territories({}, request);
        if (!found) break;
        out.insert(out.end(), found->items.begin(), found->items.end());
        if (!found->next_after) break;
        request.after = found->next_after;
    }
    return out;
}

std::string status_text(event_status s) {
    switch (s) {
    case event_status::draft:
        return "Brouillon";
    case event_status::published:
        return "Publiée";
    default:
        return "Annulée";
    }
}

response confirmation_page(const request& req, context& ctx, const confirmation& c) {
    view v;
    if (c.nav) v.set("nav", *c.nav);
    v.set("heading", c.heading);
    v.set("consequence", c.consequence);
    v.set("action", c.action);
    v.set("csrf", console_token(req, ctx));
    v.set("button", c.button);
    v.set("danger", flag(c.danger));
    v.set("back", c.back);
    v.set("back_text", c.back_text);
    return page("console_confirm", c.heading, v, private_page());
}

view event_nav(const event& e, std::string_view current) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> sections{{
        {"", "La rencontre"},
        {"/programme", "Programme"},
        {"/questions-salle", "Salle"},
        {"/questions", "Questions"},
        {"/inscriptions", "Inscriptions"},
        {"/message", "Message"},
        {"/accueil", "Accueil"},
        {"/chiffres", "Chiffres"},
        {"/rapport", "Compte rendu"},
    }};
    auto links = list_view();
    for (const auto& [suffix, label] : sections) {
        view l;
        l.set("href", "/gestion/evenements/" + id_text(e.id) + std::string(suffix));
        l.set("label", std::string(label));
        l.set("current", flag(suffix == current));
        links.push_back(l);
    }
    view nav;
    nav.set("links", links);
    nav.set("event_title", e.title);
    return nav;
}

// Each role lands on its home.
response enter_console(const request& req, const context& ctx, const std::string& session_id,
                       const account& holder) {
    auto r = see_other(home_of(holder));
    r.set("Set-Cookie", cookie(req, ctx, session_id, false));
    return r;
}

namespace {

// Kept form values as hidden inputs, their names after `prefix`.
view_list hidden_values(const form_values_t& values, std::string_view prefix) {
    auto out = list_view();
    for (const auto& [name, value] : values) {
        view k;
        k.set("name", std::string(prefix) + name);
        k.set("value", value);
        out.push_back(k);
    }
    return out;
}

response sign_in_form(context& ctx, const sign_in_state& state, int status) {
    view v;
    if (!state.notice.empty()) v.set("notice", state.notice);
    v.set("csrf", ctx.app.forms.issue("login", ctx.now));
    v.set("email", state.email);
    // Not "error": a key the view lacks is looked up among the partials, where `error` is one.
    if (!state.error.empty()) v.set("login_error", state.error);
    if (console_path(state.back_to)) v.set("back_to", state.back_to);
    v.set("kept", hidden_values(state.kept, kept_prefix));
    return page("connexion", (state.error.empty() ? "" : "Erreur : ") + std::string("Connexion"), v,
                private_page(status));
}

// What a form posted without a session held, as the sign-in form carries it.
form_values_t kept_of(const form_values_t& form, bool from_sign_in) {
    form_values_t out;
    for (const auto& [name, value] : form) {
        if (from_sign_in) {
            if (name.starts_with(kept_prefix)) out.emplace(name.substr(kept_prefix.size()), value);
        } else if (name != "csrf") {
            out.emplace(name, value);
        }
    }
    return out;
}

response show_sign_in(const request& req, const route_params&, context& ctx) {
    const auto back_to = std::string(req.query_value("retour").value_or(""));
    if (const auto id = session_cookie(req))
        if (const auto me = ctx.app.accounts.session_account(*id, ctx.now))
            return see_other(console_path(back_to) ? back_to : home_of(*me));
    sign_in_state state;
    state.back_to = back_to;
    if (req.query_value("fait") == "mot-de-passe")
        state.notice = "Votre mot de passe est changé. Connectez-vous avec le nouveau.";
    return sign_in_form(ctx, state, 200);
}

// Signed in again with a form kept: the form, ready to be sent to where it was going, with the
// new session's token. Nothing is done before the person sends it.
response resume_form(const request& req, context& ctx, const issued_token& opened,
                     const sign_in_state& state) {
    view v;
    v.set("action", state.back_to);
    v.set("csrf", ctx.app.forms.issue(session_purpose(opened.token), ctx.now));
    v.set("home", home_of(opened.holder));
    v.set("kept", hidden_values(state.kept, ""));
    auto r = page("console_resume", "Reprendre votre saisie", v, private_page(200));
    r.set("Set-Cookie", cookie(req, ctx, opened.token, false));
    return r;
}

response sign_in(const request& req, const route_params&, context& ctx) {
    if (cross_site(req, ctx.app.site_config.public_base_url)) return error_page(403);
    const auto form = read_form(req);
    sign_in_state state;
    state.email = form_value(form, "email");
    state.back_to = form_value(form, "retour");
    state.kept = kept_of(form, true);
    if (!ctx.app.forms.valid(form_value(form, "csrf"), "login", ctx.now)) {
        state.notice =
            "Ce formulaire de connexion a expiré : saisissez de nouveau votre mot de passe.";
        return sign_in_form(ctx, state, 403);
    }
    const auto opened = ctx.app.accounts.open_session(
        {state.email, form_value(form, "password"), ctx.client}, ctx.now);
    if (!opened) {
        if (opened.error().code == errc::rate_limited) {
            state.error = "Trop de tentatives ont échoué. Réessayez dans quelques minutes.";
            auto r = sign_in_form(ctx, state, 429);
            r.set("Retry-After", std::to_string(opened.error().retry_after_seconds.value_or(60)));
            return r;
        }
        state.error = "L'adresse électronique ou le mot de passe est incorrect.";
        return sign_in_form(ctx, state, 422);
    }
    if (console_path(state.back_to)) {
        if (!state.kept.empty()) return resume_form(req, ctx, *opened, state);
        auto r = see_other(state.back_to);
        r.set("Set-Cookie", cookie(req, ctx, opened->token, false));
        return r;
    }
    return enter_console(req, ctx, opened->token, opened->holder);
}

response sign_out(const request& req, const route_params&, context& ctx) {
    if (cross_site(req, ctx.app.site_config.public_base_url)) return error_page(403);
    const auto form = read_form(req);
    const auto id = session_cookie(req);
    if (!id || !ctx.app.forms.valid(form_value(form, "csrf"), session_purpose(*id), ctx.now))
        return error_page(403);
    ctx.app.accounts.close_session(*id);
    auto r = see_other("/");
    r.set("Set-Cookie", cookie(req, ctx, "", true));
    return r;
}

response console_home(const request& req, context& ctx, const account& me,
                      const std::string& notice) {
    if (!may_use_console(me)) {
        // Signed in, but not an organizer: said, with the way to sign out.
        view v;
        v.set("name", me.display_name);
        v.set("email", me.email);
        v.set("csrf", console_token(req, ctx));
        return page("gestion_refusee", "Espace réservé", v, private_page(403));
    }
    const actor as{me.id, me.role};
    view v;
    v.set("name", me.display_name);
    v.set("email", me.email);
    v.set("csrf", console_token(req, ctx));
    v.set("verify", flag(!me.email_verified));
    if (!notice.empty()) v.set("notice", notice);
    if (me.email_verified) {
        auto events = list_view();
        bool any = false;
        for (const auto status :
             {event_status::draft, event_status::published, event_status::cancelled}) {
            event_filter filter;
            filter.status = status;
            filter.limit = 200;
            const auto found = ctx.app.events.list_events(as, filter);
            if (!found) continue;
            for (const auto& e : found->items) {
                if (me.role != role::admin && !e.managed_by(as)) continue;
                view item;
                item.set("title", e.title);
                item.set("slug", e.slug);
                item.set("id", id_text(e.id));
                item.set("public", flag(e.status != event_status::draft));
                item.set("when", event_when(e));
                const bool past =
                    e.status == event_status::published && e.ends_at && *e.ends_at < ctx.now;
                item.set("status", past ? std::string("Passée") : status_text(e.status));
                events.push_back(item);
                any = true;
            }
        }
        v.set("has_events", flag(any));
        v.set("events", events);
    }
    return page("gestion", "Mes rencontres", v, private_page());
}

response show_console(const request& req, const route_params&, context& ctx, const account& me) {
    return console_home(req, ctx, me, "");
}

response resend_verification(const request& req, const route_params&, context& ctx,
                             const account& me) {
    const auto sent = ctx.app.accounts.resend_verification(actor{me.id, me.role}, ctx.now);
    if (!sent && sent.error().code == errc::rate_limited)
        return console_home(req, ctx, me,
                            "Un lien vient déjà de partir : attendez quelques minutes avant d'en "
                            "demander un autre.");
    return console_home(req, ctx, me, "Un nouveau lien de confirmation vous a été envoyé.");
}

// The check-in link of a participant's QR code: for a signed-in organizer of the event (or an
// admin) a page with one large button; for anyone else, nothing (404). Checking in twice says
// so, without an error page.
response check_in_page(const request& req, const route_params& params, context& ctx,
                       const account& me, std::string_view done) {
    const actor as{me.id, me.role};
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto found = ctx.app.registrations.get_registration(as, *id, std::nullopt);
    if (!found) return error_page(404);
    const auto e = ctx.app.events.get_event(as, id_text(found->event_id));
    if (!e) return error_page(404);
    view v;
    v.set("full_name", found->full_name);
    if (found->organization) v.set("organization", *found->organization);
    v.set("event_title", e->title);
    v.set("action", "/gestion/inscriptions/" + id_text(*id) + "/accueil");
    v.set("undo_action", "/gestion/inscriptions/" + id_text(*id) + "/accueil/annulation");
    v.set("door_url", "/gestion/evenements/" + id_text(e->id) + "/accueil");
    v.set("csrf", console_token(req, ctx));
    // One result, said once: just checked in, checked in earlier, undone, or why not.
    if (found->checked_in_at) {
        const auto at = french_time(*found->checked_in_at, e->timezone);
        v.set(done == "1" ? "notice" : "status_text",
              done == "1" ? "Arrivée enregistrée à " + at + "."
                          : "Arrivée déjà enregistrée, à " + at + ".");
        v.set("can_undo", flag(true));
    } else if (found->status == registration_status::confirmed) {
        if (done == "annulee") v.set("notice", std::string("Arrivée annulée."));
        v.set("status_text", std::string("Confirmée, pas encore arrivée"));
        v.set("can_check_in", flag(true));
    } else {
        v.set("status_text",
              std::string(found->status == registration_status::waitlisted ? "En liste d'attente"
                                                                           : "Annulée"));
        v.set("refusal", std::string("Seule une inscription confirmée peut être enregistrée à "
                                     "l'accueil."));
    }
    return page("accueil", "Accueil : " + found->full_name, v, private_page());
}

response show_check_in(const request& req, const route_params& params, context& ctx,
                       const account& me) {
    return check_in_page(req, params, ctx, me, req.query_value("fait").value_or(""));
}

// Back to the list at the door, with the same search and who was just seen to.
response back_to_door(id_t event_id, const std::multimap<std::string, std::string>& form,
                      const std::string& said, id_t id) {
    const auto q = form_value(form, "q");
    return see_other("/gestion/evenements/" + id_text(event_id) + "/accueil?" +
                     (q.empty() ? std::string() : "q=" + query_escape(q) + "&") + said + "=" +
                     id_text(id));
}

// Checking someone in or undoing it, from the QR page or from the door's list (`retour=liste`):
// back where it came from, saying what was done (`said` on the list, `fait` on the page). A
// conflict (done already, or not confirmed) is no error: the person's page says where it stands.
template <class Change>
response change_at_door(const request& req, const route_params& params, const account& me,
                        Change change, const std::string& said, const std::string& fait) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto done = change(actor{me.id, me.role}, *id);
    if (!done && done.error().code != errc::conflict) return error_page_for(done.error());
    const auto form = read_form(req);
    if (done && form_value(form, "retour") == "liste")
        return back_to_door(done->event_id, form, said, *id);
    return see_other("/gestion/inscriptions/" + id_text(*id) + "/accueil" +
                     (done ? "?fait=" + fait : ""));
}

response check_in(const request& req, const route_params& params, context& ctx, const account& me) {
    return change_at_door(
        req, params, me,
        [&](const actor& as, id_t id) { return ctx.app.registrations.check_in(as, id, ctx.now); },
        "arrivee", "1");
}

response undo_check_in(const request& req, const route_params& params, context& ctx,
                       const account& me) {
    return change_at_door(
        req, params, me,
        [&](const actor& as, id_t id) {
            return ctx.app.registrations.undo_check_in(as, id, ctx.now);
        },
        "annulee", "annulee");
}

} // namespace

void register_console_pages(http::router& r) {
    r.add("GET", "/connexion", page_route(show_sign_in));
    r.add("POST", "/connexion", page_route(sign_in), http::lane::hashing);
    r.add("POST", "/deconnexion", page_route(sign_out));
    r.add("GET", "/gestion", console_page(signed_in_accounts, show_console));
    r.add("POST", "/gestion/verification", console_page(signed_in_accounts, resend_verification));
    r.add("GET", "/gestion/inscriptions/{id}/accueil",
          console_page(signed_in_accounts, show_check_in));
    r.add("POST", "/gestion/inscriptions/{id}/accueil", console_page(signed_in_accounts, check_in));
    r.add("POST", "/gestion/inscriptions/{id}/accueil/annulation",
          console_page(signed_in_accounts, undo_check_in));
}

} // namespace rencontres::web
