// The page the verification link of a sign-up opens (API.md §3). Opening the link shows a button;
// the address is proven only by pressing it (a POST), so that mail scanners which fetch every
// link cannot verify an address in its owner's place. Same domain operation as
// POST /v1/accounts/verify.
#include "domain/common/time.hpp"
#include "server/http/context.hpp"
#include "server/http/problem.hpp"
#include "server/http/router.hpp"

namespace rencontres::http {
namespace {

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

response page(int status, std::string_view title, const std::string& main) {
    response r;
    r.status = status;
    r.set("Content-Type", "text/html; charset=utf-8");
    r.set("Content-Security-Policy",
          "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    r.set("Referrer-Policy", "no-referrer");
    r.set("X-Content-Type-Options", "nosniff");
    r.set("Cache-Control", "no-store");
    r.body = "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
             std::string(title) + " — Rencontres</title>\n</head>\n<body>\n<main>\n<h1>" +
             std::string(title) + "</h1>\n" + main + "</main>\n</body>\n</html>\n";
    return r;
}

// The token of a form-encoded body (`token=...`), decoded.
std::string token_of_form(const request& req) {
    const auto type = req.header_value("Content-Type").value_or("");
    if (type.substr(0, type.find(';')) != "application/x-www-form-urlencoded")
        throw problem_exception(
            problem(415, "Send the form as application/x-www-form-urlencoded."));
    // A form body is a query string: decoded by the same parser as request targets.
    std::string path;
    std::vector<std::pair<std::string, std::string>> fields;
    if (!split_target("/?" + req.body, path, fields)) return {};
    for (const auto& [key, value] : fields)
        if (key == "token") return value;
    return {};
}

response show_verification(const request& req, const route_params&, context&) {
    const auto token = req.query_value("token").value_or("");
    return page(200, "Confirmer votre adresse électronique",
                "<p>Vous avez créé un compte sur Rencontres avec cette adresse. Pour confirmer "
                "qu'elle est bien la vôtre, appuyez sur le bouton.</p>\n"
                "<form method=\"post\" action=\"/verification\">\n"
                "<input type=\"hidden\" name=\"token\" value=\"" +
                    escape_html(token) +
                    "\">\n<button type=\"submit\">Confirmer mon adresse</button>\n</form>\n");
}

response confirm_verification(const request& req, const route_params&, context& ctx) {
    const auto verified = ctx.app.accounts.verify_email(token_of_form(req), ctx.now);
    if (!verified)
        return page(
            422, "Ce lien n'est plus valable",
            "<p>Ce lien de confirmation est inconnu, a déjà servi ou a expiré (il vaut 48 "
            "heures). Connectez-vous et demandez un nouveau message de confirmation.</p>\n");
    return page(200, "Adresse confirmée",
                "<p>Merci, " + escape_html(verified->display_name) + " : l'adresse " +
                    escape_html(verified->email) +
                    " est confirmée. Vos inscriptions faites avec cette adresse sont désormais "
                    "rattachées à votre compte.</p>\n");
}

} // namespace

void register_verification_pages(router& r) {
    r.add("GET", "/verification", show_verification, lane::network);
    r.add("POST", "/verification", confirm_verification);
}

} // namespace rencontres::http
