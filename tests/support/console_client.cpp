#include "support/console_client.hpp"

#include <regex>

namespace rencontres::testing {

std::string form_encode(const form_pairs& pairs) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const auto& [name, value] : pairs) {
        if (!out.empty()) out += '&';
        out += name + "=";
        for (const unsigned char c : value) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
                out += static_cast<char>(c);
            } else {
                out += '%';
                out += hex[c >> 4];
                out += hex[c & 15];
            }
        }
    }
    return out;
}

std::string form_field(const std::string& html, const std::string& name) {
    std::smatch m;
    if (!std::regex_search(html, m, std::regex("name=\"" + name + "\" value=\"([^\"]*)\"")))
        return {};
    return m[1];
}

bool page_has(const std::string& html, const std::string& text) {
    return html.find(std::regex_replace(text, std::regex("'"), "&#39;")) != std::string::npos ||
           html.find(text) != std::string::npos;
}

std::string session_cookie_of(const reply& r) {
    std::smatch m;
    const auto set = r.header("Set-Cookie");
    if (!std::regex_search(set, m, std::regex("rencontres_session=([A-Za-z0-9_-]+);"))) return {};
    return m[1];
}

reply console_client::sign_in(const std::string& email, const std::string& password) {
    const auto csrf = form_field(get("/connexion").body, "csrf");
    auto r = post_raw("/connexion",
                      form_encode({{"csrf", csrf}, {"email", email}, {"password", password}}));
    if (r.status == 303) session = session_cookie_of(r);
    return r;
}

reply console_client::get(const std::string& target) const {
    header_list h;
    if (!session.empty()) h.emplace_back("Cookie", "rencontres_session=" + session);
    return send_request(port_, "GET", target, "", h);
}

reply console_client::post_raw(const std::string& target, const std::string& body,
                               const header_list& extra) const {
    header_list h{{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!session.empty()) h.emplace_back("Cookie", "rencontres_session=" + session);
    h.insert(h.end(), extra.begin(), extra.end());
    return send_request(port_, "POST", target, body, h);
}

reply console_client::post(const std::string& target, form_pairs pairs, const header_list& extra) {
    const bool has_csrf =
        std::any_of(pairs.begin(), pairs.end(), [](const auto& p) { return p.first == "csrf"; });
    if (!has_csrf) pairs.insert(pairs.begin(), {"csrf", token()});
    return post_raw(target, form_encode(pairs), extra);
}

std::string console_client::token() const {
    return form_field(get("/gestion").body, "csrf");
}

} // namespace rencontres::testing
