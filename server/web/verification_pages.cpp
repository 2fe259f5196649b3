// The page the verification link of a sign-up opens (API.md §3). Opening the link shows a button;
// the address is proven only by pressing it (a POST), so that mail scanners which fetch every
// link cannot verify an address in its owner's place. Same domain operation as
// POST /v1/accounts/verify.
#include "server/security/form_tokens.hpp"
#include "server/transport/router.hpp"
#include "server/web/pages.hpp"

namespace rencontres::web {
namespace {

response verification_page(int status, const std::string& heading, view v) {
    v.set("heading", heading);
    page_options o;
    o.status = status;
    o.secret = true; // the link holds the token
    return page("verification", heading, v, o);
}

constexpr std::string_view form_purpose = "verification";

view confirm_form(context& ctx, std::string token) {
    view v;
    v.set("confirm", flag(true));
    v.set("token", std::move(token));
    v.set("csrf", ctx.app.forms.issue(form_purpose, ctx.now));
    return v;
}

response show_verification(const request& req, const route_params&, context& ctx) {
    return verification_page(200, "Confirmer votre adresse électronique",
                             confirm_form(ctx, std::string(req.query_value("token").value_or(""))));
}

// Like every form of the site: from this site, with the form's token. A stale form is shown
// again, fresh, with its link kept.
response confirm_verification(const request& req, const route_params&, context& ctx) {
    if (cross_site(req, ctx)) return error_page(403);
    const auto form = read_form(req);
    if (!ctx.app.forms.valid(form_value(form, "csrf"), form_purpose, ctx.now)) {
        auto v = confirm_form(ctx, form_value(form, "token"));
        v.set("expired", flag(true));
        return verification_page(403, "Confirmer votre adresse électronique", v);
    }
    const auto verified = ctx.app.accounts.verify_email(form_value(form, "token"), ctx.now);
    view v;
    if (!verified) {
        v.set("text",
              std::string("Ce lien de confirmation est inconnu, a déjà servi ou a expiré (il "
                          "vaut 48 heures). Connectez-vous et demandez un nouveau message "
                          "de confirmation."));
        return verification_page(422, "Ce lien n'est plus valable", v);
    }
    v.set("text", "Merci, " + verified->display_name + " : l'adresse " + verified->email +
                      " est confirmée. Vos inscriptions faites avec cette adresse sont désormais "
                      "rattachées à votre compte.");
    return verification_page(200, "Adresse confirmée", v);
}

} // namespace

void register_verification_pages(http::router& r) {
    r.add("GET", "/verification", show_verification, http::lane::network);
    r.add("POST", "/verification", page_route(confirm_verification));
}

} // namespace rencontres::web
