#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres {

// Rows are keyed by integers; clients see them as opaque strings.
using id_t = std::int64_t;

inline std::optional<id_t> parse_id(std::string_view text) {
    if (text.empty() || text.size() > 18 || text.front() == '0') return std::nullopt;
    id_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
    return value;
}

inline std::string id_text(id_t id) {
    return std::to_string(id);
}

// A page of a list ordered by id: `after` is the last id the client has seen.
struct page_request {
    int limit = 50;
    std::optional<id_t> after{};
};

template <class T> struct page {
    std::vector<T> items;
    std::optional<id_t> next_after;
};

} // namespace rencontres
