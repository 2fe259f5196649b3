// The page the verification link of a sign-up opens (API.md §3). Opening the link shows a button;
// the address is proven only by pressing it (a POST), so that mail scanners which fetch every
// link cannot verify an address in its owner's place. Same domain operation as
// POST /v1/accounts/verify.
#include "server/http/router.hpp"
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

response show_verification(const request& req, const route_params&, context&) {
    view v;
    v.set("confirm", flag(true));
    v.set("token", std::string(req.query_value("token").value_or("")));
    return verification_page(200, "Confirmer votre adresse électronique", v);
}

response confirm_verification(const request& req, const route_params&, context& ctx) {
    const auto form = read_form(req);
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
