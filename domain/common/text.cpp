#include "domain/common/text.hpp"

#include <array>
#include <utility>

namespace rencontres {

std::string trim(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return std::string(text);
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string search_fold(std::string_view text) {
    // Two-byte UTF-8 sequences of Latin-1 Supplement and Latin Extended-A that French uses.
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 40> folds{{
        {"à", "a"}, {"â", "a"},  {"ä", "a"},  {"á", "a"},  {"À", "a"},  {"Â", "a"}, {"Ä", "a"},
        {"ç", "c"}, {"Ç", "c"},  {"é", "e"},  {"è", "e"},  {"ê", "e"},  {"ë", "e"}, {"É", "e"},
        {"È", "e"}, {"Ê", "e"},  {"Ë", "e"},  {"î", "i"},  {"ï", "i"},  {"í", "i"}, {"Î", "i"},
        {"Ï", "i"}, {"ô", "o"},  {"ö", "o"},  {"ó", "o"},  {"Ô", "o"},  {"Ö", "o"}, {"ù", "u"},
        {"û", "u"}, {"ü", "u"},  {"ú", "u"},  {"Ù", "u"},  {"Û", "u"},  {"Ü", "u"}, {"ÿ", "y"},
        {"ñ", "n"}, {"œ", "oe"}, {"Œ", "oe"}, {"æ", "ae"}, {"Æ", "ae"},
    }};
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a')
                                               : static_cast<char>(c));
            ++i;
            continue;
        }
        bool folded = false;
        for (const auto& [from, to] : folds) {
            if (text.substr(i, from.size()) == from) {
                out += to;
                i += from.size();
                folded = true;
                break;
            }
        }
        if (!folded) out.push_back(text[i++]);
    }
    return out;
}

std::size_t utf8_length(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
    return count;
}

std::string utf8_prefix(std::string_view text, std::size_t most) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (count++ == most) return std::string(text.substr(0, i)) + "…";
    }
    return std::string(text);
}

bool has_control(std::string_view text) {
    for (const char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
    return false;
}

bool plausible_email(std::string_view email) {
    if (email.size() < 3 || email.size() > 254 || has_control(email)) return false;
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 ||
        email.find('@', at + 1) != std::string_view::npos)
        return false;
    const auto domain = email.substr(at + 1);
    const auto dot = domain.rfind('.');
    if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size())
        return false;
    return email.find(' ') == std::string_view::npos;
}

std::string normalize_email(std::string_view email) {
    return ascii_lower(trim(email));
}

} // namespace rencontres
