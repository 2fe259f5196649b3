#include "domain/common/fields.hpp"

#include "domain/common/text.hpp"

namespace rencontres {

std::string check_text(validation& v, const char* field, std::string_view value, std::size_t min,
                       std::size_t max, bool multiline) {
    std::string trimmed = trim(value);
    const auto length = utf8_length(trimmed);
    bool control = false;
    for (const char c : trimmed) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || u == 0x7F)
            control = true;
    }
    if (length < min || length > max || control) {
        v.fail(field, field_rule::length,
               min == 0 ? "must be at most " + std::to_string(max) +
                              " characters, without control characters"
                        : "must be " + std::to_string(min) + " to " + std::to_string(max) +
                              " characters, without control characters");
    }
    return trimmed;
}

std::optional<std::string> check_optional_text(validation& v, const char* field,
                                               const std::optional<std::string>& value,
                                               std::size_t max, bool multiline) {
    if (!value) return std::nullopt;
    auto text = check_text(v, field, *value, 0, max, multiline);
    if (text.empty()) return std::nullopt;
    return text;
}

std::optional<instant> check_instant(validation& v, const char* field, std::string_view text) {
    auto parsed = parse_instant(text);
    if (!parsed)
        v.fail(field, field_rule::format, "must be an RFC 3339 date and time with an offset");
    return parsed;
}

std::optional<int> check_count(validation& v, const char* field, long long value, long long min,
                               long long max) {
    if (value < min || value > max) {
        v.fail(field, field_rule::range,
               "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
        return std::nullopt;
    }
    return static_cast<int>(value);
}

bool plausible_url(std::string_view url) {
    if (url.size() > 500 || has_control(url) || url.find(' ') != std::string_view::npos)
        return false;
    const auto rest = url.rfind("https://", 0) == 0  ? url.substr(8)
                      : url.rfind("http://", 0) == 0 ? url.substr(7)
                                                     : std::string_view{};
    return !rest.empty() && rest.front() != '/';
}

} // namespace rencontres

namespace rencontres {

std::vector<std::string> check_links(validation& v, const std::vector<std::string>& links) {
    if (links.size() > 20) v.fail("links", field_rule::count, "must hold at most 20 links");
    for (std::size_t i = 0; i < links.size(); ++i)
        if (!plausible_url(links[i]))
            v.fail("links[" + std::to_string(i) + "]", field_rule::format,
                   "must be an http or https URL");
    return links;
}

} // namespace rencontres
