// Enumerations written as text (JSON, SQL, CSV): one table of names per enumeration, in the
// order of its values, and these two functions to go both ways.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace rencontres {

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, E value) {
    return names.at(static_cast<std::size_t>(value));
}

template <class E, std::size_t N>
std::optional<E> parse_name(const std::array<std::string_view, N>& names, std::string_view text) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == text) return static_cast<E>(i);
    return std::nullopt;
}

} // namespace rencontres
