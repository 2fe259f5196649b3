#include "domain/common/french.hpp"

#include "domain/common/zone.hpp"

#include <array>
#include <chrono>

namespace rencontres {
namespace {

constexpr std::array<std::string_view, 7> weekdays{"dimanche", "lundi",    "mardi", "mercredi",
                                                   "jeudi",    "vendredi", "samedi"};
constexpr std::array<std::string_view, 12> months{"janvier",   "février", "mars",     "avril",
                                                  "mai",       "juin",    "juillet",  "août",
                                                  "septembre", "octobre", "novembre", "décembre"};

int number(std::string_view text) {
    int n = 0;
    for (const char c : text)
        n = n * 10 + (c - '0');
    return n;
}

} // namespace

std::string french_local_date(std::string_view date) {
    // "YYYY-MM-DD"
    if (date.size() != 10) return std::string(date);
    const int y = number(date.substr(0, 4));
    const int m = number(date.substr(5, 2));
    const int d = number(date.substr(8, 2));
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::string(date);
    const std::chrono::weekday wd{std::chrono::sys_days{ymd}};
    return std::string(weekdays[wd.c_encoding()]) + " " + (d == 1 ? "1er" : std::to_string(d)) +
           " " + std::string(months[static_cast<std::size_t>(m - 1)]) + " " + std::to_string(y);
}

std::string french_date(instant at, std::string_view zone) {
    return french_local_date(local_date(at, zone));
}

std::string french_time(instant at, std::string_view zone) {
    // "2018-12-11T09:30:00+01:00"
    const auto text = format_in_zone(at, zone);
    const int h = number(std::string_view(text).substr(11, 2));
    const auto minutes = text.substr(14, 2);
    return std::to_string(h) + " h" + (minutes == "00" ? "" : " " + minutes);
}

std::string french_hours(instant from, instant to, std::string_view zone) {
    return "de " + french_time(from, zone) + " à " + french_time(to, zone);
}

std::string french_span(instant from, instant to, std::string_view zone) {
    if (local_date(from, zone) == local_date(to, zone))
        return french_date(from, zone) + ", " + french_hours(from, to, zone);
    return "du " + french_date(from, zone) + " à " + french_time(from, zone) + " au " +
           french_date(to, zone) + " à " + french_time(to, zone);
}

std::string french_count(long long n, std::string_view singular, std::string_view plural) {
    return std::to_string(n) + " " + std::string(n > 1 ? plural : singular);
}

std::string french_of(std::string_view name) {
    // A vowel or Y, in ASCII or as the accented capitals and small letters French names begin
    // with (UTF-8); a name starting with H is left with "de" (aspirated or not, it cannot tell).
    static constexpr std::string_view vowels = "AEIOUYaeiouy";
    static constexpr std::string_view accented[] = {"É", "È", "Ê", "À", "Â", "Î", "Ô", "Œ",
                                                    "é", "è", "ê", "à", "â", "î", "ô", "œ"};
    bool elided = !name.empty() && vowels.find(name.front()) != std::string_view::npos;
    for (const auto a : accented)
        elided = elided || name.starts_with(a);
    return (elided ? "d'" : "de ") + std::string(name);
}

} // namespace rencontres
