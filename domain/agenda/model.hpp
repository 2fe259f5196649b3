#pragma once

#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"
#include "domain/events/model.hpp"
#include "domain/floor/model.hpp"
#include "domain/speakers/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres {

enum class session_kind { keynote, talk, round_table, workshop, break_, other };
std::string_view to_string(session_kind k);
std::optional<session_kind> parse_session_kind(std::string_view text);

struct session {
    id_t id = 0;
    id_t event_id = 0;
    std::string title;
    std::optional<std::string> abstract;
    session_kind kind = session_kind::talk;
    instant starts_at{};
    instant ends_at{};
    std::optional<std::string> room;
    std::optional<std::string> track;
    std::optional<int> capacity;
    std::vector<id_t> speaker_ids;
    question_mode questions = question_mode::off; // questions from the floor (API.md §14)
    int sequence = 0; // bumped on every change, for calendar clients
    instant created_at{};
    instant updated_at{};
};

struct session_fields {
    std::optional<std::string> title;
    std::optional<std::optional<std::string>> abstract;
    std::optional<std::string> kind;
    std::optional<std::string> starts_at;
    std::optional<std::string> ends_at;
    std::optional<std::optional<std::string>> room;
    std::optional<std::optional<std::string>> track;
    std::optional<std::optional<long long>> capacity;
    std::optional<std::vector<std::string>> speaker_ids;
    std::optional<std::string> questions;
};

// Two half-open intervals [a, b) and [c, d) overlap; back-to-back sessions do not.
inline bool overlaps(instant a_start, instant a_end, instant b_start, instant b_end) {
    return a_start < b_end && b_start < a_end;
}

// An event's programme: sessions by day in the event's zone, in time order, with speakers.
struct agenda_day {
    std::string date; // YYYY-MM-DD in the event's zone
    std::vector<const session*> sessions;
};

struct agenda {
    rencontres::event event;
    std::vector<session> sessions; // in time order
    std::vector<speaker> speakers; // every speaker of these sessions
    std::vector<agenda_day> days() const;
    const speaker* find_speaker(id_t id) const;
};

} // namespace rencontres
