// Questions from the floor and polls of a session (API.md §14).
#pragma once

#include "domain/common/durability.hpp"
#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres {

// Whether a session takes questions from the floor, and whether they are shown at once.
enum class question_mode { off, open, moderated };
std::string_view to_string(question_mode m);
std::optional<question_mode> parse_question_mode(std::string_view text);

enum class floor_status { pending, published, answered, hidden };
std::string_view to_string(floor_status s);
std::optional<floor_status> parse_floor_status(std::string_view text);

// Each change of what a session's room sees (a question posted, voted on, answered, hidden; a
// poll opened, answered, closed) takes the session's next `seq`: the stream's event ids, in the
// order the changes were committed.
struct floor_question {
    id_t id = 0;
    id_t session_id = 0;
    std::string text;
    std::string author_name; // "Anonyme" when none was given
    floor_status status = floor_status::published;
    int votes = 0;
    std::int64_t seq = 0;
    instant created_at{};
    std::optional<instant> answered_at;
};

enum class poll_status { draft, open, closed };
std::string_view to_string(poll_status s);

struct poll_option {
    id_t id = 0;
    std::string label;
    int votes = 0;
};

struct poll {
    id_t id = 0;
    id_t session_id = 0;
    std::string question;
    std::vector<poll_option> options; // in the order given
    bool multiple = false;
    poll_status status = poll_status::draft;
    int respondents = 0;
    std::int64_t seq = 0;
    instant created_at{};
    std::optional<instant> opened_at;
    std::optional<instant> closed_at;
};

// A poll as one caller sees it: its counts only once it is closed, to a device that answered
// it, and to the session's organizers.
struct shown_poll {
    rencontres::poll poll;
    bool counts_shown = false;
    bool answered = false; // by the caller's device
};

// A vote or a poll's answer as the write lane runs it: shown once `durable_after` is durable.
struct voted_question {
    floor_question question;
    durability_ticket durable_after{};
};
struct answered_poll {
    shown_poll poll;
    durability_ticket durable_after{};
};

struct floor_question_fields {
    std::optional<std::string> text;
    std::optional<std::string> author_name;
};

struct poll_fields {
    std::optional<std::string> question;
    std::optional<std::vector<std::string>> options;
    std::optional<bool> multiple;
};

// Who votes or answers: a key drawn from the device's cookie (or, without one, the client's
// address), made by the transport, opaque here.
struct voter {
    std::string key;
};

// What changed in a session's room after a given seq, for its live stream: the questions the
// room sees (published, answered, and hidden ones, so that screens drop them) and the polls
// opened or closed, each in its current state.
struct floor_changes {
    std::vector<floor_question> questions;
    std::vector<poll> polls;
    std::int64_t seq = 0; // the session's latest seq when read
};

} // namespace rencontres
