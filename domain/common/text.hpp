// Text helpers shared by the contexts: trimming, case and accent folding, UTF-8 length.
#pragma once

#include <string>
#include <string_view>

namespace rencontres {

std::string trim(std::string_view text);
std::string ascii_lower(std::string_view text);

// Lower case with the Latin accents of French folded away ("Guéret" -> "gueret"), for search keys.
std::string search_fold(std::string_view text);

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
