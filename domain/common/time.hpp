// Instants are UTC seconds; text is RFC 3339 and must carry an offset.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rencontres {

using instant = std::chrono::sys_seconds;

// Parses "2018-12-11T09:30:00+01:00", "...Z" or with fractional seconds (dropped).
// Text without an offset is rejected: an instant must not depend on the server's zone.
std::optional<instant> parse_instant(std::string_view text);

// "2018-12-11T08:30:00Z"
std::string format_utc(instant at);

class clock {
public:
    virtual ~clock() = default;
    virtual instant now() const = 0;
};

class system_clock final : public clock {
public:
    instant now() const override {
        return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    }
};

} // namespace rencontres
