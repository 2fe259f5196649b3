#include "domain/common/zone.hpp"

#include <cstdio>
#include <date/tz.h>

namespace rencontres {
namespace {

const date::time_zone* find_zone(std::string_view name) {
    try {
        return date::locate_zone(std::string(name));
    } catch (const std::exception&) {
        return nullptr;
    }
}

std::string offset_text(std::chrono::seconds offset) {
    const auto total = offset.count();
    const char sign = total < 0 ? '-' : '+';
    const auto magnitude = total < 0 ? -total : total;
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", sign, static_cast<int>(magnitude / 3600),
                  static_cast<int>((magnitude % 3600) / 60));
    return buffer;
}

struct local_parts {
    date::year_month_day ymd;
    date::hh_mm_ss<std::chrono::seconds> hms;
};

local_parts split_local(instant at, const date::time_zone* zone) {
    const auto info = zone->get_info(at);
    const auto local = at + info.offset;
    const auto day = std::chrono::floor<date::days>(local);
    return {date::year_month_day{day}, date::hh_mm_ss<std::chrono::seconds>{local - day}};
}

const date::time_zone* zone_or_utc(std::string_view name) {
    const auto* zone = find_zone(name);
    return zone ? zone : date::locate_zone("UTC");
}

} // namespace

bool known_zone(std::string_view name) {
    return !name.empty() && find_zone(name) != nullptr;
}

std::string format_in_zone(instant at, std::string_view zone_name) {
    const auto* zone = zone_or_utc(zone_name);
    const auto [ymd, hms] = split_local(at, zone);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()));
    return buffer + offset_text(zone->get_info(at).offset);
}

std::string local_date(instant at, std::string_view zone_name) {
    const auto [ymd, hms] = split_local(at, zone_or_utc(zone_name));
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()));
    return buffer;
}

std::string local_ics_time(instant at, std::string_view zone_name) {
    const auto [ymd, hms] = split_local(at, zone_or_utc(zone_name));
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%04d%02u%02uT%02d%02d%02d", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()));
    return buffer;
}

std::optional<instant> start_of_local_date(std::string_view text, std::string_view zone_name) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (text.size() != 10 ||
        std::sscanf(std::string(text).c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
        return std::nullopt;
    const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok()) return std::nullopt;
    const auto* zone = zone_or_utc(zone_name);
    const date::local_seconds local{date::local_days{ymd}};
    // Midnight can be skipped by a change of offset in some zones: take the earliest valid time.
    const auto info = zone->get_info(local);
    if (info.result == date::local_info::nonexistent) return info.second.begin;
    return instant{local.time_since_epoch() - info.first.offset};
}

std::string local_minutes(instant at, std::string_view zone_name) {
    return format_in_zone(at, zone_name).substr(0, 16);
}

std::optional<std::string> zoned_from_local(std::string_view text, std::string_view zone_name) {
    int y = 0;
    unsigned m = 0, d = 0, hour = 0, minute = 0;
    char tail = 0;
    if (text.size() != 16 || std::sscanf(std::string(text).c_str(), "%4d-%2u-%2uT%2u:%2u%c", &y, &m,
                                         &d, &hour, &minute, &tail) != 5)
        return std::nullopt;
    const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok() || hour > 23 || minute > 59) return std::nullopt;
    const auto* zone = zone_or_utc(zone_name);
    const date::local_seconds local =
        date::local_days{ymd} + std::chrono::hours{hour} + std::chrono::minutes{minute};
    const auto info = zone->get_info(local);
    if (info.result == date::local_info::nonexistent) return std::nullopt;
    return format_in_zone(instant{local.time_since_epoch() - info.first.offset}, zone_name);
}

std::vector<zone_period> zone_periods(std::string_view zone_name, instant from, instant to) {
    const auto* zone = zone_or_utc(zone_name);
    std::vector<zone_period> periods;
    auto info = zone->get_info(from);
    const auto before = zone->get_info(info.begin - std::chrono::seconds{1});
    periods.push_back({std::chrono::time_point_cast<std::chrono::seconds>(info.begin),
                       static_cast<int>(before.offset.count()),
                       static_cast<int>(info.offset.count()), info.save != std::chrono::minutes{0},
                       info.abbrev});
    while (info.end <= to && info.end < date::sys_days{date::year{2200} / 1 / 1}) {
        const auto previous = info;
        info = zone->get_info(info.end);
        periods.push_back({std::chrono::time_point_cast<std::chrono::seconds>(info.begin),
                           static_cast<int>(previous.offset.count()),
                           static_cast<int>(info.offset.count()),
                           info.save != std::chrono::minutes{0}, info.abbrev});
    }
    return periods;
}

} // namespace rencontres
