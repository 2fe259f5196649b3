// Text helpers shared by the contexts: trimming, case and accent folding, UTF-8 length.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rencontres {

std::string trim(std::string_view text);
std::string ascii_lower(std::string_view text);

// Lower case with accents and other marks folded away, and letters such as ø, ł, œ or ß spelled
// in ASCII ("Guéret" -> "gueret", "Łódź" -> "lodz"), for search keys (ICU's transliteration).
std::string search_fold(std::string_view text);

// The key that orders people as a French list does: by family name, then given name, with
// French collation, accents and case ignored ("É" with "E"), "de" and "d'" before a family name
// set aside ("de La Fontaine" under L); without a family name, by the full name. Computed once
// and stored (lower-case hex, compared byte by byte), so that every database orders alike.
std::string name_sort_key(std::optional<std::string_view> given,
                          std::optional<std::string_view> family, std::string_view full_name);

// Upper case as French writes it ("Delage" -> "DELAGE"), for family names on badges.
std::string french_upper(std::string_view text);

// Number of code points; text is valid UTF-8 by the time it reaches the domain.
std::size_t utf8_length(std::string_view text);

// At most `most` code points of the text, with "…" in place of what was cut.
std::string utf8_prefix(std::string_view text, std::size_t most);

// True when the text holds a control character (tabs and newlines included).
bool has_control(std::string_view text);

// Checks an email address the way a registration form would: trimmed, one '@', a dotted domain.
bool plausible_email(std::string_view email);

// Email identity: trimmed and lower-cased.
std::string normalize_email(std::string_view email);

} // namespace rencontres
