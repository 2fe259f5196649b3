#include "server/web/view.hpp"

#include "server/security/sealer.hpp"

#include <map>
#include <mutex>

namespace rencontres::web {

namespace {
thread_local const signed_in_banner* current_banner = nullptr;
} // namespace

signed_in_scope::signed_in_scope(signed_in_banner banner)
    : previous_(current_banner), banner_(std::move(banner)) {
    current_banner = &banner_;
}

signed_in_scope::~signed_in_scope() {
    current_banner = previous_;
}

http::response page(std::string_view main_template, const std::string& title, const view& values,
                    const page_options& options) {
    view layout;
    layout.set("title", title);
    if (const auto* who = current_banner) {
        layout.set("signed_in", flag(true));
        layout.set("signed_in_name", who->name);
        layout.set("signed_in_role", who->role);
        layout.set("signed_in_home", who->home);
        layout.set("signed_in_home_text", who->home_text);
        layout.set("signed_in_csrf", who->csrf);
    }
    layout.set("stylesheet", stylesheet_url());
    std::string head = options.head;
    if (options.refresh_without_script > 0)
        head += "<noscript><meta http-equiv=\"refresh\" content=\"" +
                std::to_string(options.refresh_without_script) + "\"></noscript>";
    layout.set("head", head);
    if (!options.script.empty()) layout.set("script", options.script);
    if (!options.body_class.empty()) layout.set("body_class", options.body_class);
    layout.set("main", render::html(main_template, values));
    http::response r;
    r.status = options.status;
    r.set("Content-Type", "text/html; charset=utf-8");
    // Nothing but this origin's stylesheet and forms; no script (JSON-LD is data, which CSP does
    // not run) but the page's own same-origin file, when it has one; never framed.
    r.set("Content-Security-Policy",
          std::string("default-src 'self'; script-src ") +
              (options.script.empty() ? "'none'" : "'self'") +
              "; object-src 'none'; img-src 'self' data:; form-action 'self'; "
              "frame-ancestors 'none'; base-uri 'none'");
    r.set("X-Content-Type-Options", "nosniff");
    r.set("X-Frame-Options", "DENY");
    r.set("Referrer-Policy", options.secret ? "no-referrer" : "strict-origin-when-cross-origin");
    r.set("Cache-Control", options.secret ? "no-store" : "no-cache");
    r.body = render::html("layout", layout);
    return r;
}

const std::string& static_url(std::string_view file) {
    static std::mutex mutex;
    static std::map<std::string, std::string, std::less<>> urls;
    std::lock_guard lock(mutex);
    if (const auto it = urls.find(file); it != urls.end()) return it->second;
    const auto* text = static_file(file);
    return urls[std::string(file)] =
               "/static/" + std::string(file) +
               "?v=" + (text ? security::sha256_hex(*text).substr(0, 12) : std::string("0"));
}

http::response error_page(int status, const std::string& message) {
    view v;
    std::string title;
    std::string text;
    switch (status) {
    case 403:
        title = "Demande refusée";
        text = "Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et "
               "recommencez.";
        break;
    case 404:
        title = "Page introuvable";
        text = "Cette page n'existe pas, ou plus. Vérifiez l'adresse, ou repartez de la liste "
               "des événements.";
        break;
    case 415:
        title = "Formulaire non reconnu";
        text = "Ce formulaire doit être envoyé depuis la page du site.";
        break;
    case 409:
        title = "Action impossible";
        text = "Cette action n'est pas possible dans l'état actuel.";
        break;
    case 503:
        title = "Service momentanément indisponible";
        text = "Le service ne peut pas répondre pour le moment. Rien n'a été enregistré : "
               "réessayez dans quelques instants.";
        break;
    default:
        title = "Demande incorrecte";
        text = "Cette demande ne peut pas être traitée.";
    }
    v.set("heading", title);
    v.set("text", message.empty() ? text : message);
    page_options o;
    o.status = status;
    o.secret = true; // may follow a page holding a token; never cached
    auto r = page("error", title, v, o);
    if (status == 503) r.set("Retry-After", "5");
    return r;
}

} // namespace rencontres::web
