// Checks shared by the contexts when they apply client fields; each failure is collected.
#pragma once

#include "domain/common/result.hpp"
#include "domain/common/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres {

// Trimmed text of min..max characters without control characters (newlines allowed when
// `multiline`). Returns the trimmed value.
std::string check_text(validation& v, const char* field, std::string_view value, std::size_t min,
                       std::size_t max, bool multiline = false);

// Like check_text for an optional field: absent stays absent, and blank text clears it.
std::optional<std::string> check_optional_text(validation& v, const char* field,
                                               const std::optional<std::string>& value,
                                               std::size_t max, bool multiline = false);

// An RFC 3339 instant with an offset.
std::optional<instant> check_instant(validation& v, const char* field, std::string_view text);

// A whole number within [min, max].
std::optional<int> check_count(validation& v, const char* field, long long value, long long min,
                               long long max);

// An absolute http(s) URL without spaces, at most 500 characters.
bool plausible_url(std::string_view url);

// At most 20 links, each a plausible URL (errors name "links[i]").
std::vector<std::string> check_links(validation& v, const std::vector<std::string>& links);

} // namespace rencontres
