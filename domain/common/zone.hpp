// Rendering instants in an IANA time zone with the offset in force at that instant (so both
// sides of a daylight-saving change are right), with Howard Hinnant's date/tz library.
#pragma once

#include "domain/common/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres {

bool known_zone(std::string_view name);

// "2018-12-11T09:30:00+01:00"
std::string format_in_zone(instant at, std::string_view zone);
// "2018-12-11": the calendar date in the zone.
std::string local_date(instant at, std::string_view zone);
// "20181211T093000": local wall time, as iCalendar writes it with a TZID.
std::string local_ics_time(instant at, std::string_view zone);
// The instant at 00:00 local time of a date ("2018-12-11") in the zone.
std::optional<instant> start_of_local_date(std::string_view date, std::string_view zone);

// "2018-12-11T09:30": the local wall time to the minute, as an HTML datetime-local field holds it.
std::string local_minutes(instant at, std::string_view zone);
// "2018-12-11T09:30" read as wall time in the zone, written with its offset
// ("2018-12-11T09:30:00+01:00"). None for malformed text and for a time a change of offset skips;
// a time that happens twice is the first.
std::optional<std::string> zoned_from_local(std::string_view local, std::string_view zone);

// One period of constant offset, for writing a VTIMEZONE.
struct zone_period {
    instant begins;
    int offset_before_seconds; // the offset in force just before `begins`
    int offset_seconds;
    bool daylight;
    std::string abbreviation;
};

// The periods that begin between `from` and `to`, plus the one in force at `from`.
std::vector<zone_period> zone_periods(std::string_view zone, instant from, instant to);

} // namespace rencontres
