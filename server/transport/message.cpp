#include "server/transport/message.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace rencontres::http {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::optional<std::string_view> request::header_value(std::string_view name) const {
    for (const auto& h : headers)
        if (iequals(h.name, name)) return std::string_view(h.value);
    return std::nullopt;
}

std::optional<std::string_view> request::cookie_value(std::string_view name) const {
    const auto header = header_value("Cookie");
    if (!header) return std::nullopt;
    std::string_view rest = *header;
    while (!rest.empty()) {
        const auto end = rest.find(';');
        auto pair = rest.substr(0, end);
        while (!pair.empty() && pair.front() == ' ')
            pair.remove_prefix(1);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
    }
    return std::nullopt;
}

bool request::over_https(std::string_view public_base_url) const {
    return public_base_url.starts_with("https://") || header_value("X-Forwarded-Proto") == "https";
}

std::optional<std::string_view> request::query_value(std::string_view name) const {
    for (const auto& [key, value] : query)
        if (key == name) return std::string_view(value);
    return std::nullopt;
}

response& response::set(std::string name, std::string value) {
    for (auto& h : headers) {
        if (iequals(h.name, name)) {
            h.value = std::move(value);
            return *this;
        }
    }
    headers.push_back({std::move(name), std::move(value)});
    return *this;
}

std::optional<std::string_view> response::header_value(std::string_view name) const {
    for (const auto& h : headers)
        if (iequals(h.name, name)) return std::string_view(h.value);
    return std::nullopt;
}

bool split_target(std::string_view target, std::string& path,
                  std::vector<std::pair<std::string, std::string>>& query) {
    auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) return false;
    const boost::urls::url_view& url = *parsed;
    path = url.path();
    if (path.find('\0') != std::string::npos) return false;
    query.clear();
    for (const auto& param : url.params())
        query.emplace_back(param.key, param.value);
    return true;
}

} // namespace rencontres::http
