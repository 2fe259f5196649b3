// Dates and times as the pages write them, in French and in the event's zone:
// "mardi 11 décembre 2018", "9 h", "9 h 30", "mardi 11 décembre 2018, de 9 h à 17 h".
#pragma once

#include "domain/common/time.hpp"

#include <string>
#include <string_view>

namespace rencontres {

// "mardi 11 décembre 2018" ("1er" for the first of the month).
std::string french_date(instant at, std::string_view zone);
// "mardi 11 décembre 2018" from a local date "2018-12-11".
std::string french_local_date(std::string_view date);
// "9 h", "9 h 30", "0 h 05".
std::string french_time(instant at, std::string_view zone);
// "mardi 11 décembre 2018, de 9 h à 17 h" on one day; otherwise
// "du lundi 10 décembre 2018 à 9 h au mardi 11 décembre 2018 à 17 h".
std::string french_span(instant from, instant to, std::string_view zone);
// "de 9 h à 10 h 30".
std::string french_hours(instant from, instant to, std::string_view zone);
// "0 annulée", "1 annulée", "2 annulées": a count and its noun or adjective, singular for 0 and 1
// as French has it.
std::string french_count(long long n, std::string_view singular, std::string_view plural);
// "de Camille", "d'Anne", "d'Élodie": the preposition elided before a vowel.
std::string french_of(std::string_view name);

} // namespace rencontres
