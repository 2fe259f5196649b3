#include "domain/common/text.hpp"

#include <memory>
#include <stdexcept>
#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <utility>
#include <vector>

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

namespace {

// ICU objects are costly to make and not safe to share: one of each per thread.
icu::Transliterator& folder() {
    thread_local const std::unique_ptr<icu::Transliterator> made = [] {
        UErrorCode status = U_ZERO_ERROR;
        // Accents and other marks away, then the letters that do not decompose (ø, ł, œ, æ,
        // ß...) spelled in ASCII, then lower case.
        std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
            "NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII; Lower", UTRANS_FORWARD, status));
        if (U_FAILURE(status)) throw std::runtime_error("ICU: no accent-folding transliterator");
        return t;
    }();
    return *made;
}

icu::Collator& french_collator() {
    thread_local const std::unique_ptr<icu::Collator> made = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Collator> c(
            icu::Collator::createInstance(icu::Locale::getFrench(), status));
        if (U_FAILURE(status)) throw std::runtime_error("ICU: no French collator");
        // Letters only: accents and case do not tell two names apart ("É" with "E").
        c->setStrength(icu::Collator::PRIMARY);
        return c;
    }();
    return *made;
}

std::string hex_sort_key(std::string_view text) {
    auto& collator = french_collator();
    const auto unicode = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    std::vector<uint8_t> key(64);
    auto size = collator.getSortKey(unicode, key.data(), static_cast<int32_t>(key.size()));
    if (size > static_cast<int32_t>(key.size())) {
        key.resize(static_cast<std::size_t>(size));
        size = collator.getSortKey(unicode, key.data(), size);
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    // Without the key's final zero byte, so that keys can be joined.
    for (int32_t i = 0; i + 1 < size; ++i) {
        out += digits[key[static_cast<std::size_t>(i)] >> 4];
        out += digits[key[static_cast<std::size_t>(i)] & 0xF];
    }
    return out;
}

// The family name where a French reader looks for it: "de La Fontaine" under L, "d'Alembert"
// under A; "Du Bellay", "Le Goff" and "La Fontaine" keep their article.
std::string_view without_particle(std::string_view family) {
    for (const std::string_view particle : {"de ", "De ", "d'", "D'", "d’", "D’"})
        if (family.size() > particle.size() && family.substr(0, particle.size()) == particle)
            return family.substr(particle.size());
    return family;
}

} // namespace

std::string search_fold(std::string_view text) {
    bool ascii = true;
    for (const char c : text)
        ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) return ascii_lower(text);
    auto unicode = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    folder().transliterate(unicode);
    std::string out;
    unicode.toUTF8String(out);
    return out;
}

std::string name_sort_key(std::optional<std::string_view> given,
                          std::optional<std::string_view> family, std::string_view full_name) {
    if (!family || family->empty()) return hex_sort_key(full_name);
    // Family name first, then given name: the joint is below every byte of a key.
    return hex_sort_key(without_particle(*family)) + "00" + hex_sort_key(given.value_or(""));
}

std::string french_upper(std::string_view text) {
    auto unicode = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    unicode.toUpper(icu::Locale::getFrench());
    std::string out;
    unicode.toUTF8String(out);
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
